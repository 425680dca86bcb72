"""Numbered captions as pandoc's ``+native_numbering`` writes them: ``Figure `` then a
``SEQ Figure \\* ARABIC`` field whose result is the number, inside a bookmark named after
the figure's (or table's) id, which the cross-references' ``w:hyperlink w:anchor`` reach,
then ``: `` and the caption. The label and the number are runs of their own (a style may
set them bold). A book's numbers ("2.1") are written as text: a SEQ field counts through
the whole document and would lose the chapter when Word updates it."""

from __future__ import annotations

from docx.opc.part import Part
from docx.oxml.ns import qn
from lxml import etree

from publish import crossref
from publish import model as m
from publish.writers.docx.inlines import bookmark_start, run, write_inlines
from publish.writers.docx.state import RunStyle, State

_SEQ = {"figure": "Figure", "table": "Table"}


def write(
    s: State,
    p: etree._Element,
    kind: str,
    node: m.Figure | m.Table,
    caption: tuple[m.Inline, ...],
    style: RunStyle,
    part: Part,
) -> None:
    """The caption of ``node`` into the paragraph ``p``: its label, then its text."""
    if node.number:
        lang = s.model.meta.lang
        run(s, p, crossref.caption_label(kind, "", lang), style)  # "Figure ", the number follows
        bid = bookmark_start(s, p, node.attr.id) if node.attr.id and part is s.part else None
        if "." in node.number:
            run(s, p, node.number, style)
        else:
            field = etree.SubElement(p, qn("w:fldSimple"), {qn("w:instr"): f" SEQ {_SEQ[kind]} \\* ARABIC "})
            run(s, field, node.number, style)
        if bid is not None:
            etree.SubElement(p, qn("w:bookmarkEnd"), {qn("w:id"): bid})
        if caption:
            run(s, p, crossref.caption_separator(lang), style)
    write_inlines(s, p, caption, style, part)
