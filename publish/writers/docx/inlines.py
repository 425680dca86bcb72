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

from publish import bibliography, bidi, highlight, layout, walk
from publish import model as m
from publish.langs import is_rtl, word_bidi, word_lang
from publish.writers.docx import equations
from publish.writers.docx.faces import complex_pieces, east_asian, word_name
from publish.writers.docx.house import CODE_RATIO
from publish.writers.docx.pictures import picture
from publish.writers.docx.state import RunStyle, State
from publish.writers.docx.styles import set_lang


def run(s: State, parent: etree._Element, text: str, style: RunStyle) -> None:
    """``text`` as runs: one per stretch of one direction (:func:`publish.bidi.segments`),
    those of right-to-left text marked ``w:rtl``."""
    for segment, rtl in bidi.segments(text, style.rtl):
        for piece, complex_face in complex_pieces(segment):
            _run(s, parent, piece, style, rtl, complex_face)


def _run(s: State, parent: etree._Element, text: str, style: RunStyle, rtl: bool, complex_face: str | None) -> None:
    r = etree.SubElement(parent, qn("w:r"))
    rPr = etree.SubElement(r, qn("w:rPr"))
    if style.code:
        etree.SubElement(rPr, qn("w:rStyle"), {qn("w:val"): s.styles.id("Verbatim Char")})
    elif style.kbd:
        etree.SubElement(rPr, qn("w:rStyle"), {qn("w:val"): s.styles.id("Keyboard")})
    elif style.link:
        etree.SubElement(rPr, qn("w:rStyle"), {qn("w:val"): s.styles.id("Hyperlink")})
    value, font = word_lang(style.lang)
    faces = {}
    if style.code or style.mono:  # monospace wins: Chinese in code takes the CJK monospace face
        faces[qn("w:eastAsia")] = east_asian(style.lang, code=True)
    elif font:
        faces = {qn("w:eastAsia"): word_name(font), qn("w:hint"): "eastAsia"}
    if complex_face:
        faces[qn("w:cs")] = complex_face
    if faces:
        etree.SubElement(rPr, qn("w:rFonts"), faces)
    # Word sets a right-to-left run in its complex-script bold and italic (bCs, iCs).
    if style.bold:
        etree.SubElement(rPr, qn("w:b"))
        if rtl:
            etree.SubElement(rPr, qn("w:bCs"))
    if style.italic:
        etree.SubElement(rPr, qn("w:i"))
        if rtl:
            etree.SubElement(rPr, qn("w:iCs"))
    if style.strike:
        etree.SubElement(rPr, qn("w:strike"))
    if style.color:
        etree.SubElement(rPr, qn("w:color"), {qn("w:val"): style.color.upper()})
    # As HTML's <small>: 85% of the paragraph's size, in half-points; code as well, in the
    # house style (Word has no size relative to the paragraph's: a heading's code is larger).
    if style.small or (style.code and s.styles.house):
        size = str(round(s.styles.half_points(_paragraph_style(parent)) * CODE_RATIO))
        etree.SubElement(rPr, qn("w:sz"), {qn("w:val"): size})
        etree.SubElement(rPr, qn("w:szCs"), {qn("w:val"): size})
    if style.highlight:
        etree.SubElement(rPr, qn("w:highlight"), {qn("w:val"): "yellow"})
    if style.underline:
        etree.SubElement(rPr, qn("w:u"), {qn("w:val"): "single"})
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


def _paragraph_style(parent: etree._Element) -> str | None:
    """The style id of the paragraph ``parent`` is (or is in)."""
    p: etree._Element | None = parent
    while p is not None and p.tag != qn("w:p"):
        p = p.getparent()
    found = p.find(qn("w:pPr") + "/" + qn("w:pStyle")) if p is not None else None
    return str(found.get(qn("w:val"))) if found is not None else None


def role_style(role: str | None, style: RunStyle) -> RunStyle:
    """What a span role (:data:`publish.model.SPAN_ROLES`) does to a run. ``abbr`` is plain
    text: Word has no abbreviation, and its expansion stays in the other editions."""
    if role == "kbd":
        return replace(style, kbd=True)
    if role == "dfn":
        return replace(style, italic=True)
    if role == "small":
        return replace(style, small=True)
    if role == "mark":
        return replace(style, highlight=True)
    return style


def bookmark_start(s: State, parent: etree._Element, anchor: str) -> str:
    """Open a bookmark for the id ``anchor``, under its Word name
    (:func:`publish.bibliography.bookmark`); its ``w:id``, to close it with."""
    bid = str(s.next_id())
    etree.SubElement(parent, qn("w:bookmarkStart"), {qn("w:id"): bid, qn("w:name"): bibliography.bookmark(anchor)})
    return bid


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
                inner = role_style(walk.span_role(attr), style.within(attr.lang, attr.get("dir")))
                mark = bookmark_start(s, parent, attr.id) if attr.id else None  # an anchor, or a span links reach
                write_inlines(s, parent, c, inner, part)
                if bibliography.is_label(node):  # a numeric bibliography's [1], then its text's column
                    etree.SubElement(etree.SubElement(parent, qn("w:r")), qn("w:tab"))
                if mark is not None:
                    etree.SubElement(parent, qn("w:bookmarkEnd"), {qn("w:id"): mark})
            case m.Strikeout(content=c):
                write_inlines(s, parent, c, replace(style, strike=True), part)
            case m.Underline(content=c):
                write_inlines(s, parent, c, replace(style, underline=True), part)
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
            case m.Math():
                equations.write(s, parent, node, style)


def hyperlink(
    s: State, parent: etree._Element, url: str, content: Iterable[m.Inline], style: RunStyle, part: Part
) -> None:
    """A ``w:hyperlink``: to a bookmark for ``#id``, else through an external relationship
    (to another document of the build: its DOCX edition, :func:`publish.layout.edition_link`)."""
    link = etree.SubElement(parent, qn("w:hyperlink"))
    if url.startswith("#"):
        link.set(qn("w:anchor"), bibliography.bookmark(url[1:]))
    else:
        url = layout.edition_link(url, "docx") or url
        link.set(qn("r:id"), part.relate_to(url, RT.HYPERLINK, is_external=True))
    write_inlines(s, link, content, replace(style, link=True), part)


def code_runs(s: State, p: etree._Element, code: str, language: str | None, style: RunStyle) -> None:
    """A code block's text as runs coloured by the highlighter."""
    for token in highlight.tokens(code, language):
        color = token.color.lstrip("#") if token.color else None
        run(s, p, token.text, replace(style, color=color, bold=token.bold, italic=token.italic, mono=True))


def html_runs(
    element: etree._Element, style: RunStyle, href: str | None = None
) -> Iterator[tuple[str, RunStyle, bool, str | None]]:
    """(text, run style, is line break, the link it is in) for the inline content of a
    title-block element (a byline links an author's page and ORCID iD)."""
    if element.text:
        yield " ".join(element.text.split("\n")), style, False, href
    for child in element:
        tag = child.tag if isinstance(child.tag, str) else ""
        inner, inner_href = style, href
        if tag == "sup":
            inner = replace(style, vert="superscript")
        elif tag == "sub":
            inner = replace(style, vert="subscript")
        elif tag in ("em", "i"):
            inner = replace(style, italic=True)
        elif tag in ("strong", "b"):
            inner = replace(style, bold=True)
        elif tag == "a" and child.get("href"):
            inner, inner_href = replace(style, link=True), str(child.get("href"))
        if child.get("lang") or child.get("dir"):
            inner = inner.within(child.get("lang"), child.get("dir"))
        if tag == "br":
            yield "", style, True, href
        else:
            yield from html_runs(child, inner, inner_href)
        if child.tail:
            yield " ".join(child.tail.split("\n")), style, False, href
