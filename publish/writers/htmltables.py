"""Tables in HTML (the web page, the EPUB and the PDF's print page): every header row in
``<thead>``, cells spanning rows and columns, cells holding blocks, and the relative column
widths of a multiline or grid table in a ``<colgroup>``."""

from __future__ import annotations

import html
from collections.abc import Iterable
from typing import Protocol

from publish import mathtex, tablegrid
from publish import model as m


class Writer(Protocol):
    def inlines(self, nodes: Iterable[m.Inline]) -> str: ...

    def blocks(self, nodes: Iterable[m.Block]) -> str: ...

    def caption(self, node: m.Figure | m.Table, caption: tuple[m.Inline, ...]) -> str: ...


def table(writer: Writer, table: m.Table) -> str:
    aligns = list(table.aligns)
    head = table.header_rows
    rows = tablegrid.all_rows(table)
    columns = tablegrid.starts(rows)

    def cell(tag: str, c: m.Cell, column: int) -> str:
        align = aligns[column] if column < len(aligns) else m.Align.DEFAULT
        attrs = []
        if c.colspan > 1:
            attrs.append(f' colspan="{c.colspan}"')
        if c.rowspan > 1:
            attrs.append(f' rowspan="{c.rowspan}"')
        if tag == "th":
            attrs.append(' scope="colgroup"' if c.colspan > 1 else ' scope="col"')
        if align is not m.Align.DEFAULT:
            attrs.append(f' style="text-align: {align.value}"')
        body = writer.blocks(c.blocks) if c.blocks else writer.inlines(c.content)
        return f"<{tag}{''.join(attrs)}>{body}</{tag}>"

    def row(tag: str, n: int) -> str:
        return "<tr>" + "\n".join(cell(tag, c, k) for c, k in zip(rows[n], columns[n], strict=True)) + "</tr>"

    share = min(100.0, 100 * _natural(rows, columns, len(table.widths)) / MEASURE_EM)
    style = f"width: {share:.0f}%" if table.widths else None
    ident = f' id="{html.escape(table.attr.id)}"' if table.attr.id else ""
    out = [f'<table{ident} style="{style}">' if style else f"<table{ident}>"]
    if table.caption or table.number:
        out.append(f"<caption>{writer.caption(table, table.caption)}</caption>")
    if table.widths:
        cols = "".join(f'<col style="width: {w * 100:.1f}%" />' for w in table.widths)
        out.append(f"<colgroup>{cols}</colgroup>")
    if head:
        out.append("<thead>\n" + "\n".join(row("th", n) for n in range(len(head))) + "\n</thead>")
    out.append("<tbody>")
    out.extend(row("td", n) for n in range(len(head), len(rows)))
    out.append("</tbody>\n</table>")
    return "\n".join(out)


#: A character's average advance in the text face, a cell's side padding and the text
#: block's measure (the house's 32 em), in em.
CHAR_EM = 0.5
PAD_EM = 1.2
MEASURE_EM = 32.0


def _natural(rows: tuple[tuple[m.Cell, ...], ...], columns: list[list[int]], width: int) -> float:
    """The table's natural width in em, estimated from its cells' texts (a cell spanning
    columns widens them where they are too narrow for it together): the relative widths of a
    multiline or grid table share it out, and the table is no wider than its text would make
    it (the house's natural width), as a share of the measure — percentages alone would
    stretch it across the text block."""
    longest = [0.0] * width
    spans: list[tuple[int, int, float]] = []
    for row, starts in zip(rows, columns, strict=True):
        for cell, k in zip(row, starts, strict=True):
            need = len(tablegrid.cell_text(cell, mathtex.text_of)) * CHAR_EM  # a formula's letters, not its TeX
            if k < width and cell.colspan > 1:
                spans.append((k, min(cell.colspan, width - k), need))
            elif k < width:
                longest[k] = max(longest[k], need)
    for k, span, need in spans:
        short = need - sum(longest[k : k + span]) - (span - 1) * PAD_EM
        for j in range(k, k + span) if short > 0 else ():
            longest[j] += short / span
    return sum(n + PAD_EM for n in longest)
