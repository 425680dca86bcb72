"""The notes of a tagged PDF: our footnote areas (beside each page's content in the tree,
a note an element whose text opens with its number) and any ``Note`` element; a note's
line pieces gathered into its paragraphs. Read before the body, so that the walk knows
which raised numbers are calls (:meth:`publish.importers.pdftagged.Walker._calls`)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from publish.importers.pdfmd import Block
from publish.importers.pdfshapes import strip_number
from publish.importers.pdftagged import CONTAINERS, Walker

_NOTE_MARK = re.compile(r"^\s*(\d{1,4})[.)]?\s*")
_ENDS = re.compile(r"[.!?:;…。！？：；)\]”’»\"'」』）]\s*$")


def read_notes(walker: Walker, roots: Sequence[Any]) -> None:
    """The footnote areas of our PDFs (a root element beside the pages' content whose
    every child opens with a number) and any ``Note`` elements."""
    for el in roots:
        if el.type == "Note":
            walker.notes_read.add(id(el))
            _note(walker, el)
        elif el.type == "NonStruct" and el.children and all(_opens_with_number(walker, c) for c in el.children):
            walker.notes_read.add(id(el))
            for child in el.children:
                _note(walker, child)
        elif el.type not in ("Note",):
            read_notes(walker, [c for c in el.children if c.type in ("Note", "NonStruct", *CONTAINERS)])


def _opens_with_number(walker: Walker, el: Any) -> bool:
    text = "".join(c["text"] for leaf, _, _ in walker.leaves(el) for c in leaf)
    return bool(_NOTE_MARK.match(text)) and bool(re.match(r"^\s*\d", text))


def _note_paragraphs(walker: Walker, parts: list[Any]) -> list[list[Any]]:
    """A note's parts (a line's piece each, as WeasyPrint tags an inline box broken over
    lines) gathered into paragraphs: a part goes on with the one before unless that one
    ends a sentence short of the line's end and this one opens with a capital."""
    chars = {id(p): [c for leaf, _, _ in walker.leaves(p) for c in leaf if c["text"].strip()] for p in parts}
    pages = {c.get("page_number") for found in chars.values() for c in found}
    every = [c for (page, _), found in walker.pages.chars.items() if page in pages for c in found]
    right = max((float(c["x1"]) for c in every), default=0.0)  # the text block's right edge
    groups: list[list[Any]] = []
    for part in parts:
        mine, last = chars[id(part)], chars[id(groups[-1][-1])] if groups else []
        if groups and mine and last and walker.is_inline(part) and walker.is_inline(groups[-1][-1]):
            tail = "".join(c["text"] for c in last[-3:])
            full = float(last[-1]["x1"]) > right - 1.5 * float(last[-1]["size"])
            opens = mine[0]["text"][:1]
            if full or not _ENDS.search(tail) or not (opens.isalpha() and opens.isupper()):
                groups[-1].append(part)
                continue
        groups.append([part])
    return groups


def _note(walker: Walker, el: Any) -> None:
    text = "".join(c["text"] for leaf, _, _ in walker.leaves(el) for c in leaf)
    found = _NOTE_MARK.match(text)
    if not found or not text.strip()[:1].isdigit():
        return
    number = int(found.group(1))
    paras: list[Block] = []
    parts = [c for c in el.children if c.type != "Artifact"] if el.type != "Note" else [el]
    for group in _note_paragraphs(walker, parts):
        paras += walker.blocks(group) if not walker.is_inline(group[0]) else [Block("para", walker.runs(group))]
    marked = False
    for block in paras:  # the number opens the first text: it is not text
        if not marked and block.runs:
            block.runs = strip_number(block.runs, number)
            marked = True
    walker.found.notes[number] = [b for b in paras if b.kind != "para" or any(r.text.strip() for r in b.runs)]
