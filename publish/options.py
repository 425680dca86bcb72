"""Edition options and every constant the rooms share, with the standard library only.

The command line imports this module before it knows whether anything needs building, so it
must stay cheap: no Markdown parser, no Jinja, no Pygments, no Babel, nothing of ours but
this. Everything that decides an edition's bytes is a field of :class:`Options`.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: The editions, in the order they are listed and built.
FORMATS: tuple[str, ...] = ("html", "pdf", "epub", "docx")
#: The PDF variants offered: PDF/UA-1 (tagged, accessible) by default, PDF/A-3a (tagged
#: archival) on request, or an untagged PDF.
PDF_VARIANTS: tuple[str, ...] = ("pdf/ua-1", "pdf/a-3a", "plain")
#: Page sizes of the PDF and the DOCX, in millimetres (width, height).
PAPERS: dict[str, tuple[float, float]] = {
    "A4": (210, 297),
    "A5": (148, 210),
    "B5": (176, 250),
    "Letter": (215.9, 279.4),
    "Legal": (215.9, 355.6),
}
#: The largest source document read, by default (``--max-size`` in MiB).
MAX_SOURCE_MIB = 8
MAX_SOURCE_BYTES = MAX_SOURCE_MIB * 1024 * 1024
#: EPUB: a text at least this long is split into one file per top-level section.
EPUB_SPLIT_CHARS = 20_000
#: Seconds WeasyPrint may take to lay out one PDF, by default.
PDF_TIMEOUT = 300.0
#: The record of what was built from what, in the output folder.
CACHE_FILE = ".publish-cache.json"
#: The project file at the root of a content folder.
PROJECT_FILE = "publish.toml"
#: Where a build's jobs run: a local process pool (the default) or a Dask cluster, whose
#: workers write the editions on a disk they share with the client (``?shared=yes``, the
#: default) or return their bytes for the client to write (``?shared=no``).
LOCAL_EXECUTOR = "local"
DASK_EXECUTOR = re.compile(r"^dask://(?P<address>[^/?\s]+:\d+)/?(?:\?shared=(?P<shared>yes|no))?$")

_PACKAGED_THEME = Path(__file__).parent / "_templates"
_SOURCE_THEME = Path(__file__).parent.parent / "templates"


def packaged_theme() -> bool:
    """True when the default theme is the copy inside an installed wheel (not editable)."""
    return not _SOURCE_THEME.is_dir()


def default_theme() -> Path:
    """The default theme: ``templates/`` beside the package (a source tree or editable
    install) or the copy a wheel carries inside the package."""
    return _SOURCE_THEME if _SOURCE_THEME.is_dir() else _PACKAGED_THEME


def search_path(user_dirs: Sequence[Path] = ()) -> tuple[Path, ...]:
    """The template search path: the user's theme folders first, then the default theme."""
    return (*(Path(d).resolve() for d in user_dirs), default_theme().resolve())


def executor_problem(spec: str) -> str | None:
    """Why ``spec`` is not an executor publish knows, or None."""
    if spec == LOCAL_EXECUTOR or DASK_EXECUTOR.match(spec):
        return None
    return f"{spec!r} is not an executor: 'local' or 'dask://HOST:PORT' (with '?shared=no': no shared disk)"


def build_time() -> dt.datetime:
    """The build's timestamp: ``SOURCE_DATE_EPOCH`` when set, else now (whole seconds, UTC)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC)
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


@dataclass(frozen=True)
class Options:
    """How editions are made: one frozen value, built once per command
    (:mod:`publish.config` merges the command line and ``publish.toml`` into it)."""

    #: Theme folders searched before the default theme (first wins).
    theme_dirs: tuple[Path, ...] = ()
    #: The folder the user's sources live in: the only place images may come from.
    content_root: Path | None = None
    #: The build's timestamp for "modified"/"created" dates (SOURCE_DATE_EPOCH when set).
    now: dt.datetime = field(default_factory=build_time)
    #: A table of contents: True, False, or None for "when the document has two headings or more".
    toc: bool | None = None
    #: See :data:`PDF_VARIANTS`.
    pdf_variant: str = "pdf/ua-1"
    #: A Word document whose styles the DOCX edition uses (like pandoc's --reference-doc).
    reference_docx: Path | None = None
    #: See :data:`EPUB_SPLIT_CHARS`.
    epub_split_chars: int = EPUB_SPLIT_CHARS
    #: Let the PDF engine fetch http(s) resources a theme names (never needed by default).
    allow_remote: bool = False
    #: The largest source document read (bytes).
    max_source_bytes: int = MAX_SOURCE_BYTES
    #: Seconds WeasyPrint may take to lay out one PDF before the document fails.
    pdf_timeout: float = PDF_TIMEOUT
    #: The page size of the PDF and the DOCX (a key of :data:`PAPERS`).
    paper: str = "A4"
    #: Front-matter defaults (publish.toml's [defaults]) and the file they came from.
    defaults: dict[str, Any] = field(default_factory=dict, hash=False)
    project_file: Path | None = None
    #: Every warning of the reader is an error (``--strict``, ``[build] strict = true``).
    strict: bool = False
    #: Number the DOCX's table of contents from LibreOffice's layout of it (about 2 s a
    #: document that has one); False (``--no-toc-pages``): Word numbers it when it opens.
    toc_pages: bool = True
    #: Lay a long PDF out in parts, in parallel (:mod:`publish.writers.pdfparts`): "auto" (a
    #: long document whose theme allows it), "on" (any document of several top-level sections
    #: whose theme allows it) or "off" (always whole).
    pdf_parts: str = "auto"

    def __post_init__(self) -> None:
        if self.pdf_variant not in PDF_VARIANTS:
            raise ValueError(f"unknown PDF variant {self.pdf_variant!r}: choose one of {', '.join(PDF_VARIANTS)}")
        if self.pdf_parts not in ("auto", "on", "off"):
            raise ValueError(f"unknown pdf_parts {self.pdf_parts!r}: choose auto, on or off")
        if self.paper not in PAPERS:
            raise ValueError(f"unknown paper size {self.paper!r}: choose one of {', '.join(PAPERS)}")

    @property
    def template_path(self) -> tuple[Path, ...]:
        return search_path(self.theme_dirs)
