"""The page furniture: the running head (the document's or book's title, small) in the header,
the page number (a PAGE field) centred in the footer, none of them on the first page
(``w:titlePg``); and a book's chapters each in a section of its own that starts a page, so
that a chapter's opening page has none either.

A section's properties (``w:sectPr``) close it: the body's last one closes the last section,
the others sit in the last paragraph of theirs. The first section names the header and
footer parts; the sections after it inherit them (ECMA-376 17.10.5: a section without a
header reference takes the previous section's), and each has a first page of its own.
"""

from __future__ import annotations

import copy

from docx.oxml.ns import qn
from lxml import etree

from publish.writers.docx.blocks import paragraph
from publish.writers.docx.inlines import run
from publish.writers.docx.state import RunStyle, State

#: The style of the empty paragraph that closes a chapter's section where the chapter does
#: not end with a paragraph (a table, the table of contents).
SECTION_BREAK = "Section Break"
_REFERENCES = (qn("w:headerReference"), qn("w:footerReference"))


def running(s: State, title: str) -> None:
    """The header (``title``) and the footer (the page number) of every page but the first.
    A reference document's own header and footer stay as they are."""
    section = s.document.sections[-1]
    own = not (section.header.is_linked_to_previous and section.footer.is_linked_to_previous)
    if own and not s.styles.house:
        return
    section.different_first_page_header_footer = True
    style = RunStyle(lang=s.model.meta.lang)
    for part, content in ((section.header, "title"), (section.footer, "page")):
        part.is_linked_to_previous = False
        element = _emptied(part._element)
        p = paragraph(s, element, "Header" if content == "title" else "Footer")
        if content == "title":
            run(s, p, title, style)
        else:
            _page_field(p)
    for part, name in ((section.first_page_header, "Header"), (section.first_page_footer, "Footer")):
        part.is_linked_to_previous = False
        paragraph(s, _emptied(part._element), name)


def _emptied(element: etree._Element) -> etree._Element:
    for child in list(element):
        element.remove(child)
    return element


def _page_field(p: etree._Element) -> None:
    """A PAGE field, its result the first page's number until Word or LibreOffice lays it out."""
    for kind, text in (("begin", None), ("instr", " PAGE "), ("separate", None), ("result", "1"), ("end", None)):
        r = etree.SubElement(p, qn("w:r"))
        if kind == "instr":
            instr = etree.SubElement(r, qn("w:instrText"))
            instr.text = text
            instr.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        elif kind == "result":
            etree.SubElement(r, qn("w:t")).text = text
        else:
            etree.SubElement(r, qn("w:fldChar"), {qn("w:fldCharType"): kind})


def chapter_sections(s: State) -> None:
    """Each paragraph that starts a page (``w:pageBreakBefore``: a book's chapter) starts a
    section instead: the section before it ends there, with the same page and its own first
    page. Page numbers run on across the sections."""
    body = s.document.element.body
    last = body.find(qn("w:sectPr"))
    if last is None:
        return
    starts = [p for p in body.findall(qn("w:p")) if p.find(f"{qn('w:pPr')}/{qn('w:pageBreakBefore')}") is not None]
    closing: list[etree._Element] = []
    for p in starts:
        brk = p.find(f"{qn('w:pPr')}/{qn('w:pageBreakBefore')}")
        before = p.getprevious()
        if before is None:
            continue  # the first thing of the document: it starts the first page already
        brk.getparent().remove(brk)
        if before.tag != qn("w:p") or before.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None:
            before = paragraph(s, body, SECTION_BREAK, rtl=s.rtl)
            p.addprevious(before)
        closing.append(before)
    for index, p in enumerate(closing):
        sect = copy.deepcopy(last)
        if index:  # the first section names the header and footer; the others inherit them
            _chapter(sect)
        ppr = p.find(qn("w:pPr"))
        if ppr is None:
            ppr = etree.Element(qn("w:pPr"))
            p.insert(0, ppr)
        ppr.append(sect)  # after w:rPr, the last but one of CT_PPr
    if closing:
        _chapter(last)


def _chapter(sect: etree._Element) -> None:
    """A chapter's section: it starts a page (a reference document's section may be
    continuous), its page numbers run on, its header and footer are the first section's."""
    for child in [child for child in sect if child.tag in (*_REFERENCES, qn("w:type"))]:
        sect.remove(child)
    for numbers in sect.findall(qn("w:pgNumType")):
        if qn("w:start") in numbers.attrib:
            del numbers.attrib[qn("w:start")]
