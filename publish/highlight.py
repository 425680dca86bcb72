"""Code highlighting with Pygments, one token stream for every edition.

HTML, PDF and EPUB get ``<span class="…">`` markup and a stylesheet (a light style and a
dark one for ``prefers-color-scheme: dark``); DOCX gets coloured runs from the same style.
A code block without a language, or with one Pygments does not know, stays plain text.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass

from markupsafe import Markup
from pygments import highlight, lex
from pygments.formatters import HtmlFormatter
from pygments.lexer import Lexer
from pygments.lexers import get_lexer_by_name
from pygments.styles import get_style_by_name
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
        return get_lexer_by_name(language, stripnl=False, ensurenl=False)
    except ClassNotFound:
        return None


def html(code: str, language: str | None) -> Markup | None:
    """Highlighted, escaped markup for the inside of ``<code>``; None when not highlighted."""
    found = lexer(language)
    if found is None:
        return None
    return Markup(highlight(code, found, HtmlFormatter(nowrap=True)))


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


def tokens(code: str, language: str | None, style: str = LIGHT) -> Iterator[Token]:
    """The code as coloured tokens (for DOCX runs); one plain token when not highlighted."""
    found = lexer(language)
    if found is None:
        yield Token(code)
        return
    pstyle = get_style_by_name(style)
    pending: Token | None = None
    for ttype, value in lex(code, found):
        s = pstyle.style_for_token(ttype)
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
