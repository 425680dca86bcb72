"""Runs: the inline content of a paragraph as ``w:r`` with their properties (every run carries
``w:lang``, East Asian runs an East Asian font), hyperlinks, inline pictures, highlighted code."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path

from docx.image.image import Image as DocxImage
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.part import Part
from docx.oxml.ns import qn
from docx.oxml.shape import CT_Inline
from docx.shared import Emu, Pt
from lxml import etree

from publish import bidi, highlight
from publish import model as m
from publish.errors import PublishError
from publish.langs import is_rtl, word_bidi, word_lang
from publish.writers.docx.state import RunStyle, State
from publish.writers.docx.styles import set_lang


def run(s: State, parent: etree._Element, text: str, style: RunStyle) -> None:
    """``text`` as runs: one per stretch of one direction (:func:`publish.bidi.segments`),
    those of right-to-left text marked ``w:rtl``."""
    for segment, rtl in bidi.segments(text, style.rtl):
        _run(s, parent, segment, style, rtl)


def _run(s: State, parent: etree._Element, text: str, style: RunStyle, rtl: bool) -> None:
    r = etree.SubElement(parent, qn("w:r"))
    rPr = etree.SubElement(r, qn("w:rPr"))
    if style.code:
        etree.SubElement(rPr, qn("w:rStyle"), {qn("w:val"): s.styles.id("Verbatim Char")})
    elif style.link:
        etree.SubElement(rPr, qn("w:rStyle"), {qn("w:val"): s.styles.id("Hyperlink")})
    value, font = word_lang(style.lang)
    if font:
        etree.SubElement(rPr, qn("w:rFonts"), {qn("w:eastAsia"): font, qn("w:hint"): "eastAsia"})
    # Word sets a right-to-left run in its complex-script bold and italic (bCs, iCs).
    if style.bold:
        etree.SubElement(rPr, qn("w:b"))
        if rtl:
            etree.SubElement(rPr, qn("w:bCs"))
    if style.italic:
        etree.SubElement(rPr, qn("w:i"))
        if rtl:
            etree.SubElement(rPr, qn("w:iCs"))
    if style.color:
        etree.SubElement(rPr, qn("w:color"), {qn("w:val"): style.color.upper()})
    if style.vert:
        etree.SubElement(rPr, qn("w:vertAlign"), {qn("w:val"): style.vert})
    if rtl:
        etree.SubElement(rPr, qn("w:rtl"))
    if is_rtl(style.lang):
        set_lang(rPr, {"w:bidi": word_bidi(style.lang)})
    else:
        set_lang(rPr, {"w:eastAsia": value} if font else {"w:val": value})
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if i:
            etree.SubElement(r, qn("w:br"))
        t = etree.SubElement(r, qn("w:t"))
        t.text = line
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")


def write_inlines(s: State, parent: etree._Element, nodes: Iterable[m.Inline], style: RunStyle, part: Part) -> None:
    """Append ``nodes`` to ``parent``; ``part`` is the part they go into (the document or the
    footnotes), which holds their relationships."""
    for node in nodes:
        match node:
            case m.Text(text=t):
                run(s, parent, t, style)
            case m.Code(text=t):
                run(s, parent, t, replace(style, code=True))
            case m.Emphasis(content=c):
                write_inlines(s, parent, c, replace(style, italic=not style.italic), part)
            case m.Strong(content=c):
                write_inlines(s, parent, c, replace(style, bold=True), part)
            case m.Superscript(content=c):
                write_inlines(s, parent, c, replace(style, vert="superscript"), part)
            case m.Subscript(content=c):
                write_inlines(s, parent, c, replace(style, vert="subscript"), part)
            case m.Span(content=c, attr=attr):
                write_inlines(s, parent, c, style.within(attr.lang, attr.get("dir")), part)
            case m.LineBreak():
                r = etree.SubElement(parent, qn("w:r"))
                etree.SubElement(r, qn("w:br"))
            case m.Link(content=c, url=url):
                hyperlink(s, parent, url, c, style, part)
            case m.Image(src=src, alt=alt):
                r = etree.SubElement(parent, qn("w:r"))
                drawing = etree.SubElement(r, qn("w:drawing"))
                drawing.append(picture(s, part, src, alt, max_height=Pt(14)))
            case m.Note():
                s.note(parent, node, style)


def hyperlink(
    s: State, parent: etree._Element, url: str, content: Iterable[m.Inline], style: RunStyle, part: Part
) -> None:
    """A ``w:hyperlink``: to a bookmark for ``#id``, else through an external relationship."""
    link = etree.SubElement(parent, qn("w:hyperlink"))
    if url.startswith("#"):
        link.set(qn("w:anchor"), url[1:])
    else:
        link.set(qn("r:id"), part.relate_to(url, RT.HYPERLINK, is_external=True))
    write_inlines(s, link, content, replace(style, link=True), part)


def picture(s: State, part: Part, src: str, alt: str, max_height: int | None = None) -> CT_Inline:
    """An inline picture scaled down to fit the text area (never enlarged)."""
    path = s.media.path(src)
    try:
        image_part = s.part.package.get_or_add_image_part(str(path))
    except Exception as exc:  # python-docx raises its own UnrecognizedImageError
        raise PublishError(f"image {src!r} cannot go into a DOCX: {exc}", s.model.source) from None
    rid = part.relate_to(image_part, RT.IMAGE)
    image: DocxImage = image_part.image
    cx, cy = image.width, image.height
    limit = max_height if max_height is not None else int(s.text_height * 0.8)
    scale = min(1.0, s.text_width / cx, limit / cy)
    inline = CT_Inline.new_pic_inline(s.next_id(), rid, Path(src).name, Emu(int(cx * scale)), Emu(int(cy * scale)))
    inline.docPr.set("descr", alt)
    inline.docPr.set("title", alt)
    return inline


def code_runs(s: State, p: etree._Element, code: str, language: str | None, style: RunStyle) -> None:
    """A code block's text as runs coloured by the highlighter."""
    for token in highlight.tokens(code, language):
        color = token.color.lstrip("#") if token.color else None
        run(s, p, token.text, replace(style, color=color, bold=token.bold, italic=token.italic))


def html_runs(element: etree._Element, style: RunStyle) -> Iterator[tuple[str, RunStyle, bool]]:
    """(text, run style, is line break) for the inline content of a title-block element."""
    if element.text:
        yield " ".join(element.text.split("\n")), style, False
    for child in element:
        tag = child.tag if isinstance(child.tag, str) else ""
        inner = style
        if tag == "sup":
            inner = replace(style, vert="superscript")
        elif tag == "sub":
            inner = replace(style, vert="subscript")
        elif tag in ("em", "i"):
            inner = replace(style, italic=True)
        elif tag in ("strong", "b"):
            inner = replace(style, bold=True)
        if child.get("lang") or child.get("dir"):
            inner = inner.within(child.get("lang"), child.get("dir"))
        if tag == "br":
            yield "", style, True
        else:
            yield from html_runs(child, inner)
        if child.tail:
            yield " ".join(child.tail.split("\n")), style, False
