"""The DOCX contents' page numbers: a LibreOffice layout of the finished file, its probe on the
first page, and the user profile kept between builds."""

from __future__ import annotations

import re
import subprocess
import sys
import urllib.parse
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

import publish
from publish.options import Options
from publish.writers.docx import office, pages
from tests.conftest import ARTICLE

needs_libreoffice = pytest.mark.skipif(office.soffice() is None, reason="LibreOffice is not installed")
FILTER = 'pdf:writer_pdf_Export:{"ExportBookmarksToPDFDestination":{"type":"boolean","value":"true"}}'


def _source(chapters: int, long_chapter: int | None = None) -> str:
    """A document of ``chapters`` chapters, each the article's body; ``long_chapter`` has a
    page and more of text added."""
    text = ARTICLE.read_text(encoding="utf-8")
    front, body = re.match(r"^(---\n.*?\n---\n)(.*)$", text, re.S).groups()  # type: ignore[union-attr]
    parts = []
    for n in range(1, chapters + 1):
        chapter = re.sub(r"^## (.*)$", rf"### \1 ({n})", body, flags=re.M).strip()
        if n == long_chapter:
            chapter += "\n\n" + "An added paragraph, long enough to move the pages after it. " * 120
        parts.append(f"## Chapter {n}\n\n{chapter}\n")
    return front + "\n" + "\n".join(parts)


def _numbers(path: Path) -> list[tuple[str, str]]:
    return [(name, result.text or "") for name, result in pages.references(docx.Document(str(path)))]


def _laid_out(path: Path, tmp: Path) -> dict[str, int]:
    """An independent layout of the finished file: the page of each bookmark, from the named
    destinations of LibreOffice's PDF (a profile of its own)."""
    from pypdf import PdfReader

    subprocess.run(
        [str(office.soffice()), f"-env:UserInstallation={(tmp / 'profile').as_uri()}", "--headless",
         "--convert-to", FILTER, "--outdir", str(tmp), str(path)],
        capture_output=True, check=True, timeout=300,
    )  # fmt: skip
    reader = PdfReader(str(tmp / f"{path.stem}.pdf"))
    return {
        urllib.parse.unquote(str(name).lstrip("/").replace("5F", "_")): reader.get_destination_page_number(dest) + 1
        for name, dest in reader.named_destinations.items()
    }


def _build(source: str, tmp: Path, calls: list[str]) -> list[tuple[str, str]]:
    path = tmp / "book.md"
    path.write_text(source, encoding="utf-8")
    doc = publish.load(path)
    dest = publish.build(doc, "docx", tmp / "out" / "book.docx", Options())
    numbers = _numbers(dest)
    laid = _laid_out(dest, tmp / f"check-{len(calls)}")
    assert numbers and [text for _, text in numbers] == [str(laid[name]) for name, _ in numbers]
    return numbers


@pytest.mark.slow
@needs_libreoffice
def test_only_the_first_page_is_drawn_and_the_numbers_are_a_whole_layouts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The probe sits on the first page, out of the text's flow: LibreOffice draws that page
    only, and the contents' numbers are those of an independent layout of the finished file,
    before and after an edit that moves the later chapters' pages."""
    calls: list[str] = []
    convert = office.convert

    def spy(exe: str, source: Path, target: str) -> Path | None:
        calls.append(target)
        laid = convert(exe, source, target)
        if laid is not None:
            from pypdf import PdfReader

            drawn.append(len(PdfReader(str(laid)).pages))
        return laid

    drawn: list[int] = []
    monkeypatch.setattr(office, "convert", spy)
    first = _build(_source(12), tmp_path, calls)
    assert calls == [pages.FIRST_PAGE] and drawn == [1]
    assert int(first[-1][1]) > 10  # a document of many pages, of which one was drawn

    grown = _build(_source(12, long_chapter=3), tmp_path, calls)  # a chapter grows by a page and more
    assert int(dict(grown)["chapter-12"]) > int(dict(first)["chapter-12"])
    assert int(dict(grown)["chapter-2"]) == int(dict(first)["chapter-2"])


def test_a_contents_entry_wraps_short_of_the_column_its_page_number_hangs_in(tmp_path: Path) -> None:
    path = tmp_path / "doc.md"
    path.write_text(_source(3), encoding="utf-8")
    dest = publish.build(publish.load(path), "docx", tmp_path / "doc.docx", Options(toc_pages=False))
    document = docx.Document(str(dest))
    (sdt,) = document.element.body.iter(qn("w:sdt"))  # the contents: the title, the entries, the field's end
    entries = [p for p in sdt.iter(qn("w:p")) if p.find(f"{qn('w:pPr')}/{qn('w:tabs')}") is not None]
    assert len(entries) == 3 * 3
    for p in entries:
        ppr = p.find(qn("w:pPr"))
        assert ppr.find(qn("w:ind")).get(qn("w:right")) == str(pages.PAGE_COLUMN)
        (tab,) = ppr.find(qn("w:tabs"))
        assert tab.get(qn("w:val")) == "right" and tab.get(qn("w:leader")) == "dot"


@needs_libreoffice
def test_libreoffices_profile_is_kept_once_and_copied_for_later_processes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(office, "_PROFILES", {})
    exe = str(office.soffice())
    kept = office.template(exe)
    assert kept is not None and not kept.exists()
    source = tmp_path / "tiny.docx"
    document = docx.Document()
    document.add_paragraph("A page.")
    document.save(str(source))
    assert office.convert(exe, source, "pdf") == source.with_suffix(".pdf")
    assert (kept / "user" / "registrymodifications.xcu").is_file()  # what LibreOffice set up
    monkeypatch.setattr(office, "_PROFILES", {})  # as in a new process
    folder, seeded = office._profile(exe)
    assert seeded and (folder / "user" / "registrymodifications.xcu").is_file()


def test_weasyprint_is_imported_without_a_library_search() -> None:
    """cffi asks ``ctypes.util.find_library`` about each name WeasyPrint tries for a library,
    and on Linux each question runs ldconfig, the C compiler and the linker."""
    code = (
        "import subprocess, sys\n"
        "started = []\n"
        "init = subprocess.Popen.__init__\n"
        "def spy(self, args, *a, **k):\n"
        "    started.append(args)\n"
        "    init(self, args, *a, **k)\n"
        "subprocess.Popen.__init__ = spy\n"
        "from publish.writers import import_weasyprint\n"
        "import_weasyprint()\n"
        "import weasyprint\n"
        "print(len(started), 'weasyprint' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    if sys.platform.startswith("linux"):
        assert out == ["0", "True"]


def test_contents_numbers_are_written_in_the_numbers_of_the_headings_section(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """LibreOffice gives a PAGEREF's page in decimal figures; Word shows the page's own
    numbers, here a reference document's lower-case roman numerals."""
    reference = docx.Document()
    numbers = reference.sections[0]._sectPr.makeelement(qn("w:pgNumType"), {qn("w:fmt"): "lowerRoman"})
    reference.sections[0]._sectPr.append(numbers)
    reference.save(str(tmp_path / "reference.docx"))
    source = tmp_path / "doc.md"
    source.write_text(_source(3), encoding="utf-8")
    laid_out = {i: str(i + 4) for i in range(9)}  # the pages from 4 on, as LibreOffice gives them
    monkeypatch.setattr(pages, "heading_pages", lambda document, names: laid_out)
    options = Options(reference_docx=tmp_path / "reference.docx")
    dest = publish.build(publish.load(source), "docx", tmp_path / "doc.docx", options)
    assert [text for _, text in _numbers(dest)][:3] == ["iv", "v", "vi"]
