"""How long ``publish check`` takes on a long document, and how that grows with its length.

The document is a novel-length single file made of real chapters: the article of
``content/`` repeated, each copy a chapter (``## Chapter n``) with its own headings renamed,
until it reaches ``--words`` words (56k by default, a short novel). Its four editions are
built once (``publish all``), then ``publish check`` runs on them in a new process, every
check and validator that is installed included; the time of each check comes from the
progress lines ``publish check`` prints on stderr.

Prints a Markdown table and writes it to ``benchmarks/results.md`` (``--write``).
Run: ``python benchmarks/checkspeed.py`` (56k words; about a minute and a half) or
``--words 5000 20000 56000`` for the growth (CI does not run it).
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = ROOT / "content" / "justice-for-western-azerbaijan-community.md"
#: The checks that start an external validator (their time is mostly the tool's start).
VALIDATORS = {"epubcheck", "nu-html", "libreoffice"}
#: "check (fmt): status in 1.23 s" — the progress line of one check.
_PROGRESS = re.compile(r"^\S.* (?P<check>[\w-]+(?: \(\w+\))?): (?P<status>pass|fail|not checked) in (?P<s>[\d.]+) s$")


def words(text: str) -> int:
    return len(re.findall(r"\w+", text))


def novel(target: int, folder: Path) -> Path:
    """One document of at least ``target`` words: the article's body as chapter after chapter."""
    text = ARTICLE.read_text(encoding="utf-8")
    front, body = re.match(r"^(---\n.*?\n---\n)(.*)$", text, re.S).groups()  # type: ignore[union-attr]
    front = re.sub(r"^title: .*$", "title: A Long Read", front, count=1, flags=re.M)
    chapters: list[str] = []
    count, n = 0, 0
    while count < target:
        n += 1
        chapter = re.sub(r"^## (.*)$", rf"### \1 ({n})", body, flags=re.M)
        chapters.append(f"## Chapter {n}\n\n{chapter.strip()}\n")
        count += words(chapter) + 2
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"novel-{target}.md"
    path.write_text(front + "\n" + "\n".join(chapters), encoding="utf-8")
    return path


def measure(target: int, work: Path, timeout: float) -> dict[str, object]:
    content = work / f"content-{target}"
    out = work / f"out-{target}"
    source = novel(target, content)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "publish", "all", "-q", "--force", "--content", str(content), "--out", str(out)],
        check=True,
        cwd=ROOT,
        env=env,
    )
    build = time.perf_counter() - started
    started = time.perf_counter()
    try:
        run = subprocess.run(
            [sys.executable, "-m", "publish", "check", "--content", str(content), "--out", str(out)],
            capture_output=True,
            text=True,
            cwd=ROOT,
            env=env,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        return {"words": words(source.read_text(encoding="utf-8")), "build": build, "check": None, "checks": {}}
    seconds = time.perf_counter() - started
    checks: dict[str, tuple[str, float]] = {}
    for line in run.stderr.splitlines():
        found = _PROGRESS.match(line.strip())
        if found:
            checks[found["check"]] = (found["status"], float(found["s"]))
    return {
        "words": words(source.read_text(encoding="utf-8")),
        "build": build,
        "check": seconds,
        "exit": run.returncode,
        "checks": checks,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, nargs="+", default=[56000])
    parser.add_argument("--timeout", type=float, default=600.0, help="give up on a check after this many seconds")
    parser.add_argument("--write", type=Path, default=ROOT / "benchmarks" / "results.md")
    parser.add_argument("--no-write", dest="write", action="store_const", const=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        rows = [measure(target, Path(tmp), args.timeout) for target in args.words]
    lines = [
        "## `publish check` on a long document",
        "",
        f"`python benchmarks/checkspeed.py --words {' '.join(map(str, args.words))}`: one document of the "
        "article's chapters, four editions, every check and installed validator. "
        f"Machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}.",
        "",
        "| words | `publish all` | `publish check` | of which the validators | the other checks | exit |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        check = f"{row['check']:.1f} s" if row["check"] is not None else f"> {args.timeout:.0f} s"
        times: dict[str, tuple[str, float]] = row["checks"]  # type: ignore[assignment]
        validators = sum(s for name, (_, s) in times.items() if name.split(" ")[0] in VALIDATORS)
        others = sum(s for name, (_, s) in times.items() if name.split(" ")[0] not in VALIDATORS)
        lines.append(
            f"| {row['words']} | {row['build']:.1f} s | {check} | {validators:.1f} s | {others:.1f} s | "
            f"{row.get('exit', '–')} |"
        )
    lines += [
        "",
        "Before the unit-by-unit alignment (one `difflib.SequenceMatcher` over the whole text of the PDF and "
        "of LibreOffice's PDF), `publish check` took 12 s for 5k words and 89 s for 20k; on this machine the "
        "PDF's structure check of the 20k-word document alone took 277 s, and 25k–56k-word documents never "
        "finished.",
    ]
    last = rows[-1]
    checks: dict[str, tuple[str, float]] = last["checks"]  # type: ignore[assignment]
    if checks:
        lines += ["", f"| {last['words']} words: check | result | seconds |", "|---|---|---:|"]
        for name, (status, seconds) in checks.items():
            lines.append(f"| {name} | {status} | {seconds:.2f} |")
    table = "\n".join(lines) + "\n"
    print(table)
    if args.write:
        from sections import replace_section  # benchmarks/ is this script's folder

        replace_section(args.write, "checkspeed", table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
