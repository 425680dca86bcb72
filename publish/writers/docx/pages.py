"""The page numbers of the table of contents, from a real layout of the DOCX.

Word fills a TOC field's page numbers in only when its fields are updated. Where LibreOffice
is installed, a copy of the written DOCX is laid out by it (converted to PDF, headless, as
``publish check`` does: :mod:`.office`). The copy ends with a probe: a paragraph of PAGEREF
fields, one per entry, to the entry's heading, whose results LibreOffice computes from its
layout (in figures; they are written in the numbers of the heading's section, as Word shows
them). Those results become the results of the TOC's PAGEREF fields; the fields stay, so Word
can update them. Without LibreOffice (or when it fails), the results are left empty and Word is asked to
update the fields when the file opens (``w:updateFields``).

Laying the document out costs a LibreOffice start and a layout, about 2 s a document, paid
only by documents that have a table of contents (``--no-toc-pages`` skips it). Drawing the
pages into the PDF is about half of that in a long document, and only the probe's pages need
to be drawn: the page the probe started on is remembered beside the edition (``memo``), and
the next layout draws from a few pages before it; should the probe not be found there (the
document lost pages), the whole document is drawn, as at a first build.
"""

from __future__ import annotations

import json
import re
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

import docx
from docx.oxml.ns import qn
from lxml import etree

from publish import files
from publish.fancylists import number_text
from publish.writers.docx import office, settings

#: The result a contents entry's PAGEREF field is written with (:func:`number` replaces it).
PLACEHOLDER = "00"
#: Twips: the column at the end of a contents entry its page number hangs in (1 cm: four
#: digits of the house's contents), which the entry's title never enters.
PAGE_COLUMN = 567
#: Pages drawn before the one the probe started on at the last layout: room for an edit that
#: shortened the document.
SLACK = 8
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
#: Word's page number formats (``w:pgNumType/@w:fmt``) other than decimal, as list styles.
_NUMBER_STYLES = {"lowerRoman": "lower-roman", "upperRoman": "upper-roman", "lowerLetter": "lower-alpha",
                  "upperLetter": "upper-alpha"}  # fmt: skip
#: A probe's entry as the PDF's text has it: its index and the page its heading is on.
_ENTRY = re.compile(r"#(\d+)\s*=\s*([^#\s]*)\s*#")


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


def number(document: docx.document.Document, enabled: bool = True, memo: Path | None = None) -> str:
    """Fill in the table of contents' page numbers: from LibreOffice's layout (``"layout"``),
    else ask Word to update the fields when the file opens (``"on open"``); ``"none"`` for a
    document without a table of contents. ``memo``: the page the probe started on at the last
    layout (see the module).

    The document is laid out with stand-in numbers: a number hangs in a column of its own
    (:data:`PAGE_COLUMN`), so how wide it is does not change the contents' lines nor,
    therefore, the pages after them."""
    fields = list(references(document))
    if not fields:
        return "none"
    names = [name for name, _ in fields]
    found = heading_pages(document, names, _remembered(memo)) if enabled else None
    pages = found[0] if found else {}
    if found:
        _remember(memo, found[1])
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


def heading_pages(
    document: docx.document.Document, names: Sequence[str], start: int | None = None
) -> tuple[dict[int, str], int] | None:
    """The page number of each bookmark of ``names`` (by index) as LibreOffice lays the
    document out, and the page the probe started on; None when LibreOffice is missing or
    fails. ``start``: the page the probe started on at the last layout, if known."""
    exe = office.soffice()
    if exe is None:
        return None
    probe = _probe(document, names)
    try:
        with tempfile.TemporaryDirectory(prefix="publish-toc-") as tmp:
            source = Path(tmp) / "layout.docx"
            document.save(str(source))
            found = _lay_out(exe, source, max(1, start - SLACK)) if start else None
            return found or _lay_out(exe, source, None)
    finally:
        document.element.body.remove(probe)


def _probe(document: docx.document.Document, names: Sequence[str]) -> etree._Element:
    """A paragraph at the end of the document, small and left to right: ``#i=PAGEREF#`` for
    each name, a space between them."""
    body = document.element.body
    p = etree.Element(qn("w:p"))
    etree.SubElement(etree.SubElement(p, qn("w:pPr")), qn("w:bidi"), {qn("w:val"): "0"})
    for i, name in enumerate(names):
        pieces = [("text", f"#{i}="), ("begin", ""), ("instr", f" PAGEREF {name} \\h "), ("separate", ""),
                  ("text", PLACEHOLDER), ("end", ""), ("text", "# ")]  # fmt: skip
        for kind, text in pieces:
            r = etree.SubElement(p, qn("w:r"))
            rpr = etree.SubElement(r, qn("w:rPr"))
            etree.SubElement(rpr, qn("w:sz"), {qn("w:val"): "10"})  # 5 pt: the probe takes few pages
            etree.SubElement(rpr, qn("w:rtl"), {qn("w:val"): "0"})
            if kind == "text":
                etree.SubElement(r, qn("w:t"), {XML_SPACE: "preserve"}).text = text
            elif kind == "instr":
                etree.SubElement(r, qn("w:instrText"), {XML_SPACE: "preserve"}).text = text
            else:
                etree.SubElement(r, qn("w:fldChar"), {qn("w:fldCharType"): kind})
    end = body.find(qn("w:sectPr"))
    if end is not None:
        end.addprevious(p)
    else:
        body.append(p)
    return p


def _lay_out(exe: str, source: Path, start: int | None) -> tuple[dict[int, str], int] | None:
    """LibreOffice's layout of ``source``, its pages drawn from ``start`` (None: all): the
    probe's results, and the page (from 1) the probe starts on; None when the pages drawn do
    not hold the whole probe."""
    options = f'{{"PageRange":{{"type":"string","value":"{start}-"}}}}' if start else ""
    pdf = office.convert(exe, source, f"pdf:writer_pdf_Export:{options}" if options else "pdf")
    if pdf is None:
        return None
    found = _read_probe(pdf)
    pdf.unlink(missing_ok=True)
    if found is None:
        return None
    pages, first = found
    return pages, first + (start or 1) - 1


def _read_probe(pdf: Path) -> tuple[dict[int, str], int] | None:
    """The probe's entries in ``pdf``'s text, read from its last page back to the probe's
    first entry, and the page (from 1 in this PDF) that entry is on."""
    from pypdf import PdfReader  # only where a document is laid out

    pages: dict[int, str] = {}
    try:
        reader = PdfReader(str(pdf))
        for index in range(len(reader.pages) - 1, -1, -1):
            entries = _ENTRY.findall(reader.pages[index].extract_text() or "")
            pages.update((int(i), page) for i, page in entries)
            if any(i == "0" for i, _ in entries):
                return pages, index + 1
    except Exception:  # a PDF pypdf cannot read: as if LibreOffice had failed
        return None
    return None


def _remembered(memo: Path | None) -> int | None:
    try:
        return int(json.loads(memo.read_text(encoding="utf-8"))["probe"]) if memo else None
    except (OSError, ValueError, TypeError, KeyError):
        return None


def _remember(memo: Path | None, page: int) -> None:
    """Keep ``page`` in ``memo`` where the next layout can skip pages by it (a document of a
    few pages leaves nothing beside its editions)."""
    if memo is None:
        return
    if page - SLACK <= 1:
        memo.unlink(missing_ok=True)
        return
    memo.parent.mkdir(parents=True, exist_ok=True)
    files.write_bytes(memo, json.dumps({"probe": page}).encode())
