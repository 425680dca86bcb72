"""A PDF's text layer (read with poppler's ``pdftotext``) and its comparison with the model's text.

Without ``pdftotext`` every function here raises :class:`publish.errors.MissingToolError`:
the text cannot be checked, which is not a failure of the edition.
"""

from __future__ import annotations

import collections
import re
import shutil
import subprocess
import unicodedata
from collections.abc import Callable
from pathlib import Path

from publish import align, transforms
from publish import model as m
from publish import outline as ol
from publish import text as txt
from publish.errors import MissingToolError

#: Characters a PDF's text layer adds that are not text of the model: list markers and
#: note numbers (in the text and before each note).
_MARKERS = re.compile(r"[0-9.•◦▪‣\-–]+")
_PAGE_NUMBER = re.compile(r"^\d+\s*/\s*\d+$")


def page_texts(path: Path) -> list[str]:
    exe = shutil.which("pdftotext")
    if exe is None:
        raise MissingToolError("pdftotext is not installed (Debian package poppler-utils)")
    result = subprocess.run([exe, "-raw", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True)
    return result.stdout.decode("utf-8").split("\f")


#: The hyphen WeasyPrint adds where ``hyphens: auto`` breaks a word (U+2010, where the
#: text's own hyphens are U+002D).
_SOFT_BREAK = "\u2010"


def joined_text(path: Path, title: str | None = None) -> str:
    """The text layer with words that hyphenation broke at a line end joined again; with the
    running ``title``, the page furniture is taken away first, so that a word broken across
    two pages is joined too."""
    pages = page_texts(path) if title is None else ["\n".join(lines) for lines in page_lines(path, title)]
    return "\n".join(pages).replace(_SOFT_BREAK + "\n", "")


def page_lines(path: Path, title: str) -> list[list[str]]:
    """Each page's lines without the page furniture. The furniture (the margin boxes: the
    running title, then "n / N") comes last in a page's text; only there is it taken away,
    so a paragraph that happens to read like the title stays."""
    pages = []
    for index, page in enumerate(page_texts(path)):
        lines = [txt.squash(line) for line in page.splitlines()]
        while lines and not lines[-1]:
            lines.pop()
        if lines and _PAGE_NUMBER.match(lines[-1]):
            lines.pop()
            if index > 0 and lines and _same_text(lines[-1], title):
                lines.pop()
        pages.append(lines)
    return pages


def body_stream(path: Path, title: str) -> str:
    """The text layer without page furniture and without the hyphens added by hyphenation at
    line ends, whitespace removed."""
    return compact("".join(line.removesuffix(_SOFT_BREAK) for lines in page_lines(path, title) for line in lines))


#: Directional formatting characters poppler adds around right-to-left text.
_BIDI_CONTROLS = dict.fromkeys(map(ord, "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))


def _same_text(a: str, b: str) -> bool:
    """Equal as text of a PDF: without whitespace; with right-to-left text, the same
    left-to-right letters in order and the same other characters in any order."""
    a, b = compact(a), compact(b)
    if not has_rtl(a + b):
        return a == b
    return ltr_letters(a) == ltr_letters(b) and sorted(a.translate(_MIRRORED)) == sorted(b.translate(_MIRRORED))


def compact(text: str) -> str:
    """Text as a PDF's text layer is compared: NFKC, no whitespace, no bidi controls."""
    return "".join(unicodedata.normalize("NFKC", text).translate(_BIDI_CONTROLS).split())


def cut_toc(stream: str, label: str, headings: list[str], numbers: bool = True) -> tuple[str, list[str]]:
    """Remove the table of contents (its label, then every heading with leaders and a page
    number) from the stream; a problem when it is not there, in that order."""
    after = r"[.\u2026·]*(\d+)" if numbers else ""
    pattern = re.escape(compact(label)) + "".join(re.escape(compact(h)) + after for h in headings)
    found = re.search(pattern, stream)
    if found is None:
        return stream, ["the table of contents is missing or does not list every heading with its page"]
    return stream[: found.start()] + stream[found.end() :], []


def cut_notes(
    stream: str, notes: list[tuple[int, str, int]], key: Callable[[str], str] = lambda text: text
) -> tuple[str, list[str]]:
    """Remove each footnote (its marker "n." and its text) from the stream. A note is
    ``(number, text, start)``: it stands at the foot of the page that refers to it, so after
    the text before its reference (``start`` characters of the body: a lower bound, since the
    stream holds the body in order plus markers) and after the previous note."""
    problems: list[str] = []
    position = 0
    for number, text, start in notes:
        marker = key(f"{number}.")
        index = stream.find(marker + text, max(position, start))
        if index < 0:
            problems.append(f"footnote {number} is missing from the foot of its page: {text[:60]!r}")
            continue
        stream = stream[:index] + stream[index + len(marker) + len(text) :]
        position = index
    return stream, problems


_REFERENCE = "\ue000"


def _reference_positions(doc: m.Document, key: Callable[[str], str]) -> list[int]:
    """For each note, in number order: how many characters of the body (compacted, through
    ``key``) come before its reference."""
    marked = transforms.rewrite(doc, lambda node: m.Text(_REFERENCE) if isinstance(node, m.Note) else node)
    body = tuple(item for item in ol.outline_of(marked) if item.kind != "note")
    stream = key(compact(ol.text_stream(body)))
    positions: list[int] = []
    for index, char in enumerate(stream):
        if char == _REFERENCE:
            positions.append(index - len(positions))
    return positions


_RTL = ("R", "AL")
#: What a PDF's text layer adds to the text: list markers, note numbers, leaders, page numbers.
_MARKER_CHARS = set("0123456789.•◦▪‣-–")
#: Brackets a right-to-left context draws mirrored (and a text layer reports mirrored).
_MIRRORED = str.maketrans(")]}>»›", "([{<«‹")


def has_rtl(text: str) -> bool:
    return any(unicodedata.bidirectional(c) in _RTL for c in text)


def ltr_letters(text: str) -> str:
    """Only the strong left-to-right characters (Latin, Greek, Cyrillic, CJK letters...)."""
    return "".join(c for c in text if unicodedata.bidirectional(c) == "L")


def compare_text(
    doc: m.Document,
    expected: ol.Outline,
    path: Path,
    toc: tuple[str, list[str]] | None = None,
    title_block: str | None = None,
) -> list[str]:
    """The text layer against the model's text: the title block, the table of contents, the
    body and the footnotes at the foot of their pages. ``toc`` is (label, heading texts) when
    the edition has a table of contents; ``title_block`` the text the title block shows (it
    opens the first page).

    Text with right-to-left letters is laid out by the bidi algorithm, and a PDF's text layer
    keeps it in visual order: the words of a Hebrew or Arabic run, and the digits and
    punctuation next to them, change places. For such a document the order is checked on the
    left-to-right letters, and every other character is checked as a multiset."""
    problems: list[str] = []
    body = tuple(item for item in expected if item.kind != "note")
    note_texts = [(item.level, compact(ol.text_stream(item.children))) for item in expected if item.kind == "note"]
    want = compact(ol.text_stream(body))
    got = body_stream(path, doc.meta.title)
    shown = [title_block or "", want, *(t for _, t in note_texts)]
    if toc is not None:
        shown += [toc[0], *toc[1]]
    key: Callable[[str], str] = lambda text: text  # noqa: E731
    if has_rtl("".join(shown)):
        key = ltr_letters
        want_rest = collections.Counter(
            c for c in compact("".join(shown)).translate(_MIRRORED) if unicodedata.bidirectional(c) != "L"
        )
        got_rest = collections.Counter(c for c in got.translate(_MIRRORED) if unicodedata.bidirectional(c) != "L")
        missing = want_rest - got_rest
        extra = {c for c in got_rest - want_rest if c not in _MARKER_CHARS}
        if missing or extra:
            problems.append(
                "letters, digits or punctuation around right-to-left text differ: "
                f"missing {''.join(sorted(missing.elements()))!r}, extra {''.join(sorted(extra))!r}"
            )
    got = key(got)
    if title_block is not None:
        block = key(compact(title_block))
        if got.startswith(block):
            got = got[len(block) :]
        else:
            problems.append(f"the first page does not open with the title block {title_block.strip()[:80]!r}")
    if toc is not None:
        got, found = cut_toc(got, key(toc[0]), [key(h) for h in toc[1]], numbers=key is not ltr_letters)
        problems += found
    starts = _reference_positions(doc, key)
    got, found = cut_notes(
        got, [(number, key(text), start) for (number, text), start in zip(note_texts, starts, strict=False)], key
    )
    problems += found
    # Unit by unit (publish.align), in time linear in the length; list markers and note
    # numbers are what the text layer adds.
    units = [key(compact(unit)) for unit in ol.text_units(body)]
    want = "".join(units)
    for difference in align.align(units, got, _MARKERS):
        i1, i2, j1, j2 = difference.i1, difference.i2, difference.j1, difference.j2
        missing_text, extra_text = want[i1:i2], got[j1:j2]
        context = want[max(0, i1 - 30) : i1]
        problems.append(
            f"text differs after …{context!r}: model has {missing_text[:80]!r}, PDF has {extra_text[:80]!r}"
        )
    return problems
