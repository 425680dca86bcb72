"""Tables as the house sets them: at their natural width (each column as wide as its longest
line, shared out as a browser's automatic table layout does when they do not fit), centred,
ruled only at the top (1 pt), under the header row (0.5 pt) and at the bottom (1 pt), cells
padded 0.25 em by 0.6 em, figures tabular and lining (the "Table Text" style).

The rules are the "Table" style's (pandoc's name for the style of a table) and, since
LibreOffice applies a table style's conditional formatting unevenly, the table's own too;
a reference document's "Table" (or "Table Grid") style is used as it is, with nothing of ours.
Column widths are measured with the text face's own advance widths (fontTools), so Word and
LibreOffice, which lay a table out from its grid, start from the same natural widths.
"""

from __future__ import annotations

import contextlib
import functools
import unicodedata
from collections.abc import Sequence

from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from lxml import etree

from publish import fonts, glyphs, tablegrid
from publish import model as m
from publish import text as txt
from publish.writers.docx import house
from publish.writers.docx.styles import Styles

STYLE = "Table"
TOP = BOTTOM = 8  # eighths of a point: 1 pt
HEAD = 4  # 0.5 pt
#: Cell padding in twips: 0.25 em above and below, 0.6 em at the sides.
PAD_V = round(0.25 * house.BODY * 20)
PAD_H = round(0.6 * house.BODY * 20)


def _rule(side: str, size: int) -> str:
    return f'<w:{side} w:val="single" w:sz="{size}" w:space="0" w:color="{house.TEXT}"/>'


def _none(*sides: str) -> str:
    return "".join(f'<w:{side} w:val="nil"/>' for side in sides)


#: CT_TblBorders: top, left, bottom, right, insideH, insideV.
_BORDERS = (
    f"<w:tblBorders {nsdecls('w')}>{_rule('top', TOP)}{_none('left')}{_rule('bottom', BOTTOM)}"
    f"{_none('right', 'insideH', 'insideV')}</w:tblBorders>"
)
_MARGINS = (
    f'<w:tblCellMar {nsdecls("w")}><w:top w:w="{PAD_V}" w:type="dxa"/><w:left w:w="{PAD_H}" w:type="dxa"/>'
    f'<w:bottom w:w="{PAD_V}" w:type="dxa"/><w:right w:w="{PAD_H}" w:type="dxa"/></w:tblCellMar>'
)


def style(styles: Styles) -> tuple[str | None, bool]:
    """(the table style's id, whether it is ours): a reference document's "Table", else its
    "Table Grid"; with none of them, or without a reference document, the house's "Table"."""
    names = (STYLE,) if styles.house else (STYLE, "Table Grid")
    for name in names:
        with contextlib.suppress(KeyError):
            found = styles[name]
            if found.type == WD_STYLE_TYPE.TABLE and name not in styles.created:
                return str(found.style_id), False
    created = styles.style(STYLE, WD_STYLE_TYPE.TABLE)
    if STYLE in styles.created and created.element.find(qn("w:tblPr")) is None:
        element = created.element
        with contextlib.suppress(KeyError):
            element.append(parse_xml(f'<w:basedOn {nsdecls("w")} w:val="{styles["Normal Table"].style_id}"/>'))
        element.append(parse_xml(f'<w:tblPr {nsdecls("w")}><w:jc w:val="center"/>{_BORDERS}{_MARGINS}</w:tblPr>'))
        element.append(
            parse_xml(
                f'<w:tblStylePr {nsdecls("w")} w:type="firstRow"><w:rPr><w:b/><w:bCs/></w:rPr>'
                f"<w:tcPr><w:tcBorders>{_rule('bottom', HEAD)}</w:tcBorders></w:tcPr></w:tblStylePr>"
            )
        )
    return str(created.style_id), True


def properties(tblPr: etree._Element, ours: bool, head_rows: int = 1) -> None:
    """The table's own width, alignment, rules and padding (after its style and direction):
    natural width and centred; with our style, its rules and padding as well. The style's
    header row formatting (``firstRow``) only for a table of one header row: a headerless
    table has none, and a table of several has its rule under the last (:func:`head_cell`),
    which the style would draw under the first."""
    etree.SubElement(tblPr, qn("w:tblW"), {qn("w:w"): "0", qn("w:type"): "auto"})
    etree.SubElement(tblPr, qn("w:jc"), {qn("w:val"): "center"})
    if ours:
        tblPr.append(parse_xml(_BORDERS))
    etree.SubElement(tblPr, qn("w:tblLayout"), {qn("w:type"): "autofit"})
    if ours:
        tblPr.append(parse_xml(_MARGINS))
    first = head_rows == 1
    etree.SubElement(
        tblPr, qn("w:tblLook"), {qn("w:val"): "04A0" if first else "0480", qn("w:firstRow"): str(int(first))}
    )


def head_cell(tcPr: etree._Element) -> None:
    """The rule under the header row, on a cell of it (after its ``w:tcW``)."""
    tcPr.append(parse_xml(f"<w:tcBorders {nsdecls('w')}>{_rule('bottom', HEAD)}</w:tcBorders>"))


def keep_with_next(tr: etree._Element) -> None:
    """A row kept on the page of the next (a cell spanning down into it must not break
    across pages: its text would be read page by page): every paragraph keeps with the
    next, and the row does not split."""
    trPr = tr.find(qn("w:trPr"))
    if trPr is None:
        trPr = etree.Element(qn("w:trPr"))
        tr.insert(0, trPr)
    trPr.insert(0, etree.Element(qn("w:cantSplit")))
    for p in tr.iter(qn("w:p")):
        pPr = p.find(qn("w:pPr"))
        if pPr is None:
            pPr = etree.Element(qn("w:pPr"))
            p.insert(0, pPr)
        style = pPr.find(qn("w:pStyle"))
        pPr.insert(0 if style is None else 1, etree.Element(qn("w:keepNext")))


# ---------------------------------------------------------------- natural widths


def widths(
    table: m.Table,
    grid: Sequence[Sequence[tuple[m.Cell, bool] | None]],
    columns: int,
    available: int,
    size: float = house.BODY,
) -> list[int]:
    """Each column's width in twips: its longest line (the header's in bold) and padding when
    they all fit in ``available``; else each its longest word, and what is left shared out in
    proportion to how much more each would take (CSS 2.1's automatic table layout). A cell
    spanning columns widens them, in equal parts, where they are too narrow for it together;
    a table's relative widths (a multiline or grid table's) share out the natural width."""
    longest = [0.0] * columns
    words = [0.0] * columns
    spans: list[tuple[int, int, float, float]] = []  # (first column, columns, line, word)
    head = len(table.header_rows)
    pad = 2 * PAD_H + 20  # the padding, and a point for rounding and the rules
    for index, slots in enumerate(grid):
        for col, found in enumerate(slots[:columns]):
            if found is None or not found[1]:
                continue
            text = txt.plain(found[0].content) if not found[0].blocks else tablegrid.cell_text(found[0])
            line = max((measure(t, size, bold=index < head) for t in text.split("\n")), default=0.0)
            word = max((measure(t, size, bold=index < head) for t in text.split()), default=0.0)
            if found[0].colspan > 1:
                spans.append((col, min(found[0].colspan, columns - col), line + pad, word + pad))
                continue
            longest[col], words[col] = max(longest[col], line), max(words[col], word)
    most = [w + pad for w in longest]
    least = [w + pad for w in words]
    _widen(most, [(first, span, min(line, available)) for first, span, line, _ in spans])
    _widen(least, [(first, span, word) for first, span, _, word in spans])
    if sum(most) <= available:
        chosen = most
    elif sum(least) >= available:
        chosen = [w * available / sum(least) for w in least]
    else:
        spare = available - sum(least)
        extra = sum(b - a for a, b in zip(least, most, strict=True)) or 1
        chosen = [a + (b - a) * spare / extra for a, b in zip(least, most, strict=True)]
    if len(table.widths) == columns:
        chosen = _shared(chosen, least, table.widths)
        _widen(chosen, [(first, span, min(line, available)) for first, span, line, _ in spans])
        if sum(chosen) > available:
            chosen = [w * available / sum(chosen) for w in chosen]
    return [max(round(w), 2 * PAD_H + 200) for w in chosen]


def _widen(widths: list[float], spans: Sequence[tuple[int, int, float]]) -> None:
    """Each (first column, columns, width) at least that wide together: what they lack shared
    out equally among them."""
    for first, span, need in spans:
        short = need - sum(widths[first : first + span])
        for k in range(first, first + span) if short > 0 else ():
            widths[k] += short / span


def _shared(natural: list[float], least: list[float], shares: Sequence[float]) -> list[float]:
    """The natural width shared out in the source's proportions, each column at least as wide
    as its longest word (what it takes from the others, in proportion to what they have over
    theirs)."""
    total = sum(natural)
    wanted = [max(share * total, low) for share, low in zip(shares, least, strict=True)]
    over = sum(wanted) - total
    spare = sum(w - low for w, low in zip(wanted, least, strict=True))
    if over <= 0 or spare <= 0:
        return wanted
    return [w - (w - low) * min(1.0, over / spare) for w, low in zip(wanted, least, strict=True)]


def measure(text: str, size: float, bold: bool = False) -> float:
    """The width of ``text`` in twips at ``size`` points: the advance widths of the text face,
    or of the script's face (:func:`publish.fonts.complex_face`) for what the text face lacks;
    a wide (East Asian) character one em, any other character no face has 0.6 em."""
    advances, per_em = _metrics(house.TEXT_FACE, bold)
    total = 0.0
    for char in text:
        if unicodedata.east_asian_width(char) in ("W", "F"):
            total += 1.0
        elif unicodedata.category(char) in ("Mn", "Me", "Cf"):
            continue
        elif ord(char) in advances:
            total += advances[ord(char)] / per_em
        else:
            family = fonts.complex_face(char)
            other, other_em = _metrics(family, bold) if family else ({}, 1000)
            total += other[ord(char)] / other_em if ord(char) in other else 0.6
    return total * size * 20


@functools.lru_cache(maxsize=16)
def _metrics(family: str, bold: bool) -> tuple[dict[int, int], int]:
    """(code point → advance width, units per em) of a face; empty when it is missing."""
    face = glyphs.face(family, ("Bold",) if bold else ())
    if face is None:
        return {}, 1000
    from fontTools.ttLib import TTFont  # type: ignore[import-untyped]  # only where a document has a table

    try:
        with TTFont(str(face.file), fontNumber=face.index, lazy=True) as font:
            metrics = font["hmtx"].metrics
            cmap = font.getBestCmap() or {}
            return {point: metrics[name][0] for point, name in cmap.items() if name in metrics}, font["head"].unitsPerEm
    except Exception:  # a damaged or unreadable font file: estimate instead
        return {}, 1000


def grid(tbl: etree._Element, columns: Sequence[int]) -> None:
    grid_el = etree.SubElement(tbl, qn("w:tblGrid"))
    for width in columns:
        etree.SubElement(grid_el, qn("w:gridCol"), {qn("w:w"): str(width)})
