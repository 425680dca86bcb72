"""TeX macros in math, as pandoc's ``latex_macros`` and MathJax read them.

Lecture notes define their notation once — ``$$\\newcommand{\\R}{\\mathbb{R}}$$`` at the top
(MathJax's way), or a bare ``\\newcommand{\\tuple}[1]{\\langle #1 \\rangle}`` paragraph
(pandoc's raw TeX, whose definitions pandoc applies to the math after it) — and use it in
every formula after. :class:`Macros` keeps a document's definitions in reading order and
expands them in each later formula before it is converted; a formula that only defines
macros shows nothing (as in MathJax) and leaves the model.

Definitions read: ``\\newcommand``, ``\\renewcommand``, ``\\providecommand`` (``{\\name}`` or
``\\name``, ``[n]`` arguments), ``\\def\\name#1#2{…}`` and ``\\DeclareMathOperator{\\name}{text}``.
An optional argument's default (``\\newcommand{\\x}[1][a]{…}``) is not read: such a
definition stays in the formula, which is then refused with a warning, as any unknown
command is. Expansion is bounded (depth and size), so a definition that calls itself
ends as an unknown command, not a hang.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from publish import mathtex
from publish import model as m
from publish import text as txt

_DEFINE = re.compile(r"\\(?:(?:re)?newcommand|providecommand|DeclareMathOperator)(\*?)\s*")
_DEF = re.compile(r"\\[gex]?def\s*\\([A-Za-z]+)\s*((?:#\d\s*)*)")
_NAME = re.compile(r"\{?\s*\\([A-Za-z]+)\s*\}?\s*")
_COUNT = re.compile(r"\[\s*(\d)\s*\]\s*")
#: How deep macros may call macros, and how much a formula may grow (times its length).
MAX_DEPTH = 16
MAX_GROWTH = 50


@dataclass(frozen=True)
class Macro:
    arguments: int
    body: str


def _group(tex: str, at: int) -> int:
    """The end of the brace group opening at ``at`` (after its ``}``), -1 if unclosed."""
    depth = 0
    i = at
    while i < len(tex):
        ch = tex[i]
        if ch == "\\":
            i += 2
            continue
        depth += {"{": 1, "}": -1}.get(ch, 0)
        i += 1
        if depth == 0:
            return i
    return -1


def parse(tex: str) -> tuple[dict[str, Macro], str]:
    """The definitions in ``tex`` and what remains of it without them."""
    found: dict[str, Macro] = {}
    out: list[str] = []
    i = 0
    while i < len(tex):
        define, plain = _DEFINE.match(tex, i), _DEF.match(tex, i)
        parsed = _definition(tex, define, plain)
        if parsed is None:
            out.append(tex[i])
            i += 1
            continue
        name, macro, i = parsed
        found[name] = macro
    return found, "".join(out)


def _definition(tex: str, define: re.Match[str] | None, plain: re.Match[str] | None) -> tuple[str, Macro, int] | None:
    if plain is not None:
        end = _group(tex, plain.end()) if tex[plain.end() : plain.end() + 1] == "{" else -1
        if end < 0:
            return None
        return plain[1], Macro(plain[2].count("#"), tex[plain.end() + 1 : end - 1]), end
    if define is None or not (name := _NAME.match(tex, define.end())):
        return None
    operator = define.group(0).startswith("\\Declare")
    at, count = name.end(), 0
    if not operator and (number := _COUNT.match(tex, at)):
        at, count = number.end(), int(number[1])
    if tex[at : at + 1] != "{" or (end := _group(tex, at)) < 0:
        return None
    body = tex[at + 1 : end - 1]
    return name[1], Macro(count, f"\\operatorname{{{body}}}" if operator else body), end


def _argument(tex: str, at: int) -> tuple[str, int] | None:
    """One argument at ``at``: a brace group's content or a single token; None if none."""
    while at < len(tex) and tex[at] in " \t\n":
        at += 1
    if at >= len(tex) or tex[at] == "}":
        return None
    if tex[at] == "{":
        end = _group(tex, at)
        return (tex[at + 1 : end - 1], end) if end > 0 else None
    if tex[at] == "\\":
        word = re.match(r"\\(?:[A-Za-z]+|.)", tex[at:], re.S)
        assert word is not None
        return word.group(0), at + len(word.group(0))
    return tex[at], at + 1


def expand(tex: str, macros: dict[str, Macro]) -> str:
    """``tex`` with every use of ``macros`` replaced by its body (arguments put in), again
    in what that gives, up to :data:`MAX_DEPTH` rounds and :data:`MAX_GROWTH` times the size."""
    if not macros:
        return tex
    pattern = re.compile(r"\\(" + "|".join(sorted(map(re.escape, macros), key=len, reverse=True)) + r")(?![A-Za-z])")
    limit = MAX_GROWTH * max(len(tex), 100)
    for _ in range(MAX_DEPTH):
        out: list[str] = []
        i, changed = 0, False
        while (found := pattern.search(tex, i)) is not None:
            if _escaped(tex, found.start()):
                out.append(tex[i : found.end()])
                i = found.end()
                continue
            macro, at, values = macros[found[1]], found.end(), []
            for _n in range(macro.arguments):
                argument = _argument(tex, at)
                if argument is None:
                    break
                values.append(argument[0])
                at = argument[1]
            if len(values) < macro.arguments:
                out.append(tex[i : found.end()])
                i = found.end()
                continue
            out += [tex[i : found.start()], _substitute(macro.body, values)]
            i, changed = at, True
        tex = "".join(out) + tex[i:]
        if not changed or len(tex) > limit:
            break
    return tex


def _substitute(body: str, values: list[str]) -> str:
    """A macro's body with its arguments in place of ``#1``, ``#2``…"""
    return re.sub(r"#(\d)", lambda g: values[int(g[1]) - 1] if 0 < int(g[1]) <= len(values) else g[0], body)


def _escaped(tex: str, at: int) -> bool:
    """Whether the backslash at ``at`` follows another (``\\\\R`` is a line break, then R)."""
    slashes = 0
    while at - slashes - 1 >= 0 and tex[at - slashes - 1] == "\\":
        slashes += 1
    return slashes % 2 == 1


@dataclass
class Macros:
    """A document's macros, in reading order."""

    defined: dict[str, Macro] = field(default_factory=dict)

    def formula(self, tex: str) -> str:
        """A formula's TeX with the macros defined so far expanded, its own definitions
        taken out (and kept for the formulas after it); empty when it only defines."""
        found, rest = parse(tex)
        self.defined.update(found)
        return expand(rest, self.defined).strip() if rest.strip() else ""

    def raw(self, fmt: str, tex: str) -> str:
        """A raw TeX block's definitions kept; the warning that says it is dropped."""
        found, _rest = parse(tex)
        self.defined.update(found)
        if found:
            names = ", ".join("\\" + name for name in found)
            return f"raw {fmt}: its macro(s) {names} are applied to the math after it; the block itself is dropped"
        return f"a raw {fmt} block is dropped: only raw HTML reaches the editions"


def read(
    tex: str, display: bool, macros: Macros, warn: Callable[[str, int], None], line: int
) -> m.Math | m.Code | None:
    """A formula, or its TeX as code with a warning when it is refused; None (with a
    warning: its TeX is not in the editions) when it only defines macros."""
    tex = txt.clean(tex).strip()
    before = dict(macros.defined)
    tex = macros.formula(tex)
    if new := [name for name, macro in macros.defined.items() if before.get(name) != macro]:
        names = ", ".join("\\" + name for name in new)
        warn(f"TeX macro(s) {names} defined in math: expanded in the formulas after it", line)
    if not tex:
        return None
    if problem := mathtex.problem(tex, display):
        warn(f"{problem} (the formula is kept as its TeX)", line)
        return m.Code(tex)
    return m.Math(tex, display)
