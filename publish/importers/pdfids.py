"""Ids back from a PDF's named destinations: where an internal link can go.

A named destination (``/Dests``) is a name and a place on a page. The block that starts
right below it is what it names: a heading gets ``{#name}`` when a link of the document
goes there; a figure, a table or an equation named as our cross-references name them
(``fig-``, ``tbl-``, ``eq-``), whose caption opens with its label ("Figure 2: ", "Table 1: ")
or whose formula is followed by its number ("(3)"), gets its id and loses the label, which
our reader gives back from the id — so that the figures, tables and equations are numbered,
and the links reach them, as in the PDF.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from publish.importers.pdfmd import Block, Run, cut_runs, every

#: What opens a caption with its label: a word, a number, a colon ("Figure 2: ", "表 1：").
_LABEL = re.compile(r"^\s*\S+\s*[0-9]+(?:\.[0-9]+)*\s*[:：.]\s*")
_NUMBER = re.compile(r"^\s*\(([0-9]+(?:\.[0-9]+)*)\)\s*$")


def destinations(path: Path) -> list[tuple[str, int, float]]:
    """(name, page, distance from the page's top) of every named destination."""
    import pikepdf

    found: list[tuple[str, int, float]] = []
    with pikepdf.open(path) as pdf:
        names: Any = pdf.Root.get("/Names")
        tree: Any = names.get("/Dests") if names is not None else None
        if tree is None:
            return found
        pages: dict[Any, tuple[int, float]] = {
            page.objgen: (number, float(page.mediabox[3])) for number, page in enumerate(pdf.pages, 1)
        }
        entry: Any
        for name, entry in pikepdf.NameTree(tree).items():
            dest: Any = entry
            if isinstance(dest, pikepdf.Dictionary):
                dest = dest.get("/D")
            if not isinstance(dest, pikepdf.Array) or len(dest) < 4:
                continue
            first: Any = dest[0]
            page = pages.get(first.objgen) if isinstance(first, pikepdf.Dictionary) else None
            if page is None or str(dest[1]) != "/XYZ":
                continue
            try:
                top = page[1] - float(dest[3])
            except (TypeError, ValueError):
                continue
            found.append((str(name), page[0], top))
    return found


def assign(blocks: list[Block], dests: list[tuple[str, int, float]], targets: set[str]) -> None:
    """Each destination's name to the first block that starts below it on its page."""
    placed = [b for b in every(blocks) if b.pos is not None]
    for name, page, top in dests:
        below = [b for b in placed if b.pos is not None and b.pos[0] == page and b.pos[1] >= top - 2]
        if not below:
            continue
        block = min(below, key=lambda b: b.pos[1] if b.pos is not None else 0.0)
        if block.ident:
            continue
        _name(block, name, name in targets)


#: A name our dialect takes as an id (``{#name}``) and every edition carries (an EPUB's ids are
#: XML names without colons): a letter first, then letters, digits, ``-_.``.
_ID = re.compile(r"^[A-Za-z][\w.-]*$")
#: Our own names of entries, figures, tables, equations (a citation key may hold a colon).
_OWN = re.compile(r"^(ref|fig|tbl|eq)[-:][\w.:-]+$")


def _name(block: Block, name: str, linked: bool) -> None:
    if not (_ID.match(name) or _OWN.match(name)):
        return  # a destination named otherwise (TeX's "0:s2_layout") names nothing we can write
    if block.kind == "heading" and linked:
        block.ident = name
    elif block.kind in ("figure", "table") and name.startswith(("fig-", "tbl-", "fig:", "tbl:")):
        text = "".join(r.text for r in block.runs)
        found = _LABEL.match(text)
        if found:
            block.runs = cut_runs(block.runs, found.end())
            block.ident = name
            if block.kind == "figure" and block.alt.startswith(text[: found.end()]):
                block.alt = block.alt[found.end() :]
    elif block.kind == "para" and name.startswith("ref-"):  # an entry of a bibliography
        block.kind, block.ident = "entry", name
    elif block.kind == "para" and name.startswith(("eq-", "eq:")):
        runs = [r for r in block.runs if r.text.strip() or r.math]
        if len(runs) == 2 and runs[0].math and _NUMBER.match(runs[1].text):
            block.runs = [Run(runs[0].text, math=True, display=True)]
            block.ident = name


def bibliographies(blocks: list[Block]) -> list[Block]:
    """Entries of a bibliography next to each other (paragraphs named ``ref-…``) in one
    ``references`` block, as citeproc makes it."""
    out: list[Block] = []
    for block in blocks:
        block.children = bibliographies(block.children)
        block.items = [bibliographies(item) for item in block.items]
        if block.kind == "entry":
            if not (out and out[-1].kind == "references"):
                out.append(Block("references", ident="refs", pos=block.pos))
            out[-1].children.append(block)
        else:
            out.append(block)
    return out


def targets_of(links: list[Any]) -> set[str]:
    return {link.target[1:] for link in links if link.target.startswith("#")}
