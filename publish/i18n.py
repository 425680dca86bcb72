"""Words the templates add around the metadata, and dates, in the document's language."""

from __future__ import annotations

import datetime as dt
import re

import babel.dates
import babel.lists

from publish import langs

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "by": "By",
        "published_on": "Published on",
        "contents": "Contents",
        "notes": "Notes",
        "cover": "Cover",
        "start": "Start of the text",
        "landmarks": "Landmarks",
        "bibliography": "Bibliography",
        "previous": "Previous",
        "next": "Next",
        "chapters": "Chapters",
        "note": "Note",
        "tip": "Tip",
        "important": "Important",
        "warning": "Warning",
        "caution": "Caution",
        "figure": "Figure",
        "table": "Table",
        "equation": "Equation",
        "section": "Section",
    },
    "zh-Hant": {
        "by": "作者：",
        "published_on": "發布於",
        "contents": "目錄",
        "notes": "註釋",
        "cover": "封面",
        "start": "正文",
        "landmarks": "導覽",
        "bibliography": "參考文獻",
        "previous": "上一章",
        "next": "下一章",
        "chapters": "章節",
        "note": "注意",
        "tip": "提示",
        "important": "重要",
        "warning": "警告",
        "caution": "小心",
        "figure": "圖",
        "table": "表",
        "equation": "公式",
        "section": "節",
    },
    "zh-Hans": {
        "by": "作者：",
        "published_on": "发布于",
        "contents": "目录",
        "notes": "注释",
        "cover": "封面",
        "start": "正文",
        "landmarks": "导览",
        "bibliography": "参考文献",
        "previous": "上一章",
        "next": "下一章",
        "chapters": "章节",
        "note": "注意",
        "tip": "提示",
        "important": "重要",
        "warning": "警告",
        "caution": "小心",
        "figure": "图",
        "table": "表",
        "equation": "公式",
        "section": "节",
    },
    "fr": {
        "by": "Par",
        "published_on": "Publié le",
        "contents": "Sommaire",
        "notes": "Notes",
        "cover": "Couverture",
        "start": "Début du texte",
        "landmarks": "Repères",
        "bibliography": "Bibliographie",
        "previous": "Précédent",
        "next": "Suivant",
        "chapters": "Chapitres",
        "note": "Remarque",
        "tip": "Astuce",
        "important": "Important",
        "warning": "Avertissement",
        "caution": "Attention",
        "figure": "Figure",
        "table": "Tableau",
        "equation": "Équation",
        "section": "Section",
    },
    "de": {
        "by": "Von",
        "published_on": "Veröffentlicht am",
        "contents": "Inhalt",
        "notes": "Anmerkungen",
        "cover": "Umschlag",
        "start": "Textbeginn",
        "landmarks": "Orientierungspunkte",
        "bibliography": "Literaturverzeichnis",
        "previous": "Zurück",
        "next": "Weiter",
        "chapters": "Kapitel",
        "note": "Hinweis",
        "tip": "Tipp",
        "important": "Wichtig",
        "warning": "Warnung",
        "caution": "Vorsicht",
        "figure": "Abbildung",
        "table": "Tabelle",
        "equation": "Gleichung",
        "section": "Abschnitt",
    },
    "ar": {
        "by": "تأليف",
        "published_on": "نُشر في",
        "contents": "المحتويات",
        "notes": "الحواشي",
        "cover": "الغلاف",
        "start": "بداية النص",
        "landmarks": "المعالم",
        "bibliography": "المراجع",
        "previous": "السابق",
        "next": "التالي",
        "chapters": "الفصول",
        "note": "ملاحظة",
        "tip": "نصيحة",
        "important": "مهم",
        "warning": "تحذير",
        "caution": "تنبيه",
        "figure": "شكل",
        "table": "جدول",
        "equation": "معادلة",
        "section": "قسم",
    },
    "fa": {
        "by": "نوشتهٔ",
        "published_on": "منتشرشده در",
        "contents": "فهرست مطالب",
        "notes": "یادداشت‌ها",
        "cover": "جلد",
        "start": "آغاز متن",
        "landmarks": "نشانه‌ها",
        "bibliography": "کتاب‌نامه",
        "previous": "قبلی",
        "next": "بعدی",
        "chapters": "فصل‌ها",
        "note": "یادداشت",
        "tip": "نکته",
        "important": "مهم",
        "warning": "هشدار",
        "caution": "احتیاط",
        "figure": "شکل",
        "table": "جدول",
        "equation": "معادله",
        "section": "بخش",
    },
    "he": {
        "by": "מאת",
        "published_on": "פורסם בתאריך",
        "contents": "תוכן העניינים",
        "notes": "הערות",
        "cover": "כריכה",
        "start": "תחילת הטקסט",
        "landmarks": "ציוני דרך",
        "bibliography": "ביבליוגרפיה",
        "previous": "הקודם",
        "next": "הבא",
        "chapters": "פרקים",
        "note": "הערה",
        "tip": "עצה",
        "important": "חשוב",
        "warning": "אזהרה",
        "caution": "זהירות",
        "figure": "איור",
        "table": "טבלה",
        "equation": "משוואה",
        "section": "סעיף",
    },
    "ur": {
        "by": "مصنف:",
        "published_on": "اشاعت:",
        "contents": "فہرست",
        "notes": "حواشی",
        "cover": "سرورق",
        "start": "متن کا آغاز",
        "landmarks": "نشانات",
        "bibliography": "کتابیات",
        "previous": "پچھلا",
        "next": "اگلا",
        "chapters": "ابواب",
        "note": "نوٹ",
        "tip": "مشورہ",
        "important": "اہم",
        "warning": "انتباہ",
        "caution": "احتیاط",
        "figure": "شکل",
        "table": "جدول",
        "equation": "مساوات",
        "section": "حصہ",
    },
}


#: The comma that sets a person's role and affiliation after their name, by language.
COMMAS = {"zh": "，", "ja": "、", "ar": "، ", "fa": "، ", "ur": "، ", "ps": "، ", "sd": "، ", "ug": "، ", "ckb": "، "}


def comma(tag: str) -> str:
    return COMMAS.get(langs.locale(tag).language, ", ")


def byline_prefix(tag: str) -> str:
    """ "By " before the names: the label and a space, none after a full-width colon (作者：)."""
    by = labels(tag)["by"]
    return by if by.endswith(("：", "\u3000")) else by + " "


def list_joiners(tag: str, count: int) -> list[str]:
    """What goes between ``count`` names listed in the language of ``tag`` (CLDR's list
    patterns: "A, B, and C", "A、B和C", "A وB وC"): ``count - 1`` strings."""
    if count < 2:
        return []
    pattern = babel.lists.format_list([f"\x00{i}\x00" for i in range(count)], locale=langs.locale(tag))
    return re.split(r"\x00\d+\x00", pattern)[1:-1]


def labels(tag: str) -> dict[str, str]:
    loc = langs.locale(tag)
    if loc.language == "zh":
        return LABELS["en"] | LABELS["zh-Hant" if langs.is_traditional_chinese(tag) else "zh-Hans"]
    return LABELS["en"] | LABELS.get(loc.language, {})


def ordinal_suffix(day: int) -> str:
    if 10 <= day % 100 <= 20:
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")


def date_parts(date: dt.date, tag: str) -> dict[str, str]:
    """``text`` is the whole date; English adds ``day``/``ordinal``/``rest`` so templates can
    set the ordinal as a superscript: 23<sup>rd</sup> October 2024."""
    loc = langs.locale(tag)
    parts = {"iso": date.isoformat(), "day": "", "ordinal": "", "rest": ""}
    if loc.language == "en":
        rest = babel.dates.format_date(date, "MMMM y", locale=loc)
        parts.update(day=str(date.day), ordinal=ordinal_suffix(date.day), rest=rest)
        parts["text"] = f"{date.day}{parts['ordinal']} {rest}"
    else:
        parts["text"] = babel.dates.format_date(date, "long", locale=loc)
    return parts
