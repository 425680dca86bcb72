"""Lists of pandoc's Markdown in Word: an ordered list numbered otherwise than ``1.`` (its
own numbering definition: ``w:numFmt`` lowerLetter, upperRoman…, ``w:lvlText`` ``%1)`` or
``(%1)``, ``w:start``), and definition lists (paragraph styles "Definition Term" and
"Definition", pandoc's ``DefinitionTerm`` and ``Definition``)."""

from __future__ import annotations

import copy

from docx.enum.style import WD_STYLE_TYPE
from docx.oxml.ns import qn
from lxml import etree

from publish import model as m
from publish.writers.docx.state import State

#: A list style → Word's ``w:numFmt``.
NUM_FORMATS = {
    "decimal": "decimal",
    "lower-alpha": "lowerLetter",
    "upper-alpha": "upperLetter",
    "lower-roman": "lowerRoman",
    "upper-roman": "upperRoman",
}
#: A delimiter → Word's ``w:lvlText`` for the first level.
LEVEL_TEXTS = {"period": "%1.", "one-paren": "%1)", "two-parens": "(%1)"}
TERM_STYLE = "Definition Term"
DEFINITION_STYLE = "Definition"
#: A definition's blocks after its first: the look of "Definition" under another name, so that
#: a term's second definition (which opens with a "Definition" paragraph) and a definition's
#: second paragraph are told apart when the file is read back or imported.
DEFINITION_MORE_STYLE = "Definition Continued"


def fancy(node: m.OrderedList) -> bool:
    """Whether the list is numbered otherwise than ``1.``."""
    return (node.style, node.delim) != ("decimal", "period")


def numbering(s: State, style_name: str, node: m.OrderedList) -> str | None:
    """A numbering instance for the list: a copy of the list style's numbering definition
    with the list's format, level text and start. None when the style has no numbering."""
    num_id = s.styles[style_name].element.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:numId')}")
    if num_id is None:
        return None
    part = s.part.numbering_part.element
    abstract_id = part.num_having_numId(int(num_id.get(qn("w:val")))).abstractNumId.val
    source = next(a for a in part.iter(qn("w:abstractNum")) if a.get(qn("w:abstractNumId")) == str(abstract_id))
    ids = [int(a.get(qn("w:abstractNumId"))) for a in part.iter(qn("w:abstractNum"))]
    clone = copy.deepcopy(source)
    clone.set(qn("w:abstractNumId"), str(max(ids) + 1))
    for unique in ("nsid", "tmpl", "numStyleLink", "styleLink", "name"):
        for old in clone.findall(qn(f"w:{unique}")):
            clone.remove(old)
    level = clone.find(qn("w:lvl"))
    for name, value in (
        ("start", str(node.start)),
        ("numFmt", NUM_FORMATS.get(node.style, "decimal")),
        ("lvlText", LEVEL_TEXTS.get(node.delim, "%1.")),
    ):
        found = level.find(qn(f"w:{name}"))
        if found is None:
            found = etree.SubElement(level, qn(f"w:{name}"))
        found.set(qn("w:val"), value)
    _schema_order(level)
    part.findall(qn("w:abstractNum"))[-1].addnext(clone)
    num = part.add_num(max(ids) + 1)
    num.add_lvlOverride(ilvl=0).add_startOverride(node.start)
    return str(num.numId)


_LVL_ORDER: tuple[str, ...] = ("start", "numFmt", "lvlRestart", "pStyle", "isLgl", "suff", "lvlText", "lvlPicBulletId")
_LVL_ORDER += ("legacy", "lvlJc", "pPr", "rPr")


def _schema_order(level: etree._Element) -> None:
    """A ``w:lvl``'s children in the order the schema requires (CT_Lvl)."""
    children = sorted(level, key=lambda c: _LVL_ORDER.index(etree.QName(c).localname))
    for child in children:
        level.append(child)


def definition_styles(s: State) -> tuple[str, str, str]:
    """The paragraph styles of a definition list's terms, of its definitions' first blocks and
    of their other blocks."""
    s.styles.style(TERM_STYLE, WD_STYLE_TYPE.PARAGRAPH, "Normal")
    s.styles.style(DEFINITION_STYLE, WD_STYLE_TYPE.PARAGRAPH, "Normal")
    s.styles.style(DEFINITION_MORE_STYLE, WD_STYLE_TYPE.PARAGRAPH, DEFINITION_STYLE)
    return TERM_STYLE, DEFINITION_STYLE, DEFINITION_MORE_STYLE
