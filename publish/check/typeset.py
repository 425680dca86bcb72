"""The lines of a PDF edition placed against the model: which unit of the document (a body
paragraph, a list item's paragraph, a heading, a caption, a cell, the title...) each laid-out
line sets, whether it is the first or the last line of it, and whether the layout broke a
word at its end with a hyphen. :mod:`publish.check.typography` measures from this.

The model gives the units in reading order (:func:`units`: the title block as the theme
renders it, then the blocks, then the notes); the PDF gives its lines
(:mod:`publish.readback.pdflines`, page furniture taken away). The texts of both, without
whitespace, are aligned unit by unit (:func:`publish.align.matching_blocks`; list markers,
note calls and leaders are what the PDF adds), and each line belongs to the unit most of its
characters stand in. The table of contents is found whole first (its label, then each
heading with leaders and a page number) and set aside. Footnotes, set at the foot of their
page, are left unplaced (they come last in the model), as is anything the model does not have.

A line ends in a hyphen the layout added when it ends in a hyphen (U+2010, WeasyPrint's
``hyphenate-character``, a soft hyphen, or ``-``) that the model does not have there: the
model has the word unbroken.
"""

from __future__ import annotations

import bisect
import collections
import itertools
import re
from dataclasses import dataclass
from pathlib import Path

from publish import align, bidi, i18n, langs, mathtex, pagedata, tablegrid, walk
from publish import model as m
from publish import outline as ol
from publish import text as txt
from publish.options import Options
from publish.readback import pdflines, pdftext

#: The roles of body text: paragraphs, and the paragraphs of list items.
BODY = ("para", "item")
#: Every role set as running paragraphs (a quotation's, a callout's, as well as the body's).
PARAGRAPHS = (*BODY, "quote", "callout", "bibliography")
#: What a layout adds at a line's end to break a word: U+2010 (WeasyPrint's
#: ``hyphenate-character``), a soft hyphen, or a hyphen-minus.
HYPHENS = "\u2010\u00ad-"
#: Characters found alike while diffing a difference count from this many in a row (fewer:
#: letters that a footnote and the paragraph after it happen to share).
_MIN_DIFFED = 6


@dataclass(frozen=True, slots=True)
class Unit:
    """A piece of the document's text set as lines of its own: ``role`` is one of
    ``front`` (the title block), ``title``, ``heading`` (``level``), ``para``,
    ``item`` (a list item's paragraph), ``quote``, ``callout``, ``bibliography`` (an entry's
    paragraph, hanging), ``summary`` (a callout's or a
    details block's title), ``box`` (a task's box), ``code``, ``caption``, ``cell``, ``note``.
    ``text`` is compacted (:func:`publish.readback.pdftext.compact`); ``breaks`` the offsets
    in it where a forced line break stands; ``cjk`` whether it is Chinese, Japanese or Korean
    text (its language, or a span's)."""

    role: str
    text: str
    level: int = 0
    cjk: bool = False
    breaks: frozenset[int] = frozenset()


@dataclass(frozen=True, slots=True)
class Placed:
    """A line of the PDF and where it stands in the model: ``unit`` (an index into the units,
    None when the model does not have it: a footnote, furniture; or a line of the table of
    contents, whose ``role`` is ``toc``), ``start``/``end`` its
    offsets in the unit's text; ``first``/``last`` whether it opens or closes its unit (a
    forced break ends a line as a paragraph's end does); ``hyphen`` whether it ends with a
    hyphen the layout added; ``shown`` for each word whether its text is the model's (a list
    marker is not); ``formulas`` for each gap between words whether a formula is drawn in it."""

    line: pdflines.Line
    unit: int | None
    role: str = ""
    start: int = 0
    end: int = 0
    first: bool = False
    last: bool = False
    hyphen: bool = False
    shown: tuple[bool, ...] = ()
    #: For each gap between its words, whether a formula is drawn there (its width is no space).
    formulas: tuple[bool, ...] = ()

    @property
    def page(self) -> int:
        return self.line.page


@dataclass(frozen=True)
class Layout:
    """The units of the document and every line of the PDF, placed, in reading order."""

    units: tuple[Unit, ...]
    lines: tuple[Placed, ...]

    def of(self, role: str | tuple[str, ...]) -> list[Placed]:
        roles = (role,) if isinstance(role, str) else role
        return [p for p in self.lines if p.role in roles]

    def by_unit(self) -> dict[int, list[Placed]]:
        found: dict[int, list[Placed]] = collections.defaultdict(list)
        for placed in self.lines:
            if placed.unit is not None:
                found[placed.unit].append(placed)
        return found


def _cjk(lang: str, content: tuple[m.Inline, ...] = ()) -> bool:
    if langs.is_cjk(lang):
        return True
    return any(isinstance(n, m.Span) and n.attr.lang and langs.is_cjk(n.attr.lang) for n in walk.walk(content))


def _unit(role: str, content: tuple[m.Inline, ...], lang: str, level: int = 0) -> Unit:
    """A unit of inline content: its text without whitespace, a forced break's place kept."""
    parts = [pdftext.compact(part) for part in txt.plain(content).split("\n")]
    breaks, offset = set(), 0
    for part in parts[:-1]:
        offset += len(part)
        breaks.add(offset)
    return Unit(role, "".join(parts), level, _cjk(lang, content), frozenset(breaks))


def _blocks(blocks: tuple[m.Block, ...], role: str, lang: str, out: list[Unit]) -> None:
    """The units of blocks in reading order; ``role`` is what a paragraph here is."""
    for block in blocks:
        match block:
            case m.Heading(level=level, content=content, attr=attr):
                out.append(_unit("heading", content, attr.lang or lang, level))
            case m.Paragraph(content=content):
                out.append(_unit(role, content, lang))
            case m.BlockQuote(blocks=inner):
                _blocks(inner, role if role == "callout" else "quote", lang, out)
            case m.BulletList(items=items) | m.OrderedList(items=items):
                for item in items:
                    if item.checked is not None:
                        out.append(Unit("box", ol.TASK_BOX[item.checked][1]))
                    _blocks(item.blocks, "item" if role in BODY else role, lang, out)
            case m.CodeBlock(text=code):
                out.append(Unit("code", pdftext.compact(code)))
            case m.Figure(caption=caption, attr=attr):
                out.append(_unit("caption", caption, attr.lang or lang))
            case m.Table(caption=caption):
                out.append(_unit("caption", caption, lang))
                for cell in tablegrid.cells(block):
                    if cell.blocks:
                        _blocks(cell.blocks, "cell", lang, out)
                    else:
                        out.append(_unit("cell", cell.content, lang))
            case m.Div(blocks=inner, attr=attr, title=title):
                kind = walk.div_kind(attr)
                inner_lang = attr.lang or lang
                if title:
                    out.append(_unit(role if kind == "div" else "summary", title, inner_lang))
                inner_role = "bibliography" if kind == "references" else role
                _blocks(inner, "callout" if kind.startswith("callout") else inner_role, inner_lang, out)


def units(doc: m.Document, options: Options) -> list[Unit]:
    """The document's units in reading order: the title block (the title a unit of its own),
    the blocks, then the notes. (The table of contents is found on its own: :func:`_toc`.)"""
    from publish.readback import mathback
    from publish.readback import pdf as pdf_back

    doc = mathback.undrawn(mathtex.split_display(doc), FORMULA)  # drawn, on a line of its own if display
    lang = doc.meta.lang
    block = pdftext.compact(pdf_back.title_block(options, pagedata.context(doc, options)))
    title = pdftext.compact(doc.meta.title)
    at = block.find(title) if title else -1
    out: list[Unit] = []
    if at < 0:
        out.append(Unit("front", block, cjk=_cjk(lang)))
    else:
        out += [Unit("front", block[:at], cjk=_cjk(lang)), Unit("title", title, cjk=_cjk(lang))]
        out.append(Unit("front", block[at + len(title) :], cjk=_cjk(lang)))
    _blocks(doc.blocks, "para", lang, out)
    for note in walk.notes(doc.blocks):
        _blocks(note.blocks, "note", lang, out)
    return [unit for unit in out if unit.text]


def _toc(doc: m.Document, options: Options, keys: list[str]) -> set[int]:
    """The lines (indices into ``keys``) of the table of contents: its label, then every
    heading with leaders and a page number, found whole as
    :func:`publish.readback.pdftext.cut_toc` finds it. Its leaders are longer than what the
    alignment skips as added, and a book's contents would cost a difference an entry."""
    if not pagedata.wants_toc(doc, options):
        return set()
    headings = [pdftext.compact(h["text"]) for h in pagedata.context(doc, options)["headings"]]
    label = pdftext.compact(i18n.labels(doc.meta.lang)["contents"])
    pattern = re.escape(label) + "".join(re.escape(h) + r"[.\u2026·]*\d+" for h in headings)
    found = re.search(pattern, "".join(keys)) if headings else None
    if found is None:
        return set()
    inside, offset = set(), 0
    for index, key in enumerate(keys):
        if offset >= found.start() and offset + len(key) <= found.end():
            inside.add(index)
        offset += len(key)
    return inside


def _keys(line: pdflines.Line, rtl: bool) -> tuple[str, list[tuple[int, int]], bool]:
    """A line's text without whitespace, each word's span in it (none for right-to-left text,
    whose words are reordered), and whether it ended with a hyphen (taken off the key unless
    it is a hyphen-minus, which the model may have there too)."""
    if rtl:
        key = pdftext.compact(line.text)
        spans: list[tuple[int, int]] = []
    else:
        key, spans = "", []
        for word in line.words:
            part = pdftext.compact(word.text)
            spans.append((len(key), len(key) + len(part)))
            key += part
    hyphen = bool(key) and key[-1] in HYPHENS
    if hyphen and key[-1] != "-":
        key = key[:-1]
    return key, spans, hyphen


def place(doc: m.Document, path: Path, options: Options) -> Layout:
    """Every line of the PDF at ``path`` placed against the document's units."""
    found = units(doc, options)
    rtl = langs.direction(doc.meta.lang) == "rtl"
    order = None
    if rtl or any(bidi.has_rtl(u.text) for u in found):
        known = pdftext.known_texts([doc.meta.title, *(u.text for u in found)], ol.outline_of(doc))
        order = pdftext.Order(rtl=rtl, known=known)
    pages = pdflines.content_lines(pdflines.read(path, order), doc.meta.title)
    lines = [line for page in pages for line in page.lines]
    reordered = order is not None and order.needed
    keys = [_keys(line, reordered) for line in lines]
    toc = _toc(doc, options, [key for key, _, _ in keys])
    actual = "".join(key for n, (key, _, _) in enumerate(keys) if n not in toc)
    expected = "".join(u.text for u in found)
    starts, position = [], 0
    for unit in found:
        starts.append(position)
        position += len(unit.text)
    where = [-1] * len(actual)
    texts = [u.text for u in found]
    limit = max(align.MAX_DIFFERENCES, len(lines))  # every difference is wanted: a footnote, a marker
    for i, j, n in align.matching_blocks(texts, actual, pdftext.MARKERS, _MIN_DIFFED, limit):
        where[j : j + n] = range(i, i + n)
    placed: list[Placed] = []
    offset = 0
    for number, (line, (key, spans, hyphen)) in enumerate(zip(lines, keys, strict=True)):
        if number in toc:
            placed.append(Placed(line, None, "toc"))
            continue
        mapped = [i for i in where[offset : offset + len(key)] if i >= 0]
        shown = tuple(any(i >= 0 for i in where[offset + a : offset + b]) for a, b in spans) or (True,) * len(
            line.words
        )
        formulas = _formulas(expected, [where[offset + a : offset + b] for a, b in spans])
        foreign = sum(1 for k, c in enumerate(key) if where[offset + k] < 0 and not pdftext.MARKERS.match(c))
        unit_end = offset + len(key)
        offset = unit_end
        if len(mapped) <= foreign:  # mostly text the model does not have here (a footnote)
            placed.append(Placed(line, None, shown=shown))
            continue
        index = collections.Counter(bisect.bisect_right(starts, i) - 1 for i in mapped).most_common(1)[0][0]
        inside = [i - starts[index] for i in mapped if bisect.bisect_right(starts, i) - 1 == index]
        start, end = min(inside), max(inside) + 1
        if hyphen and key.endswith("-"):
            hyphen = where[unit_end - 1] < 0  # a hyphen-minus of the model's is not a break
        elif hyphen:
            at = starts[index] + end
            hyphen = at >= len(expected) or expected[at] not in HYPHENS
        placed.append(Placed(line, index, found[index].role, start, end, hyphen=hyphen, shown=shown, formulas=formulas))
    return Layout(tuple(found), tuple(_ends(placed, found)))


#: Where a formula stood in a unit's text (it is drawn: the PDF's text has nothing there).
FORMULA = "\ue010"


def _formulas(expected: str, words: list[list[int]]) -> tuple[bool, ...]:
    """For each gap between a line's words, whether a drawn formula stands in it."""
    out = []
    for left, right in itertools.pairwise(words):
        ends = [i for i in left if i >= 0][-1:] + [i for i in right if i >= 0][:1]
        out.append(len(ends) == 2 and FORMULA in expected[ends[0] + 1 : ends[1]])
    return tuple(out)


def _ends(placed: list[Placed], found: list[Unit]) -> list[Placed]:
    """Each line marked as the first or the last of its unit (a forced break ends a line as
    the unit's end does); a hyphen only where the unit goes on after the line."""
    first: dict[int, int] = {}
    last: dict[int, int] = {}
    for number, line in enumerate(placed):
        if line.unit is not None:
            first.setdefault(line.unit, number)
            last[line.unit] = number
    out = []
    for number, line in enumerate(placed):
        if line.unit is None:
            out.append(line)
            continue
        unit = found[line.unit]
        is_last = last[line.unit] == number or line.end in unit.breaks or line.end >= len(unit.text)
        out.append(
            Placed(
                line.line,
                line.unit,
                line.role,
                line.start,
                line.end,
                first[line.unit] == number,
                is_last,
                line.hyphen and not is_last,
                line.shown,
                line.formulas,
            )
        )
    return out
