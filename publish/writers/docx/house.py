"""The house style in Word's terms: the look of every style the writer uses (faces, the type
scale, colour, spacing, keeps, indents, hyphenation), the document defaults, the page, and
the theme's fonts.

Without a reference document (``--reference-docx`` or the theme's ``docx/reference.docx``)
every style gets its house look: python-docx's template, Word 2010's (blue Calibri headings,
a ruled title, a letter-spaced subtitle), is dressed anew. With one, its styles stay as they
are and only the styles the writer had to make take the house look (:func:`dress`).

The numbers follow the house style shared with the PDF and HTML: body 10.5 pt on a 1.4 line,
5 pt after a paragraph; a type scale of ratio 1.2 (title 24 pt, h1 18, h2 15, h3 12.6, h4–h6
10.5, subtitle 14); headings 1.4 em before and 0.4 em after, kept with what follows and never
hyphenated; text and headings #1a1a1a, links #1f4e79; an A4 page with a text block of about
120 mm, centred.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from docx.oxml.ns import qn
from lxml import etree

#: The text face, and the code face (at :data:`CODE_RATIO` of the text's size).
TEXT_FACE = "Noto Serif"
CODE_FACE = "DejaVu Sans Mono"
CODE_RATIO = 0.85
TEXT = "1A1A1A"
LINK = "1F4E79"
#: A rule: 0.75 pt, in the text's colour.
RULE = {"val": "single", "sz": "6", "space": "1", "color": TEXT}
BODY = 10.5  # pt
LINE = 1.4
#: A face's own line (Word's and LibreOffice's "single" line: its OS/2 winAscent plus
#: winDescent) in ems; a style's ``line``, a multiple of its size as CSS's line-height, is
#: written as a multiple of this (tests/test_docx_style.py measures the installed faces).
NATURAL_LINE = {TEXT_FACE: 1.362, CODE_FACE: 1.1640625}
AFTER = 5.0  # pt
#: The text block's width (mm) and the least margin (a share of the page's width).
MEASURE_MM = 120.0
TOP_MM, BOTTOM_MM = 25.0, 30.0
HEADER_MM, FOOTER_MM = 12.0, 15.0
#: The running head and the page number; notes.
FURNITURE = 8.5
#: The space above a chapter's title, at the top of its opening page (pt).
CHAPTER_SINK = 42.0
#: The space between a table's bottom rule and the paragraph after it (pt).
AFTER_TABLE = 9.0
#: A note's text is indented this much (pt), its number hanging in the indent.
NOTE_INDENT_PT = 12.0
#: Word's mark for the OpenType features of a run (Word 2010 and later).
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"


@dataclass(frozen=True)
class Look:
    """How a paragraph (or character) style looks. None: as its base style has it."""

    size: float | None = None  # pt
    bold: bool | None = None
    italic: bool | None = None
    face: str | None = None  # ascii, hAnsi and cs
    color: str | None = TEXT
    underline: bool = False
    before: float | None = None  # pt
    after: float | None = None  # pt
    line: float | None = None  # a multiple of the font's size, as CSS's line-height
    keep_next: bool = False
    keep_lines: bool = False
    hyphenate: bool = True
    align: str | None = None  # w:jc
    indent: tuple[float, float] | None = None  # (start, end) in pt
    #: Tabular lining figures (Word 2010's ``w14:numForm`` and ``w14:numSpacing``).
    figures: bool = False
    #: A rule below the paragraph (a thematic break), in the colour of rules.
    rule: bool = False
    #: Lines after the first start this much further in (pt; a bibliography's entries).
    hanging: float | None = None


def _heading(size: float) -> Look:
    return Look(
        size=size, bold=True, italic=False, face=TEXT_FACE, before=round(1.4 * size, 1),
        after=round(0.4 * size, 1), line=1.2, keep_next=True, keep_lines=True, hyphenate=False,
    )  # fmt: skip


_QUOTE_INDENT = 1.5 * BODY
#: How far a quote (and a quote, list or code inside it) is indented.
QUOTE_INDENT = _QUOTE_INDENT
#: A definition's indent under its term (pt), as the stylesheets' 1.5 em.
DEFINITION_INDENT = 1.5 * BODY
#: A bibliography's entries hang 1.5 em (as the stylesheets' author-date entries); a numeric
#: style's entries 2.5 em, the label's column (pt).
BIB_HANG, BIB_NUMERIC = 1.5 * BODY, 2.5 * BODY
#: The look of each paragraph style.
LOOKS: dict[str, Look] = {
    "Normal": Look(face=TEXT_FACE, size=BODY, bold=False, italic=False, before=0, after=AFTER, line=LINE),
    "Title": Look(size=24, bold=True, face=TEXT_FACE, before=0, after=8, line=1.15, keep_next=True, hyphenate=False),
    "Subtitle": Look(size=14, bold=False, italic=False, face=TEXT_FACE, before=0, after=12, line=1.2,
                     keep_next=True, hyphenate=False),
    "Publisher": Look(size=9, bold=True, after=2, line=1.3, hyphenate=False),
    "Byline": Look(after=2, hyphenate=False),
    "Date Line": Look(italic=True, after=14, hyphenate=False),
    **{f"Heading {n}": _heading(size) for n, size in zip(range(1, 7), (18, 15, 12.6, BODY, BODY, BODY), strict=True)},
    "Quote": Look(italic=False, indent=(_QUOTE_INDENT, _QUOTE_INDENT)),
    "Source Code": Look(face=CODE_FACE, size=round(BODY * CODE_RATIO), after=AFTER, line=1.25, hyphenate=False,
                        align="left"),
    "Figure": Look(before=6, after=2, align="center", keep_next=True, hyphenate=False),
    "Caption": Look(size=9, italic=True, bold=False, before=2, after=10, line=1.3, align="center", hyphenate=False),
    "Table Caption": Look(size=9, italic=True, bold=False, before=6, after=4, line=1.3, align="center",
                          keep_next=True, hyphenate=False),
    "Table Text": Look(before=0, after=0, line=1.25, hyphenate=False, figures=True),
    "Footnote Text": Look(size=FURNITURE, after=2, line=1.25, indent=(NOTE_INDENT_PT, 0)),
    "Thematic Break": Look(before=6, after=12, line=1.0, rule=True),
    "TOC Heading": Look(size=15, bold=True, italic=False, face=TEXT_FACE, before=0, after=6, line=1.2,
                        keep_next=True, hyphenate=False),
    **{f"toc {n}": Look(before=0, after=2, line=1.3, hyphenate=False, indent=(_QUOTE_INDENT * (n - 1), 0))
       for n in range(1, 10)},
    "Header": Look(size=FURNITURE, before=0, after=0, line=1.0, align="center", hyphenate=False),
    "Footer": Look(size=FURNITURE, before=0, after=0, line=1.0, align="center", hyphenate=False),
    "Definition Term": Look(bold=True, after=1, keep_next=True),
    "Definition": Look(indent=(DEFINITION_INDENT, 0)),
    "Callout": Look(after=4),
    "Bibliography": Look(after=AFTER, indent=(BIB_HANG, 0), hanging=BIB_HANG),
    "Callout Spacer": Look(size=6, before=0, after=0, line=1.0),
    "Section Break": Look(size=2, before=0, after=0, line=1.0),
}  # fmt: skip
#: List paragraphs: a little space between items (their numbering and indents stay).
LIST_LOOK = Look(after=2)
#: The looks of character styles.
CHARACTER_LOOKS: dict[str, Look] = {
    "Hyperlink": Look(color=LINK, underline=True),
    "Verbatim Char": Look(face=CODE_FACE, color=None),
    "Keyboard": Look(face=CODE_FACE, color=None),
    "Footnote Reference": Look(color=None),
}


def look_of(name: str) -> Look | None:
    """The look of a style by name (list styles of any depth included); None: none of ours."""
    if name in LOOKS:
        return LOOKS[name]
    if name.startswith(("List Bullet", "List Number", "List Continue")):
        return LIST_LOOK
    return CHARACTER_LOOKS.get(name)


def foreign(look: Look) -> Look:
    """A look for a style made beside a reference document's: its faces and colour are the
    reference's (by inheritance), only what the style is for is ours."""
    face = look.face if look.face == CODE_FACE else None
    return replace(look, face=face, color=None if look.color == TEXT else look.color)


#: Where each child of ``w:pPr`` and ``w:rPr`` goes (ECMA-376 CT_PPrBase, CT_RPr).
_PPR = (
    "pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
    "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap", "overflowPunct",
    "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd", "snapToGrid", "spacing", "ind",
    "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc", "textDirection", "textAlignment",
    "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr", "sectPr", "pPrChange"
)  # fmt: skip
_RPR = (
    "rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike", "outline", "shadow",
    "emboss", "imprint", "noProof", "snapToGrid", "vanish", "webHidden", "color", "spacing", "w", "kern",
    "position", "sz", "szCs", "highlight", "u", "effect", "bdr", "shd", "fitText", "vertAlign", "rtl", "cs",
    "em", "lang", "eastAsianLayout", "specVanish", "oMath"
)  # fmt: skip
#: What a dressed paragraph style keeps of its own: numbering, list indents, outline level, tabs.
_KEEP_PPR = {"numPr", "outlineLvl", "tabs", "bidi"}
#: What a dressed style keeps of its run properties (a callout's, a key's own border).
_KEEP_RPR = {"bdr", "shd", "vertAlign", "lang", "rtl"}


def _rank(order: tuple[str, ...], element: etree._Element) -> int:
    name = etree.QName(element).localname
    if etree.QName(element).namespace == W14:
        return len(order) + 1  # Word 2010's additions close the properties
    return order.index(name) if name in order else len(order)


def _sorted(parent: etree._Element, order: tuple[str, ...]) -> None:
    children = sorted(parent, key=lambda child: _rank(order, child))
    for child in children:
        parent.remove(child)
    parent.extend(children)


def _child(parent: etree._Element, name: str, **attrs: str) -> etree._Element:
    for old in parent.findall(qn(f"w:{name}")):
        parent.remove(old)
    return etree.SubElement(parent, qn(f"w:{name}"), {qn(f"w:{k}"): v for k, v in attrs.items()})


def twips(points: float) -> str:
    return str(round(points * 20))


def dress(style: etree._Element, look: Look) -> None:
    """Give a ``w:style`` the look: what the look says replaces the style's own formatting
    (its numbering, list indents and outline level stay)."""
    paragraph = style.get(qn("w:type")) == "paragraph"
    if paragraph:
        ppr = style.find(qn("w:pPr"))
        if ppr is None:
            ppr = etree.Element(qn("w:pPr"))
            rpr_at = style.find(qn("w:rPr"))
            if rpr_at is not None:
                rpr_at.addprevious(ppr)
            else:
                style.append(ppr)
        _paragraph(ppr, look)
    rpr = style.find(qn("w:rPr"))
    if rpr is None:
        rpr = etree.SubElement(style, qn("w:rPr"))
    _run(rpr, look)


def _paragraph(ppr: etree._Element, look: Look) -> None:
    for child in list(ppr):
        name = etree.QName(child).localname
        if name not in _KEEP_PPR and not (name == "ind" and look.indent is None):
            ppr.remove(child)
    if look.keep_next:
        _child(ppr, "keepNext")
    if look.keep_lines:
        _child(ppr, "keepLines")
    if look.rule:
        border = _child(ppr, "pBdr")
        etree.SubElement(border, qn("w:bottom"), {qn(f"w:{k}"): v for k, v in RULE.items()})
    if not look.hyphenate:
        _child(ppr, "suppressAutoHyphens")
    spacing: dict[str, str] = {}
    if look.before is not None:
        spacing["before"] = twips(look.before)
    if look.after is not None:
        spacing["after"] = twips(look.after)
    if look.line is not None:
        natural = NATURAL_LINE.get(look.face or TEXT_FACE, NATURAL_LINE[TEXT_FACE])
        spacing.update(line=str(round(look.line / natural * 240)), lineRule="auto")
    if spacing:
        _child(ppr, "spacing", **spacing)
    if look.indent is not None:
        start, end = look.indent
        hang = {"hanging": twips(look.hanging)} if look.hanging else {}
        _child(ppr, "ind", left=twips(start), right=twips(end), **hang)  # start and end, as Word reads them
    if look.align:
        _child(ppr, "jc", val=look.align)
    _sorted(ppr, _PPR)


def _run(rpr: etree._Element, look: Look) -> None:
    for child in list(rpr):
        if etree.QName(child).localname not in _KEEP_RPR:
            rpr.remove(child)
    if look.face:
        _child(rpr, "rFonts", ascii=look.face, hAnsi=look.face, cs=look.face)
    for name, value in (("b", look.bold), ("i", look.italic)):
        if value is not None:
            _child(rpr, name, **({} if value else {"val": "0"}))
            _child(rpr, f"{name}Cs", **({} if value else {"val": "0"}))
    if look.color:
        _child(rpr, "color", val=look.color)
    if look.size is not None:
        half = str(round(look.size * 2))
        _child(rpr, "sz", val=half)
        _child(rpr, "szCs", val=half)
    if look.underline:
        _child(rpr, "u", val="single")
    if look.figures and _knows_w14(rpr):
        for feature, setting in (("numForm", "lining"), ("numSpacing", "tabular")):
            for old in rpr.findall(f"{{{W14}}}{feature}"):
                rpr.remove(old)
            etree.SubElement(rpr, f"{{{W14}}}{feature}", {f"{{{W14}}}val": setting}, nsmap={"w14": W14})
    _sorted(rpr, _RPR)


_IGNORABLE = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Ignorable"


def _knows_w14(element: etree._Element) -> bool:
    """Whether the part ``element`` is in declares Word 2010's namespace as one a reader
    without it may ignore (python-docx's template does; an older reference may not)."""
    root = element.getroottree().getroot()
    return root.nsmap.get("w14") == W14 and "w14" in (root.get(_IGNORABLE) or "").split()


def margins(page_width_mm: float) -> float:
    """The left and right margin (mm) that centres a text block of :data:`MEASURE_MM` (at
    least a tenth of the page on each side, on a small page)."""
    return max((page_width_mm - MEASURE_MM) / 2, page_width_mm / 10)
