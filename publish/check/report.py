"""What ``publish check`` finds, and how it is shown: results, the report, the terminal text and
the HTML report page (the ``report/report.html`` template of the theme)."""

from __future__ import annotations

import os
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from publish import layout
from publish import model as m
from publish import templates as tpl
from publish.errors import MissingToolError
from publish.options import Options
from publish.version import __version__

PASS, FAIL, NOT_CHECKED = "pass", "fail", "not checked"


@dataclass
class Result:
    check: str
    status: str
    details: list[str] = field(default_factory=list)
    fmt: str = ""

    @property
    def label(self) -> str:
        return f"{self.check} ({self.fmt})" if self.fmt else self.check


class Edition(NamedTuple):
    """One edition of a document, to be checked: the model it must be faithful to, its format,
    its file and the options it was built with."""

    doc: m.Document
    fmt: str
    path: Path
    options: Options


class Preview(NamedTuple):
    """A picture of one edition in the report (see :mod:`publish.check.previews`): its file,
    or None and a note saying why it is not shown."""

    fmt: str
    caption: str
    alt: str
    src: Path | None
    note: str = ""


@dataclass
class DocumentReport:
    source: layout.Source
    slug: str
    editions: dict[str, Path]
    doc: m.Document
    results: list[Result] = field(default_factory=list)
    previews: list[Preview] = field(default_factory=list)  # the editions side by side

    @property
    def failed(self) -> bool:
        return any(r.status == FAIL for r in self.results)


@dataclass
class Report:
    documents: list[DocumentReport] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # documents that could not be read

    def count(self, status: str) -> int:
        return sum(1 for d in self.documents for r in d.results if r.status == status)

    @property
    def exit_code(self) -> int:
        """0 all passed; 1 a check failed or a document could not be checked; 3 nothing
        failed but some checks did not run (a tool is missing)."""
        if self.errors or self.count(FAIL):
            return 1
        return 3 if self.count(NOT_CHECKED) else 0


def guard(name: str, fmt: str, fn: Callable[[], Result]) -> Result:
    """A check that crashes on a damaged edition is a failed check, not a crash; a check whose
    tool is missing did not run: it is not checked, never failed."""
    try:
        return fn()
    except MissingToolError as exc:
        return Result(name, NOT_CHECKED, [str(exc)], fmt)
    except Exception as exc:
        return Result(name, FAIL, [f"could not be read: {type(exc).__name__}: {exc}"], fmt)


def merged(name: str, fmt: str, results: list[tuple[Path, Result]]) -> Result:
    """One result for the pages of one edition (a book's web edition has several)."""
    if len(results) == 1:
        return results[0][1]
    statuses = {r.status for _, r in results}
    status = FAIL if FAIL in statuses else NOT_CHECKED if NOT_CHECKED in statuses else PASS
    details = [f"{p.name}: {d}" for p, r in results for d in r.details]
    if status == NOT_CHECKED:
        details = results[0][1].details
    return Result(name, status, details, fmt)


def terminal(report: Report) -> str:
    lines = []
    marks = {PASS: "ok  ", FAIL: "FAIL", NOT_CHECKED: "n/c "}
    for d in report.documents:
        lines.append(f"{d.source}")
        for r in d.results:
            lines.append(f"  {marks[r.status]} {r.label}")
            if r.status != PASS:
                lines += [f"         {detail}" for detail in r.details[:20]]
                if len(r.details) > 20:
                    lines.append(f"         … and {len(r.details) - 20} more")
    for error in report.errors:
        lines.append(f"error: {error}")
    lines.append(
        f"{report.count(PASS)} passed, {report.count(FAIL)} failed, {report.count(NOT_CHECKED)} not checked"
        + (f", {len(report.errors)} document(s) unreadable" if report.errors else "")
    )
    return "\n".join(lines)


def html_report(report: Report, options: Options, destination: Path) -> str:
    """The report page; links to the editions are relative to where it is written."""
    here = destination.resolve().parent
    links = {
        d.slug: {fmt: os.path.relpath(path.resolve(), here) for fmt, path in d.editions.items()}
        for d in report.documents
    }
    pictures = {
        (d.slug, p.fmt): urllib.parse.quote(Path(os.path.relpath(p.src.resolve(), here)).as_posix())
        for d in report.documents
        for p in d.previews
        if p.src is not None
    }
    return tpl.render(
        options.template_path,
        "report/report.html",
        report=report,
        links=links,
        pictures=pictures,
        passed=report.count(PASS),
        failed=report.count(FAIL),
        not_checked=report.count(NOT_CHECKED),
        generator=f"publish {__version__}",
    )
