"""The labels of list items numbered otherwise than ``1.`` (``c)``, ``(iv)``, ``B.``) in a PDF.

WeasyPrint draws a list item's marker as a piece of its own, after the page's text (every
marker of a page together, in the order of the items), so a label is not where its item's
text is in the text layer. The text comparison (:mod:`publish.readback.pdftext`) lets a
label stand anywhere in a document that has such lists (:data:`ADDABLE`); here the labels
the PDF draws, piece by piece (:mod:`publish.readback.pdfpieces`), are compared in order
with those of the model."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from publish import outline as ol
from publish.readback import pdfpieces

#: A piece that is a label: a number, letters or a roman numeral with its delimiter (``1.``,
#: the ordinary label, is a marker like a bullet and not compared).
_LABEL = re.compile(r"^\s*(\(?(?:[A-Za-z]|[ivxlcdm]{2,8}|[IVXLCDM]{2,8})[.)]|\(?[0-9]{1,9}\)|\([0-9]{1,9}\))\s*$")
#: What the text layer may add besides the model's text: list markers (bullets, numbers and
#: these labels) and note numbers.
ADDABLE = re.compile(r"(?:\(?(?:[A-Za-z]|[ivxlcdmIVXLCDM]{2,8}|[0-9]{1,9})[.)]|[0-9.•◦▪‣\-–])+")


def expected(outline: Iterable[ol.Item]) -> list[str]:
    """Every label of the outline's lists numbered otherwise than ``1.``, in reading order."""
    found: list[str] = []
    for item in outline:
        if item.kind == "ordered-list" and item.text:
            style, delim = item.text.split()
            for number, entry in enumerate(item.children, item.level):
                found.append(ol.label_of(style, delim, number))
                found += expected(entry.children)
        elif item.kind != "note":
            found += expected(item.children)
    return found


def problems(outline: Iterable[ol.Item], path: Path, others: Iterable[str] = ()) -> list[str]:
    """``others``: what else the PDF draws in the form of a label, once each (the numbers
    of equations, "(2)"), left out of what it draws."""
    want = expected(outline)
    if not want:
        return []
    got = [
        "".join(piece).strip()
        for page in pdfpieces.page_pieces(path)
        for piece in page
        if _LABEL.match("".join(piece)) and "".join(piece).strip() not in ("", "1.")
    ]
    got = [label for label in got if not re.fullmatch(r"[0-9]+\.", label)]
    for other in others:
        if other in got:
            got.remove(other)
    if got == want:
        return []
    return [f"list labels differ: the model has {' '.join(want)!r}, the PDF draws {' '.join(got)!r}"]
