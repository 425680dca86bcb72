"""Markdown with YAML front matter → :class:`publish.model.Document`.

markdown-it-py tokens never leave this module. The dialect is the part of pandoc's
Markdown that publishers use: front matter, ATX headings with ``{#id .class}``, emphasis,
strong, ``^sup^``, ``~sub~``, code, links, images (alone in a paragraph: a figure),
``[text]{lang=zh-Hant}`` spans, block quotes, lists, pipe tables with a ``: caption``
paragraph, fenced code, footnotes, thematic breaks, hard breaks, smart quotes and dashes.
Raw HTML is refused except ``<sup>``, ``<sub>``, ``<br>`` (mapped into the model) and
comments (dropped).
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from mdit_py_plugins.attrs import attrs_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.subscript import sub_plugin
from mdit_py_plugins.superscript import superscript_plugin

from publish import langs, meta, resources, sourcefile
from publish import model as m
from publish import text as txt
from publish.errors import PublishError
from publish.options import MAX_SOURCE_BYTES

log = logging.getLogger("publish")

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp"}
SPAN_ATTRIBUTES = ("id", "class", "lang", "dir")
MAX_NESTING = 40
_HEADING_ATTRS = re.compile(r"\s+\{([^{}]*)\}\s*$")
_UNDEFINED_NOTE = re.compile(r"\[\^([^\]\s]+)\]")
_HTML_TAG = re.compile(r"^<(/?)([A-Za-z][A-Za-z0-9-]*)\b[^>]*?(/?)>$", re.S)
_ALLOWED_HTML = {"sup", "sub", "br"}


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
        for part in found.group(1).split():
            if part.startswith("#"):
                token.attrSet("id", part[1:])
            elif part.startswith("."):
                classes = str(token.attrGet("class") or "")
                token.attrSet("class", (classes + " " + part[1:]).strip())
            elif part == "-":
                token.attrSet("class", (str(token.attrGet("class") or "") + " unnumbered").strip())
            elif "=" in part:
                key, _, value = part.partition("=")
                token.attrSet(key, value.strip("\"'"))


@functools.lru_cache(maxsize=32)
def _parser(lang: str) -> MarkdownIt:
    md = MarkdownIt(
        "commonmark",
        {"typographer": True, "html": True, "quotes": langs.quotes(lang), "maxNesting": MAX_NESTING},
    )
    md.enable(["table", "replacements", "smartquotes"])
    md.use(footnote_plugin)
    md.use(superscript_plugin)
    md.use(sub_plugin)
    md.use(attrs_plugin, spans=True, allowed=SPAN_ATTRIBUTES)
    md.core.ruler.before("inline", "heading_attrs", _heading_attrs)
    return md


@dataclass
class _Frame:
    kind: str
    token: Token | None
    line: int
    content: list[m.Inline] = field(default_factory=list)


class _Reader:
    def __init__(self, file: Path, offset: int, resolver: resources.Resolver):
        self.file = file
        self.offset = offset  # lines before the Markdown body
        self.resolver = resolver
        self.notes: dict[int, tuple[m.Block, ...]] = {}

    # ---------------------------------------------------------------- helpers
    def line(self, token: Token) -> int:
        return self.offset + (token.map[0] + 1 if token.map else 1)

    def error(self, message: str, line: int) -> PublishError:
        return PublishError(message, self.file, line)

    # ---------------------------------------------------------------- blocks
    def blocks(self, tokens: Sequence[Token]) -> tuple[m.Block, ...]:
        out: list[m.Block] = []
        i = 0
        while i < len(tokens):
            token = tokens[i]
            end = self._close_index(tokens, i)
            inner = tokens[i + 1 : end]
            block = self.block(token, inner)
            if block is not None:
                out.append(block)
            i = end + 1
        return _attach_table_captions(out)

    def _close_index(self, tokens: Sequence[Token], i: int) -> int:
        token = tokens[i]
        if token.nesting != 1:
            return i
        depth = 0
        for j in range(i, len(tokens)):
            depth += tokens[j].nesting
            if depth == 0:
                return j
        raise self.error("unbalanced Markdown structure", self.line(token))

    def block(self, token: Token, inner: Sequence[Token]) -> m.Block | None:
        kind = token.type
        if kind == "paragraph_open":
            return self.paragraph(inner[0])
        if kind == "heading_open":
            attr = _attr(token, ("id", "class"))
            return m.Heading(int(token.tag[1]), self.inlines(inner[0]), attr)
        if kind == "blockquote_open":
            return m.BlockQuote(self.blocks(inner))
        if kind in ("bullet_list_open", "ordered_list_open"):
            items = tuple(self.list_items(inner))
            if kind == "bullet_list_open":
                return m.BulletList(items)
            return m.OrderedList(items, int(token.attrGet("start") or 1))
        if kind in ("fence", "code_block"):
            language = token.info.strip().split()[0] if token.info.strip() else ""
            return m.CodeBlock(txt.clean(token.content.rstrip("\n")), language.lstrip("{.").rstrip("}"))
        if kind == "hr":
            return m.ThematicBreak()
        if kind == "table_open":
            return self.table(token, inner)
        if kind == "html_block":
            if token.content.lstrip().startswith("<!--"):
                return None
            raise self.error(
                f"raw HTML is not allowed: {token.content.strip().splitlines()[0][:60]!r} (write it in Markdown)",
                self.line(token),
            )
        if kind == "footnote_block_open":
            return None
        raise self.error(f"unsupported Markdown construct ({kind})", self.line(token))

    def paragraph(self, inline: Token) -> m.Block:
        content = self.inlines(inline)
        visible = [n for n in content if not (isinstance(n, m.Text) and not n.text.strip())]
        if len(visible) == 1 and isinstance(visible[0], m.Image):
            image = visible[0]
            image_token = next(t for t in inline.children or [] if t.type == "image")
            caption = self.inlines(image_token, children=image_token.children or [])
            attr = _attr(image_token, ("id", "class"))
            return m.Figure(image, caption, attr)
        return m.Paragraph(content)

    def list_items(self, tokens: Sequence[Token]) -> list[m.ListItem]:
        items = []
        i = 0
        while i < len(tokens):
            end = self._close_index(tokens, i)
            items.append(m.ListItem(self.blocks(tokens[i + 1 : end])))
            i = end + 1
        return items

    def table(self, token: Token, inner: Sequence[Token]) -> m.Table:
        header: list[m.Cell] = []
        rows: list[tuple[m.Cell, ...]] = []
        aligns: list[m.Align] = []
        row: list[m.Cell] = []
        in_head = False
        for i, tok in enumerate(inner):
            if tok.type == "thead_open":
                in_head = True
            elif tok.type == "thead_close":
                in_head = False
            elif tok.type in ("th_open", "td_open"):
                cell = m.Cell(self.inlines(inner[i + 1]))
                if in_head:
                    header.append(cell)
                    style = str(tok.attrGet("style") or "")
                    found = re.search(r"text-align:\s*(left|center|right)", style)
                    aligns.append(m.Align(found.group(1)) if found else m.Align.DEFAULT)
                else:
                    row.append(cell)
            elif tok.type == "tr_close" and not in_head:
                rows.append(tuple(row))
                row = []
        return m.Table(tuple(header), tuple(rows), tuple(aligns))

    # ---------------------------------------------------------------- inlines
    def inlines(self, inline: Token, children: Sequence[Token] | None = None) -> tuple[m.Inline, ...]:
        line = self.line(inline)
        stack = [_Frame("root", None, line)]
        for tok in inline.children or [] if children is None else children:
            kind = tok.type
            if kind in ("softbreak", "hardbreak"):
                stack[-1].content.append(m.Text(" ") if kind == "softbreak" else m.LineBreak())
                line += 1
                continue
            if kind == "html_inline":
                mapped = self.html_inline(tok, line)
                if mapped is None:
                    continue
                kind = mapped
                if kind == "br":
                    stack[-1].content.append(m.LineBreak())
                    continue
            if kind.endswith("_open"):
                stack.append(_Frame(kind[:-5], tok, line))
            elif kind.endswith("_close"):
                frame = stack.pop()
                if frame.kind != kind[:-6] or not stack:
                    raise self.error(f"unbalanced <{kind[:-6]}> in the text", line)
                stack[-1].content.append(self.wrap(frame))
            else:
                stack[-1].content.append(self.leaf(tok, line))
        if len(stack) != 1:
            raise self.error(f"<{stack[-1].kind}> is opened but never closed", stack[-1].line)
        return _merge(stack[0].content)

    def html_inline(self, tok: Token, line: int) -> str | None:
        raw = tok.content.strip()
        if raw.startswith("<!--"):
            return None
        found = _HTML_TAG.match(raw)
        if found and found.group(2).lower() in _ALLOWED_HTML and raw.count("=") == 0:
            name = found.group(2).lower()
            if name == "br":
                return "br"
            return f"{name}_close" if found.group(1) else f"{name}_open"
        raise self.error(f"raw HTML is not allowed: {raw[:60]!r} (write it in Markdown)", line)

    def wrap(self, frame: _Frame) -> m.Inline:
        content = _merge(frame.content)
        kind, tok = frame.kind, frame.token
        if kind == "em":
            return m.Emphasis(content)
        if kind == "strong":
            return m.Strong(content)
        if kind == "sup":
            return m.Superscript(content)
        if kind == "sub":
            return m.Subscript(content)
        if kind == "span" and tok is not None:
            return m.Span(content, _attr(tok, SPAN_ATTRIBUTES))
        if kind == "link" and tok is not None:
            href = str(tok.attrGet("href") or "")
            return m.Link(content, href, str(tok.attrGet("title") or ""))
        raise self.error(f"unsupported inline Markdown construct ({kind})", frame.line)

    def leaf(self, tok: Token, line: int) -> m.Inline:
        kind = tok.type
        if kind == "text":
            found = _UNDEFINED_NOTE.search(tok.content)
            if found:
                raise self.error(f"footnote [^{found.group(1)}] is referenced but not defined", line)
            return m.Text(txt.clean(tok.content))
        if kind == "code_inline":
            return m.Code(txt.clean(tok.content))
        if kind == "image":
            return self.image(tok, line)
        if kind == "footnote_ref":
            assert tok.meta is not None
            note_id = tok.meta["id"]
            return m.Note(self.notes.get(note_id, ()), str(tok.meta.get("label") or note_id + 1))
        raise self.error(f"unsupported inline Markdown construct ({kind})", line)

    def image(self, tok: Token, line: int) -> m.Image:
        src = str(tok.attrGet("src") or "")
        try:
            path = self.resolver.local(src, self.file.parent)
        except resources.Refused as exc:
            raise self.error(f"image refused: {exc}", line) from None
        if not path.is_file():
            raise self.error(f"image {src!r} not found (looked for {path})", line)
        if path.suffix.lower() not in IMAGE_SUFFIXES:
            raise self.error(f"image {src!r} is not an image file ({', '.join(sorted(IMAGE_SUFFIXES))})", line)
        alt = txt.squash(txt.plain(self.inlines(tok, children=tok.children or [])))
        return m.Image(src, alt, str(tok.attrGet("title") or ""))

    # ---------------------------------------------------------------- notes
    def collect_notes(self, tokens: Sequence[Token]) -> None:
        """Read every footnote definition first, so references can hold their blocks."""
        i = 0
        while i < len(tokens):
            tok = tokens[i]
            if tok.type == "footnote_open":
                end = self._close_index(tokens, i)
                body = [t for t in tokens[i + 1 : end] if t.type != "footnote_anchor"]
                assert tok.meta is not None
                self.notes[tok.meta["id"]] = self.blocks(body)
                i = end
            i += 1


def _attr(token: Token, allowed: Sequence[str]) -> m.Attr:
    ident = str(token.attrGet("id") or "") if "id" in allowed else ""
    classes = tuple(str(token.attrGet("class") or "").split()) if "class" in allowed else ()
    values = tuple((str(k), str(v)) for k, v in token.attrs.items() if k not in ("id", "class") and k in allowed)
    return m.Attr(ident, classes, values)


def _merge(nodes: list[m.Inline]) -> tuple[m.Inline, ...]:
    out: list[m.Inline] = []
    for node in nodes:
        if isinstance(node, m.Text) and out and isinstance(out[-1], m.Text):
            out[-1] = m.Text(out[-1].text + node.text)
        elif not (isinstance(node, m.Text) and not node.text):
            out.append(node)
    return tuple(out)


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
    return _merge([m.Text(rest), *block.content[1:]])


def _attach_table_captions(blocks: list[m.Block]) -> tuple[m.Block, ...]:
    out: list[m.Block] = []
    for block in blocks:
        caption = _caption_text(block)
        if caption is not None and out and isinstance(out[-1], m.Table) and not out[-1].caption:
            table = out[-1]
            out[-1] = m.Table(table.header, table.rows, table.aligns, caption)
            continue
        if isinstance(block, m.Table) and out and not block.caption:
            before = _caption_text(out[-1])
            if before is not None:
                out[-1] = m.Table(block.header, block.rows, block.aligns, before)
                continue
        out.append(block)
    return tuple(out)


def _check_nesting(tokens: Sequence[Token], reader: _Reader) -> None:
    """markdown-it silently stops nesting past maxNesting and drops text: refuse instead."""
    depth = 0
    for tok in tokens:
        depth += tok.nesting
        if depth >= MAX_NESTING - 2:
            raise reader.error(f"blocks are nested more than {MAX_NESTING - 2} levels deep", reader.line(tok))
        for child in tok.children or []:
            if child.level >= MAX_NESTING - 2:
                raise reader.error(
                    f"inline markup is nested more than {MAX_NESTING - 2} levels deep",
                    reader.line(tok),
                )



def read_text(
    source: str, file: Path, resolver: resources.Resolver | None = None, defaults: dict[str, Any] | None = None
) -> m.Document:
    """Parse Markdown source (already decoded) into a document, before transforms.
    ``resolver`` decides which image files the document may use (default: files in its
    own folder and below)."""
    source = sourcefile.clean(source, file)
    data, yaml_text, body, offset = sourcefile.split_front_matter(source, file)
    if defaults:
        data = {**defaults, **data}  # publish.toml's [defaults]; the front matter wins
    metadata = meta.parse(data, yaml_text, file, first_line=2)
    if not body.strip():
        raise PublishError("the document has no text after its front matter", file, offset + 1)
    return m.Document(metadata, parse_body(body, file, offset, resolver, metadata.lang), source=file)



def parse_body(
    body: str, file: Path, offset: int, resolver: resources.Resolver | None, lang: str
) -> tuple[m.Block, ...]:
    """The blocks of a Markdown body that starts after ``offset`` lines of ``file``."""
    resolver = resolver or resources.Resolver.for_document(file, None)
    tokens = _parser(lang).parse(body)
    reader = _Reader(file, offset, resolver)
    _check_nesting(tokens, reader)
    reader.collect_notes(tokens)
    return reader.blocks(tokens)


def read(
    path: Path | str,
    resolver: resources.Resolver | None = None,
    max_bytes: int = MAX_SOURCE_BYTES,
    defaults: dict[str, Any] | None = None,
) -> m.Document:
    """Read one Markdown file into a document, before transforms."""
    path = Path(path)
    return read_text(sourcefile.decode(path, max_bytes), path, resolver, defaults)

