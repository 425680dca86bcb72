"""``python -m publish check``: prove that every edition is faithful to its source.

For each document, every check gives a :class:`Result` — ``pass``, ``fail`` (with details
in words) or ``not checked`` (an external tool is missing; never counted as a pass):

- ``structure``: each edition read back into an outline and compared with the model;
- ``metadata``: title, subtitle, authors with role and affiliation, date, language,
  identifier, publishers, description and keywords, as each format stores them;
- ``languages``: the document language at the root and every language of a span or a
  publisher name reaching HTML ``lang``, EPUB ``xml:lang``, PDF tags and DOCX ``w:lang``;
- ``glyphs``: every character of the text covered by a font embedded in the PDF;
- ``typography``: the PDF's lines measured as a book designer reads them (characters per
  line, hyphenation, word spaces, stranded headings, widows and orphans, CJK line breaks,
  the title's size), see :mod:`publish.check.typography`;
- ``pdf-tags``: the PDF's tag tree (headings, paragraphs, lists, tables, figures with alt
  text, links) and its language;
- ``source``: the reader proven, once per document: every word of the source files in the
  model (``source (words)``), and pandoc's reading of them as a second opinion
  (``source (pandoc)``), see :mod:`publish.check.source`;
- ``epubcheck``, ``nu-html`` (the Nu HTML Checker) and ``libreoffice`` (the DOCX opened
  and laid out by LibreOffice, its text and table of contents read back).

Given a folder for them, it also draws each document's four editions side by side for the
report (:mod:`publish.check.previews`); a picture that cannot be drawn is a note, not a result.

The runner knows no format: it runs what :data:`SOURCE_CHECKS`, :data:`CHECKS` and :data:`BATCH_CHECKS` declare for
the formats of the editions it finds. A new check is one entry there; a new format needs
none (the read-back checks cover every format of :data:`publish.readback.READERS`).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from publish import layout
from publish import model as m
from publish.check import editions, pandoc, pdf, previews, sourcewords, typography, validators
from publish.check.editions import (
    check_languages,
    check_metadata,
    check_structure,
    expected_languages,
    expected_metadata,
)
from publish.check.pdf import check_glyphs, check_pdf_tags
from publish.check.report import (
    FAIL,
    NOT_CHECKED,
    PASS,
    DocumentReport,
    Edition,
    Preview,
    Report,
    Result,
    guard,
    html_report,
    terminal,
)
from publish.check.validators import check_epubcheck, check_libreoffice, libreoffice_pdfs, nu_html
from publish.options import FORMATS, Options
from publish.readback.pdf import embedded_fonts
from publish.readback.pdf import tags as pdf_tags

__all__ = [
    "BATCH_CHECKS",
    "CHECKS",
    "FAIL",
    "FORMATS",
    "NOT_CHECKED",
    "PASS",
    "SOURCE_CHECKS",
    "BatchCheck",
    "Check",
    "DocumentReport",
    "Edition",
    "Preview",
    "Progress",
    "Report",
    "Result",
    "SourceCheck",
    "check_epubcheck",
    "check_glyphs",
    "check_languages",
    "check_libreoffice",
    "check_metadata",
    "check_pdf_tags",
    "check_structure",
    "embedded_fonts",
    "expected_languages",
    "expected_metadata",
    "html_report",
    "libreoffice_pdfs",
    "nu_html",
    "pdf_tags",
    "run",
    "terminal",
]


@dataclass(frozen=True)
class Check:
    """A check of one edition at a time."""

    name: str
    #: The formats it applies to; None: every format (through the format's read-back).
    formats: tuple[str, ...] | None
    run: Callable[[Edition], Result]


@dataclass(frozen=True)
class BatchCheck:
    """A check best run once over the editions of every document (one Java or LibreOffice
    start): one result per edition, in their order. A check that lays the editions out may
    leave their pictures in the album it is given (None: no pictures)."""

    name: str
    formats: tuple[str, ...]
    run: Callable[[Sequence[Edition], previews.Album | None], list[Result]]


@dataclass(frozen=True)
class SourceCheck:
    """A check of a document's reading: its source files against its model, once per
    document, before its editions. ``against`` names what the source is compared through."""

    name: str
    against: str
    run: Callable[[m.Document, layout.Source, Options], Result]


#: The reader proven: every word of the source in the model, and pandoc's reading of the same
#: files as a second opinion (not checked without pandoc).
SOURCE_CHECKS: tuple[SourceCheck, ...] = (
    SourceCheck("source", "words", sourcewords.check_words),
    SourceCheck("source", "pandoc", pandoc.check_pandoc),
)

#: In the order of the report: a document's read-back checks edition by edition, then the
#: checks of a few formats, then (after every document) the batch checks.
CHECKS: tuple[Check, ...] = (
    Check("structure", None, lambda e: editions.check_structure(e.doc, e.fmt, e.path, e.options)),
    Check("metadata", None, lambda e: editions.check_metadata(e.doc, e.fmt, e.path)),
    Check("languages", None, lambda e: editions.check_languages(e.doc, e.fmt, e.path)),
    Check("pdf-tags", ("pdf",), lambda e: pdf.check_pdf_tags(e.doc, e.path, e.options)),
    Check("glyphs", ("pdf",), lambda e: pdf.check_glyphs(e.doc, e.path, e.options)),
    Check("typography", ("pdf",), lambda e: typography.check_typography(e.doc, e.path, e.options)),
    Check("epubcheck", ("epub",), lambda e: validators.check_epubcheck(e.path)),
)
BATCH_CHECKS: tuple[BatchCheck, ...] = (
    BatchCheck("nu-html", ("html",), validators.nu_html_editions),
    BatchCheck("libreoffice", ("docx",), validators.libreoffice_editions),
)


#: Where :func:`run` says what it is doing: a line per document, then a line per check
#: with its result and time (``publish check`` prints them on stderr).
Progress = Callable[[str], None]


def _silent(line: str) -> None:
    pass


def run(
    files: Iterable[layout.Source],
    out: Path,
    options: Options,
    formats: Sequence[str] = FORMATS,
    progress: Progress = _silent,
    pictures: Path | None = None,
) -> Report:
    """Check the editions of ``formats`` (those publish.toml asks for) of every document;
    with ``pictures``, a folder, draw each document's editions there for the report."""
    from publish import api

    album = previews.Album(pictures) if pictures is not None else None
    report = Report()
    found: list[tuple[DocumentReport, dict[str, Edition]]] = []
    files = list(files)
    for number, file in enumerate(files, 1):
        progress(f"checking {file} ({number}/{len(files)})")
        try:
            doc = api.load_source(file, options)
        except Exception as exc:  # a document that cannot be read cannot be checked
            report.errors.append(str(exc))
            progress(f"{file}: cannot be read: {exc}")
            continue
        paths = {fmt: layout.edition_path(out, file, fmt) for fmt in formats}
        dr = DocumentReport(file, doc.slug, paths, doc)
        report.documents.append(dr)
        present = {fmt: Edition(doc, fmt, p, options) for fmt, p in paths.items() if p.is_file()}
        found.append((dr, present))
        for fmt in formats:
            if fmt not in present:
                dr.results.append(Result("edition", FAIL, [f"{paths[fmt]} is missing: run publish all first"], fmt))
        for check in SOURCE_CHECKS:
            _timed(dr, progress, check.name, check.against, partial(check.run, doc, file, options))
        _check_document(dr, present, progress)
    for batch in BATCH_CHECKS:
        todo = [(dr, e) for dr, present in found for e in present.values() if e.fmt in batch.formats]
        if todo:
            progress(f"{batch.name}: {len(todo)} edition(s) at once (each shown with its share of the time)")
            started = time.perf_counter()
            results = _run_batch(batch, [edition for _, edition in todo], album)
            seconds = (time.perf_counter() - started) / len(todo)
            for (dr, _), result in zip(todo, results, strict=True):
                dr.results.append(result)
                progress(_done(dr, result, seconds))
    if album is not None and found:
        _draw(album, found, formats, progress)
    return report


def _draw(
    album: previews.Album,
    found: list[tuple[DocumentReport, dict[str, Edition]]],
    formats: Sequence[str],
    progress: Progress,
) -> None:
    """The pictures no check drew (the DOCX's are the ``libreoffice`` check's), then each
    document's side by side."""
    progress(f"pictures of the editions of {len(found)} document(s) (Chromium draws several at once)")
    started = time.perf_counter()
    album.draw([edition for _, present in found for edition in present.values()])
    for dr, present in found:
        dr.previews = album.previews(present, formats)
        missing = [f"{p.fmt}: {p.note}" for p in dr.previews if p.src is None]
        shown = len(dr.previews) - len(missing)
        progress(f"{dr.slug}: {shown} of {len(dr.previews)} pictures" + "".join(f"; no {m}" for m in missing))
    progress(f"pictures drawn in {time.perf_counter() - started:.2f} s")


def _done(dr: DocumentReport, result: Result, seconds: float) -> str:
    return f"{dr.slug}: {result.label}: {result.status} in {seconds:.2f} s"


def _timed(dr: DocumentReport, progress: Progress, name: str, fmt: str, fn: Callable[[], Result]) -> None:
    started = time.perf_counter()
    result = guard(name, fmt, fn)
    dr.results.append(result)
    progress(_done(dr, result, time.perf_counter() - started))


def _check_document(dr: DocumentReport, present: dict[str, Edition], progress: Progress = _silent) -> None:
    """The checks of every format, edition by edition; then those of a few formats."""
    for edition in present.values():
        for check in CHECKS:
            if check.formats is None:
                _timed(dr, progress, check.name, edition.fmt, partial(check.run, edition))
    for check in CHECKS:
        if check.formats is not None:
            for fmt in check.formats:
                if fmt in present:
                    _timed(dr, progress, check.name, fmt, partial(check.run, present[fmt]))


def _run_batch(batch: BatchCheck, todo: list[Edition], album: previews.Album | None) -> list[Result]:
    """A batch check that crashes (or misses its tool) gives each of its editions what
    :func:`guard` gives one."""
    try:
        return batch.run(todo, album)
    except Exception as exc:
        return [guard(batch.name, edition.fmt, partial(_reraise, exc)) for edition in todo]


def _reraise(exc: Exception) -> Result:
    raise exc
