"""The page furniture of an untagged PDF taken away, and what stands apart from the body:
running heads and feet, page numbers, a table of contents, the footnotes at a page's foot
(see :mod:`publish.importers.pdfplain`)."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from publish.importers.pdfchars import body_size, marks_of, runs_of
from publish.importers.pdfmd import Block, Run, every

Line = dict[str, Any]
_NOTE = re.compile(r"^\s*(\d{1,3})[.)]?\s+")


def furniture(pages: list[dict[str, Any]], pdf: Any) -> None:
    """Running heads and feet (the same line, its numbers aside, at the same height on
    several pages) and page numbers (a bare number near the top or the foot) taken away."""

    def key(line: Line) -> tuple[str, int]:
        return (re.sub(r"\d+", "#", line["text"].strip()), round(line["top"] / 6))

    seen = Counter(key(line) for page in pages for line in {key(x): x for x in page["lines"] if x["text"]}.values())
    repeated = 2 if len(pages) >= 2 else 99
    for page in pages:
        height = page["height"]
        kept = []
        for line in page["lines"]:
            text = line["text"].strip()
            near_edge = line["top"] < 0.09 * height or line["top"] > 0.88 * height
            if text and seen[key(line)] >= repeated and near_edge:
                continue
            if near_edge and re.fullmatch(r"[-–—]?\s*\d{1,4}\s*[-–—]?|[ivxlc]{1,6}", text, re.I):
                continue
            kept.append(line)
        page["lines"] = kept


def bold(line: Line) -> bool:
    chars = [c for c in line.get("chars", []) if c["text"].strip()]
    return bool(chars) and all("strong" in marks_of(c, float(c["size"])) for c in chars)


def toc(pages: list[dict[str, Any]]) -> bool:
    """Lines ending in leaders and a page number, and the heading above them, taken away."""
    found = False
    for page in pages[:3]:
        lines = page["lines"]
        marked = [i for i, x in enumerate(lines) if x["text"] and re.search(r"(\.\s*){4,}\s*\d+\s*$", x["text"])]
        if len(marked) < 2:
            continue
        start, end = marked[0], marked[-1]
        if start > 0 and len(lines[start - 1]["text"]) < 40:
            start -= 1
        page["lines"] = lines[:start] + lines[end + 1 :]
        found = True
    return found


def notes(pages: list[dict[str, Any]], size: float) -> dict[int, list[Run]]:
    """The footnotes: small lines at a page's foot, the first opening with a number."""
    notes: dict[int, list[Run]] = {}
    for page in pages:
        lines = page["lines"]
        start = len(lines)
        while start > 0 and lines[start - 1]["text"] and body_size(lines[start - 1]["chars"]) < 0.92 * size:
            start -= 1
        while start < len(lines) and not _NOTE.match(lines[start]["text"]):
            start += 1
        if start == len(lines):
            continue
        current: list[Any] = []
        number = 0
        for line in lines[start:]:
            found = _NOTE.match(line["text"])
            if found:
                if current:
                    notes[number] = runs_of(current)
                number, current = int(found.group(1)), after(line.get("chars", []), found.end(), line["text"])
            else:
                current += line.get("chars", [])
        if current:
            notes[number] = runs_of(current)
        page["lines"] = lines[:start]
    return notes


def after(chars: list[Any], cut: int, text: str) -> list[Any]:
    """The glyphs of a line after its first ``cut`` characters of text (spaces not drawn)."""
    visible = len(text[:cut].replace(" ", ""))
    return [c for c in chars if c["text"].strip() or visible <= 0][visible:] if visible else chars


def captions(blocks: list[Block]) -> list[Block]:
    """A centred paragraph right above or below a table (with no caption yet) is its caption."""
    out: list[Block] = []
    for index, block in enumerate(blocks):
        after = blocks[index + 1] if index + 1 < len(blocks) else None
        if block.kind == "para" and block.centred and after is not None and after.kind == "table" and not after.runs:
            after.runs = block.runs
            continue
        if block.kind == "para" and block.centred and out and out[-1].kind == "table" and not out[-1].runs:
            out[-1].runs = block.runs
            continue
        out.append(block)
    return out


def all_lists(blocks: list[Block]) -> list[Block]:
    found: list[Block] = []
    for block in blocks:
        if block.kind == "list":
            found.append(block)
        found += all_lists(block.children)
        for item in block.items:
            found += all_lists(item)
    return found


#: What ends a note of pandoc's HTML: a link back to its call.
_BACK = ("\u21a9\ufe0e", "\u21a9")


def endnotes(blocks: list[Block]) -> tuple[list[Block], dict[int, list[Block]]]:
    """Notes set as pandoc's HTML sets them, at the end: a numbered list (after a rule) whose
    every item ends with a link back (↩); its items become the notes, and the raised numbers
    in the text that match, in order, their calls."""
    last = next((i for i in range(len(blocks) - 1, -1, -1) if blocks[i].kind == "list"), None)
    if last is None or not blocks[last].ordered or any(b.kind not in ("rule",) for b in blocks[last + 1 :]):
        return blocks, {}
    items = blocks[last].items
    if not items or not all(item and item[-1].runs and _ends_back(item[-1].runs) for item in items):
        return blocks, {}
    notes: dict[int, list[Block]] = {}
    for number, item in enumerate(items, blocks[last].start):
        item[-1].runs = _without_back(item[-1].runs)
        notes[number] = item
    body = blocks[:last]
    if body and body[-1].kind == "rule":
        body = body[:-1]
    waiting = sorted(notes)
    for block in every(body):
        runs: list[Run] = []
        for run in block.runs:
            text = run.text.strip()
            if waiting and "sup" in run.marks and text == str(waiting[0]):
                runs.append(Run("", note=waiting.pop(0)))
            else:
                runs.append(run)
        block.runs = runs
    return body, notes


def _ends_back(runs: list[Run]) -> bool:
    return "".join(r.text for r in runs).rstrip().endswith(_BACK)


def _without_back(runs: list[Run]) -> list[Run]:
    out = list(runs)
    while out and not out[-1].text.strip():
        out.pop()
    if out:
        text = out[-1].text.rstrip()
        for mark in _BACK:
            if text.endswith(mark):
                text = text[: -len(mark)].rstrip()
                break
        out[-1] = Run(text, out[-1].marks, out[-1].link, out[-1].lang)
    return out
