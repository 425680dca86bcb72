"""Build sources into editions, in phases: read, plan, submit, collect, record (:func:`build`).

A failure in one document (bad input) or one edition (a writer's error) is reported as
``file:line: message`` and the rest of the build goes on.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
import time
import traceback
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from publish import api, cache, executors, freshness, layout
from publish import jobs as work  # not ``jobs``: build()'s number of processes
from publish import model as m
from publish.errors import PublishError
from publish.layout import clear_parts, edition_path
from publish.options import Options

log = logging.getLogger("publish")


@dataclass
class Report:
    built: list[Path] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    #: Editions left as they were: their inputs have not changed since they were built.
    skipped: list[Path] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


#: Slowest first, so the PDFs (WeasyPrint dominates) start at once and the other formats
#: fill the other cores behind them.
_COST = {"pdf": 0, "docx": 1, "epub": 2, "html": 3}


@dataclass(frozen=True)
class Event:
    """What a progress display hears: ``queued`` when an edition's job is handed out,
    ``done`` when it is written (``error`` None) or failed, ``skipped`` when it is up to date."""

    kind: str
    source: layout.Source
    fmt: str
    dest: Path
    seconds: float = 0.0
    error: str | None = None


def _die_with(parent: int) -> None:
    """Pool initializer: a worker ends when the build that started it is killed.

    A killed parent leaves its workers waiting on a queue that the other workers also hold
    open, forever; on Linux the kernel sends them SIGKILL when the parent dies
    (``prctl(PR_SET_PDEATHSIG)``), elsewhere a thread watches the parent's pid.
    """
    import ctypes
    import signal
    import sys
    import threading

    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGKILL), 0, 0, 0)  # PR_SET_PDEATHSIG = 1
    if os.getppid() != parent:  # the parent died before the line above
        os._exit(1)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(1)

    threading.Thread(target=watch, daemon=True, name="publish-parent-watch").start()


def default_executor(jobs: int) -> Executor:
    """A process pool as large as the machine (or ``jobs``); processes are forked, so they
    start with what the parent has imported, and WeasyPrint is imported by the first PDF job.
    Workers end with the build that started them (:func:`_die_with`)."""
    import multiprocessing

    workers = max(1, min(jobs, os.cpu_count() or 1))
    return ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("fork"),
        initializer=_die_with,
        initargs=(os.getpid(),),
    )


@dataclass
class Job:
    """One edition to write: planned when its document is read, submitted, collected."""

    source: layout.Source
    doc: m.Document
    fmt: str
    dest: Path
    #: The edition's key (:func:`publish.cache.edition_key`) and what the no-op check reads.
    key: str
    fast: dict[str, Any]
    #: Files written with the edition (a book's chapter pages).
    pages: list[Path]
    #: The error (None: written) and the seconds it took, once known; or the pending future.
    outcome: Future[Any] | tuple[str | None, float] | None = None
    #: Set once a job whose worker returns its files has had them written here.
    written: threading.Event = field(default_factory=threading.Event)


def build(
    files: Iterable[layout.Source],
    formats: Sequence[str],
    out: Path,
    options: Options,
    *,
    executor: Executor | None = None,
    jobs: int | None = None,
    incremental: bool = True,
    on_event: Callable[[Event], None] | None = None,
    shared_disk: bool = True,
) -> Report:
    """Build every (document or book, format) edition, in four phases: **plan** (read each
    source and decide which of its editions are out of date), **submit** (hand each to
    ``executor``: default a local process pool of ``jobs`` or one per CPU; inline when
    ``jobs`` is 1), **collect** (wait for every job) and **record** (the inputs of what was
    built, in the build cache). A document's jobs are submitted as soon as it is read, so
    its PDF lays out while the next document is read. With ``incremental``, an edition whose
    inputs (see :mod:`publish.cache`) have not changed since it was built is left as it is.
    Without ``shared_disk``, each job carries its document's inputs and its worker returns the
    edition's files for this process to write (:func:`publish.jobs.returning_job`): workers
    need no access to ``out`` or to the content folder."""
    report = Report()
    freshness.theme_digest.cache_clear()  # theme files may have changed since the last build
    store = cache.Cache(out)  # read, and written after the build, even when nothing is skipped
    tell = on_event or (lambda event: None)
    workers = jobs if jobs is not None else (os.cpu_count() or 1)
    inline = executor is None and workers <= 1
    pool, own = executor, False
    submitted: list[Job] = []
    try:
        for source, doc in _read(files, options, report):
            clear_parts(edition_path(out, source, "html").parent)
            shipped: tuple[Any, ...] | None = None  # what a worker without the disk is sent, once
            for job in _plan(source, doc, formats, out, options, store, incremental, report, tell):
                if not inline and pool is None:
                    pool, own = default_executor(workers), True
                if shipped is None:
                    shipped = () if shared_disk else (_send(pool, work.pack(doc, options)),)
                _submit(job, pool, options, tell, shared_disk, shipped)
                submitted.append(job)
        _collect(submitted, shared_disk)
    finally:
        if own and pool is not None:
            pool.shutdown()
    _record(submitted, store, report)
    return report


def _read(
    files: Iterable[layout.Source], options: Options, report: Report
) -> Iterator[tuple[layout.Source, m.Document]]:
    """Each source read into its model; a name used twice or a source that cannot be read
    is an error of the report, and the others go on."""
    seen: dict[str, layout.Source] = {}
    for file in files:
        if file.stem in seen:
            at = (file.project_file, file.line) if isinstance(file, layout.Book) else (file, None)
            report.errors.append(
                str(PublishError(f"another document already uses the name {file.stem!r} ({seen[file.stem]})", *at))
            )
            continue
        seen[file.stem] = file
        try:
            doc = api.load_source(file, options)
        except PublishError as exc:
            report.errors.append(str(exc))
            continue
        except Exception as exc:
            log.debug("%s", traceback.format_exc())
            report.errors.append(f"{file}: internal error while reading: {type(exc).__name__}: {exc}")
            continue
        yield file, doc


def _plan(
    source: layout.Source,
    doc: m.Document,
    formats: Sequence[str],
    out: Path,
    options: Options,
    store: cache.Cache,
    incremental: bool,
    report: Report,
    tell: Callable[[Event], None],
) -> Iterator[Job]:
    """The editions of one document that must be written, slowest first; those whose key is
    the one recorded (and whose files are as recorded) are skipped and recorded again."""
    found = cache.inputs(doc, options, source)
    for fmt in sorted(formats, key=lambda f: _COST.get(f, 9)):
        dest = edition_path(out, source, fmt)
        context = freshness.context(fmt, options)
        key = cache.edition_key(found, context)
        fast = cache.fast_record(found, context)
        # A book's web edition is its first page and a page per chapter: all are checked.
        pages = [dest.with_name(layout.chapter_page(c.id)) for c in doc.chapters] if fmt == "html" else []
        if incremental and store.fresh(dest, key, pages):
            report.skipped.append(dest)  # the same model; the source's bytes may differ
            tell(Event("skipped", source, fmt, dest))
            store.record(dest, key, fast, pages)
            continue
        yield Job(source, doc, fmt, dest, key, fast, pages)


def _send(pool: Executor | None, value: Any) -> Any:
    """``value`` as a job's argument: sent to a Dask cluster once for all the jobs that take it
    (a document's inputs, for its four editions), or as it is."""
    return pool.send(value) if isinstance(pool, executors.DaskExecutor) else value


def _submit(
    job: Job,
    pool: Executor | None,
    options: Options,
    tell: Callable[[Event], None],
    shared_disk: bool = True,
    shipped: tuple[Any, ...] = (),
) -> None:
    """Start one job: in ``pool``, or here and now when there is no pool (inline). Without
    ``shared_disk`` the job (given the ``shipped`` inputs) returns its files, written here
    when it ends (:func:`_written`)."""
    tell(Event("queued", job.source, job.fmt, job.dest))
    run = work.job if shared_disk else work.returning_job
    if pool is None:
        job.outcome = _written(job, run(job.doc, job.fmt, job.dest, options, *shipped))
        job.written.set()
        tell(Event("done", job.source, job.fmt, job.dest, job.outcome[1], job.outcome[0]))
        return
    job.outcome = future = pool.submit(run, job.doc, job.fmt, job.dest, options, *shipped)

    def finished(done: Future[Any]) -> None:
        try:
            try:
                error, seconds = _written(job, done.result())
            except Exception as exc:
                error, seconds = f"{job.dest}: the build job failed: {type(exc).__name__}: {exc}", 0.0
            if not shared_disk:
                job.outcome = (error, seconds)
            tell(Event("done", job.source, job.fmt, job.dest, seconds, error))
        finally:
            job.written.set()

    future.add_done_callback(finished)


def _written(job: Job, result: tuple[str | None, float] | work.Returned) -> tuple[str | None, float]:
    """A job's outcome; the files a worker returned are written first (their error is the job's)."""
    if isinstance(result, work.Returned):
        book_site = job.fmt == "html" and job.doc.is_book
        return work.write(result, job.dest, book_site=book_site), result.seconds
    return result


def _collect(submitted: list[Job], shared_disk: bool = True) -> None:
    """Wait for every job; a lost worker (killed, out of memory) is its job's error. A job
    whose worker returns its files has ended once this process has written them (or failed to)."""
    for job in submitted:
        if not shared_disk:
            job.written.wait()
        elif isinstance(job.outcome, Future):
            try:
                job.outcome = job.outcome.result()
            except Exception as exc:
                job.outcome = (f"{job.dest}: the build job failed: {type(exc).__name__}: {exc}", 0.0)


def _record(jobs: list[Job], store: cache.Cache, report: Report) -> None:
    """What was written goes in the report and the build cache; what failed, in the errors."""
    for folder in {job.dest.parent for job in jobs}:
        clear_parts(folder)  # every job has ended: a temporary file left now is a lost job's
    for job in jobs:
        error = job.outcome[0] if isinstance(job.outcome, tuple) else "the job never ran"
        if error is None:
            report.built.append(job.dest)
            store.record(job.dest, job.key, job.fast, job.pages)
        else:
            report.errors.append(error)
    store.save()
