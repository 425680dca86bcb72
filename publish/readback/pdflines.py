"""A PDF's laid-out lines: each page's lines of text as they are set, each word with its box
and its font size, for measuring the typography of the PDF edition (:mod:`publish.check.typography`).

The words and their boxes are poppler's (``pdftotext -raw -bbox``: in the order the page
draws them, which is the reading order of the document's boxes); a word joins the line before
it when its middle lies within that line's height, as in
:func:`publish.readback.pdftext.visual_lines`. Sizes are not in poppler's output: they are
read from the content streams (pikepdf), where each piece of text is set with a font size
(``Tf``) in a text matrix (``Tm``) under the current transformation (``cm``), and a word
takes the size of the piece it begins in (the piece drawn last on its baseline that starts at
or before it).

Page furniture (the running head and the page number, drawn after the page's content) is
taken away by :func:`content_lines`. Without ``pdftotext`` :func:`read` raises
:class:`publish.errors.MissingToolError`.
"""

from __future__ import annotations

import html
import itertools
import math
import re
import statistics
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from publish.readback import pdftext

_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">')
#: A line of page furniture: a page number ("3", "3 / 12", "iv").
_FOLIO = re.compile(r"^(\d+(\s*/\s*\d+)?|[ivxlcdm]+)$", re.IGNORECASE)
Matrix = tuple[float, float, float, float, float, float]
_IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


@dataclass(frozen=True, slots=True)
class Word:
    """One word as poppler finds it: its text (letters as drawn), its box in points from the
    top left of the page, and the font size (points) of the piece of text it begins in (0 when
    it could not be told)."""

    text: str
    left: float
    top: float
    right: float
    bottom: float
    size: float = 0.0


@dataclass(frozen=True, slots=True)
class Line:
    """One line as it is set: its page (from 1) and its words from left to right. ``text`` is
    the line's text in reading order (the words joined by one space; right-to-left text in
    logical order when read with an :class:`publish.readback.pdftext.Order`)."""

    page: int
    words: tuple[Word, ...]
    text: str

    @property
    def left(self) -> float:
        return min(w.left for w in self.words)

    @property
    def right(self) -> float:
        return max(w.right for w in self.words)

    @property
    def top(self) -> float:
        return min(w.top for w in self.words)

    @property
    def bottom(self) -> float:
        return max(w.bottom for w in self.words)

    @property
    def size(self) -> float:
        """The font size most of the line's letters are set in (a note call or a word of
        another size does not change it)."""
        weight: dict[float, int] = defaultdict(int)
        for word in self.words:
            weight[round(word.size, 2)] += len(word.text)
        return max(weight, key=lambda size: (weight[size], size)) if weight else 0.0

    def gaps(self) -> list[tuple[float, Word, Word]]:
        """The space between each two neighbouring words (points), with the two words."""
        return [(b.left - a.right, a, b) for a, b in itertools.pairwise(self.words)]


@dataclass(frozen=True, slots=True)
class Page:
    number: int
    width: float
    height: float
    lines: tuple[Line, ...]


def read(path: Path, order: pdftext.Order | None = None) -> list[Page]:
    """Every page's lines, furniture included, with the size of each word. ``order``: how
    right-to-left text is read in logical order (each line's ``text``)."""
    raw = pdftext._pdftotext(path, "-raw", "-bbox")
    sizes = _run_starts(path)
    pages = []
    for index, chunk in enumerate(raw.split("</page>")[:-1]):
        found = _PAGE.search(chunk)
        width, height = (float(found.group(1)), float(found.group(2))) if found else (0.0, 0.0)
        runs = sizes[index] if index < len(sizes) else {}
        words = [
            Word(html.unescape(text), float(left), float(top), float(right), float(bottom))
            for left, top, right, bottom, text in pdftext._WORD.findall(chunk)
        ]
        words = [_sized(word, runs) for word in words]
        pages.append(Page(index + 1, width, height, tuple(_lines(index + 1, words, order))))
    return pages


def _lines(page: int, words: list[Word], order: pdftext.Order | None) -> list[Line]:
    """Words grouped into lines: a word joins the line before it when its middle lies within
    that line's height (a raised note call too)."""
    groups: list[tuple[float, float, list[Word]]] = []
    for word in words:
        middle = (word.top + word.bottom) / 2
        if groups and groups[-1][0] <= middle <= groups[-1][1]:
            groups[-1][2].append(word)
        else:
            groups.append((word.top, word.bottom, [word]))
    lines = []
    for _, _, group in groups:
        ordered = tuple(sorted(group, key=lambda w: w.left))
        if order is not None and order.needed:
            boxes = [(w.left, w.right, w.text) for w in ordered]
            text = order.choose("".join(pdftext._with_marks(boxes)))
        else:
            text = " ".join(w.text for w in ordered)
        lines.append(Line(page, ordered, text))
    return lines


def content_lines(pages: list[Page], title: str) -> list[Page]:
    """The pages without their furniture. Furniture is drawn after a page's content, so it is
    looked for only among a page's last lines: a page number ("3 / 12", "3", "iv"); then the
    running head: the ``title``'s text, or a line set above everything else on the page."""
    key = pdftext.compact(title)
    out = []
    for page in pages:
        lines = list(page.lines)
        for _ in range(3):
            if len(lines) < 2:
                break
            last = lines[-1]
            above = all(last.bottom <= other.top + 0.5 for other in lines[:-1])
            if _FOLIO.match(last.text.strip()) or (pdftext.compact(last.text) == key and page.number > 1) or above:
                lines.pop()
            else:
                break
        out.append(Page(page.number, page.width, page.height, tuple(lines)))
    return out


def _sized(word: Word, runs: dict[int, list[tuple[float, float]]]) -> Word:
    """The word with the size of the piece of text it begins in: of the pieces whose baseline
    lies within the word's height and that start at or before it, the one that starts last."""
    best: tuple[float, float] | None = None
    for y in range(math.floor(word.top), math.ceil(word.bottom) + 1):
        for x, size in runs.get(y, ()):
            if x <= word.left + 0.5 and (best is None or x >= best[0]):
                best = (x, size)
    return word if best is None else Word(word.text, word.left, word.top, word.right, word.bottom, best[1])


def median_size(lines: list[Line]) -> float:
    sizes = [line.size for line in lines if line.size]
    return statistics.median(sizes) if sizes else 0.0


# ---------------------------------------------------------------- font sizes from the content streams


def _times(m1: Matrix, m2: Matrix) -> Matrix:
    """``m1 × m2`` as PDF multiplies matrices (row vectors: m1 applies first)."""
    a, b, c, d, e, f = m1
    p, q, r, s, t, u = m2
    return (a * p + b * r, a * q + b * s, c * p + d * r, c * q + d * s, e * p + f * r + t, e * q + f * s + u)


def _matrix(operands: Any) -> Matrix:
    values = [float(x) for x in operands]
    return (values[0], values[1], values[2], values[3], values[4], values[5])


def _run_starts(path: Path) -> list[dict[int, list[tuple[float, float]]]]:
    """Per page: where each piece of text starts and its font size in points, keyed by its
    baseline (whole points from the top of the page): ``{y: [(x, size)...]}``."""
    import pikepdf

    pages = []
    with pikepdf.open(path) as pdf:
        for page in pdf.pages:
            box = [float(v) for v in page.get("/CropBox", page.MediaBox)]
            starts: list[tuple[float, float, float]] = []
            _read_stream(page, page.get("/Resources"), _IDENTITY, starts, 0)
            found: dict[int, list[tuple[float, float]]] = defaultdict(list)
            for x, y, size in starts:
                found[round(box[3] - y)].append((x - box[0], size))
            pages.append(dict(found))
    return pages


def _read_stream(content: Any, resources: Any, ctm: Matrix, out: list[tuple[float, float, float]], depth: int) -> None:
    """The text state of one content stream, as far as where text starts and at what size:
    ``q``/``Q``/``cm``, the text matrix (``Tm``, ``Td``, ``TD``, ``T*``, ``TL``), ``Tf``; a
    form XObject is read where it is drawn."""
    import pikepdf

    stack: list[Matrix] = []
    tm = tlm = _IDENTITY
    size = leading = rise = 0.0
    xobjects = resources.get("/XObject", {}) if resources is not None else {}
    for instruction in pikepdf.parse_content_stream(content):
        if not isinstance(instruction, pikepdf.ContentStreamInstruction):
            continue  # an inline image
        operands, name = instruction.operands, str(instruction.operator)
        if name == "q":
            stack.append(ctm)
        elif name == "Q" and stack:
            ctm = stack.pop()
        elif name == "cm":
            ctm = _times(_matrix(operands), ctm)
        elif name == "BT":
            tm = tlm = _IDENTITY
        elif name == "Tm":
            tm = tlm = _matrix(operands)
        elif name in ("Td", "TD"):
            tx, ty = float(operands[0]), float(operands[1])
            leading = -ty if name == "TD" else leading
            tm = tlm = _times((1, 0, 0, 1, tx, ty), tlm)
        elif name == "TL":
            leading = float(operands[0])
        elif name == "Ts":
            rise = float(operands[0])
        elif name == "Tf":
            size = float(operands[1])
        elif name in ("T*", "'", '"'):
            tm = tlm = _times((1, 0, 0, 1, 0, -leading), tlm)
        if name in ("Tj", "TJ", "'", '"'):
            a, b, c, d, e, f = _times((size, 0, 0, size, 0, rise), _times(tm, ctm))
            out.append((e, f, math.sqrt(abs(a * d - b * c))))
        elif name == "Do" and depth < 8:
            xobject = xobjects.get(str(operands[0]))
            if xobject is not None and xobject.get("/Subtype") == "/Form":
                matrix = _matrix(xobject.get("/Matrix", _IDENTITY))
                _read_stream(xobject, xobject.get("/Resources", resources), _times(matrix, ctm), out, depth + 1)
