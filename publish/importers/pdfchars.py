"""The glyphs of a PDF's pages (pdfplumber's characters), and how they become text: runs with
their marks, read off the fonts and the layout.

Shared by both roads of :mod:`publish.importers.pdf`. A glyph's marks come from its font
(``Italic``/``Oblique`` → em, ``Bold`` → strong, a monospace face → code), its size and
height against the text around it (smaller and raised → sup, lowered → sub), the link
annotation it lies under and the language of the element that holds it. Spaces a PDF does
not draw (between words, at line ends) are put back from the gaps; a hyphen that the
layout added at a line end (U+2010, or U+00AD) is taken away; a hard hyphen at a line end
is kept and the word joined.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from publish.importers.pdfmd import Run

Char = dict[str, Any]

#: Hyphens that only a layout adds at a line end (the word is whole without them).
SOFT_HYPHENS = ("\u2010", "\u00ad")
_MONO = re.compile(r"mono|courier|code|consol|menlo|typewriter|fixed", re.I)
_ITALIC = re.compile(r"italic|oblique|[-,]it\b", re.I)
_BOLD = re.compile(r"bold|black|heavy|semibold|demi", re.I)


def font_of(char: Char) -> str:
    """The font's name without a subset's ``ABCDEF+`` prefix."""
    return str(char.get("fontname", "")).split("+")[-1]


def is_mono(char: Char) -> bool:
    return bool(_MONO.search(font_of(char)))


def is_wide(ch: str) -> bool:
    return bool(ch) and unicodedata.east_asian_width(ch[0]) in "WF"


@dataclass(frozen=True)
class Link:
    page: int
    x0: float
    top: float
    x1: float
    bottom: float
    target: str


def links_of(page: Any) -> list[Link]:
    """The link annotations of a pdfplumber page: a URI, or ``#name`` for a named destination."""
    found: list[Link] = []
    for annot in page.annots:
        data = annot.get("data") or {}
        target = annot.get("uri") or ""
        if not target:
            dest = data.get("Dest")
            action = data.get("A") or {}
            if dest is None and isinstance(action, dict):
                dest = action.get("D")
            name = getattr(dest, "name", dest)
            if isinstance(name, bytes):
                name = name.decode("utf-8", "replace")
            if isinstance(name, str) and name:
                target = f"#{name}"
        if isinstance(target, bytes):
            target = target.decode("utf-8", "replace")
        if target:
            found.append(Link(page.page_number, annot["x0"], annot["top"], annot["x1"], annot["bottom"], str(target)))
    return found


def link_at(char: Char, links: Sequence[Link]) -> str:
    cx = (char["x0"] + char["x1"]) / 2
    cy = (char["top"] + char["bottom"]) / 2
    for link in links:
        if link.page == char.get("page_number") and link.x0 <= cx <= link.x1 and link.top - 1 <= cy <= link.bottom + 1:
            return link.target
    return ""


def body_size(chars: Iterable[Char]) -> float:
    """The size most of the text is set in."""
    sizes = Counter(round(float(c["size"]), 1) for c in chars if c["text"].strip())
    return sizes.most_common(1)[0][0] if sizes else 10.0


def _new_line(prev: Char, char: Char) -> bool:
    if prev.get("page_number") != char.get("page_number"):
        return True
    size = max(float(prev["size"]), float(char["size"]))
    if char["top"] < prev["top"] - 1.5 * size and char["x0"] > prev["x1"] + size:
        return True  # the top of the next column
    drop = char["top"] - prev["top"]  # a line lower: a new line, wherever it starts
    return bool(drop > 0.9 * size or (drop > 0.6 * size and char["x0"] < prev["x1"] - 0.5 * size))


def _strong_rtl(char: Char) -> bool:
    from publish import bidi

    text = str(char["text"])
    return bool(text) and bidi.bidi_class(text[0]) in bidi.RTL_CLASSES


def _joint(prev: Char, char: Char, size: float, gaps: bool = True) -> str:
    """What stands between two glyphs: ``""``, ``" "``, or ``"\\n"`` (a line end); a gap is
    a space only where the PDF does not draw its spaces (``gaps``)."""
    if _new_line(prev, char):
        return "\n"
    em = min(size, float(prev["size"]), float(char["size"]))
    # in logical order, right-to-left text runs leftwards: between two of its letters the gap
    # is on the other side (where the direction changes, the gap is not read: no space)
    leftwards = char["x0"] < prev["x0"] and _strong_rtl(prev) and _strong_rtl(char)
    ahead = prev["x0"] - char["x1"] if leftwards else char["x0"] - prev["x1"]
    gap = ahead / em if em else 0.0
    if gaps:
        return " " if gap > 0.2 else ""
    # The PDF draws its spaces, but not all: one a generated text ends with (a heading's
    # number), one between two boxes of right-to-left text, a badge's. A gap of a space's
    # width (0.2-0.35 em) is one; a wider gap is a box's padding (a key, a code span),
    # unless it is wide enough to part two boxes (over 0.8 em).
    return " " if 0.2 < gap <= 0.35 or gap > 0.8 else ""


def runs_of(
    chars: Sequence[Char],
    links: Sequence[Link] = (),
    lang: Sequence[str] | None = None,
    plain_marks: frozenset[str] = frozenset(),
    vocabulary: set[str] | None = None,
    gaps: bool = True,
) -> list[Run]:
    """The runs of some glyphs in reading order; ``lang[i]`` the language of glyph ``i``;
    ``plain_marks``: marks that the whole block carries (a heading's bold, a caption's
    italic), which are its style and not marked; ``vocabulary``: the words known whole, by
    which a hyphen at a line end is taken away (:func:`line_end`); ``gaps``: whether a gap
    between glyphs is a space (a PDF that draws its spaces: no, see :func:`draws_spaces`)."""
    if not chars:
        return []
    size = body_size(chars)
    runs: list[Run] = []
    prev: Char | None = None
    for index, char in enumerate(chars):
        text = char["text"]
        if (
            prev is not None
            and text == prev["text"]
            and abs(char["x0"] - prev["x0"]) < 0.01
            and char["top"] == prev["top"]
        ):
            continue  # a glyph given twice (a ligature, as pdfminer lists some)
        marks = marks_of(char, size) - plain_marks
        joint = _joint(prev, char, size, gaps) if prev is not None else ""
        if joint == "\n" and runs and runs[-1].marks != marks and "code" in runs[-1].marks ^ marks:
            joint = " "  # code ends or starts at the line end: a word of its own
        elif joint == "\n":
            following = ""
            for later in chars[index:]:
                if not later["text"].isalpha():
                    break
                following += later["text"]
            joint = line_end(runs, following or text, vocabulary)
        if joint and runs and not runs[-1].text.endswith(" ") and not text.isspace():
            runs.append(Run(" ", frozenset(m for m in marks if m not in ("sup", "sub"))))
        runs.append(Run(text, marks, link_at(char, links) if links else "", lang[index] if lang else ""))
        prev = char
    return runs


def draws_spaces(chars: Sequence[Char]) -> bool:
    """Whether a PDF draws the spaces between words (WeasyPrint, LibreOffice do; TeX does
    not): then a gap between glyphs is layout (a box's padding, a kerned pair), not a space."""
    drawn = [c for c in chars if c["text"]]
    return bool(drawn) and sum(1 for c in drawn if c["text"] == " ") > 0.03 * len(drawn)


def line_end(runs: list[Run], following: str, vocabulary: set[str] | None = None) -> str:
    """What a line end is between the runs so far and the next word: nothing after a hyphen
    the layout added (taken away) or a hard hyphen ending a word (taken away when the word
    is in ``vocabulary`` whole), or between CJK characters; else a space."""
    if not runs:
        return ""
    last = runs[-1].text
    if last.endswith(SOFT_HYPHENS):
        runs[-1] = Run(last[:-1], runs[-1].marks, runs[-1].link, runs[-1].lang)
        return ""
    before = "".join(r.text for r in runs[-400:])
    if re.search(r"(https?://|www\.)\S*[/.\-_?=&#~]$", before):
        return ""  # a URL broken at a line end (it has no spaces)
    if before[-1:] in "–—/" and len(before) > 1 and not before[-2].isspace():
        return ""  # a line broken after a dash or a slash inside a word
    if before.endswith("-") and len(before) > 1 and before[-2].isalpha() and following[:1].isalpha():
        start = re.search(r"[^\W\d_]+-$", "".join(r.text for r in runs[-6:]))
        if vocabulary is not None and start and (start.group(0)[:-1] + following).lower() in vocabulary:
            runs[-1] = Run(last[:-1], runs[-1].marks, runs[-1].link, runs[-1].lang)
        return ""
    if is_wide(last[-1:]) or is_wide(following):
        return ""
    start = re.search(r"[^\W\d_]+$", before)
    if vocabulary and start and following[:1].isalpha():  # a word broken with no hyphen (overflow)
        head = start.group(0)
        if head.lower() not in vocabulary and (head + following).lower() in vocabulary:
            return ""
    return " "


def marks_of(char: Char, size: float) -> frozenset[str]:
    font = font_of(char)
    marks: set[str] = set()
    if _MONO.search(font):
        marks.add("code")
    else:
        if _ITALIC.search(font):
            marks.add("em")
        if _BOLD.search(font):
            marks.add("strong")
    if float(char["size"]) < 0.92 * size and char["text"].strip():
        shift = char.get("_shift", 0.0)
        if shift < -0.15 * size:
            marks.add("sup")
        elif shift > 0.15 * size:
            marks.add("sub")
    return frozenset(marks)


def mark_shifts(chars: Sequence[Char]) -> None:
    """Each glyph's ``_shift``: how far its middle stands below (positive) the middle of the
    nearest glyph of the body size on its line (raised text is negative)."""
    size = body_size(chars)
    normal = [c for c in chars if abs(float(c["size"]) - size) < 0.5 and c["text"].strip()]
    for char in chars:
        if abs(float(char["size"]) - size) < 0.5:
            char["_shift"] = 0.0
            continue
        middle = (char["top"] + char["bottom"]) / 2
        near = [
            c
            for c in normal
            if c.get("page_number") == char.get("page_number") and abs((c["top"] + c["bottom"]) / 2 - middle) < size
        ]
        if not near:
            char["_shift"] = 0.0
            continue
        nearest = min(near, key=lambda c: abs(c["x0"] - char["x0"]))
        char["_shift"] = middle - (nearest["top"] + nearest["bottom"]) / 2


def code_text(chars: Sequence[Char], box: tuple[float, float] | None = None) -> str:
    """A code block's text from monospace glyphs: each line's columns from the glyphs' places
    (a PDF draws no spaces, nor the indentation). ``box``: the left and right of the block's
    frame (its background), which tells a line wrapped to fit it from a line of the source: a
    line that ends within a character of the frame's inner edge broke a word (joined again
    with nothing), as did one ending in a hyphen that had no room for the next line's first
    word; any other such line broke at a space."""
    if not chars:
        return ""
    widths = sorted(float(c["x1"]) - float(c["x0"]) for c in chars if c["text"].strip())
    width = widths[len(widths) // 2] if widths else 5.0
    left = min(float(c["x0"]) for c in chars)
    inner = box[1] - (left - box[0]) if box else None
    out: list[str] = []
    previous: list[Char] = []
    for line in _code_lines(chars):
        text = _columns(line, left, width)
        if inner is not None and previous and out:
            room = inner - float(previous[-1]["x1"])
            first_word = text.strip().split(" ")[0]
            if room < 0.5 * width or (room < (len(first_word) + 1) * width and out[-1].endswith("-")):
                out[-1] += text.lstrip()
                previous = line
                continue
            if room < (len(first_word) + 1) * width:
                out[-1] += " " + text.lstrip()
                previous = line
                continue
        out.append(text)
        previous = line
    return "\n".join(line.rstrip() for line in out)


def _code_lines(chars: Sequence[Char]) -> list[list[Char]]:
    lines: list[list[Char]] = []
    for char in chars:
        if (
            lines
            and not _new_line(lines[-1][-1], char)
            and abs(char["top"] - lines[-1][-1]["top"]) < 0.6 * float(char["size"])
        ):
            lines[-1].append(char)
        else:
            lines.append([char])
    return lines


def _columns(line: Sequence[Char], left: float, width: float) -> str:
    text = ""
    for char in sorted(line, key=lambda c: c["x0"]):
        column = round((float(char["x0"]) - left) / width) if width else len(text)
        if column > len(text):
            text += " " * (column - len(text))
        text += char["text"]
    return text


def logical(chars: Sequence[Char], rtl: bool) -> list[Char]:
    """Glyphs drawn in visual order (one element's, or one line's, as a PDF draws them) in
    logical order, line by line, by the bidi algorithm in a paragraph of direction ``rtl``."""
    from publish import bidi

    lines: list[list[Char]] = []
    for char in chars:
        if lines and not _new_line(lines[-1][-1], char):
            lines[-1].append(char)
        else:
            lines.append([char])
    out: list[Char] = []
    for line in lines:
        texts = [str(c["text"]) for c in line]
        if rtl or any(bidi.has_rtl(t) for t in texts):
            out += [line[i] for i in bidi.order(texts, rtl)]
        else:
            out += line
    return out


def lead_and_room(chars: Sequence[Char], right: float) -> tuple[float, float]:
    """(room, lead): ``room`` the space left after the last glyph before ``right``; ``lead``: the width of
    the first word (with a space's width): what a paragraph's start needs on a line."""
    drawn = [c for c in chars if c["text"].strip()]
    if not drawn:
        return 1e9, 0.0
    word: list[Char] = []
    for char in chars:
        if not char["text"].strip() and word:
            break
        if char["text"].strip():
            word.append(char)
    lead = float(word[-1]["x1"]) - float(word[0]["x0"]) + 0.25 * float(word[0]["size"])
    return right - float(drawn[-1]["x1"]), lead


def text_of(runs: Iterable[Run]) -> str:
    return "".join(r.text for r in runs)


def rules(pdf: Any) -> list[tuple[int, float]]:
    """(page, y) of each thematic break: a thin horizontal line or bar drawn once at its
    place and width (a table's rules come several to a width), narrower than the page."""
    found: list[tuple[int, float, float, float]] = []
    for page in pdf.pages:
        for shape in list(page.lines) + list(page.rects):
            height = abs(float(shape["bottom"]) - float(shape["top"]))
            width = float(shape["x1"]) - float(shape["x0"])
            if height <= 2.5 and 20 <= width < 0.9 * float(page.width):
                found.append((page.page_number, float(shape["top"]), float(shape["x0"]), float(shape["x1"])))
    widths = Counter((page, round(x0), round(x1)) for page, _, x0, x1 in found)
    return [(page, top) for page, top, x0, x1 in found if widths[(page, round(x0), round(x1))] == 1]


def in_logical_order(line: dict[str, Any]) -> None:
    """A line with right-to-left text (drawn, and extracted, in visual order: the letters of an
    Arabic word reversed) put in logical order by the bidi algorithm, its direction that of
    most of its strong letters."""
    from publish import bidi

    chars = line.get("chars", [])
    if not chars or not bidi.has_rtl(str(line["text"])):
        return
    kinds = [bidi.bidi_class(str(c["text"])[0]) for c in chars if c["text"]]
    rtl = sum(k in bidi.RTL_CLASSES for k in kinds) >= sum(k == "L" for k in kinds)
    line["chars"] = [chars[i] for i in bidi.order([str(c["text"]) for c in chars], rtl)]
    line["text"] = bidi.reorder(str(line["text"]), rtl)
