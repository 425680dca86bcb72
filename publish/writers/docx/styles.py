"""The DOCX's styles and page: the reference document, the Word styles the writer uses (made
when the reference lacks them), the document's language defaults, the page size and margins."""

from __future__ import annotations

import copy
from pathlib import Path

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Emu, Inches, Mm
from lxml import etree

from publish import model as m
from publish import templates as tpl
from publish.errors import PublishError
from publish.langs import is_rtl, word_bidi, word_lang
from publish.options import PAPERS, Options
from publish.writers.docx import direction, house, settings
from publish.writers.docx.faces import east_asian, word_name


def reference(doc: m.Document, options: Options) -> Path | None:
    """The reference document: ``--reference-docx``, else the theme's ``docx/reference.docx``
    (None: python-docx's default template)."""
    path = options.reference_docx or tpl.find_file(options.template_path, "docx/reference.docx")
    if path is not None and not path.is_file():
        raise PublishError(f"reference document {path} does not exist", doc.source)
    return path


def load(doc: m.Document, reference: Path | None) -> docx.document.Document:
    """The reference document (or python-docx's template) without its ``stylesWithEffects``
    part: Word 2010's copy of the styles, which would not have the styles written here."""
    try:
        document = docx.Document(str(reference) if reference else None)
    except Exception as exc:  # python-docx raises zip and XML errors of its own
        raise PublishError(f"reference document {reference} is not a Word document: {exc}", doc.source) from None
    for rel in list(document.part.rels.values()):
        if rel.reltype.endswith("/stylesWithEffects"):
            document.part.drop_rel(rel.rId)
    return document


_DRAWING = "http://schemas.openxmlformats.org/drawingml/2006/main"


def house_package(document: docx.document.Document) -> None:
    """Without a reference document: the theme's Latin faces (Calibri and Cambria in
    python-docx's template) become the house's text face, for anything that names the theme;
    body text is hyphenated."""
    for part in document.part.package.iter_parts():
        if str(part.partname).startswith("/word/theme/"):
            theme = etree.fromstring(part.blob)
            for scheme in ("majorFont", "minorFont"):
                for latin in theme.iter(f"{{{_DRAWING}}}{scheme}"):
                    for face in latin.findall(f"{{{_DRAWING}}}latin"):
                        face.attrib.clear()
                        face.set("typeface", house.TEXT_FACE)
            part._blob = etree.tostring(theme, xml_declaration=True, encoding="UTF-8", standalone=True)
    settings.hyphenation(document)


def page_size(document: docx.document.Document, paper: str) -> None:
    """The default template is US Letter; our page is the PDF's (A4 unless publish.toml says),
    with the house's margins: a text block of about 120 mm, centred."""
    width, height = PAPERS.get(paper, PAPERS["A4"])
    for section in document.sections:
        section.page_width, section.page_height = Mm(width), Mm(height)
        section.left_margin = section.right_margin = Mm(house.margins(width))
        section.top_margin, section.bottom_margin = Mm(house.TOP_MM), Mm(house.BOTTOM_MM)
        section.header_distance, section.footer_distance = Mm(house.HEADER_MM), Mm(house.FOOTER_MM)
        section.gutter = 0


def text_area(document: docx.document.Document) -> tuple[int, int]:
    """(width, height) in EMU of the last section's text area."""
    section = document.sections[-1]
    width = Emu((section.page_width or Inches(8.5)) - (section.left_margin or 0) - (section.right_margin or 0))
    height = Emu((section.page_height or Inches(11)) - (section.top_margin or 0) - (section.bottom_margin or 0))
    return width, height


def set_lang(rpr: etree._Element, attrs: dict[str, str]) -> None:
    """Replace the ``w:lang`` of a run's (or the defaults') properties."""
    for old in rpr.findall(qn("w:lang")):
        rpr.remove(old)
    el = etree.SubElement(rpr, qn("w:lang"))
    for k, v in attrs.items():
        el.set(qn(k), v)


#: The children of ``w:pPr`` in the order the schema (ECMA-376 CT_PPr) requires.
PPR_ORDER = direction.PPR_NAMES
#: The children of ``w:pPr`` that the schema puts after ``w:autoSpaceDN`` (CT_PPrBase).
_AFTER_AUTOSPACE = frozenset(PPR_ORDER[PPR_ORDER.index("autoSpaceDN") + 1 :])


class Styles:
    """The document's styles, and which of them the writer made. ``house``: no reference
    document, so every style takes the house look (:mod:`.house`)."""

    def __init__(self, document: docx.document.Document, house: bool = True):
        self.styles = document.styles
        self.created: set[str] = set()
        self.house = house
        self._ids: dict[str, str] = {}  # name → id, found once (python-docx looks by XPath)

    def __getitem__(self, name: str):  # type: ignore[no-untyped-def]
        return self.styles[name]

    def style(self, name: str, kind: WD_STYLE_TYPE, base: str | None = None):  # type: ignore[no-untyped-def]
        """The style ``name``; created (based on ``base``) when the reference lacks it, and
        given its look (:meth:`dress`)."""
        try:
            return self.styles[name]
        except KeyError:
            style = self.styles.add_style(name, kind)
            if base:
                style.base_style = self.styles[base]
            self.created.add(name)
            self.dress(name)
            return style

    def dress(self, name: str) -> None:
        """Give the style ``name`` its house look: every style without a reference document;
        beside one, only a style the writer made, in the reference's faces and colour."""
        look = house.look_of(name)
        if look is None or not (self.house or name in self.created):
            return
        element = self.styles[name].element
        house.dress(element, look if self.house else house.foreign(look))
        direction.complex_script_twins(element)

    def ensure(self, lang: str) -> None:
        """Every style the writer uses, and the document defaults for ``lang``."""
        P, C = WD_STYLE_TYPE.PARAGRAPH, WD_STYLE_TYPE.CHARACTER
        for name in ("Publisher", "Byline", "Date Line", "Figure", "Source Code", "Footnote Text", "Thematic Break"):
            self.style(name, P, "Normal")
        self.style("Table Caption", P, "Caption")  # pandoc's name; a figure's caption is "Caption"
        self.style("Table Text", P, "Normal")  # a table cell's paragraphs
        self.style("Section Break", P, "Normal")  # the paragraph that ends a book's chapter
        self.style("TOC Heading", P, "Normal")
        for level in range(1, 10):
            self.style(f"toc {level}", P, "Normal")
        for name in ("Verbatim Char", "Keyboard", "Hyperlink", "Footnote Reference"):
            self.style(name, C)
        keyboard = self.styles["Keyboard"]  # HTML's <kbd>: a key, drawn as one
        if "Keyboard" in self.created:
            rpr = keyboard.element.get_or_add_rPr()
            rpr.append(parse_xml(f'<w:bdr {nsdecls("w")} w:val="single" w:sz="4" w:space="0" w:color="AFB8C1"/>'))
            rpr.append(parse_xml(f'<w:shd {nsdecls("w")} w:val="clear" w:color="auto" w:fill="F4F4F6"/>'))
        if "Footnote Reference" in self.created:
            self.styles["Footnote Reference"].font.superscript = True
        if self.house:
            for style in list(self.styles):
                if style.name not in self.created and house.look_of(style.name) is not None:
                    self.dress(style.name)
            self.style("Header", P, "Normal")
            self.style("Footer", P, "Normal")
        self._defaults(lang)

    def _defaults(self, lang: str) -> None:
        """Document defaults: the language, the East Asian font (named, not the theme's:
        Word ignores ``w:eastAsia`` beside ``w:eastAsiaTheme``), and Word's own gap between
        East Asian and Latin text or digits (``w:autoSpaceDE``/``w:autoSpaceDN``: spacing,
        not a character, so the text stays as written); for a right-to-left document, its
        language as the complex-script one and paragraphs right to left."""
        defaults = self.styles.element.find(qn("w:docDefaults"))
        rpr_default = self.styles.element.find(qn("w:docDefaults") + "/" + qn("w:rPrDefault") + "/" + qn("w:rPr"))
        if is_rtl(lang) and defaults is not None:
            ppr = _default_ppr(defaults)
            direction.set_bidi(ppr, True)
            direction.order_properties(defaults)
        if rpr_default is not None:
            value, font = word_lang(lang)
            attrs = {"w:val": "en-US" if font else value, "w:eastAsia": value if font else "zh-TW"}
            if is_rtl(lang):
                attrs = {"w:val": "en-US", "w:eastAsia": "zh-TW", "w:bidi": word_bidi(lang)}
            set_lang(rpr_default, attrs)
            faces = rpr_default.find(qn("w:rFonts"))
            if faces is None:
                faces = etree.SubElement(rpr_default, qn("w:rFonts"))
            faces.set(qn("w:eastAsia"), east_asian(lang) if font is None else word_name(font))
            faces.attrib.pop(qn("w:eastAsiaTheme"), None)
            if self.house:  # the house's faces and size, not the theme's Calibri at 11 pt
                for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme"):
                    faces.attrib.pop(qn(theme), None)
                for slot in ("w:ascii", "w:hAnsi", "w:cs"):
                    faces.set(qn(slot), house.TEXT_FACE)
                for name in ("w:sz", "w:szCs"):
                    for old in rpr_default.findall(qn(name)):
                        rpr_default.remove(old)
                    faces.addnext(etree.Element(qn(name), {qn("w:val"): str(round(house.BODY * 2))}))
                size = rpr_default.find(qn("w:szCs"))
                size.addprevious(rpr_default.find(qn("w:sz")))
        defaults = self.styles.element.find(qn("w:docDefaults"))
        if defaults is not None:
            ppr = _default_ppr(defaults)
            for name in ("w:autoSpaceDE", "w:autoSpaceDN"):
                for old in ppr.findall(qn(name)):
                    ppr.remove(old)
            later = [child for child in ppr if etree.QName(child).localname in _AFTER_AUTOSPACE]
            for name in ("w:autoSpaceDE", "w:autoSpaceDN"):
                element = etree.Element(qn(name), {qn("w:val"): "1"})
                if later:
                    later[0].addprevious(element)
                else:
                    ppr.append(element)

    def id(self, name: str) -> str:
        found = self._ids.get(name)
        if found is None:
            found = self._ids[name] = str(self.styles[name].style_id)
        return found

    def half_points(self, style_id: str | None) -> int:
        """The font size of a paragraph style (by id; None: the default paragraph style), in
        half-points: its own, its base style's, or the document default's."""
        style = next((st for st in self.styles if st.style_id == style_id), None) if style_id else None
        style = style or self.styles.default(WD_STYLE_TYPE.PARAGRAPH)
        while style is not None:
            if style.font.size:
                return round(float(style.font.size.pt) * 2)
            style = style.base_style
        default = self.styles.element.find(
            qn("w:docDefaults") + "/" + qn("w:rPrDefault") + "/" + qn("w:rPr") + "/" + qn("w:sz")
        )
        return int(default.get(qn("w:val"))) if default is not None else 22

    def list_style(self, kind: str, depth: int) -> str:
        """The name of the list style for ``kind`` at ``depth``; levels past the reference's
        are cloned from its level 3, indented further."""
        base = {"bullet": "List Bullet", "number": "List Number", "continue": "List Continue"}[kind]
        name = base if depth == 1 else f"{base} {depth}"
        try:
            self.styles[name]
        except KeyError:
            source = self.styles[f"{base} 3"].element
            clone = copy.deepcopy(source)
            clone.set(qn("w:styleId"), name.replace(" ", ""))
            clone.find(qn("w:name")).set(qn("w:val"), name)
            pPr = clone.find(qn("w:pPr"))
            if pPr is None:
                pPr = etree.SubElement(clone, qn("w:pPr"))
            for ind in pPr.findall(qn("w:ind")):
                pPr.remove(ind)
            etree.SubElement(pPr, qn("w:ind"), {qn("w:left"): str(360 * (depth + 1)), qn("w:hanging"): "360"})
            self.styles.element.append(clone)
        return name


def _default_ppr(defaults: etree._Element) -> etree._Element:
    """The document defaults' paragraph properties (``w:pPrDefault/w:pPr``), made if missing."""
    holder = defaults.find(qn("w:pPrDefault"))
    if holder is None:
        holder = etree.SubElement(defaults, qn("w:pPrDefault"))
    ppr = holder.find(qn("w:pPr"))
    return ppr if ppr is not None else etree.SubElement(holder, qn("w:pPr"))
