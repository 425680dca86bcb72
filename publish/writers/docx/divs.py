"""Divs and task boxes in Word: plain and ``details`` Divs opened where they stand, callouts
as bordered and shaded paragraphs in a style of their own, alignment, the box of a task
list item (a Word check box content control), and paragraph properties in schema order.

A Word paragraph cannot nest, so a plain Div is a property of the paragraphs it holds (and
a ``details``, whose summary is a bold paragraph: Word cannot fold text away): its alignment
and language. A callout is a run of bordered, shaded paragraphs: its title and paragraphs
take the callout's paragraph style ("Callout Note"…, based on "Callout": a bar in the
callout's colour before the text, a shading), which Word draws as one box; lists, quotes
and code inside it keep their styles, with the callout's bar and shading as direct
formatting, the bar moved to stand where the callout's own bar stands.
:func:`publish.outline.flatten` reads them the same way.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Pt
from lxml import etree

from publish import model as m
from publish import walk
from publish.outline import TASK_BOX
from publish.writers.docx.styles import PPR_ORDER, Styles

#: Div alignment (``attr.values`` key ``align``) → ``w:jc``.
JUSTIFY = {"left": "left", "center": "center", "right": "right"}

#: Each callout's colour (its border and title): GitHub's alert colours, as the HTML theme's.
CALLOUT_COLORS = {
    "callout-note": "0969DA",
    "callout-tip": "1A7F37",
    "callout-important": "8250DF",
    "callout-warning": "9A6700",
    "callout-caution": "CF222E",
}
CALLOUT_SHADING = "F6F8FA"
#: The font Word's own check boxes draw their two states in.
BOX_FONT = "Segoe UI Symbol"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"


def set_ppr(p: etree._Element, child: etree._Element) -> etree._Element:
    """Put ``child`` into the paragraph's ``w:pPr`` at its place in the schema's order,
    replacing one of the same name."""
    ppr = p.find(qn("w:pPr"))
    if ppr is None:
        ppr = etree.Element(qn("w:pPr"))
        p.insert(0, ppr)
    return set_in(ppr, child)


def set_in(ppr: etree._Element, child: etree._Element) -> etree._Element:
    """:func:`set_ppr` for a ``w:pPr`` itself (a paragraph's or a style's)."""
    name = etree.QName(child).localname
    for old in ppr.findall(child.tag):
        ppr.remove(old)
    rank = PPR_ORDER.index(name)
    for index, existing in enumerate(ppr):
        other = etree.QName(existing).localname
        if other in PPR_ORDER and PPR_ORDER.index(other) > rank:
            ppr.insert(index, child)
            return child
    ppr.append(child)
    return child


@dataclass(frozen=True)
class Opened:
    """A block as it stands in the flow of paragraphs, with what the Divs around it give it."""

    block: m.Block
    align: str | None = None
    lang: str | None = None
    #: The ids of the Divs this block opens (bookmarks at its first paragraph).
    anchors: tuple[str, ...] = ()


def opened(nodes: Iterable[m.Block], align: str | None = None, lang: str | None = None) -> Iterator[Opened]:
    """The blocks with every plain and ``details`` Div opened where it stands: its title a
    bold paragraph, then its blocks, each with the Div's alignment and language. A callout
    stays a block (a box of its own), with its alignment and language."""
    for node in nodes:
        if not isinstance(node, m.Div):
            yield Opened(node, align, lang)
            continue
        here, inner_lang = JUSTIFY.get(node.attr.get("align") or "", align), node.attr.lang or lang
        ids = (node.attr.id,) if node.attr.id else ()
        kind = walk.div_kind(node.attr)
        if kind == "references" and node.title:  # its title a bold paragraph where it stands
            yield Opened(m.Paragraph((m.Strong(node.title),)), here, inner_lang, ids)
            yield Opened(m.Div(node.blocks, node.attr), here, inner_lang)
            continue
        if kind not in ("div", "details"):
            yield Opened(node, here, inner_lang, ids)
            continue
        title = (m.Paragraph((m.Strong(node.title),)),) if node.title else ()
        for index, found in enumerate(opened((*title, *node.blocks), here, inner_lang)):
            yield Opened(found.block, found.align, found.lang, (ids if index == 0 else ()) + found.anchors)


def justify(elements: Iterable[etree._Element], value: str) -> None:
    """Align the paragraphs (those in tables and callouts too, as text-align in HTML) that
    have no alignment of their own. Word reads "left" and "right" of a right-to-left
    paragraph (``w:bidi``) as its start and end: there the physical side is the other one."""
    for p in (p for el in elements for p in el.iter(qn("w:p"))):
        ppr = p.find(qn("w:pPr"))
        if ppr is None or ppr.find(qn("w:jc")) is None:
            bidi = ppr.find(qn("w:bidi")) if ppr is not None else None
            rtl = bidi is not None and bidi.get(qn("w:val"), "1") not in ("0", "false", "off")
            side = {"left": "right", "right": "left"}.get(value, value) if rtl else value
            set_ppr(p, etree.Element(qn("w:jc"), {qn("w:val"): side}))


#: A callout's bar, in the callout's colour: :data:`BAR_WIDTH` eighths of a point wide,
#: :data:`BAR_SPACE` points before the text (in the margin, as a change bar: the callout's
#: text, and the numbers and bullets of its lists, stay where the text block's are).
BAR_WIDTH = 24
BAR_SPACE = 6.0
#: Word's widest space between a border and its text (pt).
MAX_BORDER_SPACE = 31


def callout_style(styles: Styles, kind: str) -> str:
    """The paragraph style of a callout's title and paragraphs (``callout-note`` → "Callout
    Note", based on "Callout"): indented, shaded, with a bar at its start in the callout's
    colour. Word joins the borders and shading of consecutive paragraphs whose borders are
    the same into one box."""
    base = styles.style("Callout", WD_STYLE_TYPE.PARAGRAPH, "Normal")
    if "Callout" in styles.created:
        base.paragraph_format.space_after = Pt(4)
    name = "Callout " + kind.removeprefix("callout-").capitalize()
    style = styles.style(name, WD_STYLE_TYPE.PARAGRAPH, "Callout")
    if name in styles.created:
        ppr = style.element.get_or_add_pPr()
        for child in callout_marks(kind, BAR_SPACE):
            set_in(ppr, child)
    return name


def callout_marks(kind: str, space: float) -> tuple[etree._Element, etree._Element]:
    """A callout's bar (``w:pBdr``, ``space`` points from the text) and shading (``w:shd``)."""
    color = CALLOUT_COLORS[kind]
    border = parse_xml(
        f'<w:pBdr {nsdecls("w")}><w:left w:val="single" w:sz="{BAR_WIDTH}" w:space="{round(space)}" '
        f'w:color="{color}"/></w:pBdr>'
    )
    shading = parse_xml(f'<w:shd {nsdecls("w")} w:val="clear" w:color="auto" w:fill="{CALLOUT_SHADING}"/>')
    return border, shading


def inside_callout(p: etree._Element, kind: str, indent: dict[str, str] | None) -> None:
    """A paragraph of a callout in a style of its own (a list's, code, a quote): shaded and
    barred as the callout, the bar as far from its text as makes it stand where the
    callout's own paragraphs have it (``indent``: its own ``w:ind``, from its style or its
    numbering; Word draws the bar before the first line or the hanging number). Paragraphs
    at the text block's edge have the same bar as the callout's, which Word joins."""
    own = {k: int(v) for k, v in (indent or {}).items() if k in ("left", "start", "hanging")}
    leftmost = own.get("left", own.get("start", 0)) - own.get("hanging", 0)
    for child in callout_marks(kind, min(MAX_BORDER_SPACE, BAR_SPACE + max(leftmost, 0) / 20)):
        set_ppr(p, child)


def indent_by(p: etree._Element, indent: dict[str, str] | None, start: int, end: int = 0) -> int:
    """Move a paragraph in by ``start`` and ``end`` twips from its own indents (``indent``,
    ``w:ind``'s attributes), its hanging number or bullet with it (a tab where its text
    starts); returns where its first line started before (twips)."""
    own = {k: int(v) for k, v in (indent or {}).items() if k in ("left", "start", "hanging", "right", "end")}
    left = own.get("left", own.get("start", 0))
    ind = {qn("w:left"): str(left + start), qn("w:right"): str(own.get("right", own.get("end", 0)) + end)}
    if own.get("hanging"):
        ind[qn("w:hanging")] = str(own["hanging"])
        tabs = set_ppr(p, etree.Element(qn("w:tabs")))
        etree.SubElement(tabs, qn("w:tab"), {qn("w:val"): "num", qn("w:pos"): str(left + start)})
    set_ppr(p, etree.Element(qn("w:ind"), ind))
    return left - own.get("hanging", 0)


#: The empty paragraph after a callout: the space below it, and what keeps Word from joining
#: the borders of two callouts that follow each other.
SPACER_STYLE = "Callout Spacer"


def spacer(styles: Styles) -> str:
    style = styles.style(SPACER_STYLE, WD_STYLE_TYPE.PARAGRAPH, "Normal")
    if SPACER_STYLE in styles.created:
        style.font.size = Pt(6)
        style.paragraph_format.space_before = Pt(0)
        style.paragraph_format.space_after = Pt(0)
    return SPACER_STYLE


def task_box(elements: Iterable[etree._Element], checked: bool, *, bullet_indent: dict[str, str] | None = None) -> None:
    """A Word check box (a ``w14:checkbox`` content control, whose two states are the
    characters of :data:`publish.outline.TASK_BOX`) at the start of the first paragraph of
    a task list item, then a space. In a bulleted list (``bullet_indent``: the indents of its
    paragraphs) the box takes the bullet's place, as on the web: the paragraph keeps its list
    style and indents, without the bullet, and a tab after the box lines its text up."""
    elements = list(elements)
    first = next((p for el in elements for p in el.iter(qn("w:p"))), None)
    if first is None:
        return
    in_place = bullet_indent is not None and first is elements[0]
    if in_place and bullet_indent is not None:
        set_ppr(first, parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="0"/><w:numId w:val="0"/></w:numPr>'))
        set_ppr(first, etree.Element(qn("w:ind"), {qn(f"w:{k}"): v for k, v in bullet_indent.items()}))
    open_char, done_char = TASK_BOX[False][1], TASK_BOX[True][1]
    char = done_char if checked else open_char
    w14 = f"{{{W14}}}"
    sdt = etree.Element(qn("w:sdt"))
    props = etree.SubElement(sdt, qn("w:sdtPr"))
    box = etree.SubElement(props, f"{w14}checkbox", nsmap={"w14": W14})
    etree.SubElement(box, f"{w14}checked", {f"{w14}val": "1" if checked else "0"})
    etree.SubElement(box, f"{w14}checkedState", {f"{w14}val": f"{ord(done_char):04X}", f"{w14}font": BOX_FONT})
    etree.SubElement(box, f"{w14}uncheckedState", {f"{w14}val": f"{ord(open_char):04X}", f"{w14}font": BOX_FONT})
    content = etree.SubElement(sdt, qn("w:sdtContent"))
    r = etree.SubElement(content, qn("w:r"))
    rpr = etree.SubElement(r, qn("w:rPr"))
    etree.SubElement(rpr, qn("w:rFonts"), {qn("w:ascii"): BOX_FONT, qn("w:hAnsi"): BOX_FONT})
    etree.SubElement(r, qn("w:t")).text = char
    space = etree.Element(qn("w:r"))
    if in_place:
        etree.SubElement(space, qn("w:tab"))
    else:
        text = etree.SubElement(space, qn("w:t"))
        text.text = " "
        text.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    ppr = first.find(qn("w:pPr"))
    at = 0 if ppr is None else list(first).index(ppr) + 1
    first.insert(at, sdt)
    first.insert(at + 1, space)


#: The paragraph style of a bibliography's entries (:data:`.house.LOOKS`: hanging).
BIBLIOGRAPHY = "Bibliography"


def bibliography_style(styles: Styles) -> str:
    styles.style(BIBLIOGRAPHY, WD_STYLE_TYPE.PARAGRAPH, "Normal")
    return BIBLIOGRAPHY


def keep_with_next(p: etree._Element) -> None:
    set_ppr(p, etree.Element(qn("w:keepNext")))
