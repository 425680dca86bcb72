"""TeX's conventions that latex2mathml's MathML leaves to the renderer, made explicit.

MathML renderers (Chromium's MathML Core, ziamath for the PDF) space and size an operator by
its place in its row, not by TeX's atom classes, so latex2mathml's literal output draws a few
common things otherwise than TeX (and pandoc's texmath, and MathJax) do:

- a sign after a relation, an operator, an opening fence or punctuation is unary in TeX
  (``x = -y``, ``(-1)``), but a binary operator to MathML, set with spaces around it
  ("x = − y"): it gets ``form="prefix"``;
- ``|`` and ``‖`` (``\\lvert``, ``\\|``…) outside ``\\left``/``\\right`` keep their size in TeX,
  but stretch to the row's height in MathML (a norm beside a sum grows as tall as the sum):
  they get ``stretchy="false"``, as latex2mathml already writes for ``(`` and ``[``;
- a slash is an ordinary symbol in TeX (``k/n``), an operator with spaces in Chromium;
- capital Greek letters are upright in TeX, italic in MathML (a single-letter ``mi``);
- a prime is a superscript glyph already: as a superscript (``<msup>``, latex2mathml's form)
  Chromium raises it twice; it becomes the base's neighbour, as MathJax writes it;
- a matrix's or a case's columns are a quad apart in TeX; ziamath's default is 0.3 em;
- ``\\operatorname{arg\\,max}`` is latex2mathml's empty ``<mo/>`` before a row of one-letter
  ``mi`` (each italic): one upright name, as texmath writes it;
- ``\\binom``'s parentheses have a display formula's fixed size (2.047 em) in running text
  too, where TeX makes them a text size (1.2 em).
"""

from __future__ import annotations

from lxml import etree

NS = "{http://www.w3.org/1998/Math/MathML}"
_SIGNS = frozenset("−+±∓-")
_CLOSING = frozenset(")]}⟩⌉⌋|‖")
_BARS = frozenset("|‖")
_PRIMES = frozenset("′″‴'")


def _name(el: etree._Element) -> str:
    return el.tag[len(NS) :] if isinstance(el.tag, str) and el.tag.startswith(NS) else ""


def _previous(el: etree._Element) -> etree._Element | None:
    """The element before ``el`` in its row, spaces skipped."""
    before = el.getprevious()
    while before is not None and _name(before) == "mspace":
        before = before.getprevious()
    return before


def _unary(mo: etree._Element) -> bool:
    before = _previous(mo)
    if before is None or _name(before) != "mo":
        return False
    text = (before.text or "").strip()
    return bool(text) and text not in _CLOSING and before.get("form") != "postfix"


def _primes(msup: etree._Element) -> None:
    """``<msup>base<mi>′</mi></msup>`` → ``<mrow>base<mo>′</mo></mrow>``."""
    children = list(msup)
    if len(children) != 2:
        return
    script = children[1]
    if _name(script) == "mrow" and len(script) == 1:
        script = script[0]
    text = (script.text or "").strip()
    if _name(script) not in ("mi", "mo") or not text or set(text) - _PRIMES or len(script):
        return
    row = etree.Element(f"{NS}mrow")
    row.append(children[0])
    prime = etree.SubElement(row, f"{NS}mo")
    prime.text = text.replace("'", "′")
    row.tail = msup.tail
    parent = msup.getparent()
    if parent is not None:
        parent.replace(msup, row)


_SCRIPTED = frozenset({"msub", "msup", "msubsup", "munder", "mover", "munderover"})


def _operator_name(empty: etree._Element) -> None:
    """``<mo/><mrow><mi>a</mi><mi>r</mi>…</mrow>`` → ``<mi mathvariant="normal">ar…</mi>``
    (the row may be the base of a script: ``\\operatorname{max}_x``)."""
    target = empty.getnext()
    if target is not None and _name(target) in _SCRIPTED and len(target):
        target = target[0]
    if target is None or _name(target) != "mrow" or not len(target):
        return
    parts = [(el.text or "") if _name(el) == "mi" else " " if _name(el) == "mspace" else "" for el in target]
    if not all(parts) or any(len(p) != 1 for p in parts if p != " ") or len(target) < 2:
        return
    name = etree.Element(f"{NS}mi", mathvariant="normal")
    name.text = "".join(parts).strip()
    name.tail = target.tail
    parent = target.getparent()
    assert parent is not None
    parent.replace(target, name)
    holder = empty.getparent()
    assert holder is not None
    holder.remove(empty)


def apply(root: etree._Element) -> None:
    """Make TeX's conventions explicit in the MathML tree ``root`` (changed in place)."""
    for msup in list(root.iter(f"{NS}msup")):
        _primes(msup)
    for empty in [el for el in root.iter(f"{NS}mo") if not (el.text or "").strip() and not len(el)]:
        _operator_name(empty)
    if root.get("display") != "block":
        for mo in root.iter(f"{NS}mo"):
            if mo.get("minsize") == mo.get("maxsize") == "2.047em":  # \binom's
                mo.set("minsize", "1.2em")
                mo.set("maxsize", "1.2em")
    for el in root.iter(f"{NS}mo", f"{NS}mi", f"{NS}mtable"):
        name, text = _name(el), (el.text or "").strip()
        if name == "mtable":
            if el.get("columnspacing") is None:
                el.set("columnspacing", "1em")
        elif name == "mi":
            if len(text) == 1 and "Α" <= text <= "Ω" and el.get("mathvariant") is None:
                el.set("mathvariant", "normal")
        elif text in _SIGNS and el.get("form") is None and _unary(el):
            el.set("form", "prefix")
        elif text in _BARS and el.get("stretchy") is None:
            beside = (el.getprevious(), el.getnext())
            if not any(b is not None and _name(b) == "mtable" for b in beside):
                el.set("stretchy", "false")
        elif text == "/" and el.get("lspace") is None:
            el.set("lspace", "0em")
            el.set("rspace", "0em")
