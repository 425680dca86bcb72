"""Math read back: what each edition keeps of a formula, against the model.

- HTML and EPUB: the TeX of every ``<annotation encoding="application/x-tex">`` (pandoc's
  form of MathML) against the model's formulas; the text a formula shows
  (:func:`publish.mathtex.math_text`) is part of its paragraph's text in the outline.
- DOCX: a Word equation's text (its ``m:t`` runs, through :func:`publish.mathtex.visible`)
  stands for the formula in its paragraph, against the same text of the model's MathML.
- PDF: a formula is drawn (ziamath's outlines), so it has no text layer: its text is left
  out of the PDF's expected text (:func:`undrawn`, the allowance declared in
  :data:`publish.outline.ALLOWANCES`), and the TeX is compared instead with the ``/Alt`` of
  the ``/Figure`` tags (``pdf-tags``).
"""

from __future__ import annotations

import collections
from collections.abc import Iterable

from lxml import etree

from publish import mathtex, transforms, walk
from publish import model as m
from publish import text as txt


def model_tex(doc: m.Document) -> list[str]:
    """The TeX of every formula of the document (its notes' included)."""
    return [n.tex for n in walk.walk(doc.blocks) if isinstance(n, m.Math)]


def tex_annotations(roots: Iterable[etree._Element]) -> list[str]:
    """The TeX annotations of every ``<math>`` in some pages."""
    return [
        el.text or ""
        for root in roots
        for el in root.iter()
        if isinstance(el.tag, str)
        and etree.QName(el).localname == "annotation"
        and el.get("encoding") == mathtex.TEX_ENCODING
    ]


def tex_problems(doc: m.Document, found: Iterable[str], where: str) -> list[str]:
    """The formulas of the model against those found (as TeX), in words."""
    want = collections.Counter(txt.squash(t) for t in model_tex(doc))
    got = collections.Counter(txt.squash(t) for t in found)
    if want == got:
        return []
    missing = sorted((want - got).elements())
    extra = sorted((got - want).elements())
    return [f"math differs in the {where}: missing {missing}, not in the model {extra}"]


def undrawn(doc: m.Document, mark: str = "") -> m.Document:
    """The document as a PDF's text layer has it: a formula's text left out (it is drawn;
    ``mark`` stands where it was), a numbered equation's number kept."""

    def fn(node: walk.Node) -> walk.Node:
        if isinstance(node, m.Math):
            return m.Text(mark + (f" ({node.number})" if node.number else ""))
        return node

    return transforms.rewrite(doc, fn)
