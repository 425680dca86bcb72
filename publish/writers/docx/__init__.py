"""DOCX edition with python-docx, at the XML level where python-docx has no API.

Word styles carry the structure (Title, Subtitle, Heading 1–6, Normal, Quote, List Bullet
n / List Number n / List Continue n, Caption, Source Code, Figure, Footnote Text); the
title block is the theme's ``base/titleblock.html`` mapped onto Word styles; footnotes are
real Word footnotes in a footnotes part; links are ``w:hyperlink``; every run carries
``w:lang`` and East Asian runs an East Asian font. Right-to-left text is marked as Word marks
it (:mod:`.direction`): paragraphs ``w:bidi``, runs ``w:rtl``, tables ``w:bidiVisual``, and
for a right-to-left document the defaults and the section too.

Without a reference document the styles take the house look (:mod:`.house`): Noto Serif on
the house's type scale, an A4 page with a 120 mm text block, a running head and page numbers
(:mod:`.furniture`), tables ruled as a book's (:mod:`.tables`), a table of contents numbered
from LibreOffice's layout of the finished file (:mod:`.pages`), and faces Word knows for CJK
text (:mod:`.faces`).

Split by concern as pandoc's ``Writers/Docx``: :mod:`.styles` (reference document, styles,
page), :mod:`.blocks`, :mod:`.inlines`, :mod:`.notes`, :mod:`.properties`, :mod:`.direction`; what they share
while a document is written is a :class:`.state.State`.
"""

from __future__ import annotations

from pathlib import Path

import docx
from docx.oxml.ns import qn
from lxml import etree

from publish import files, mathtex, pagedata
from publish import model as m
from publish.options import Options
from publish.writers import common
from publish.writers.docx import blocks, direction, faces, furniture, notes, pages, properties, styles
from publish.writers.docx.state import State


def start(doc: m.Document, options: Options) -> State:
    """The reference document (or python-docx's default, given our page) with our styles."""
    media = common.Media(doc, options)
    reference = styles.reference(doc, options)
    document = styles.load(doc, reference)
    data = pagedata.context(doc, options)  # the templates' data: title block, TOC
    if reference is None:
        styles.page_size(document, options.paper)
        styles.house_package(document)
    text_width, text_height = styles.text_area(document)
    doc_styles = styles.Styles(document, house=reference is None)
    doc_styles.ensure(doc.meta.lang)
    s = State(doc, options, media, document, doc_styles, data, text_width, text_height)
    s.note = notes.Footnotes(s).note
    return s


def build(doc: m.Document, options: Options) -> docx.document.Document:
    """The DOCX of ``doc``."""
    doc = mathtex.split_display(doc)  # display math in a paragraph of its own, as pandoc writes it
    s = start(doc, options)
    body = s.document.element.body
    sect = body.find(qn("w:sectPr"))
    for child in list(body):
        if child is not sect:
            body.remove(child)
    holder = etree.Element(qn("w:body"))
    blocks.title_block(s, holder)
    blocks.toc(s, holder)
    blocks.write_blocks(s, holder, doc.blocks, s.part)
    direction.order_properties(holder)
    for child in list(holder):
        if sect is not None:
            sect.addprevious(child)
        else:
            body.append(child)
    if s.rtl and sect is not None:
        direction.rtl_section(sect)
    furniture.running(s, doc.meta.title)
    furniture.chapter_sections(s)
    properties.core_properties(s.document, doc.meta, options.now)
    faces.font_table(s.document)
    pages.number(s.document, enabled=options.toc_pages)  # last: it lays the finished document out
    return s.document


def write(doc: m.Document, options: Options, dest: Path) -> Path:
    document = build(doc, options)
    with files.atomic_path(dest) as tmp:
        document.save(str(tmp))
        files.normalize_zip(tmp, options.now)
    return dest
