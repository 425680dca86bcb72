"""A DOCX table read back: one (role, text) per cell, in reading order — ``head-cell`` in a
repeating header row (``w:tblHeader``), else ``row-cell``, with the cell's span when it
covers several columns (``w:gridSpan``) or rows (``w:vMerge``: the cell that restarts the
merge, then the cells that continue it below, which are no cells of their own)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from docx.oxml.ns import qn
from lxml import etree

from publish import text as txt
from publish.outline import cell_kind


def _val(tcPr: etree._Element | None, name: str) -> str | None:
    found = tcPr.find(qn(name)) if tcPr is not None else None
    if found is None:
        return None
    return str(found.get(qn("w:val"), ""))


#: A table's rows of cells: each cell with the grid column it starts at, its span and its
#: ``w:vMerge`` (None: not merged; ``restart``: a merge starts; anything else: continues one).
Grid = list[list[tuple[etree._Element, int, int, str | None]]]


def merged_rows(grid: Grid, row: int, column: int) -> int:
    """How many rows the cell that starts a vertical merge at ``row``, ``column`` spans."""
    span = 1
    for below in grid[row + 1 :]:
        if not any(c == column and m is not None and m != "restart" for _, c, _, m in below):
            break
        span += 1
    return span


def cells(tbl: etree._Element, paragraph_text: Callable[[etree._Element], str]) -> Iterator[tuple[str, str]]:
    rows = tbl.findall(qn("w:tr"))
    #: per row, the cells with the grid column they start at, their span and merge
    grid: Grid = []
    for tr in rows:
        column, found = 0, []
        for tc in tr.findall(qn("w:tc")):
            tcPr = tc.find(qn("w:tcPr"))
            span = int(_val(tcPr, "w:gridSpan") or 1)
            found.append((tc, column, span, _val(tcPr, "w:vMerge")))
            column += span
        grid.append(found)
    for r, (tr, row) in enumerate(zip(rows, grid, strict=True)):
        kind = "head" if tr.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None else "row"
        for tc, column, span, merge in row:
            if merge is not None and merge != "restart":
                continue  # a merged cell's continuation
            rowspan = merged_rows(grid, r, column) if merge == "restart" else 1
            text = txt.squash(" ".join(paragraph_text(p) for p in tc.iter(qn("w:p"))))
            spans = "" if span == rowspan == 1 else f"colspan={span} rowspan={rowspan}"
            yield f"{kind}-{cell_kind(spans)}", text
