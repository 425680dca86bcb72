"""A table found in a PDF, written in our dialect: a pipe table when it can be one (one header
row, no merged cells), else a grid table, which carries several header rows, no header, and
cells spanning rows and columns (:mod:`publish.pandoctables` reads it back)."""

from __future__ import annotations

import unicodedata

from publish.importers.pdfmd import Block, Cell, inlines


def _width(text: str) -> int:
    """Columns a text takes (a wide character two, as :mod:`publish.pandoctables` counts)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _caption(block: Block) -> str:
    text = inlines(block.runs)
    ident = f" {{#{block.ident}}}" if block.ident else ""
    return f"\n\n: {text}{ident}" if text else ""


def table(block: Block) -> str:
    rows = [[(inlines(cell.runs), cell) for cell in row] for row in block.rows]
    if not rows:
        return ""
    spans = any(cell.colspan > 1 or cell.rowspan > 1 for row in block.rows for cell in row)
    widths = {len(row) for row in rows}
    if block.head == 1 and not spans and len(widths) == 1:
        return _pipe(rows) + _caption(block)
    return _grid(block, rows) + _caption(block)


def _pipe(rows: list[list[tuple[str, Cell]]]) -> str:
    def line(cells: list[str]) -> str:
        return "| " + " | ".join(c if c else " " for c in cells) + " |"

    head, *body = rows
    out = [line([t for t, _ in head]), "|" + "|".join("---" for _ in head) + "|"]
    out += [line([t for t, _ in row]) for row in body]
    return "\n".join(out)


def _grid(block: Block, rows: list[list[tuple[str, Cell]]]) -> str:
    # Place each cell in the slots it covers, row by row, past the slots taken from above.
    taken: dict[tuple[int, int], int] = {}
    placed: list[tuple[int, int, int, int, str]] = []  # row, column, rowspan, colspan, text
    for r, row in enumerate(rows):
        c = 0
        for text, cell in row:
            while (r, c) in taken:
                c += 1
            rowspan = max(1, min(cell.rowspan, len(rows) - r))
            for dr in range(rowspan):
                for dc in range(cell.colspan):
                    taken[(r + dr, c + dc)] = len(placed)
            placed.append((r, c, rowspan, cell.colspan, text))
            c += cell.colspan
    ncols = max(c for _, c in taken) + 1
    nrows = len(rows)
    widths = [3] * ncols
    for _, c, _, cs, text in sorted(placed, key=lambda p: p[3]):
        need = _width(text) + 2
        have = sum(widths[c : c + cs]) + cs - 1
        if need > have:
            widths[c + cs - 1] += need - have
    xs = [0]
    for w in widths:
        xs.append(xs[-1] + w + 1)
    canvas = [[" "] * (xs[-1] + 1) for _ in range(2 * nrows + 1)]
    corners: list[tuple[int, int]] = []
    for r, c, rs, cs, text in placed:
        y0, y1, x0, x1 = 2 * r, 2 * (r + rs), xs[c], xs[c + cs]
        for y in (y0, y1):
            rule = "=" if block.head and y == 2 * block.head and 0 < block.head < nrows else "-"
            for x in range(x0, x1 + 1):
                canvas[y][x] = rule
        for y in range(y0, y1 + 1):
            canvas[y][x0] = canvas[y][x1] = "|"
        corners += [(y0, x0), (y0, x1), (y1, x0), (y1, x1)]
        cells = list(text)
        position = x0 + 2
        for ch in cells:  # a wide character takes two columns: the second is left out
            canvas[y0 + 1][position] = ch
            position += 1
            if _width(ch) == 2:
                canvas[y0 + 1][position] = ""
                position += 1
    for y, x in corners:
        canvas[y][x] = "+"
    return "\n".join("".join(line).rstrip() for line in canvas)
