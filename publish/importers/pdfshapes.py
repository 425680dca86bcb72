"""What the blocks of a structure tree are made of, apart from the walk
(:mod:`publish.importers.pdftagged`): a list's numbering from its labels, a definition list
from items without labels, a callout's kind from its colour, a note's number taken off its
text, the text of a block inside a cell, and a formula's or image's spacing from its box."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import Any

from publish.importers.pdfchars import Char
from publish.importers.pdfmd import Block, Run, cut_runs

HEADING = re.compile(r"^H([1-6])$")

#: Our default theme's callouts: the colour of the title → the kind (the colours of
#: templates/html/style.css); a PDF says nothing else of a callout's kind.
CALLOUT_COLOURS = {
    (0x09, 0x69, 0xDA): "callout-note",
    (0x1A, 0x7F, 0x37): "callout-tip",
    (0x82, 0x50, 0xDF): "callout-important",
    (0x9A, 0x67, 0x00): "callout-warning",
    (0xCF, 0x22, 0x2E): "callout-caution",
}
_BULLETS = "•◦▪▫‣⁃–—-*·●○■□"
_LABEL = re.compile(r"^\(?([0-9]{1,9}|[A-Za-z]{1,6})([.)])$")


def strip_number(runs: list[Run], number: int) -> list[Run]:
    text = "".join(r.text for r in runs)
    found = re.match(rf"^\s*{number}[.)]?\s*", text)
    if not found:
        return runs
    return cut_runs(runs, found.end())


def apart(char: Char, box: tuple[int, float, float, float, float], before: bool) -> bool:
    """Whether a glyph beside a drawn box (a formula, an image) stands a space away from it."""
    page, x0, top, x1, bottom = box
    if char.get("page_number") != page:
        return not char["text"].isspace()
    if (char["x0"] < x0 and char["top"] > top) if not before else (char["x1"] > x1 and char["bottom"] < bottom):
        return not char["text"].isspace()  # on the line after (before) it
    if not (top - 2 * float(char["size"]) < char["top"] < bottom + float(char["size"])):
        return False
    gap = x0 - float(char["x1"]) if before else float(char["x0"]) - x1
    return gap > 0.15 * float(char["size"]) and not char["text"].isspace()


def colour_kind(colour: Any) -> str | None:
    if not isinstance(colour, (tuple, list)) or len(colour) != 3:
        return None
    rgb = tuple(round(float(v) * 255) for v in colour)
    for known, kind in CALLOUT_COLOURS.items():
        if all(abs(a - b) <= 2 for a, b in zip(rgb, known, strict=True)):
            return kind
    return None


def definitions(items: list[list[Block]], terms: list[bool]) -> Block:
    """A definition list: each term (an item at the left) with the definitions after it."""
    out: list[list[Block]] = []
    for blocks, is_term in zip(items, terms, strict=True):
        if is_term:
            runs = [r for b in blocks for r in flat_runs(b)]
            out.append([Block("term", [Run(r.text, r.marks - {"strong"}, r.link, r.lang) for r in runs])])
        else:
            out[-1].append(Block("definition", children=blocks))
    return Block("deflist", items=out)


def flat_runs(block: Block) -> list[Run]:
    """The runs of a block and of the blocks inside it, paragraphs apart by a space."""
    runs = list(block.runs) + ([Run(block.text, frozenset({"code"}))] if block.kind == "code" else [])
    for row in block.rows:  # a table inside a cell: its cells' text
        for cell in row:
            runs += ([Run(" ")] if runs else []) + cell.runs
    for child in block.children + [b for item in block.items for b in item]:
        runs += ([Run(" ")] if runs else []) + flat_runs(child)
    return runs


def numbering(block: Block, labels: Sequence[str]) -> Block:
    """A list's kind, start, style and delimiter from its items' labels."""
    from publish import fancylists

    first = next((lbl for lbl in labels if lbl), "")
    if not first or first[0] in _BULLETS or first in ("\u2610", "\u2612"):
        return block
    found = _LABEL.match(first.replace(" ", ""))
    if not found:
        return block
    body, delim = found.groups()
    delim = "two-parens" if first.startswith("(") else "period" if delim == "." else "one-paren"
    block.ordered = True
    block.delim = delim
    if body.isdigit():
        block.style, block.start = "decimal", int(body)
        return block
    second = labels[1].strip("().") if len(labels) > 1 else ""
    value = fancylists.roman(body)
    roman_like = value is not None and (len(body) > 1 or second.lower() in ("ii", ""))
    if roman_like and value is not None and (body not in ("c", "C", "d", "D", "l", "L", "m", "M") or second):
        block.style = "lower-roman" if body.islower() else "upper-roman"
        block.start = value
    else:
        block.style = "lower-alpha" if body.islower() else "upper-alpha"
        block.start = ord(body[0].lower()) - 96
    return block


def descendants(el: Any) -> Iterator[Any]:
    for child in el.children:
        yield child
        yield from descendants(child)


def is_toc(walker: Any, el: Any) -> bool:
    """A table of contents: a heading, then a list whose every glyph is under a link."""
    kids = [c for c in el.children if c.type != "Artifact"]
    if len(kids) != 2 or not HEADING.match(kids[0].type) or kids[1].type not in ("L", "TOC"):
        return False
    leaves = list(walker.leaves(kids[1]))
    return bool(leaves) and all(under_link(walker, leaf_el, kids[1]) for _, _, leaf_el in leaves)


def under_link(walker: Any, leaf: Any, root: Any) -> bool:
    def visit(el: Any, linked: bool) -> bool | None:
        linked = linked or el.type in ("Link", "Lbl", "Reference")
        if el is leaf:
            return linked
        for child in el.children:
            found = visit(child, linked)
            if found is not None:
                return found
        return None

    return bool(visit(root, False))


def frame(walker: Any, chars: Sequence[Char]) -> tuple[float, float] | None:
    """The left and right of the filled box drawn behind some glyphs (a code block's)."""
    drawn = [c for c in chars if c["text"].strip()]
    if not drawn:
        return None
    first = drawn[0]
    for x0, top, x1, bottom in walker.pages.frames.get(first["page_number"], []):
        if x0 <= first["x0"] and first["x1"] <= x1 and top <= first["top"] and first["bottom"] <= bottom:
            return (x0, x1)
    return None
