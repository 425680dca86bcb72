"""A PDF's text layer (read with poppler's ``pdftotext``) and its comparison with the model's text.

``pdftotext -raw`` gives the text in the order the page draws it, which is the reading order
of left-to-right text. Right-to-left text is drawn in visual order (a Hebrew word last letter
first); :class:`Order` reads it back in logical order, the order of the source, so that the
text of a Hebrew or Arabic page is compared character by character like any other.

Without ``pdftotext`` what is read with it raises :class:`publish.errors.MissingToolError`:
the text cannot be checked, which is not a failure of the edition.
"""

from __future__ import annotations

import functools
import html
import itertools
import re
import shutil
import subprocess
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from publish import align, bidi, langs, transforms
from publish import model as m
from publish import outline as ol
from publish import text as txt
from publish.errors import MissingToolError
from publish.readback import pdflabels, pdfpieces

#: Characters a PDF's text layer adds that are not text of the model: list markers and
#: note numbers (in the text and before each note).
_MARKERS = re.compile(r"[0-9.•◦▪‣\-–]+")
#: The same, for what else lines a PDF's text up with the model (:mod:`publish.check.typeset`).
MARKERS = _MARKERS


@dataclass(frozen=True)
class Order:
    """How right-to-left text of a text layer is read in logical order.

    A PDF draws right-to-left text in visual order. Each piece of text (with ``pieces``: what
    WeasyPrint draws of one element on one line, shaped by Pango with the bidi algorithm, read
    from the content stream by :mod:`publish.readback.pdfpieces`; else each line as poppler
    finds it on the page, its words from left to right: what LibreOffice lays out) is
    reordered by the bidi algorithm in a paragraph of the document's direction (``rtl``),
    which gives ordinary text back in logical order. A text layer does not say which
    paragraph a piece belongs to: a code line or a Latin span inside a right-to-left document
    is read left to right, and a number may belong to the letters on either side of it. Of
    these readings (:func:`publish.bidi.readings`) the one that is text the document shows
    (``known``, compacted) is taken, else the first; the comparison that follows still checks
    every character in its place.
    """

    rtl: bool = False
    known: str = ""
    #: Read the pieces WeasyPrint drew (exact bounds) rather than ``pdftotext``'s lines.
    pieces: bool = False

    @functools.cached_property
    def _mirrored_known(self) -> str:
        """``known`` with brackets of either hand alike (a text layer may report a mirrored
        bracket as its pair, see :data:`_MIRRORED`)."""
        return self.known.translate(_MIRRORED)

    @property
    def needed(self) -> bool:
        """Whether there is right-to-left text to read at all."""
        return self.rtl or bidi.has_rtl(self.known)

    def choose(self, visual: str | list[str]) -> str:
        """The logical order of a piece or a line in visual order. Without a letter (a list
        marker, a note's number, a page number: what the layout adds in the document's
        direction) the first reading is taken, as a short string of digits and punctuation
        is text of the document in any order."""
        readings = bidi.readings(visual, self.rtl)
        first = next(readings)
        letters = any(bidi.bidi_class(unit[0]) in ("L", "R", "AL") for unit in visual if unit)
        if self.known and letters:
            known = self._mirrored_known
            for reading in itertools.chain([first], readings):
                key = compact(reading).translate(_MIRRORED)
                if key and key in known:
                    return reading
        if not self.pieces and self.known:
            return self._ligatures(first)
        return first

    def _ligatures(self, line: str) -> str:
        """A line as poppler reads a lam-alef ligature whose ``/ToUnicode`` is its two letters
        (LibreOffice's): reversed letter by letter, ل + ا comes out ا + ل. Each word with
        alef + lam pairs is taken as written if it stands so in the document beside its
        neighbours (both, the next, the one before, none), else with the pairs turned round
        that make it so."""
        words = line.split(" ")
        for index, word in enumerate(words):
            places = [found.start() for found in _ALEF_LAM.finditer(word)]
            if not places or len(places) > 6:
                continue
            variants = []
            for mask in range(2 ** len(places)):
                letters = list(word)
                for bit, place in enumerate(places):
                    if mask >> bit & 1:
                        letters[place], letters[place + 1] = letters[place + 1], letters[place]
                variants.append("".join(letters))
            before = words[index - 1] if index else ""
            after = words[index + 1] if index + 1 < len(words) else ""
            for left, right in ((before, after), ("", after), (before, ""), ("", "")):
                found = next((v for v in variants if compact(left + v + right) in self.known), None)
                if found is not None:
                    words[index] = found
                    break
        return " ".join(words)


#: An alef (with or without hamza or madda) before a lam: a lam-alef ligature poppler reversed?
_ALEF_LAM = re.compile("[\u0622\u0623\u0625\u0627](?=\u0644)")
_WORD = re.compile(r'<word xMin="([-\d.]+)" yMin="([-\d.]+)" xMax="([-\d.]+)" yMax="([-\d.]+)">(.*?)</word>')


def _pdftotext(path: Path, *options: str) -> str:
    exe = shutil.which("pdftotext")
    if exe is None:
        raise MissingToolError("pdftotext is not installed (Debian package poppler-utils)")
    result = subprocess.run([exe, *options, "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True)
    return decode(result.stdout)


def decode(output: bytes) -> str:
    """poppler's UTF-8, where it may write a character beyond the BMP as two encoded UTF-16
    surrogates (CESU-8: the title of an HTML page of -bbox, from the PDF's metadata, when it
    holds an emoji); they are joined back into the character."""
    try:
        return output.decode("utf-8")
    except UnicodeDecodeError:
        try:
            text = output.decode("utf-8", errors="surrogatepass")
        except UnicodeDecodeError:
            return output.decode("utf-8", errors="replace")
        return text.encode("utf-16-le", errors="surrogatepass").decode("utf-16-le", errors="replace")


def visual_lines(path: Path) -> list[list[str]]:
    """Each page's lines as they stand on it, each its words from left to right (letters as
    drawn: visual order), from ``pdftotext -raw -bbox``: a word joins the line before it when
    their heights overlap."""
    pages = []
    for page in _pdftotext(path, "-raw", "-bbox").split("</page>")[:-1]:
        lines: list[tuple[float, float, list[tuple[float, float, str]]]] = []
        for left, top, right, bottom, word in _WORD.findall(page):
            box = (float(left), float(right), html.unescape(word))
            middle = (float(top) + float(bottom)) / 2
            if lines and lines[-1][0] <= middle <= lines[-1][1]:
                lines[-1][2].append(box)
            else:
                lines.append((float(top), float(bottom), [box]))
        pages.append(["".join(_with_marks(words)) for _, _, words in lines])
    return pages


def _with_marks(words: list[tuple[float, float, str]]) -> list[str]:
    """Words from left to right; a mark drawn on its own (no width: a tanween, a damma) goes
    beside the letter whose left edge is nearest (a letter's place inside its word estimated
    from the word's width): to its left when the letter is right to left (so that the mark
    follows it once the word is read right to left), else to its right. Each word but the
    first begins with the space before it, unless it touches the word before."""
    marks = [w for w in words if w[0] == w[1] and all(unicodedata.category(c) == "Mn" for c in w[2])]
    placed = sorted((left, right, list(text)) for left, right, text in words if (left, right, text) not in marks)
    for x, _, mark in marks:
        edges = [
            (abs(left + i * (right - left) / len(letters) - x), n, i)
            for n, (left, right, letters) in enumerate(placed)
            for i in range(len(letters))
        ]
        if not edges:
            placed.append((x, x, [mark]))
            continue
        _, n, i = min(edges)
        letters = placed[n][2]
        letters.insert(i if bidi.bidi_class(letters[i]) in bidi.RTL_CLASSES else i + 1, mark)
    # Words that touch are one word drawn in pieces (LibreOffice draws "3.12" in a
    # right-to-left run as "3", ".", "12"): joined without a space, so that the bidi
    # algorithm reads the number as one.
    return [
        ("" if not n or left - placed[n - 1][1] < _TOUCHING else " ") + "".join(letters)
        for n, (left, _, letters) in enumerate(placed)
    ]


#: Points between two words of a line below which they are pieces of one word.
_TOUCHING = 0.5


def known_texts(texts: Iterable[str], outline: ol.Outline = ()) -> str:
    """:attr:`Order.known`: each line of ``texts`` and the text of each item of ``outline``
    (a paragraph, a cell, a heading...), compacted, kept apart by a character no text has, so
    that a reading is found only inside one of them, as a piece of a line never runs from one
    block into the next."""

    def items(outline: ol.Outline) -> Iterator[str]:
        for item in outline:
            yield item.text
            yield from items(item.children)

    parts = [line for text in texts for line in text.splitlines()] + list(items(outline))
    return _APART.join(key for key in map(compact, parts) if key)


#: Between two texts of :func:`known_texts` (a non-character: never in a document's text).
_APART = "\uffff"


def page_texts(path: Path, order: Order | None = None) -> list[str]:
    """The text of each page as ``pdftotext -raw`` gives it (left-to-right text in the order
    it is drawn); with ``order`` and right-to-left text, each piece (``order.pieces``) or line
    in logical order, one a line."""
    if order is not None and order.needed:
        if order.pieces:
            return ["\n".join(order.choose(piece) for piece in page) for page in pdfpieces.page_pieces(path)]
        return ["\n".join(order.choose(line) for line in page) for page in visual_lines(path)]
    return _pdftotext(path, "-raw").split("\f")


#: The hyphen WeasyPrint adds where ``hyphens: auto`` breaks a word (U+2010, where the
#: text's own hyphens are U+002D).
_SOFT_BREAK = "\u2010"


def joined_text(path: Path, title: str | None = None, order: Order | None = None, head_first: bool = False) -> str:
    """The text layer with words that hyphenation broke at a line end joined again; with the
    running ``title``, the page furniture is taken away first, so that a word broken across
    two pages is joined too. ``order``: each line in logical order; ``head_first``: see
    :func:`page_lines`."""
    if title is None:
        pages = page_texts(path, order)
    else:
        pages = ["\n".join(page) for page in page_lines(path, title, order, head_first)]
    return "\n".join(pages).replace(_SOFT_BREAK + "\n", "")


def page_lines(path: Path, title: str, order: Order | None = None, head_first: bool = False) -> list[list[str]]:
    """Each page's lines without the page furniture. The furniture (the margin boxes: the
    running title, then the page's number, "n" or "n / N") comes last in a page's text; only
    there is it taken away, so a paragraph that happens to read like the title stays. In a
    PDF LibreOffice made of the DOCX (``head_first``) the header's running title comes first
    and the footer's number last."""
    pages = []
    for index, page in enumerate(page_texts(path, order)):
        lines = [txt.squash(line) for line in page.splitlines()]
        while lines and not lines[-1]:
            lines.pop()
        if lines and re.fullmatch(rf"{index + 1}(?:\s*/\s*\d+)?", lines[-1]):
            lines.pop()
            if index > 0 and lines and not head_first and _same_text(lines[-1], title):
                lines.pop()
        if head_first and index > 0 and lines and _same_text(lines[0], title):
            lines.pop(0)
        pages.append(lines)
    return pages


def body_stream(path: Path, title: str, order: Order | None = None) -> str:
    """The text layer without page furniture and without the hyphens added by hyphenation at
    line ends, whitespace removed."""
    lines = page_lines(path, title, order)
    return compact("".join(line.removesuffix(_SOFT_BREAK) for page in lines for line in page))


#: Characters that are not drawn, only steer how their neighbours are (Unicode's default
#: ignorable code points: bidi controls, the zero-width (non-)joiner Persian writes inside
#: words, variation selectors, the soft hyphen...). A PDF has no glyph for them, so its text
#: layer cannot carry them.
_INVISIBLE = dict.fromkeys(
    [
        0x00AD,
        0x034F,
        0x061C,
        *range(0x115F, 0x1161),
        *range(0x17B4, 0x17B6),
        *range(0x180B, 0x1810),
        *range(0x200B, 0x2010),
        *range(0x202A, 0x202F),
        *range(0x2060, 0x2070),
        0x3164,
        *range(0xFE00, 0xFE10),
        0xFEFF,
        0xFFA0,
        *range(0xFFF0, 0xFFF9),
        *range(0x1BCA0, 0x1BCA4),
        *range(0x1D173, 0x1D17B),
        *range(0xE0000, 0xE1000),
    ]
)


def _same_text(a: str, b: str) -> bool:
    """Equal as text of a PDF: without whitespace; with right-to-left text, brackets of either
    hand alike (see :data:`_MIRRORED`)."""
    a, b = compact(a), compact(b)
    if bidi.has_rtl(a + b):
        return a.translate(_MIRRORED) == b.translate(_MIRRORED)
    return a == b


def compact(text: str) -> str:
    """Text as a PDF's text layer is compared: NFKC, no whitespace, no invisible characters."""
    return "".join(unicodedata.normalize("NFKC", text).translate(_INVISIBLE).split())


def cut_toc(
    stream: str, label: str, headings: list[str], numbers: bool = True, following: str = ""
) -> tuple[str, list[str]]:
    """Remove the table of contents (its label, then every heading with leaders and a page
    number) from the stream; a problem when it is not there, in that order. ``following``:
    the text expected after it (its last page number and a numbered first heading, "3" and
    "1 Intro", run together)."""
    after = r"[.\u2026·]*(\d+)" if numbers else ""
    pattern = re.escape(compact(label)) + "".join(re.escape(compact(h)) + after for h in headings)
    found = re.search(pattern + f"(?={re.escape(following)})", stream) if following else None
    found = found or re.search(pattern, stream)
    if found is None:
        return stream, ["the table of contents is missing or does not list every heading with its page"]
    return stream[: found.start()] + stream[found.end() :], []


def cut_notes(
    stream: str, notes: list[tuple[int, str, int]], key: Callable[[str], str] = lambda text: text
) -> tuple[str, list[str]]:
    """Remove each footnote (its marker "n." and its text) from the stream. A note is
    ``(number, text, start)``: it stands at the foot of the page that refers to it, so after
    the text before its reference (``start`` characters of the body: a lower bound, since the
    stream holds the body in order plus markers) and after the previous note."""
    problems: list[str] = []
    position = 0
    for number, text, start in notes:
        marker = key(f"{number}.")
        index = stream.find(marker + text, max(position, start))
        if index < 0:
            problems.append(f"footnote {number} is missing from the foot of its page: {text[:60]!r}")
            continue
        stream = stream[:index] + stream[index + len(marker) + len(text) :]
        position = index
    return stream, problems


_REFERENCE = "\ue000"


def _reference_positions(doc: m.Document, key: Callable[[str], str]) -> list[int]:
    """For each note, in number order: how many characters of the body (compacted, through
    ``key``) come before its reference."""
    marked = transforms.rewrite(doc, lambda node: m.Text(_REFERENCE) if isinstance(node, m.Note) else node)
    body = tuple(item for item in ol.outline_of(marked) if item.kind != "note")
    stream = key(compact(ol.text_stream(body)))
    positions: list[int] = []
    for index, char in enumerate(stream):
        if char == _REFERENCE:
            positions.append(index - len(positions))
    return positions


#: Brackets a right-to-left context draws mirrored. WeasyPrint gives each glyph one text in
#: the text layer, the text of the first place it is drawn: the glyph of ")" drawn for a "("
#: in Hebrew text is reported as ")" if a Latin ")" came first, or the other way round. With
#: right-to-left text in a document, a bracket is compared as its pair.
_MIRRORED = str.maketrans(")]}>»›", "([{<«‹")


def compare_text(
    doc: m.Document,
    expected: ol.Outline,
    path: Path,
    toc: tuple[str, list[str]] | None = None,
    title_block: str | None = None,
) -> list[str]:
    """The text layer against the model's text: the title block, the table of contents, the
    body and the footnotes at the foot of their pages. ``toc`` is (label, heading texts) when
    the edition has a table of contents; ``title_block`` the text the title block shows (it
    opens the first page).

    Right-to-left text is read back in logical order (:class:`Order`) and compared like any
    other, character by character."""
    problems: list[str] = []
    body = tuple(item for item in expected if item.kind != "note")
    note_texts = [(item.level, compact(ol.text_stream(item.children))) for item in expected if item.kind == "note"]
    want = compact(ol.text_stream(body))
    shown = [title_block or "", *((toc[0], *toc[1]) if toc is not None else ())]
    known = known_texts(shown, expected)
    order = Order(rtl=langs.direction(doc.meta.lang) == "rtl", known=known, pieces=True)
    got = body_stream(path, doc.meta.title, order)
    key: Callable[[str], str] = lambda text: text  # noqa: E731
    if bidi.has_rtl(known):
        key = lambda text: text.translate(_MIRRORED)  # noqa: E731
    got = key(got)
    if title_block is not None:
        block = key(compact(title_block))
        if got.startswith(block):
            got = got[len(block) :]
        else:
            problems.append(f"the first page does not open with the title block {title_block.strip()[:80]!r}")
    if toc is not None:
        first = key(compact("".join(ol.text_units(body))))[:40]
        got, found = cut_toc(got, key(toc[0]), [key(h) for h in toc[1]], following=first)
        problems += found
    starts = _reference_positions(doc, key)
    got, found = cut_notes(
        got, [(number, key(text), start) for (number, text), start in zip(note_texts, starts, strict=False)], key
    )
    problems += found
    # Unit by unit (publish.align), in time linear in the length; list markers and note
    # numbers are what the text layer adds.
    units = [key(compact(unit)) for unit in ol.text_units(body, labels=False)]  # see pdflabels
    want = "".join(units)
    addable = pdflabels.ADDABLE if pdflabels.expected(body) else _MARKERS
    for difference in align.align(units, got, addable):
        i1, i2, j1, j2 = difference.i1, difference.i2, difference.j1, difference.j2
        missing_text, extra_text = want[i1:i2], got[j1:j2]
        context = want[max(0, i1 - 30) : i1]
        problems.append(
            f"text differs after …{context!r}: model has {missing_text[:80]!r}, PDF has {extra_text[:80]!r}"
        )
    return problems
