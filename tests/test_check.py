"""`publish check`: passes on every document, and each of its checks fails on a broken edition."""

from __future__ import annotations

import re
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import docx
import pikepdf
import pytest

import publish
from publish import check, cli, glyphs, readback
from publish.check import previews, validators
from publish.options import Options
from publish.readback import pdf as pdf_back
from tests.conftest import DOCUMENTS, Built, copy_editions, write

# Every test here builds or copies the fixtures' editions (PDFs included) or runs a validator.
pytestmark = pytest.mark.slow


def rewrite_zip(path: Path, name: str, fn: Callable[[bytes], bytes]) -> None:
    """Replace one member of a zip (EPUB, DOCX), keeping the others and their order."""
    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            dst.writestr(info, fn(data) if info.filename == name else data)
    tmp.replace(path)


def statuses(results: list[check.Result]) -> dict[str, str]:
    return {r.label: r.status for r in results}


@pytest.mark.external
def test_check_passes_for_the_article_and_every_fixture(built: Built) -> None:
    for name in DOCUMENTS:
        for fmt in check.FORMATS:
            built.edition(name, fmt)
    pictures = built.root / "report"
    report = check.run(list(DOCUMENTS.values()), built.root, Options(), pictures=pictures)
    problems = {
        f"{d.slug} {r.label}": (r.status, r.details) for d in report.documents for r in d.results if r.status != "pass"
    }
    assert problems == {}
    assert report.exit_code == 0
    expected = {"source", "structure", "metadata", "languages", "pdf-tags", "glyphs", "typography"}
    expected |= {"epubcheck", "nu-html"}
    for d in report.documents:
        assert {r.check for r in d.results} == expected | {"libreoffice"}
        assert len(d.results) == 20
        # The four editions side by side: every picture drawn, beside the report.
        assert [(p.fmt, p.src, p.note) for p in d.previews] == [
            (fmt, pictures / f"{d.slug}-{fmt}.png", "") for fmt in ("pdf", "docx", "html", "epub")
        ]
        assert all(p.src is not None and p.src.stat().st_size for p in d.previews)


@pytest.mark.external
def test_cli_check_writes_the_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    content, out = tmp_path / "content", tmp_path / "out"
    write(
        content,
        "doc.md",
        "---\ntitle: Checked\nlang: en\n---\n\n## One\n\nText.\n\n## Two\n\nMore.[^n]\n\n[^n]: A note.\n",
    )
    assert cli.main(["all", "-q", "--content", str(content), "--out", str(out)]) == 0
    capsys.readouterr()
    assert cli.main(["check", "--content", str(content), "--out", str(out)]) == 0
    # While it runs: a line per document, then one per check with its result and time, on stderr.
    progress = capsys.readouterr().err.splitlines()
    assert progress[0] == f"checking {content / 'doc.md'} (1/1)"
    done = [line for line in progress if re.fullmatch(r"doc: [\w-]+ \(\w+\): pass in \d+\.\d\d s", line)]
    assert {line.split(": ")[1] for line in done} >= {"source (words)", "structure (pdf)", "libreoffice (docx)"}
    assert len(done) == 20
    assert cli.main(["check", "-q", "--content", str(content), "--out", str(out)]) == 0
    assert capsys.readouterr().err == ""
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "20 passed" in html and "0 failed" in html
    for fmt in ("pdf", "docx", "html", "epub"):  # the editions side by side, beside the report
        assert f'src="report/doc-{fmt}.png"' in html and (out / "report" / f"doc-{fmt}.png").is_file()
    assert cli.main(["check", "-q", "--no-pictures", "--content", str(content), "--out", str(out)]) == 0
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "20 passed" in html and "<figure" not in html
    shutil.rmtree(out / "doc" / "media", ignore_errors=True)
    (out / "doc" / "doc.epub").unlink()
    assert cli.main(["check", "--content", str(content), "--out", str(out)]) == 1
    assert "doc.epub is missing" in (out / "report.html").read_text(encoding="utf-8")


# ---------------------------------------------------------------- structure


@pytest.mark.parametrize("fmt", ["html", "epub"])
def test_structure_fails_when_a_paragraph_is_lost(built: Built, tmp_path: Path, fmt: str) -> None:
    paths = copy_editions(built, "every-node", tmp_path)
    drop = re.compile(rb"<p>Last paragraph.</p>")
    if fmt == "html":
        paths["html"].write_bytes(drop.sub(b"", paths["html"].read_bytes()))
    else:
        rewrite_zip(paths["epub"], "EPUB/text.xhtml", lambda b: drop.sub(b"", b))
    result = check.check_structure(built.doc("every-node"), fmt, paths[fmt], Options())
    assert result.status == "fail" and any("Last paragraph" in d for d in result.details)


# ---------------------------------------------------------------- metadata


def _break_metadata(fmt: str, path: Path) -> None:
    if fmt == "html":
        path.write_bytes(path.read_bytes().replace(b'name="dcterms.publisher" content="Small', b'name="x" content="'))
    elif fmt == "epub":
        rewrite_zip(path, "EPUB/content.opf", lambda b: b.replace(b"urn:uuid:0d6d0a8e", b"urn:uuid:ffffffff"))
    elif fmt == "pdf":
        with pikepdf.open(path, allow_overwriting_input=True) as pdf:
            pdf.docinfo["/Subtitle"] = "Another subtitle"
            pdf.save(path)
    else:
        document = docx.Document(str(path))
        document.core_properties.author = "Somebody Else"
        document.save(str(path))


@pytest.mark.parametrize("fmt", check.FORMATS)
def test_metadata_fails_when_a_field_differs(built: Built, tmp_path: Path, fmt: str) -> None:
    paths = copy_editions(built, "every-node", tmp_path)
    doc = built.doc("every-node")
    assert check.check_metadata(doc, fmt, paths[fmt]).status == "pass"
    _break_metadata(fmt, paths[fmt])
    result = check.check_metadata(doc, fmt, paths[fmt])
    assert result.status == "fail"
    field = {"html": "publishers", "epub": "identifier", "pdf": "subtitle", "docx": "authors"}[fmt]
    assert any(d.startswith(field) for d in result.details), result.details


def test_metadata_reads_every_field_of_the_model(built: Built) -> None:
    doc = built.doc("article")
    want = check.expected_metadata(doc)
    assert want["publishers"] == sorted(
        [
            "中國傳媒大學",
            "Communication University of China",
            "人類命運共同體研究院",
            "Institute for a Community with Shared Future",
        ]
    )
    assert want["contributors"] == [
        "Khalid Taimur Akram, Executive Director, "
        "Pakistan Research Center for a Community with Shared Future (PRCCSF), Islamabad"
    ]
    for fmt in readback.READERS:
        got = readback.reader(fmt).metadata(built.edition("article", fmt))
        stored = {k: v for k, v in want.items() if k != "citations"}  # only the HTML's JSON-LD has a place
        assert {k: got[k] for k in stored} == stored, fmt
        assert got.get("json-ld citations", want["citations"]) == want["citations"], fmt


# ---------------------------------------------------------------- languages


def _strip_languages(fmt: str, path: Path) -> None:
    if fmt == "html":
        path.write_bytes(re.sub(rb'<span class="publisher-name" lang="[^"]+"', b"<span", path.read_bytes()))
        path.write_bytes(re.sub(rb'(<span[^>]*) lang="zh-Hant"', rb"\1", path.read_bytes()))
    elif fmt == "epub":
        rewrite_zip(path, "EPUB/text.xhtml", lambda b: re.sub(rb' (xml:)?lang="zh-Hant"', b"", b))
    elif fmt == "pdf":
        with pikepdf.open(path, allow_overwriting_input=True) as pdf:
            for el in pdf_back.struct_elements(pdf.Root.StructTreeRoot):
                if "/Lang" in el:
                    del el["/Lang"]
            pdf.save(path)
    else:
        rewrite_zip(path, "word/document.xml", lambda b: re.sub(rb"<w:lang [^>]*/>", b"", b))


@pytest.mark.parametrize("fmt", check.FORMATS)
def test_languages_fail_when_spans_lose_their_language(built: Built, tmp_path: Path, fmt: str) -> None:
    paths = copy_editions(built, "article", tmp_path)
    doc = built.doc("article")
    assert check.expected_languages(doc) == {"zh-Hant"}
    assert check.check_languages(doc, fmt, paths[fmt]).status == "pass"
    _strip_languages(fmt, paths[fmt])
    result = check.check_languages(doc, fmt, paths[fmt])
    assert result.status == "fail"
    assert any("zh" in d for d in result.details), result.details


def test_languages_fail_when_the_document_language_is_wrong(built: Built, tmp_path: Path) -> None:
    paths = copy_editions(built, "chinese", tmp_path)
    paths["html"].write_bytes(paths["html"].read_bytes().replace(b'<html lang="zh-Hant">', b'<html lang="en">'))
    result = check.check_languages(built.doc("chinese"), "html", paths["html"])
    assert result.status == "fail" and "the source says 'zh-Hant'" in result.details[0]


# ---------------------------------------------------------------- PDF: glyphs and tags


def test_glyphs_name_the_uncovered_character_with_its_source_line(built: Built, tmp_path: Path) -> None:
    source = write(tmp_path, "phoenician.md", "---\ntitle: Alphabets\n---\n\nLatin a.\n\nPhoenician \U00010900.\n")
    result = check.check_glyphs(publish.load(source), built.edition("every-node", "pdf"), Options())
    assert result.status == "fail"
    assert result.details == [f"{source}:7: U+10900 '\U00010900' is in no font embedded in the PDF"]


def test_glyphs_pass_for_chinese_with_the_cjk_font(built: Built) -> None:
    fonts = check.embedded_fonts(built.edition("chinese", "pdf"))
    assert any("CJK-TC" in f for f in fonts)
    assert check.check_glyphs(built.doc("chinese"), built.edition("chinese", "pdf"), Options()).status == "pass"


def test_pdf_tags_fail_for_an_untagged_pdf(built: Built, tmp_path: Path) -> None:
    doc = built.doc("every-node")
    plain = publish.build(doc, "pdf", tmp_path / "plain.pdf", Options(pdf_variant="plain"))
    result = check.check_pdf_tags(doc, plain, Options())
    assert result.status == "fail" and result.details == ["the PDF has no tag tree"]
    assert check.check_pdf_tags(doc, plain, Options(pdf_variant="plain")).status == "not checked"


def test_pdf_tags_fail_when_a_figure_loses_its_alt_text(built: Built, tmp_path: Path) -> None:
    path = shutil.copyfile(built.edition("every-node", "pdf"), tmp_path / "alt.pdf")
    doc = built.doc("every-node")
    assert check.check_pdf_tags(doc, path, Options()).status == "pass"
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        for el in pdf_back.struct_elements(pdf.Root.StructTreeRoot):
            if el.S == "/Figure":
                del el["/Alt"]
        pdf.save(path)
    result = check.check_pdf_tags(doc, path, Options())
    assert result.status == "fail" and "alt text" in result.details[0]


# ---------------------------------------------------------------- validators


@pytest.mark.external
def test_epubcheck_fails_on_a_broken_package(built: Built, tmp_path: Path) -> None:
    paths = copy_editions(built, "every-node", tmp_path)
    rewrite_zip(paths["epub"], "EPUB/content.opf", lambda b: b.replace(b'properties="nav"', b""))
    result = check.check_epubcheck(paths["epub"])
    assert result.status == "fail" and any("nav" in d.lower() for d in result.details), result.details


@pytest.mark.external
def test_nu_html_checker_fails_on_invalid_markup(built: Built, tmp_path: Path) -> None:
    paths = copy_editions(built, "every-node", tmp_path)
    good = tmp_path / "good.html"
    shutil.copyfile(paths["html"], good)
    paths["html"].write_bytes(paths["html"].read_bytes().replace(b"<main>", b'<main><p id="inline">twice</p>', 1))
    results = check.nu_html([good, paths["html"]])
    assert results[good].status == "pass"
    bad = results[paths["html"]]
    assert bad.status == "fail" and any("Duplicate ID" in d for d in bad.details), bad.details


@pytest.mark.external
def test_libreoffice_shows_the_docx_text_notes_and_table_of_contents(built: Built, tmp_path: Path) -> None:
    doc = built.doc("every-node")
    good, broken, no_toc, misnumbered = (tmp_path / f"{n}.docx" for n in ("good", "broken", "notoc", "misnumbered"))
    for path in (good, broken, no_toc, misnumbered):
        shutil.copyfile(built.edition("every-node", "docx"), path)
    rewrite_zip(broken, "word/document.xml", lambda b: b.replace(b"Last paragraph.", b""))
    rewrite_zip(no_toc, "word/document.xml", lambda b: re.sub(rb"<w:sdt>.*?</w:sdt>", b"", b, flags=re.S))
    # the last contents entry's page number, one page too far
    with zipfile.ZipFile(good) as z:
        xml = z.read("word/document.xml")
    last = list(re.finditer(rb"PAGEREF (\S+) \\h.*?<w:t>(\d+)</w:t>", xml, re.S))[-1]
    wrong = int(last.group(2)) + 1
    rewrite_zip(misnumbered, "word/document.xml", lambda b: b[: last.start(2)] + str(wrong).encode() + b[last.end(2) :])
    converted = check.libreoffice_pdfs([good, broken, no_toc, misnumbered], tmp_path / "lo")
    assert isinstance(converted, dict), converted
    text = "".join(pdf_back.joined_text(converted[good]).split())
    assert "Contents" in text and "Thesecondnotehastwoparagraphs." in text
    assert check.check_libreoffice(doc, converted[good], Options()).status == "pass"
    assert check.check_libreoffice(doc, converted[good], Options(), good).status == "pass"  # numbers compared too
    result = check.check_libreoffice(doc, converted[misnumbered], Options(), misnumbered)
    name = last.group(1).decode()
    assert result.status == "fail" and result.details == [
        f"the contents give page {wrong} for #{name}, which LibreOffice lays on page {wrong - 1}"
    ]
    result = check.check_libreoffice(doc, converted[broken], Options())
    assert result.status == "fail" and "Lastparagraph." in result.details[0]
    result = check.check_libreoffice(doc, converted[no_toc], Options())
    assert result.status == "fail" and result.details == ["the table of contents is not shown with every heading"]


@pytest.mark.external
def test_a_footnote_libreoffice_continues_on_the_next_page_is_found_whole(tmp_path: Path) -> None:
    """LibreOffice continues a long note at the foot of the next page, after that page's
    text: the note is found across the turn, and a word of it changed is still missed."""
    words = " ".join(f"word{n}" for n in range(900))
    paragraphs = [f"Paragraph {n} of the body, " + "with words to fill the page. " * 12 for n in range(14)]
    paragraphs.insert(3, "A long note.[^1]")
    body = "\n\n".join(paragraphs)
    source = write(tmp_path, "doc.md", f"---\ntitle: Notes\n---\n\n{body}\n\n[^1]: {words}.\n")
    doc = publish.load(source)
    path = publish.build(doc, "docx", tmp_path / "doc.docx", Options())
    converted = check.libreoffice_pdfs([path], tmp_path / "lo")
    assert isinstance(converted, dict), converted
    text = pdf_back.joined_text(converted[path])
    assert "Paragraph" in text[text.index("word0 ") : text.index("word899")]  # cut by the next page's text
    assert check.check_libreoffice(doc, converted[path], Options()).status == "pass"
    changed = publish.load(write(tmp_path, "doc.md", source.read_text().replace("word450 ", "wort450 ")))
    result = check.check_libreoffice(changed, converted[path], Options())
    assert result.status == "fail" and result.details[0].startswith("footnote 1 is missing")


@pytest.mark.external
def test_a_missing_tool_is_not_checked_never_passed(
    built: Built, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy_editions(built, "chinese", tmp_path)
    monkeypatch.setattr(validators, "_java", lambda: None)
    monkeypatch.setattr(validators, "soffice", lambda: None)
    monkeypatch.setattr(glyphs, "installed", lambda: {})  # no fontconfig
    monkeypatch.setattr(previews, "chromium", lambda: None)
    report = check.run([DOCUMENTS["chinese"]], tmp_path, Options(), pictures=tmp_path / "report")
    found = statuses(report.documents[0].results)
    for label in ("epubcheck (epub)", "nu-html (html)", "libreoffice (docx)", "glyphs (pdf)"):
        assert found[label] == "not checked"
    assert report.count("fail") == 0 and report.exit_code == 3
    assert "0 failed, 4 not checked" in check.terminal(report)
    # The pictures those tools draw are notes; they are no results of their own.
    assert [(p.fmt, p.note) for p in report.documents[0].previews] == [
        ("pdf", ""),
        ("docx", "LibreOffice is not installed (Debian libreoffice-writer-nogui)"),
        ("html", previews.NO_CHROMIUM),
        ("epub", previews.NO_CHROMIUM),
    ]


@pytest.mark.external
def test_without_pdftotext_the_text_checks_are_not_checked_never_failed(
    built: Built, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without poppler-utils the PDF's text layer and LibreOffice's PDF of the DOCX cannot be
    read: those checks did not run, which is not a failure of the editions (exit status 3)."""
    copy_editions(built, "chinese", tmp_path)
    which = shutil.which
    poppler = {"pdftotext", "pdftoppm", "pdffonts", "pdfinfo"}
    monkeypatch.setattr(shutil, "which", lambda cmd, *args, **kw: None if cmd in poppler else which(cmd, *args, **kw))
    report = check.run([DOCUMENTS["chinese"]], tmp_path, Options(), pictures=tmp_path / "report")
    results = {r.label: r for r in report.documents[0].results}
    for label in ("structure (pdf)", "typography (pdf)", "libreoffice (docx)"):
        assert results[label].status == "not checked"
        assert results[label].details == ["pdftotext is not installed (Debian package poppler-utils)"]
    assert report.count("fail") == 0 and report.exit_code == 3
    assert "0 failed, 3 not checked" in check.terminal(report)
    notes = {p.fmt: p.note for p in report.documents[0].previews}
    assert notes["pdf"] == notes["docx"] == previews.NO_PDFTOPPM and notes["html"] == notes["epub"] == ""


def test_pdf_tags_fail_when_the_bookmarks_are_lost(built: Built, tmp_path: Path) -> None:
    path = shutil.copyfile(built.edition("chinese", "pdf"), tmp_path / "marks.pdf")
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        del pdf.Root["/Outlines"]
        pdf.save(path)
    result = check.check_pdf_tags(built.doc("chinese"), path, Options())
    assert result.status == "fail" and result.details[0] == "bookmarks differ:"
