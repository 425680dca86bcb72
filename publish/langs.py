"""Language tags (BCP 47): validation and the per-language typography the editions need."""

from __future__ import annotations

import functools
import re

import babel

_BCP47 = re.compile(
    r"^(?P<language>[A-Za-z]{2,3}|[A-Za-z]{5,8})"
    r"(?:-(?P<script>[A-Za-z]{4}))?"
    r"(?:-(?P<region>[A-Za-z]{2}|[0-9]{3}))?"
    r"(?:-(?:[A-Za-z0-9]{5,8}|[0-9][A-Za-z0-9]{3}))*"
    r"(?:-[0-9A-WY-Za-wy-z](?:-[A-Za-z0-9]{2,8})+)*"
    r"(?:-x(?:-[A-Za-z0-9]{1,8})+)?$"
)


@functools.lru_cache(maxsize=256)
def check(tag: str) -> str | None:
    """Return why ``tag`` is not a usable BCP 47 language tag, or None when it is."""
    match = _BCP47.match(tag)
    if not match:
        return f"{tag!r} is not a well-formed BCP 47 language tag (e.g. en, zh-Hant, pt-BR)"
    try:
        babel.Locale.parse(match["language"].lower())
    except (babel.UnknownLocaleError, ValueError):
        return f"unknown language {match['language']!r} in language tag {tag!r}"
    return None


@functools.lru_cache(maxsize=256)
def locale(tag: str) -> babel.Locale:
    """The closest Babel locale for a tag: language+script+region, then shorter."""
    match = _BCP47.match(tag)
    if not match:
        return babel.Locale.parse("en")
    parts = [match["language"].lower(), match["script"], match["region"]]
    candidates = [
        "_".join(p for p in parts if p),
        "_".join(p for p in parts[:2] if p),
        parts[0],
    ]
    for candidate in candidates:
        try:
            return babel.Locale.parse(candidate)
        except (babel.UnknownLocaleError, ValueError):
            continue
    return babel.Locale.parse("en")


def is_cjk(tag: str) -> bool:
    return locale(tag).language in {"zh", "ja", "ko"}


def is_traditional_chinese(tag: str) -> bool:
    loc = locale(tag)
    return loc.language == "zh" and (
        loc.script == "Hant" or (loc.script is None and loc.territory in {"TW", "HK", "MO"})
    )


#: ISO 15924 scripts written right to left (Unicode's bidi class R or AL).
RTL_SCRIPTS = frozenset(
    {
        "Adlm", "Arab", "Aran", "Armi", "Avst", "Chrs", "Cprt", "Elym", "Hatr", "Hebr", "Hung",
        "Khar", "Lydi", "Mand", "Mani", "Mend", "Merc", "Mero", "Narb", "Nbat", "Nkoo", "Orkh",
        "Ougr", "Palm", "Phli", "Phlp", "Phlv", "Phnx", "Prti", "Rohg", "Samr", "Sarb", "Sogd",
        "Sogo", "Syrc", "Syre", "Syrj", "Syrn", "Thaa", "Yezi",
    }
)  # fmt: skip
#: Languages written right to left when the tag names no script: those whose usual script is
#: Arabic, Hebrew, Syriac, Thaana, N'Ko or Hanifi Rohingya (CLDR's right-to-left locales, the
#: Arabic varieties and a few more). A script subtag decides first: ``az-Arab`` is right to
#: left, ``sd-Deva`` and ``ku`` (Latin) are not.
RTL_LANGUAGES = frozenset(
    {
        "ar", "arb", "arq", "ars", "ary", "arz", "aeb", "acm", "acq", "acw", "acx", "acy", "adf",
        "afb", "ajp", "apc", "apd", "auz", "avl", "ayh", "ayl", "ayn", "ayp", "abh", "abv", "shu",
        "ssh", "jrb", "jye", "arc", "bal", "bgn", "bqi", "brh", "ckb", "dv", "fa", "pes", "prs",
        "glk", "haz", "he", "iw", "khw", "ks", "lrc", "mzn", "nqo", "pnb", "ps", "pbt", "pbu",
        "rhg", "sam", "sd", "sdh", "skr", "syr", "trw", "ug", "ur", "yi", "ji", "ydd", "yih",
    }
)  # fmt: skip


@functools.lru_cache(maxsize=256)
def is_rtl(tag: str) -> bool:
    """Whether text in the language ``tag`` is written right to left: its script subtag
    decides (``-Arab``, ``-Hebr``... or ``-Latn``, ``-Cyrl``...), else its language."""
    match = _BCP47.match(tag.strip())
    if not match:
        return False
    if match["script"]:
        return match["script"].title() in RTL_SCRIPTS
    return match["language"].lower() in RTL_LANGUAGES


def direction(lang: str | None = None, dir: str | None = None, inherited: str = "ltr") -> str:
    """``rtl`` or ``ltr``: an explicit ``dir`` (``rtl``/``ltr``) wins over the language, a
    language over the direction of what holds the text (``inherited``)."""
    if dir is not None and dir.strip().lower() in ("rtl", "ltr"):
        return dir.strip().lower()
    if lang:
        return "rtl" if is_rtl(lang) else "ltr"
    return inherited


def quotes(tag: str) -> list[str]:
    """Smart-quote strings: double open, double close, single open, single close."""
    loc = locale(tag)
    if (loc.language == "zh" and is_traditional_chinese(tag)) or loc.language == "ja":
        return ["「", "」", "『", "』"]
    nnbsp = "\u202f"
    table = {
        "de": ["„", "“", "‚", "‘"],
        "fr": ["«" + nnbsp, nnbsp + "»", "‹" + nnbsp, nnbsp + "›"],
        "ru": ["«", "»", "„", "“"],
        "es": ["«", "»", "“", "”"],
        "it": ["«", "»", "“", "”"],
        "pl": ["„", "”", "‚", "’"],
        "sv": ["”", "”", "’", "’"],
    }
    return table.get(loc.language, ["“", "”", "‘", "’"])


_HAN = r"\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_LATIN = r"A-Za-z0-9\u00c0-\u024f"
_GAPS = re.compile(rf"(?<=[{_HAN}])(?=[{_LATIN}])|(?<=[{_LATIN}])(?=[{_HAN}])")


def autospaced(tag: str) -> bool:
    """Whether text in the language ``tag`` puts a gap between Han or kana and Latin letters
    or digits (Chinese and Japanese: W3C clreq §3.4, JIS X 4051; Korean uses word spaces)."""
    return locale(tag).language in ("zh", "ja")


def autospace_split(text: str) -> list[str]:
    """``text`` cut where a gap goes between Han or kana and Latin letters or digits (the
    editions draw the gap as spacing; the text stays as written): ``输出42`` → ``输出``, ``42``."""
    pieces, start = [], 0
    for found in _GAPS.finditer(text):
        pieces.append(text[start : found.start()])
        start = found.start()
    pieces.append(text[start:])
    return pieces


#: BCP 47 → the tag Word uses for East Asian proofing and fonts.
WORD_EAST_ASIAN = {"zh-Hant": "zh-TW", "zh-Hans": "zh-CN", "zh": "zh-CN", "ja": "ja-JP", "ko": "ko-KR"}
CJK_FONTS = {
    "zh-TW": "Noto Serif CJK TC",
    "zh-CN": "Noto Serif CJK SC",
    "ja-JP": "Noto Serif CJK JP",
    "ko-KR": "Noto Serif CJK KR",
}


def word_lang(tag: str) -> tuple[str, str | None]:
    """(w:val or w:eastAsia value, East Asian font) for a BCP 47 tag."""
    if is_cjk(tag):
        loc = locale(tag)
        key = "zh-Hant" if is_traditional_chinese(tag) else ("zh-Hans" if loc.language == "zh" else loc.language)
        word = WORD_EAST_ASIAN.get(key, tag)
        return word, CJK_FONTS.get(word)
    return tag, None


#: BCP 47 → the tag Word gives right-to-left (complex script) text, ``w:lang w:bidi``: Word's
#: languages are regional, so a bare language takes its usual region; other tags are kept.
WORD_BIDI = {
    "ar": "ar-SA",
    "he": "he-IL",
    "iw": "he-IL",
    "fa": "fa-IR",
    "prs": "prs-AF",
    "ur": "ur-PK",
    "ps": "ps-AF",
    "ug": "ug-CN",
    "dv": "dv-MV",
    "syr": "syr-SY",
    "ckb": "ku-Arab-IQ",
    "sd": "sd-Arab-PK",
    "yi": "yi-001",
}


def word_bidi(tag: str) -> str:
    """The ``w:lang w:bidi`` value for a right-to-left language tag."""
    return WORD_BIDI.get(tag.strip().lower(), tag)


def word_tag(tag: str) -> str:
    """A BCP 47 tag as Word writes it: ``zh-TW`` for ``zh-Hant``, ``ar-SA`` for ``ar``."""
    return word_bidi(tag) if is_rtl(tag) else word_lang(tag)[0]


@functools.lru_cache(maxsize=256)
def hyphenation_tag(tag: str) -> str:
    """The tag whose hyphenation patterns text in ``tag`` takes: its region where it names
    one, else the region CLDR finds likeliest (``en`` → ``en-US``, American patterns, not the
    British ones a bare ``en`` would get; ``pt`` → ``pt-BR``; ``en-GB`` stays)."""
    from babel.core import get_global

    parts = tag.replace("_", "-").split("-")
    if any(len(p) == 4 and p.isalpha() for p in parts[1:]):
        return tag  # a script is named: the tag is as precise as the writer meant it
    if any((len(p) == 2 and p.isalpha()) or (len(p) == 3 and p.isdigit()) for p in parts[1:]):
        return tag
    likely = get_global("likely_subtags").get(parts[0].lower())
    if not likely:
        return tag
    region = next((p for p in str(likely).split("_")[1:] if len(p) == 2 and p.isupper()), None)
    return f"{parts[0]}-{region}" if region else tag
