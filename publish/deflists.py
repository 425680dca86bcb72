"""pandoc's definition lists: what markdown-it's ``deflist`` plugin leaves to us.

The plugin reads ``Term`` / ``:   Definition`` (and ``~``) as pandoc does, with
differences this module repairs:

- whether the list is tight: pandoc sets a definition as a Plain (no paragraph) unless a
  blank line stands between it and its term; a list whose definitions all follow their term
  or the definition before them directly is marked tight (``meta["tight"]`` of its
  ``dl_open``);
- the indentation of a definition's blocks: pandoc's is four columns (``:   `` then the
  text), the plugin's two, so an indented code block inside a definition would keep two
  spaces of pandoc's indentation: they are taken off;
- a definition's marker indented four columns or more: to pandoc (and CommonMark), an
  indented code block, which :func:`guard` keeps the plugin from reading as a definition;
- a table's caption written before it: ``Term`` / blank / ``: Caption`` / blank / a table is,
  to pandoc, the paragraph ``Term`` and a table captioned ``Caption`` (a list of one item
  whose one definition is one paragraph, loose, marked ``:``; a longer list stays a list).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from publish import model as m


def guard(md: MarkdownIt) -> None:
    """The plugin's ``deflist`` rule, refusing a first marker indented four columns or more
    past the term's block (``Term`` / blank / ``    : text`` is a paragraph and code)."""
    rule = next(r for r in md.block.ruler.__rules__ if r.name == "deflist")
    read = rule.fn

    def deflist(state: StateBlock, start: int, end: int, silent: bool) -> bool:
        marker = start + 1 + (start + 1 < end and state.isEmpty(start + 1))
        if not silent and marker < end and state.sCount[marker] - state.blkIndent >= 4:
            return False
        return bool(read(state, start, end, silent))

    md.block.ruler.at("deflist", deflist, {"alt": rule.alt})


def repair(state: StateCore) -> None:
    lines = state.src.split("\n")
    opened: list[tuple[int, bool]] = []  # (index of dl_open, tight so far)
    depth = 0  # definitions open around the token
    for index, token in enumerate(state.tokens):
        depth += token.type == "dd_open"
        depth -= token.type == "dd_close"
        if token.type == "code_block" and depth:
            code = token.content.split("\n")
            if all(line.startswith("  ") or not line.strip() for line in code):
                token.content = "\n".join(line[2:] for line in code)
        elif token.type == "dl_open":
            opened.append((index, True))
        elif token.type == "dd_open" and opened and token.map:
            marker = token.map[0]  # the plugin may start a definition's lines at its term
            while marker < token.map[1] - 1 and not _stripped(lines, marker).startswith((":", "~")):
                marker += 1
            blank_before = marker > 0 and not _stripped(lines, marker - 1)
            if blank_before:
                opened[-1] = (opened[-1][0], False)
        elif token.type == "dl_close" and opened:
            at, tight = opened.pop()
            state.tokens[at].meta = {**(state.tokens[at].meta or {}), "tight": tight}
    _table_captions(state, lines)


#: A definition list of one loose item read as a paragraph and a caption: its tokens' types.
_CAPTION_SHAPE = (
    "dl_open", "dt_open", "inline", "dt_close", "dd_open",
    "paragraph_open", "inline", "paragraph_close", "dd_close", "dl_close",
)  # fmt: skip
_TABLES = ("pandoc_table_open", "table_open")


def _table_captions(state: StateCore, lines: list[str]) -> None:
    tokens = state.tokens
    for at in range(len(tokens) - len(_CAPTION_SHAPE), -1, -1):
        end = at + len(_CAPTION_SHAPE)
        if end >= len(tokens) or tokens[end].type not in _TABLES:
            continue
        if tuple(t.type for t in tokens[at:end]) != _CAPTION_SHAPE or tokens[at].meta.get("tight", True):
            continue
        where = tokens[at + 4].map
        if tokens[at].level != tokens[end].level or not where:
            continue
        marker = next((n for n in range(where[0], where[1]) if _stripped(lines, n)[:1] in (":", "~")), None)
        if marker is None or not _stripped(lines, marker).startswith(":"):
            continue
        term, definition = tokens[at + 2], tokens[at + 6]
        opening, closing = tokens[at + 5], tokens[at + 7]
        definition.content = ": " + definition.content  # read as the table's caption
        first = Token("paragraph_open", "p", 1)
        last = Token("paragraph_close", "p", -1)
        first.map, first.level, last.level = tokens[at + 1].map, tokens[at].level, tokens[at].level
        term.level = definition.level = tokens[at].level + 1
        opening.level = closing.level = tokens[at].level
        tokens[at:end] = [first, term, last, opening, definition, closing]


def _stripped(lines: list[str], n: int) -> str:
    """A line's text without the quote markers and indentation of its container."""
    return lines[n].lstrip(" \t>") if n < len(lines) else ""


def from_html(
    parts: Sequence[tuple[str, Sequence[Any]]],
    inlines: Callable[[Sequence[Any]], tuple[m.Inline, ...]],
    blocks: Callable[[Sequence[Any]], tuple[m.Block, ...]],
) -> list[m.Block]:
    """A raw HTML ``<dl>``'s ``(tag, children)`` parts, ``dt`` and ``dd``, as a definition
    list: each ``dt`` a term, the ``dd`` after it its definitions (tight when no ``dd`` holds
    a ``<p>``)."""
    entries: list[tuple[tuple[m.Inline, ...], list[tuple[m.Block, ...]]]] = []
    for tag, children in parts:
        if tag == "dt" or not entries:
            entries.append((inlines(children) if tag == "dt" else (), []))
        if tag == "dd":
            entries[-1][1].append(blocks(children) or (m.Paragraph(()),))
    tight = not any(getattr(x, "name", "") == "p" for tag, children in parts if tag == "dd" for x in children)
    items = tuple(m.DefinitionItem(term, tuple(definitions)) for term, definitions in entries)
    return [m.DefinitionList(items, tight)] if items else []
