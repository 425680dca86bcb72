"""Editions returned as bytes (``dask://HOST:PORT?shared=no``), without a cluster: the jobs
run inline or in the local pool with ``shared_disk=False``, as a Dask worker runs them. The
same bytes as editions written in place, from the shipped copies of the inputs too; a failed
job writes nothing; the warnings a worker logs reach the client once."""

from __future__ import annotations

import dataclasses
import logging
import re
import shutil
from pathlib import Path

import pikepdf
import pytest

from publish import api, config, executors, jobs, layout, runner
from publish import model as m
from publish.options import Options, executor_problem
from tests.conftest import ROOT, write

FAST = ("html", "epub")  # a book's site (chapter pages, media/) and a zip; no layout engine


def _files(out: Path) -> dict[str, bytes]:
    return {
        p.relative_to(out).as_posix(): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and not p.name.startswith(".")
    }


def _guide(tmp_path: Path) -> tuple[list[layout.Source], Options]:
    content = tmp_path / "content"
    shutil.copytree(ROOT / "tests" / "books" / "field-guide", content)  # a book (images) and a document
    settings = config.resolve(config.CommandLine(content=content, out=tmp_path / "unused"))
    return config.sources(settings), settings.options


def test_the_executor_url_says_whether_the_workers_share_the_disk() -> None:
    assert executors.shared_disk("local") and executors.shared_disk("dask://h:8786")
    assert executors.shared_disk("dask://h:8786?shared=yes")
    assert not executors.shared_disk("dask://h:8786?shared=no")
    assert not executors.shared_disk("dask://h:8786/?shared=no")
    assert executor_problem("dask://h:8786?shared=no") is None
    for wrong in ("dask://h:8786?shared=maybe", "dask://h:8786?disk=no", "dask://h?shared=no"):
        assert "is not an executor: 'local' or 'dask://HOST:PORT' (with '?shared=no'" in str(executor_problem(wrong))


@pytest.mark.parametrize("workers", [1, 2])
def test_returned_editions_are_the_bytes_of_editions_written_in_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: int
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    sources, options = _guide(tmp_path)
    shared = runner.build(sources, FAST, tmp_path / "shared", options, jobs=workers)
    out = tmp_path / "returned"
    stale = write(out / "field-guide", "a-chapter-since-removed.html", "<p>old</p>")
    returned = runner.build(sources, FAST, out, options, jobs=workers, shared_disk=False)
    assert shared.errors == returned.errors == []
    expected = _files(tmp_path / "shared")
    assert any(name.startswith("field-guide/media/") for name in expected)  # side files returned too
    assert len([n for n in expected if n.startswith("field-guide/") and n.endswith(".html")]) > 2
    assert not stale.exists()  # a book's page of a chapter it no longer has goes, as in place
    assert _files(out) == expected
    assert not [p for p in out.rglob("*") if p.name.endswith(".part")]
    again = runner.build(sources, FAST, out, options, jobs=workers, shared_disk=False)
    assert again.built == [] and len(again.skipped) == len(sources) * len(FAST)  # recorded as written


def _without_the_content_folder(tmp_path: Path, formats: tuple[str, ...]) -> tuple[Path, Path]:
    """The field guide's editions written in place (``shared``) and by jobs whose worker has
    no content folder (``returned``): the jobs are packed, the folder is moved away, then run."""
    sources, options = _guide(tmp_path)
    options = dataclasses.replace(options, toc_pages=False)  # no LibreOffice: not what is tested
    assert runner.build(sources, formats, tmp_path / "shared", options, jobs=1).ok
    planned: list[tuple[layout.Source, m.Document, str, jobs.Shipped]] = []
    for source in sources:
        doc = api.load_source(source, options)
        planned += [(source, doc, fmt, jobs.pack(doc, options)) for fmt in formats]
    book = next(shipped for source, doc, _, shipped in planned if doc.is_book)
    assert any(name.endswith((".png", ".jpg", ".svg")) for name in book.files)
    assert str(tmp_path / "content" / "publish.toml") in book.files
    (tmp_path / "content").rename(tmp_path / "elsewhere")  # the worker has no such folder
    out = tmp_path / "returned"
    for source, doc, fmt, shipped in planned:
        dest = layout.edition_path(out, source, fmt)
        result = jobs.returning_job(doc, fmt, dest, options, shipped)
        assert jobs.write(result, dest, book_site=doc.is_book and fmt == "html") is None
    return tmp_path / "shared", out


def test_a_worker_without_the_content_folder_writes_from_the_shipped_copies(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    shared, returned = _without_the_content_folder(tmp_path, ("html", "epub", "docx"))
    assert _files(returned) == _files(shared)


@pytest.mark.slow  # two PDFs of a book
def test_a_pdf_from_shipped_copies_is_the_pdf_written_in_place(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A raster image is named after its bytes, not its path (WeasyPrint names it after its
    URL: the worker's scratch folder made other names): the same build, the same PDF."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    shared, returned = _without_the_content_folder(tmp_path, ("pdf",))
    with pikepdf.open(shared / "field-guide/field-guide.pdf") as pdf:
        names = {str(name) for page in pdf.pages for name in page.get_images()}
    assert any(re.fullmatch(r"/i[0-9a-f]{32}\d", name) for name in names), names  # a raster image, named
    for name in ("essay/essay.pdf", "field-guide/field-guide.pdf"):
        assert (returned / name).read_bytes() == (shared / name).read_bytes(), name


def test_a_failed_job_writes_nothing_and_the_other_documents_still_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sources, options = _guide(tmp_path)
    out = tmp_path / "out"
    assert runner.build(sources, FAST, out, options, jobs=1, shared_disk=False).ok
    before = _files(out)
    real = jobs.api.build

    def half_then_fail(doc: m.Document, fmt: str, dest: Path, opts: Options) -> Path:
        if doc.slug == "essay" and fmt == "html":
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(b"<!doctype html><p>half")  # a writer that dies half-way
            raise RuntimeError(f"the disk under {dest.parent} is full")
        return real(doc, fmt, dest, opts)

    monkeypatch.setattr(jobs.api, "build", half_then_fail)
    for source in sources:  # every edition out of date
        source_file = source.project_file if isinstance(source, layout.Book) else source
        source_file.write_text(source_file.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    report = runner.build(sources, FAST, out, options, jobs=1, shared_disk=False)
    essay = out / "essay" / "essay.html"
    failed = f"{tmp_path / 'content' / 'essay.md'}: html: internal error: RuntimeError"
    assert report.errors == [f"{failed}: the disk under {essay.parent} is full"]  # the client's folder, not the scratch
    guide = out / "field-guide"
    others = [out / "essay" / "essay.epub", guide / "field-guide.html", guide / "field-guide.epub"]
    assert sorted(report.built) == sorted(others)
    assert essay.read_bytes() == before["essay/essay.html"]  # the previous edition, whole
    assert not [p for p in out.rglob("*") if p.name.endswith(".part")]
    monkeypatch.setattr(jobs.api, "build", real)
    retry = runner.build(sources, FAST, out, options, jobs=1, shared_disk=False)
    assert retry.built == [essay] and retry.ok  # the failed edition was not recorded as written


def test_what_a_worker_logs_reaches_the_client_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """A character no font has is a warning of the PDF writer: logged in the worker process
    (a forked pool here, a Dask worker on a cluster), returned, and logged by the client."""
    source = write(tmp_path / "content", "odd.md", "---\ntitle: Odd\n---\n\nA private character: \ue000.\n")
    options = Options(content_root=(tmp_path / "content").resolve())
    with caplog.at_level(logging.WARNING, logger="publish"):
        report = runner.build([source], ["pdf", "html"], tmp_path / "out", options, jobs=2, shared_disk=False)
    assert report.ok
    said = [r.getMessage() for r in caplog.records if "no installed font has a glyph" in r.getMessage()]
    assert len(said) == 1  # logged in the worker, not printed there, and logged here once
    assert said[0].startswith(f"{source}:5: no installed font has a glyph for U+E000")  # the client's path
