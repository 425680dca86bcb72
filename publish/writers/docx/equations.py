"""Math as native Word equations (OMML): ``m:oMath`` in the text, ``m:oMathPara`` alone in its
paragraph for display math (pandoc's form), a numbered equation on a line of tab stops (the
formula centred, its number "(n)" at the right margin) with a bookmark named by its id.

The OMML is mathml2omml's from the formula's MathML (:mod:`publish.mathtex`), repaired where
it is wrong: a square root gets its hidden degree (``m:deg`` is required; without it
LibreOffice draws empty boxes and pandoc drops the root), the italic style it sets on every
letter goes (italic is OMML's default for letters; pandoc would read ``\\mathit``), its
unclosed ``m:groupChrPr`` is closed, spaces (``\\quad``, ``\\,``), which it drops, are runs of
space characters as pandoc writes them, accents (``\\hat``, ``\\vec``, ``\\bar``…) become
``m:acc`` as Word writes them, and ``\\binom`` a fraction without a bar.
"""

from __future__ import annotations

import functools
import re

import mathml2omml
from docx.oxml.ns import qn
from lxml import etree

from publish import mathtex
from publish import model as m
from publish.writers.docx import inlines
from publish.writers.docx.state import RunStyle, State

M_NS = "http://schemas.openxmlformats.org/officeDocument/2006/math"
_M = f"{{{M_NS}}}"
#: mathml2omml leaves its group character's properties unclosed.
_UNCLOSED = re.compile(r"(<m:groupChrPr>(?:(?!</m:groupChrPr>).)*?<m:pos m:val=\"\w+\"/>)</m:groupChr>")
#: Accents as drawn above a letter → the combining character Word's ``m:acc`` takes.
ACCENTS = {
    "^": "\u0302",
    "ˆ": "\u0302",
    "→": "\u20d7",
    "¯": "\u0305",
    "‾": "\u0305",
    "~": "\u0303",
    "˜": "\u0303",
    "˙": "\u0307",
    "¨": "\u0308",
    "ˇ": "\u030c",
    "´": "\u0301",
    "`": "\u0300",
    "˘": "\u0306",
}


def _m(name: str) -> str:
    return _M + name


@functools.lru_cache(maxsize=4096)
def _omml(tex: str, display: bool) -> bytes:
    converted = mathtex.convert(tex, display)
    mathml = etree.fromstring(converted.presentation)
    unbarred = [
        el.get("linethickness") in ("0", "0pt", "0em")
        for el in mathml.iter()
        if isinstance(el.tag, str) and etree.QName(el).localname == "mfrac"
    ]
    for space in list(mathml.iter(f"{{{mathtex.MATHML_NS}}}mspace")):  # mathml2omml drops them
        space.tag = f"{{{mathtex.MATHML_NS}}}mi"  # a run of spaces, as pandoc writes \quad
        space.text = _spaces(space.get("width", ""))
    raw = _UNCLOSED.sub(r"\1</m:groupChrPr>", mathml2omml.convert(etree.tostring(mathml, encoding="unicode")))
    root = etree.fromstring(f'<r xmlns:m="{M_NS}">{raw}</r>'.encode())
    omath = root[0]
    _repair(omath, unbarred, bool(re.search(r"\\begin\{align", tex)))
    return etree.tostring(omath)


def _spaces(width: str) -> str:
    """A space of ``width`` (``1em``, ``0.167em``…) in space characters: em spaces for a
    quad or more, else a four-per-em space or a thin one."""
    found = re.fullmatch(r"\s*([\d.]+)\s*em\s*", width)
    ems = float(found.group(1)) if found else 0.0
    if ems >= 0.75:
        return "\u2003" * max(1, round(ems))
    return "\u2005" if ems >= 0.25 else "\u2009" if ems > 0 else ""


#: Operators whose subscript Word sets under them (``m:limLow``), as pandoc writes them.
_LIMITS = {"lim", "max", "min", "sup", "inf", "det", "Pr", "gcd", "arg max", "arg min", "argmax", "argmin"}


def _repair(omath: etree._Element, unbarred: list[bool], aligned: bool) -> None:
    for box in list(omath.iter(_m("box"))):  # mathml2omml wraps everything; LibreOffice draws it badly
        _unwrap(box)
    for text in list(omath.iter(_m("t"))):
        run = text.getparent()
        holder = run.getparent() if run is not None else None
        if not text.text and run is not None and run.tag == _m("r") and holder is not None:
            holder.remove(run)  # mathml2omml's run for an empty <mi/>
        elif run is not None and not (text.text or "x").strip() and (props := run.find(_m("rPr"))) is not None:
            run.remove(props)  # a space (\quad): a plain run, as pandoc writes it
    for sub in list(omath.iter(_m("sSub"))):
        base, script = sub.find(_m("e")), sub.find(_m("sub"))
        texts = [t.text or "" for t in sub.iterfind(f"{_m('e')}/{_m('r')}/{_m('t')}")]
        named = len(texts) == 1 and texts[0].replace("\u2009", " ").strip() in _LIMITS
        if base is not None and script is not None and len(base) == 1 and named:
            sub.tag = _m("limLow")
            script.tag = _m("lim")
    if aligned:
        for matrix in list(omath.iter(_m("m"))):
            _equation_array(matrix)
    for sty in list(omath.iter(_m("sty"))):
        if sty.get(_m("val")) == "i":
            rpr = sty.getparent()
            assert rpr is not None
            rpr.remove(sty)
            if len(rpr) == 0 and rpr.getparent() is not None:
                rpr.getparent().remove(rpr)  # type: ignore[union-attr]
    for rad in omath.iter(_m("rad")):
        if rad.find(_m("deg")) is None:
            props = etree.Element(_m("radPr"))
            etree.SubElement(props, _m("degHide"), {_m("val"): "on"})
            rad.insert(0, props)
            rad.insert(1, etree.Element(_m("deg")))
    for fraction, no_bar in zip(list(omath.iter(_m("f"))), unbarred, strict=False):
        if no_bar:
            props = etree.Element(_m("fPr"))
            etree.SubElement(props, _m("type"), {_m("val"): "noBar"})
            fraction.insert(0, props)
    for group in list(omath.iter(_m("groupChr"))):
        chr_ = group.find(f"{_m('groupChrPr')}/{_m('chr')}")
        pos = group.find(f"{_m('groupChrPr')}/{_m('pos')}")
        top = pos is None or pos.get(_m("val")) == "top"
        if chr_ is not None and top and chr_.get(_m("val"), "") in ACCENTS:
            _accent(group, ACCENTS[chr_.get(_m("val"), "")], group.find(_m("e")))
    for upper in list(omath.iter(_m("limUpp"))):
        lim = upper.find(_m("lim"))
        texts = [t.text or "" for t in lim.iter(_m("t"))] if lim is not None else []
        if len(texts) == 1 and texts[0] in ACCENTS:
            _accent(upper, ACCENTS[texts[0]], upper.find(_m("e")))


def _unwrap(box: etree._Element) -> None:
    """``m:box`` replaced by what its ``m:e`` holds."""
    parent = box.getparent()
    assert parent is not None
    at = parent.index(box)
    inner = box.find(_m("e"))
    parent.remove(box)
    for offset, child in enumerate(list(inner) if inner is not None else []):
        parent.insert(at + offset, child)


def _equation_array(matrix: etree._Element) -> None:
    """An ``aligned`` table as Word's equation array (``m:eqArr``, as pandoc writes it): one
    ``m:e`` per row, its cells joined by the alignment mark ``&``."""
    array = etree.Element(_m("eqArr"))
    for row in matrix.iterfind(_m("mr")):
        line = etree.SubElement(array, _m("e"))
        for index, cell in enumerate(row.iterfind(_m("e"))):
            if index:
                mark = etree.SubElement(line, _m("r"))
                etree.SubElement(mark, _m("t")).text = "&"
            line.extend(list(cell))
    parent = matrix.getparent()
    assert parent is not None
    parent.replace(matrix, array)


def _accent(old: etree._Element, char: str, base: etree._Element | None) -> None:
    """Replace ``old`` with ``m:acc`` of ``char`` over ``base``."""
    acc = etree.Element(_m("acc"))
    props = etree.SubElement(acc, _m("accPr"))
    etree.SubElement(props, _m("chr"), {_m("val"): char})
    acc.append(base if base is not None else etree.Element(_m("e")))
    parent = old.getparent()
    assert parent is not None
    parent.replace(old, acc)


def omath(node: m.Math) -> etree._Element:
    """The formula as a fresh ``m:oMath`` element."""
    return etree.fromstring(_omml(node.tex, node.display))


def write(s: State, parent: etree._Element, node: m.Math, style: RunStyle) -> None:
    """Append ``node`` to the paragraph ``parent``: inline, display (alone in its paragraph,
    see :func:`publish.mathtex.split_display`) or numbered; one with an id is bookmarked by
    it, as headings are (``@eq-x`` links reach it)."""
    formula = omath(node)
    if not node.display:
        parent.append(formula)
        return
    mark = inlines.bookmark_start(s, parent, node.attr.id) if node.attr.id else None
    if not node.number:
        para = etree.SubElement(parent, _m("oMathPara"))
        props = etree.SubElement(para, _m("oMathParaPr"))
        etree.SubElement(props, _m("jc"), {_m("val"): "center"})
        para.append(formula)
    else:
        ppr = parent.find(qn("w:pPr"))
        if ppr is None:
            ppr = etree.Element(qn("w:pPr"))
            parent.insert(0, ppr)
        width = s.text_width // 635  # EMU → twips
        tabs = etree.SubElement(ppr, qn("w:tabs"))
        etree.SubElement(tabs, qn("w:tab"), {qn("w:val"): "center", qn("w:pos"): str(width // 2)})
        etree.SubElement(tabs, qn("w:tab"), {qn("w:val"): "right", qn("w:pos"): str(width)})
        _tab(parent)
        parent.append(formula)
        _tab(parent)
        inlines.run(s, parent, f"({node.number})", style)
    if mark is not None:
        etree.SubElement(parent, qn("w:bookmarkEnd"), {qn("w:id"): mark})


def _tab(parent: etree._Element) -> None:
    etree.SubElement(etree.SubElement(parent, qn("w:r")), qn("w:tab"))
