"""pandoc's ``raw_attribute``: ````` ```{=html} ````` fences and `` `<b>x</b>`{=html} `` code
spans, as a markdown-it core rule.

Raw HTML (``html``, ``html5``, ``html4``) becomes markdown-it's own raw HTML tokens
(``html_block``; ``html_inline`` tags between ``text``), so it reaches the model through the
same allow-list as any raw HTML (:mod:`publish.rawhtml`). Any other format (``latex``,
``tex``, ``openxml``, ``docx``, ``typst``…) becomes a ``raw_block`` or ``raw_inline`` token
whose ``info`` is the format: the reader drops it with a warning (pandoc drops it too from
every output but its own format).

pandoc's ``raw_tex``: a paragraph that is only TeX — commands with their ``[…]`` and ``{…}``
arguments (``\\pagebreak``, ``\\newcommand{\\R}{\\mathbb{R}}``, ``\\def\\a#1{…}``) and
``\\begin{env}…\\end{env}`` environments — is a ``raw_block`` of format ``tex`` too (the
reader applies its macro definitions to the math after it: pandoc's ``latex_macros``), but
one math environment (``\\begin{equation}…``, R Markdown's way) is display math, as
pandoc's HTML writer shows it. A paragraph that mixes TeX and text stays text.
"""

from __future__ import annotations

import html
import re

from markdown_it.common.html_re import HTML_TAG_RE
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

_FORMAT = re.compile(r"^\s*\{=([A-Za-z0-9_+-]+)\}\s*$")
_INLINE_FORMAT = re.compile(r"^\{=([A-Za-z0-9_+-]+)\}")
#: The formats that are HTML.
HTML_FORMATS = ("html", "html4", "html5")


def raw_formats(state: StateCore) -> None:
    for index, token in enumerate(state.tokens):
        if token.type == "fence":
            found = _FORMAT.match(token.info)
            if found:
                _raw_block(state.tokens, index, found.group(1))
        elif token.type == "inline" and token.children:
            token.children = _raw_inlines(token.children)
    tokens = state.tokens
    for index in range(len(tokens) - 3, -1, -1):  # a paragraph of TeX only: pandoc's raw_tex
        opening, inline = tokens[index], tokens[index + 1]
        if opening.type == "paragraph_open" and inline.type == "inline" and is_tex(inline.content):
            kind = "math_block" if is_math_environment(inline.content) else "raw_block"
            raw = Token(kind, "math", 0, content=inline.content, info="tex")
            raw.level, raw.block, raw.map = opening.level, True, opening.map
            tokens[index : index + 3] = [raw]


#: amsmath's display environments: raw TeX that pandoc's HTML writer sets as display math.
MATH_ENVIRONMENTS = "equation|align|gather|multline|flalign|alignat|eqnarray|displaymath|math"
_MATH_ENVIRONMENT = re.compile(rf"^\s*\\begin\{{({MATH_ENVIRONMENTS})(\*?)\}}.*\\end\{{\1\2\}}\s*$", re.S)


def is_math_environment(tex: str) -> bool:
    """Whether raw TeX is one math environment (``\\begin{equation}…\\end{equation}``),
    which pandoc's HTML writer shows as display math: so does the reader."""
    return _MATH_ENVIRONMENT.match(tex) is not None and is_tex(tex) and tex.count("\\begin{") == tex.count("\\end{")


_COMMAND = re.compile(r"\\[A-Za-z]+\*?")
_BEGIN = re.compile(r"\\begin\{([A-Za-z]+\*?)\}")


def is_tex(text: str) -> bool:
    """Whether ``text`` is only TeX commands (with their arguments) and environments."""
    at, n = 0, len(text)
    while True:
        while at < n and text[at] in " \t\n":
            at += 1
        if at >= n:
            return True
        if begin := _BEGIN.match(text, at):
            end = re.compile(rf"\\(begin|end)\{{{re.escape(begin[1])}\}}")
            depth, at = 1, begin.end()
            while depth and (found := end.search(text, at)):
                depth, at = depth + (1 if found[1] == "begin" else -1), found.end()
            if depth:
                return False
        elif command := _COMMAND.match(text, at):
            at = _arguments(text, command.end())
        else:
            return False


def _arguments(text: str, at: int) -> int:
    """Past a command's arguments: ``[…]``, ``{…}`` (balanced) and ``#1`` (``\\def``'s)."""
    while at < len(text) and text[at] in "[{#":
        if text[at] == "#":
            if at + 1 >= len(text) or not text[at + 1].isdigit():
                return at
            at += 2
            continue
        close, depth, start = "]" if text[at] == "[" else "}", 0, at
        while at < len(text):
            if text[at] == "\\":
                at += 2
                continue
            depth += 1 if text[at] == text[start] else -1 if text[at] == close else 0
            at += 1
            if depth == 0:
                break
        if depth:
            return start
    return at


def _raw_block(tokens: list[Token], index: int, fmt: str) -> None:
    token = tokens[index]
    raw = Token("html_block" if fmt.lower() in HTML_FORMATS else "raw_block", "", 0, content=token.content)
    raw.level, raw.info, raw.block = token.level, fmt, True
    html = fmt.lower() in HTML_FORMATS
    raw.map = [token.map[0] + 1, token.map[1]] if html and token.map else token.map  # HTML: its first line
    tokens[index] = raw


def _raw_inlines(children: list[Token]) -> list[Token]:
    out: list[Token] = []
    for index, child in enumerate(children):
        following = children[index + 1] if index + 1 < len(children) else None
        found = _INLINE_FORMAT.match(following.content) if following is not None and following.type == "text" else None
        if child.type != "code_inline" or found is None or following is None:
            out.append(child)
            continue
        fmt = found.group(1)
        following.content = following.content[found.end() :]
        if fmt.lower() in HTML_FORMATS:
            out.extend(_html_pieces(child))
        else:
            out.append(_like(child, "raw_inline", child.content, fmt))
    return [t for t in out if not (t.type == "text" and not t.content)]


def _html_pieces(code: Token) -> list[Token]:
    """A raw HTML span as markdown-it reads raw HTML in text: each tag an ``html_inline``,
    the text between them ``text``."""
    pieces: list[Token] = []
    last = 0
    for found in re.finditer(HTML_TAG_RE.pattern.lstrip("^"), code.content):
        if found.start() > last:
            pieces.append(_like(code, "text", html.unescape(code.content[last : found.start()])))
        pieces.append(_like(code, "html_inline", found.group()))
        last = found.end()
    if last < len(code.content):
        pieces.append(_like(code, "text", html.unescape(code.content[last:])))
    return pieces


def _like(token: Token, kind: str, content: str, info: str = "") -> Token:
    new = Token(kind, "", 0, content=content, info=info)
    new.level = token.level
    return new
