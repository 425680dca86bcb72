"""What a build shows while it runs, and the summary at its end.

On a terminal: a live display (rich) with a line per document and its formats as they are
written. Elsewhere (CI logs, pipes): plain lines, one per edition. ``--quiet`` shows errors
only; ``--verbose`` also names the editions that were up to date, and every edition's time.
The summary table gives, per document, the formats, the PDF's pages, the sizes and the time.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import IO

from rich import box
from rich.console import Console
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table

from publish.layout import Source
from publish.runner import Event, Report


def _size(n: int) -> str:
    if n < 1024:
        return f"{n} B"
    if n < 1024 * 1024:
        return f"{n / 1024:.1f} KiB"
    return f"{n / 1024 / 1024:.1f} MiB"


class Reporter:
    def __init__(
        self,
        files: Sequence[Source],
        formats: Sequence[str],
        *,
        quiet: bool = False,
        verbose: bool = False,
        file: IO[str] | None = None,
        console: Console | None = None,
    ):
        self.console = console or Console(file=file, highlight=False, soft_wrap=True)
        self.live = self.console.is_terminal and not quiet
        self.quiet, self.verbose = quiet, verbose
        self.formats = list(formats)
        self.lock = threading.Lock()
        self.seconds: dict[Source, float] = {}
        self.state: dict[Source, dict[str, str]] = {f: {} for f in files}
        self.progress: Progress | None = None
        self.tasks: dict[Source, TaskID] = {}
        if self.live:
            self.progress = Progress(
                TextColumn("{task.fields[name]}", style="bold"),
                BarColumn(bar_width=12),
                TextColumn("{task.fields[formats]}"),
                TimeElapsedColumn(),
                console=self.console,
            )
            for source in files:
                self.tasks[source] = self.progress.add_task(
                    "", total=len(formats), name=source.stem, formats=self._formats(source)
                )

    def __enter__(self) -> Reporter:
        if self.progress is not None:
            self.progress.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None, tb: TracebackType | None) -> None:
        if self.progress is not None:
            self.progress.stop()

    def _formats(self, source: Source) -> str:
        marks = {"queued": "…", "done": "✓", "failed": "✗", "skipped": "="}
        state = self.state.get(source, {})
        return " ".join(f"{fmt}{marks[state[fmt]]}" if fmt in state else fmt for fmt in self.formats)

    def __call__(self, event: Event) -> None:
        with self.lock:
            kind = "failed" if event.kind == "done" and event.error else event.kind
            self.state.setdefault(event.source, {})[event.fmt] = kind
            if event.kind == "done":
                self.seconds[event.source] = self.seconds.get(event.source, 0.0) + event.seconds
            if self.progress is not None and event.source in self.tasks:
                advance = 1 if kind in ("done", "failed", "skipped") else 0
                self.progress.update(self.tasks[event.source], advance=advance, formats=self._formats(event.source))
                return
            if self.quiet:
                return
            if kind == "done":
                timing = f" ({event.seconds:.2f} s)" if self.verbose else ""
                self.console.print(f"wrote {event.dest}{timing}")
            elif kind == "skipped" and self.verbose:
                self.console.print(f"up to date {event.dest}")

    def summary(self, report: Report) -> None:
        if self.quiet:
            return
        table = Table(box=box.SIMPLE_HEAD if self.live else box.ASCII2, title=None)
        for column, justify in (
            ("document", "left"),
            ("formats", "left"),
            ("pages", "right"),
            ("size", "right"),
            ("time", "right"),
        ):
            table.add_column(column, justify=justify)  # type: ignore[arg-type]
        for source, state in self.state.items():
            if not state:
                continue
            sizes, pages = 0, ""
            for fmt in state:
                dest = _edition(report, source, fmt)
                if dest is not None and dest.is_file():
                    sizes += dest.stat().st_size
                    if fmt == "pdf":
                        pages = _pages(dest)
            marks = {"done": "", "skipped": " (up to date)", "failed": " FAILED", "queued": " ?"}
            formats = ", ".join(f"{fmt}{marks[state[fmt]]}" for fmt in self.formats if fmt in state)
            seconds = self.seconds.get(source)
            table.add_row(source.stem, formats, pages, _size(sizes), f"{seconds:.2f} s" if seconds else "–")
        self.console.print(table)
        self.console.print(
            f"{len(report.built)} written, {len(report.skipped)} up to date, {len(report.errors)} error(s)"
        )


def _edition(report: Report, source: Source, fmt: str) -> Path | None:
    for path in (*report.built, *report.skipped):
        if path.name == f"{source.stem}.{fmt}":
            return path
    return None


def _pages(path: Path) -> str:
    try:
        import pypdf

        return str(len(pypdf.PdfReader(path).pages))
    except Exception:  # a summary, not a check: an unreadable PDF is the check's business
        return "?"
