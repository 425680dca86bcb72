"""The Markdown an importer writes: our dialect, escaped in one place (:func:`text`).

Inline content is built as Markdown strings by the helpers here (:func:`text` for a
manuscript's words, :func:`wrap` for emphasis and the other phrase marks, :func:`link`,
:func:`code`); blocks are the small tree of :class:`Block` nodes that :func:`render` writes
(lists indented under their markers, quotes prefixed, grid tables where cells span).
Nothing else writes Markdown syntax, so a ``*``, ``_``, ``[`` or a leading ``#``/``1.`` in a
manuscript's prose stays text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from publish import fancylists

#: Characters that mean something somewhere in our dialect: always escaped in text. Quotes
#: too (smart quotes would curl a manuscript's straight ones), and ``&`` (entities).
_ALWAYS = set("\\`*_[]<>$^~@\"'{}|&")
#: At the start of a line: block markers.
_LEAD = re.compile(r"^(\s*)([#>+=:%!-]|\d+[.)](?=\s|$)|[A-Za-z]{1,4}[.)](?=\s|$)|\((?=\w{1,4}\)))")


def text(s: str) -> str:
    """A manuscript's words as Markdown text: every special character escaped, the dashes and
    ellipses the typographer would make (``--``, ``...``) kept as typed."""
    out: list[str] = []
    for i, c in enumerate(s):
        nxt = s[i + 1] if i + 1 < len(s) else ""
        if c in _ALWAYS or (c in "-." and nxt == c) or (c == "(" and s[i + 1 : i + 4].lower() in ("c)", "r)", "tm)")):
            out.append("\\" + c)
        elif c == "\n":
            out.append("\\\n")
        elif c == "+" and nxt == "-":
            out.append("\\+")
        else:
            out.append(c)
    return "".join(out)


def line_starts(md: str) -> str:
    """``md`` with every line's start made safe: a leading ``#``, ``>``, ``-``, ``1.``, ``a)``,
    ``(i)`` (text that would open a block) escaped, leading spaces dropped."""
    lines = md.split("\n")
    for n, line in enumerate(lines):
        line = line.lstrip(" \t")
        found = _LEAD.match(line)
        if found:
            lead = found.group(2)
            # a marker's first character escaped; 1. a) iv. : the delimiter
            marker = lead[0] in "#>+=:%!-("
            line = "\\" + line if marker else lead[:-1] + "\\" + lead[-1] + line[len(lead) :]
        lines[n] = line
    return "\n".join(lines)


#: Phrase marks: (opening, closing). ``span:`` marks take the attributes after the colon.
MARKS = {
    "strong": ("**", "**"),
    "em": ("*", "*"),
    "sup": ("^", "^"),
    "sub": ("~", "~"),
    "strike": ("~~", "~~"),
}


def wrap(mark: str, inner: str) -> str:
    """``inner`` (Markdown) marked: ``strong``, ``em``, ``sup``, ``sub``, ``strike``, or a span
    ``.smallcaps`` / ``lang=fr`` (``[inner]{…}``). Spaces at either end are left outside."""
    stripped = inner.strip(" ")
    if not stripped or stripped in ("\\\n",):
        return inner
    before = inner[: len(inner) - len(inner.lstrip(" "))]
    after = inner[len(inner.rstrip(" ")) :]
    if mark in MARKS:
        opening, closing = MARKS[mark]
        if mark in ("sup", "sub"):  # pandoc's: no unescaped space inside
            stripped = stripped.replace(" ", "\\ ")
        return f"{before}{opening}{stripped}{closing}{after}"
    return f"{before}[{stripped}]{{{mark}}}{after}"


def code(s: str) -> str:
    """An inline code span, its fence longer than any run of backticks inside."""
    s = s.replace("\n", " ")
    longest = max((len(r) for r in re.findall(r"`+", s)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if s.startswith("`") or s.endswith("`") else ""
    return f"{fence}{pad}{s}{pad}{fence}"


def url(target: str) -> str:
    return f"<{target}>" if re.search(r"[\s()<>]", target) else target


def link(inner: str, target: str) -> str:
    return f"[{inner}]({url(target)})" if inner.strip() else ""


def image(alt: str, src: str, title: str = "") -> str:
    shown = f' "{title.replace(chr(34), chr(39))}"' if title else ""
    return f"![{alt}]({url(src)}{shown})"


def note_ref(label: str) -> str:
    return f"[^{label}]"


def math(tex: str, display: bool) -> str:
    tex = " ".join(tex.split())
    return f"$${tex}$$" if display else f"${tex}$"


# ------------------------------------------------------------------------------- blocks


@dataclass
class Block:
    """A block to write: ``kind`` heading, para, quote, bullet, ordered, code, figure, table,
    rule, deflist, div, math, note."""

    kind: str
    text: str = ""  # the inline Markdown (a paragraph's, a heading's, a caption, code)
    level: int = 0  # a heading's level, an ordered list's start
    attrs: str = ""  # ``#id .class key=value`` (a heading's id, a div's classes)
    children: list[Block] = field(default_factory=list)  # a quote's or div's blocks
    items: list[list[Block]] = field(default_factory=list)  # list items
    definitions: list[list[list[Block]]] = field(default_factory=list)  # a term's definitions
    style: str = "decimal"
    delim: str = "period"
    rows: list[list[Cell]] = field(default_factory=list)
    head: int = 0  # a table's header rows
    aligns: list[str] = field(default_factory=list)  # a table's columns: left, center, right or ""

    def add(self, block: Block) -> None:
        self.children.append(block)


@dataclass
class Cell:
    blocks: list[Block]
    colspan: int = 1
    rowspan: int = 1


def render(blocks: list[Block]) -> str:
    """The Markdown of ``blocks``, separated by blank lines."""
    parts = [_block(b) for b in blocks]
    out: list[str] = []
    for index, (block, part) in enumerate(zip(blocks, parts, strict=True)):
        if not part.strip():
            continue
        if out and index and blocks[index - 1].kind == block.kind and block.kind in ("bullet", "ordered", "quote"):
            out.append("<!-- -->")  # two lists (or quotes) in a row stay two
        out.append(part)
    return "\n\n".join(out)


def _indent(md: str, first: str, rest: str) -> str:
    lines = md.split("\n")
    return "\n".join((first if i == 0 else (rest if line else "")) + line for i, line in enumerate(lines))


def _block(b: Block) -> str:
    if b.kind == "heading":
        attrs = f" {{{b.attrs}}}" if b.attrs else ""
        return f"{'#' * b.level} {line_starts(b.text).replace(chr(10), ' ')}{attrs}"
    if b.kind == "para":
        return line_starts(b.text)
    if b.kind == "math":
        return b.text
    if b.kind == "quote":
        inner = render(b.children)
        return "\n".join(f"> {line}" if line else ">" for line in inner.split("\n"))
    if b.kind in ("bullet", "ordered"):
        items = []
        for number, item in enumerate(b.items, b.level or 1):
            marker = "-" if b.kind == "bullet" else fancylists.label(b.style, b.delim, number)
            gap = "  " if b.kind == "ordered" and b.style.startswith("upper") and b.delim == "period" else " "
            lead = marker + gap
            inner = render(item) or "\u200b"
            items.append(_indent(inner, lead, " " * len(lead)))
        return "\n\n".join(items)
    if b.kind == "code":
        longest = max((len(r) for r in re.findall(r"^`+", b.text, re.M)), default=0)
        fence = "`" * max(3, longest + 1)
        return f"{fence}\n{b.text}\n{fence}"
    if b.kind == "figure":
        return b.text + (f"{{{b.attrs}}}" if b.attrs else "")
    if b.kind == "rule":
        return "* * *"
    if b.kind == "deflist":
        entries = []
        for term, definitions in zip(b.children, b.definitions, strict=True):
            body = [_indent(render(d) or "\u200b", ":   ", "    ") for d in definitions]
            entries.append("\n\n".join([line_starts(term.text).replace("\n", " "), *body]))
        return "\n\n".join(entries)
    if b.kind == "div":
        fence = ":" * (3 + _depth(b))
        return f"{fence} {{{b.attrs}}}\n{render(b.children)}\n{fence}"
    if b.kind == "table":
        return table(b)
    if b.kind == "note":
        return _indent(render(b.children) or "\u200b", f"[^{b.text}]: ", "    ")
    raise ValueError(b.kind)


def _depth(b: Block) -> int:
    """How many divs ``b`` holds inside (an outer fence is longer than the inner ones)."""
    return max((1 + _depth(c) for c in b.children if c.kind == "div"), default=0)


# ------------------------------------------------------------------------------- tables


def width(s: str) -> int:
    """Columns ``s`` takes, as pandoc counts them: a wide East Asian character two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def _caption(b: Block) -> str:
    return f"\n\n: {b.text.replace(chr(10), ' ')}" + (f" {{{b.attrs}}}" if b.attrs else "") if b.text else ""


def table(b: Block) -> str:
    """A pipe table where one will do (one header row, a paragraph at most in each cell, no
    spans: it keeps its natural width, as a manuscript's table has), else a grid table; the
    caption after it (``: caption``)."""
    cells = [c for row in b.rows for c in row]
    simple = b.head == 1 and len(b.rows) > 1 and len({sum(c.colspan for c in row) for row in b.rows}) == 1
    simple = simple and all(
        c.colspan == c.rowspan == 1
        and len(c.blocks) <= 1
        and all(x.kind == "para" and "\n" not in x.text for x in c.blocks)
        for c in cells
    )
    return pipe_table(b) + _caption(b) if simple else grid_table(b) + _caption(b)


def pipe_table(b: Block) -> str:
    def line(row: list[Cell]) -> str:
        return "| " + " | ".join(c.blocks[0].text if c.blocks else "" for c in row) + " |"

    rule = {"left": ":--", "right": "--:", "center": ":-:"}
    columns = len(b.rows[0])
    aligns = [*b.aligns, *[""] * columns][:columns]
    return "\n".join(
        [line(b.rows[0]), "|" + "|".join(rule.get(a, "---") for a in aligns) + "|", *map(line, b.rows[1:])]
    )


def grid_table(b: Block) -> str:
    """A grid table (pandoc's): cells spanning rows and columns, several header rows, blocks
    in cells."""
    rows = b.rows
    columns = max((sum(c.colspan for c in r) for r in rows), default=0)
    # place the cells on the grid: (row, col) → cell, taking rowspans into account
    taken: dict[tuple[int, int], bool] = {}
    placed: list[tuple[int, int, Cell, list[str]]] = []
    for r, row in enumerate(rows):
        col = 0
        for cell in row:
            while taken.get((r, col)):
                col += 1
            span_rows = max(1, min(cell.rowspan, len(rows) - r))
            cell.rowspan = span_rows
            for dr in range(span_rows):
                for dc in range(cell.colspan):
                    taken[(r + dr, col + dc)] = True
            lines = (render(cell.blocks) or "").split("\n")
            placed.append((r, col, cell, lines))
            col += cell.colspan
        columns = max(columns, col)
    if not placed or not columns:
        return ""
    widths = [3] * columns
    heights = [1] * len(rows)
    for _, col, cell, lines in placed:  # single-column cells first decide the widths
        if cell.colspan == 1:
            widths[col] = max(widths[col], max(width(x) for x in lines))
    for r, col, cell, lines in placed:
        need = max(width(x) for x in lines)
        have = sum(widths[col : col + cell.colspan]) + 3 * (cell.colspan - 1)
        if need > have:
            widths[col + cell.colspan - 1] += need - have
        if cell.rowspan == 1:
            heights[r] = max(heights[r], len(lines))
    for r, _, cell, lines in placed:
        have = sum(heights[r : r + cell.rowspan]) + cell.rowspan - 1
        if len(lines) > have:
            heights[r + cell.rowspan - 1] += len(lines) - have
    xs = [0]
    for w in widths:
        xs.append(xs[-1] + w + 3)
    ys = [0]
    for h in heights:
        ys.append(ys[-1] + h + 1)
    canvas = [[" "] * (xs[-1] + 1) for _ in range(ys[-1] + 1)]
    for r, col, cell, lines in placed:
        x0, x1 = xs[col], xs[col + cell.colspan]
        y0, y1 = ys[r], ys[r + cell.rowspan]
        for y in (y0, y1):
            rule = "=" if b.head and y == ys[b.head] else "-"
            for x in range(x0 + 1, x1):
                if canvas[y][x] != "+":  # another cell's corner stays
                    canvas[y][x] = rule
        for x in (x0, x1):
            for y in range(y0 + 1, y1):
                if canvas[y][x] != "+":
                    canvas[y][x] = "|"
            canvas[y0][x] = canvas[y1][x] = "+"
        for n, line in enumerate(lines):
            row_chars = canvas[y0 + 1 + n]
            at = x0 + 2
            for c in line:
                row_chars[at] = c
                at += 1
                if width(c) == 2:
                    row_chars[at] = ""
                    at += 1
    marks = canvas[ys[b.head] if b.head else 0]  # the alignments: colons on the header's line
    for column, align in enumerate(b.aligns[:columns]):
        left, right = xs[column] + 1, xs[column + 1] - 1
        if align in ("left", "center") and marks[left] in "-=":
            marks[left] = ":"
        if align in ("right", "center") and marks[right] in "-=":
            marks[right] = ":"
    return "\n".join("".join(row).rstrip() for row in canvas)
