"""Footnotes: real Word footnotes in a footnotes part, made on the first note."""

from __future__ import annotations

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.oxml.xmlchemy import BaseOxmlElement
from lxml import etree

from publish import model as m
from publish.writers.docx import direction
from publish.writers.docx.blocks import paragraph, write_blocks
from publish.writers.docx.divs import set_ppr
from publish.writers.docx.house import NOTE_INDENT_PT, twips
from publish.writers.docx.state import RunStyle, State, XmlPart

_SPACING = '<w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>'
#: Where a note's text starts, its number hanging before it (twips).
NOTE_INDENT = twips(NOTE_INDENT_PT)
FOOTNOTES_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"


class Footnotes:
    """The footnotes of one document."""

    def __init__(self, s: State):
        self.s = s
        self.part: Part | None = None
        self.root: BaseOxmlElement | None = None

    def _footnotes(self) -> tuple[Part, BaseOxmlElement]:
        if self.part is None or self.root is None:
            # The separator line starts where the text does: on the right in a right-to-left document.
            spacing = _SPACING.replace("<w:pPr>", "<w:pPr><w:bidi/>") if self.s.rtl else _SPACING
            xml = (
                f"<w:footnotes {nsdecls('w', 'r')}>"
                f'<w:footnote w:type="separator" w:id="-1"><w:p>{spacing}<w:r><w:separator/></w:r></w:p></w:footnote>'
                f'<w:footnote w:type="continuationSeparator" w:id="0"><w:p>{spacing}'
                "<w:r><w:continuationSeparator/></w:r></w:p></w:footnote>"
                "</w:footnotes>"
            )
            self.root = parse_xml(xml)
            self.part = XmlPart(PackURI("/word/footnotes.xml"), FOOTNOTES_CT, self.root, self.s.part.package)
            self.s.part.relate_to(self.part, RT.FOOTNOTES)
        return self.part, self.root

    def note(self, parent: etree._Element, note: m.Note, style: RunStyle) -> None:
        """The note's reference at the end of ``parent``; the note itself in the footnotes part."""
        s = self.s
        part, root = self._footnotes()
        r = etree.SubElement(parent, qn("w:r"))
        rPr = etree.SubElement(r, qn("w:rPr"))
        etree.SubElement(rPr, qn("w:rStyle"), {qn("w:val"): s.styles.id("Footnote Reference")})
        if style.rtl:
            etree.SubElement(rPr, qn("w:rtl"))
        etree.SubElement(r, qn("w:footnoteReference"), {qn("w:id"): str(note.number)})
        footnote = etree.SubElement(root, qn("w:footnote"), {qn("w:id"): str(note.number)})
        # A note is written where it is defined, in the document's language (as the other
        # editions set it), whatever the language of the text that calls it.
        write_blocks(s, footnote, note.blocks, part, base="Footnote Text")
        first = footnote.find(qn("w:p"))
        if first is None:
            first = paragraph(s, footnote, "Footnote Text")
        mark = etree.Element(qn("w:r"))
        mark_pr = etree.SubElement(mark, qn("w:rPr"))
        etree.SubElement(mark_pr, qn("w:rStyle"), {qn("w:val"): s.styles.id("Footnote Reference")})
        etree.SubElement(mark, qn("w:footnoteRef"))
        space = etree.Element(qn("w:r"))
        if s.styles.house:  # the number hangs in the margin of the note's text (its style's indent)
            etree.SubElement(space, qn("w:tab"))
            set_ppr(first, etree.Element(qn("w:ind"), {qn("w:left"): NOTE_INDENT, qn("w:hanging"): NOTE_INDENT}))
        else:
            space_text = etree.SubElement(space, qn("w:t"))
            space_text.text = " "
            space_text.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        first[0].addnext(mark)  # after w:pPr, which paragraph() always writes first
        mark.addnext(space)
        direction.order_properties(footnote)
