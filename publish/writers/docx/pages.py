"""The page numbers of the table of contents, from a real layout of the DOCX.

Word fills a TOC field's page numbers in only when its fields are updated. Where LibreOffice
is installed, the written DOCX is laid out by it (converted to PDF, headless, as ``publish
check`` does: a user profile of its own, a time limit), each heading's bookmark exported as a
named destination, so the page each heading falls on is read exactly, and those numbers
become the results of the TOC's PAGEREF fields. The fields stay, so Word can update them.
Without LibreOffice (or when it fails), the results are left empty and Word is asked to
update the fields when the file opens (``w:updateFields``).

Laying the document out costs a LibreOffice start and a layout: about 2 s a document, paid
only by documents that have a table of contents; ``--no-toc-pages`` skips it.
"""

from __future__ import annotations

import atexit
import multiprocessing.util
import os
import shutil
import subprocess
import tempfile
import threading
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import docx
from docx.oxml.ns import qn
from lxml import etree

from publish.writers.docx import settings

#: Seconds LibreOffice may take to lay one document out.
TIMEOUT = 180
#: The result a PAGEREF field holds while the document is laid out: two digits wide, so the
#: entries are as long as when they are numbered.
PLACEHOLDER = "00"
_FILTER = 'pdf:writer_pdf_Export:{"ExportBookmarksToPDFDestination":{"type":"boolean","value":"true"}}'
_LOCK = threading.Lock()


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


_PROFILES: dict[int, Path] = {}


def _profile() -> Path:
    """A LibreOffice user profile for this process (made on its first layout, removed at its
    exit; a forked worker makes its own): LibreOffice refuses a profile another running
    instance holds, and a profile used again saves its start-up."""
    pid = os.getpid()
    if pid not in _PROFILES:
        folder = Path(tempfile.mkdtemp(prefix="publish-lo-"))
        # A build's workers are forked and leave by os._exit, after multiprocessing's own
        # finalizers (not atexit's); a finalizer runs only in the process that made it.
        multiprocessing.util.Finalize(None, shutil.rmtree, args=(folder, True), exitpriority=0)
        atexit.register(shutil.rmtree, folder, True)
        _PROFILES[pid] = folder
    return _PROFILES[pid]


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
    document without a table of contents."""
    fields = list(references(document))
    if not fields:
        return "none"
    pages = heading_pages(document) if enabled else None
    missing = False
    for name, result in fields:
        page = pages.get(name) if pages else None
        result.text = str(page) if page is not None else ""
        missing = missing or page is None
    if missing:
        settings.update_fields_on_open(document)
        return "on open"
    return "layout"


def heading_pages(document: docx.document.Document) -> dict[str, int] | None:
    """The page (from 1) each bookmark of the document falls on as LibreOffice lays it out;
    None when LibreOffice is missing or fails."""
    exe = soffice()
    if exe is None:
        return None
    with tempfile.TemporaryDirectory(prefix="publish-toc-") as tmp:
        source = Path(tmp) / "layout.docx"
        document.save(str(source))
        try:
            with _LOCK:
                subprocess.run(
                    [
                        exe,
                        f"-env:UserInstallation={_profile().as_uri()}",
                        "--headless",
                        "--norestore",
                        "--convert-to",
                        _FILTER,
                        "--outdir",
                        tmp,
                        str(source),
                    ],
                    capture_output=True,
                    check=False,
                    timeout=TIMEOUT,
                    stdin=subprocess.DEVNULL,
                )
        except (OSError, subprocess.SubprocessError):
            return None
        pdf = source.with_suffix(".pdf")
        if not pdf.is_file():
            return None
        return destinations(pdf)


def destinations(pdf: Path) -> dict[str, int] | None:
    """Named destination → page (from 1), under every name a bookmark may have become:
    LibreOffice percent-encodes a name twice and the PDF keeps it without its percent signs."""
    from pypdf import PdfReader  # only where a document is laid out

    try:
        reader = PdfReader(str(pdf))
        found = {str(name).lstrip("/"): reader.get_destination_page_number(dest)
                 for name, dest in reader.named_destinations.items()}  # fmt: skip
    except Exception:  # a PDF pypdf cannot read: as if LibreOffice had failed
        return None
    pages: dict[str, int] = {}
    for name, index in found.items():
        if index is not None:
            pages[name] = index + 1
            pages.setdefault(urllib.parse.unquote(name), index + 1)
    return _Names(pages)


class _Names(dict[str, int]):
    """Pages by destination name, looked up under each spelling of a bookmark's name."""

    def get(self, name: str, default: int | None = None) -> int | None:  # type: ignore[override]
        once = urllib.parse.quote(name, safe="")
        spellings = (name, once, urllib.parse.quote(once, safe="").replace("%", ""), once.replace("%", ""))
        for spelling in (*spellings, *(s.replace("_", "5F") for s in spellings)):  # LibreOffice encodes "_" too
            if spelling in self:
                return self[spelling]
        return default
