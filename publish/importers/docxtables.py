"""A Word table's cells: spans from ``w:gridSpan`` (columns) and ``w:vMerge`` (rows: the cell
that restarts the merge, then the cells that continue it below, which are no cells of their
own), header rows (``w:tblHeader`` at its top), and each column's alignment (its cells'
``w:jc``, read in the table's direction)."""

from __future__ import annotations

from collections.abc import Callable

from lxml import etree

from publish.importers.docxmd import Block, Cell
from publish.importers.docxruns import W, integer
from publish.readback.docxtables import Grid, merged_rows

#: ``w:jc`` → a column's alignment (``start``/``end``: Word 2010's names, left to right).
ALIGNS = {"left": "left", "start": "left", "right": "right", "end": "right", "center": "center"}


def _val(el: etree._Element | None, name: str) -> str | None:
    found = el.find(W + name) if el is not None else None
    return str(found.get(W + "val", "")) if found is not None else None


def cells(
    tbl: etree._Element, read: Callable[[etree._Element], list[Block]]
) -> tuple[list[list[Cell]], int, list[str]]:
    """The rows of cells, how many of them are header rows, and the columns' alignments
    (``left``, ``center``, ``right`` or empty) from the first row below the header."""
    grid: Grid = []
    rows = tbl.findall(W + "tr")
    for tr in rows:
        column, found = 0, []
        for tc in tr.iter(W + "tc"):
            parent = tc.getparent()
            if parent is not tr and (parent is None or parent.tag != W + "sdtContent"):
                continue  # a cell of a table inside this one
            pr = tc.find(W + "tcPr")
            span = max(1, integer(_val(pr, "gridSpan"), 1))
            merge_el = pr.find(W + "vMerge") if pr is not None else None
            merge = None if merge_el is None else str(merge_el.get(W + "val", "continue"))
            found.append((tc, column, span, merge))
            column += span
        grid.append(found)
    out: list[list[Cell]] = []
    head = 0
    for r, (tr, row) in enumerate(zip(rows, grid, strict=True)):
        if tr.find(f"{W}trPr/{W}tblHeader") is not None and head == r:
            head += 1
        cells_here: list[Cell] = []
        for tc, column, span, merge in row:
            if merge is not None and merge != "restart":
                continue
            rowspan = merged_rows(grid, r, column) if merge == "restart" else 1
            cells_here.append(Cell(read(tc), span, rowspan))
        out.append(cells_here)
    return out, head, _aligns(tbl, grid, head)


def _aligns(tbl: etree._Element, grid: Grid, head: int) -> list[str]:
    columns = max((c + s for row in grid for _, c, s, _ in row), default=0)
    aligns = [""] * columns
    swap = tbl.find(f"{W}tblPr/{W}bidiVisual") is not None  # right to left: left is the end
    sample = grid[head] if head < len(grid) else (grid[0] if grid else [])
    for tc, column, span, _ in sample:
        jc = tc.find(f"{W}p/{W}pPr/{W}jc")
        align = ALIGNS.get(str(jc.get(W + "val"))) if jc is not None and span == 1 else None
        if align and swap and align != "center":
            align = "right" if align == "left" else "left"
        aligns[column] = align or ""
    return aligns
