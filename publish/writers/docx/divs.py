"""Divs and task boxes in Word: plain and ``details`` Divs opened where they stand, callouts
as bordered and shaded paragraphs in a style of their own, alignment, the box of a task
list item (a Word check box content control), and paragraph properties in schema order.

A Word paragraph cannot nest, so a plain Div is a property of the paragraphs it holds (and
a ``details``, whose summary is a bold paragraph: Word cannot fold text away): its alignment
and language. A callout is a box, a shaded table cell with a border in the callout's colour,
whose paragraphs take the callout's style ("Callout Note"…, based on "Callout"; lists, quotes
and code inside it keep theirs). :func:`publish.outline.flatten` reads them the same way.
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
        if walk.div_kind(node.attr) not in ("div", "details"):
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


def callout_style(styles: Styles, kind: str) -> str:
    """The paragraph style of a callout's title and paragraphs (``callout-note`` → "Callout
    Note", based on "Callout")."""
    base = styles.style("Callout", WD_STYLE_TYPE.PARAGRAPH, "Normal")
    if "Callout" in styles.created:
        base.paragraph_format.space_after = Pt(4)
    name = "Callout " + kind.removeprefix("callout-").capitalize()
    styles.style(name, WD_STYLE_TYPE.PARAGRAPH, "Callout")
    return name


#: The table style of a callout's box (how the read-back knows the box from a table).
BOX_STYLE = "Callout Box"
#: The empty paragraph after a box: the space below it, and what keeps Word from joining two
#: boxes (or a box and a table) that follow each other into one table.
SPACER_STYLE = "Callout Spacer"


def spacer(styles: Styles) -> str:
    style = styles.style(SPACER_STYLE, WD_STYLE_TYPE.PARAGRAPH, "Normal")
    if SPACER_STYLE in styles.created:
        style.font.size = Pt(6)
        style.paragraph_format.space_before = Pt(0)
        style.paragraph_format.space_after = Pt(0)
    return SPACER_STYLE


def callout_box(styles: Styles, container: etree._Element, kind: str, text_width: int) -> etree._Element:
    """A callout's box: a table of one cell across the text area, in the table style
    :data:`BOX_STYLE`, shaded, with a border at its start in the callout's colour
    (paragraph borders cannot hold a list's indents; a cell holds any paragraphs). Returns
    the cell, for the callout's paragraphs."""
    color = CALLOUT_COLORS[kind]
    width = str(int(text_width / 635))  # twentieths of a point
    styles.style(BOX_STYLE, WD_STYLE_TYPE.TABLE)
    table = etree.SubElement(container, qn("w:tbl"))
    table.append(
        parse_xml(
            f'<w:tblPr {nsdecls("w")}><w:tblStyle w:val="{styles.id(BOX_STYLE)}"/><w:tblW w:w="5000" w:type="pct"/>'
            '<w:tblLayout w:type="fixed"/>'
            '<w:tblCellMar><w:top w:w="100" w:type="dxa"/><w:left w:w="200" w:type="dxa"/>'
            '<w:bottom w:w="60" w:type="dxa"/><w:right w:w="200" w:type="dxa"/></w:tblCellMar>'
            '<w:tblLook w:val="0000" w:firstRow="0" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" '
            'w:noHBand="1" w:noVBand="1"/></w:tblPr>'
        )
    )
    table.append(parse_xml(f'<w:tblGrid {nsdecls("w")}><w:gridCol w:w="{width}"/></w:tblGrid>'))
    row = etree.SubElement(table, qn("w:tr"))
    row.append(parse_xml(f"<w:trPr {nsdecls('w')}><w:cantSplit/></w:trPr>"))
    cell = etree.SubElement(row, qn("w:tc"))
    cell.append(
        parse_xml(
            f'<w:tcPr {nsdecls("w")}><w:tcW w:w="{width}" w:type="dxa"/><w:tcBorders>'
            f'<w:left w:val="single" w:sz="24" w:space="0" w:color="{color}"/></w:tcBorders>'
            f'<w:shd w:val="clear" w:color="auto" w:fill="{CALLOUT_SHADING}"/></w:tcPr>'
        )
    )
    return cell


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


def keep_with_next(p: etree._Element) -> None:
    set_ppr(p, etree.Element(qn("w:keepNext")))
