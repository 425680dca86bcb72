"""Word equations (OMML, ``m:oMath``) as TeX, for ``$…$`` and ``$$…$$``.

A compact converter for the OMML our writer (:mod:`publish.writers.docx.equations`, from
mathml2omml) and Word write: runs, fractions, scripts, radicals, n-ary operators, delimiters,
functions, accents, bars, limits, group characters, boxes, matrices and equation arrays.
(``dwml`` on PyPI, an OMML → LaTeX converter last released in 2020, is not used: this covers
what our writer and Word write, typed, in one module.) Characters are written as TeX commands where TeX has one (α →
``\\alpha``), else as themselves; TeX's special characters are escaped.
"""

from __future__ import annotations

from lxml import etree

M = "{http://schemas.openxmlformats.org/officeDocument/2006/math}"

SYMBOLS = {
    "α": r"\alpha", "β": r"\beta", "γ": r"\gamma", "δ": r"\delta", "ε": r"\epsilon", "ϵ": r"\epsilon",
    "ζ": r"\zeta", "η": r"\eta", "θ": r"\theta", "ι": r"\iota", "κ": r"\kappa", "λ": r"\lambda",
    "μ": r"\mu", "ν": r"\nu", "ξ": r"\xi", "π": r"\pi", "ρ": r"\rho", "σ": r"\sigma", "τ": r"\tau",
    "υ": r"\upsilon", "φ": r"\phi", "ϕ": r"\phi", "χ": r"\chi", "ψ": r"\psi", "ω": r"\omega",
    "Γ": r"\Gamma", "Δ": r"\Delta", "Θ": r"\Theta", "Λ": r"\Lambda", "Ξ": r"\Xi", "Π": r"\Pi",
    "Σ": r"\Sigma", "Φ": r"\Phi", "Ψ": r"\Psi", "Ω": r"\Omega",
    "∞": r"\infty", "±": r"\pm", "∓": r"\mp", "×": r"\times", "÷": r"\div", "·": r"\cdot", "⋅": r"\cdot",
    "≤": r"\leq", "≥": r"\geq", "≠": r"\neq", "≈": r"\approx", "≡": r"\equiv", "∼": r"\sim",
    "→": r"\rightarrow", "←": r"\leftarrow", "↔": r"\leftrightarrow", "⇒": r"\Rightarrow",
    "⇐": r"\Leftarrow", "⇔": r"\Leftrightarrow", "↦": r"\mapsto",
    "∈": r"\in", "∉": r"\notin", "⊂": r"\subset", "⊆": r"\subseteq", "⊃": r"\supset", "⊇": r"\supseteq",
    "∪": r"\cup", "∩": r"\cap", "∅": r"\emptyset", "∀": r"\forall", "∃": r"\exists", "¬": r"\neg",
    "∧": r"\wedge", "∨": r"\vee", "∂": r"\partial", "∇": r"\nabla", "…": r"\ldots", "⋯": r"\cdots",
    "′": "'", "−": "-", "∘": r"\circ", "∗": "*", "⟨": r"\langle", "⟩": r"\rangle",
    "ℝ": r"\mathbb{R}", "ℕ": r"\mathbb{N}", "ℤ": r"\mathbb{Z}", "ℚ": r"\mathbb{Q}", "ℂ": r"\mathbb{C}",
    "\u2061": "", "\u2062": "", "\u2063": "", "\u200b": "",
}  # fmt: skip
NARY = {"∑": r"\sum", "∏": r"\prod", "∫": r"\int", "∬": r"\iint", "∭": r"\iiint", "∮": r"\oint",
        "⋃": r"\bigcup", "⋂": r"\bigcap", "∐": r"\coprod"}  # fmt: skip
ACCENTS = {"\u0302": r"\hat", "\u0303": r"\tilde", "\u0304": r"\bar", "\u0305": r"\bar", "\u0307": r"\dot",
           "\u0308": r"\ddot", "\u030c": r"\check", "\u0301": r"\acute", "\u0300": r"\grave",
           "\u0306": r"\breve", "\u20d7": r"\vec", "^": r"\hat", "~": r"\tilde", "¯": r"\bar"}  # fmt: skip
FUNCTIONS = {"sin", "cos", "tan", "cot", "sec", "csc", "log", "ln", "exp", "lim", "max", "min", "sup",
             "inf", "det", "dim", "ker", "deg", "gcd", "arg", "sinh", "cosh", "tanh", "arcsin", "arccos",
             "arctan", "Pr", "mod"}  # fmt: skip
DELIMS = {"(": "(", ")": ")", "[": "[", "]": "]", "{": r"\{", "}": r"\}", "|": "|", "‖": r"\|",
          "⟨": r"\langle", "⟩": r"\rangle", "⌊": r"\lfloor", "⌋": r"\rfloor", "⌈": r"\lceil",
          "⌉": r"\rceil", "": "."}  # fmt: skip
HAT = r"\hat"
#: ``m:scr``: a letter's face.
FACES = {"double-struck": r"\mathbb", "script": r"\mathcal", "fraktur": r"\mathfrak", "monospace": r"\mathtt"}
ESCAPE = {"{": r"\{", "}": r"\}", "%": r"\%", "#": r"\#", "&": r"\&", "$": r"\$", "_": r"\_",
          "\\": r"\backslash", "^": r"\hat{}", "~": r"\sim"}  # fmt: skip


def _val(el: etree._Element | None, path: str, default: str | None = None) -> str | None:
    found = el.find(path) if el is not None else None
    if found is None:
        return default
    return str(found.get(M + "val", default or ""))


def _chars(text: str) -> str:
    out: list[str] = []
    for c in text:
        sym = SYMBOLS[c] if c in SYMBOLS else NARY.get(c) or ESCAPE.get(c)
        if sym is None:
            out.append(c)
        elif sym:
            out.append(sym + (" " if sym[-1:].isalpha() else ""))
    return "".join(out)


def _group(tex: str) -> str:
    tex = tex.strip()
    return tex if len(tex) == 1 else "{" + tex + "}"


def _arg(el: etree._Element | None, name: str) -> str:
    found = el.find(M + name) if el is not None else None
    return _all(found) if found is not None else ""


def _all(el: etree._Element) -> str:
    """The TeX of ``el``'s children; runs in a row in one face read as one (Word may give
    each letter of a bold word a run of its own)."""
    out: list[str] = []
    runs: list[etree._Element] = []
    for child in el:
        if child.tag == M + "r" and (not runs or _face_key(child) == _face_key(runs[0])):
            runs.append(child)
            continue
        if runs:
            out.append(_run(runs))
            runs = []
        if child.tag == M + "r":
            runs = [child]
        else:
            out.append(_node(child))
    if runs:
        out.append(_run(runs))
    return "".join(out)


def _face_key(el: etree._Element) -> tuple[str | None, str | None, bool]:
    return _val(el, f"{M}rPr/{M}scr"), _val(el, f"{M}rPr/{M}sty"), el.find(f"{M}rPr/{M}nor") is not None


def _run(runs: list[etree._Element]) -> str:
    el = runs[0]
    text = "".join(t.text or "" for r in runs for t in r.iter(M + "t"))
    normal = el.find(f"{M}rPr/{M}nor") is not None or _val(el, f"{M}rPr/{M}sty") == "p"
    if text.strip() in FUNCTIONS:
        return "\\" + text.strip() + " "
    face = FACES.get(_val(el, f"{M}rPr/{M}scr") or "") or (r"\mathbf" if _val(el, f"{M}rPr/{M}sty") == "b" else "")
    if face and text.strip():
        return f"{face}{{{_chars(text.strip())}}}"
    if normal and len(text.strip()) > 1 and all(c.isalpha() or c.isspace() for c in text):  # a word
        return r"\text{" + text.replace("\\", "").replace("{", "").replace("}", "") + "}"
    return _chars(text)


def _node(el: etree._Element) -> str:
    if not isinstance(el.tag, str):  # a comment, a processing instruction
        return ""
    tag = etree.QName(el).localname
    if tag.endswith("Pr") or tag in ("ctrlPr",):
        return ""
    if tag == "r":
        return _run([el])
    if tag == "f":
        kind = _val(el, f"{M}fPr/{M}type", "bar")
        num, den = _arg(el, "num"), _arg(el, "den")
        if kind == "noBar":  # a binomial's parentheses are a delimiter around it (below)
            return rf"\begin{{matrix}}{num} \\ {den}\end{{matrix}}"
        if kind == "lin":
            return f"{_group(num)}/{_group(den)}"
        return rf"\frac{{{num}}}{{{den}}}"
    if tag == "sSup":
        return f"{_group(_arg(el, 'e'))}^{{{_arg(el, 'sup')}}}"
    if tag == "sSub":
        return f"{_group(_arg(el, 'e'))}_{{{_arg(el, 'sub')}}}"
    if tag == "sSubSup":
        return f"{_group(_arg(el, 'e'))}_{{{_arg(el, 'sub')}}}^{{{_arg(el, 'sup')}}}"
    if tag == "sPre":
        return f"{{}}_{{{_arg(el, 'sub')}}}^{{{_arg(el, 'sup')}}}{_group(_arg(el, 'e'))}"
    if tag == "rad":
        degree = _arg(el, "deg").strip()
        return rf"\sqrt[{degree}]{{{_arg(el, 'e')}}}" if degree else rf"\sqrt{{{_arg(el, 'e')}}}"
    if tag == "nary":
        char = _val(el, f"{M}naryPr/{M}chr", "∫") or "∫"
        op = NARY.get(char, _chars(char))
        sub, sup = _arg(el, "sub").strip(), _arg(el, "sup").strip()
        limits = (f"_{{{sub}}}" if sub else "") + (f"^{{{sup}}}" if sup else "")
        return f"{op}{limits} {_arg(el, 'e')}"
    if tag == "d":
        props = el.find(M + "dPr")
        begin = _val(props, M + "begChr", "(")
        end = _val(props, M + "endChr", ")")
        sep = _chars(_val(props, M + "sepChr", "|") or "|")
        inner = sep.join(_all(e) for e in el.findall(M + "e"))
        stacked = el.findall(f"{M}e/{M}f")
        elements = el.findall(M + "e")
        lone = len(elements) == 1 and len(stacked) == 1 and len(elements[0]) == 1
        if lone and (begin, end) == ("(", ")") and _val(stacked[0], f"{M}fPr/{M}type") == "noBar":
            return rf"\binom{{{_arg(stacked[0], 'num')}}}{{{_arg(stacked[0], 'den')}}}"
        left, right = DELIMS.get(begin or "", _chars(begin or "")), DELIMS.get(end or "", _chars(end or ""))
        return rf"\left{left} {inner} \right{right}"
    if tag == "func":
        return f"{_arg(el, 'fName').strip()} {_arg(el, 'e')}"
    if tag == "acc":
        char = _val(el, f"{M}accPr/{M}chr", "\u0302") or "\u0302"
        accent = ACCENTS.get(char, HAT)
        return f"{accent}{{{_arg(el, 'e')}}}"
    if tag == "bar":
        top = _val(el, f"{M}barPr/{M}pos", "bot") == "top"
        return (r"\overline{" if top else r"\underline{") + _arg(el, "e") + "}"
    if tag == "groupChr":
        pos = _val(el, f"{M}groupChrPr/{M}pos", "bot")
        return (r"\overbrace{" if pos == "top" else r"\underbrace{") + _arg(el, "e") + "}"
    if tag in ("limLow", "limUpp"):
        script = "_" if tag == "limLow" else "^"
        return f"{_group(_arg(el, 'e'))}{script}{{{_arg(el, 'lim')}}}"
    if tag in ("box", "borderBox", "phant"):
        return _arg(el, "e")
    if tag == "m":
        rows = [" & ".join(_all(e) for e in mr.findall(M + "e")) for mr in el.findall(M + "mr")]
        return r"\begin{matrix}" + r" \\ ".join(rows) + r"\end{matrix}"
    if tag == "eqArr":  # an ``&`` there is an alignment point, not a character
        rows = [_all(e).replace(r"\&", "&") for e in el.findall(M + "e")]
        return r"\begin{aligned}" + r" \\ ".join(rows) + r"\end{aligned}"
    if tag in ("e", "num", "den", "sub", "sup", "deg", "lim", "fName", "oMath", "oMathPara"):
        return _all(el)
    return _all(el)


def tex(omath: etree._Element) -> str:
    """The TeX of one ``m:oMath``."""
    return " ".join(_all(omath).split())
