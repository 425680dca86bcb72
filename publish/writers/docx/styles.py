"""The DOCX's styles and page: the reference document, the Word styles the writer uses (made
when the reference lacks them), the document's language defaults, the page size and margins."""

from __future__ import annotations

import contextlib
import copy
from pathlib import Path

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Emu, Inches, Mm, Pt, RGBColor
from lxml import etree

from publish import fonts
from publish import model as m
from publish import templates as tpl
from publish.errors import PublishError
from publish.langs import is_rtl, word_bidi, word_lang
from publish.options import PAPERS, Options
from publish.writers.docx import direction


def reference(doc: m.Document, options: Options) -> Path | None:
    """The reference document: ``--reference-docx``, else the theme's ``docx/reference.docx``
    (None: python-docx's default template)."""
    path = options.reference_docx or tpl.find_file(options.template_path, "docx/reference.docx")
    if path is not None and not path.is_file():
        raise PublishError(f"reference document {path} does not exist", doc.source)
    return path


def load(doc: m.Document, reference: Path | None) -> docx.document.Document:
    try:
        return docx.Document(str(reference) if reference else None)
    except Exception as exc:  # python-docx raises zip and XML errors of its own
        raise PublishError(f"reference document {reference} is not a Word document: {exc}", doc.source) from None


def page_size(document: docx.document.Document, paper: str) -> None:
    """The default template is US Letter; our page is the PDF's (A4 unless publish.toml says)."""
    width, height = PAPERS.get(paper, PAPERS["A4"])
    for section in document.sections:
        section.page_width, section.page_height = Mm(width), Mm(height)
        section.left_margin = section.right_margin = Mm(22)
        section.top_margin = section.bottom_margin = Mm(25)


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


def font_table(document: docx.document.Document) -> None:
    """Name, in the font table, the face Word has for each Noto face the DOCX uses
    (``w:altName``): a Word without Noto takes that one, LibreOffice finds Noto installed."""
    alternatives = fonts.word_alternatives()
    used: set[str] = set()
    table_part = None
    for part in document.part.package.iter_parts():
        if part.partname == "/word/fontTable.xml":
            table_part = part
        element = getattr(part, "element", None)  # the parts held as XML: document, styles, footnotes
        if element is not None:
            for faces in element.iter(qn("w:rFonts")):
                used.update(v for v in faces.attrib.values() if v in alternatives)
    if table_part is None or not used:
        return
    table = etree.fromstring(table_part.blob)
    known = {f.get(qn("w:name")): f for f in table.findall(qn("w:font"))}
    for name in sorted(used):
        entry = known.get(name)
        if entry is None:
            entry = etree.SubElement(table, qn("w:font"), {qn("w:name"): name})
        for old in entry.findall(qn("w:altName")):
            entry.remove(old)
        entry.insert(0, etree.Element(qn("w:altName"), {qn("w:val"): alternatives[name]}))
    table_part._blob = etree.tostring(table, xml_declaration=True, encoding="UTF-8", standalone=True)


class Styles:
    """The document's styles, and which of them the writer made."""

    def __init__(self, document: docx.document.Document):
        self.styles = document.styles
        self.created: set[str] = set()

    def __getitem__(self, name: str):  # type: ignore[no-untyped-def]
        return self.styles[name]

    def style(self, name: str, kind: WD_STYLE_TYPE, base: str | None = None):  # type: ignore[no-untyped-def]
        """The style ``name``; created (based on ``base``) when the reference lacks it. Only
        styles created here are given our look: a reference document's styles stay as they are."""
        try:
            return self.styles[name]
        except KeyError:
            style = self.styles.add_style(name, kind)
            if base:
                style.base_style = self.styles[base]
            self.created.add(name)
            return style

    def ensure(self, lang: str) -> None:
        """Every style the writer uses, and the document defaults for ``lang``."""
        P, C = WD_STYLE_TYPE.PARAGRAPH, WD_STYLE_TYPE.CHARACTER
        styles = self.styles
        new = self.created
        for name in ("Publisher", "Byline", "Date Line", "Figure"):
            self.style(name, P, "Normal")
        if "Publisher" in new:
            styles["Publisher"].font.bold = True
        if "Date Line" in new:
            styles["Date Line"].font.italic = True
        if "Figure" in new:
            styles["Figure"].paragraph_format.alignment = 1
        code = self.style("Source Code", P, "Normal")
        if "Source Code" in new:
            code.font.name = "DejaVu Sans Mono"
            code.font.size = Pt(9)
            code.paragraph_format.space_after = Pt(6)
        verbatim = self.style("Verbatim Char", C)
        if "Verbatim Char" in new:
            verbatim.font.name = "DejaVu Sans Mono"
        keyboard = self.style("Keyboard", C)  # HTML's <kbd>: a key, drawn as one
        if "Keyboard" in new:
            keyboard.font.name = "DejaVu Sans Mono"
            rpr = keyboard.element.get_or_add_rPr()
            rpr.append(parse_xml(f'<w:bdr {nsdecls("w")} w:val="single" w:sz="4" w:space="0" w:color="AFB8C1"/>'))
            rpr.append(parse_xml(f'<w:shd {nsdecls("w")} w:val="clear" w:color="auto" w:fill="F4F4F6"/>'))
        link = self.style("Hyperlink", C)
        if "Hyperlink" in new:
            link.font.color.rgb = RGBColor(0x0B, 0x57, 0xD0)
            link.font.underline = True
        note_text = self.style("Footnote Text", P, "Normal")
        if "Footnote Text" in new:
            note_text.font.size = Pt(9)
        note_ref = self.style("Footnote Reference", C)
        if "Footnote Reference" in new:
            note_ref.font.superscript = True
        rule = self.style("Thematic Break", P, "Normal")
        if "Thematic Break" in new:
            rule.element.get_or_add_pPr().append(
                parse_xml(
                    f'<w:pBdr {nsdecls("w")}><w:bottom w:val="single" w:sz="6" w:space="1" w:color="auto"/></w:pBdr>'
                )
            )
        self.style("Table Caption", P, "Caption")  # pandoc's name; a figure's caption is "Caption"
        heading = self.style("TOC Heading", P, "Normal")
        if "TOC Heading" in new:
            heading.font.bold = True
            heading.font.size = Pt(14)
            heading.paragraph_format.space_before = Pt(12)
        for level in range(1, 10):
            entry = self.style(f"toc {level}", P, "Normal")
            if f"toc {level}" in new:
                entry.paragraph_format.left_indent = Pt(11 * (level - 1))
                entry.paragraph_format.space_after = Pt(2)
        for name in new:
            direction.complex_script_twins(self.styles[name].element)
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
            ppr_default = defaults.find(qn("w:pPrDefault"))
            if ppr_default is None:
                ppr_default = etree.SubElement(defaults, qn("w:pPrDefault"))
            ppr = ppr_default.find(qn("w:pPr"))
            if ppr is None:
                ppr = etree.SubElement(ppr_default, qn("w:pPr"))
            direction.set_bidi(ppr, True)
            direction.order_properties(ppr_default)
        if rpr_default is not None:
            value, font = word_lang(lang)
            attrs = {"w:val": "en-US" if font else value, "w:eastAsia": value if font else "zh-TW"}
            if is_rtl(lang):
                attrs = {"w:val": "en-US", "w:eastAsia": "zh-TW", "w:bidi": word_bidi(lang)}
            set_lang(rpr_default, attrs)
            faces = rpr_default.find(qn("w:rFonts"))
            if faces is None:
                faces = etree.SubElement(rpr_default, qn("w:rFonts"))
            faces.set(qn("w:eastAsia"), font or fonts.east_asian(lang))
            faces.attrib.pop(qn("w:eastAsiaTheme"), None)
        defaults = self.styles.element.find(qn("w:docDefaults"))
        if defaults is not None:
            ppr_holder = defaults.find(qn("w:pPrDefault"))
            if ppr_holder is None:
                ppr_holder = etree.SubElement(defaults, qn("w:pPrDefault"))
            ppr = ppr_holder.find(qn("w:pPr"))
            if ppr is None:
                ppr = etree.SubElement(ppr_holder, qn("w:pPr"))
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
        return str(self.styles[name].style_id)

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

    def table_style(self) -> str | None:
        """The reference document's "Table" style (pandoc's convention), else "Table Grid"."""
        for name in ("Table", "Table Grid"):
            with contextlib.suppress(KeyError):
                style = self.styles[name]
                if style.type == WD_STYLE_TYPE.TABLE:
                    return str(style.style_id)
        return None
