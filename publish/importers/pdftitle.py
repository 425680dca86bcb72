"""The title block of an untagged PDF's first page, into front matter.

The largest text of page 1 is the title. What stands above it, set small, is the publishers:
one column each (side by side, as our title block sets them), a name a line, a line of the
same script as the line before going on with its name; CJK names take the language of
their script (``zh``), the others the document's. Below the title: a subtitle (larger than
the body), a byline (``By …``, ``作者…``: the names before the first comma, joined by
"and", "&", "、", "和"), a date line (``Published on 23rd October 2024``, ``2024-10-23``,
``2024年10月23日``). Each is a guess, and said so.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from publish.importers import Remark, pdfpage
from publish.importers.pdfchars import body_size, is_wide, runs_of, text_of

Line = dict[str, Any]  # pdfplumber's text line: text, x0, x1, top, bottom, chars

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan", "janvier", "januar", "enero"),
            ("february", "feb", "février", "februar", "febrero"),
            ("march", "mar", "mars", "märz", "marzo"),
            ("april", "apr", "avril", "abril"),
            ("may", "mai", "mayo"),
            ("june", "jun", "juin", "juni", "junio"),
            ("july", "jul", "juillet", "juli", "julio"),
            ("august", "aug", "août", "agosto"),
            ("september", "sep", "sept", "septembre", "septiembre"),
            ("october", "oct", "octobre", "oktober", "octubre"),
            ("november", "nov", "novembre", "noviembre"),
            ("december", "dec", "décembre", "dezember", "diciembre"),
        ],
        1,
    )
    for name in names
}
_BY = re.compile(r"^(by|par|von|por|di|作者|文)\s*[:：]?\s*", re.I)


def date_of(text: str) -> str:
    """An ISO date from a date line, or empty."""
    found = re.search(r"(\d{4})-(\d{2})-(\d{2})", text)
    if found:
        return found.group(0)
    found = re.search(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日", text)
    if found:
        return _iso(int(found.group(1)), int(found.group(2)), int(found.group(3)))
    words = re.findall(r"[^\W\d_]+|\d+", text.lower())
    numbers = [int(w) for w in words if w.isdigit()]
    months = [_MONTHS[w] for w in words if w in _MONTHS]
    years = [n for n in numbers if 1000 <= n <= 2999]
    days = [n for n in numbers if 1 <= n <= 31]
    if years and months and days:
        return _iso(years[0], months[0], days[0])
    return ""


def _iso(year: int, month: int, day: int) -> str:
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return ""


_PARTICLES = {"de", "da", "di", "van", "von", "der", "den", "la", "le", "y", "bin", "ibn", "al", "and", "&"}


def names_only(text: str) -> bool:
    """Whether a line reads as people's names: capitalised words (and name particles), or a
    short CJK name, no digits."""
    words = [w.strip(",;") for w in text.split()]
    if not words or any(ch.isdigit() for ch in text):
        return False
    if all(is_wide(ch) or ch in "、, " for ch in text):
        return len(text) <= 40
    return all(w[:1].isupper() or w.lower() in _PARTICLES or not w.isalpha() for w in words if w)


def authors_of(byline: str) -> list[str]:
    """The authors' names of a byline: after "By", each name up to its first comma (a role
    or an affiliation follows it)."""
    text = _BY.sub("", byline.strip())
    parts = re.split(r"\s+(?:and|&|et|und|y)\s+|、|和|與|及|;", text)
    names = []
    for part in parts:
        name = part.split(",")[0].split("，")[0].strip()
        name = re.sub(r"^(Mr|Mrs|Ms|Dr|Prof)\.?\s+", "", name)
        if name:
            names.append(name)
    return names


#: The CJK faces' names say which language they are cut for (Noto's and Source Han's
#: TC, SC, HK, JP, KR); a CJK text set in one is taken to be in that language.
_CJK_FACES = (("TC", "zh-Hant"), ("HK", "zh-Hant"), ("SC", "zh-Hans"), ("JP", "ja"), ("KR", "ko"))


def script_lang(text: str, lang: str, font: str = "") -> str:
    """The language of a name: the document's, or for CJK text the one its face is cut for
    (``zh`` when the face does not say)."""
    if not any(is_wide(ch) for ch in text):
        return lang
    if re.search(r"[\u3040-\u30ff]", text):  # kana
        return "ja"
    if re.search(r"[\uac00-\ud7af\u1100-\u11ff]", text):  # hangul
        return "ko"
    for mark, tag in _CJK_FACES:
        if re.search(rf"(CJK|Han|Sans|Serif)[^A-Za-z]*{mark}\b|[-_ ]{mark}[-_ ]", font, re.I):
            return tag
    return "zh"


def publishers_of(lines: Sequence[Line], lang: str, page_width: float) -> list[dict[str, Any]]:
    """The publishers above the title: the lines' pieces (split where a wide gap stands)
    gathered into columns, each column an organization."""
    pieces: list[tuple[float, str, str]] = []
    for line in lines:
        chars = line["chars"]
        start = 0
        for index in range(1, len(chars) + 1):
            if index == len(chars) or chars[index]["x0"] - chars[index - 1]["x1"] > 3 * float(chars[index]["size"]):
                text = " ".join(text_of(runs_of(chars[start:index])).split())
                if text:
                    pieces.append((float(chars[start]["x0"]), text, str(chars[start].get("fontname", ""))))
                start = index
    columns: list[tuple[float, list[tuple[str, str]]]] = []
    for x0, text, font in pieces:
        for column in columns:
            if abs(column[0] - x0) < 0.25 * page_width:
                column[1].append((text, font))
                break
        else:
            columns.append((x0, [(text, font)]))
    out = []
    for _, texts in sorted(columns, key=lambda c: c[0]):
        names: list[dict[str, str]] = []
        for text, font in texts:
            this = script_lang(text, lang, font)
            if names and names[-1]["lang"] == this:
                names[-1]["text"] += ("" if any(is_wide(ch) for ch in text) else " ") + text
            else:
                names.append({"text": text, "lang": this})
        out.append({"names": names} if len(names) > 1 else {"name": names[0]["text"]})
    return out


def take(pages: list[dict[str, Any]], lang: str, path: Path, remarks: list[Remark], width: float) -> dict[str, Any]:
    """The title block of page 1 (see :mod:`publish.importers.pdftitle`), taken out of its lines."""
    lines = [x for x in pages[0]["lines"] if x["text"]]
    if not lines:
        return {}
    biggest = max(body_size(x.get("chars", [])) for x in lines)
    size = body_size([c for page in pages for x in page["lines"] if x["text"] for c in x["chars"]])
    if biggest < 1.3 * size:
        return {}
    where = f"{path.name}:page 1"
    first = next(i for i, x in enumerate(lines) if body_size(x["chars"]) == biggest)
    end = first
    while end + 1 < len(lines) and body_size(lines[end + 1]["chars"]) == biggest:
        end += 1
    meta: dict[str, Any] = {"title": " ".join(x["text"].strip() for x in lines[first : end + 1])}
    remarks.append(Remark(where, f"the title is the largest text of page 1: {meta['title']!r}"))
    taken = lines[: end + 1]
    if first:
        meta["publishers"] = publishers_of(lines[:first], lang, width)
        remarks.append(Remark(where, "the publishers are the lines above the title"))
    rest = lines[end + 1 : end + 8]
    dated = next((i for i, x in enumerate(rest[:6]) if len(x["text"]) < 80 and date_of(x["text"])), None)
    if dated is not None and dated > 0 and not any(_BY.match(x["text"]) for x in rest[:dated]):
        # pandoc's title block: a subtitle (set larger), an author a line, the date
        names = rest[:dated]
        if body_size(names[0]["chars"]) > 1.05 * size or not names_only(names[0]["text"]):
            meta["subtitle"] = names[0]["text"].strip()
            names = names[1:]
        if names and all(names_only(x["text"]) for x in names):
            meta["authors"] = [n for x in names for n in authors_of(x["text"])]
            remarks.append(Remark(where, f"the authors, a line each: {', '.join(meta['authors'])}"))
        meta["date"] = date_of(rest[dated]["text"])
        remarks.append(Remark(where, f"the date line: {meta['date']}"))
        taken += rest[: dated + 1]
        pages[0]["lines"] = [x for x in pages[0]["lines"] if not any(x is t for t in taken)]
        return meta
    index = 0
    if rest and body_size(rest[0]["chars"]) > 1.15 * size and not pdfpage.bold(rest[0]):
        meta["subtitle"] = rest[0]["text"].strip()
        index = 1
    byline: list[Line] = []
    while index < len(rest) and (byline or _BY.match(rest[index]["text"])) and not date_of(rest[index]["text"]):
        if byline and rest[index]["top"] - byline[-1]["bottom"] > 0.8 * size:
            break
        byline.append(rest[index])
        index += 1
    if byline:
        meta["authors"] = authors_of(" ".join(x["text"].strip() for x in byline))
        remarks.append(Remark(where, f"the byline: {', '.join(meta['authors'])}"))
    if index < len(rest) and len(rest[index]["text"]) < 80 and (date := date_of(rest[index]["text"])):
        meta["date"] = date
        remarks.append(Remark(where, f"the date line: {date}"))
        index += 1
    taken += rest[:index]
    pages[0]["lines"] = [x for x in pages[0]["lines"] if not any(x is t for t in taken)]
    return meta
