"""Text set in columns, read in order: down the left column, then the right, with what runs
across the page (a title, a figure's caption) where it stands.

A gutter is a band of the page's middle, at least 8 pt wide, that hardly any word crosses,
with words on both sides of it at the same heights (two columns, not a ragged paragraph
or a short line). Lines are then taken from each side apart — pdfplumber's line finder
would join the lines of both columns that stand at one height — and a line that crosses the
gutter runs across both: it parts the page into bands, each read left column first.
"""

from __future__ import annotations

from typing import Any

Line = dict[str, Any]
_SETTINGS: dict[str, Any] = {"return_chars": True, "strip": True, "y_tolerance": 7}


def gutter(words: list[dict[str, Any]], width: float) -> tuple[float, float] | None:
    """The x range of the gutter between two columns, or None."""
    if len(words) < 20:
        return None
    low, high = int(0.3 * width), int(0.7 * width)
    cover = [0] * (high - low + 1)
    for word in words:
        for x in range(max(low, int(word["x0"])), min(high, int(word["x1"])) + 1):
            cover[x - low] += 1
    allowed = max(2, len(words) // 200)
    runs: list[tuple[int, int]] = []
    start = None
    for index, count in enumerate([*cover, allowed + 1]):
        if count <= allowed and start is None:
            start = index
        elif count > allowed and start is not None:
            if index - start >= 8:
                runs.append((low + start, low + index - 1))
            start = None
    for a, b in sorted(runs, key=lambda r: abs((r[0] + r[1]) / 2 - width / 2)):
        left = [w for w in words if w["x1"] <= a]
        right = [w for w in words if w["x0"] >= b]
        if len(left) < 8 or len(right) < 8:
            continue
        reach = 1.5 * max(float(w["bottom"]) - float(w["top"]) for w in words)  # about a line
        tops = sorted(float(w["top"]) for w in left)
        beside = sum(1 for w in right if any(abs(float(w["top"]) - t) < reach for t in tops))
        if beside >= 0.5 * len(right):
            return (float(a), float(b))
    return None


def lines(flow: Any) -> list[Line]:
    """The page's text lines in reading order, columns one after the other."""
    found = [x for x in flow.extract_text_lines(**_SETTINGS) if x["text"].strip()]
    cut = gutter(flow.extract_words(), float(flow.width))
    if cut is None:
        return found
    a, b = cut
    across = [x for x in found if any(a <= (c["x0"] + c["x1"]) / 2 <= b for c in x["chars"] if c["text"].strip())]
    middle = (a + b) / 2
    x0, top, x1, bottom = flow.bbox
    sides = []
    for box in ((x0, top, middle, bottom), (middle, top, x1, bottom)):
        sides.append([x for x in flow.crop(box).extract_text_lines(**_SETTINGS) if x["text"].strip()])
    # A side's line well above the other side's first line stands before the columns (a date
    # set to one side under the title): it is read with what runs across.
    sides = [[x for x in side if not _within(x, across)] for side in sides]
    firsts = [min((float(x["top"]) for x in side), default=0.0) for side in sides]
    for index, side in enumerate(sides):
        head = [x for x in side if float(x["top"]) < firsts[1 - index] - 2 * float(x["bottom"] - x["top"])]
        across += head
        sides[index] = [x for x in side if not any(x is h for h in head)]
    across.sort(key=lambda x: float(x["top"]))
    edges = [float(x["top"]) for x in across] + [float("inf")]
    for column, side in enumerate(sides):  # a column's own left edge: where its lines start
        starts = sorted(float(x["x0"]) for x in side)
        ends = sorted(float(x["x1"]) for x in side)
        for x in side:
            x["left"] = starts[len(starts) // 4] if starts else float(x["x0"])
            x["width"] = (ends[-1] if ends else float(x["x1"])) - x["left"]
            x["column"] = column
    out: list[Line] = []
    start = float("-inf")
    for index, edge in enumerate(edges):
        for side in sides:
            out += [x for x in side if start <= x["top"] < edge]
        if index < len(across):
            out.append(across[index])
            start = float(across[index]["bottom"])
    return out


def _within(line: Line, across: list[Line]) -> bool:
    """Whether a column's line is a piece of a line that runs across the gutter."""
    return any(abs(float(line["top"]) - float(x["top"])) < 2 for x in across)
