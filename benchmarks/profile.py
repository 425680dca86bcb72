"""Where the time of a build goes: each edition, phase by phase, in one cold process.

Each measurement is a new process running ``publish <format> --rebuild --jobs 1`` (inline,
so that one process does all the work) with timers wrapped around the phases: the imports,
the model read, the plan (cache keys), the Jinja rendering, our passes over the markup,
WeasyPrint's HTML parse, style cascade, box building and layout (each pass), our hyphenation
check, and inside ``write_pdf`` the page drawing, links, bookmarks, font subsetting, the tag
tree, the metadata (XMP) and the serialization, then the atomic write. A phase's time is its
own, without the phases inside it (they add up to the total); ``other`` is what no timer
covers. Peak memory is the process's largest resident set.

Inputs: the article of ``content/`` and the books ``benchmarks/bench.py`` generates (10×, 25×,
50×, 100× the article's body by default); the PDF of each, and the HTML, EPUB and DOCX of the
largest. ``--cprofile`` also runs the article's and the largest book's PDF under cProfile and
lists our functions and WeasyPrint's by cumulative time.

Prints Markdown tables and writes them to the ``profile`` section of ``benchmarks/results.md``
(``--write``). Run: ``python benchmarks/profile.py`` (a few minutes; ``nox -s profile``).
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import json
import os
import platform
import pstats
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
# This script's folder is not a place to import from: its name is the standard library's
# ``profile``, which cProfile imports (bench.py and sections.py are imported by path below).
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
ARTICLE = ROOT / "content" / "justice-for-western-azerbaijan-community.md"

#: (phase, module, attribute): the callables timed. Patched where the caller looks them up.
PHASES: list[tuple[str, str, str]] = [
    ("read (Markdown → model)", "publish.api", "load_source"),
    ("plan (cache keys)", "publish.cache", "inputs"),
    ("record (build cache)", "publish.runner", "_record"),
    ("Jinja rendering", "publish.writers.htmlbody", "page"),
    ("ours: uncovered characters", "publish.writers.pdf", "uncovered"),
    ("ours: markup passes", "publish.writers.pdf", "mark_uncovered"),
    ("ours: markup passes", "publish.writers.pdfhyphens", "keep_last_words"),
    ("ours: markup passes", "publish.writers.pdfhyphens", "protect"),
    ("ours: hyphenation check", "publish.writers.pdfhyphens", "offending_words"),
    ("WP: HTML parse", "weasyprint.HTML", "__init__"),
    ("WP: styles (CSS cascade)", "weasyprint.document.Document", "_build_layout_context"),
    ("WP: boxes", "weasyprint.document", "build_formatting_structure"),
    ("WP: layout", "weasyprint.document", "layout_document"),
    ("WP: write_pdf", "weasyprint.document", "generate_pdf"),
    ("WP: pages (anchors, bookmarks)", "weasyprint.document.Page", "__init__"),
    ("WP: draw pages", "weasyprint.document.Page", "paint"),
    ("WP: links, anchors", "weasyprint.pdf", "resolve_links"),
    ("WP: links, anchors", "weasyprint.pdf", "add_links"),
    ("WP: bookmarks", "weasyprint.document.Document", "make_bookmark_tree"),
    ("WP: bookmarks", "weasyprint.pdf", "add_outlines"),
    ("WP: fonts (subsetting)", "weasyprint.pdf", "build_fonts_dictionary"),
    ("WP: tag tree", "weasyprint.pdf", "add_tags"),
    ("WP: PDF/UA variant, XMP", "weasyprint.pdf.pdfua", "pdfua"),
    ("WP: serialize (pydyf)", "pydyf.PDF", "write"),
    ("ours: XMP", "publish.writers.pdf._Metadata", "generate_rdf_metadata"),
    ("write EPUB", "publish.writers.epub", "write"),
    ("write DOCX", "publish.writers.docx", "write"),
    ("write HTML", "publish.writers.html", "write"),
]
#: The variant function is looked up in this table, not by name.
_VARIANTS = "weasyprint.pdf.VARIANTS"


class Timers:
    """Exclusive time per phase: a phase's time without the timed phases it calls."""

    def __init__(self) -> None:
        self.own: dict[str, float] = {}
        self.calls: dict[str, int] = {}
        self.stack: list[list[Any]] = []  # [phase, started, children's time]

    def wrap(self, phase: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        timers = self

        @functools.wraps(fn)
        def timed(*args: Any, **kwargs: Any) -> Any:
            if any(frame[0] == phase for frame in timers.stack):  # recursion: the outer call counts
                return fn(*args, **kwargs)
            frame = [phase, _clock(), 0.0]
            timers.stack.append(frame)
            try:
                result = fn(*args, **kwargs)
                if isinstance(result, Iterator):  # a generator's work happens as it is consumed
                    result = list(result)
                return result
            finally:
                timers.stack.pop()
                spent = _clock() - frame[1]
                timers.own[phase] = timers.own.get(phase, 0.0) + spent - frame[2]
                timers.calls[phase] = timers.calls.get(phase, 0) + 1
                if timers.stack:
                    timers.stack[-1][2] += spent

        return timed

    def install(self) -> None:
        import importlib

        for phase, module, name in PHASES:
            owner: Any = None
            parts = module.split(".")
            for cut in range(len(parts), 0, -1):  # a module, or a class inside one
                with contextlib.suppress(ImportError):
                    owner = importlib.import_module(".".join(parts[:cut]))
                    for attr in parts[cut:]:
                        owner = getattr(owner, attr)
                    break
            if owner is None or not hasattr(owner, name):
                continue
            setattr(owner, name, self.wrap(phase, getattr(owner, name)))
            if module == "weasyprint.pdf.pdfua":
                variants = importlib.import_module("weasyprint.pdf").VARIANTS
                for key, (function, properties) in list(variants.items()):
                    if getattr(function, "func", None) is not None and "ua" in key:
                        variants[key] = (self.wrap(phase, function), properties)


def child(fmt: str, content: Path, out: Path, cprofile: Path | None) -> dict[str, Any]:
    """One cold build of one format, timed by phase (run in its own process)."""
    started = _clock()
    imports: dict[str, float] = {}
    if fmt == "pdf":
        t = _clock()
        import weasyprint  # noqa: F401

        imports["import weasyprint"] = _clock() - t
    t = _clock()
    import publish.cli
    import publish.commands.build
    import publish.executors
    import publish.runner

    module = {"pdf": "pdf", "html": "html", "epub": "epub", "docx": "docx"}[fmt]
    __import__(f"publish.writers.{module}")
    imports["import publish (+ its writer)"] = _clock() - t
    rss_imports = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    timers = Timers()
    timers.install()
    argv = [fmt, "-q", "--rebuild", "--force", "--jobs", "1", "--content", str(content), "--out", str(out)]
    profiler = None
    if cprofile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    t = _clock()
    status = publish.cli.main(argv)
    build = _clock() - t
    if profiler is not None and cprofile is not None:
        profiler.disable()
        profiler.dump_stats(str(cprofile))
    if status != 0:
        raise SystemExit(f"publish {' '.join(argv)} exited {status}")
    phases = dict(imports)
    phases.update(timers.own)
    phases["other (CLI, runner, unmeasured)"] = build - sum(timers.own.values())
    return {
        "phases": phases,
        "calls": timers.calls,
        "total": _clock() - started,
        "rss_imports": rss_imports,
        "rss_peak": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def measure(fmt: str, content: Path, work: Path, cprofile: Path | None = None) -> dict[str, Any]:
    """One cold process: its phases (CPU seconds), its CPU time in all and its wall time."""
    out = Path(tempfile.mkdtemp(dir=work))
    command = [sys.executable, str(Path(__file__).resolve()), "--child", fmt, str(content), str(out)]
    if cprofile:
        command += ["--cprofile-to", str(cprofile)]
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    started = time.perf_counter()
    with tempfile.TemporaryFile() as stdout, tempfile.TemporaryFile() as stderr:
        process = subprocess.Popen(command, stdout=stdout, stderr=stderr, cwd=ROOT, env=env)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        stdout.seek(0)
        stderr.seek(0)
        if os.waitstatus_to_exitcode(status) != 0:
            raise SystemExit(stderr.read().decode()[-3000:])
        result: dict[str, Any] = json.loads(stdout.read().decode().splitlines()[-1])
    result["wall"] = wall
    result["cpu"] = usage.ru_utime + usage.ru_stime  # with the processes it started (fc-list, soffice)
    result["phases"]["Python start, exit (and subprocesses)"] = result["cpu"] - result["total"]
    return result


def _clock() -> float:
    """This process's CPU time (user + system): the machine is shared, and a phase's CPU time
    hardly moves with the load of other jobs, where its wall time doubles."""
    return time.process_time()


def median_of(runs: list[dict[str, Any]]) -> dict[str, Any]:
    names = list(dict.fromkeys(name for run in runs for name in run["phases"]))
    return {
        "phases": {n: statistics.median(run["phases"].get(n, 0.0) for run in runs) for n in names},
        "calls": runs[0]["calls"],
        "wall": statistics.median(run["wall"] for run in runs),
        "cpu": statistics.median(run["cpu"] for run in runs),
        "rss_peak": statistics.median(run["rss_peak"] for run in runs),
        "rss_imports": statistics.median(run["rss_imports"] for run in runs),
    }


def words(path: Path) -> int:
    import re

    return len(re.findall(r"\w+", path.read_text(encoding="utf-8")))


def pages(pdf: Path) -> int:
    from pypdf import PdfReader  # type: ignore[import-not-found]

    return len(PdfReader(pdf).pages)


def cumulative(path: Path, where: str, count: int) -> list[str]:
    """The ``count`` functions of files under ``where`` with the largest cumulative time."""
    stats = pstats.Stats(str(path))
    rows = []
    for (file, line, name), (_, calls, _tottime, cumtime, _) in stats.stats.items():  # type: ignore[attr-defined]
        if where in file:
            short = file.split("site-packages/")[-1].replace(str(ROOT) + "/", "")
            rows.append((cumtime, f"| `{short}:{line}` {name} | {calls} | {cumtime:.2f} |"))
    return [row for _, row in sorted(rows, reverse=True)[:count]]


def table(results: dict[str, dict[str, Any]], title: str) -> list[str]:
    names = list(dict.fromkeys(n for r in results.values() for n in r["phases"]))
    head = "| phase (own time, s) | " + " | ".join(results) + " |"
    lines = [title, "", head, "|---|" + "---:|" * len(results)]
    for name in names:
        cells = []
        for r in results.values():
            value = r["phases"].get(name)
            calls = r["calls"].get(name, 1)
            cells.append("" if value is None else f"{value:.3f}" + (f" ({calls}×)" if calls > 1 else ""))
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines.append("| **CPU, the process** | " + " | ".join(f"**{r['cpu']:.2f}**" for r in results.values()) + " |")
    lines.append("| wall (cold process) | " + " | ".join(f"{r['wall']:.2f}" for r in results.values()) + " |")
    lines.append("| peak RSS, MiB (after imports) | " + " | ".join(
        f"{r['rss_peak']:.0f} ({r['rss_imports']:.0f})" for r in results.values()) + " |")  # fmt: skip
    return lines


def growth(results: dict[str, dict[str, Any]], sizes: list[int]) -> list[str]:
    """Each phase's time per unit of content (per chapter), and its exponent from the smallest
    book to the largest (1: linear; above 1: super-linear)."""
    import math

    first, last = f"{sizes[0]}× book", f"{sizes[-1]}× book"
    lines = [
        f"Growth of each phase of the PDF from the {first} to the {last} ({sizes[-1] // sizes[0]}× the content):"
        " ms per chapter at each size, and the exponent k of time ∝ size^k (1 = linear).",
        "",
        "| phase | " + " | ".join(f"{s}×" for s in sizes) + " | k |",
        "|---|" + "---:|" * (len(sizes) + 1),
    ]
    for name in results[last]["phases"]:
        small, large = results[first]["phases"].get(name, 0.0), results[last]["phases"][name]
        if large < 0.05:
            continue
        per = [1000 * results[f"{s}× book"]["phases"].get(name, 0.0) / s for s in sizes]
        k = math.log(large / small) / math.log(sizes[-1] / sizes[0]) if small > 0 else float("nan")
        lines.append(f"| {name} | " + " | ".join(f"{p:.1f}" for p in per) + f" | {k:.2f} |")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--child", nargs=3, metavar=("FORMAT", "CONTENT", "OUT"), help=argparse.SUPPRESS)
    parser.add_argument("--cprofile-to", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 25, 50, 100])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--cprofile", action="store_true", help="also list the hottest functions (cProfile)")
    parser.add_argument("--write", type=Path, default=ROOT / "benchmarks" / "results.md")
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--json", type=Path, help="also save the figures (medians) as JSON")
    args = parser.parse_args()
    if args.child:
        fmt, content, out = args.child
        print(json.dumps(child(fmt, Path(content), Path(out), args.cprofile_to)))
        return 0

    sys.path.insert(0, str(HERE))
    from bench import book  # the generator of bench.py's books

    lines: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        inputs = {"article": ARTICLE, **{f"{n}× book": book(n, work) for n in args.sizes}}
        folders: dict[str, Path] = {}
        for name, source in inputs.items():
            folder = work / f"content-{source.stem}"
            folder.mkdir()
            (folder / source.name).write_bytes(source.read_bytes())
            folders[name] = folder
        pdf: dict[str, dict[str, Any]] = {}
        for name in inputs:
            pdf[name] = median_of([measure("pdf", folders[name], work) for _ in range(args.runs)])
            print(f"{name}: pdf {pdf[name]['cpu']:.2f} s CPU", file=sys.stderr, flush=True)
        largest = f"{args.sizes[-1]}× book"
        others: dict[str, dict[str, Any]] = {}
        for fmt in ("html", "epub", "docx"):
            others[f"{largest}, {fmt}"] = median_of([measure(fmt, folders[largest], work) for _ in range(args.runs)])
            print(f"{largest}: {fmt} {others[f'{largest}, {fmt}']['cpu']:.2f} s CPU", file=sys.stderr, flush=True)
        if args.json:
            args.json.write_text(json.dumps({"pdf": pdf, "others": others}, indent=1), encoding="utf-8")
        sizes = {name: (words(source), pages_of(folders[name], work)) for name, source in inputs.items()}
        lines += [
            "## Where the time goes (`benchmarks/profile.py`)",
            "",
            f"Machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}. "
            f"Each column: one cold process `publish FORMAT --rebuild --jobs 1`, medians of {args.runs} runs. "
            "Own CPU time of each phase (without the timed phases inside it), seconds — CPU, not wall, "
            "because the machine is shared and its load moves wall times by 2–4×; (n×): calls. "
            "WP: WeasyPrint's. Explained in `benchmarks/profile.md`.",
            "",
            "| input | words | PDF pages |",
            "|---|---:|---:|",
            *(f"| {name} | {w} | {p} |" for name, (w, p) in sizes.items()),
            "",
            *table(pdf, "The PDF edition:"),
            "",
            *(growth(pdf, args.sizes) if len(args.sizes) > 1 else []),
            "",
            *table(others, f"The other editions of the {largest}:"),
        ]
        if args.cprofile:
            for name in ("article", largest):
                stats = work / f"{name}.prof"
                measure("pdf", folders[name], work, stats)
                lines += [
                    "",
                    f"cProfile, the {name}'s PDF (cumulative seconds, under cProfile's overhead): our functions",
                    "",
                    "| function | calls | cumulative s |",
                    "|---|---:|---:|",
                    *cumulative(stats, "/publish/", 15),
                    "",
                    "WeasyPrint's:",
                    "",
                    "| function | calls | cumulative s |",
                    "|---|---:|---:|",
                    *cumulative(stats, "weasyprint/", 25),
                ]
    text = "\n".join(lines) + "\n"
    print(text)
    if not args.no_write:
        sys.path.insert(0, str(HERE))
        from sections import replace_section

        replace_section(args.write, "profile", text)
    return 0


def pages_of(content: Path, work: Path) -> int:
    """The PDF's page count (one more build, untimed)."""
    out = work / f"pages-{content.name}"
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    subprocess.run(
        [sys.executable, "-m", "publish", "pdf", "-q", "--force", "--content", str(content), "--out", str(out)],
        check=True,
        cwd=ROOT,
        env=env,
    )
    return sum(pages(p) for p in out.rglob("*.pdf"))


if __name__ == "__main__":
    sys.exit(main())
