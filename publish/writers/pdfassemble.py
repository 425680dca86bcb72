"""A long document's PDF laid out in parts, in parallel, each part only when it changed.

The parts (:mod:`publish.writers.pdfparts`) are laid out in this process and in a process
pool of one worker fewer than the machine has cores, each taking the next part as it is free
(in this process alone when the build already runs in a daemon process, or when one part alone
is to be laid out; across the cluster in a Dask worker), then the front with the page
numbers the parts gave its contents, then the stamp (running heads and page numbers) in as
many pieces as there are workers; :mod:`publish.writers.pdfmerge` merges them.

Every part's and stamp's PDF is kept beside the edition (``.publish-parts/<name>/``) under the
hash of what decides it: its page's markup, the files the markup names (images, fonts), the
PDF variant, WeasyPrint's version and publish's code. An edit to one paragraph therefore lays
out one part again; a part whose page count changed moves the page numbers of the parts after
it, which only the stamp (a page of margin boxes, a few milliseconds a page) and the front's
contents show, so no other part is laid out again. What a build did not use is deleted.
"""

from __future__ import annotations

import collections
import concurrent.futures
import datetime as dt
import hashlib
import itertools
import json
import logging
import multiprocessing
import os
import re
import threading
import time
import urllib.parse
import urllib.request
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from publish import files, freshness, layout, resources
from publish import model as m
from publish.writers import pdfengine, pdfmeta, pdfparts
from publish.writers.pdfmerge import Laid, merge

CACHE = layout.PARTS
#: The build time the front is laid out with, so that its PDF is kept from build to build;
#: the merged file gets the build's time instead (:func:`publish.writers.pdfmerge.merge`).
FRONT_TIME = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
#: The front is laid out again until its page count is the one its contents assumed.
FRONT_PASSES = 3
_FILE_URL = re.compile(r"""file://[^"')\s]+""")
log = logging.getLogger("publish")


@dataclass(frozen=True)
class Task:
    """One page to lay out: a part, or a piece of the stamp (``openings`` set)."""

    markup: str
    base_url: str
    resolver: resources.Resolver
    variant: str | None
    timeout: float
    openings: int = 0
    #: The document's metadata and the build's time, for the part that carries them (the front).
    meta: tuple[m.Metadata, dt.datetime] | None = None
    #: False: laid out for its page count and anchors only (the front with stand-in numbers),
    #: no PDF written (which costs the front as much again as its layout), nothing kept.
    drawn: bool = True


@dataclass(frozen=True)
class Outcome:
    laid: Laid
    notdef: frozenset[str]
    messages: tuple[str, ...]


def lay_out(task: Task) -> Outcome:
    """Lay out ``task`` (in a worker): its PDF, pages, anchors and bookmark levels, and what
    WeasyPrint warned about."""
    # WeasyPrint as publish.writers.pdf adapts it (languages and abbreviations in the tag tree,
    # decorative images, links to other editions), in a process that has not imported it yet
    # (a Dask worker)
    from publish.writers import pdf  # noqa: F401

    collector = pdfengine.Collect()
    wp_log = logging.getLogger("weasyprint")
    wp_log.addFilter(collector)
    try:
        with pdfengine.time_limit(task.timeout):
            fetcher = pdfengine.ContentFetcher(task.resolver)
            if task.openings:
                document = pdfengine.render(task.markup, task.base_url, fetcher)
                if len(document.pages) != task.openings:
                    raise ValueError(f"the stamp has {len(document.pages)} pages for {task.openings}")
            else:
                document = pdfengine.laid_out(task.markup, task.base_url, fetcher)
            if task.meta is not None:
                pdfmeta.apply(document, *task.meta)
            data = b""
            if task.drawn:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", ResourceWarning)  # see publish.writers.pdf._write_whole
                    data = document.write_pdf(pdf_variant=task.variant, custom_metadata=True)
    finally:
        wp_log.removeFilter(collector)
    anchors = {name: n for n, page in enumerate(document.pages) for name in page.anchors}
    levels = tuple(mark[0] for page in document.pages for mark in page.bookmarks)
    laid = Laid(data, len(document.pages), anchors, levels)
    return Outcome(laid, frozenset(collector.notdef), tuple(collector.messages))


class _Store:
    """The parts' PDFs of one edition, by key (see the module's docstring)."""

    def __init__(self, dest: Path, context: str):
        self.folder = dest.parent / CACHE / dest.stem
        self.context = context
        self.used: set[str] = set()
        self._digests: dict[str, str] = {}

    def _file(self, url: str) -> str:
        if url not in self._digests:
            path = Path(urllib.request.url2pathname(urllib.parse.urlparse(url).path))
            self._digests[url] = freshness.file_digest(path) if path.is_file() else "missing"
        return self._digests[url]

    def key(self, task: Task) -> str:
        h = hashlib.sha256(self.context.encode())
        h.update(f"{task.variant}\0{task.openings}\0{task.base_url}\0{task.drawn}\0".encode())
        if task.meta is not None:
            h.update(pdfmeta.fingerprint(task.meta[0]).encode())
        h.update(task.markup.encode("utf-8"))
        for url in sorted(set(_FILE_URL.findall(task.markup))):
            h.update(f"\0{url}\0{self._file(url)}".encode())
        return h.hexdigest()[:32]

    def get(self, key: str) -> Laid | None:
        self.used.add(key)
        try:
            info = json.loads((self.folder / f"{key}.json").read_text(encoding="utf-8"))
            data = (self.folder / f"{key}.pdf").read_bytes()
        except (OSError, ValueError):
            return None
        return Laid(data, info["pages"], info["anchors"], tuple(info["levels"]))

    def put(self, key: str, laid: Laid) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        files.write_bytes(self.folder / f"{key}.pdf", laid.pdf)
        info = {"pages": laid.pages, "anchors": laid.anchors, "levels": list(laid.levels)}
        files.write_bytes(self.folder / f"{key}.json", json.dumps(info).encode())

    def prune(self) -> None:
        for path in self.folder.glob("*") if self.folder.is_dir() else ():
            if path.stem not in self.used:
                path.unlink(missing_ok=True)


class _Layouts:
    """Lays out tasks not in the store: in a pool when there are several and the process may
    have children, else here."""

    def __init__(self, store: _Store):
        self.store = store
        self.pool: concurrent.futures.ProcessPoolExecutor | None = None
        self.notdef: set[str] = set()
        self.messages: list[str] = []
        #: How many pages were laid out and how many were taken from the store.
        self.laid_out = self.kept = 0

    def __enter__(self) -> _Layouts:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)

    def run(self, tasks: Sequence[Task]) -> list[Laid]:
        keys = [self.store.key(t) for t in tasks]
        found: list[Laid | None] = [self.store.get(k) for k in keys]
        todo = [i for i, laid in enumerate(found) if laid is None]
        self.laid_out += len(todo)
        self.kept += len(tasks) - len(todo)
        todo.sort(key=lambda i: -len(tasks[i].markup))  # the longest first: the pool ends together
        workers = min(len(todo), os.cpu_count() or 1)
        cluster = _dask_client() if len(todo) > 1 else None
        if cluster is not None:
            with cluster as client:
                done = client.gather(client.map(lay_out, [tasks[i] for i in todo], pure=False))
            outcomes = dict(zip(todo, done, strict=True))
        elif workers > 1 and not multiprocessing.current_process().daemon:
            helpers = max(1, (os.cpu_count() or 1) - 1)
            if self.pool is None:
                self.pool = concurrent.futures.ProcessPoolExecutor(
                    max_workers=helpers, mp_context=multiprocessing.get_context("fork")
                )
            outcomes = _shared(self.pool, helpers, tasks, todo)
        else:
            outcomes = {i: lay_out(tasks[i]) for i in todo}
        for i, outcome in outcomes.items():
            self.notdef |= outcome.notdef
            self.messages.extend(outcome.messages)
            if tasks[i].drawn:
                self.store.put(keys[i], outcome.laid)
            found[i] = outcome.laid
        return [laid for laid in found if laid is not None]


def _shared(
    pool: concurrent.futures.ProcessPoolExecutor, helpers: int, tasks: Sequence[Task], todo: list[int]
) -> dict[int, Outcome]:
    """``todo`` laid out here and in ``helpers`` workers of ``pool`` at once, each taking the
    next task (the longest first) as it is free: this process, which would otherwise wait for
    the parts, is one of the layout's workers, and the machine holds one process fewer."""
    queue = collections.deque(todo)
    lock = threading.Lock()
    futures: dict[int, concurrent.futures.Future[Outcome]] = {}

    def take() -> int | None:
        with lock:
            return queue.popleft() if queue else None

    running: set[concurrent.futures.Future[Outcome]] = set()

    def fill() -> None:
        while len(running) < helpers and (i := take()) is not None:
            futures[i] = pool.submit(lay_out, tasks[i])
            running.add(futures[i])

    def feed() -> None:
        while running:
            done = concurrent.futures.wait(running, return_when=concurrent.futures.FIRST_COMPLETED).done
            running.difference_update(done)
            fill()

    # The first tasks are handed out here, before this thread lays anything out: the pool forks
    # its workers at its first task, and a fork while this thread held a lock (fontconfig's,
    # in WeasyPrint's FontConfiguration) would leave the worker waiting for it for ever.
    fill()
    feeder = threading.Thread(target=feed, name="publish-parts", daemon=True)
    feeder.start()
    outcomes: dict[int, Outcome] = {}
    try:
        while (i := take()) is not None:
            outcomes[i] = lay_out(tasks[i])
    finally:
        with lock:
            queue.clear()  # after a failure here, nothing more is handed out
        feeder.join()
    outcomes.update((i, future.result()) for i, future in futures.items())
    return outcomes


def _dask_client() -> Any:
    """In a job run by a Dask worker, a client of its cluster for the parts (so that they are laid
    out across the cluster, the job seceding from its worker's threads while it waits); None
    elsewhere."""
    try:
        from distributed import get_worker, worker_client
    except ImportError:
        return None
    try:
        get_worker()
    except ValueError:
        return None
    return worker_client()


def _chunks(sizes: list[int], count: int) -> list[tuple[int, int]]:
    """``sizes`` (pages per part) cut into about ``count`` runs of whole parts, as
    (first part, end part) of similar page counts."""
    total, start, acc = sum(sizes), 0, 0
    runs: list[tuple[int, int]] = []
    for i, size in enumerate(sizes):
        acc += size
        if acc >= total * (len(runs) + 1) / count and i + 1 < len(sizes):
            runs.append((start, i + 1))
            start = i + 1
    runs.append((start, len(sizes)))
    return runs


def write(
    cut: pdfparts.Split,
    *,
    base_url: str,
    resolver: resources.Resolver,
    variant: str,
    timeout: float,
    context: str,
    meta: tuple[m.Metadata, dt.datetime],
    dest: Path,
    rtl: bool,
) -> tuple[set[str], list[str]]:
    """Lay out ``cut`` in parts and write the merged PDF to ``dest`` (atomically; not at all when
    WeasyPrint warned). Returns the characters no font had and WeasyPrint's warnings; ``rtl``
    asks viewers for right-to-left reading order."""
    store = _Store(dest, context)

    def task(markup: str, openings: int = 0, front: bool = False, drawn: bool = True) -> Task:
        kind, carried = None if openings else variant, (meta[0], FRONT_TIME) if front else None
        return Task(markup, base_url, resolver, kind, timeout, openings, carried, drawn)

    notes = pdfparts.notes_before(cut)
    count = len(cut.parts)
    clock = [time.perf_counter()]
    with _Layouts(store) as layouts:
        # the parts, and (first build) the front with stand-in page numbers beside them, laid
        # out but not drawn: its page count, which the page numbers of the parts count from
        guess = _front_guess(store)
        batch = [task(pdfparts.part_page(cut, i, notes[i])) for i in range(count)]
        if guess is None:
            batch.append(task(pdfparts.front_page(cut, _stand_ins(cut)), front=True, drawn=False))
        laid = layouts.run(batch)
        if guess is None:
            store.used.discard(store.key(batch[-1]))  # not kept: the store has nothing of it
        parts, front_pages = laid[:count], guess or laid[-1].pages
        parts_laid = layouts.laid_out - (guess is None)
        clock.append(time.perf_counter())
        # the front with the page numbers, beside the stamp (running heads, page numbers);
        # again should the front's page count differ from the one assumed
        for _ in range(FRONT_PASSES):
            pages, at = {}, front_pages
            for part in parts:
                pages.update({name: at + page + 1 for name, page in part.anchors.items()})
                at += part.pages
            sizes = [front_pages] + [p.pages for p in parts]
            front, *stamped = layouts.run(
                [task(pdfparts.front_page(cut, pages), front=True), *_stamps(cut, sizes, task)]
            )
            if front.pages == front_pages:
                break
            front_pages = front.pages
        fronts_laid = layouts.laid_out - parts_laid
        clock.append(time.perf_counter())
    _remember_front(store, front.pages)
    if layouts.messages:  # the build fails (publish.writers.pdf): nothing is written
        return layouts.notdef, layouts.messages
    with files.atomic_path(dest) as tmp:
        merge(front, parts, [s.pdf for s in stamped], tmp, rtl=rtl, times=(FRONT_TIME, meta[1]))
    store.prune()
    clock.append(time.perf_counter())
    took = [f"{b - a:.2f}" for a, b in itertools.pairwise(clock)]
    log.debug(
        "%s in parts: %d of %d parts laid out, the front and the stamp %d times "
        "(seconds: parts %s, front and stamp %s, merge %s)",
        dest.name,
        parts_laid,
        count,
        fronts_laid,
        *took,
    )
    return layouts.notdef, layouts.messages


def _front_guess(store: _Store) -> int | None:
    """The front's page count at the last build (None at the first)."""
    try:
        return int((store.folder / "front-pages").read_text())
    except (OSError, ValueError):
        return None


def _stand_ins(cut: pdfparts.Split) -> dict[str, int]:
    """Page numbers as wide as the document's will be (a page of about 2,500 characters of
    markup), for the front laid out before the parts' page counts are known."""
    wide = int("9" * len(str(max(99, sum(map(len, cut.parts)) // 2500))))
    return {anchor: wide for body in cut.parts for anchor in cut.ids(body)}


def _stamps(cut: pdfparts.Split, sizes: list[int], task: Callable[..., Task]) -> list[Task]:
    """The stamp of pages of ``sizes`` (the front's, each part's), in as many pieces as the
    machine has cores, each of whole parts."""
    out, first = [], 1
    for a, b in _chunks(sizes, os.cpu_count() or 1):
        flags = [n == 0 for size in sizes[a:b] for n in range(size)]
        out.append(task(pdfparts.stamp_page(cut, flags, first), openings=len(flags)))
        first += len(flags)
    return out


def _remember_front(store: _Store, pages: int) -> None:
    store.folder.mkdir(parents=True, exist_ok=True)
    files.write_bytes(store.folder / "front-pages", str(pages).encode())
    store.used.add("front-pages")
