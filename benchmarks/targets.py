"""The tables of ``bench.py``: figures in, Markdown out (no measuring here, so that a test can
feed it made-up figures). Each target of issue 17 is one row: our figure, pandoc's figure from
the same run, the ratio, the target beside it and whether it is met."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

FORMATS = ("html", "docx", "epub", "pdf")
BOOK = "100× book"
SMALL_BOOK = "25× book"
BIG_BOOK = "400× book"
FOLDER = "folder of 3 documents"


@dataclass(frozen=True)
class Peak:
    """Peak memory in MiB: the largest single process of the waited tree (``ru_maxrss``) and
    the largest sum of the process tree's resident sets at one moment (sampled)."""

    largest: int
    tree_sum: int
    sampled_largest: int = 0  # the largest single process the sampler saw (cross-checks ru_maxrss)
    root: int = 0  # the command's own process alone, sampled


@dataclass(frozen=True)
class Compared:
    """One input built cold by pandoc's four commands and by ``publish all``: median seconds
    and the highest peaks over the runs."""

    name: str
    words: int
    pandoc: float
    publish: float
    pandoc_peak: Peak
    publish_peak: Peak
    runs: int


@dataclass(frozen=True)
class Edit:
    """``publish all`` after a one-word edit in one chapter (cold output present): median
    seconds, and the editions each edit rewrote (the fewest over the runs)."""

    seconds: float
    rewritten: tuple[str, ...]
    runs: int


@dataclass(frozen=True)
class Target:
    what: str
    publish: str
    pandoc: str
    value: float | None  # the figure compared with the target (None: reported, no target)
    limit: float | None
    percent: bool = False
    also: list[str] = field(default_factory=list)  # conditions besides the figure, each unmet

    def figure(self) -> str:
        if self.value is None:
            return "—"
        return f"{self.value:.1%}" if self.percent else f"{self.value:.2f}×"

    def target(self) -> str:
        if self.limit is None:
            return "—"
        return f"≤ {self.limit:.0%}" if self.percent else f"≤ {self.limit:g}×"

    def met(self) -> bool | None:
        if self.value is None or self.limit is None:
            return None
        return self.value <= self.limit and not self.also

    def verdict(self) -> str:
        met = self.met()
        if met is None:
            return "—"
        return "yes" if met else "**no**" + "".join(f" ({why})" for why in self.also)


def _s(seconds: float) -> str:
    return f"{seconds:.2f} s"


def targets(rows: dict[str, Compared], edit: Edit, noop: float, article_cold: float) -> list[Target]:
    """Issue 17's targets (and the earlier ones this benchmark measures), in the issue's order."""
    article, book, small = rows["article"], rows[BOOK], rows[SMALL_BOOK]
    found = [
        Target(
            "the article: `publish all` cold / pandoc's four commands",
            _s(article.publish),
            _s(article.pandoc),
            article.publish / article.pandoc,
            1.0,
        ),
        Target(
            f"the 100-chapter book ({book.words:,} words, one file): cold build / pandoc's",
            _s(book.publish),
            _s(book.pandoc),
            book.publish / book.pandoc,
            0.6,
        ),
        Target(
            "the 100-chapter book: peak memory, largest sum of the process tree's RSS (the target's measure)",
            f"{book.publish_peak.tree_sum} MiB",
            f"{book.pandoc_peak.tree_sum} MiB",
            book.publish_peak.tree_sum / book.pandoc_peak.tree_sum,
            1.0,
        ),
        Target(
            "the 100-chapter book: peak memory, largest single process (`ru_maxrss`), for comparison",
            f"{book.publish_peak.largest} MiB",
            f"{book.pandoc_peak.largest} MiB",
            book.publish_peak.largest / book.pandoc_peak.largest,
            None,
        ),
        Target(
            "growth: the 25-chapter book's cold build → the 100-chapter book's (4× the content)",
            f"{small.publish:.2f} → {book.publish:.2f} s",
            f"{small.pandoc:.2f} → {book.pandoc:.2f} s ({book.pandoc / small.pandoc:.2f}×)",
            book.publish / small.publish,
            4.4,
        ),
    ]
    missing = [fmt for fmt in FORMATS if fmt not in edit.rewritten]
    found.append(
        Target(
            "one-word edit in one chapter of the 100-chapter book: `publish all` (no `--rebuild`) / its cold build",
            f"{_s(edit.seconds)}, rewrote {', '.join(edit.rewritten) or 'nothing'}",
            f"{_s(book.pandoc)} (no incremental build: a cold run)",
            edit.seconds / book.publish,
            0.3,
            also=[f"{', '.join(missing)} not rewritten"] if missing else [],
        )
    )
    found.append(
        Target(
            "no-op rebuild of the article / its cold build (an earlier target)",
            f"{_s(noop)} / {_s(article_cold)}",
            "—",
            noop / article_cold,
            0.05,
            percent=True,
        )
    )
    if FOLDER in rows:
        folder = rows[FOLDER]
        found.append(
            Target(
                "a folder of 3 documents: `publish all` cold / pandoc's commands (an earlier target)",
                _s(folder.publish),
                _s(folder.pandoc),
                folder.publish / folder.pandoc,
                0.6,
            )
        )
    if BIG_BOOK in rows:
        big = rows[BIG_BOOK]
        found.append(
            Target(
                "growth: the 100-chapter book → the 400-chapter book (an earlier target)",
                f"{book.publish:.2f} → {big.publish:.2f} s",
                f"{book.pandoc:.2f} → {big.pandoc:.2f} s ({big.pandoc / book.pandoc:.2f}×)",
                big.publish / book.publish,
                4.4,
            )
        )
    return found


def target_table(found: Sequence[Target]) -> list[str]:
    lines = [
        "| what is measured | publish | pandoc, same run | figure | target | met |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for t in found:
        lines.append(f"| {t.what} | {t.publish} | {t.pandoc} | {t.figure()} | {t.target()} | {t.verdict()} |")
    return lines


def comparison_table(rows: Sequence[Compared]) -> list[str]:
    lines = [
        "| input | words | runs | pandoc, 4 commands | publish all | ours / pandoc "
        "| peak MiB pandoc: largest process / tree sum | peak MiB publish: largest process / tree sum |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r.name} | {r.words} | {r.runs} | {_s(r.pandoc)} | {_s(r.publish)} | {r.publish / r.pandoc:.2f} "
            f"| {r.pandoc_peak.largest} / {r.pandoc_peak.tree_sum} "
            f"| {r.publish_peak.largest} / {r.publish_peak.tree_sum} |"
        )
    return lines


def memory_note(book: Compared | None) -> list[str]:
    """Whether ``ru_maxrss`` counts the pool's workers: the main process's own peak beside it."""
    if book is None or not book.publish_peak.root:
        return []
    p = book.publish_peak
    return [
        f"The 100× book: `ru_maxrss` of `publish all` {p.largest} MiB; the largest single process "
        f"the sampler saw {p.sampled_largest} MiB; publish's main process alone {p.root} MiB "
        "(so the largest process is a pool worker's when the main process's is smaller).",
        "",
    ]


def report(
    machine: str,
    rows: Sequence[Compared],
    edit: Edit,
    one: dict[str, float],
    folder_edit: tuple[float, float, int],
    runs: int,
) -> str:
    """The whole section of ``results.md``."""
    by_name = {r.name: r for r in rows}
    found = targets(by_name, edit, one["noop"], one["cold_all"])
    cold, edited, rewritten = folder_edit
    lines = [
        "# Benchmarks: publish against pandoc",
        "",
        f"Machine: {machine}.",
        "",
        f"Each figure is the median of alternating runs of pandoc's four commands and ours in the same "
        f"run (the runs column; {runs} unless said), both cold (a new process; ours with `--rebuild`). "
        "Peak memory: *largest process* is `ru_maxrss` of the command's waited process tree (the "
        "largest single process, pool workers included); *tree sum* is the largest sum of the tree's "
        "resident sets at one moment, sampled every 20 ms (pages shared by forked workers counted "
        "in each). The memory target uses the tree sum.",
        "",
        "## Issue 17's targets",
        "",
        *target_table(found),
        "",
        "## Cold builds, side by side",
        "",
        *comparison_table(rows),
        "",
        *memory_note(by_name.get(BOOK)),
        "| the article, ours alone | seconds |",
        "|---|---:|",
    ]
    for fmt in FORMATS:
        lines.append(f"| `publish {fmt}` (cold process) | {one[f'fmt_{fmt}']:.2f} |")
    lines += [
        f"| `publish all` (cold process, 4 formats in parallel) | {one['cold_all']:.2f} |",
        "| `publish all --no-toc-pages` (the DOCX's contents numbered by Word when it opens, "
        f"not by a LibreOffice layout) | {one['cold_all_no_toc_pages']:.2f} |",
        f"| WeasyPrint alone on our PDF's HTML (import + layout + write) | {one['weasyprint_alone']:.2f} |",
        f"| no-op rebuild | {one['noop']:.2f} |",
        "",
        "| figure | value |",
        "|---|---:|",
        f"| our PDF step / WeasyPrint alone (the article) | {one['fmt_pdf'] / one['weasyprint_alone']:.2f} |",
        f"| all four / the PDF alone (the article) | {one['cold_all'] / one['fmt_pdf']:.2f} |",
        f"| folder of 3: cold build | {cold:.2f} s |",
        f"| folder of 3: rebuild after editing one paragraph of one document | {edited:.2f} s "
        f"({rewritten} editions rewritten) |",
    ]
    return "\n".join(lines) + "\n"


def summary(found: Sequence[Target]) -> str:
    """One line for the terminal: how many targets are met."""
    judged = [t for t in found if t.met() is not None]
    return f"{sum(1 for t in judged if t.met())} of {len(judged)} targets met"
