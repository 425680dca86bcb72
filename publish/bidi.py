"""Bidirectional text (Unicode's bidi algorithm, UAX #9, the part one line of plain text needs).

Two users: the DOCX writer, which marks runs of right-to-left text (``w:rtl``) inside a
paragraph, and the PDF read-back, which gets a PDF's text layer in *visual* order (a PDF
draws glyphs left to right, a Hebrew word last letter first) and must read it in *logical*
order, the order the source was written in.

The algorithm here has no explicit embeddings or isolates (a text layer has none; their
characters are taken away first). Applied to a line in logical order it gives the visual
order; applied to the visual order it gives the logical order back for ordinary text (the
rules are symmetric but for where a number looks for the strong letter before it, see
:func:`readings`).
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Container, Iterable, Iterator, Sequence
from typing import TypeVar

T = TypeVar("T")

#: Bidi classes of the strong right-to-left characters (Hebrew; Arabic, Syriac, Thaana...).
RTL_CLASSES = frozenset({"R", "AL"})
#: Brackets the algorithm pairs (Bidi_Paired_Bracket), in both hands.
BRACKETS = frozenset("()[]{}⁅⁆⁽⁾₍₎〈〉❨❩❪❫❬❭❮❯❰❱❲❳❴❵⟦⟧⟨⟩⟪⟫⦃⦄⦅⦆〈〉《》「」『』【】〔〕〖〗〘〙〚〛")
#: Directional formatting characters: a text layer does not carry them.
CONTROLS = frozenset("\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def bidi_class(char: str) -> str:
    return unicodedata.bidirectional(char) or "L"


#: The blocks where every strong right-to-left character is (Hebrew to Arabic Extended-A, the
#: right-to-left mark, the presentation forms, the right-to-left blocks of plane 1):
#: ``tests/test_rtl.py`` checks them against every code point.
RTL_BLOCKS = re.compile("[\u0590-\u08ff\u200f\ufb1d-\ufdff\ufe70-\ufeff\U00010800-\U00010fff\U0001e800-\U0001efff]")


def has_rtl(text: str) -> bool:
    """Whether ``text`` holds a strong right-to-left character (looked for character by
    character only in text with a character of those blocks: a book's text is read in a
    hundredth of the time)."""
    return RTL_BLOCKS.search(text) is not None and any(bidi_class(c) in RTL_CLASSES for c in text)


def segments(text: str, rtl: bool) -> list[tuple[str, bool]]:
    """``text`` (part of a paragraph whose direction is right to left when ``rtl``) split into
    runs of one direction, each as (text, is right to left): a strong character has its own
    direction, a number the direction of the letters before it, any other character the
    direction of the strong characters on both sides of it when they agree, else the
    paragraph's."""
    if not rtl and not has_rtl(text):
        return [(text, False)] if text else []
    base = "R" if rtl else "L"
    dirs: list[str | None] = []
    previous = base
    for char in text:
        kind = bidi_class(char)
        if kind in RTL_CLASSES:
            previous = "R"
            dirs.append("R")
        elif kind == "AN":
            dirs.append("R")
        elif kind == "L":
            previous = "L"
            dirs.append("L")
        elif kind == "EN":
            dirs.append(previous)
        else:
            dirs.append(None)
    resolved: list[str] = []
    for index, found in enumerate(dirs):
        if found is not None:
            resolved.append(found)
            continue
        before = next((d for d in reversed(resolved) if d is not None), base)
        after = next((d for d in dirs[index + 1 :] if d is not None), base)
        resolved.append(before if before == after else base)
    out: list[tuple[str, bool]] = []
    for char, direction in zip(text, resolved, strict=True):
        if out and out[-1][1] == (direction == "R"):
            out[-1] = (out[-1][0] + char, out[-1][1])
        else:
            out.append((char, direction == "R"))
    return out


def _levels(types: list[str], rtl: bool, ahead: Container[int] = (), brackets: Iterable[int] = ()) -> list[int]:
    """Resolved embedding levels of one line (rules W1–W7, N1–N2, I1–I2). A number at an
    index in ``ahead`` looks for the strong letter that decides it after itself, not before;
    the brackets at ``brackets`` are of the direction opposite to the paragraph's (as rule N0
    makes a pair around text of that direction)."""
    n = len(types)
    sos = "R" if rtl else "L"
    t = list(types)
    looks_ahead = set()
    for i in range(n):  # W1: a mark takes the class of the character before it (and its side)
        if t[i] == "NSM":
            t[i] = t[i - 1] if i else sos
            if i and (i - 1 in ahead or i - 1 in looks_ahead):
                looks_ahead.add(i)

    def strong_near(i: int) -> str:
        steps = range(i + 1, n) if i in ahead or i in looks_ahead else range(i - 1, -1, -1)
        return next((t[j] for j in steps if t[j] in ("L", "R", "AL")), sos)

    for i in range(n):  # W2: a European number after Arabic letters is an Arabic number
        if t[i] == "EN" and strong_near(i) == "AL":
            t[i] = "AN"
    t = ["R" if x == "AL" else x for x in t]  # W3
    for i in range(1, n - 1):  # W4: one separator between two numbers of a kind
        if t[i] == "ES" and t[i - 1] == t[i + 1] == "EN":
            t[i] = "EN"
        elif t[i] == "CS" and t[i - 1] == t[i + 1] and t[i - 1] in ("EN", "AN"):
            t[i] = t[i - 1]
    for i in range(n):  # W5: terminators next to European numbers
        if t[i] == "ET":
            j = i
            while j < n and t[j] == "ET":
                j += 1
            if (i and t[i - 1] == "EN") or (j < n and t[j] == "EN"):
                for k in range(i, j):
                    t[k] = "EN"
    t = ["ON" if x in ("ES", "ET", "CS") else x for x in t]  # W6
    for i in range(n):  # W7: a European number after Latin letters is Latin
        if t[i] == "EN" and strong_near(i) == "L":
            t[i] = "L"
    for i in brackets:  # N0, as the caller says
        t[i] = "L" if rtl else "R"
    as_strong = ["R" if x in ("EN", "AN") else x for x in t]
    i = 0
    while i < n:  # N1, N2: neutrals between two of one direction take it, else the paragraph's
        if as_strong[i] not in ("L", "R"):
            j = i
            while j < n and as_strong[j] not in ("L", "R"):
                j += 1
            before = as_strong[i - 1] if i else sos
            after = as_strong[j] if j < n else sos
            for k in range(i, j):
                t[k] = before if before == after else sos
            i = j
        else:
            i += 1
    base = 1 if rtl else 0
    levels = []
    for x in t:  # I1, I2
        if base == 0:
            levels.append(1 if x == "R" else 2 if x in ("AN", "EN") else 0)
        else:
            levels.append(2 if x in ("L", "EN", "AN") else 1)
    return levels


def reorder(
    text: str | Sequence[str], rtl: bool, numbers_look_ahead: bool | Container[int] = False, brackets: bool = False
) -> str:
    """One line reordered by the bidi algorithm (rule L2) in a paragraph of direction ``rtl``:
    logical order to visual, or (for ordinary text) visual back to logical. ``text`` is a
    string or a sequence of units (the texts of the glyphs of a PDF: a ligature's letters stay
    together, in their order). Directional formatting characters are taken away first.
    ``numbers_look_ahead``: numbers (all, or those at these indices of the units left after
    the controls) take the direction of the strong letter after them rather than before them
    (for visual text, whose "before" is on the other side inside a right-to-left run).
    ``brackets``: the brackets go with text of the direction opposite to the paragraph's (rule
    N0 of the algorithm, for a pair around such text; the pairs of a visual line are not
    found by reading it)."""
    chars = [unit for unit in text if unit and unit not in CONTROLS]
    if not chars or (not rtl and not any(bidi_class(c[0]) in (*RTL_CLASSES, "AN") for c in chars)):
        return "".join(chars)
    ahead = range(len(chars)) if numbers_look_ahead is True else numbers_look_ahead or ()
    paired = [i for i, c in enumerate(chars) if c[0] in BRACKETS] if brackets else []
    levels = _levels([bidi_class(c[0]) for c in chars], rtl, ahead, paired)
    return "".join(_reversed_runs(chars, levels))


def _number_sides(units: list[str], rtl: bool, limit: int = 64) -> Iterator[set[int]]:
    """Which numbers look ahead for their letter, in each reading of a visual line: none, all,
    then each way of splitting the numbers between two strong letters of different directions
    (those nearer the one go with it), while there are no more than ``limit`` readings."""
    types = [bidi_class(unit[0]) for unit in units]
    strong = [i for i, kind in enumerate(types) if kind in ("L", "R", "AL")]
    sos = "R" if rtl else "L"
    choices: list[list[set[int]]] = []
    for left, right in itertools.pairwise([-1, *strong, len(units)]):
        before = ("R" if types[left] in RTL_CLASSES else "L") if left >= 0 else sos
        after = ("R" if types[right] in RTL_CLASSES else "L") if right < len(units) else sos
        # Runs of digits (with their marks). Digits that stand side by side only in the visual
        # line ("0:" of Latin text beside "31" of Arabic text) are runs of their own, so that
        # each may go its own way.
        groups: list[list[int]] = []
        for i in range(left + 1, right):
            if types[i] == "EN":
                if groups and groups[-1][-1] == i - 1:
                    groups[-1].append(i)
                else:
                    groups.append([i])
            elif types[i] == "NSM" and groups and groups[-1][-1] == i - 1:
                groups[-1].append(i)
        if groups and before != after:
            choices.append([{i for group in groups[cut:] for i in group} for cut in range(len(groups) + 1)])
    everything = {i for i, kind in enumerate(types) if kind == "EN"}
    yield set()
    yield everything
    count = 2
    for combination in itertools.product(*choices):
        ahead = set().union(*combination)
        if ahead and ahead != everything:
            count += 1
            if count > limit:
                return
            yield ahead


def readings(visual: str | Sequence[str], rtl: bool) -> Iterator[str]:
    """The logical orders one line of a text layer (in visual order) can stand for, the most
    likely first: the line reordered in a paragraph of direction ``rtl``, then of the other
    direction (a left-to-right code line or Latin span in a right-to-left document), each
    with its numbers going with the letters on either side of them and its brackets with the
    text inside or outside them. Which paragraph a line belongs to, which letters a number
    followed and which brackets pair, a text layer does not say: the caller picks the reading
    that is text of the document."""
    units = [unit for unit in visual if unit and unit not in CONTROLS]
    seen: set[str] = set()
    with_brackets = (False, True) if any(unit[0] in BRACKETS for unit in units) else (False,)
    for direction in (rtl, not rtl):
        for brackets in with_brackets:
            for ahead in _number_sides(units, direction):
                found = reorder(units, direction, ahead, brackets)
                if found not in seen:
                    seen.add(found)
                    yield found


def order(units: Sequence[str], rtl: bool) -> list[int]:
    """The indices of ``units`` (a PDF line's glyph texts, in visual order) in logical order:
    the permutation :func:`reorder` applies (rule L2 is its own inverse for ordinary text), for
    a caller that keeps more than the text of each unit (an importer: fonts and places)."""
    indices = [i for i, unit in enumerate(units) if unit and unit not in CONTROLS]
    if not indices or (not rtl and not any(bidi_class(units[i][0]) in (*RTL_CLASSES, "AN") for i in indices)):
        return indices
    levels = _levels([bidi_class(units[i][0]) for i in indices], rtl)
    return _reversed_runs(indices, levels)


def _reversed_runs(items: list[T], levels: list[int]) -> list[T]:
    """``items`` in visual order (UAX #9, rule L2): from the highest level down to 1, each run
    at that level or higher reversed."""
    items, levels = list(items), list(levels)
    for level in range(max(levels), 0, -1):
        i = 0
        while i < len(items):
            if levels[i] >= level:
                j = i
                while j < len(items) and levels[j] >= level:
                    j += 1
                items[i:j] = items[i:j][::-1]
                levels[i:j] = levels[i:j][::-1]
                i = j
            else:
                i += 1
    return items
