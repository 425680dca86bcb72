"""Code highlighting with Pygments, one token stream for every edition.

HTML, PDF and EPUB get ``<span class="…">`` markup and a stylesheet (a light style and a
dark one for ``prefers-color-scheme: dark``); DOCX gets coloured runs from the same style.
A code block without a language, or with one Pygments does not know, stays plain text.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Iterator
from dataclasses import dataclass

from markupsafe import Markup
from pygments import lex
from pygments.formatters import HtmlFormatter
from pygments.lexer import Lexer
from pygments.lexers import get_lexer_by_name
from pygments.style import StyleMeta
from pygments.styles import get_style_by_name
from pygments.token import _TokenType
from pygments.util import ClassNotFound

LIGHT = "default"
DARK = "github-dark"
#: The CSS scope of highlighted code in every HTML edition.
SCOPE = "pre.code"


@functools.lru_cache(maxsize=64)
def lexer(language: str | None) -> Lexer | None:
    if not language:
        return None
    try:
        return get_lexer_by_name(language, stripnl=False)
    except ClassNotFound:
        return None


def _lex(code: str, language: str | None) -> list[tuple[_TokenType, str]] | None:
    """The tokens of ``code``, whose texts join to exactly ``code``; None when not highlighted.

    Lexers work on lines: a session lexer (``console``) reads a line only once it has seen its
    newline, so the code is lexed with one (``ensurenl``) and that newline taken off again. A
    lexer whose tokens would not give back the code is not trusted: the code stays plain."""
    found = lexer(language)
    if found is None:
        return None
    tokens = list(lex(code, found))
    if not code.endswith("\n") and tokens and tokens[-1][1].endswith("\n"):
        ttype, value = tokens.pop()
        if value[:-1]:
            tokens.append((ttype, value[:-1]))
    if "".join(value for _, value in tokens) != code:
        return None
    return tokens


def html(code: str, language: str | None) -> Markup | None:
    """Highlighted, escaped markup for the inside of ``<code>``; None when not highlighted."""
    tokens = _lex(code, language)
    if tokens is None:
        return None
    out = io.StringIO()
    HtmlFormatter(nowrap=True).format(tokens, out)
    markup = out.getvalue()
    if not code.endswith("\n"):  # the formatter ends every line with one
        markup = markup.removesuffix("\n")
    return Markup(markup)


@functools.lru_cache(maxsize=8)
def css(style: str = LIGHT) -> str:
    """Token colours of one Pygments style for :data:`SCOPE` (the screen stylesheet puts
    the :data:`DARK` one under ``prefers-color-scheme: dark``)."""
    defs: str = HtmlFormatter(style=style).get_style_defs(SCOPE)  # type: ignore[no-untyped-call]
    # Only the token rules: the formatter's own rules for `pre` and line numbers are not ours.
    return "\n".join(line for line in defs.splitlines() if line.startswith(SCOPE + " ."))


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    color: str | None = None  # RRGGBB
    bold: bool = False
    italic: bool = False


def styled(style: StyleMeta, ttype: _TokenType) -> _TokenType:
    """The nearest of ``ttype`` and its ancestors that ``style`` has a rule for (a lexer's own
    token types, such as YAML's ``Literal.Scalar.Plain``, take their parent's look, as in
    Pygments' HTML formatter)."""
    while not style.styles_token(ttype) and ttype.parent is not None:
        ttype = ttype.parent
    return ttype


def tokens(code: str, language: str | None, style: str = LIGHT) -> Iterator[Token]:
    """The code as coloured tokens (for DOCX runs); one plain token when not highlighted."""
    lexed = _lex(code, language)
    if lexed is None:
        yield Token(code)
        return
    pstyle = get_style_by_name(style)
    pending: Token | None = None
    for ttype, value in lexed:
        s = pstyle.style_for_token(styled(pstyle, ttype))
        token = Token(value, s["color"] or None, bool(s["bold"]), bool(s["italic"]))
        if pending is not None and (pending.color, pending.bold, pending.italic) == (
            token.color,
            token.bold,
            token.italic,
        ):
            pending = Token(pending.text + value, pending.color, pending.bold, pending.italic)
            continue
        if pending is not None:
            yield pending
        pending = token
    if pending is not None:
        yield pending
