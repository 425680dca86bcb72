"""Pure ``Document → Document`` passes run after reading, before any writer."""

from __future__ import annotations

import dataclasses
import itertools
import re
from collections.abc import Callable
from typing import Any

from publish import langs
from publish import model as m
from publish import text as txt
from publish.walk import CHILD_FIELD, Node, walk


def rewrite(doc: m.Document, fn: Callable[[Node], Node]) -> m.Document:
    """Apply ``fn`` to every node pre-order (parent before its children), rebuilding the tree."""
    return dataclasses.replace(doc, blocks=rewrite_blocks(doc.blocks, fn))


def rewrite_blocks(blocks: tuple[m.Block, ...], fn: Callable[[Node], Node]) -> tuple[m.Block, ...]:
    """:func:`rewrite` for some blocks (a chapter of a book)."""

    def many(nodes: tuple[Any, ...]) -> tuple[Any, ...]:
        """Children keep their kind (fn maps inlines to inlines, blocks to blocks)."""
        return tuple(one(n) for n in nodes)

    def one(node: Node) -> Node:
        node = fn(node)
        name = CHILD_FIELD.get(type(node))
        if name is not None:
            return dataclasses.replace(node, **{name: many(getattr(node, name))})  # type: ignore[arg-type]
        if isinstance(node, m.Figure):
            return dataclasses.replace(node, caption=many(node.caption))
        if isinstance(node, m.Div):
            return dataclasses.replace(node, title=many(node.title), blocks=many(node.blocks))
        if isinstance(node, m.Table):
            return dataclasses.replace(
                node,
                header=many(node.header),
                more_header=tuple(many(row) for row in node.more_header),
                rows=tuple(many(row) for row in node.rows),
                caption=many(node.caption),
            )
        if isinstance(node, m.Cell):
            return dataclasses.replace(node, content=many(node.content), blocks=many(node.blocks))
        if isinstance(node, m.DefinitionList):
            return dataclasses.replace(node, items=many(node.items))
        if isinstance(node, m.DefinitionItem):
            return m.DefinitionItem(many(node.term), tuple(many(d) for d in node.definitions))
        if isinstance(node, m.Cite):
            return dataclasses.replace(node, items=many(node.items))
        if isinstance(node, m.CiteItem):
            return dataclasses.replace(node, prefix=many(node.prefix), suffix=many(node.suffix))
        return node

    return many(blocks)


def heading_ids(doc: m.Document) -> m.Document:
    """Give every heading a unique id: the written ``{#id}`` or pandoc's auto identifier."""
    seen = {n.attr.id for n in walk(doc.blocks) if isinstance(n, m.Heading) and n.attr.id}

    def fn(node: Node) -> Node:
        if isinstance(node, m.Heading) and not node.attr.id:
            base = txt.slugify(txt.plain(node.content))
            ident = base
            for n in itertools.count(1):
                if ident not in seen:
                    break
                ident = f"{base}-{n}"
            seen.add(ident)
            return dataclasses.replace(node, attr=dataclasses.replace(node.attr, id=ident))
        return node

    return rewrite(doc, fn)


def number_notes(doc: m.Document) -> m.Document:
    """Number notes 1, 2, 3 … in reading order; a note inside a note follows it."""
    counter = itertools.count(1)

    def fn(node: Node) -> Node:
        if isinstance(node, m.Note):
            return dataclasses.replace(node, number=next(counter))
        return node

    return rewrite(doc, fn)


def rewrite_text(doc: m.Document, fn: Callable[[str, str, list[int]], str]) -> m.Document:
    """Rewrite every text run with ``fn(text, lang, state)``: ``lang`` is the language the
    run is in (the document's, or its innermost span's); ``state`` is shared by the runs of
    one block (for marks that pair up across runs) and starts as ``[0]``."""

    def inlines(nodes: tuple[m.Inline, ...], lang: str, state: list[int]) -> tuple[m.Inline, ...]:
        out: list[m.Inline] = []
        for node in nodes:
            if isinstance(node, m.Text):
                node = m.Text(fn(node.text, lang, state))
            elif isinstance(node, m.Span):
                node = dataclasses.replace(node, content=inlines(node.content, node.attr.lang or lang, state))
            elif isinstance(node, (m.Emphasis, m.Strong, m.Superscript, m.Subscript, m.Strikeout, m.Underline, m.Link)):
                node = dataclasses.replace(node, content=inlines(node.content, lang, state))
            out.append(node)
        return tuple(out)

    def block(node: Node) -> Node:
        if isinstance(node, (m.Paragraph, m.Heading, m.Cell)):
            return dataclasses.replace(node, content=inlines(node.content, doc.meta.lang, [0]))
        if isinstance(node, m.Figure):
            return dataclasses.replace(node, caption=inlines(node.caption, doc.meta.lang, [0]))
        if isinstance(node, m.Table) and node.caption:
            return dataclasses.replace(node, caption=inlines(node.caption, doc.meta.lang, [0]))
        if isinstance(node, m.Div) and node.title:
            return dataclasses.replace(node, title=inlines(node.title, node.attr.lang or doc.meta.lang, [0]))
        return node

    return rewrite(doc, block)


def cjk_quotes(doc: m.Document) -> m.Document:
    """Straight double quotes left in CJK text become the language's corner brackets.

    markdown-it's smart quotes only pair a quote that stands next to a space or
    punctuation, which CJK text, written without spaces, rarely has. Within each block the
    remaining ``"`` of CJK runs alternate open/close (「 」 for zh-Hant, “ ” for zh-Hans).
    """

    def fn(run: str, lang: str, state: list[int]) -> str:
        if '"' not in run or not langs.is_cjk(lang):
            return run
        marks = langs.quotes(lang)
        chars = []
        for char in run:
            if char == '"':
                chars.append(marks[state[0] % 2])
                state[0] += 1
            else:
                chars.append(char)
        return "".join(chars)

    return rewrite_text(doc, fn)


def span_quotes(doc: m.Document) -> m.Document:
    """Double quotes inside a span in another language take that language's marks.

    markdown-it pairs quotes once for the whole document, with the document language's
    marks; ``[“中文”]{lang=zh-Hant}`` in an English text becomes ``「中文」``.
    """
    outer = langs.quotes(doc.meta.lang)
    if outer[0] == outer[1]:
        return doc  # open and close look alike: which is which cannot be told

    def fn(run: str, lang: str, state: list[int]) -> str:
        if lang == doc.meta.lang:
            return run
        inner = langs.quotes(lang)
        if inner[:2] == outer[:2]:
            return run
        return run.replace(outer[0], inner[0]).replace(outer[1], inner[1])

    return rewrite_text(doc, fn)


def _caption_text(block: m.Block) -> tuple[m.Inline, ...] | None:
    """The caption if ``block`` is pandoc's ``: caption`` / ``Table: caption`` paragraph."""
    if not isinstance(block, m.Paragraph) or not block.content:
        return None
    first = block.content[0]
    if not isinstance(first, m.Text):
        return None
    found = re.match(r"^(?:Table)?:\s+", first.text)
    if not found:
        return None
    rest = first.text[found.end() :]
    return txt.merge([m.Text(rest), *block.content[1:]])


_CAPTION_ATTRS = re.compile(r"\s*\{(#[^\s{}]+(?:\s+[^{}]*)?)\}\s*$")


def _captioned(table: m.Table, caption: tuple[m.Inline, ...]) -> m.Table:
    """The table with its caption; a trailing ``{#tbl-x}`` gives the table its id (pandoc's
    table attributes, Quarto's label)."""
    last = caption[-1] if caption else None
    found = _CAPTION_ATTRS.search(last.text) if isinstance(last, m.Text) else None
    if found is None or not isinstance(last, m.Text):
        return dataclasses.replace(table, caption=caption)
    ident = found.group(1).split()[0][1:]
    caption = txt.merge([*caption[:-1], m.Text(last.text[: found.start()])])
    return dataclasses.replace(table, caption=caption, attr=dataclasses.replace(table.attr, id=ident))


def attach_table_captions(blocks: list[m.Block]) -> tuple[m.Block, ...]:
    out: list[m.Block] = []
    for block in blocks:
        caption = _caption_text(block)
        if caption is not None and out and isinstance(out[-1], m.Table) and not out[-1].caption:
            out[-1] = _captioned(out[-1], caption)
            continue
        if isinstance(block, m.Table) and out and not block.caption:
            before = _caption_text(out[-1])
            if before is not None:
                out[-1] = _captioned(block, before)
                continue
        out.append(block)
    return tuple(out)


DEFAULT_PASSES: tuple[Callable[[m.Document], m.Document], ...] = (
    heading_ids,
    number_notes,
    span_quotes,
    cjk_quotes,
)


def apply(doc: m.Document) -> m.Document:
    for transform in DEFAULT_PASSES:
        doc = transform(doc)
    return doc
