"""publish against pandoc at the same job, in the same run: every target of issue 17.

Pandoc's job is four commands in sequence — Markdown to standalone HTML, DOCX, EPUB, and PDF
through ``--pdf-engine=weasyprint`` — ours is ``python -m publish all`` (cold: a new process,
``--rebuild``). Runs alternate, and each time is the median of the runs. Memory: see
``measure.py`` (the largest process of the waited tree, and the largest sum of the tree).

Inputs: the article of ``content/``; books generated from it, in one file each (each chapter
the article's body with its headings renamed; 25× ≈ 21k words, 100× ≈ 85k words, and with
``--full`` 400× ≈ 340k words); a folder of several documents (the article and two fixtures).
Then, in the 100× book with the output of a cold build present, a one-word edit in one
chapter's paragraph and ``publish all`` without ``--rebuild``; the article's formats one by
one, a no-op rebuild, and our PDF step against WeasyPrint alone.

Prints the tables and writes them to ``benchmarks/results.md`` (``--write``; ``--no-write``).
Run: ``python benchmarks/bench.py`` (several minutes; 23 on 2 cores shared with other builds)
or ``--full``.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # measure, targets, sections

from measure import Sample, machine, run, run_all
from targets import BIG_BOOK, BOOK, FOLDER, FORMATS, SMALL_BOOK, Compared, Edit, Peak, report, summary, targets

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = ROOT / "content" / "justice-for-western-azerbaijan-community.md"
FIXTURES = ROOT / "tests" / "fixtures"
#: the chapter of the 100× book whose first paragraph is edited, and the words its edits put
#: in turn in place of that paragraph's first lower-case word of six letters or more
EDITED_CHAPTER = 50
REPLACEMENTS = ("remains", "endures", "persists")


def pandoc() -> str:
    import pypandoc

    return str(pypandoc.get_pandoc_path())


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


def content_folder(name: str, sources: list[Path], work: Path) -> Path:
    content = work / f"content-{name.replace(' ', '-')}"
    shutil.rmtree(content, ignore_errors=True)
    content.mkdir(parents=True)
    for source in sources:
        shutil.copyfile(source, content / source.name)
    if (FIXTURES / "images").is_dir():
        shutil.copytree(FIXTURES / "images", content / "images")
    return content


def compare(name: str, sources: list[Path], runs: int, work: Path) -> Compared:
    """Alternating runs of pandoc's commands and ours over the same sources."""
    content = content_folder(name, sources, work)
    copied = [content / s.name for s in sources]
    theirs: list[Sample] = []
    mine: list[Sample] = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory(dir=work) as a, tempfile.TemporaryDirectory(dir=work) as b:
            theirs.append(run_all(pandoc_commands(copied, Path(a))))
            mine.append(run(ours(content, Path(b), "--rebuild"), cwd=ROOT))
    words = sum(len(re.findall(r"\w+", s.read_text(encoding="utf-8"))) for s in sources)
    result = Compared(
        name,
        words,
        statistics.median(s.seconds for s in theirs),
        statistics.median(s.seconds for s in mine),
        Peak(max(s.max_mib for s in theirs), max(s.sum_mib for s in theirs)),
        Peak(
            max(s.max_mib for s in mine),
            max(s.sum_mib for s in mine),
            max(s.single_mib for s in mine),
            max(s.root_mib for s in mine),
        ),
        runs,
    )
    p = result.publish_peak
    print(
        f"{name}: pandoc {result.pandoc:.2f} s, publish {result.publish:.2f} s; publish's peaks: ru_maxrss "
        f"{p.largest} MiB, sampled largest process {p.sampled_largest} MiB, main process {p.root} MiB, "
        f"tree sum {p.tree_sum} MiB",
        file=sys.stderr,
        flush=True,
    )
    return result


def editions(out: Path) -> dict[str, int]:
    """Each edition's file under ``out`` (by format) and its modification time."""
    return {
        p.suffix[1:]: p.stat().st_mtime_ns
        for p in out.rglob("*")
        if p.suffix[1:] in FORMATS and not any(part.startswith(".") for part in p.relative_to(out).parts)
    }


def edit_in_book(source: Path, runs: int, work: Path) -> Edit:
    """A cold build of the book, then ``runs`` times: one word of one chapter's first paragraph
    changed, ``publish all`` without ``--rebuild``; which editions each run rewrote."""
    content = content_folder("edit-book", [source], work)
    target = content / source.name
    original = target.read_text(encoding="utf-8")
    heading = original.index(f"\n## Chapter {EDITED_CHAPTER}\n")
    word = re.compile(r"\b[a-z]{6,}\b").search(original, heading + len(f"\n## Chapter {EDITED_CHAPTER}\n"))
    assert word is not None
    out = work / "out-edit-book"
    run(ours(content, out, "--rebuild"), cwd=ROOT)
    seconds, rewritten = [], set(FORMATS)
    for n in range(runs):
        target.write_text(
            original[: word.start()] + REPLACEMENTS[n % len(REPLACEMENTS)] + original[word.end() :], "utf-8"
        )
        before = editions(out)
        time.sleep(0.01)  # distinct modification times even on a coarse clock
        seconds.append(run(ours(content, out), cwd=ROOT).seconds)
        after = editions(out)
        rewritten &= {fmt for fmt, mtime in after.items() if before.get(fmt) != mtime}
    print(f"edit in the book: {statistics.median(seconds):.2f} s, rewrote {sorted(rewritten)}", file=sys.stderr)
    return Edit(statistics.median(seconds), tuple(fmt for fmt in FORMATS if fmt in rewritten), runs)


def formats_and_rebuilds(source: Path, runs: int, work: Path) -> dict[str, float]:
    """Our per-format times (cold processes), a cold `publish all`, a no-op rebuild, and
    WeasyPrint alone laying out the HTML our PDF writer gives it."""
    content = content_folder("one", [source], work)
    figures: dict[str, float] = {}
    out = work / "out-one"
    for fmt in FORMATS:
        command = ours(content, out, "--rebuild")
        command[3] = fmt
        figures[f"fmt_{fmt}"] = statistics.median(run(command, cwd=ROOT).seconds for _ in range(runs))
    figures["cold_all"] = statistics.median(run(ours(content, out, "--rebuild"), cwd=ROOT).seconds for _ in range(runs))
    figures["cold_all_no_toc_pages"] = statistics.median(
        run(ours(content, out, "--rebuild", "--no-toc-pages"), cwd=ROOT).seconds for _ in range(runs)
    )
    run(ours(content, out), cwd=ROOT)
    figures["noop"] = statistics.median(run(ours(content, out), cwd=ROOT).seconds for _ in range(runs))
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
    figures["weasyprint_alone"] = statistics.median(run(alone).seconds for _ in range(runs))
    return figures


def edit_in_folder(runs: int, work: Path) -> tuple[float, float, int]:
    """(cold build of a folder of three documents, rebuild after editing one paragraph of one
    of them, editions rewritten by that rebuild)."""
    content = content_folder("edit", [ARTICLE, FIXTURES / "every-node.md", FIXTURES / "chinese.md"], work)
    out = work / "out-edit"
    cold = statistics.median(run(ours(content, out, "--rebuild"), cwd=ROOT).seconds for _ in range(runs))
    run(ours(content, out), cwd=ROOT)  # everything up to date
    target = content / "chinese.md"
    edits = []
    for n in range(runs):
        text = target.read_text(encoding="utf-8")
        target.write_text(
            text.replace("學術研究", f"學術研究{n}", 1).replace(f"學術研究{n - 1}", "學術研究"), encoding="utf-8"
        )
        edits.append(run(ours(content, out), cwd=ROOT).seconds)
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
    parser.add_argument("--runs", type=int, default=5, help="runs of the article, the 25× book, the folder")
    parser.add_argument("--book-runs", type=int, default=3, help="runs of the 100× book and its edit (400×: 1)")
    parser.add_argument("--full", action="store_true", help="also the 400× book (minutes more)")
    parser.add_argument("--write", type=Path, default=ROOT / "benchmarks" / "results.md")
    parser.add_argument("--no-write", dest="write", action="store_const", const=None)
    args = parser.parse_args()
    started, load = time.perf_counter(), os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        rows = [compare("article", [ARTICLE], args.runs, work)]
        rows.append(compare(SMALL_BOOK, [book(25, work)], args.runs, work))
        hundred = book(100, work)
        rows.append(compare(BOOK, [hundred], args.book_runs, work))
        if args.full:
            rows.append(compare(BIG_BOOK, [book(400, work)], 1, work))
        rows.append(compare(FOLDER, [ARTICLE, FIXTURES / "every-node.md", FIXTURES / "chinese.md"], args.runs, work))
        edit = edit_in_book(hundred, args.book_runs, work)
        one = formats_and_rebuilds(ARTICLE, args.runs, work)
        folder_edit = edit_in_folder(args.runs, work)
    busy = f"; load average (1 min) {load:.1f} at the start, {os.getloadavg()[0]:.1f} at the end"
    text = report(machine(pandoc()) + busy, rows, edit, one, folder_edit, args.runs)
    print(text)
    print(summary(targets({r.name: r for r in rows}, edit, one["noop"], one["cold_all"])), end="; ")
    print(f"the benchmark took {time.perf_counter() - started:.0f} s")
    if args.write:
        from sections import replace_section

        replace_section(args.write, "pandoc", text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
