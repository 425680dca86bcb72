"""publish against pandoc at the same job, in the same run.

Pandoc's job is four commands in sequence — Markdown to standalone HTML, DOCX, EPUB, and PDF
through ``--pdf-engine=weasyprint`` — ours is ``python -m publish all`` (cold: a new process,
``--rebuild``). Runs alternate, and each figure is the median of ``--runs`` runs. Peak memory
is the largest resident set of the command and the processes it waited for.

Inputs: the article of ``content/``; books generated from it (each chapter the article's body
with its headings renamed; 10× ≈ 9k words, 40×, and with ``--full`` 100× ≈ 90k words and
400×); a folder of several documents (the article and the two test fixtures).

Prints a Markdown table and writes it to ``benchmarks/results.md`` (``--write``).
Run: ``python benchmarks/bench.py`` (CI: article, 10×, 40×, folder) or ``--full``.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = ROOT / "content" / "justice-for-western-azerbaijan-community.md"
FIXTURES = ROOT / "tests" / "fixtures"
FORMATS = ("html", "docx", "epub", "pdf")


def pandoc() -> str:
    import pypandoc

    return str(pypandoc.get_pandoc_path())


def run(args: Sequence[str], cwd: Path | None = None, env: dict[str, str] | None = None) -> tuple[float, int]:
    """(seconds, peak RSS in MiB) of one command, which must succeed."""
    started = time.perf_counter()
    process = subprocess.Popen(list(args), cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    stderr = process.stderr.read().decode() if process.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(args)}\n{stderr[-2000:]}")
    return seconds, usage.ru_maxrss // 1024


def run_all(commands: list[list[str]], cwd: Path | None = None) -> tuple[float, int]:
    total, peak = 0.0, 0
    for command in commands:
        seconds, rss = run(command, cwd)
        total, peak = total + seconds, max(peak, rss)
    return total, peak


def book(times: int, folder: Path) -> Path:
    """A book of ``times`` chapters, each the article's body with its headings renamed."""
    text = ARTICLE.read_text(encoding="utf-8")
    front, body = re.match(r"^(---\n.*?\n---\n)(.*)$", text, re.S).groups()  # type: ignore[union-attr]
    front = re.sub(r"^title: .*$", f"title: Collected articles ({times}×)", front, count=1, flags=re.M)
    chapters = []
    for n in range(1, times + 1):
        chapter = re.sub(r"^## (.*)$", rf"### \1 ({n})", body, flags=re.M)
        chapters.append(f"## Chapter {n}\n\n{chapter.strip()}\n")
    path = folder / f"book-{times}.md"
    path.write_text(front + "\n" + "\n".join(chapters), encoding="utf-8")
    return path


def ours(content: Path, out: Path, *extra: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "publish",
        "all",
        "-q",
        "--force",
        "--content",
        str(content),
        "--out",
        str(out),
        *extra,
    ]


def pandoc_commands(sources: list[Path], out: Path) -> list[list[str]]:
    exe = pandoc()
    commands = []
    for source in sources:
        resources = ["--resource-path", str(source.parent)]
        base = out / source.stem
        commands += [
            [exe, str(source), "-s", "-o", f"{base}.html", *resources],
            [exe, str(source), "-o", f"{base}.docx", *resources],
            [exe, str(source), "-o", f"{base}.epub", *resources],
            [exe, str(source), "--pdf-engine=weasyprint", "-o", f"{base}.pdf", *resources],
        ]
    return commands


def compare(name: str, sources: list[Path], runs: int, work: Path) -> dict[str, object]:
    """Alternating runs of pandoc's commands and ours over the same sources."""
    content = work / f"content-{name}"
    if content.exists():
        shutil.rmtree(content)
    content.mkdir(parents=True)
    for source in sources:
        shutil.copyfile(source, content / source.name)
    if (FIXTURES / "images").is_dir():
        shutil.copytree(FIXTURES / "images", content / "images")
    copied = [content / s.name for s in sources]
    theirs, mine, peaks_theirs, peaks_mine = [], [], [], []
    for _ in range(runs):
        with tempfile.TemporaryDirectory(dir=work) as a, tempfile.TemporaryDirectory(dir=work) as b:
            t, rss = run_all(pandoc_commands(copied, Path(a)))
            theirs.append(t)
            peaks_theirs.append(rss)
            t, rss = run(ours(content, Path(b), "--rebuild"), cwd=ROOT)
            mine.append(t)
            peaks_mine.append(rss)
    words = sum(len(re.findall(r"\w+", s.read_text(encoding="utf-8"))) for s in sources)
    return {
        "input": name,
        "words": words,
        "pandoc": statistics.median(theirs),
        "publish": statistics.median(mine),
        "pandoc_mib": max(peaks_theirs),
        "publish_mib": max(peaks_mine),
    }


def formats_and_rebuilds(source: Path, runs: int, work: Path) -> dict[str, float]:
    """Our per-format times (cold processes), a no-op rebuild, a one-paragraph edit, our PDF
    step against WeasyPrint alone on the same HTML, all four against the PDF alone."""
    content = work / "content-one"
    shutil.rmtree(content, ignore_errors=True)
    content.mkdir(parents=True)
    shutil.copyfile(source, content / source.name)
    figures: dict[str, float] = {}
    out = work / "out-one"
    for fmt in FORMATS:
        command = ours(content, out, "--rebuild")
        command[3] = fmt
        figures[f"fmt_{fmt}"] = statistics.median(run(command, cwd=ROOT)[0] for _ in range(runs))
    figures["cold_all"] = statistics.median(run(ours(content, out, "--rebuild"), cwd=ROOT)[0] for _ in range(runs))
    run(ours(content, out), cwd=ROOT)
    figures["noop"] = statistics.median(run(ours(content, out), cwd=ROOT)[0] for _ in range(runs))
    # WeasyPrint alone: import and lay out the very HTML our PDF writer gives it.
    html = work / "pdf-input.html"
    script = (
        "import sys, publish; from publish.options import Options; from publish.writers import common, htmlbody;"
        "doc = publish.load(sys.argv[1]); o = Options(); media = common.Media(doc, o);"
        "b = htmlbody.BodyOptions(image_url=lambda s: media.path(s).as_uri(), notes='float', lang=doc.meta.lang);"
        "open(sys.argv[2], 'w').write(htmlbody.page(doc, o, 'pdf/document.html', b))"
    )
    subprocess.run([sys.executable, "-c", script, str(content / source.name), str(html)], check=True, cwd=ROOT)
    alone = [
        sys.executable,
        "-c",
        "import sys, weasyprint; weasyprint.HTML(sys.argv[1]).write_pdf(sys.argv[2], pdf_variant='pdf/ua-1')",
        str(html),
        str(work / "alone.pdf"),
    ]
    figures["weasyprint_alone"] = statistics.median(run(alone)[0] for _ in range(runs))
    return figures


def edit_one_paragraph(runs: int, work: Path) -> tuple[float, float, int]:
    """(cold build of a folder of three documents, rebuild after editing one paragraph of one
    of them, editions rewritten by that rebuild)."""
    content = work / "content-edit"
    shutil.rmtree(content, ignore_errors=True)
    content.mkdir(parents=True)
    for source in (ARTICLE, FIXTURES / "every-node.md", FIXTURES / "chinese.md"):
        shutil.copyfile(source, content / source.name)
    shutil.copytree(FIXTURES / "images", content / "images")
    out = work / "out-edit"
    cold = statistics.median(run(ours(content, out, "--rebuild"), cwd=ROOT)[0] for _ in range(runs))
    run(ours(content, out), cwd=ROOT)  # everything up to date
    target = content / "chinese.md"
    edits = []
    for n in range(runs):
        text = target.read_text(encoding="utf-8")
        target.write_text(
            text.replace("學術研究", f"學術研究{n}", 1).replace(f"學術研究{n - 1}", "學術研究"), encoding="utf-8"
        )
        edits.append(run(ours(content, out), cwd=ROOT)[0])
    target.write_text(target.read_text(encoding="utf-8").replace("學術研究", "學術研究!", 1), encoding="utf-8")
    listing = subprocess.run(
        [sys.executable, "-m", "publish", "all", "--force", "--content", str(content), "--out", str(out)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    rewritten = sum(1 for line in listing.stdout.splitlines() if line.startswith("wrote "))
    return cold, statistics.median(edits), rewritten


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--full", action="store_true", help="also the 100× and 400× books (minutes)")
    parser.add_argument("--write", type=Path, default=ROOT / "benchmarks" / "results.md")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        books = {times: book(times, work) for times in ((10, 40, 100, 400) if args.full else (10, 40))}
        rows = [compare("article", [ARTICLE], args.runs, work)]
        for times, path in books.items():
            rows.append(compare(f"{times}× book", [path], args.runs if times <= 40 else 3, work))
        folder = [ARTICLE, FIXTURES / "every-node.md", FIXTURES / "chinese.md"]
        rows.append(compare("folder of 3 documents", folder, args.runs, work))
        one = formats_and_rebuilds(ARTICLE, args.runs, work)
        cold, edit, rewritten = edit_one_paragraph(args.runs, work)

    lines = [
        "# Benchmarks: publish against pandoc",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"pandoc {subprocess.run([pandoc(), '--version'], capture_output=True, text=True).stdout.split()[1]}. "
        f"Medians of {args.runs} alternating runs (3 for books above 40×).",
        "",
        "| input | words | pandoc, 4 commands | publish all | ours / pandoc | peak MiB pandoc | peak MiB publish |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        ratio = float(row["publish"]) / float(row["pandoc"])  # type: ignore[arg-type]
        lines.append(
            f"| {row['input']} | {row['words']} | {row['pandoc']:.2f} s | {row['publish']:.2f} s | {ratio:.2f} | "
            f"{row['pandoc_mib']} | {row['publish_mib']} |"
        )
    by_name = {str(r["input"]): float(r["publish"]) for r in rows}  # type: ignore[arg-type]
    lines += ["", "| the article, ours alone | seconds |", "|---|---:|"]
    for fmt in FORMATS:
        lines.append(f"| `publish {fmt}` (cold process) | {one[f'fmt_{fmt}']:.2f} |")
    lines += [
        f"| `publish all` (cold process, 4 formats in parallel) | {one['cold_all']:.2f} |",
        f"| WeasyPrint alone on our PDF's HTML (import + layout + write) | {one['weasyprint_alone']:.2f} |",
        f"| no-op rebuild | {one['noop']:.2f} |",
        "",
        "| figure | value |",
        "|---|---:|",
        f"| our PDF step / WeasyPrint alone | {one['fmt_pdf'] / one['weasyprint_alone']:.2f} |",
        f"| all four / the PDF alone | {one['cold_all'] / one['fmt_pdf']:.2f} |",
        f"| no-op rebuild / cold build | {one['noop'] / one['cold_all']:.1%} |",
        f"| folder of 3: cold build | {cold:.2f} s |",
        f"| folder of 3: rebuild after editing one paragraph | {edit:.2f} s ({rewritten} editions rewritten) |",
        f"| growth 10× → 40× book (4× the content) | {by_name['40× book'] / by_name['10× book']:.2f}× the time |",
    ]
    if args.full:
        lines.append(
            f"| growth 100× → 400× book (4× the content) | "
            f"{by_name['400× book'] / by_name['100× book']:.2f}× the time |"
        )
    table = "\n".join(lines) + "\n"
    print(table)
    if args.write:
        from sections import replace_section  # benchmarks/ is this script's folder

        replace_section(args.write, "pandoc", table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
