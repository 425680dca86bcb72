"""PDF → bookmarks and text layer, compared with the model (see ``ALLOWANCES['pdf']``)."""

from __future__ import annotations

import difflib
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pypdf

from publish import model as m
from publish import outline as ol
from publish import text as txt
from publish import transforms
from publish.errors import MissingToolError

#: Characters a PDF's text layer adds that are not text of the model: list markers and
#: note numbers (in the text and before each note).
_MARKERS = re.compile(r"^[0-9.•◦▪‣\-–]+$")
_PAGE_NUMBER = re.compile(r"^\d+\s*/\s*\d+$")


def bookmarks(path: Path) -> list[tuple[int, str]]:
    reader = pypdf.PdfReader(path)
    out: list[tuple[int, str]] = []

    def visit(items: list, level: int) -> None:  # type: ignore[type-arg]
        for item in items:
            if isinstance(item, list):
                visit(item, level + 1)
            else:
                out.append((level, txt.squash(str(item.title))))

    visit(reader.outline, 1)
    return out


def page_texts(path: Path) -> list[str]:
    exe = shutil.which("pdftotext")
    if exe is None:
        raise MissingToolError("pdftotext is not installed (Debian package poppler-utils)")
    result = subprocess.run([exe, "-raw", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True)
    return result.stdout.decode("utf-8").split("\f")


#: The hyphen WeasyPrint adds where ``hyphens: auto`` breaks a word (U+2010, where the
#: text's own hyphens are U+002D).
_SOFT_BREAK = "\u2010"


def joined_text(path: Path) -> str:
    """The text layer with words that hyphenation broke at a line end joined again."""
    return "\n".join(page_texts(path)).replace(_SOFT_BREAK + "\n", "")


def body_stream(path: Path, title: str) -> str:
    """The text layer without page furniture (running title, "n / N") and without the
    hyphens added by hyphenation at line ends, whitespace removed."""
    kept: list[str] = []
    running = txt.squash(title)
    for page in page_texts(path):
        for line in page.splitlines():
            line = txt.squash(line)
            if _PAGE_NUMBER.match(line) or line == running:
                continue
            kept.append(line.removesuffix(_SOFT_BREAK))
    return _compact("".join(kept))


def _compact(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def cut_toc(stream: str, label: str, headings: list[str]) -> tuple[str, list[str]]:
    """Remove the table of contents (its label, then every heading with leaders and a page
    number) from the stream; a problem when it is not there, in that order."""
    pattern = re.escape(_compact(label)) + "".join(re.escape(_compact(h)) + r"[.\u2026·]*(\d+)" for h in headings)
    found = re.search(pattern, stream)
    if found is None:
        return stream, ["the table of contents is missing or does not list every heading with its page"]
    return stream[: found.start()] + stream[found.end() :], []


def cut_notes(stream: str, notes: list[tuple[int, str]]) -> tuple[str, list[str]]:
    """Remove each footnote (its marker "n." and its text) from the stream; footnotes stand
    at the foot of their page, so each is looked for after the previous one."""
    problems: list[str] = []
    position = 0
    for number, text in notes:
        marker = f"{number}."
        index = stream.find(marker + text, position)
        if index < 0:
            problems.append(f"footnote {number} is missing from the foot of its page: {text[:60]!r}")
            continue
        stream = stream[:index] + stream[index + len(marker) + len(text) :]
        position = index
    return stream, problems


def bookmark_problems(doc: m.Document, path: Path) -> list[str]:
    """The PDF's bookmarks against the title and every heading, with their levels."""
    want_marks = [(1, txt.squash(doc.meta.title))] + [
        (n.level, txt.squash(txt.plain(n.content))) for n in transforms.walk(doc.blocks) if isinstance(n, m.Heading)
    ]
    got_marks = bookmarks(path)
    if got_marks == want_marks:
        return []
    a = [f"{lvl} {t}" for lvl, t in want_marks]
    b = [f"{lvl} {t}" for lvl, t in got_marks]
    return ["bookmarks differ:", *list(difflib.unified_diff(a, b, "model", path.name, lineterm="", n=1))]


def compare(doc: m.Document, expected: ol.Outline, path: Path, toc: tuple[str, list[str]] | None = None) -> list[str]:
    """``toc`` is (label, heading texts) when the edition has a table of contents."""
    problems = bookmark_problems(doc, path)
    body = tuple(item for item in expected if item.kind != "note")
    notes = [(item.level, _compact(ol.text_stream(item.children))) for item in expected if item.kind == "note"]
    want = _compact(ol.text_stream(body))
    got = body_stream(path, doc.meta.title)
    if toc is not None:
        got, found = cut_toc(got, toc[0], toc[1])
        problems += found
    got, found = cut_notes(got, notes)
    problems += found
    matcher = difflib.SequenceMatcher(None, want, got, autojunk=False)
    started = False
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            started = True
            continue
        if op == "insert" and (not started or _MARKERS.match(got[j1:j2])):
            continue  # the title block before the body; list markers and note numbers
        missing, extra = want[i1:i2], got[j1:j2]
        context = want[max(0, i1 - 30) : i1]
        problems.append(f"text differs after …{context!r}: model has {missing[:80]!r}, PDF has {extra[:80]!r}")
    return problems
