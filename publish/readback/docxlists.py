"""Word's numbering read back as text: the label of each item of a list numbered otherwise
than ``1.`` (``c)``, ``(iv)``, ``B.``), as :func:`publish.outline.flatten` writes it before
the item's first paragraph. Word computes the labels from the numbering definitions
(``w:numFmt``, ``w:lvlText``, ``w:start`` and a ``w:startOverride``), counting the paragraphs
of each numbering instance; so does this."""

from __future__ import annotations

from docx.oxml.ns import qn
from lxml import etree

from publish import fancylists

#: Word's ``w:numFmt`` → the list style (CSS's name).
STYLES = {
    "decimal": "decimal",
    "lowerLetter": "lower-alpha",
    "upperLetter": "upper-alpha",
    "lowerRoman": "lower-roman",
    "upperRoman": "upper-roman",
}


def _val(parent: etree._Element | None, name: str) -> str | None:
    found = parent.find(qn(f"w:{name}")) if parent is not None else None
    return str(found.get(qn("w:val"))) if found is not None else None


class Labels:
    def __init__(self, numbering: etree._Element | None):
        #: numId → (abstractNumId, {ilvl: start override})
        self.nums: dict[str, tuple[str, dict[str, int]]] = {}
        #: (abstractNumId, ilvl) → (numFmt, lvlText, start)
        self.levels: dict[tuple[str, str], tuple[str, str, int]] = {}
        self.counts: dict[tuple[str, str], int] = {}
        if numbering is None:
            return
        for abstract in numbering.iter(qn("w:abstractNum")):
            for lvl in abstract.iter(qn("w:lvl")):
                key = (str(abstract.get(qn("w:abstractNumId"))), str(lvl.get(qn("w:ilvl"))))
                start = int(_val(lvl, "start") or 1)
                self.levels[key] = (_val(lvl, "numFmt") or "decimal", _val(lvl, "lvlText") or "", start)
        for num in numbering.iter(qn("w:num")):
            overrides = {
                str(o.get(qn("w:ilvl"))): int(_val(o, "startOverride") or 1)
                for o in num.iter(qn("w:lvlOverride"))
                if o.find(qn("w:startOverride")) is not None
            }
            self.nums[str(num.get(qn("w:numId")))] = (_val(num, "abstractNumId") or "", overrides)

    def label(self, p: etree._Element) -> str:
        """The label Word shows before the paragraph, when its own numbering (``w:numPr``)
        is other than ``1.``; empty otherwise (bullets, ``1.`` lists, unnumbered text)."""
        num_pr = p.find(f"{qn('w:pPr')}/{qn('w:numPr')}")
        num_id, ilvl = _val(num_pr, "numId"), _val(num_pr, "ilvl") or "0"
        if num_id is None or num_id not in self.nums:
            return ""
        abstract, overrides = self.nums[num_id]
        fmt, text, start = self.levels.get((abstract, ilvl), ("bullet", "", 1))
        count = self.counts.get((num_id, ilvl))
        number = overrides.get(ilvl, start) if count is None else count + 1
        self.counts[(num_id, ilvl)] = number
        if fmt not in STYLES or (fmt, text) == ("decimal", "%1."):
            return ""
        return text.replace(f"%{int(ilvl) + 1}", fancylists.number_text(STYLES[fmt], number))
