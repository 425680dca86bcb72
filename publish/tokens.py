"""markdown-it tokens → model nodes: the walk over the token stream of
:mod:`publish.markdown`, with the policies for raw HTML (:mod:`publish.rawhtml`), images
and links (:mod:`publish.links`). Tokens never leave this module and :mod:`publish.reader`.
Every problem goes to the document's :class:`publish.errors.Diagnostics`."""

from __future__ import annotations

import dataclasses
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from markdown_it.token import Token

from publish import attrs, cites, i18n, links, markdown, mathtex, pandoctables, rawhtml, resources, transforms, walk
from publish import mathmacros as texmacros
from publish import model as m
from publish import text as txt
from publish.errors import Diagnostics, PublishError
from publish.headingrefs import marked

log = logging.getLogger("publish")

MAX_NESTING = markdown.MAX_NESTING
_UNDEFINED_NOTE = re.compile(r"\[\^([^\]\s]+)\]")
_ALERT_KINDS = ("note", "tip", "important", "warning", "caution")


@dataclass
class _Frame:
    kind: str
    token: Token | None
    line: int
    content: list[m.Inline] = field(default_factory=list)
    attr: m.Attr = m.NO_ATTR


@dataclass
class _Container:
    """An HTML element opened in one HTML block and closed in a later one, with the
    Markdown blocks between."""

    element: rawhtml.Element | None
    blocks: list[m.Block] = field(default_factory=list)


class Reader:
    def __init__(self, file: Path, offset: int, resolver: resources.Resolver, lang: str, diagnostics: Diagnostics):
        self.file = file
        self.offset = offset  # lines before the Markdown body
        self.resolver, self.lang, self.diagnostics = resolver, lang, diagnostics
        self.notes: dict[int, tuple[m.Block, ...]] = {}
        self.links = links.Recorder()
        self.html = rawhtml.Converter(self)
        self.macros = texmacros.Macros()

    # ---------------------------------------------------------------- helpers
    def line(self, token: Token) -> int:
        return self.offset + (token.map[0] + 1 if token.map else 1)

    def error(self, message: str, line: int) -> PublishError:
        return PublishError(message, self.file, line)

    def attr(self, token: Token, allowed: Sequence[str], line: int, content: Sequence[walk.Node]) -> m.Attr:
        """A token's attributes of ``allowed``, languages and directions checked (and a
        heading's mark for an implicit reference, :mod:`publish.headingrefs`)."""
        ident = str(token.attrGet("id") or "") if "id" in allowed else ""
        classes = tuple(str(token.attrGet("class") or "").split()) if "class" in allowed else ()
        values = tuple((str(k), str(v)) for k, v in token.attrs.items() if k not in ("id", "class") and k in allowed)
        return marked(attrs.checked(m.Attr(ident, classes, values), line, self.warn, content), token)

    def warn(self, message: str, line: int) -> None:
        self.diagnostics.warn(message, line)

    # ---------------------------------------------------------------- blocks
    def blocks(self, tokens: Sequence[Token]) -> tuple[m.Block, ...]:
        stack = [_Container(None)]
        i = 0
        while i < len(tokens):
            token = tokens[i]
            end = self._close_index(tokens, i)
            if token.type == "html_block":
                self.html_block(token, stack)
            else:
                block = self.block(token, tokens[i + 1 : end])
                if block is not None:
                    stack[-1].blocks.append(block)
            i = end + 1
        while len(stack) > 1:
            open_element = stack[-1].element
            assert open_element is not None
            self.warn(f"<{open_element.name}> is opened but never closed: it is closed here", open_element.line)
            self._close_container(stack)
        return transforms.attach_table_captions(mathtex.attach_labels(stack[0].blocks))

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
        line = self.line(token)
        if kind == "paragraph_open":
            return self.paragraph(inner[0], line)
        if kind == "heading_open":
            content = self.inlines(inner[0])
            return m.Heading(int(token.tag[1]), content, self.attr(token, markdown.SPAN_ATTRIBUTES, line, content))
        if kind == "blockquote_open":
            return m.BlockQuote(self.blocks(inner))
        if kind in ("bullet_list_open", "ordered_list_open"):
            items = tuple(self.list_items(inner))
            # CommonMark's tight list: markdown-it hides its items' paragraphs
            paragraphs = [t for t in inner if t.type == "paragraph_open" and t.level == token.level + 2]
            tight = all(t.hidden for t in paragraphs)
            if kind == "bullet_list_open":
                return m.BulletList(items, tight)
            style = str((token.meta or {}).get("style", "decimal"))
            delim = str((token.meta or {}).get("delim", "one-paren" if token.markup == ")" else "period"))
            return m.OrderedList(items, int(token.attrGet("start") or 1), tight, style, delim)
        if kind in ("fence", "code_block"):
            language = token.info.strip().split()[0] if token.info.strip() else ""
            return m.CodeBlock(txt.clean(token.content.rstrip("\n")), language.lstrip("{.").rstrip("}"))
        if kind == "hr":
            return m.ThematicBreak()
        if kind == "table_open":
            return self.table(inner)
        if kind == "div_open":
            return self.div(token, inner)
        if kind == "alert_open":
            title = next((self.inlines(t) for t in inner if t.type == "inline"), ())
            start = next((j for j, t in enumerate(inner) if t.type == "alert_title_close"), -1) + 1
            name = str(token.meta.get("kind", "note")).lower()
            name = name if name in _ALERT_KINDS else "note"
            title = (m.Text(i18n.labels(self.lang).get(name, name.title())),) if title else ()
            return m.Div(self.blocks(inner[start:]), m.Attr(classes=(f"callout-{name}",)), title)
        if kind == "line_block":
            return self.line_block(token, line)
        if kind == "pandoc_table_open":
            return pandoctables.build(token, inner, self.inlines, self.blocks, lambda message: self.warn(message, line))
        if kind == "pandoc_table":
            self.warn(
                f"the cells of this pandoc {token.info} table do not line up: it is kept as preformatted text", line
            )
            return m.CodeBlock(txt.clean(token.content))
        if kind == "math_block":
            if (math := self.math(token.content, True, line)) is None:
                return None
            return m.Paragraph((math,)) if isinstance(math, m.Math) else m.CodeBlock(math.text, "latex")
        if kind == "dl_open":
            return m.DefinitionList(self.definitions(inner), bool((token.meta or {}).get("tight")))
        if kind == "raw_block":
            self.warn(self.macros.raw(token.info, token.content), line)
            return None
        if kind == "footnote_block_open":
            return None
        self.diagnostics.error(f"unsupported Markdown construct ({kind})", line)
        return None

    def paragraph(self, inline: Token, line: int) -> m.Block:
        content = self.inlines(inline)
        visible = [n for n in content if not (isinstance(n, m.Text) and not n.text.strip())]
        if len(visible) == 1 and isinstance(visible[0], m.Image):
            image = visible[0]
            image_token = next(t for t in inline.children or [] if t.type == "image")
            caption = self.inlines(image_token, children=image_token.children or []) or (m.Text(image.alt),)
            return m.Figure(image, caption, self.attr(image_token, markdown.FIGURE_ATTRIBUTES, line, caption))
        return links.unpictured(content, inline.children or [])

    def list_items(self, tokens: Sequence[Token]) -> list[m.ListItem]:
        items = []
        i = 0
        while i < len(tokens):
            end = self._close_index(tokens, i)
            checked = tokens[i].meta.get("checked") if tokens[i].meta else None
            items.append(m.ListItem(self.blocks(tokens[i + 1 : end]), checked if isinstance(checked, bool) else None))
            i = end + 1
        return items

    def definitions(self, tokens: Sequence[Token]) -> tuple[m.DefinitionItem, ...]:
        """A definition list's items: each term with the definitions that follow it."""
        items: list[tuple[tuple[m.Inline, ...], list[tuple[m.Block, ...]]]] = []
        i = 0
        while i < len(tokens):
            end = self._close_index(tokens, i)
            if tokens[i].type == "dt_open":
                items.append((self.inlines(tokens[i + 1]), []))
            elif tokens[i].type == "dd_open" and items:
                items[-1][1].append(self.blocks(tokens[i + 1 : end]))
            i = end + 1
        return tuple(m.DefinitionItem(term, tuple(defs)) for term, defs in items)

    def div(self, token: Token, inner: Sequence[Token]) -> m.Block:
        pairs = markdown.attributes(token.info)
        ident = next((v for k, v in pairs if k == "id"), "")
        classes = tuple(v for k, v in pairs if k == "class")
        values = tuple((k, v) for k, v in pairs if k not in ("id", "class"))
        blocks = self.blocks(inner)
        title: tuple[m.Inline, ...] = ()
        callout = next((c for c in classes if c.startswith("callout-")), "")
        if callout:
            kind = callout.removeprefix("callout-")
            if kind not in _ALERT_KINDS:
                self.warn(f"unknown callout kind {kind!r}: set as a note", self.line(token))
                classes = tuple("callout-note" if c == callout else c for c in classes)
                kind = "note"
            given = next((v for k, v in values if k == "title"), "")
            if given:
                title = (m.Text(given),)
            elif blocks and isinstance(blocks[0], m.Heading):
                title, blocks = blocks[0].content, blocks[1:]
            else:
                title = (m.Text(i18n.labels(self.lang).get(kind, kind.title())),)
            values = tuple((k, v) for k, v in values if k != "title")
        attr = attrs.checked(m.Attr(ident, classes, values), self.line(token), self.warn, blocks)
        return m.Div(blocks, attr, title)

    def line_block(self, token: Token, line: int) -> m.Block:
        content: list[m.Inline] = []
        for n, text in enumerate(token.content.split("\n")):
            if n:
                content.append(m.LineBreak())
            stripped = text.lstrip(" ")
            content.append(m.Text("\u00a0" * (len(text) - len(stripped))))
            inline = Token("inline", "", 0, content=stripped, map=[line - self.offset - 1 + n, line - self.offset + n])
            inline.children = []
            markdown.parser(self.lang).inline.parse(stripped, markdown.parser(self.lang), {}, inline.children)
            content.extend(self.inlines(inline))
        return m.Paragraph(txt.merge(content))

    def table(self, inner: Sequence[Token]) -> m.Table:
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

    # ---------------------------------------------------------------- raw HTML blocks
    def html_block(self, token: Token, stack: list[_Container]) -> None:
        content = token.content
        if content.lstrip().startswith("<!--") and content.rstrip().endswith("-->"):
            return
        parsed = rawhtml.parse(content, self.line(token))
        if parsed.too_deep:
            self.warn("HTML nested too deep: the inner tags are dropped, their content kept", parsed.too_deep)
        for tag, line in parsed.stray:
            opened = [c.element.name for c in stack[1:] if c.element is not None]
            if tag in opened:
                while stack[-1].element is not None and stack[-1].element.name != tag:
                    self._close_container(stack)
                self._close_container(stack)
            elif tag not in rawhtml.VOID:
                self.warn(f"</{tag}> closes nothing: dropped", line)
        stack[-1].blocks.extend(self.html.blocks([c for c in parsed.root.children if not _open(c)]))
        for child in parsed.root.children:
            element = child if isinstance(child, rawhtml.Element) else None
            while element is not None and not element.closed:
                if len(stack) >= MAX_NESTING // 2:
                    self.warn(
                        f"<{element.name}> nested too deep in HTML: the tag is dropped, its content kept", element.line
                    )
                    break
                stack.append(_Container(element))  # its closed children are read when it closes
                element = next((c for c in element.children if _open(c)), None)  # type: ignore[assignment]

    def _close_container(self, stack: list[_Container]) -> None:
        container = stack.pop()
        element = container.element
        assert element is not None
        if element.name in rawhtml.DROPPED:
            self.warn(f"<{element.name}> removed with its content", element.line)
            return
        element.children = [c for c in element.children if not _open(c)]
        converted = self.html.block(dataclasses.replace(element, children=[*element.children]))
        if len(converted) == 1 and isinstance(converted[0], m.Div):
            div = converted[0]
            converted = [dataclasses.replace(div, blocks=(*div.blocks, *container.blocks))]
        else:
            converted = [*converted, *container.blocks]
        stack[-1].blocks.extend(converted)

    # ---------------------------------------------------------------- inlines
    def inlines(
        self, inline: Token, children: Sequence[Token] | None = None, breaks: bool = False
    ) -> tuple[m.Inline, ...]:
        line = self.line(inline)
        stack = [_Frame("root", None, line)]
        for tok in inline.children or [] if children is None else children:
            kind = tok.type
            if kind in ("softbreak", "hardbreak"):
                soft = m.LineBreak() if breaks or kind == "hardbreak" else m.Text(" ")
                stack[-1].content.append(soft)
                line += 1
                continue
            if kind == "html_inline":
                self.html_inline(tok, line, stack)
                continue
            if kind.endswith("_open"):
                stack.append(_Frame(kind[:-5], tok, line))
            elif kind.endswith("_close"):
                if len(stack) == 1 or stack[-1].kind != kind[:-6]:
                    self.diagnostics.error(f"unbalanced <{kind[:-6]}> in the text", line)
                    continue
                frame = stack.pop()
                stack[-1].content.extend(self.wrap(frame))
            else:
                if kind == "text" and stack[-1].content:  # an equation's label {#eq-x}
                    tok = tok.copy(content=mathtex.take_label(stack[-1].content, tok.content))
                stack[-1].content.extend(self.leaf(tok, line))
                line += tok.content.count("\n") if kind.startswith("math") else 0
        while len(stack) > 1:  # an HTML tag opened and never closed: its text is kept
            frame = stack.pop()
            if frame.kind.startswith("html:"):
                self.warn(f"<{frame.kind[5:]}> is opened but never closed in this paragraph", frame.line)
                stack[-1].content.extend(self.wrap(frame))
            else:
                self.diagnostics.error(f"<{frame.kind}> is opened but never closed", frame.line)
                stack[-1].content.extend(frame.content)
        return txt.merge(stack[0].content)

    def html_inline(self, tok: Token, line: int, stack: list[_Frame]) -> None:
        raw = tok.content.strip()
        tag = rawhtml.tag(raw)
        if tag is None:  # a comment, a declaration, a processing instruction
            return
        name = f"html:{tag.name}"
        inside_dropped = any(f.kind[5:] in rawhtml.DROPPED for f in stack if f.kind.startswith("html:"))
        if inside_dropped and name != stack[-1].kind and not (tag.end and any(f.kind == name for f in stack)):
            return  # inside an element dropped with its content
        if tag.end:
            for depth in range(len(stack) - 1, 0, -1):
                if stack[depth].kind == name:
                    while len(stack) - 1 > depth:
                        inner = stack.pop()
                        stack[-1].content.extend(self.wrap(inner))
                    frame = stack.pop()
                    stack[-1].content.extend(self.wrap(frame))
                    return
            if tag.name not in rawhtml.VOID:
                self.warn(f"</{tag.name}> closes nothing: dropped", line)
            return
        element = rawhtml.Element(tag.name, tag.attrs, line)
        if not tag.void and len(stack) >= MAX_NESTING // 2:
            self.warn(f"<{tag.name}> nested too deep in HTML: the tag is dropped, its text kept", line)
            return
        if tag.void:
            stack[-1].content.extend(self.html.inline(element))
        else:
            if tag.name in rawhtml.DROPPED:
                self.html.dropped(tag.name, line)
            stack.append(_Frame(name, None, line, attr=m.Attr(values=tuple(tag.attrs.items()))))

    def wrap(self, frame: _Frame) -> list[m.Inline]:
        content = txt.merge(frame.content)
        kind, tok = frame.kind, frame.token
        if kind.startswith("html:"):
            name = kind[5:]
            if name in rawhtml.DROPPED:
                return []  # said when it opened
            return self.html.wrap(name, dict(frame.attr.values), frame.line, content)
        if kind in rawhtml.PHRASES:
            return [rawhtml.PHRASES[kind](content)]
        if kind.startswith("cite"):
            return cites.wrap(kind, tok, content, frame.line)
        if kind == "span" and tok is not None:
            return [m.Span(content, self.attr(tok, markdown.SPAN_ATTRIBUTES, frame.line, content))]
        if kind == "link" and tok is not None:
            return [self.link(content, str(tok.attrGet("href") or ""), str(tok.attrGet("title") or ""), frame.line)]
        self.diagnostics.error(f"unsupported inline Markdown construct ({kind})", frame.line)
        return list(content)

    def leaf(self, tok: Token, line: int) -> list[m.Inline]:
        kind = tok.type
        if kind == "text":
            found = _UNDEFINED_NOTE.search(tok.content)
            if found:
                self.warn(f"footnote [^{found.group(1)}] is referenced but not defined: kept as text", line)
            return [m.Text(txt.clean(tok.content))]
        if kind == "code_inline":
            return [m.Code(txt.clean(tok.content).strip(" "))]  # pandoc trims a code span's spaces
        if kind == "image":
            alt = txt.squash(txt.plain(self.inlines(tok, children=tok.children or [])))
            return [self.image(str(tok.attrGet("src") or ""), alt, str(tok.attrGet("title") or ""), line)]
        if kind == "footnote_ref":
            assert tok.meta is not None
            note_id = tok.meta["id"]
            return [m.Note(self.notes.get(note_id, ()), str(tok.meta.get("label") or note_id + 1))]
        if kind == "raw_inline":
            self.warn(f"raw {tok.info} text is dropped: only raw HTML reaches the editions", line)
            return []
        if kind in ("math_inline", "math_inline_double"):
            return [math] if (math := self.math(tok.content, kind == "math_inline_double", line)) else []
        self.diagnostics.error(f"unsupported inline Markdown construct ({kind})", line)
        return []

    def math(self, tex: str, display: bool, line: int) -> m.Math | m.Code | None:
        """A formula (its macros expanded), its TeX as code with a warning when it is
        refused, None when it only defines macros (:mod:`publish.mathmacros`)."""
        return texmacros.read(tex, display, self.macros, self.warn, line)

    # ---------------------------------------------------------------- images and links
    def image(self, src: str, alt: str, title: str, line: int) -> m.Inline:
        return links.image(self, src, alt, title, line)

    def link(self, content: tuple[m.Inline, ...], url: str, title: str, line: int) -> m.Inline:
        return self.links.link(content, url, title, line, self)

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


def _open(node: rawhtml.Element | str) -> bool:
    return isinstance(node, rawhtml.Element) and not node.closed
