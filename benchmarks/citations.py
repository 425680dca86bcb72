"""Citations: what printing them costs us against pandoc's own citeproc on the same source.

A generated paper of N paragraphs, each citing one to three of 200 generated BibTeX entries
(with locators, author-in-text and suppress-author forms), is read by publish (the model with
every citation printed and the bibliography placed: `publish.load`) and by pandoc
(`pandoc paper.md --citeproc -t json`), in Chicago author-date, APA and IEEE. Medians of
several runs, seconds. Run: `python benchmarks/citations.py [--cites 500] [--runs 5]
[--write benchmarks/results.md]`.
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import publish
from benchmarks.sections import replace_section
from publish import citestyles

NAMES = ["Müller", "Ñúñez", "Smith", "Kowalczyk", "Şahin", "Nguyễn", "Dvořák", "Øvergaard", "Lee", "Garcia"]
STYLES = ("chicago-author-date", "apa", "ieee")


def bibliography(entries: int) -> str:
    rng = random.Random(7)
    out = []
    for n in range(entries):
        authors = " and ".join(f"{rng.choice(NAMES)}, {chr(65 + rng.randrange(26))}." for _ in range(rng.randint(1, 4)))
        out.append(
            f"@article{{key{n},\n  author = {{{authors}}},\n  title = {{Study number {n} of typesetting}},\n"
            f"  journal = {{Journal of Publishing}},\n  year = {{{1990 + n % 30}}},\n  volume = {{{n % 40}}},\n"
            f"  pages = {{{n}--{n + 9}}},\n  doi = {{10.1000/{n}}}\n}}\n"
        )
    return "\n".join(out)


def paper(cites: int, entries: int, style: str) -> str:
    rng = random.Random(11)
    lines = [f"---\ntitle: A paper of {cites} citations\nbibliography: refs.bib\ncsl: {style}\n---\n"]
    for n in range(cites):
        keys = [f"key{rng.randrange(entries)}" for _ in range(rng.randint(1, 3))]
        form = n % 4
        if form == 0:
            cite = "[" + "; ".join(f"@{k}" for k in keys) + "]"
        elif form == 1:
            cite = f"[see @{keys[0]}, p. {n % 300 + 1}]"
        elif form == 2:
            cite = f"@{keys[0]} [chap. {n % 12 + 1}]"
        else:
            cite = f"[-@{keys[0]}]"
        lines.append(f"Paragraph {n} makes a claim about type {cite}, and goes on.\n")
    return "\n".join(lines)


def median_time(fn: object, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cites", type=int, default=500)
    parser.add_argument("--entries", type=int, default=200)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--write", type=Path)
    args = parser.parse_args()
    rows = [
        f"Citations: a paper of {args.cites} citations of {args.entries} BibTeX entries, read with every "
        f"citation printed (median of {args.runs} runs, seconds).",
        "",
        "| style | publish (`publish.load`) | pandoc `--citeproc -t json` | ratio |",
        "|---|---:|---:|---:|",
    ]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "refs.bib").write_text(bibliography(args.entries), encoding="utf-8")
        for style in STYLES:
            source = folder / f"{style}.md"
            source.write_text(paper(args.cites, args.entries, style), encoding="utf-8")
            csl = citestyles.style_file(style, folder)
            command = [citestyles.pandoc(), str(source), "--citeproc", f"--csl={csl}", "-t", "json", "-o", "/dev/null"]
            publish.load(source)  # warm: imports, pandoc's API version
            ours = median_time(lambda source=source: publish.load(source), args.runs)
            theirs = median_time(lambda command=command: subprocess.run(command, check=True, cwd=folder), args.runs)
            rows.append(f"| {style} | {ours:.2f} | {theirs:.2f} | {ours / theirs:.2f}× |")
    text = "\n".join(rows)
    print(text)
    if args.write:
        replace_section(args.write, "citations", text)


if __name__ == "__main__":
    main()
