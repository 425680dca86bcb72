"""Align a text made of units (an outline's texts, a source's blocks) with the text an edition
or another reader gives, in time linear in their length.

:func:`difflib.SequenceMatcher` over a whole document is quadratic or worse: 5k words took
12 s, 20k words 89 s, a novel never finished. Here the expected text is a sequence of
*units* (a heading, a paragraph, a cell...) and the other text one stream:

1. walk both while they agree (compared a block of characters at a time, not one by one);
2. where they disagree, skip what the caller declares the other side may add (list markers
   and note numbers in a PDF's text layer) when the text goes on agreeing after it;
3. otherwise *resynchronise*: find the next unit that occurs, exactly, a little further on in
   the other text (its anchor), and diff characters only between here and there — one or a
   few units, with :class:`difflib.SequenceMatcher`, as before, so a difference is still
   shown to the character.

Each step moves forward, and the searches are bounded by the length of the units they skip,
so a faithful edition costs one pass, and each difference costs about the units around it.
After :data:`MAX_DIFFERENCES` differences the rest is one last difference: an edition that
differs everywhere (another document) is not worth a thousand lines.
"""

from __future__ import annotations

import bisect
import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass

#: The next units tried as anchors after a difference.
LOOKAHEAD = 40
#: A unit shorter than this is an anchor only when no longer one follows in the lookahead
#: (a heading "Results" may also occur inside a paragraph).
MIN_ANCHOR = 12
#: Characters searched beyond the skipped units' length when looking for an anchor.
SLACK = 4096
#: Regions larger than this (the product of their two lengths: SequenceMatcher's cost grows
#: with it) are reported as one difference instead of being diffed by characters.
MAX_DIFF_REGION = 20_000_000
MAX_DIFFERENCES = 200
#: The longest run of added characters skipped at once: a PDF page's list markers all
#: together (WeasyPrint draws them after the page's text: "1.2.(1)(2)A)B)iv.v.••").
ADDED_RUN = 64


@dataclass(frozen=True, slots=True)
class Difference:
    """``expected[i1:i2]`` stands where the other text has ``actual[j1:j2]`` (one of the two
    may be empty), as :meth:`difflib.SequenceMatcher.get_opcodes` gives it."""

    op: str  # "replace", "delete" or "insert"
    i1: int
    i2: int
    j1: int
    j2: int


def common_prefix(a: str, i: int, b: str, j: int) -> int:
    """How many characters ``a[i:]`` and ``b[j:]`` share at their start (blocks compared at a
    time, halved where they differ)."""
    n, step = 0, 1024
    while step:
        chunk = a[i + n : i + n + step]
        if chunk and chunk == b[j + n : j + n + len(chunk)]:
            n += len(chunk)
        else:
            step //= 2
    return n


def align(units: Sequence[str], actual: str, addable: re.Pattern[str] | None = None) -> list[Difference]:
    """The differences between ``"".join(units)`` and ``actual``, in order.

    ``addable`` matches what ``actual`` may hold that the units do not (e.g. ``[0-9.•]+``):
    such an insertion is skipped when the text goes on agreeing after it, and an ``insert``
    that consists only of it is left out of the result."""
    return _Aligner(units, actual, addable).run()


def matching_blocks(
    units: Sequence[str],
    actual: str,
    addable: re.Pattern[str] | None = None,
    min_diffed: int = 1,
    limit: int = MAX_DIFFERENCES,
) -> list[tuple[int, int, int]]:
    """Where the texts of :func:`align` agree: ``(i, j, n)`` for each stretch where
    ``"".join(units)[i:i + n] == actual[j:j + n]``, in order (what
    :meth:`difflib.SequenceMatcher.get_matching_blocks` gives, without its sentinel). What
    ``actual`` adds (``addable``, skipped) and the differences lie between them.

    Inside a difference, characters are paired by diffing, which pairs letters of unrelated
    texts too (a footnote's and the paragraph's after it): a stretch found there counts only
    when it is at least ``min_diffed`` characters long. After ``limit`` differences the rest
    is left unpaired."""
    aligner = _Aligner(units, actual, addable, limit)
    aligner.run()
    return [(i, j, n) for i, j, n, diffed in aligner.matched if n >= min_diffed or not diffed]


class _Aligner:
    def __init__(
        self, units: Sequence[str], actual: str, addable: re.Pattern[str] | None, limit: int = MAX_DIFFERENCES
    ):
        self.units, self.actual, self.addable, self.limit = units, actual, addable, limit
        self.expected = "".join(units)
        self.starts: list[int] = []
        position = 0
        for unit in units:
            self.starts.append(position)
            position += len(unit)
        self.out: list[Difference] = []
        #: The stretches where the texts agree (i, j, n, found by diffing characters), in
        #: order (see :func:`matching_blocks`).
        self.matched: list[tuple[int, int, int, bool]] = []

    def run(self) -> list[Difference]:
        expected, actual = self.expected, self.actual
        i = j = 0
        while True:
            i, j = self.agree(i, j, record=True)
            if i == len(expected) or j == len(actual) or len(self.out) >= self.limit:
                self.add(i, len(expected), j, len(actual))
                return self.out
            anchor = self.anchor(i, j)
            if anchor is None:
                self.add(i, len(expected), j, len(actual))
                return self.out
            self.diff_region(i, anchor[0], j, anchor[1])
            i, j = anchor

    def agree(self, i: int, j: int, need: int | None = None, record: bool = False) -> tuple[int, int]:
        """Where the texts stop agreeing after (i, j), what ``actual`` may add skipped (or
        once ``need`` characters of the expected text agree); ``record``: the stretches that
        agree are kept in :attr:`matched`."""
        expected, actual = self.expected, self.actual
        stop = len(expected) if need is None else min(len(expected), i + need)
        while True:
            step = min(common_prefix(expected, i, actual, j), stop - i)
            if record and step > 0:
                self.matched.append((i, j, step, False))
            i, j = i + step, j + step
            if i >= stop or self.addable is None:
                return i, j
            skip = self.skip_addable(i, j)
            if not skip:
                return i, j
            j += skip

    def skip_addable(self, i: int, j: int) -> int:
        """How many characters of ``actual`` at ``j`` to skip as added, 0 if none helps: the
        length of an ``addable`` run (up to :data:`ADDED_RUN` characters) after which the texts
        agree longest."""
        assert self.addable is not None
        found = self.addable.match(self.actual, j, min(len(self.actual), j + ADDED_RUN))
        if found is None:
            return 0
        best, best_length = 0, 0
        for length in range(1, found.end() - j + 1):
            agree = common_prefix(self.expected, i, self.actual, j + length)
            if agree > best:
                best, best_length = agree, length
        return best_length

    def anchor(self, i: int, j: int) -> tuple[int, int] | None:
        """(offset in the expected text, offset in ``actual``) where the texts agree again
        after a difference at (i, j): a unit after ``i`` (the current one too when ``i`` is
        where it starts) found whole in ``actual`` after ``j`` and *confirmed* (the text goes
        on agreeing after it: a heading repeated in a table of contents is not where the
        heading is). Of those found within a window twice the length of the units looked
        ahead (plus :data:`SLACK`), the one that leaves the smallest region to diff; else
        the first long one anywhere. The end of both texts when the lookahead reaches the last
        unit and none is found."""
        units, starts = self.units, self.starts
        unit = bisect.bisect_right(starts, i) - 1
        first = unit if i == starts[unit] else unit + 1
        last = min(len(units), first + LOOKAHEAD)
        candidates = [k for k in range(first, last) if units[k]]
        long = [k for k in candidates if len(units[k]) >= MIN_ANCHOR]
        tried = long or candidates
        window = j + 2 * (starts[tried[-1]] - i) + SLACK + len(units[tried[-1]]) if tried else j
        best: tuple[int, int, int] | None = None  # (region size, k, offset in actual)
        for k in tried:
            if best is not None and starts[k] - i >= best[0]:
                break  # every later unit leaves a larger region
            at = self.find(k, j, window)
            if at >= 0 and (best is None or (starts[k] - i) + (at - j) < best[0]):
                best = ((starts[k] - i) + (at - j), k, at)
        if best is None and long:  # much was added here (a table of contents, a page's notes)
            at = self.find(long[0], j, len(self.actual))
            if at >= 0:
                best = (0, long[0], at)
        if best is None:
            if last == len(units):
                return len(self.expected), len(self.actual)
            return None
        return starts[best[1]], best[2]

    def find(self, k: int, j: int, end: int) -> int:
        """Where unit ``k`` stands whole in ``actual[j:end]`` with the text after it agreeing
        too (16 characters, or to the end); -1 if nowhere."""
        unit, start = self.units[k], self.starts[k]
        need = min(len(self.expected) - start, len(unit) + 16)
        at = self.actual.find(unit, j, end)
        for _ in range(8):
            if at < 0:
                return -1
            agreed, _ = self.agree(start, at, need)
            if agreed - start >= need:
                return at
            at = self.actual.find(unit, at + 1, end)
        return -1

    def diff_region(self, i1: int, i2: int, j1: int, j2: int) -> None:
        """The differences inside one region, to the character when it is not too large."""
        expected, actual = self.expected, self.actual
        if (i2 - i1) * (j2 - j1) > MAX_DIFF_REGION:
            inside = actual.find(expected[i1:i2], j1, j2) if i2 > i1 else -1
            if inside >= 0:  # only added text around it
                self.matched.append((i1, inside, i2 - i1, False))
                self.add(i1, i1, j1, inside)
                self.add(i2, i2, inside + i2 - i1, j2)
            else:
                self.add(i1, i2, j1, j2)
            return
        matcher = difflib.SequenceMatcher(None, expected[i1:i2], actual[j1:j2], autojunk=False)
        for op, a1, a2, b1, b2 in matcher.get_opcodes():
            if op == "equal":
                self.matched.append((i1 + a1, j1 + b1, a2 - a1, True))
            else:
                self.add(i1 + a1, i1 + a2, j1 + b1, j1 + b2)

    def add(self, i1: int, i2: int, j1: int, j2: int) -> None:
        if i1 == i2 and j1 == j2:
            return
        if i1 == i2 and self.addable is not None and self.addable.fullmatch(self.actual, j1, j2):
            return
        op = "insert" if i1 == i2 else "delete" if j1 == j2 else "replace"
        self.out.append(Difference(op, i1, i2, j1, j2))
