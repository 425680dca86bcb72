"""pandoc's simple, multiline and grid tables, read as pandoc 3 reads them: the block rule's
extent (:func:`extent`), the cells' layout (:func:`layout`: alignments from the header's
position over the dashes or the colons of a grid's separator, relative widths from the dash
runs, a grid's row and column spans and header rows) and the tokens that carry them to
:mod:`publish.tokens` (:func:`push`), which makes the model's table (:func:`build`).

Every step is linear in the table's size: a grid is cut into the slots between its corners
and each slot looks once at its right and bottom walls."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from markdown_it.rules_block import StateBlock
from markdown_it.token import Token

from publish import model as m

GRID_BORDER = re.compile(r"^\+(?:[-=:]+\+)+\s*$")
DASH_RUNS = re.compile(r"^\s*-{2,}(?:\s+-{2,})+\s*$")
FULL_DASHES = re.compile(r"^\s*-{3,}\s*$")
MAX_MULTILINE_ROWS = 2000
#: A first line that starts another block before a table can (pandoc reads headings, fences,
#: divs and HTML first) or a pipe table's.
_OTHER_BLOCK = re.compile(r"^\s*(?:#{1,6}(?:\s|$)|```|~~~|:::|<|\|)")
_RUN = re.compile(r"-+ *")
#: What a one-line cell may start with that Markdown reads as a block (a list, a heading, a
#: quote, a fence, a rule, HTML, a definition, a table, a div, math): else it is one paragraph.
_BLOCKY = re.compile(r"^(?:[-+*>#|:<=~`_$\[]|\d{1,9}[.)](?:\s|$)|\s)")


@dataclass
class RawCell:
    text: str
    line: int  # the line of the table where the cell's text starts
    colspan: int = 1
    rowspan: int = 1


@dataclass
class Layout:
    kind: str
    head: list[list[RawCell]] = field(default_factory=list)
    body: list[list[RawCell]] = field(default_factory=list)
    aligns: list[str] = field(default_factory=list)
    widths: list[float] = field(default_factory=list)
    foot: int = 0  # rows of a grid's foot, set as the last body rows


# ------------------------------------------------------------------ the block's extent
def extent(text: Callable[[int], str], start: int, end: int, env: Any, src: str = "") -> tuple[str, int] | None:
    """The kind of table starting at line ``start`` of ``src`` and its last line, or None."""
    first = text(start)
    if GRID_BORDER.match(first):
        memo = env.get("publish.grid_failed") if isinstance(env, dict) else None
        failed = memo[1] if memo is not None and memo[0] is src else -1  # a cell's text is another source
        if start <= failed:
            return None  # a scan from an earlier line ended at the same place, not on a border
        n, last = start + 1, start
        while n < end and text(n).strip() and text(n).lstrip()[:1] in "+|":
            last = n
            n += 1
        if not GRID_BORDER.match(text(last)) or last == start:
            if isinstance(env, dict):
                env["publish.grid_failed"] = (src, last)
            return None
        return "grid", last
    if (
        start + 2 < end
        and DASH_RUNS.match(text(start + 1))
        and first.strip()
        and not _OTHER_BLOCK.match(first)
        and text(start + 2).strip()
        and not DASH_RUNS.match(text(start + 2))
    ):  # a header, its dashes, at least one row
        n = last = start + 2
        while n < end and text(n).strip():
            last = n
            n += 1
            if DASH_RUNS.match(text(last)):
                break  # the closing dashes
        return "simple", last
    if DASH_RUNS.match(first) and start + 2 < end and text(start + 1).strip():
        # headless: rows, closing dashes; a blank line between rows makes it multiline
        n = start + 1
        limit = min(end, n + MAX_MULTILINE_ROWS)
        blank = False
        while n < limit and not DASH_RUNS.match(text(n)):
            blank = blank or not text(n).strip()
            if blank and not text(n).strip() and n + 1 < limit and not text(n + 1).strip():
                return None  # two blank lines end it
            n += 1
        if n >= limit or not text(n - 1).strip():
            return None
        return ("multiline" if blank else "simple"), n
    if FULL_DASHES.match(first) and start + 2 < end and text(start + 1).strip():
        # multiline: a full-width dash line, header rows, a dash-run line, rows, a dash line
        n = start + 1
        while n < end and text(n).strip() and not DASH_RUNS.match(text(n)):
            n += 1
        if n >= end or not DASH_RUNS.match(text(n)):
            return None
        n += 1
        limit = min(end, n + MAX_MULTILINE_ROWS)
        while n < limit and not FULL_DASHES.match(text(n)):
            n += 1
        if n >= limit:
            return None
        return "multiline", n
    return None


# ------------------------------------------------------------------ the layout
def layout(kind: str, lines: list[str]) -> Layout | None:
    """The cells of a table of ``kind`` (its source ``lines``); None when they do not line up.
    Columns are counted as a terminal shows them, as pandoc counts them: a wide (East Asian)
    character takes two."""
    lines = [_widen(line) for line in lines]
    found = _grid(lines) if kind == "grid" else _dashed(kind, lines)
    for row in (*found.head, *found.body) if found else ():
        for cell in row:
            cell.text = cell.text.replace(_PAD, "")
    return found


_PAD = "\x00"  # after a wide character: the second column it takes


def _widen(line: str) -> str:
    if line.isascii():
        return line
    return "".join(ch + _PAD if unicodedata.east_asian_width(ch) in "WF" else ch for ch in line)


def _runs(line: str) -> list[tuple[int, int, int]]:
    """A dash line's columns: (start, dashes, dashes and the spaces after them)."""
    return [(r.start(), len(r.group().rstrip(" ")), len(r.group())) for r in _RUN.finditer(line)]


def _split(line: str, starts: list[int]) -> list[str]:
    ends = [*starts[1:], max(len(line), starts[-1])]
    return [line[a:b] for a, b in zip(starts, ends, strict=True)]


def _align(texts: list[str], dashes: int) -> str:
    """pandoc's alignType: where the header (its longest line) sits over the dashes."""
    filled = [t.rstrip() for t in texts if t.strip()]
    if not filled:
        return "default"
    longest = max(filled, key=len)
    left, right = longest.startswith(" "), len(longest) < dashes
    return {(True, False): "right", (False, True): "left", (True, True): "center"}.get((left, right), "default")


def _dashed(kind: str, lines: list[str]) -> Layout | None:
    if DASH_RUNS.match(lines[0]) and DASH_RUNS.match(lines[-1]) and len(lines) > 2:
        dash, head, body, first_body = 0, [], lines[1:-1], 1  # headless
    else:
        dash = next((i for i, line in enumerate(lines) if i and DASH_RUNS.match(line)), -1)
        if dash < 0:
            return None
        head = lines[1 if kind == "multiline" else 0 : dash]
        body, first_body = lines[dash + 1 :], dash + 1
        if body and (DASH_RUNS.match(body[-1]) or FULL_DASHES.match(body[-1])):
            body = body[:-1]
    runs = _runs(lines[dash])
    starts = [r[0] for r in runs]
    out = Layout(kind)
    # rows: a simple table's lines, a multiline table's blocks of lines between blank lines
    groups: list[list[tuple[int, str]]] = []
    for n, line in enumerate(body, start=first_body):
        if not line.strip():
            groups.append([])
        elif kind == "simple" or not groups:
            groups.append([(n, line)])
        else:
            groups[-1].append((n, line))
    rows = [g for g in groups if g]
    for group in rows:
        pieces = [_split(line, starts) for _, line in group]
        out.body.append(
            [RawCell("\n".join(p[k].strip() for p in pieces if p[k].strip()), group[0][0]) for k in range(len(starts))]
        )
    if head:
        pieces = [_split(line, starts) for line in head]
        cells = [
            RawCell("\n".join(p[k].strip() for p in pieces if p[k].strip()), 1 if kind == "multiline" else 0)
            for k in range(len(starts))
        ]
        if any(c.text for c in cells):
            out.head.append(cells)
        columns = [[p[k] for p in pieces] for k in range(len(starts))]
    else:
        firsts = [_split(rows[0][0][1], starts)] if rows else []
        columns = [[p[k] for p in firsts] for k in range(len(starts))]
    out.aligns = [_align(texts, r[1]) for texts, r in zip(columns, runs, strict=True)]
    if kind == "multiline":
        lengths = [r[2] for r in runs[:-1]] + [runs[-1][1] + 1]
        total = sum(lengths)
        out.widths = [n / total for n in lengths]
    return out


def _frame(lines: list[str], width: int) -> tuple[bytearray, list[int]]:
    """The table's rules: every ``+``, ``-``, ``=``, ``:`` and ``|`` joined to the top-left
    corner (a rule runs on along ``-=:`` from a ``+``, down along ``|``), as a mark per
    character, and the corners among them. A grid table inside a cell is not joined to the
    cell's rules: its text is the cell's."""
    marks = bytearray(len(lines) * width)
    corners: list[int] = []
    stack = [0]
    while stack:
        at = stack.pop()
        if marks[at]:
            continue
        marks[at] = 1
        i, c = divmod(at, width)
        ch = lines[i][c]
        if ch == "+":
            corners.append(at)
        if ch in "+-=:":
            for cc in (c - 1, c + 1):
                if 0 <= cc < width and lines[i][cc] in "+-=:":
                    stack.append(i * width + cc)
        if ch in "+|":
            for ii in (i - 1, i + 1):
                if 0 <= ii < len(lines) and lines[ii][c] in "+|":
                    stack.append(ii * width + c)
    return marks, corners


def _grid(lines: list[str]) -> Layout | None:
    lines = [line.rstrip() for line in lines]
    width = len(lines[0])
    if any(len(line) != width for line in lines) or lines[0][:1] != "+":
        return None
    marks, corners = _frame(lines, width)
    seps = sorted({at // width for at in corners})
    cols = sorted({at % width for at in corners})
    if seps[0] != 0 or seps[-1] != len(lines) - 1 or cols[0] != 0 or cols[-1] != width - 1:
        return None
    nr, nc = len(seps) - 1, len(cols) - 1
    parent = list(range(nr * nc))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def ruled(i: int, c0: int, c1: int) -> bool | None:
        """Whether line ``i`` is a rule from column ``c0`` to ``c1`` (None: in part)."""
        found = sum(marks[i * width + c0 : i * width + c1])
        return True if found == c1 - c0 else False if found == 0 else None

    for r in range(nr):
        if seps[r] + 1 == seps[r + 1]:
            return None
        for k in range(nc):
            if k + 1 < nc:
                wall = sum(marks[i * width + cols[k + 1]] for i in range(seps[r] + 1, seps[r + 1]))
                if not wall:
                    parent[find(r * nc + k + 1)] = find(r * nc + k)
                elif wall != seps[r + 1] - seps[r] - 1:
                    return None
            if r + 1 < nr:
                below = ruled(seps[r + 1], cols[k] + 1, cols[k + 1])
                if below is None:
                    return None
                if not below:
                    parent[find((r + 1) * nc + k)] = find(r * nc + k)
    boxes: dict[int, list[int]] = {}
    for slot in range(nr * nc):
        r, k = divmod(slot, nc)
        box = boxes.setdefault(find(slot), [r, k, r, k, 0])
        box[0], box[1] = min(box[0], r), min(box[1], k)
        box[2], box[3] = max(box[2], r), max(box[3], k)
        box[4] += 1
    rows: list[list[RawCell]] = [[] for _ in range(nr)]
    for r0, k0, r1, k1, count in sorted(boxes.values()):
        if count != (r1 - r0 + 1) * (k1 - k0 + 1):
            return None
        text = _dedent([line[cols[k0] + 1 : cols[k1 + 1]] for line in lines[seps[r0] + 1 : seps[r1 + 1]]])
        rows[r0].append(RawCell(text, seps[r0] + 1, k1 - k0 + 1, r1 - r0 + 1))
    # as pandoc: the first "=" line ends the header (the bottom border: every row is one); with
    # a "=" bottom border, the rows after the last "=" line above it are the foot
    equals = [r for r in range(1, nr) if _equals(lines[seps[r]], marks[seps[r] * width : (seps[r] + 1) * width])]
    bottom = "=" in lines[-1]
    out = Layout("grid")
    head = equals[0] if equals else nr if bottom else 0
    out.foot = nr - equals[-1] if equals and bottom else 0
    if any(box[0] < head <= box[2] for box in boxes.values()):
        return None  # a cell across the header's separator
    out.head, out.body = rows[:head], rows[head:]
    rule = lines[seps[head]] if head else lines[0]
    for k in range(nc):
        segment = rule[cols[k] + 1 : cols[k + 1]]
        left, right = segment.startswith(":"), segment.endswith(":")
        out.aligns.append(
            {(True, False): "left", (False, True): "right", (True, True): "center"}.get((left, right), "default")
        )
    total = cols[-1] - cols[0]
    out.widths = [(cols[k + 1] - cols[k]) / total for k in range(nc)]
    return out


def _equals(line: str, marks: bytearray) -> bool:
    """Whether a separator line is a ``+===+`` line (its rule, not a cell's text beside it)."""
    return any(ch == "=" and mark for ch, mark in zip(line, marks, strict=True))


def _dedent(lines: list[str]) -> str:
    lines = [line.rstrip() for line in lines]
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    indent = min((len(line) - len(line.lstrip()) for line in lines if line), default=0)
    return "\n".join(line[indent:] for line in lines)


# ------------------------------------------------------------------ tokens and the model
def push(state: StateBlock, kind: str, start: int, last: int) -> None:
    """The table's tokens: ``pandoc_table`` > ``pandoc_row`` > ``pandoc_cell`` holding an
    ``inline`` token (simple and multiline tables) or the blocks of the cell's Markdown (grid
    tables); a preformatted ``pandoc_table`` token when the cells do not line up."""
    indent = state.blkIndent
    lines = [
        state.src[state.bMarks[n] + min(indent, state.tShift[n]) : state.eMarks[n]] for n in range(start, last + 1)
    ]
    found = layout(kind, lines)
    if found is None:
        token = state.push("pandoc_table", "pre", 0)
        token.map = [start, last + 1]
        token.info = kind
        token.content = "\n".join(lines)
        return
    token = state.push("pandoc_table_open", "table", 1)
    token.map = [start, last + 1]
    token.meta = {"aligns": found.aligns, "widths": found.widths, "head": len(found.head), "foot": found.foot}
    for n, row in enumerate([*found.head, *found.body]):
        state.push("pandoc_row_open", "tr", 1).meta = {"head": n < len(found.head)}
        for cell in row:
            opened = state.push("pandoc_cell_open", "td", 1)
            opened.meta = {"colspan": cell.colspan, "rowspan": cell.rowspan}
            opened.map = [start + cell.line, start + cell.line + 1]
            if kind == "grid" and ("\n" in cell.text or _BLOCKY.match(cell.text)):
                inner: list[Token] = []
                state.md.block.parse(cell.text, state.md, state.env, inner)
                for t in inner:
                    t.map = [
                        start + cell.line + (t.map[0] if t.map else 0),
                        start + cell.line + (t.map[1] if t.map else 1),
                    ]
                state.tokens.extend(inner)
            elif cell.text:
                inline = state.push("inline", "", 0)
                inline.content = cell.text
                inline.map = opened.map
                inline.children = []
            state.push("pandoc_cell_close", "td", -1)
        state.push("pandoc_row_close", "tr", -1)
    state.push("pandoc_table_close", "table", -1)


def build(
    token: Token,
    inner: Sequence[Token],
    inlines: Callable[[Token], tuple[m.Inline, ...]],
    blocks: Callable[[Sequence[Token]], tuple[m.Block, ...]],
    warn: Callable[[str], None],
) -> m.Table:
    """The model's table of a ``pandoc_table_open`` token and the tokens inside it."""
    rows: list[tuple[m.Cell, ...]] = []
    row: list[m.Cell] = []
    i = 0
    while i < len(inner):
        tok = inner[i]
        if tok.type == "pandoc_row_close":
            rows.append(tuple(row))
            row = []
        elif tok.type == "pandoc_cell_open":
            j = i + 1
            depth = 1
            while depth:
                depth += inner[j].nesting
                j += 1
            content = inner[i + 1 : j - 1]
            cs, rs = int(tok.meta["colspan"]), int(tok.meta["rowspan"])
            if len(content) == 1 and content[0].type == "inline":
                row.append(m.Cell(inlines(content[0]), cs, rs))
            else:
                cell_blocks = blocks(content)
                if len(cell_blocks) == 1 and isinstance(cell_blocks[0], m.Paragraph):
                    row.append(m.Cell(cell_blocks[0].content, cs, rs))
                else:
                    row.append(m.Cell((), cs, rs, cell_blocks))
            i = j
            continue
        i += 1
    head = int(token.meta["head"])
    if token.meta["foot"]:
        warn("the grid table's foot is set as its last rows (the model has no table foot)")
    return m.Table(
        rows[0] if head else (),
        tuple(rows[head:]),
        tuple(m.Align(a) for a in token.meta["aligns"]),
        more_header=tuple(rows[1:head]),
        widths=tuple(token.meta["widths"]),
    )
