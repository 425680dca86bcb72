"""One edition's job, as a worker runs it: written in place, or returned as bytes.

:func:`job` writes the edition where the client asked (a local pool, or Dask workers that
share the client's disk). :func:`returning_job` is for workers that share no disk with the
client (``dask://HOST:PORT?shared=no``): the worker runs the writer exactly as a local build
does, but into a scratch folder of its own; the edition and the files written beside it (an
HTML edition's ``media/`` images, a book's chapter pages) are read back and returned with
the warnings the writer logged and the seconds it took, and the scratch folder is removed.
The client then writes them into the output folder as a writer does (:func:`write`): each
file atomically (a temporary file moved into place), side files first and the edition last,
a book's stale chapter pages removed. A job that fails returns no file: nothing is written.

The files the writers read are shipped with the job (:func:`pack`): the Markdown sources
(their lines name a writer's errors and warnings), the images, the user's theme folders and
``--reference-docx``. A worker that does not hold the same files at the same paths puts them
in its scratch folder, under their real paths on the client, and writes from there: it needs
no copy of the content folder, only the same publish (whose default theme it uses) and the
same fonts.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import shutil
import tempfile
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from publish import api, files, resources, walk
from publish import model as m
from publish.errors import PublishError
from publish.options import Options

log = logging.getLogger("publish")


@dataclass
class Returned:
    """What a worker sends back: the error (None: built), the seconds, the files (paths
    relative to the edition's folder, the edition itself under its own name) and the
    warnings logged while it was written."""

    error: str | None
    seconds: float
    files: dict[str, bytes] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def job(doc: m.Document, fmt: str, dest: Path, options: Options) -> tuple[str | None, float]:
    """One edition written at ``dest`` (in a worker process, or inline): (None or the error
    as text, seconds)."""
    started = time.perf_counter()
    return attempt(doc, fmt, dest, options), time.perf_counter() - started


def attempt(doc: m.Document, fmt: str, dest: Path, options: Options) -> str | None:
    """Write one edition: None, or its error as ``file:line: message``."""
    file = doc.source or Path("document.md")
    own = {file.resolve(), *(chapter.source.resolve() for chapter in doc.chapters)}
    try:
        api.build(doc, fmt, dest, options)
    except PublishError as exc:
        if not exc.file:
            return f"{file}: {fmt}: {exc}"
        if Path(exc.file).resolve() not in own:  # a template's or a theme's error
            return f"{exc} (while building the {fmt.upper()} of {file})"
        return str(exc)
    except Exception as exc:
        log.debug("%s", traceback.format_exc())
        return f"{file}: {fmt}: internal error: {type(exc).__name__}: {exc}"
    return None


class _Keep(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@dataclass
class Shipped:
    """The files a job's writer reads, by their real path on the client, and the real paths
    of the document's sources and of the options' folders (resolved here, where they exist)."""

    files: dict[str, bytes]
    source: Path | None
    chapters: tuple[Path, ...]
    content_root: Path | None
    theme_dirs: tuple[Path, ...]
    reference_docx: Path | None


def pack(doc: m.Document, options: Options) -> Shipped:
    """What a worker without the client's disk needs to write an edition of ``doc``: the
    sources, the images, the user's theme folders (every file) and the reference document.
    An image that cannot be read is left out: the worker then fails on it as a local job would."""
    sources = [doc.source, *(chapter.source for chapter in doc.chapters)]
    paths = {source.resolve() for source in sources if source is not None}
    resolver = resources.Resolver.for_document(doc.source, options.content_root)
    for image in walk.images(doc):
        with contextlib.suppress(resources.Refused, OSError):
            paths.add(resolver.local(image.src, doc.base_dir))
    reference = options.reference_docx.resolve() if options.reference_docx is not None else None
    if reference is not None:
        paths.add(reference)
    themes = tuple(folder.resolve() for folder in options.theme_dirs)
    for folder in themes:
        if folder.is_dir():  # under the folder's real path, even when a file is a link
            paths.update(folder / file.relative_to(folder) for file in folder.rglob("*") if file.is_file())
    found: dict[str, bytes] = {}
    for path in sorted(paths):
        try:
            found[str(path)] = path.read_bytes()
        except OSError:  # gone, or a folder: the writer says what it misses
            continue
    return Shipped(
        found,
        doc.source.resolve() if doc.source is not None else None,
        tuple(chapter.source.resolve() for chapter in doc.chapters),
        options.content_root.resolve() if options.content_root is not None else None,
        themes,
        reference,
    )


def _unpack(shipped: Shipped, root: Path, doc: m.Document, options: Options) -> tuple[m.Document, Options]:
    """The shipped files under ``root`` (at their client paths), and the model and options
    pointing there."""

    def moved(path: Path) -> Path:
        return root / path.relative_to(path.anchor)

    for name, data in shipped.files.items():
        target = moved(Path(name))
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    pairs = zip(doc.chapters, shipped.chapters, strict=True)
    chapters = tuple(dataclasses.replace(chapter, source=moved(real)) for chapter, real in pairs)
    doc = dataclasses.replace(doc, source=shipped.source and moved(shipped.source), chapters=chapters)
    options = dataclasses.replace(
        options,
        content_root=shipped.content_root and moved(shipped.content_root),
        theme_dirs=tuple(moved(folder) for folder in shipped.theme_dirs),
        reference_docx=shipped.reference_docx and moved(shipped.reference_docx),
    )
    return doc, options


def _here(shipped: Shipped) -> bool:
    """Whether this machine holds every shipped file, the same, at its path (a worker that
    shares the content folder after all, or runs beside the client): then it reads them in
    place, and its editions are the same bytes as the client's own build. A PDF's raster
    images are named after their file's path (WeasyPrint), so one laid out from the shipped
    copies differs from the client's in those names only."""
    for name, data in shipped.files.items():
        try:
            if Path(name).read_bytes() != data:
                return False
        except OSError:
            return False
    return True


def returning_job(doc: m.Document, fmt: str, dest: Path, options: Options, shipped: Shipped | None = None) -> Returned:
    """One edition written in a scratch folder (run on the worker): its files as bytes. With
    ``shipped``, its inputs are read from there too. Errors and warnings name the client's
    paths, worded as a local job's (``dest`` is only named: the worker never opens it)."""
    started = time.perf_counter()
    logger = logging.getLogger("publish")
    keep, propagate = _Keep(), logger.propagate
    logger.addHandler(keep)
    logger.propagate = False  # the client logs them, once, where the user sees them
    scratch = Path(tempfile.mkdtemp(prefix="publish-job-")).resolve()
    folder, root = scratch / "out" / dest.parent.name, scratch / "in"  # the edition's folder keeps its name
    names = {str(folder): str(dest.parent)}
    try:
        if shipped is not None and not _here(shipped):
            given = [doc.source, *(chapter.source for chapter in doc.chapters)]
            doc, options = _unpack(shipped, root, doc, options)
            moved = [doc.source, *(chapter.source for chapter in doc.chapters)]
            names.update({str(new): str(old) for new, old in zip(moved, given, strict=True) if new and old})
            names[str(root)] = ""  # any other shipped file: its path on the client
        error = attempt(doc, fmt, folder / dest.name, options)
        found = {} if error else _read(folder)
    finally:
        logger.removeHandler(keep)
        logger.propagate = propagate
        shutil.rmtree(scratch, ignore_errors=True)

    def client(text: str) -> str:
        for here, there in names.items():
            text = text.replace(here, there)
        return text

    said = [client(message) for message in keep.messages]
    return Returned(error and client(error), time.perf_counter() - started, found, said)


def _read(folder: Path) -> dict[str, bytes]:
    """The files a job wrote in ``folder``: not a temporary file, nor what a writer keeps for
    the next build in a hidden folder (the PDF's parts, :mod:`publish.writers.pdfassemble`),
    which a scratch folder would not keep anyway."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
        and not p.is_symlink()
        and not p.name.endswith(".part")
        and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    }


def write(result: Returned, dest: Path, *, book_site: bool = False) -> str | None:
    """Write what a worker returned for ``dest`` on this machine (None, or the error as text).
    Side files first (one left as it is when it holds the same bytes), then, for a book's
    site, its pages of chapters it no longer has removed, then the edition itself."""
    for message in result.warnings:
        log.warning("%s", message)
    if result.error is not None:
        return result.error
    if dest.name not in result.files:
        return f"{dest}: the worker returned no {dest.name}"
    folder = dest.parent
    try:
        for name, data in result.files.items():
            target = folder / name
            if name == dest.name or not target.resolve().is_relative_to(folder.resolve()):
                continue
            if not target.is_file() or target.read_bytes() != data:
                target.parent.mkdir(parents=True, exist_ok=True)
                files.write_bytes(target, data)
        if book_site:
            for stale in folder.glob("*.html"):
                if stale.name not in result.files and stale.name != dest.name and not stale.is_symlink():
                    stale.unlink()
        files.write_bytes(dest, result.files[dest.name])
    except OSError as exc:
        return f"{dest}: cannot write the edition: {exc}"
    return None
