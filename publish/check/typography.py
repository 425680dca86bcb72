"""The ``typography`` check: the PDF edition measured as a book designer reads it.

The PDF's lines are read back (:mod:`publish.readback.pdflines`: each word's box and font
size) and placed against the model (:mod:`publish.check.typeset`: which line sets which
paragraph, heading or caption, and which lines close a paragraph). *Body text* is the
paragraphs and the list items' paragraphs — not headings, the title block, the table of
contents, captions, tables, code, quotations, callouts, a bibliography's entries (hanging, a
numeric style's in a column beside their labels), notes, running heads or page numbers;
a *full line* of body text is one that does not close its paragraph (nor end at a forced line
break). The measures, each with its threshold in :class:`Thresholds`:

- **measure**: characters per full line of body text without a drawn formula (letters, punctuation and word spaces,
  a hyphen the layout added; a CJK character, about twice as wide as a Latin letter, counts
  as two). The median full line must lie within ``measure`` (60–75), and no full line may be
  longer than ``longest_line`` (85): a designer accepts lines on either side of the range in
  ragged text, not a text block set wider than it. The range is the one for Latin, Greek and
  Cyrillic letters (and CJK, counted double); lines mostly in other scripts (Arabic, Hebrew,
  the Indic scripts...), whose letters are narrower or wider, are not counted;
- **hyphenation**: the share of body lines that end with a hyphen the layout added (the
  model has the word unbroken), at most ``hyphenated_share`` (12 %); at most ``hyphen_run``
  (2) such lines in a row; and a word broken across a page turn, in any text, at most
  ``page_turns`` (0);
- **word spaces**: the word space of each full line of body text (the median of its gaps: a
  justified line stretches all its spaces alike, while one wide gap is a key cap's padding or
  an inline image's margin), in ems of the line's font size; the widest at most
  ``word_space`` (0.5 em). Ragged lines show the face's own space;
- **headings**: a heading stranded at the foot of a page (the page's last line, or followed
  by one line only, the document going on over the page), at most ``stranded_headings`` (0);
- **widows and orphans**: a paragraph (body text, quotations and callouts) split across
  pages that leaves one line alone at the foot of a page (an orphan) or at the head of the
  next (a widow), at most ``widows`` and ``orphans`` (0);
- **CJK line breaks**: in Chinese, Japanese or Korean text (the document's language, a
  block's or a span's), a line that starts with a character that must not start one
  (closing brackets, 、。，．・：；？！ and small kana) or ends with one that must not end
  one (opening brackets), at most ``cjk_breaks`` (0);
- **title**: the title's font size at least ``title_ratio`` (1.2) times the largest
  heading's.

Each measure reports its figure and, when it fails, where: the page and the line's text. A
theme may relax the thresholds with a ``typography.toml`` (the first found on the theme's
search path, the user's folders first; see the README's section on themes), and may set
``verdict = "report"``: the figures are still reported, but a failing measure does not fail
the check. Without ``pdftotext`` the check is not checked.
"""

from __future__ import annotations

import dataclasses
import itertools
import statistics
import tomllib
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from publish import model as m
from publish.check import typeset
from publish.check.report import FAIL, PASS, Result
from publish.check.typeset import BODY, PARAGRAPHS, Layout, Placed
from publish.options import Options

#: Where a theme relaxes the thresholds.
THEME_FILE = "typography.toml"
#: The failing places listed for each measure (the rest counted).
PLACES = 5
#: Characters that must not start a line in CJK text (closing brackets and punctuation,
#: small kana; W3C's clreq and jlreq) and those that must not end one (opening brackets).
CJK_NOT_START = frozenset(
    "、。，．・：；？！）」』】〕》〉］｝〗〙｠"  # closing punctuation and brackets
    "ぁぃぅぇぉっゃゅょゎゕゖ"  # small hiragana
    "ァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ"  # small katakana
)
CJK_NOT_END = frozenset("（「『【〔《〈［｛〖〘｟")


@dataclass(frozen=True)
class Thresholds:
    """Every threshold of the check, in one place (a theme's ``typography.toml`` may set
    them, under these names with ``-`` for ``_``)."""

    #: Characters per full line of body text: the median must lie within this range.
    measure: tuple[int, int] = (60, 75)
    #: ... and no full line may be longer than this.
    longest_line: int = 85
    #: The largest share of body lines that end with a hyphen the layout added.
    hyphenated_share: float = 0.12
    #: The most lines in a row that end with a hyphen the layout added.
    hyphen_run: int = 2
    #: Words broken across a page turn.
    page_turns: int = 0
    #: The widest word space of a full line of body text, in ems of its font size.
    word_space: float = 0.5
    #: Headings left at the foot of a page.
    stranded_headings: int = 0
    #: Paragraphs leaving one line alone at the head of a page (widows) or the foot (orphans).
    widows: int = 0
    orphans: int = 0
    #: CJK lines that start or end with a character that must not.
    cjk_breaks: int = 0
    #: The title's size at least this many times the largest heading's.
    title_ratio: float = 1.2
    #: "fail": a failing measure fails the check; "report": it is only reported.
    verdict: str = "fail"


def thresholds(options: Options) -> Thresholds:
    """The thresholds of the theme: the first ``typography.toml`` on its search path, over
    the defaults. An unknown key or a value of the wrong kind is an error naming the file."""
    for folder in options.template_path:
        path = folder / THEME_FILE
        if path.is_file():
            return _from_toml(path)
    return Thresholds()


def _from_toml(path: Path) -> Thresholds:
    from publish.errors import PublishError

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise PublishError(f"cannot be read: {exc}", path) from exc
    defaults = Thresholds()
    values: dict[str, Any] = {}
    for key, value in data.items():
        name = key.replace("-", "_")
        if name not in {f.name for f in dataclasses.fields(Thresholds)}:
            raise PublishError(f"unknown key {key!r}", path)
        default = getattr(defaults, name)
        if isinstance(default, tuple):
            ok = isinstance(value, list) and len(value) == 2 and all(isinstance(v, int | float) for v in value)
            value = tuple(value) if ok else value
        elif isinstance(default, str):
            ok = value in ("fail", "report")
        else:
            ok = isinstance(value, int | float) and not isinstance(value, bool) and value >= 0
        if not ok:
            raise PublishError(f"{key} = {value!r} is not a value for it (the default is {default!r})", path)
        values[name] = value
    return dataclasses.replace(defaults, **values)


@dataclass(frozen=True)
class Measure:
    """One measure: its name, its figure in words, whether it passes, and where it fails."""

    name: str
    figure: str
    ok: bool
    places: tuple[str, ...] = ()


def _where(placed: Placed, note: str = "", end: bool = False) -> str:
    """``page N: 'the line's text'`` (its start, or its ``end``, when it is long) and a note."""
    text = placed.line.text
    if len(text) > 72:
        text = "…" + text[-71:] if end else text[:71] + "…"
    return f"page {placed.page}: {text!r}" + (f" ({note})" if note else "")


def characters(placed: Placed) -> int:
    """Characters a line sets: its words' (a CJK character counting as two), a word space
    for each gap of at least 0.15 em between words, a list marker left out."""
    words = [w for w, shown in zip(placed.line.words, placed.shown, strict=False) if shown] or list(placed.line.words)
    count = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for w in words for c in w.text)
    size = placed.line.size or 10.0
    return count + sum(1 for a, b in itertools.pairwise(words) if b.left - a.right >= 0.15 * size)


def full_body_lines(layout: Layout) -> list[Placed]:
    return [p for p in layout.of(BODY) if not p.last]


def _measured_script(placed: Placed) -> bool:
    """Whether the line's letters are mostly Latin, Greek, Cyrillic or CJK: the scripts the
    measure's range is for."""
    letters = [c for w in placed.line.words for c in w.text if c.isalpha()]
    counted = sum(
        1
        for c in letters
        if unicodedata.east_asian_width(c) in "WF" or unicodedata.name(c, "").startswith(("LATIN", "GREEK", "CYRILLIC"))
    )
    return not letters or counted * 2 >= len(letters)


def _with_formula(layout: Layout, placed: Placed) -> bool:
    """Whether a drawn formula stands in the line (the model's text of it marks one)."""
    if any(placed.formulas):
        return True
    unit = layout.units[placed.unit] if placed.unit is not None else None
    return unit is not None and typeset.FORMULA in unit.text[max(placed.start - 1, 0) : placed.end + 1]


def measure_lines(layout: Layout, limits: Thresholds) -> Measure:
    # a line with a drawn formula sets fewer characters than it is wide: not a measure of the measure
    full = [p for p in full_body_lines(layout) if _measured_script(p) and not _with_formula(layout, p)]
    if not full:
        return Measure("characters per line", "no full line of body text in a script it measures", True)
    counts = [characters(p) for p in full]
    median = statistics.median(counts)
    low, high = limits.measure
    long = [(c, p) for c, p in zip(counts, full, strict=True) if c > limits.longest_line]
    places = [_where(p, f"{c} characters") for c, p in sorted(long, key=lambda x: -x[0])]
    if not low <= median <= high:
        places.insert(0, f"the median full line sets {median:g} characters")
    figure = (
        f"median {median:g} characters per full line of body text ({low}–{high}), "
        f"longest {max(counts)} (at most {limits.longest_line}), {len(full)} full lines"
    )
    return Measure("characters per line", figure, low <= median <= high and not long, tuple(places))


def hyphenation(layout: Layout, limits: Thresholds) -> list[Measure]:
    body = layout.of(BODY)
    broken = [p for p in body if p.hyphen]
    share = len(broken) / len(body) if body else 0.0
    runs: list[list[Placed]] = []  # lines in a row of one paragraph, each hyphenated
    for index, placed in enumerate(body):
        before = body[index - 1] if index else None
        if placed.hyphen and before is not None and before.hyphen and before.unit == placed.unit:
            runs[-1].append(placed)
        elif placed.hyphen:
            runs.append([placed])
    longest = max((len(r) for r in runs), default=0)
    long_runs = [r for r in runs if len(r) > limits.hyphen_run]
    by_unit = layout.by_unit()
    turns = []
    for lines in by_unit.values():
        for a, b in itertools.pairwise(lines):
            if a.hyphen and b.page != a.page:
                turns.append(_where(a, end=True, note=f"continued on page {b.page}: {b.line.text.split(' ')[0]!r}"))
    return [
        Measure(
            "hyphenated lines",
            f"{share:.1%} of {len(body)} body lines end in a hyphen the layout added "
            f"(at most {limits.hyphenated_share * 100:g}%)",
            share <= limits.hyphenated_share,
            tuple(_where(p, end=True) for p in broken) if share > limits.hyphenated_share else (),
        ),
        Measure(
            "hyphens in a row",
            f"the longest run: {longest} hyphenated line(s) in a row (at most {limits.hyphen_run})",
            not long_runs,
            tuple(_where(r[0], f"{len(r)} in a row", end=True) for r in long_runs),
        ),
        Measure(
            "words broken across pages",
            f"{len(turns)} word(s) broken across a page turn (at most {limits.page_turns})",
            len(turns) <= limits.page_turns,
            tuple(turns),
        ),
    ]


def word_spaces(layout: Layout, limits: Thresholds) -> Measure:
    widest: list[tuple[float, Placed]] = []
    for placed in full_body_lines(layout):
        size = placed.line.size
        if not size:
            continue
        formulas = placed.formulas or (False,) * len(placed.shown)
        gaps = [
            gap / size
            for (gap, _, _), left, right, formula in zip(
                placed.line.gaps(), placed.shown, placed.shown[1:], formulas, strict=False
            )
            if left and right and not formula  # a drawn formula's width is no word space
        ]
        if gaps:
            widest.append((statistics.median(gaps), placed))
    if not widest:
        return Measure("word spaces", "no word space on a full line of body text", True)
    top = max(w for w, _ in widest)
    wide = sorted(((w, p) for w, p in widest if w > limits.word_space), key=lambda x: -x[0])
    return Measure(
        "word spaces",
        f"widest word space {top:.2f} em (at most {limits.word_space:g} em), "
        f"{len(wide)} of {len(widest)} full lines wider",
        not wide,
        tuple(_where(p, f"{w:.2f} em") for w, p in wide),
    )


def _content(layout: Layout) -> list[Placed]:
    """The lines the model has (no footnote, no furniture), in order."""
    return [p for p in layout.lines if p.unit is not None]


def _followed(layout: Layout, heading: Placed, after: list[Placed], on_page: list[Placed]) -> bool:
    """Whether ``heading`` keeps what follows it: a figure or a table (its caption follows on the
    page), or the whole rest of its section — the next page opens with the next heading of its
    level or above (a chapter, or a part of a document laid out in parts, opens a page of its
    own), whatever stands between that the model does not set as lines (a definition list)."""
    if any(p.role == "caption" for p in on_page):
        return True
    over = [p for p in after if p.page != heading.page]
    last = on_page[-1] if on_page else heading
    if not over or last.unit is None or over[0].unit is None or heading.unit is None:
        return False
    level = layout.units[heading.unit].level
    between = layout.units[last.unit + 1 : over[0].unit + 1]
    return any(unit.role == "heading" and unit.level <= level for unit in between)


def stranded(layout: Layout, limits: Thresholds) -> Measure:
    lines = _content(layout)
    found = []
    for index, placed in enumerate(lines):
        if placed.role != "heading" or not placed.last:
            continue
        after = lines[index + 1 :]
        on_page = [p for p in after if p.page == placed.page]
        if _followed(layout, placed, after, on_page):
            continue
        if len(on_page) <= 1 and len(after) > len(on_page):
            heading = " ".join(p.line.text for p in lines[: index + 1] if p.unit == placed.unit)
            note = "the page's last line" if not on_page else "one line follows it on the page"
            found.append(f"page {placed.page}: {heading!r} ({note})")
    return Measure(
        "headings at a page's foot",
        f"{len(found)} heading(s) stranded at the foot of a page (at most {limits.stranded_headings})",
        len(found) <= limits.stranded_headings,
        tuple(found),
    )


def widows_orphans(layout: Layout, limits: Thresholds) -> list[Measure]:
    widows, orphans = [], []
    for lines in layout.by_unit().values():
        if lines[0].role not in PARAGRAPHS or lines[0].page == lines[-1].page:
            continue
        first = [p for p in lines if p.page == lines[0].page]
        last = [p for p in lines if p.page == lines[-1].page]
        if len(first) == 1:
            orphans.append(_where(first[0], "alone at the foot of the page"))
        if len(last) == 1:
            widows.append(_where(last[0], "alone at the head of the page"))
    return [
        Measure(
            "widows", f"{len(widows)} widow(s) (at most {limits.widows})", len(widows) <= limits.widows, tuple(widows)
        ),
        Measure(
            "orphans",
            f"{len(orphans)} orphan(s) (at most {limits.orphans})",
            len(orphans) <= limits.orphans,
            tuple(orphans),
        ),
    ]


def cjk_breaks(layout: Layout, limits: Thresholds) -> Measure | None:
    lines = [p for p in _content(layout) if p.unit is not None and layout.units[p.unit].cjk and p.role != "code"]
    if not lines:
        return None
    found = []
    for placed in lines:
        text = placed.line.text.strip()
        if not text:
            continue
        if not placed.first and text[0] in CJK_NOT_START:
            found.append(_where(placed, f"starts with {text[0]}"))
        if not placed.last and text[-1] in CJK_NOT_END:
            found.append(_where(placed, f"ends with {text[-1]}"))
    return Measure(
        "CJK line breaks",
        f"{len(found)} line(s) of CJK text start or end with a character that must not "
        f"(at most {limits.cjk_breaks}), {len(lines)} lines",
        len(found) <= limits.cjk_breaks,
        tuple(found),
    )


def title_size(layout: Layout, limits: Thresholds) -> Measure:
    titles = [p.line.size for p in layout.of("title") if p.line.size]
    headings = [(p.line.size, p) for p in layout.of("heading") if p.line.size]
    if not titles:
        return Measure("title size", "the title was not found on the first page", False)
    title = max(titles)
    if not headings:
        return Measure("title size", f"title {title:.1f} pt, no heading", True)
    largest, where = max(headings, key=lambda x: x[0])
    ratio = title / largest
    ok = ratio >= limits.title_ratio - 0.005
    return Measure(
        "title size",
        f"title {title:.1f} pt, {ratio:.2f} × the largest heading "
        f"({largest:.1f} pt; at least {limits.title_ratio:g} ×)",
        ok,
        () if ok else (_where(where, f"{largest:.1f} pt"),),
    )


#: Every measure, in the order of the report.
MEASURES: tuple[Callable[[Layout, Thresholds], Measure | list[Measure] | None], ...] = (
    measure_lines,
    hyphenation,
    word_spaces,
    stranded,
    widows_orphans,
    cjk_breaks,
    title_size,
)


def measures(layout: Layout, limits: Thresholds) -> list[Measure]:
    found: list[Measure] = []
    for measure in MEASURES:
        result = measure(layout, limits)
        if isinstance(result, Measure):
            found.append(result)
        elif result is not None:
            found += result
    return found


def check_typography(doc: m.Document, path: Path, options: Options) -> Result:
    """The ``typography`` check of a PDF edition: every measure's figure first, then where
    the failing ones fail."""
    limits = thresholds(options)
    found = measures(typeset.place(doc, path, options), limits)
    failed = [measure for measure in found if not measure.ok]
    details = [f"{'ok' if measure.ok else 'FAIL'}: {measure.name}: {measure.figure}" for measure in found]
    for measure in failed:
        details += [f"{measure.name}: {place}" for place in measure.places[:PLACES]]
        if len(measure.places) > PLACES:
            details.append(f"{measure.name}: … and {len(measure.places) - PLACES} more")
    if failed and limits.verdict == "report":
        details.insert(0, f'verdict = "report" ({THEME_FILE}): the failing measures are reported, not enforced')
        return Result("typography", PASS, details, "pdf")
    return Result("typography", FAIL if failed else PASS, details, "pdf")
