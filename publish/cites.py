"""pandoc's citation syntax: a markdown-it inline rule, and its tokens made into
:class:`publish.model.Cite` nodes.

As pandoc 3.9 ``-f markdown`` reads it:

- ``@key`` (author in text), ``@key [p. 5]`` (author in text, with a suffix),
  ``@key [@other]`` (one citation of both), ``-@key`` (author suppressed);
- ``[@key]``, ``[@a; @b]``, ``[see @a, p. 3; also @b]`` (each item's prefix and suffix
  are Markdown), ``[-@key]``;
- a key starts with a letter, a digit, ``_`` or ``*``; it goes on with letters, digits and
  ``_``, and with ``: . # $ % & - + ? < > ~ /`` when a letter, digit or ``_`` follows
  (``@fig:x``, ``@a_b-c.d``; ``@fig-x.`` ends before the full stop); ``@{key}`` takes
  anything but spaces and unbalanced braces;
- ``@`` right after a letter or digit is text (``a@b.com``), ``\\@`` is text, and nothing
  is a citation inside code or link text; ``[…]`` directly followed by ``(`` ``[`` or
  ``{`` is a link or a span, not a citation.

The rule writes ``cite_open`` (``meta["text"]``: the source as written), then for each item
``cite_item_open`` (``meta["key"]``, ``meta["mode"]``) around an optional
``cite_prefix_open``…``cite_prefix_close`` and ``cite_suffix_open``…``cite_suffix_close``
(their Markdown parsed as inline tokens, so the core rules still reach their text), and
``cite_close``. :func:`wrap` makes each of them a model node, bottom up.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

from publish import model as m

_KEY = re.compile(r"[\w*](?:\w|[:.#$%&\-+?<>~/](?=\w)|[:/](?=/))*")
_BRACED = re.compile(r"\{([^\s{}]*(?:\{[^\s{}]*\}[^\s{}]*)*)\}")
_NOT_AFTER_BRACKET = "([{"
#: The longest citation in brackets read (pandoc sets no limit; this keeps the rule linear).
MAX_CITATION = 1000


@dataclass(frozen=True)
class _Item:
    key: str
    mode: str
    prefix: tuple[int, int] | None
    suffix: tuple[int, int] | None


def _key_at(src: str, pos: int) -> tuple[str, int] | None:
    """The key of ``@key`` whose ``@`` is at ``pos``, and the position after it."""
    if pos >= len(src) or src[pos] != "@":
        return None
    if pos + 1 < len(src) and src[pos + 1] == "{":
        found = _BRACED.match(src, pos + 1)
        return (found.group(1), found.end()) if found and found.group(1) else None
    found = _KEY.match(src, pos + 1)
    return (found.group(), found.end()) if found else None


def _after_word(src: str, pos: int, start: int) -> bool:
    return pos > start and src[pos - 1].isalnum()


def _closing(src: str, pos: int, end: int, key: bool = True) -> int:
    """The ``]`` that closes the ``[`` at ``pos`` (brackets nested, backslash escapes and
    code spans skipped) within :data:`MAX_CITATION` characters, or -1. What cannot be a
    citation (no ``]`` near; neither ``@`` nor ``[`` before the first one) is refused at
    once, so a paragraph of many brackets costs linear time. ``key``: the brackets must hold
    a key (not a suffix's)."""
    end = min(end, pos + MAX_CITATION)
    first = src.find("]", pos, end)
    nothing = key and src.find("@", pos, first) == -1
    if first == -1 or (nothing and src.find("[", pos + 1, first) == -1):
        return -1
    depth = 0
    i = pos
    while i < end:
        c = src[i]
        past = _past(src, i, end)
        if past is not None and past[1]:
            i = past[0]
            continue
        if c == "[":
            depth += 1
        elif c == "]":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return -1


def _past(src: str, i: int, end: int) -> tuple[int, bool] | None:
    """Where a scan of ``src[:end]`` goes on after a backslash escape or a code span at
    ``i``, and whether it was one (False: a run of backticks that never closes, passed);
    None when ``src[i]`` starts neither."""
    if src[i] == "\\":
        return i + 2, True
    if src[i] != "`":
        return None
    run = len(src[i:end]) - len(src[i:end].lstrip("`"))
    close = src.find("`" * run, i + run, end)
    return (close + run, True) if close != -1 else (i + run, False)


def _split(src: str, start: int, end: int) -> list[tuple[int, int]]:
    """The ``;``-separated parts of ``src[start:end]`` (outside nested brackets and code)."""
    parts: list[tuple[int, int]] = []
    depth, last, i = 0, start, start
    while i < end:
        c = src[i]
        past = _past(src, i, end)
        if past is not None:
            i = past[0]
            continue
        if c == "[":
            depth += 1
        elif c == "]":
            depth -= 1
        elif c == ";" and depth == 0:
            parts.append((last, i))
            last = i + 1
        i += 1
    parts.append((last, end))
    return parts


def _item(src: str, start: int, end: int) -> _Item | None:
    """One part of a bracketed citation: its prefix, ``-@key`` or ``@key``, its suffix."""
    i = start
    while i < end:
        c = src[i]
        past = _past(src, i, end)
        if past is not None:
            i = past[0]
            continue
        if c == "@" and not _after_word(src, i, start):
            found = _key_at(src, i)
            if found is not None and found[1] <= end:
                suppress = i > start and src[i - 1] == "-" and not _after_word(src, i - 1, start)
                at = i - 1 if suppress else i
                prefix = _trimmed(src, start, at, lead=True)
                suffix = _trimmed(src, found[1], end, lead=False)
                return _Item(found[0], "suppress-author" if suppress else "normal", prefix, suffix)
        i += 1
    return None


def _trimmed(src: str, start: int, end: int, lead: bool) -> tuple[int, int] | None:
    """The range without its trailing spaces (and leading ones, for a prefix); None if blank."""
    while end > start and src[end - 1].isspace():
        end -= 1
    while lead and start < end and src[start].isspace():
        start += 1
    return (start, end) if src[start:end].strip() else None


def _bracketed(src: str, pos: int, end: int) -> tuple[list[_Item], int] | None:
    """``[@a; see @b, p. 3]`` at ``pos``: its items and the position after it."""
    close = _closing(src, pos, end)
    if close == -1 or (close + 1 < end and src[close + 1] in _NOT_AFTER_BRACKET):
        return None
    items: list[_Item] = []
    for a, b in _split(src, pos + 1, close):
        item = _item(src, a, b)
        if item is None:
            return None
        items.append(item)
    return items, close + 1


def cite_rule(state: StateInline, silent: bool) -> bool:
    """The inline rule (registered before ``link``)."""
    if state.linkLevel > 0:
        return False
    src, pos, end = state.src, state.pos, state.posMax
    items: list[_Item]
    if src[pos] == "[":
        found = _bracketed(src, pos, end)
        if found is None:
            return False
        items, stop = found
    elif src[pos] in "-@":
        if _after_word(src, pos, 0):
            return False
        suppress = src[pos] == "-"
        key = _key_at(src, pos + 1 if suppress else pos)
        if key is None:
            return False
        items = [_Item(key[0], "suppress-author" if suppress else "author-in-text", None, None)]
        stop = key[1]
        if not suppress:
            stop = _textual_tail(src, stop, end, items)
    else:
        return False
    if not silent:
        _emit(state, items, pos, stop)
    state.pos = stop
    return True


def _textual_tail(src: str, stop: int, end: int, items: list[_Item]) -> int:
    """After ``@key``: `` [p. 5]`` (its suffix) or `` [@b; @c]`` (more items)."""
    at = stop
    while at < end and src[at] in " \t":
        at += 1
    if at < end and src[at] == "\n":
        at += 1
        while at < end and src[at] in " \t":
            at += 1
    if at >= end or src[at] != "[":
        return stop
    more = _bracketed(src, at, end)
    if more is not None:
        items.extend(more[0])
        return more[1]
    close = _closing(src, at, end, key=False)
    if close == -1 or (close + 1 < end and src[close + 1] in _NOT_AFTER_BRACKET):
        return stop
    if "@" in src[at + 1 : close] and _item(src, at + 1, close) is not None:
        return stop
    items[0] = _Item(items[0].key, items[0].mode, None, _trimmed(src, at + 1, close, lead=True))
    return close + 1


def _emit(state: StateInline, items: list[_Item], start: int, stop: int) -> None:
    opening = state.push("cite_open", "", 1)
    opening.meta = {"text": state.src[start:stop]}
    opening.content = state.src[start:stop]  # what smartquotes sees beside it: @key's, an apostrophe
    for item in items:
        token = state.push("cite_item_open", "", 1)
        token.meta = {"key": item.key, "mode": item.mode}
        for part, where in (("prefix", item.prefix), ("suffix", item.suffix)):
            if where is None:
                continue
            state.push(f"cite_{part}_open", "", 1)
            # a parse of its own: markdown-it's text rule reads past a shortened posMax
            inner: list[Token] = []
            state.md.inline.parse(state.src[where[0] : where[1]], state.md, state.env, inner)
            for child in inner:
                child.level += state.level
            state.tokens.extend(inner)
            state.push(f"cite_{part}_close", "", -1)
        state.push("cite_item_close", "", -1)
    state.push("cite_close", "", -1).content = state.src[start:stop]


_PART = "publish-cite-"


def wrap(kind: str, token: Token | None, content: Sequence[m.Inline], line: int) -> list[m.Inline]:
    """The model node of a ``cite_*`` frame of :mod:`publish.tokens` (its content already
    made of nodes): a prefix or a suffix is a marked Span for the item around it, an item
    is a one-item Cite for the citation around it."""
    if kind in ("cite_prefix", "cite_suffix"):
        return [m.Span(tuple(content), m.Attr(classes=(_PART + kind[5:],)))]
    meta = token.meta if token is not None and token.meta else {}
    if kind == "cite_item":
        prefix: tuple[m.Inline, ...] = ()
        suffix: tuple[m.Inline, ...] = ()
        for node in content:
            if isinstance(node, m.Span) and node.attr.classes == (_PART + "prefix",):
                prefix = node.content
            elif isinstance(node, m.Span) and node.attr.classes == (_PART + "suffix",):
                suffix = node.content
        return [m.Cite((m.CiteItem(str(meta.get("key", "")), str(meta.get("mode", "normal")), prefix, suffix),))]
    items = tuple(item for node in content if isinstance(node, m.Cite) for item in node.items)
    return [m.Cite(items, str(meta.get("text", "")), line)]
