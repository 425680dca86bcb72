"""DOCX edition with python-docx, at the XML level where python-docx has no API.

Word styles carry the structure (Title, Subtitle, Heading 1–6, Normal, Quote, List Bullet
n / List Number n / List Continue n, Caption, Source Code, Figure, Footnote Text); the
title block is the theme's ``base/titleblock.html`` mapped onto Word styles; footnotes are
real Word footnotes in a footnotes part; links are ``w:hyperlink``; every run carries
``w:lang`` and East Asian runs an East Asian font.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import docx
import lxml.html
from docx.enum.style import WD_STYLE_TYPE
from docx.image.image import Image as DocxImage
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.oxml.shape import CT_Inline
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Emu, Inches, Mm, Pt, RGBColor
from lxml import etree

from publish import highlight, langs
from publish import model as m
from publish import templates as tpl
from publish.errors import PublishError
from publish.writers import common

_SPACING = '<w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>'
FOOTNOTES_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
CUSTOM_CT = "application/vnd.openxmlformats-officedocument.custom-properties+xml"

#: Title-block classes (from base/titleblock.html) → Word paragraph styles.
TITLE_STYLES = {
    "publisher": "Publisher",
    "title": "Title",
    "subtitle": "Subtitle",
    "byline": "Byline",
    "dateline": "Date Line",
}
#: BCP 47 → the tag Word uses for East Asian proofing and fonts.
WORD_EAST_ASIAN = {"zh-Hant": "zh-TW", "zh-Hans": "zh-CN", "zh": "zh-CN", "ja": "ja-JP", "ko": "ko-KR"}
CJK_FONTS = {
    "zh-TW": "Noto Serif CJK TC",
    "zh-CN": "Noto Serif CJK SC",
    "ja-JP": "Noto Serif CJK JP",
    "ko-KR": "Noto Serif CJK KR",
}


def word_lang(tag: str) -> tuple[str, str | None]:
    """(w:val or w:eastAsia value, East Asian font) for a BCP 47 tag."""
    if langs.is_cjk(tag):
        loc = langs.locale(tag)
        key = "zh-Hant" if langs.is_traditional_chinese(tag) else ("zh-Hans" if loc.language == "zh" else loc.language)
        word = WORD_EAST_ASIAN.get(key, tag)
        return word, CJK_FONTS.get(word)
    return tag, None


@dataclass(frozen=True)
class RunStyle:
    bold: bool = False
    italic: bool = False
    vert: str = ""  # superscript | subscript
    code: bool = False
    link: bool = False
    lang: str = "en"
    color: str | None = None  # RRGGBB, for highlighted code


class DocxWriter:
    def __init__(self, doc: m.Document, options: common.Options):
        self.model = doc
        self.options = options
        reference = options.reference_docx or tpl.find_file(options.template_path, "docx/reference.docx")
        if reference is not None and not Path(reference).is_file():
            raise PublishError(f"reference document {reference} does not exist", doc.source)
        try:
            self.document = docx.Document(str(reference) if reference else None)
        except Exception as exc:  # python-docx raises zip and XML errors of its own
            raise PublishError(f"reference document {reference} is not a Word document: {exc}", doc.source) from None
        self.part = self.document.part
        self.styles = self.document.styles
        self.created: set[str] = set()
        self.ctx = common.context(doc, options)  # the templates' data: title block, TOC
        if reference is None:
            _page_size(self.document, options.paper)
        section = self.document.sections[-1]
        self.text_width = Emu(
            (section.page_width or Inches(8.5)) - (section.left_margin or 0) - (section.right_margin or 0)
        )
        self.text_height = Emu(
            (section.page_height or Inches(11)) - (section.top_margin or 0) - (section.bottom_margin or 0)
        )
        self._ensure_styles()
        self.footnotes_part: Part | None = None
        self.footnotes_root: BaseOxmlElement | None = None
        self._shape_id = 1000

    # ---------------------------------------------------------------- styles
    def _style(self, name: str, kind: WD_STYLE_TYPE, base: str | None = None):  # type: ignore[no-untyped-def]
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

    def _ensure_styles(self) -> None:
        P, C = WD_STYLE_TYPE.PARAGRAPH, WD_STYLE_TYPE.CHARACTER
        lang = self.model.meta.lang
        new = self.created
        for name in ("Publisher", "Byline", "Date Line", "Figure"):
            self._style(name, P, "Normal")
        if "Publisher" in new:
            self.styles["Publisher"].font.bold = True
        if "Date Line" in new:
            self.styles["Date Line"].font.italic = True
        if "Figure" in new:
            self.styles["Figure"].paragraph_format.alignment = 1
        code = self._style("Source Code", P, "Normal")
        if "Source Code" in new:
            code.font.name = "DejaVu Sans Mono"
            code.font.size = Pt(9)
            code.paragraph_format.space_after = Pt(6)
        verbatim = self._style("Verbatim Char", C)
        if "Verbatim Char" in new:
            verbatim.font.name = "DejaVu Sans Mono"
        link = self._style("Hyperlink", C)
        if "Hyperlink" in new:
            link.font.color.rgb = RGBColor(0x0B, 0x57, 0xD0)
            link.font.underline = True
        note_text = self._style("Footnote Text", P, "Normal")
        if "Footnote Text" in new:
            note_text.font.size = Pt(9)
        note_ref = self._style("Footnote Reference", C)
        if "Footnote Reference" in new:
            note_ref.font.superscript = True
        rule = self._style("Thematic Break", P, "Normal")
        if "Thematic Break" in new:
            rule.element.get_or_add_pPr().append(
                parse_xml(
                    f'<w:pBdr {nsdecls("w")}><w:bottom w:val="single" w:sz="6" w:space="1" w:color="auto"/></w:pBdr>'
                )
            )
        self._style("Table Caption", P, "Caption")  # pandoc's name; a figure's caption is "Caption"
        heading = self._style("TOC Heading", P, "Normal")
        if "TOC Heading" in new:
            heading.font.bold = True
            heading.font.size = Pt(14)
            heading.paragraph_format.space_before = Pt(12)
        for level in range(1, 10):
            entry = self._style(f"toc {level}", P, "Normal")
            if f"toc {level}" in new:
                entry.paragraph_format.left_indent = Pt(11 * (level - 1))
                entry.paragraph_format.space_after = Pt(2)
        # Document defaults: the language and the East Asian font.
        rpr_default = self.styles.element.find(qn("w:docDefaults") + "/" + qn("w:rPrDefault") + "/" + qn("w:rPr"))
        if rpr_default is not None:
            value, font = word_lang(lang)
            attrs = {"w:val": "en-US" if font else value, "w:eastAsia": value if font else "zh-TW"}
            self._set_lang(rpr_default, attrs)
            fonts = rpr_default.find(qn("w:rFonts"))
            if fonts is None:
                fonts = etree.SubElement(rpr_default, qn("w:rFonts"))
            fonts.set(qn("w:eastAsia"), font or CJK_FONTS["zh-TW"])

    @staticmethod
    def _set_lang(rpr: etree._Element, attrs: dict[str, str]) -> None:
        for old in rpr.findall(qn("w:lang")):
            rpr.remove(old)
        el = etree.SubElement(rpr, qn("w:lang"))
        for k, v in attrs.items():
            el.set(qn(k), v)

    def style_id(self, name: str) -> str:
        return str(self.styles[name].style_id)

    def list_style(self, kind: str, depth: int) -> str:
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

    # ---------------------------------------------------------------- paragraphs
    def paragraph(self, container: etree._Element, style: str) -> etree._Element:
        p = etree.SubElement(container, qn("w:p"))
        pPr = etree.SubElement(p, qn("w:pPr"))
        etree.SubElement(pPr, qn("w:pStyle"), {qn("w:val"): self.style_id(style)})
        return p

    def run(self, parent: etree._Element, text: str, style: RunStyle) -> etree._Element:
        r = etree.SubElement(parent, qn("w:r"))
        rPr = etree.SubElement(r, qn("w:rPr"))
        if style.code:
            etree.SubElement(rPr, qn("w:rStyle"), {qn("w:val"): self.style_id("Verbatim Char")})
        elif style.link:
            etree.SubElement(rPr, qn("w:rStyle"), {qn("w:val"): self.style_id("Hyperlink")})
        value, font = word_lang(style.lang)
        if font:
            etree.SubElement(rPr, qn("w:rFonts"), {qn("w:eastAsia"): font, qn("w:hint"): "eastAsia"})
        if style.bold:
            etree.SubElement(rPr, qn("w:b"))
        if style.italic:
            etree.SubElement(rPr, qn("w:i"))
        if style.color:
            etree.SubElement(rPr, qn("w:color"), {qn("w:val"): style.color.upper()})
        if style.vert:
            etree.SubElement(rPr, qn("w:vertAlign"), {qn("w:val"): style.vert})
        self._set_lang(rPr, {"w:eastAsia": value} if font else {"w:val": value})
        lines = text.split("\n")
        for i, line in enumerate(lines):
            if i:
                etree.SubElement(r, qn("w:br"))
            t = etree.SubElement(r, qn("w:t"))
            t.text = line
            t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        return r

    # ---------------------------------------------------------------- inlines
    def inlines(self, parent: etree._Element, nodes: Iterable[m.Inline], style: RunStyle, part: Part) -> None:
        for node in nodes:
            match node:
                case m.Text(text=t):
                    self.run(parent, t, style)
                case m.Code(text=t):
                    self.run(parent, t, replace(style, code=True))
                case m.Emphasis(content=c):
                    self.inlines(parent, c, replace(style, italic=not style.italic), part)
                case m.Strong(content=c):
                    self.inlines(parent, c, replace(style, bold=True), part)
                case m.Superscript(content=c):
                    self.inlines(parent, c, replace(style, vert="superscript"), part)
                case m.Subscript(content=c):
                    self.inlines(parent, c, replace(style, vert="subscript"), part)
                case m.Span(content=c, attr=attr):
                    self.inlines(parent, c, replace(style, lang=attr.lang or style.lang), part)
                case m.LineBreak():
                    r = etree.SubElement(parent, qn("w:r"))
                    etree.SubElement(r, qn("w:br"))
                case m.Link(content=c, url=url):
                    link = etree.SubElement(parent, qn("w:hyperlink"))
                    if url.startswith("#"):
                        link.set(qn("w:anchor"), url[1:])
                    else:
                        link.set(qn("r:id"), part.relate_to(url, RT.HYPERLINK, is_external=True))
                    self.inlines(link, c, replace(style, link=True), part)
                case m.Image(src=src, alt=alt):
                    r = etree.SubElement(parent, qn("w:r"))
                    drawing = etree.SubElement(r, qn("w:drawing"))
                    drawing.append(self.picture(part, src, alt, max_height=Pt(14)))
                case m.Note():
                    self.note(parent, node, style)

    def picture(self, part: Part, src: str, alt: str, max_height: int | None = None) -> CT_Inline:
        """An inline picture scaled down to fit the text area (never enlarged)."""
        path = common.image_path(self.model, src, self.options)
        try:
            image_part = self.part.package.get_or_add_image_part(str(path))
        except Exception as exc:  # python-docx raises its own UnrecognizedImageError
            raise PublishError(f"image {src!r} cannot go into a DOCX: {exc}", self.model.source) from None
        rid = part.relate_to(image_part, RT.IMAGE)
        image: DocxImage = image_part.image
        cx, cy = image.width, image.height
        limit = max_height if max_height is not None else int(self.text_height * 0.8)
        scale = min(1.0, self.text_width / cx, limit / cy)
        self._shape_id += 1
        inline = CT_Inline.new_pic_inline(
            self._shape_id, rid, Path(src).name, Emu(int(cx * scale)), Emu(int(cy * scale))
        )
        inline.docPr.set("descr", alt)
        inline.docPr.set("title", alt)
        return inline

    # ---------------------------------------------------------------- notes
    def _footnotes(self) -> tuple[Part, BaseOxmlElement]:
        if self.footnotes_part is None or self.footnotes_root is None:
            xml = (
                f"<w:footnotes {nsdecls('w', 'r')}>"
                f'<w:footnote w:type="separator" w:id="-1"><w:p>{_SPACING}<w:r><w:separator/></w:r></w:p></w:footnote>'
                f'<w:footnote w:type="continuationSeparator" w:id="0"><w:p>{_SPACING}'
                "<w:r><w:continuationSeparator/></w:r></w:p></w:footnote>"
                "</w:footnotes>"
            )
            self.footnotes_root = parse_xml(xml)
            self.footnotes_part = _XmlPart(
                PackURI("/word/footnotes.xml"), FOOTNOTES_CT, self.footnotes_root, self.part.package
            )
            self.part.relate_to(self.footnotes_part, RT.FOOTNOTES)
        return self.footnotes_part, self.footnotes_root

    def note(self, parent: etree._Element, note: m.Note, style: RunStyle) -> None:
        part, root = self._footnotes()
        r = etree.SubElement(parent, qn("w:r"))
        rPr = etree.SubElement(r, qn("w:rPr"))
        etree.SubElement(rPr, qn("w:rStyle"), {qn("w:val"): self.style_id("Footnote Reference")})
        etree.SubElement(r, qn("w:footnoteReference"), {qn("w:id"): str(note.number)})
        footnote = etree.SubElement(root, qn("w:footnote"), {qn("w:id"): str(note.number)})
        self.blocks(footnote, note.blocks, part, base="Footnote Text", lang=style.lang)
        first = footnote.find(qn("w:p"))
        if first is None:
            first = self.paragraph(footnote, "Footnote Text")
        mark = etree.Element(qn("w:r"))
        mark_pr = etree.SubElement(mark, qn("w:rPr"))
        etree.SubElement(mark_pr, qn("w:rStyle"), {qn("w:val"): self.style_id("Footnote Reference")})
        etree.SubElement(mark, qn("w:footnoteRef"))
        space = etree.Element(qn("w:r"))
        space_text = etree.SubElement(space, qn("w:t"))
        space_text.text = " "
        space_text.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        first[0].addnext(mark)  # after w:pPr, which paragraph() always writes first
        mark.addnext(space)

    # ---------------------------------------------------------------- blocks
    def blocks(
        self,
        container: etree._Element,
        nodes: Iterable[m.Block],
        part: Part,
        *,
        base: str = "Normal",
        lang: str | None = None,
        depth: int = 0,
        list_style: tuple[str, str] | None = None,
    ) -> None:
        """Append ``nodes``. ``base`` is the style of plain paragraphs here (Normal, Quote,
        Footnote Text); inside a list item ``list_style`` = (first paragraph, the rest)."""
        style = RunStyle(lang=lang or self.model.meta.lang)
        first_in_item = True
        for node in nodes:
            para_style = base
            if list_style is not None:
                para_style = list_style[0] if first_in_item else list_style[1]
            first_in_item = False
            match node:
                case m.Heading(level=level, content=c, attr=attr):
                    p = self.paragraph(container, f"Heading {level}")
                    if "chapter" in attr.classes:  # a book's chapter starts a page
                        etree.SubElement(p[0], qn("w:pageBreakBefore"))  # p[0] is its w:pPr
                    if attr.id and part is self.part:
                        self._bookmark(p, attr.id)
                    self.inlines(p, c, style, part)
                case m.Paragraph(content=c):
                    p = self.paragraph(container, para_style)
                    self.inlines(p, c, style, part)
                case m.BlockQuote(blocks=inner):
                    if list_style is None:
                        self.blocks(container, inner, part, base="Quote", lang=lang, depth=depth)
                    else:  # inside a list item the item's styles win (see outline.flatten)
                        self.blocks(
                            container,
                            inner,
                            part,
                            base=base,
                            lang=lang,
                            depth=depth,
                            list_style=(para_style, list_style[1]),
                        )
                case m.BulletList(items=items) | m.OrderedList(items=items):
                    kind = "bullet" if isinstance(node, m.BulletList) else "number"
                    first = self.list_style(kind, depth + 1)
                    rest = self.list_style("continue", depth + 1)
                    num_id = self._restart(first, node.start) if isinstance(node, m.OrderedList) else None
                    for item in items:
                        start = len(container)
                        self.blocks(
                            container,
                            item.blocks,
                            part,
                            base=base,
                            lang=lang,
                            depth=depth + 1,
                            list_style=(first, rest),
                        )
                        if num_id is not None and len(container) > start:
                            self._num(container[start], num_id)
                case m.CodeBlock(text=code, language=language):
                    p = self.paragraph(container, "Source Code")
                    for token in highlight.tokens(code, language):
                        color = token.color.lstrip("#") if token.color else None
                        self.run(p, token.text, replace(style, color=color, bold=token.bold, italic=token.italic))
                case m.Figure(image=image, caption=caption):
                    p = self.paragraph(container, "Figure")
                    r = etree.SubElement(p, qn("w:r"))
                    etree.SubElement(r, qn("w:drawing")).append(self.picture(part, image.src, image.alt))
                    cap = self.paragraph(container, "Caption")
                    self.inlines(cap, caption, style, part)
                case m.Table():
                    self.table(container, node, style, part)
                case m.ThematicBreak():
                    self.paragraph(container, "Thematic Break")

    def _bookmark(self, p: etree._Element, name: str) -> None:
        self._shape_id += 1
        bid = str(self._shape_id)
        etree.SubElement(p, qn("w:bookmarkStart"), {qn("w:id"): bid, qn("w:name"): name})
        etree.SubElement(p, qn("w:bookmarkEnd"), {qn("w:id"): bid})

    def _restart(self, style_name: str, start: int) -> str | None:
        num_pr = self.styles[style_name].element.find(qn("w:pPr") + "/" + qn("w:numPr") + "/" + qn("w:numId"))
        if num_pr is None:
            return None
        numbering = self.part.numbering_part.element
        old = numbering.num_having_numId(int(num_pr.get(qn("w:val"))))
        num = numbering.add_num(old.abstractNumId.val)
        num.add_lvlOverride(ilvl=0).add_startOverride(start)
        return str(num.numId)

    @staticmethod
    def _num(p: etree._Element, num_id: str) -> None:
        pPr = p.find(qn("w:pPr"))
        if pPr is None or p.tag != qn("w:p"):
            return
        numPr = etree.SubElement(pPr, qn("w:numPr"))
        etree.SubElement(numPr, qn("w:ilvl"), {qn("w:val"): "0"})
        etree.SubElement(numPr, qn("w:numId"), {qn("w:val"): num_id})

    def table(self, container: etree._Element, table: m.Table, style: RunStyle, part: Part) -> None:
        if table.caption:
            cap = self.paragraph(container, "Table Caption")
            self.inlines(cap, table.caption, style, part)
        columns = max([len(table.header), *(len(r) for r in table.rows)])
        tbl = etree.SubElement(container, qn("w:tbl"))
        tblPr = etree.SubElement(tbl, qn("w:tblPr"))
        table_style = self.table_style()
        if table_style:
            etree.SubElement(tblPr, qn("w:tblStyle"), {qn("w:val"): table_style})
        etree.SubElement(tblPr, qn("w:tblW"), {qn("w:w"): "5000", qn("w:type"): "pct"})
        etree.SubElement(tblPr, qn("w:tblLook"), {qn("w:val"): "04A0", qn("w:firstRow"): "1"})
        grid = etree.SubElement(tbl, qn("w:tblGrid"))
        width = int(self.text_width / 635 / max(columns, 1))  # twentieths of a point
        for _ in range(columns):
            etree.SubElement(grid, qn("w:gridCol"), {qn("w:w"): str(width)})
        jc = {m.Align.LEFT: "left", m.Align.CENTER: "center", m.Align.RIGHT: "right"}
        for index, row in enumerate((table.header, *table.rows)):
            tr = etree.SubElement(tbl, qn("w:tr"))
            if index == 0:
                trPr = etree.SubElement(tr, qn("w:trPr"))
                etree.SubElement(trPr, qn("w:tblHeader"))
            for col in range(columns):
                tc = etree.SubElement(tr, qn("w:tc"))
                tcPr = etree.SubElement(tc, qn("w:tcPr"))
                etree.SubElement(tcPr, qn("w:tcW"), {qn("w:w"): str(width), qn("w:type"): "dxa"})
                p = self.paragraph(tc, "Normal")
                align = table.aligns[col] if col < len(table.aligns) else m.Align.DEFAULT
                if align in jc:
                    etree.SubElement(p[0], qn("w:jc"), {qn("w:val"): jc[align]})
                if col < len(row):
                    cell_style = replace(style, bold=True) if index == 0 else style
                    self.inlines(p, row[col].content, cell_style, part)

    def table_style(self) -> str | None:
        """The reference document's "Table" style (pandoc's convention), else "Table Grid"."""
        for name in ("Table", "Table Grid"):
            with contextlib.suppress(KeyError):
                style = self.styles[name]
                if style.type == WD_STYLE_TYPE.TABLE:
                    return str(style.style_id)
        return None

    # ---------------------------------------------------------------- table of contents
    def toc(self, body: etree._Element) -> None:
        """A TOC field whose result is already filled in: one "toc n" paragraph per heading,
        linked to the heading's bookmark, with a PAGEREF field for its page. Word and
        LibreOffice show the entries as they are (no "update fields" prompt); page numbers
        depend on the reader's pagination and appear when the fields are updated."""
        ctx = self.ctx
        if not ctx["show_toc"]:
            return
        levels = max(h["level"] for h in ctx["headings"])
        sdt = etree.SubElement(body, qn("w:sdt"))
        sdt_pr = etree.SubElement(sdt, qn("w:sdtPr"))
        part_obj = etree.SubElement(sdt_pr, qn("w:docPartObj"))
        etree.SubElement(part_obj, qn("w:docPartGallery"), {qn("w:val"): "Table of Contents"})
        etree.SubElement(part_obj, qn("w:docPartUnique"))
        content = etree.SubElement(sdt, qn("w:sdtContent"))
        title = self.paragraph(content, "TOC Heading")
        self.run(title, ctx["labels"]["contents"], RunStyle(lang=self.model.meta.lang))
        for index, heading in enumerate(ctx["headings"]):
            p = self.paragraph(content, f"toc {heading['level']}")
            tabs = etree.SubElement(p[0], qn("w:tabs"))
            position = str(int(self.text_width / 635))
            etree.SubElement(tabs, qn("w:tab"), {qn("w:val"): "right", qn("w:leader"): "dot", qn("w:pos"): position})
            if index == 0:
                self._field(p, f'TOC \\o "1-{levels}" \\h \\z \\u', "begin")
            link = etree.SubElement(p, qn("w:hyperlink"), {qn("w:anchor"): heading["id"], qn("w:history"): "1"})
            self.run(link, heading["text"], RunStyle(lang=self.model.meta.lang))
            etree.SubElement(etree.SubElement(link, qn("w:r")), qn("w:tab"))
            self._field(link, f"PAGEREF {heading['id']} \\h", "begin")
            self._field(link, None, "end")
        end = self.paragraph(content, "Normal")
        self._field(end, None, "end")

    def _field(self, parent: etree._Element, instruction: str | None, kind: str) -> None:
        """``begin`` writes begin, the instruction and separate (the cached result follows);
        ``end`` closes the innermost open field."""
        if kind == "begin":
            r = etree.SubElement(parent, qn("w:r"))
            etree.SubElement(r, qn("w:fldChar"), {qn("w:fldCharType"): "begin"})
            r = etree.SubElement(parent, qn("w:r"))
            instr = etree.SubElement(r, qn("w:instrText"))
            instr.text = f" {instruction} "
            instr.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            r = etree.SubElement(parent, qn("w:r"))
            etree.SubElement(r, qn("w:fldChar"), {qn("w:fldCharType"): "separate"})
        else:
            r = etree.SubElement(parent, qn("w:r"))
            etree.SubElement(r, qn("w:fldChar"), {qn("w:fldCharType"): "end"})

    # ---------------------------------------------------------------- title block
    def title_block(self, body: etree._Element) -> None:
        ctx = self.ctx
        html = tpl.render(self.options.template_path, "base/titleblock.html", xhtml=False, **ctx)
        header = lxml.html.fragment_fromstring(html, create_parent="div")
        for element in header.iter():
            style = next((TITLE_STYLES[c] for c in element.get("class", "").split() if c in TITLE_STYLES), None)
            if style is None or element.tag not in ("p", "h1", "div"):
                continue
            p = self.paragraph(body, style)
            for text, run_style, brk in _html_runs(element, RunStyle(lang=self.model.meta.lang)):
                if brk:
                    etree.SubElement(etree.SubElement(p, qn("w:r")), qn("w:br"))
                elif text:
                    self.run(p, text, run_style)

    # ---------------------------------------------------------------- document
    def core_properties(self) -> None:
        meta = self.model.meta
        props = self.document.core_properties
        props.title = meta.title
        props.subject = meta.subtitle or meta.description
        props.author = "; ".join(a.name for a in meta.authors)
        props.keywords = ", ".join(meta.keywords)
        props.comments = meta.description
        props.language = meta.lang
        props.identifier = meta.identifier
        self.custom_properties()
        props.category = ""
        props.last_modified_by = "; ".join(a.name for a in meta.authors) or "publish"
        props.revision = 1
        now = self.options.now.replace(tzinfo=None)
        props.created = dt.datetime.combine(meta.date, dt.time()) if meta.date else now
        props.modified = now
        element = props._element  # the template's 2013 lastPrinted date must not survive
        for child in list(element):
            if str(child.tag).endswith("}lastPrinted"):
                element.remove(child)
        props.content_status = ""
        props.version = ""

    def custom_properties(self) -> None:
        """docProps/custom.xml: the entries of :func:`common.custom_properties` (as the PDF)."""
        ns = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
        vt = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
        root = etree.Element(f"{{{ns}}}Properties", nsmap={None: ns, "vt": vt})  # type: ignore[dict-item]
        fmtid = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"
        for pid, (name, value) in enumerate(common.custom_properties(self.model.meta).items(), start=2):
            prop = etree.SubElement(root, f"{{{ns}}}property", {"fmtid": fmtid, "pid": str(pid), "name": name})
            etree.SubElement(prop, f"{{{vt}}}lpwstr").text = value
        package = self.part.package
        for rel in list(package.rels.values()):
            # A reference document's own custom properties, and the template's thumbnail
            # (a picture of another document).
            if rel.reltype in (RT.CUSTOM_PROPERTIES, RT.THUMBNAIL):
                package.rels.pop(rel.rId)
        part = _XmlPart(PackURI("/docProps/custom.xml"), CUSTOM_CT, root, package)
        package.relate_to(part, RT.CUSTOM_PROPERTIES)

    def build(self) -> docx.document.Document:
        body = self.document.element.body
        sect = body.find(qn("w:sectPr"))
        for child in list(body):
            if child is not sect:
                body.remove(child)
        holder = etree.Element(qn("w:body"))
        self.title_block(holder)
        self.toc(holder)
        self.blocks(holder, self.model.blocks, self.part)
        for child in list(holder):
            if sect is not None:
                sect.addprevious(child)
            else:
                body.append(child)
        self.core_properties()
        return self.document


def _page_size(document: docx.document.Document, paper: str) -> None:
    """The default template is US Letter; our page is the PDF's (A4 unless publish.toml says)."""
    from publish.project import PAPERS

    width, height = PAPERS.get(paper, PAPERS["A4"])
    for section in document.sections:
        section.page_width, section.page_height = Mm(width), Mm(height)
        section.left_margin = section.right_margin = Mm(22)
        section.top_margin = section.bottom_margin = Mm(25)


class _XmlPart(Part):
    """A part whose blob is serialized from an lxml element when the package is saved."""

    def __init__(self, partname: PackURI, content_type: str, element: etree._Element, package):  # type: ignore[no-untyped-def]
        super().__init__(partname, content_type, package=package)
        self._element = element

    @property
    def blob(self) -> bytes:
        return etree.tostring(self._element, xml_declaration=True, encoding="UTF-8", standalone=True)


def _html_runs(element: etree._Element, style: RunStyle) -> Iterator[tuple[str, RunStyle, bool]]:
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
            yield from _html_runs(child, inner)
        if child.tail:
            yield " ".join(child.tail.split("\n")), style, False


def write(doc: m.Document, options: common.Options, dest: Path) -> Path:
    document = DocxWriter(doc, options).build()
    with common.atomic_path(dest) as tmp:
        document.save(str(tmp))
        common.normalize_zip(tmp, options.now)
    return dest
