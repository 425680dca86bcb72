"""``publish serve``: how soon an edit is in the browser.

A real ``python -m publish serve`` process (on a free port, in a temporary copy of the
inputs) builds its first time; the benchmark then listens to the events stream
(``/__publish/events``, server-sent events) as the page's script does, changes one word of
one paragraph of a source, and measures from the moment the file is written to

- **event**: the event that carries the new generation (the open page reloads on it), and
- **page**: the edited page served with the new text (an HTTP GET of the page, sent when
  the event arrives, as the reloading browser does; repeated until the new text is there).

Inputs: the article of ``content/``; a 100-chapter book of about 80k words as one long
Markdown file (``benchmarks/bench.py``'s ``book()``), and the same book as a book of
``publish.toml`` and 100 chapter files (its web edition has a page per chapter: the edited
chapter's page is the one fetched). Medians of ``--edits`` edits (≥ 5).

Prints a Markdown table and writes its section of ``benchmarks/results.md`` (``--write``).
Run: ``python benchmarks/serve.py [--edits 7] [--write benchmarks/results.md]``; with
``--before OLD`` (a source tree of an older commit: ``git archive REV publish templates``)
each input is measured with that publish too, in the same run.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import queue
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.bench import ARTICLE, book  # noqa: E402
from benchmarks.sections import replace_section  # noqa: E402

#: The targets of issue 17: the edited page visible within this many seconds.
TARGETS = {"article": 0.2, "100× book, one file": 1.0, "100-chapter book": 1.0}


@dataclass
class Input:
    name: str
    #: The file edited, the page it shows in (relative to the output folder), and a
    #: sentence of one paragraph of it whose word "career" the edits change.
    source: Path
    page: str
    sentence: str
    words: int


def _article(content: Path) -> Input:
    path = content / ARTICLE.name
    shutil.copyfile(ARTICLE, path)
    sentence = "Hasan's career spans several critical roles."
    return Input("article", path, f"{path.stem}/{path.stem}.html", sentence, _words(path))


def _one_file(content: Path, work: Path) -> Input:
    path = content / "book-100.md"
    shutil.move(book(100, work), path)
    # a paragraph of the 50th chapter: its text is the article's, so the marker is made unique
    text = path.read_text(encoding="utf-8")
    at = text.index("## Chapter 50\n")
    sentence = "Hasan's career spans several critical roles."
    found = text.index(sentence, at)
    unique = "Hasan's career, in chapter fifty, spans several critical roles."
    path.write_text(text[:found] + unique + text[found + len(sentence) :], encoding="utf-8")
    return Input("100× book, one file", path, "book-100/book-100.html", unique, _words(path))


def _chapters(content: Path, work: Path) -> Input:
    """The 100× book split at its chapters: publish.toml and chapters/chapter-NNN.md."""
    text = book(100, work).read_text(encoding="utf-8")
    body = text.split("\n---\n", 1)[1]
    pieces = re.split(r"^## (Chapter \d+)\n", body, flags=re.M)[1:]
    folder = content / "chapters"
    folder.mkdir(parents=True)
    names = []
    for n, (title, chapter) in enumerate(zip(pieces[::2], pieces[1::2], strict=True), 1):
        name = f"chapter-{n:03d}.md"
        sections = re.sub(r"^### ", "## ", chapter, flags=re.M)
        (folder / name).write_text(f"# {title}\n\n{sections.strip()}\n", encoding="utf-8")
        names.append(f"chapters/{name}")
    (content / "publish.toml").write_text(
        '[books.collected]\ntitle = "Collected articles (100 chapters)"\nlang = "en"\n'
        f"chapters = {json.dumps(names)}\n",
        encoding="utf-8",
    )
    source = folder / "chapter-050.md"
    sentence = "Hasan's career spans several critical roles."
    words = sum(_words(folder / n.split("/")[1]) for n in names)
    return Input("100-chapter book", source, "collected/chapter-050.html", sentence, words)


def _words(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").split())


class Server:
    """``python -m publish serve --port 0`` in ``root``, its output read by a thread."""

    def __init__(self, root: Path, code: Path):
        env = {**os.environ, "PYTHONUNBUFFERED": "1", "PYTHONPATH": str(code)}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "publish", "serve", "--port", "0"],
            cwd=root,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=env,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.log: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()
        self.url = self.wait_for(r"serving (http://127\.0\.0\.1:\d+/)", timeout=600).group(1)

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.log.append(line)
            self.lines.put(line)

    def wait_for(self, pattern: str, timeout: float) -> re.Match[str]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                break
            found = re.search(pattern, line)
            if found:
                return found
        raise SystemExit(f"no {pattern!r} from publish serve:\n{''.join(self.log)[-4000:]}")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        finally:
            if self.process.poll() is None:
                self.process.kill()


class Events:
    """The events stream, read as the page's script reads it: (arrival time, state)."""

    def __init__(self, url: str):
        self.response = urllib.request.urlopen(url + "__publish/events", timeout=600)
        self.states: queue.Queue[tuple[float, dict[str, object]]] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        try:
            for raw in self.response:
                line = raw.decode("utf-8").rstrip("\n")
                if line.startswith("data: "):
                    self.states.put((time.perf_counter(), json.loads(line[6:])))
        except (OSError, ValueError):
            return

    def first(self) -> dict[str, object]:
        return self.states.get(timeout=60)[1]

    def newer_than(self, page: str, generation: int, timeout: float = 120) -> tuple[float, int]:
        """The first event that says ``page`` (a URL path) was rewritten after ``generation``
        (as the page's script reads it): its arrival and the page's new generation."""
        deadline = time.monotonic() + timeout
        while True:
            at, state = self.states.get(timeout=max(0.01, deadline - time.monotonic()))
            if state.get("errors"):
                raise SystemExit(f"the rebuild failed: {state['errors']}")
            pages = state.get("pages")  # a server older than the pages' generations: any rebuild
            changed = int(pages.get(page, 0) if isinstance(pages, dict) else state["generation"])  # type: ignore[call-overload]
            if changed > generation:
                return at, changed


def measure(item: Input, edits: int, work: Path, code: Path) -> dict[str, object]:
    """(first build seconds, event and page seconds of each edit) for one input."""
    started = time.perf_counter()
    server = Server(work, code)
    first_build = time.perf_counter() - started
    try:
        events = Events(server.url)
        generation = int(events.first()["generation"])  # type: ignore[call-overload]
        page_url = server.url + item.page
        event_times, page_times = [], []
        original = item.source.read_text(encoding="utf-8")
        for n in range(edits):
            time.sleep(0.5)  # the server idle, as between a writer's keystrokes and saves
            word = f"Edited{n}x"
            edited = original.replace(item.sentence, item.sentence.replace("career", word), 1)  # a word changed
            assert edited != original, item.sentence
            with item.source.open("w", encoding="utf-8") as handle:
                handle.write(edited)
            written = time.perf_counter()
            at, generation = events.newer_than("/" + item.page, generation)
            event_times.append(at - written)
            while True:
                with urllib.request.urlopen(page_url, timeout=60) as response:
                    body = response.read().decode("utf-8")
                if word in body:
                    page_times.append(time.perf_counter() - written)
                    break
                if time.perf_counter() - written > 120:
                    raise SystemExit(f"{item.page} never showed {word}")
                time.sleep(0.01)
            server.wait_for(r"^rebuilt: ", timeout=120)  # the whole rebuild is over before the next edit
        events.response.close()
    finally:
        server.stop()
    return {"first": first_build, "event": event_times, "page": page_times}


def run_input(name: str, edits: int, code: Path) -> tuple[Input, dict[str, object]]:
    """One input, made afresh in a temporary folder, measured with the publish of ``code``."""
    make = {"article": _article, "100× book, one file": _one_file, "100-chapter book": _chapters}[name]
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        content = work / "content"
        content.mkdir()
        scratch = work / "scratch"
        scratch.mkdir()
        item = make(content, scratch) if make is not _article else make(content)  # type: ignore[operator]
        shutil.rmtree(scratch)
        return item, measure(item, edits, work, code.resolve())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edits", type=int, default=7, help="edits per input (at least 5)")
    parser.add_argument("--only", choices=sorted(TARGETS), action="append", help="one input (repeatable)")
    parser.add_argument("--write", type=Path, help="write the section of this results file")
    parser.add_argument(
        "--code", type=Path, default=ROOT, help="run the publish of this source tree (default: this one)"
    )
    parser.add_argument(
        "--before", type=Path, help="also run the publish of this source tree (an older commit), in the same run"
    )
    parser.add_argument("--before-name", default="an older commit", help="what --before is, for the table")
    args = parser.parse_args()
    if args.edits < 5:
        parser.error("--edits: at least 5")
    load = os.getloadavg()[0]
    rows = []
    for name in TARGETS:
        if args.only and name not in args.only:
            continue
        before: float | None = None
        if args.before:
            _, old = run_input(name, args.edits, args.before)
            before = statistics.median(old["page"])  # type: ignore[arg-type]
        item, figures = run_input(name, args.edits, args.code)
        event = statistics.median(figures["event"])  # type: ignore[arg-type]
        page = statistics.median(figures["page"])  # type: ignore[arg-type]
        worst = max(figures["page"])  # type: ignore[type-var]
        rows.append((item, figures["first"], event, page, worst, before))
        was = f", before {before * 1000:.0f} ms" if before is not None else ""
        print(f"{name}: event {event * 1000:.0f} ms, page {page * 1000:.0f} ms (worst {worst * 1000:.0f} ms){was}")

    lines = [
        "## publish serve: an edit in the browser",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"load average {load:.1f} when the run began. `python benchmarks/serve.py"
        f"{' --before OLD' if args.before else ''}`: one word of one paragraph changed, medians of "
        f"{args.edits} edits, from the file's write to the event that tells the edited page to reload "
        "and to that page served with the new text (GET sent on the event, as the reloading page "
        "does); start: from the process's start to the first build served."
        + (f" Before: the same with the publish of {args.before_name}, in the same run." if args.before else ""),
        "",
        "| input | words | page | start | event | page served | worst page |"
        + (" before: page served |" if args.before else "")
        + " target |",
        "|---|---:|---|---:|---:|---:|---:|" + ("---:|" if args.before else "") + "---:|",
    ]
    for item, first, event, page, worst, before in rows:
        lines.append(
            f"| {item.name} | {item.words} | `{item.page}` | {first:.1f} s | {event * 1000:.0f} ms | "
            f"{page * 1000:.0f} ms | {worst * 1000:.0f} ms |"
            + (f" {before * 1000:.0f} ms |" if before is not None else "")
            + f" {TARGETS[item.name] * 1000:.0f} ms |"
        )
    table = "\n".join(lines)
    print(table)
    if args.write:
        replace_section(args.write, "serve", table)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
