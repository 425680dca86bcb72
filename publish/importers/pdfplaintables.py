"""Tables of an untagged PDF, from the lines drawn: a grid of ruling lines (pdfplumber's
table finder), or the horizontal rules alone of a table set in the book style (a rule above,
one under the header, one below: the house style's, LaTeX's booktabs), whose columns are
found from the text between them."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from publish.importers.pdfmd import Block, Cell, Run


@dataclass
class Found:
    bbox: tuple[float, float, float, float]  # x0, top, x1, bottom
    rows: list[list[str | None]]
    head: int = 1


def find(page: Any) -> list[Found]:
    found = [
        Found(tuple(t.bbox), t.extract()) for t in page.find_tables() if len(t.rows) >= 2 and len(t.rows[0].cells) >= 2
    ]
    for x0, top, x1, bottom, rules in _booktabs(page):
        if any(
            f.bbox[0] <= x0 + 1 and f.bbox[1] <= top + 1 and f.bbox[2] >= x1 - 1 and f.bbox[3] >= bottom - 1
            for f in found
        ):
            continue
        crop = page.crop((max(0, x0 - 2), max(0, top - 2), min(page.width, x1 + 2), min(page.height, bottom + 2)))
        rows = _grid(crop)
        if len(rows) < 2 or len(rows[0]) < 2:
            continue
        head = _head(crop, rules, rows)
        found.append(Found((x0, top, x1, bottom), rows, head))
    return found


def _grid(crop: Any) -> list[list[str | None]]:
    """The rows of a table without vertical rules: its columns where no word stands (over
    every line), its rows its lines; a cell the words of its line in its column."""
    words = crop.extract_words()
    if not words:
        return []
    x0, x1 = int(min(w["x0"] for w in words)), int(max(w["x1"] for w in words)) + 1
    covered = [False] * (x1 - x0 + 1)
    for word in words:
        for x in range(int(word["x0"]) - x0, int(word["x1"]) - x0 + 1):
            covered[x] = True
    columns: list[tuple[float, float]] = []
    start: int | None = None
    for x, on in enumerate([*covered, False]):
        if on and start is None:
            start = x
        elif not on and start is not None:
            if columns and x0 + start - columns[-1][1] < 6:  # a gap narrower than a column's
                columns[-1] = (columns[-1][0], float(x0 + x))
            else:
                columns.append((float(x0 + start), float(x0 + x)))
            start = None
    lines: list[list[dict[str, Any]]] = []
    for word in sorted(words, key=lambda w: (round(float(w["top"])), float(w["x0"]))):
        if lines and abs(float(word["top"]) - float(lines[-1][0]["top"])) < 0.6 * (word["bottom"] - word["top"]):
            lines[-1].append(word)
        else:
            lines.append([word])
    rows: list[list[str | None]] = []
    for line in lines:
        cells = [
            " ".join(w["text"] for w in sorted(line, key=lambda w: w["x0"]) if a <= (w["x0"] + w["x1"]) / 2 <= b)
            for a, b in columns
        ]
        rows.append([cell for cell in cells])
    return [row for row in rows if any(row)]


def _head(crop: Any, rules: list[float], rows: list[list[str | None]]) -> int:
    """How many rows stand above the rule under the header (the second rule), if there are
    three rules or more; else one."""
    if len(rules) < 3:
        return 1
    words = crop.extract_words()
    above = {w["text"] for w in words if w["bottom"] < rules[1]}
    count = 0
    for row in rows:
        if any(cell and any(piece in above for piece in cell.split()) for cell in row):
            count += 1
        else:
            break
    return max(1, count)


def _booktabs(page: Any) -> list[tuple[float, float, float, float, list[float]]]:
    """(x0, top, x1, bottom, the rules' heights) of each set of two or more horizontal rules
    of one width, one above another, text between them."""
    segments = [
        (float(s["x0"]), float(s["x1"]), float(s["top"]))
        for s in list(page.lines) + list(page.rects)
        if abs(float(s["bottom"]) - float(s["top"])) <= 2 and float(s["x1"]) - float(s["x0"]) > 5
    ]
    by_height: dict[int, list[tuple[float, float]]] = defaultdict(list)
    for x0, x1, y in segments:
        by_height[round(y)].append((x0, x1))
    rules: dict[tuple[int, int], list[float]] = defaultdict(list)
    for y, parts in by_height.items():
        parts.sort()
        start, end = parts[0]
        for x0, x1 in [*parts[1:], (1e9, 1e9)]:
            if x0 <= end + 1:
                end = max(end, x1)
                continue
            rules[(round(start), round(end))].append(float(y))
            start, end = x0, x1
    out = []
    for (x0, x1), heights in rules.items():
        if len(heights) >= 2 and x1 - x0 < 0.95 * float(page.width):
            heights.sort()
            out.append((float(x0), heights[0], float(x1), heights[-1], heights))
    return out


def block(found: Found, pos: tuple[int, float, float]) -> Block:
    rows: list[list[Cell]] = []
    for row in found.rows:
        cells: list[Cell] = []
        for text in row:
            if text is None and cells:
                cells[-1].colspan += 1
            else:
                cells.append(Cell([Run(" ".join((text or "").split()))]))
        rows.append(cells)
    return Block("table", rows=rows, head=found.head, pos=(pos[0], found.bbox[1], found.bbox[3]))
