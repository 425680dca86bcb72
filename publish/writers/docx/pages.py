"""The page numbers of the table of contents, from a real layout of the DOCX.

Word fills a TOC field's page numbers in only when its fields are updated. Where LibreOffice
is installed, a copy of the written DOCX is laid out by it (converted to PDF, headless, as
``publish check`` does: :mod:`.office`). The copy holds a probe: a text box on the first page,
out of the text's flow, with a paragraph of PAGEREF fields, one per entry, to the entry's
heading, whose results LibreOffice computes from its layout of the whole document (in figures;
they are written in the numbers of the heading's section, as Word shows them). Those results
become the results of the TOC's PAGEREF fields; the fields stay, so Word can update them.
Without LibreOffice (or when it fails), the results are left empty and Word is asked to update
the fields when the file opens (``w:updateFields``).

Laying the document out costs a LibreOffice start (about 1.2 s) and a layout, paid only by
documents that have a table of contents (``--no-toc-pages`` skips it). Only the first page is
drawn: drawing every page costs a long document about as much again (the 100-chapter book of
the benchmarks: 2.4 s with every page drawn, 1.5 s with the first).
"""

from __future__ import annotations

import importlib
import re
import tempfile
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path

import docx
from docx.oxml.ns import qn
from docx.shared import Mm
from lxml import etree

from publish.fancylists import number_text
from publish.writers.docx import office, settings

#: The result a contents entry's PAGEREF field is written with (:func:`number` replaces it).
PLACEHOLDER = "00"
#: Twips: the column at the end of a contents entry its page number hangs in (1 cm: four
#: digits of the house's contents), which the entry's title never enters.
PAGE_COLUMN = 567
#: LibreOffice's PDF of the first page only, the probe's (drawing every page of a long
#: document costs about as much again as laying it out).
FIRST_PAGE = 'pdf:writer_pdf_Export:{"PageRange":{"type":"string","value":"1"}}'
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
#: Word's page number formats (``w:pgNumType/@w:fmt``) other than decimal, as list styles.
_NUMBER_STYLES = {"lowerRoman": "lower-roman", "upperRoman": "upper-roman", "lowerLetter": "lower-alpha",
                  "upperLetter": "upper-alpha"}  # fmt: skip
#: A probe's entry as the PDF's text has it: its index and the page its heading is on.
_ENTRY = re.compile(r"#(\d+)\s*=\s*([^#\s]*)\s*#")
#: The probe's text box: a run of a DrawingML shape anchored to the page at its top left,
#: ``cx`` by ``cy`` EMU, behind the text and without wrapping (the text flows as without it).
_TEXT_BOX = (
    '<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    ' xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"'
    ' xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"'
    ' xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><w:drawing>'
    '<wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" relativeHeight="1" behindDoc="1"'
    ' locked="0" layoutInCell="1" allowOverlap="1"><wp:simplePos x="0" y="0"/>'
    '<wp:positionH relativeFrom="page"><wp:posOffset>0</wp:posOffset></wp:positionH>'
    '<wp:positionV relativeFrom="page"><wp:posOffset>0</wp:posOffset></wp:positionV>'
    '<wp:extent cx="{cx}" cy="{cy}"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapNone/>'
    '<wp:docPr id="2147483646" name="publish probe"/><wp:cNvGraphicFramePr/><a:graphic>'
    '<a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:wsp>'
    '<wps:cNvSpPr txBox="1"/><wps:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>'
    '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></wps:spPr><wps:txbx><w:txbxContent/></wps:txbx>'
    "<wps:bodyPr/></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></w:r>"
)


def references(document: docx.document.Document) -> Iterator[tuple[str, etree._Element]]:
    """(bookmark, the ``w:t`` of its result) for each PAGEREF field of the table of contents."""
    for sdt in document.element.body.iter(qn("w:sdt")):
        for instr in sdt.iter(qn("w:instrText")):
            words = (instr.text or "").split()
            if len(words) < 2 or words[0] != "PAGEREF":
                continue
            r = instr.getparent()
            result = None
            for sibling in r.itersiblings():
                kind = sibling.find(qn("w:fldChar"))
                if kind is not None and kind.get(qn("w:fldCharType")) == "end":
                    break
                result = sibling.find(qn("w:t"))
                if result is not None:
                    break
            if result is not None:
                yield words[1], result


def number(document: docx.document.Document, enabled: bool = True) -> str:
    """Fill in the table of contents' page numbers: from LibreOffice's layout (``"layout"``),
    else ask Word to update the fields when the file opens (``"on open"``); ``"none"`` for a
    document without a table of contents.

    The document is laid out with stand-in numbers: a number hangs in a column of its own
    (:data:`PAGE_COLUMN`), so how wide it is does not change the contents' lines nor,
    therefore, the pages after them."""
    fields = list(references(document))
    if not fields:
        return "none"
    names = [name for name, _ in fields]
    pages = (heading_pages(document, names) if enabled else None) or {}
    styles = _number_styles(document, names)
    missing = False
    for i, (name, result) in enumerate(fields):
        page = pages.get(i, "")
        result.text = number_text(styles[name], int(page)) if name in styles and page.isdigit() else page
        missing = missing or i not in pages
    if missing:
        settings.update_fields_on_open(document)
        return "on open"
    return "layout"


def _number_styles(document: docx.document.Document, names: Sequence[str]) -> dict[str, str]:
    """The page numbers' style (as a list's: ``lower-roman``…) of the section each bookmark of
    ``names`` is in, where it is not decimal: LibreOffice gives a PAGEREF's page in decimal
    figures, Word in the numbers of the page's section (``w:pgNumType/@w:fmt``)."""
    body = document.element.body
    wanted, pending, found = set(names), [], {}
    for child in body:
        pending += [name for mark in child.iter(qn("w:bookmarkStart")) if (name := mark.get(qn("w:name"))) in wanted]
        sect = child if child.tag == qn("w:sectPr") else child.find(f"{qn('w:pPr')}/{qn('w:sectPr')}")
        if sect is not None:
            numbers = sect.find(qn("w:pgNumType"))
            style = _NUMBER_STYLES.get(numbers.get(qn("w:fmt"), "") if numbers is not None else "")
            found.update(dict.fromkeys(pending, style) if style else {})
            pending = []
    return found


def heading_pages(document: docx.document.Document, names: Sequence[str]) -> dict[int, str] | None:
    """The page number of each bookmark of ``names`` (by index) as LibreOffice lays the
    document out; None when LibreOffice is missing or fails."""
    exe = office.soffice()
    if exe is None:
        return None
    probe = _probe(document, names)
    # pypdf, which reads the probe, is imported while LibreOffice runs (not after it, on the
    # build's longest path: about 0.1-0.3 s in a new worker)
    reader = threading.Thread(target=importlib.import_module, args=("pypdf",), name="publish-pypdf", daemon=True)
    reader.start()
    try:
        with tempfile.TemporaryDirectory(prefix="publish-toc-") as tmp:
            source = Path(tmp) / "layout.docx"
            document.save(str(source))
            pdf = office.convert(exe, source, FIRST_PAGE)
            reader.join()
            if pdf is None:
                return None
            return _read_probe(pdf)
    finally:
        holder = probe.getparent()
        if holder is not None:
            holder.remove(probe)


def _probe(document: docx.document.Document, names: Sequence[str]) -> etree._Element:
    """A text box at the top of the first page, behind the text and out of its flow
    (anchored in the document's first paragraph): one small left-to-right paragraph of
    ``#i=PAGEREF#`` for each name, a space between them. The run that holds it is returned."""
    body = document.element.body
    width, height, size = _box(document, len(names))
    p = etree.Element(qn("w:p"))
    etree.SubElement(etree.SubElement(p, qn("w:pPr")), qn("w:bidi"), {qn("w:val"): "0"})
    for i, name in enumerate(names):
        pieces = [("text", f"#{i}="), ("begin", ""), ("instr", f" PAGEREF {name} \\h "), ("separate", ""),
                  ("text", PLACEHOLDER), ("end", ""), ("text", "# ")]  # fmt: skip
        for kind, text in pieces:
            r = etree.SubElement(p, qn("w:r"))
            rpr = etree.SubElement(r, qn("w:rPr"))
            etree.SubElement(rpr, qn("w:sz"), {qn("w:val"): size})
            etree.SubElement(rpr, qn("w:rtl"), {qn("w:val"): "0"})
            if kind == "text":
                etree.SubElement(r, qn("w:t"), {XML_SPACE: "preserve"}).text = text
            elif kind == "instr":
                etree.SubElement(r, qn("w:instrText"), {XML_SPACE: "preserve"}).text = text
            else:
                etree.SubElement(r, qn("w:fldChar"), {qn("w:fldCharType"): kind})
    run = etree.fromstring(_TEXT_BOX.format(cx=width, cy=height))
    next(run.iter(qn("w:txbxContent"))).append(p)
    boxed = qn("w:txbxContent")
    first = next(p for p in body.iter(qn("w:p")) if not any(a.tag == boxed for a in p.iterancestors()))
    first.append(run)
    return run


def _box(document: docx.document.Document, entries: int) -> tuple[int, int, str]:
    """The probe's text box (width and height in EMU: the first page's width, half its text's
    height, which LibreOffice lays out of the text's flow where a taller box pushes the text
    down) and its font size in half-points: the largest that holds ``entries`` entries."""
    section = document.sections[0]
    width = section.page_width or Mm(210)
    text = (section.page_height or Mm(297)) - (section.top_margin or 0) - (section.bottom_margin or 0)
    height = max(int(text) // 2, Mm(20))
    area = (width / 12700) * (height / 12700) * 0.7  # in pt², with room to spare
    for half_points in (10, 6, 4):  # an entry "#12=345# " is about 6 ems wide, its line 1.25 em high
        if entries * 6 * 1.25 * (half_points / 2) ** 2 <= area:
            break
    return int(width), height, str(half_points)


def _read_probe(pdf: Path) -> dict[int, str] | None:
    """The probe's entries in the text of ``pdf`` (its first page); None when pypdf cannot
    read it."""
    from pypdf import PdfReader  # only where a document is laid out

    try:
        text = "".join(page.extract_text() or "" for page in PdfReader(str(pdf)).pages)
    except Exception:  # a PDF pypdf cannot read: as if LibreOffice had failed
        return None
    finally:
        pdf.unlink(missing_ok=True)
    return {int(i): page for i, page in _ENTRY.findall(text)}
