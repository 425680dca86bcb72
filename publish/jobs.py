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

What the worker still reads is the model's inputs that are files: the images (from the
content folder), the theme's templates, CSS and fonts, ``--reference-docx``, the installed
fonts; see the README ("Building a catalogue on a cluster").
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from publish import api, files
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


def returning_job(doc: m.Document, fmt: str, dest: Path, options: Options) -> Returned:
    """One edition written in a scratch folder (run on the worker): its files as bytes, its
    error worded as a local job's (the paths are the client's: ``dest`` is only named)."""
    started = time.perf_counter()
    logger = logging.getLogger("publish")
    keep, propagate = _Keep(), logger.propagate
    logger.addHandler(keep)
    logger.propagate = False  # the client logs them, once, where the user sees them
    scratch = Path(tempfile.mkdtemp(prefix="publish-job-"))
    try:
        folder = scratch / dest.parent.name  # the edition's folder keeps its name
        error = attempt(doc, fmt, folder / dest.name, options)
        found = {} if error else _read(folder)
    finally:
        logger.removeHandler(keep)
        logger.propagate = propagate
        shutil.rmtree(scratch, ignore_errors=True)

    def client(text: str) -> str:  # the scratch folder, as the client's output folder
        return text.replace(str(folder), str(dest.parent))

    said = [client(message) for message in keep.messages]
    return Returned(error and client(error), time.perf_counter() - started, found, said)


def _read(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.is_symlink() and not p.name.endswith(".part")
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
