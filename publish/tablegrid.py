"""A table's grid: where each cell starts when cells span rows and columns (a row lists
only the cells that start in it), the cells in reading order and a cell's text — shared by
the writers, the outline, the read-backs and the checks."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

from publish import model as m
from publish import text as txt
from publish import walk


def starts(rows: Sequence[Sequence[m.Cell]]) -> list[list[int]]:
    """The column each cell of ``rows`` starts in: the first one free of the cells spanning
    down from the rows above."""
    taken: dict[tuple[int, int], bool] = {}
    out: list[list[int]] = []
    for r, row in enumerate(rows):
        column = 0
        found: list[int] = []
        for cell in row:
            while taken.get((r, column)):
                column += 1
            found.append(column)
            for dr in range(min(max(1, cell.rowspan), len(rows) - r)):  # no further than the last row
                for dc in range(max(1, cell.colspan)):
                    taken[(r + dr, column + dc)] = True
            column += max(1, cell.colspan)
        out.append(found)
    return out


def count(value: str | None) -> int:
    """An HTML ``colspan`` or ``rowspan``: 1 when absent or not a number, at most 1000."""
    value = (value or "1").strip()
    return max(1, min(int(value), 1000)) if value.isdigit() else 1


#: The most grid slots a raw HTML table's spans may make (``colspan=1000 rowspan=1000``).
MAX_SLOTS = 100_000


def area(rows: Sequence[Sequence[m.Cell]]) -> int:
    """How many grid slots the cells of ``rows`` cover (a span no further than the last row)."""
    return sum(c.colspan * min(c.rowspan, len(rows) - n) for n, row in enumerate(rows) for c in row)


def all_rows(table: m.Table) -> tuple[tuple[m.Cell, ...], ...]:
    """The header rows, then the body rows."""
    return (*table.header_rows, *table.rows)


def cells(table: m.Table) -> Iterator[m.Cell]:
    """Every cell in reading order: the header rows', then the body's."""
    for row in all_rows(table):
        yield from row


def cell_text(cell: m.Cell, math: Callable[[m.Math], str] | None = None) -> str:
    """A cell's text (squashed): its inlines, or the text of its blocks joined by spaces; a
    formula's text is ``math(formula)`` (its TeX without)."""
    if not cell.blocks:
        return txt.squash(txt.plain(cell.content, math=math))
    return txt.squash(" ".join(_texts(cell.blocks, math)))


def _texts(blocks: Sequence[m.Block], math: Callable[[m.Math], str] | None) -> Iterator[str]:
    for block in blocks:
        if isinstance(block, (m.Paragraph, m.Heading)):
            yield txt.plain(block.content, math=math)
        elif isinstance(block, m.CodeBlock):
            yield block.text
        elif isinstance(block, (m.BulletList, m.OrderedList)):
            for item in block.items:
                yield from _texts(item.blocks, math)
        elif isinstance(block, m.Figure):
            yield txt.plain(block.caption, math=math)
        elif isinstance(block, m.Table):  # a grid table in a grid table's cell
            yield txt.plain(block.caption, math=math)
            yield from (cell_text(c, math) for c in cells(block))
        elif isinstance(block, m.Div):
            yield txt.plain(block.title, math=math)
            yield from _texts(block.blocks, math)
        elif isinstance(block, m.DefinitionList):
            for entry in block.items:
                yield txt.plain(entry.term, math=math)
                for definition in entry.definitions:
                    yield from _texts(definition, math)
        else:
            yield from _texts([c for c in walk.children(block) if isinstance(c, m.Block)], math)


def span(cell: m.Cell) -> str:
    """How the outline writes a cell's span: empty for one row and one column."""
    if cell.colspan == 1 and cell.rowspan == 1:
        return ""
    return f"colspan={cell.colspan} rowspan={cell.rowspan}"


def slots(rows: Sequence[Sequence[m.Cell]]) -> list[list[tuple[m.Cell, bool] | None]]:
    """The grid, row by row, one entry per column where a cell starts or continues down
    (``(cell, True)`` where it starts, ``(cell, False)`` in the rows below it spans, at its
    first column); None where a cell spanning columns covers the slot, or no cell is."""
    places = starts(rows)
    width = max(
        (k + max(1, c.colspan) for row, ks in zip(rows, places, strict=True) for c, k in zip(row, ks, strict=True)),
        default=0,
    )
    grid: list[list[tuple[m.Cell, bool] | None]] = [[None] * width for _ in rows]
    for r, (row, ks) in enumerate(zip(rows, places, strict=True)):
        for cell, k in zip(row, ks, strict=True):
            for dr in range(max(1, cell.rowspan)):
                if r + dr < len(rows):
                    grid[r + dr][k] = (cell, dr == 0)
    return grid
