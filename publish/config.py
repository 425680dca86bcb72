"""One command's settings: the command line over ``publish.toml`` over the defaults, merged
once into one frozen :class:`Config` (its edition options are one frozen
:class:`publish.options.Options`).

Every command builds its configuration here and nowhere else; ``publish serve`` calls
:func:`resolve` again before each rebuild, so an edit of ``publish.toml`` takes effect
without touching what the command line gave.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass, fields
from pathlib import Path

from publish import layout, project
from publish.options import FORMATS, LOCAL_EXECUTOR, MAX_SOURCE_MIB, PDF_TIMEOUT, Options


@dataclass(frozen=True)
class CommandLine:
    """What the command line gave (None: not given, publish.toml or the default decides)."""

    content: Path = Path("content")
    out: Path = Path("output")
    files: tuple[Path, ...] = ()
    theme: tuple[Path, ...] = ()
    toc: bool | None = None
    pdf_variant: str | None = None
    paper: str | None = None
    reference_docx: Path | None = None
    allow_remote: bool = False
    max_size: float = MAX_SOURCE_MIB
    pdf_timeout: float = PDF_TIMEOUT
    pdf_parts: str = "auto"
    executor: str | None = None
    strict: bool | None = None
    toc_pages: bool = True

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> CommandLine:
        """The fields a command's arguments have (``dump`` names one ``file``)."""
        given = {f.name: getattr(args, f.name) for f in fields(cls) if getattr(args, f.name, None) is not None}
        if "file" in vars(args):
            given["files"] = [args.file]
        for name in ("files", "theme"):
            if name in given:
                given[name] = tuple(given[name])
        return cls(**given)


@dataclass(frozen=True)
class Config:
    """The settings of one command."""

    content: Path
    out: Path
    #: The FILE arguments (empty: every document and book of the content folder).
    files: tuple[Path, ...]
    options: Options
    #: The content folder's publish.toml, when it has one.
    project: project.Project | None
    #: What ``publish all`` and ``publish check`` cover: publish.toml's ``formats`` or all four.
    formats: tuple[str, ...]
    #: Where the jobs run: ``local`` or ``dask://HOST:PORT``.
    executor: str


def resolve(given: CommandLine) -> Config:
    """Merge the command line with the content folder's ``publish.toml`` (the command line
    wins); a bad ``publish.toml`` raises :class:`publish.errors.PublishError` at its line."""
    found = project.load(given.content) if given.content.is_dir() else None
    themes = (*given.theme, found.theme) if found is not None and found.theme is not None else given.theme
    options = Options(
        theme_dirs=themes,
        content_root=given.content.resolve(),
        toc=given.toc if given.toc is not None else (found.toc if found else None),
        pdf_variant=given.pdf_variant or (found.pdf_variant if found else None) or "pdf/ua-1",
        paper=given.paper or (found.paper if found else None) or "A4",
        reference_docx=given.reference_docx or (found.reference_docx if found else None),
        allow_remote=given.allow_remote,
        max_source_bytes=int(given.max_size * 1024 * 1024),
        pdf_timeout=given.pdf_timeout,
        pdf_parts=given.pdf_parts,
        defaults=dict(found.defaults) if found else {},
        project_file=found.file if found else None,
        strict=given.strict if given.strict is not None else bool(found and found.strict),
        toc_pages=given.toc_pages,
    )
    return Config(
        content=given.content,
        out=given.out,
        files=given.files,
        options=options,
        project=found,
        formats=found.formats if found else FORMATS,
        executor=given.executor or (found.executor if found else None) or LOCAL_EXECUTOR,
    )


def sources(config: Config) -> list[layout.Source]:
    """What to build: the FILE arguments, or every document of the content folder; the
    chapters of a book (in publish.toml) stand for their book. A FILE argument may also
    name a book."""
    found = config.project
    books = {b.name: b for b in found.books} if found else {}
    if not config.files:
        chapters = {c.resolve() for b in books.values() for c in b.chapters}
        documents: list[layout.Source] = [f for f in layout.discover(config.content) if f.resolve() not in chapters]
        return [*documents, *books.values()]
    chosen: list[layout.Source] = []
    for file in config.files:
        book = (found.chapter_of(file) if found else None) or (books.get(str(file)) if not file.exists() else None)
        source: layout.Source = book or file
        if source not in chosen:
            chosen.append(source)
    return chosen


def refuse_out(out: Path, content: Path, force: bool) -> str | None:
    """Why ``out`` must not receive editions (stale ones are deleted there), or None."""
    if force:
        return None
    real = out.resolve()
    if (real / ".git").exists():
        return f"{out} holds a .git folder; editions (and the removal of stale ones) go elsewhere, or use --force"
    roots = (Path.cwd().resolve(), content.resolve().parent)
    if not any(real.is_relative_to(p) for p in roots):
        return f"{out} lies outside the project ({roots[0]}); use --force to write there"
    return None
