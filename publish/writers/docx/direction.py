"""Right-to-left text in Word's terms: ``w:bidi`` (a paragraph, the document defaults, a
section laid out from the right), ``w:rtl`` (a run of right-to-left text), ``w:bidiVisual``
(a table whose first column is on the right), ``w:rtlGutter``.

WordprocessingML fixes the order of a paragraph's and a section's properties; the writer adds
``w:bidi`` when a paragraph is made and :func:`order_properties` puts every paragraph's
properties in the schema's order once the document is written.
"""

from __future__ import annotations

from docx.oxml.ns import qn
from lxml import etree

#: The children of ``w:pPr`` in the order of CT_PPr (ECMA-376 Part 1, 17.3.1.26).
PPR_NAMES = (
    "pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
    "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
    "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd",
    "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc",
    "textDirection", "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr",
    "sectPr", "pPrChange",
)  # fmt: skip
_PPR_ORDER = {qn(f"w:{name}"): index for index, name in enumerate(PPR_NAMES)}
#: Where ``w:bidi`` and ``w:rtlGutter`` go in ``w:sectPr`` (CT_SectPr, 17.6.17): before these.
_SECTPR_AFTER_BIDI = {qn(f"w:{name}") for name in ("rtlGutter", "docGrid", "printerSettings", "sectPrChange")}


def set_bidi(pPr: etree._Element, rtl: bool) -> None:
    """The paragraph's direction: ``<w:bidi/>`` right to left, ``<w:bidi w:val="0"/>`` left to
    right (where a right-to-left style or default would otherwise apply)."""
    for old in pPr.findall(qn("w:bidi")):
        pPr.remove(old)
    bidi = etree.SubElement(pPr, qn("w:bidi"))
    if not rtl:
        bidi.set(qn("w:val"), "0")


def order_properties(root: etree._Element) -> None:
    """Every ``w:pPr`` under ``root`` with its children in the schema's order."""
    for pPr in root.iter(qn("w:pPr")):
        children = list(pPr)
        ordered = sorted(children, key=lambda child: _PPR_ORDER.get(child.tag, len(_PPR_ORDER)))
        if ordered != children:
            for child in children:
                pPr.remove(child)
            pPr.extend(ordered)


def rtl_section(sectPr: etree._Element) -> None:
    """A section laid out right to left as Word makes it for a right-to-left document: columns
    and page numbers from the right (``w:bidi``), the gutter on the right (``w:rtlGutter``)."""
    for name in ("w:bidi", "w:rtlGutter"):
        for old in sectPr.findall(qn(name)):
            sectPr.remove(old)
    before = next((child for child in sectPr if child.tag in _SECTPR_AFTER_BIDI), None)
    for name in ("w:bidi", "w:rtlGutter"):
        element = etree.Element(qn(name))
        if before is not None:
            before.addprevious(element)
        else:
            sectPr.append(element)


def bidi_visual(tblPr: etree._Element) -> None:
    """A right-to-left table: its first column on the right (after ``w:tblStyle``, before
    ``w:tblW``)."""
    style = tblPr.find(qn("w:tblStyle"))
    element = etree.Element(qn("w:bidiVisual"))
    if style is not None:
        style.addnext(element)
    else:
        tblPr.insert(0, element)


_TWINS = {qn("w:b"): qn("w:bCs"), qn("w:i"): qn("w:iCs"), qn("w:sz"): qn("w:szCs")}


def complex_script_twins(style: etree._Element) -> None:
    """Give a style's bold, italic and size their complex-script twins (``w:bCs``, ``w:iCs``,
    ``w:szCs``), which Word applies to right-to-left runs instead, as its own styles have."""
    rPr = style.find(qn("w:rPr"))
    if rPr is None:
        return
    for child in list(rPr):
        twin = _TWINS.get(child.tag)
        if twin is not None and rPr.find(twin) is None:
            element = etree.Element(twin)
            for key, value in child.attrib.items():
                element.set(key, value)
            child.addnext(element)
