"""The check's report shows each document's four editions side by side: four figures per
document, each a picture beside the report with its alt text, or a note saying why not. A
missing tool is a note, never a failure. (Structure, not pixels.)"""

from __future__ import annotations

import shutil
import struct
import urllib.parse
from pathlib import Path

import pytest
from lxml import html as lxml_html

import publish
from publish import check
from publish.check import previews, validators
from publish.check.report import DocumentReport, Edition, Report
from publish.options import FORMATS, Options
from tests.conftest import DOCUMENTS, Built, copy_editions, write


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()[:24]
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def figures(report_html: str) -> dict[str, list[lxml_html.HtmlElement]]:
    """Each document's figures in the report page, by its heading."""
    root = lxml_html.fromstring(report_html)
    return {str(s.findtext("h2")): s.xpath(".//div[@class='sides']/figure") for s in root.iter("section")}


def album_report(built: Built, names: list[str], out: Path, album: previews.Album) -> tuple[Report, Path]:
    """The pictures of these documents' editions drawn as ``publish check`` draws them (the DOCX
    by the libreoffice check, the others after it), and the report page that shows them."""
    report = Report()
    found = []
    for name in names:
        paths = copy_editions(built, name, out)
        doc = built.doc(name)
        present = {fmt: Edition(doc, fmt, path, Options()) for fmt, path in paths.items()}
        found.append(present)
        report.documents.append(DocumentReport(DOCUMENTS[name], doc.slug, paths, doc))
    validators.libreoffice_editions([present["docx"] for present in found], album)
    album.draw([e for present in found for fmt, e in present.items() if fmt != "docx"])
    for dr, present in zip(report.documents, found, strict=True):
        dr.previews = album.previews(present, FORMATS)
    destination = out / "report.html"
    destination.write_text(check.html_report(report, Options(), destination), encoding="utf-8")
    return report, destination


@pytest.mark.slow
@pytest.mark.external
@pytest.mark.browser
def test_four_figures_per_document_with_their_alt_text_and_files(built: Built, tmp_path: Path) -> None:
    for tool in ("pdftoppm", "soffice", "chromium"):
        assert shutil.which(tool), f"{tool} is missing: bash scripts/setup.sh --test"
    report, destination = album_report(built, ["chinese", "every-node"], tmp_path, previews.Album(tmp_path / "report"))
    shown = figures(destination.read_text(encoding="utf-8"))
    assert list(shown) == [str(DOCUMENTS["chinese"]), str(DOCUMENTS["every-node"])]
    for dr, found in zip(report.documents, shown.values(), strict=True):
        assert [f.get("class") for f in found] == ["side-pdf", "side-docx", "side-html", "side-epub"]
        assert [f.findtext("figcaption") for f in found] == [caption for caption, _ in previews.SIDES.values()]
        for fmt, figure in zip(previews.SIDES, found, strict=True):
            (img,) = figure.iter("img")
            assert img.get("alt") == previews.SIDES[fmt][1]
            src = urllib.parse.unquote(img.get("src"))
            assert not Path(src).is_absolute() and src == f"report/{dr.slug}-{fmt}.png"
            picture = destination.parent / src
            width, height = png_size(picture)
            # Small, and of the page's shape: A4 pages, the screens Chromium draws on.
            assert width == previews.WIDTH and 1.3 < height / width < 1.5, (fmt, width, height)
            # The picture links to the edition it shows.
            assert (destination.parent / img.getparent().get("href")).resolve() == dr.editions[fmt].resolve()
        assert not any(f.xpath(".//*[@class='no-picture']") for f in found)


def test_without_the_tools_each_picture_is_a_note(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No pdftoppm, no LibreOffice, no Chromium: the four figures are notes naming what is missing."""
    monkeypatch.setattr(previews, "pdftoppm", lambda: None)
    monkeypatch.setattr(previews, "chromium", lambda: None)
    monkeypatch.setattr(validators, "soffice", lambda: None)
    doc = publish.load(write(tmp_path, "note.md", "---\ntitle: Note\nlang: en\n---\n\nText.\n"))
    present = {fmt: Edition(doc, fmt, tmp_path / "out" / f"note.{fmt}", Options()) for fmt in FORMATS}
    album = previews.Album(tmp_path / "out" / "report")
    stale = album.path(present["pdf"])
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b"a picture of an earlier run")
    results = validators.libreoffice_editions([present["docx"]], album)
    assert [r.status for r in results] == ["not checked"]  # the check says so; the picture notes it
    album.draw([present[fmt] for fmt in ("html", "pdf", "epub")])
    shown = album.previews(present, FORMATS)
    assert [(p.fmt, p.src, p.note) for p in shown] == [
        ("pdf", None, previews.NO_PDFTOPPM),
        ("docx", None, "LibreOffice is not installed (Debian libreoffice-writer-nogui)"),
        ("html", None, previews.NO_CHROMIUM),
        ("epub", None, previews.NO_CHROMIUM),
    ]
    assert not stale.exists()  # never shown stale
    dr = DocumentReport(DOCUMENTS["chinese"], doc.slug, {fmt: e.path for fmt, e in present.items()}, doc)
    dr.previews = shown
    page = check.html_report(Report([dr]), Options(), tmp_path / "out" / "report.html")
    (found,) = figures(page).values()
    assert len(found) == 4 and not any(f.xpath(".//img") for f in found)
    notes = [" ".join(f.xpath(".//p[@class='no-picture']//text()")) for f in found]
    assert notes[0] == "First page of the PDF edition: not shown: " + previews.NO_PDFTOPPM
    assert "LibreOffice is not installed" in notes[1] and previews.NO_CHROMIUM in notes[2] and notes[3]


def test_a_picture_chromium_cannot_draw_is_a_note(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A browser that fails, an EPUB that is no zip: notes, not exceptions."""
    monkeypatch.setattr(previews, "chromium", lambda: shutil.which("false"))
    doc = publish.load(write(tmp_path, "note.md", "---\ntitle: Note\nlang: en\n---\n\nText.\n"))
    html, epub = write(tmp_path, "note.html", "<p>Text</p>"), write(tmp_path, "note.epub", "not a zip")
    album = previews.Album(tmp_path / "report")
    editions = [Edition(doc, "html", html, Options()), Edition(doc, "epub", epub, Options())]
    album.draw(editions)
    shown = album.previews({e.fmt: e for e in editions}, ("html", "epub"))
    assert [p.fmt for p in shown] == ["html", "epub"] and all(p.src is None for p in shown)
    assert shown[0].note.startswith("Chromium failed")
    assert shown[1].note.startswith("Chromium could not draw it: BadZipFile")


def test_a_missing_edition_is_a_note_and_formats_not_asked_for_are_left_out(tmp_path: Path) -> None:
    doc = publish.load(write(tmp_path, "note.md", "---\ntitle: Note\nlang: en\n---\n\nText.\n"))
    album = previews.Album(tmp_path / "report")
    shown = album.previews({}, ("html", "pdf"))
    assert [(p.fmt, p.note) for p in shown] == [("pdf", "the edition is missing"), ("html", "the edition is missing")]
    assert album.path(Edition(doc, "pdf", tmp_path / "x.pdf", Options())) == tmp_path / "report" / "note-pdf.png"
