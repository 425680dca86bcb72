"""Runs: the inline content of a paragraph as ``w:r`` with their properties (every run carries
``w:lang``, East Asian runs an East Asian font), hyperlinks, inline pictures, highlighted code."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.part import Part
from docx.oxml.ns import qn
from docx.shared import Pt
from lxml import etree

from publish import fonts, highlight
from publish import model as m
from publish.langs import word_lang
from publish.writers.docx.pictures import picture
from publish.writers.docx.state import RunStyle, State
from publish.writers.docx.styles import set_lang


def run(s: State, parent: etree._Element, text: str, style: RunStyle) -> etree._Element:
    r = etree.SubElement(parent, qn("w:r"))
    rPr = etree.SubElement(r, qn("w:rPr"))
    if style.code:
        etree.SubElement(rPr, qn("w:rStyle"), {qn("w:val"): s.styles.id("Verbatim Char")})
    elif style.link:
        etree.SubElement(rPr, qn("w:rStyle"), {qn("w:val"): s.styles.id("Hyperlink")})
    value, font = word_lang(style.lang)
    faces = {}
    if style.code or style.mono:  # monospace wins: Chinese in code takes the CJK monospace face
        faces[qn("w:eastAsia")] = fonts.east_asian(style.lang, code=True)
    elif font:
        faces = {qn("w:eastAsia"): font, qn("w:hint"): "eastAsia"}
    complex_face = fonts.complex_face(text)
    if complex_face:
        faces[qn("w:cs")] = complex_face
    if faces:
        etree.SubElement(rPr, qn("w:rFonts"), faces)
    if style.bold:
        etree.SubElement(rPr, qn("w:b"))
    if style.italic:
        etree.SubElement(rPr, qn("w:i"))
    if style.color:
        etree.SubElement(rPr, qn("w:color"), {qn("w:val"): style.color.upper()})
    if style.vert:
        etree.SubElement(rPr, qn("w:vertAlign"), {qn("w:val"): style.vert})
    set_lang(rPr, {"w:eastAsia": value} if font else {"w:val": value})
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if i:
            etree.SubElement(r, qn("w:br"))
        t = etree.SubElement(r, qn("w:t"))
        t.text = line
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return r


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
                write_inlines(s, parent, c, replace(style, lang=attr.lang or style.lang), part)
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


def code_runs(s: State, p: etree._Element, code: str, language: str | None, style: RunStyle) -> None:
    """A code block's text as runs coloured by the highlighter."""
    for token in highlight.tokens(code, language):
        color = token.color.lstrip("#") if token.color else None
        run(s, p, token.text, replace(style, color=color, bold=token.bold, italic=token.italic, mono=True))


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
        lang = child.get("lang")
        if lang:
            inner = replace(inner, lang=lang)
        if tag == "br":
            yield "", style, True
        else:
            yield from html_runs(child, inner)
        if child.tail:
            yield " ".join(child.tail.split("\n")), style, False
