"""The Markdown parser: markdown-it-py configured for our dialect, and the rules it lacks.

The dialect is CommonMark with GitHub's extensions (pipe tables, ``~~strikethrough~~``,
task lists, autolinks, ``> [!NOTE]`` alerts, footnotes) and the parts of pandoc's Markdown
that publishers use (``{#id .class}`` on headings, ``^sup^``, ``~sub~``, ``[text]{lang=…}``
spans, ``:::`` fenced divs, line blocks, simple, multiline and grid tables
(:mod:`publish.pandoctables`), definition lists, ``a.``/``(i)``/``#.`` lists
(:mod:`publish.fancylists`), ``{=html}`` raw blocks and spans (:mod:`publish.rawformats`),
smart quotes, dashes and ellipses. TeX math (``$…$``, ``$$…$$``) follows pandoc's rules: no
space inside the dollars, no digit after the closing one.

Tokens never leave :mod:`publish.reader`, the one module that reads them.
"""

from __future__ import annotations

import functools
import importlib
import re
import types

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from mdit_py_plugins.attrs import attrs_plugin
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.subscript import sub_plugin
from mdit_py_plugins.superscript import superscript_plugin

from publish import cites, deflists, fancylists, headingrefs, langs, pandoctables, rawformats

SPAN_ATTRIBUTES = ("id", "class", "lang", "dir")
#: A figure's image keeps its size too (``![c](x.png){#fig-x width="50%"}``).
FIGURE_ATTRIBUTES = (*SPAN_ATTRIBUTES, "width", "height")
MAX_NESTING = 40
_HEADING_ATTRS = re.compile(r"\s+\{([^{}]*)\}\s*$")
#: An ATX heading's closing sequence (CommonMark: after a space, or the whole content).
_CLOSING_HASHES = re.compile(r"(?:^|[ \t]+)#+[ \t]*$")


def attributes(text: str) -> list[tuple[str, str]]:
    """pandoc's attribute list ``#id .class key=value key="a value"`` as (key, value)
    pairs; ``#id`` gives ("id", …), ``.class`` ("class", …), ``-`` ("class", "unnumbered")."""
    out: list[tuple[str, str]] = []
    for found in re.finditer(r'([^\s=]+)="([^"]*)"|([^\s=]+)=\'([^\']*)\'|(\S+)', text):
        if found.group(1) is not None:
            out.append((found.group(1), found.group(2)))
        elif found.group(3) is not None:
            out.append((found.group(3), found.group(4)))
        else:
            part = found.group(5)
            if part.startswith("#"):
                out.append(("id", part[1:]))
            elif part.startswith("."):
                out.append(("class", part[1:]))
            elif part == "-":
                out.append(("class", "unnumbered"))
            elif "=" in part:
                key, _, value = part.partition("=")
                out.append((key, value))
            else:
                out.append(("class", part))  # ::: warning (pandoc: a bare word is a class)
    return out


def _heading_attrs(state: StateCore) -> None:
    """Core rule: pandoc's trailing ``# Heading {#id .class key=value}``."""
    tokens = state.tokens
    for i, token in enumerate(tokens):
        if token.type != "heading_open":
            continue
        inline = tokens[i + 1]
        found = _HEADING_ATTRS.search(inline.content)
        if not found:
            continue
        inline.content = inline.content[: found.start()]
        if token.markup.startswith("#"):  # ``## Heading ## {#id}``: the closing hashes go too
            inline.content = _CLOSING_HASHES.sub("", inline.content)
        for key, value in attributes(found.group(1)):
            if key == "class":
                token.attrSet("class", (str(token.attrGet("class") or "") + " " + value).strip())
            else:
                token.attrSet(key, value)


_EM_DASH = re.compile(r"(?<!-)---(?!-)")
_EN_DASH = re.compile(r"(?<!-)--(?!-)")
_ELLIPSIS = re.compile(r"(?<!\.)\.\.\.(?!\.)")


def _dashes(state: StateCore) -> None:
    """Core rule: pandoc's ``smart`` dashes and ellipses (``---`` —, ``--`` –, ``...`` …)
    and nothing else: markdown-it's own replacements also turn ``+-`` into ``±`` and
    ``(c)`` into ``©``, which breaks grid tables and code-like text."""
    for token in state.tokens:
        if token.type != "inline" or not token.children:
            continue
        in_autolink = 0
        for child in token.children:
            if child.type == "link_open" and child.info == "auto":
                in_autolink += 1
            elif child.type == "link_close" and in_autolink:
                in_autolink -= 1
            elif child.type == "text" and not in_autolink and ("--" in child.content or "..." in child.content):
                text = _EM_DASH.sub("\u2014", child.content)
                text = _EN_DASH.sub("\u2013", text)
                child.content = _ELLIPSIS.sub("\u2026", text)


_BARE_URL = re.compile(r"(?<![\w/@.])(?:https?://|www\.)[^\s<>]*")


def _url_end(url: str) -> str:
    """GFM's end of a URL: trailing punctuation left out, and a closing parenthesis kept
    only while the URL's parentheses balance."""
    while True:
        trimmed = url.rstrip("?!.,:;*_~'\"")
        if trimmed.endswith(")") and trimmed.count(")") > trimmed.count("("):
            trimmed = trimmed[:-1]
        if trimmed == url:
            return url
        url = trimmed


def _bare_urls(state: StateCore) -> None:
    """Core rule: GitHub's autolinks extension (``https://…``, ``www.…``), one pass over each
    text token outside links (mdit-py-plugins' inline version rescans its pending text at
    every terminator, which grows with the square of a long paragraph)."""
    for token in state.tokens:
        if token.type != "inline" or not token.children:
            continue
        out: list[Token] = []
        depth = 0
        for child in token.children:
            depth += child.type == "link_open"
            depth -= child.type == "link_close"
            if child.type != "text" or depth or ("://" not in child.content and "www." not in child.content):
                out.append(child)
                continue
            last = 0
            for found in _BARE_URL.finditer(child.content):
                url = _url_end(found.group())
                if not url or url in ("www.", "http://", "https://"):
                    continue
                start, end = found.start(), found.start() + len(url)
                if start > last:
                    out.append(_text_token(child, child.content[last:start]))
                href = url if "://" in url else "http://" + url
                opening = Token("link_open", "a", 1, attrs={"href": href}, markup="linkify", info="auto")
                out += [opening, _text_token(child, url), Token("link_close", "a", -1, markup="linkify", info="auto")]
                last = end
            out.append(_text_token(child, child.content[last:]) if last else child)
        token.children = [t for t in out if not (t.type == "text" and not t.content)]


def _text_token(like: Token, content: str) -> Token:
    token = Token("text", "", 0, content=content)
    token.level = like.level
    return token


_DIV_FENCE = re.compile(r"^(:{3,})\s*(\{([^{}]*)\}|[^\s{}:][^\s{}]*)?\s*:*\s*$")


def _fenced_div(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """Block rule: pandoc's fenced div. A fence of three or more colons with attributes
    (``::: {.class #id lang=…}`` or ``::: name``) opens a div; a fence of colons alone
    closes the innermost open one (pandoc's nesting, which markdown-it's container plugin
    does not count)."""
    if state.sCount[start] - state.blkIndent >= 4:
        return False
    line = state.src[state.bMarks[start] + state.tShift[start] : state.eMarks[start]]
    found = _DIV_FENCE.match(line)
    if not found or not found.group(2):
        return False
    if silent:
        return True
    close = _div_closes(state).get(start)
    if close is None:
        return False  # never closed: pandoc reads the fence as text
    spec = found.group(3) if found.group(3) is not None else found.group(2)
    token = state.push("div_open", "div", 1)
    token.map = [start, close + 1]
    token.info = spec
    token.markup = found.group(1)
    old_parent, old_limit = state.parentType, state.lineMax
    state.parentType = "div"  # type: ignore[assignment]
    state.lineMax = close
    state.md.block.tokenize(state, start + 1, close)
    state.parentType, state.lineMax = old_parent, old_limit
    state.push("div_close", "div", -1)
    state.line = close + 1
    return True


def _div_closes(state: StateBlock) -> dict[int, int]:
    """Every opening fence's closing fence (by line), matched as pandoc nests them, found in
    one pass over the source and kept for the whole parse (so that a document of unclosed
    fences costs linear time, not quadratic)."""
    env = state.env
    if not isinstance(env, dict):
        return {}
    key = "publish.div_closes"
    if key not in env:
        closes: dict[int, int] = {}
        opened: list[int] = []
        for n, line in enumerate(state.src.split("\n")):
            if ":::" not in line:
                continue
            found = _DIV_FENCE.match(_QUOTED.sub("", line))
            if found is None:
                continue
            if found.group(2):
                opened.append(n)
            elif opened:
                closes[opened.pop()] = n
        env[key] = closes
    result: dict[int, int] = env[key]
    return result


_QUOTED = re.compile(r"^(?:[ \t]*>)*[ \t]*")
_LINE_BLOCK = re.compile(r"^\|( |$)")


def _line_block(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """Block rule: pandoc's line block: every line starts with ``| `` (a line starting
    with a space continues the one before); line breaks and leading spaces are kept."""
    if state.sCount[start] - state.blkIndent >= 4:
        return False
    first = state.src[state.bMarks[start] + state.tShift[start] : state.eMarks[start]]
    if not _LINE_BLOCK.match(first):
        return False
    lines: list[str] = []
    n = start
    while n < end:
        text = state.src[state.bMarks[n] + state.tShift[n] : state.eMarks[n]]
        if _LINE_BLOCK.match(text):
            lines.append(text[2:])
        elif text.strip() and lines and state.src[state.bMarks[n]] == " " and not text.startswith("|"):
            lines[-1] += " " + text.strip()
        else:
            break
        n += 1
    if any(re.match(r"^\|?\s*:?-{3,}", line) or line.rstrip().endswith("|") for line in lines):
        return False  # a pipe table
    if silent:
        return True
    token = state.push("line_block", "", 0)
    token.map = [start, n]
    token.content = "\n".join(lines)
    token.children = []
    state.line = n
    return True


def _pandoc_table(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """Block rule: pandoc's grid, simple and multiline tables (:mod:`publish.pandoctables`).
    A line indented four columns is code, but for a simple table's header: pandoc looks at
    its dashes' indentation (a right-aligned header stands further in)."""

    def text(n: int) -> str:
        return state.src[state.bMarks[n] + state.tShift[n] : state.eMarks[n]]

    def code(n: int) -> bool:
        return state.sCount[n] - state.blkIndent >= 4

    if code(start) and not (start + 1 < end and not code(start + 1) and pandoctables.DASH_RUNS.match(text(start + 1))):
        return False
    found = pandoctables.extent(text, start, end, state.env, state.src)
    if found is None or (code(start) and found[0] != "simple"):
        return False
    if not silent:
        pandoctables.push(state, found[0], start, found[1])
        state.line = found[1] + 1
    return True


def _cells(row: str) -> list[str]:
    """A pipe table row's cells, as pandoc splits them: a ``|`` inside a formula (``$|x|$``,
    ``$\\|v\\|$``) or a code span does not end its cell; ``\\|`` elsewhere is a pipe."""
    cells: list[str] = []
    current, i, last = "", 0, 0
    while i < len(row):
        ch = row[i]
        if ch == "\\" and row[i + 1 : i + 2] == "|":
            current, last, i = current + row[last:i], i + 1, i + 2
            continue
        if ch == "\\":
            i += 2
            continue
        if ch in "$`" and (end := _span_end(row, i)) > 0:
            i = end
            continue
        if ch == "|":
            cells.append(current + row[last:i])
            current, last = "", i + 1
        i += 1
    cells.append(current + row[last:])
    return cells


def _span_end(row: str, at: int) -> int:
    """Past the formula or code span opening at ``at`` (pandoc's rules for ``$``), 0 if none."""
    if row[at] == "`":
        run = re.match(r"`+", row[at:])
        assert run is not None
        close = re.compile(rf"(?<!`){run.group(0)}(?!`)").search(row, at + len(run.group(0)))
        return close.end() if close else 0
    if row[at + 1 : at + 2] in ("", " ", "$", "\t"):
        return 0
    i = at + 1
    while i < len(row):
        if row[i] == "\\":
            i += 2
            continue
        if row[i] == "$":
            return i + 1 if not row[i - 1].isspace() and not row[i + 1 : i + 2].isdigit() else 0
        i += 1
    return 0


#: markdown-it's pipe table rule, splitting rows with :func:`_cells` (its own splits a formula).
_table = importlib.import_module("markdown_it.rules_block.table").table
_pipe_table = types.FunctionType(_table.__code__, {**_table.__globals__, "escapedSplit": _cells}, "table")


def _display_paragraph(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """Block rule: a paragraph opening with ``$$`` whose formula closes on a later line but
    not alone on it (``$$ {#eq-x}``, ``$$ and text``): one paragraph to the next blank line,
    as pandoc reads it — no line inside the formula (``+ x``, ``- y``) starts a list."""
    if state.sCount[start] - state.blkIndent >= 4 or not _text_of(state, start).startswith("$$"):
        return False
    first = _text_of(state, start)[2:]
    if "$$" in first:
        return False
    last = start + 1
    while last < end and _text_of(state, last).strip() and "$$" not in _text_of(state, last):
        last += 1
    if last >= end or not _text_of(state, last).strip() or _text_of(state, last).rstrip() == "$$":
        return False  # no closing $$, or one alone on its line: the math_block rule's
    while last + 1 < end and _text_of(state, last + 1).strip():
        last += 1
    if not silent:
        state.push("paragraph_open", "p", 1).map = [start, last + 1]
        inline = state.push("inline", "", 0)
        inline.content = state.getLines(start, last + 1, state.blkIndent, False).strip()
        inline.map, inline.children = [start, last + 1], []
        state.push("paragraph_close", "p", -1)
    state.line = last + 1
    return True


def _text_of(state: StateBlock, n: int) -> str:
    return state.src[state.bMarks[n] + state.tShift[n] : state.eMarks[n]]


def _braced_math(state: StateInline, silent: bool) -> bool:
    """pandoc's inline ``$…$`` (no space inside the dollars, no digit after the closing one),
    where a ``$`` inside braces does not close it (``$x = \\text{the $n$th root}$``). The
    dollarmath plugin keeps ``$$…$$`` in text (its single-dollar rule reads the paragraph's
    last character as the one before a ``$`` that opens it: "$s_n$ … gegen 1" was no math)."""
    src, start = state.src, state.pos
    if src[start] != "$" or src.startswith("$$", start) or start + 1 >= state.posMax or src[start + 1].isspace():
        return False
    depth, i = 0, start + 1
    while i < state.posMax:
        if src[i] == "\\":
            i += 2
            continue
        if src[i] == "$" and depth == 0:
            break
        depth += {"{": 1, "}": -1}.get(src[i], 0)
        if depth < 0:
            return False
        i += 1
    if i >= state.posMax or src[i - 1].isspace() or src[i + 1 : i + 2].isdigit() or src[start - 1 : start].isdigit():
        return False
    if not silent:
        token = state.push("math_inline", "math", 0)
        token.content, token.markup = src[start + 1 : i], "$"
    state.pos = i + 1
    return True


@functools.lru_cache(maxsize=32)
def parser(lang: str) -> MarkdownIt:
    """The parser for a document in ``lang`` (its smart quotes)."""
    md = MarkdownIt(
        "commonmark",
        {"typographer": True, "html": True, "quotes": langs.quotes(lang), "maxNesting": MAX_NESTING},
    )
    md.enable(["table", "strikethrough", "smartquotes"])
    md.options["tasklists"] = True
    md.options["alerts"] = True
    md.use(footnote_plugin)
    md.use(superscript_plugin)
    md.use(sub_plugin)
    md.use(attrs_plugin, spans=True, allowed=FIGURE_ATTRIBUTES)
    md.use(deflist_plugin)
    deflists.guard(md)
    # pandoc's rules for TeX math: no space inside the dollars, no digit after the closing one
    md.use(
        dollarmath_plugin,
        allow_space=False,
        allow_digits=False,
        allow_labels=False,
        allow_blank_lines=False,
        double_inline=True,
    )
    md.inline.ruler.before("math_inline", "math_braced", _braced_math)
    md.block.ruler.after("math_block", "display_paragraph", _display_paragraph)
    md.block.ruler.at("table", _pipe_table, {"alt": ["paragraph", "reference"]})
    md.inline.ruler.before("link", "cite", cites.cite_rule)
    md.block.ruler.before("fence", "fenced_div", _fenced_div, {"alt": ["paragraph", "blockquote", "list"]})
    md.block.ruler.before("table", "pandoc_table", _pandoc_table, {"alt": []})  # as pandoc: not inside a paragraph
    md.block.ruler.after("table", "line_block", _line_block, {"alt": ["paragraph"]})
    md.block.ruler.before(
        "list", "fancy_list", fancylists.fancy_list, {"alt": ["paragraph", "reference", "blockquote"]}
    )
    md.core.ruler.before("inline", "heading_attrs", _heading_attrs)
    md.core.ruler.before("inline", "heading_references", headingrefs.register)
    md.core.ruler.after("inline", "used_references", headingrefs.unmark_unused)
    md.core.ruler.before("inline", "deflists", deflists.repair)
    md.core.ruler.before("inline", "example_references", fancylists.example_references)
    md.core.ruler.after("inline", "raw_formats", rawformats.raw_formats)
    md.core.ruler.after("inline", "bare_urls", _bare_urls)
    md.core.ruler.after("bare_urls", "dashes", _dashes)
    return md
