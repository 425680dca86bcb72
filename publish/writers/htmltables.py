"""Tables in HTML (the web page, the EPUB and the PDF's print page): every header row in
``<thead>``, cells spanning rows and columns, cells holding blocks, and the relative column
widths of a multiline or grid table in a ``<colgroup>``."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from publish import model as m
from publish import tablegrid


class Writer(Protocol):
    def inlines(self, nodes: Iterable[m.Inline]) -> str: ...

    def blocks(self, nodes: Iterable[m.Block]) -> str: ...


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
        return "<tr>" + "".join(cell(tag, c, k) for c, k in zip(rows[n], columns[n], strict=True)) + "</tr>"

    out = ["<table>"]
    if table.caption:
        out.append(f"<caption>{writer.inlines(table.caption)}</caption>")
    if table.widths:
        cols = "".join(f'<col style="width: {w * 100:.1f}%" />' for w in table.widths)
        out.append(f"<colgroup>{cols}</colgroup>")
    if head:
        out.append("<thead>\n" + "\n".join(row("th", n) for n in range(len(head))) + "\n</thead>")
    out.append("<tbody>")
    out.extend(row("td", n) for n in range(len(head), len(rows)))
    out.append("</tbody>\n</table>")
    return "\n".join(out)
