"""The ``source (words)`` check's view of tables (:mod:`publish.check.source`).

A simple or pipe table's source gives its cells row by row, as the model does: its words
are compared in order. A multiline or grid table's source gives a row's cells LINE by
line, side by side (the first line of every cell, then the second...; a cell spanning
rows runs on beside the rows below), where the model has them cell by cell: the words of
such lines (a line starting with ``|`` or ``+``, or between two dash lines — the check's
own rule, sharing nothing with the reader) are looked for in the model, not in order."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from publish import model as m
from publish import tablegrid

#: A caption's ``Table:`` (or ``table:``) prefix is not a word of the caption.
CAPTION_PREFIX = r"^[ \t]*[Tt]able:"
_DASHES = re.compile(r"^\s*-{3,}\s*$|^\s*-{2,}(?:\s+-{2,})+\s*$")  # a full dash line or dash runs
_RUNS = re.compile(r"^\s*-{2,}(?:\s+-{2,})+\s*$")
_BORDER = re.compile(r"^\s*\+[-=:]")
_GRID = re.compile(r"^\s*[+|]")
_CELL_FENCE = re.compile(r"\|[ \t]*(?:`{3,}|~{3,})[ \t]*\{?\.?([\w+#-]+)")
MAX_REGION = 2000


def ordered(lines: list[Any], body: str, offset: int, model: list[str], problems: list[str]) -> list[Any]:
    """The source's lines (:class:`publish.check.source.Line`) compared in order: all but
    those of a possible multiline or grid table, whose words are only looked for in the
    ``model``'s words (what is not there is added to ``problems``): such a table gives a
    row's cells line by line, side by side, where the model has them one by one. Such lines
    are a grid's (from a border line ``+---``, the lines starting with ``+`` or ``|``) and
    those from a dash line to the next when dash runs (``---  ---``) stand among them."""
    text = body.split("\n")
    framed: set[int] = set()
    grid = False
    runs = [0]  # dash-run lines before each line
    for line in text:
        runs.append(runs[-1] + bool(_RUNS.match(line)))
    opened = -1
    for n, line in enumerate(text):
        grid = bool(_BORDER.match(line)) or (grid and bool(_GRID.match(line)))
        if grid:
            framed.add(n + offset + 1)
        if _DASHES.match(line):
            if opened >= 0 and n - opened < MAX_REGION and runs[n + 1] > runs[opened]:
                framed.update(range(opened + offset + 1, n + offset + 2))
            opened = n
    # a code fence's language in a grid's cell (``| ``` yaml |``) is not a word, as in a fence's line
    cells = [text[n - offset - 1] for n in framed if 0 <= n - offset - 1 < len(text)]
    fences = [found.group(1) for line in cells for found in _CELL_FENCE.finditer(line)]
    problems += absent([line for line in lines if line.number in framed], [*model, *fences])
    return [line for line in lines if line.number not in framed]


def absent(lines: list[Any], model: list[str]) -> list[str]:
    """``file:line: ...`` for the words of ``lines`` that are nowhere in ``model`` (the model's
    words)."""
    known = {"".join(ch for ch in word if ch.isalnum()) for word in model}
    problems = []
    for line in lines:
        lost = [w for w in line.words if "".join(ch for ch in w if ch.isalnum()) not in known]
        if lost:
            problems.append(f"{line.path}:{line.number}: not in the model: {' '.join(lost[:12])!r}")
    return problems


def texts(
    table: m.Table,
    inline_text: Callable[[tuple[m.Inline, ...]], str],
    block_texts: Callable[[m.Block], Iterator[str]],
) -> Iterator[str]:
    def cell_text(cell: m.Cell) -> str:
        return " ".join(t for b in cell.blocks for t in block_texts(b)) if cell.blocks else inline_text(cell.content)

    for row in tablegrid.all_rows(table):
        for cell in row:
            yield cell_text(cell)
