"""Raw HTML in Markdown, read into the model through an allow-list.

Nothing passes through as markup. The standard library's HTML parser reads a fragment;
every element is mapped to a model node (``<img>`` → Image, ``<a href>`` → Link,
``<kbd>`` → a ``kbd`` Span, ``<details>`` → a titled Div, ``<table>`` → Table…), or
dropped with its content and a warning (``<script>``, ``<style>``, ``<iframe>``, forms),
or, when unknown, dropped with its text kept and a warning. Event attributes and
``javascript:`` URLs never reach the model. Line numbers of the problems are the source's.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Protocol

from publish import deflists, tablegrid
from publish import model as m
from publish import text as txt
from publish.attrs import checked as checked_attr
from publish.walk import Node


def _names(words: str) -> frozenset[str]:
    return frozenset(words.split())


#: Elements dropped with their content (and a warning): they run code, load things or
#: take input, which a published edition must not do.
DROPPED = _names(
    "applet area audio base button canvas embed form frame frameset iframe input link map math meta "
    "noscript object option script select source style svg template textarea track video"
)
#: Elements that stand for nothing visible and are dropped silently (their text kept).
TRANSPARENT = _names("article aside center figure font footer header main nav picture section span")
VOID = _names("area base br col embed hr img input link meta source track wbr")
INLINE_ROLES = {
    "em": "em",
    "i": "em",
    "cite": "em",
    "var": "em",
    "strong": "strong",
    "b": "strong",
    "sup": "sup",
    "sub": "sub",
    "s": "s",
    "del": "s",
    "strike": "s",
    "u": "u",
    "ins": "u",
    "code": "code",
    "tt": "code",
    "samp": "code",
    **{role: "role" for role in m.SPAN_ROLES},
    "span": "span",
    "a": "a",
    "q": "q",
}
#: The phrase nodes by the name both Markdown's tokens and HTML's roles give them.
PHRASES: dict[str, type[m.Emphasis | m.Strong | m.Superscript | m.Subscript | m.Strikeout | m.Underline]] = {
    "em": m.Emphasis,
    "strong": m.Strong,
    "sup": m.Superscript,
    "sub": m.Subscript,
    "s": m.Strikeout,
    "u": m.Underline,
}
BLOCKS = _names(
    "address article aside blockquote center dd details div dl dt figcaption figure footer h1 h2 h3 h4 "
    "h5 h6 header hr li main nav ol p pre section summary table tbody td tfoot th thead tr ul"
)
KEPT_ATTRIBUTES = ("lang", "dir", "align")
#: Elements nested deeper than this are read as their content (the model's nesting limit).
MAX_DEPTH = 16
_SAFE_URL = re.compile(r"^(?:https?:|mailto:|#|[^:]*$)", re.I)


class Host(Protocol):
    """What the reader lends the sanitizer: its policies for images and links, and its
    diagnostics."""

    def warn(self, message: str, line: int) -> None: ...

    def image(self, src: str, alt: str, title: str, line: int) -> m.Inline: ...

    def link(self, content: tuple[m.Inline, ...], url: str, title: str, line: int) -> m.Inline: ...


@dataclass
class Element:
    name: str
    attrs: dict[str, str]
    line: int
    children: list[Element | str] = field(default_factory=list)
    closed: bool = False


@dataclass(frozen=True)
class Tag:
    """One tag of inline HTML (markdown-it gives inline HTML a tag at a time)."""

    name: str
    attrs: dict[str, str]
    end: bool
    void: bool


class _Parser(HTMLParser):
    def __init__(self, first_line: int):
        super().__init__(convert_charrefs=True)
        self.first_line = first_line
        self.root = Element("#root", {}, first_line)
        self.stack = [self.root]
        self.stray: list[tuple[str, int]] = []
        #: The line of the first element nested deeper than :data:`MAX_DEPTH` (0: none).
        self.too_deep = 0

    def line(self) -> int:
        return self.first_line + self.getpos()[0] - 1

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if len(self.stack) > MAX_DEPTH and tag not in VOID:
            self.too_deep = self.too_deep or self.line()
            return  # its content goes to the element it is in
        element = Element(tag, {k.lower(): v or "" for k, v in attrs}, self.line())
        if tag in ("p", "li", "dt", "dd", "tr", "td", "th") and self.stack[-1].name == tag:
            self.handle_endtag(tag)  # HTML's implied end tags, the common cases
        self.stack[-1].children.append(element)
        if tag not in VOID:
            self.stack.append(element)
        else:
            element.closed = True

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID and self.stack[-1].name == tag:
            self.stack.pop().closed = True

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].name == tag:
                for element in self.stack[i:]:
                    element.closed = True
                del self.stack[i:]
                return
        self.stray.append((tag, self.line()))

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse(fragment: str, first_line: int) -> _Parser:
    parser = _Parser(first_line)
    parser.feed(fragment)
    parser.close()
    return parser


def tag(raw: str) -> Tag | None:
    """The one tag of an inline HTML token (None for a comment or a declaration)."""
    found = re.match(r"<\s*(/?)\s*([A-Za-z][A-Za-z0-9-]*)", raw)
    if not found:
        return None
    name = found.group(2).lower()
    attrs: dict[str, str] = {}
    if not found.group(1):
        root = parse(raw, 1).root
        first = next((c for c in root.children if isinstance(c, Element)), None)
        attrs = first.attrs if first is not None else {}
    return Tag(name, attrs, bool(found.group(1)), name in VOID or raw.rstrip().endswith("/>"))


def unsafe_attributes(attrs: dict[str, str]) -> list[str]:
    return sorted(k for k in attrs if k.startswith("on"))


def safe_url(url: str) -> bool:
    return bool(_SAFE_URL.match(url.strip()))


def span_attr(name: str, attrs: dict[str, str]) -> m.Attr:
    """The attributes an inline element keeps: id, classes, lang, dir (and an abbr's title)."""
    classes = tuple(attrs.get("class", "").split())
    if name in m.SPAN_ROLES:
        classes = (name, *classes)
    values = [(k, attrs[k]) for k in ("lang", "dir") if attrs.get(k)]
    if name == "abbr" and attrs.get("title"):
        values.append(("title", attrs["title"]))
    return m.Attr(attrs.get("id", attrs.get("name", "")), classes, tuple(values))


def block_attr(attrs: dict[str, str]) -> m.Attr:
    values = tuple((k, attrs[k].lower() if k == "align" else attrs[k]) for k in KEPT_ATTRIBUTES if attrs.get(k))
    return m.Attr(attrs.get("id", ""), tuple(attrs.get("class", "").split()), values)


class Converter:
    """Elements → model nodes, with the host's policies and warnings."""

    def __init__(self, host: Host):
        self.host = host

    # ------------------------------------------------------------------ inlines
    def inlines(self, nodes: list[Element | str], pre: bool = False) -> tuple[m.Inline, ...]:
        out: list[m.Inline] = []
        for node in nodes:
            if isinstance(node, str):
                out.append(m.Text(txt.clean(node if pre else re.sub(r"\s+", " ", node))))
            else:
                out.extend(self.inline(node))
        return txt.merge(out)

    def inline(self, el: Element) -> list[m.Inline]:
        name = el.name
        if name in DROPPED:
            self.dropped(name, el.line)
            return []
        if name == "br":
            return [m.LineBreak()]
        if name == "img":
            self.unsafe(name, el.attrs, el.line)
            return [
                self.host.image(el.attrs.get("src", ""), el.attrs.get("alt", ""), el.attrs.get("title", ""), el.line)
            ]
        if name in ("hr", "wbr"):
            return []
        return self.wrap(name, el.attrs, el.line, self.inlines(el.children, pre=name == "pre"))

    def block_attr(self, el: Element, content: Sequence[Node]) -> m.Attr:
        return checked_attr(block_attr(el.attrs), el.line, self.host.warn, content)

    def dropped(self, name: str, line: int) -> None:
        self.host.warn(f"<{name}> removed with its content (raw HTML that runs, loads or asks for input)", line)

    def unsafe(self, name: str, attrs: dict[str, str], line: int) -> None:
        for attr in unsafe_attributes(attrs):
            self.host.warn(f"<{name} {attr}=…> removed (event attributes run code)", line)

    def wrap(self, name: str, attrs: dict[str, str], line: int, content: tuple[m.Inline, ...]) -> list[m.Inline]:
        """The node an inline element with (already converted) ``content`` becomes."""
        self.unsafe(name, attrs, line)
        role = INLINE_ROLES.get(name)
        if role in PHRASES:
            return [PHRASES[role](content)]
        if role == "code":
            return [m.Code(txt.plain(content))]
        if role == "q":
            return [m.Text("\u201c"), *content, m.Text("\u201d")]
        if role in ("role", "span"):
            attr = checked_attr(span_attr(name, attrs), line, self.host.warn, content)
            return [m.Span(content, attr)] if attr != m.NO_ATTR else list(content)
        if role == "a":
            href = attrs.get("href", "")
            anchor = attrs.get("id") or attrs.get("name")
            if not href:
                return [m.Span(content, m.Attr(anchor))] if anchor else list(content)
            if not safe_url(href):
                self.host.warn(
                    f"link to {href[:40]!r} removed, its text kept (only http, https, mailto and local links)", line
                )
                return list(content)
            return [self.host.link(content, href, attrs.get("title", ""), line)]
        if name not in BLOCKS and name not in TRANSPARENT:
            self.host.warn(f"<{name}> is not an HTML element publish reads: its text is kept, the tag dropped", line)
        return list(content)

    # ------------------------------------------------------------------ blocks
    def blocks(self, nodes: list[Element | str]) -> list[m.Block]:
        """Block content: block elements become blocks, runs of inline content paragraphs."""
        out: list[m.Block] = []
        run: list[Element | str] = []

        def flush() -> None:
            content = _strip(self.inlines(run))
            run.clear()
            if content:
                out.append(_paragraph(content))

        for node in nodes:
            if isinstance(node, Element) and (node.name in BLOCKS or node.name in ("figure", "picture")):
                flush()
                out.extend(self.block(node))
            else:
                run.append(node)
        flush()
        return out

    def block(self, el: Element) -> list[m.Block]:
        name = el.name
        self.unsafe(name, el.attrs, el.line)
        if name in ("h1", "h2", "h3", "h4", "h5", "h6"):
            content = _strip(self.inlines(el.children))
            return [m.Heading(int(name[1]), content, self.block_attr(el, content))]
        if name == "p":
            content = _strip(self.inlines(el.children))
            if not content:
                return []
            block = _paragraph(content)
            attr = self.block_attr(el, content)
            return [m.Div((block,), attr)] if attr != m.NO_ATTR else [block]
        if name == "hr":
            return [m.ThematicBreak()]
        if name == "pre":
            code = next((c for c in el.children if isinstance(c, Element) and c.name == "code"), None)
            language = ""
            if code is not None:
                found = re.search(r"(?:language|lang)-(\S+)", code.attrs.get("class", ""))
                language = found.group(1) if found else ""
            text = txt.plain(self.inlines(el.children, pre=True)).strip("\n")
            return [m.CodeBlock(text, language)]
        if name == "blockquote":
            return [m.BlockQuote(tuple(self.blocks(el.children)))]
        if name in ("ul", "ol"):
            lis = [c for c in el.children if isinstance(c, Element) and c.name == "li"]
            items = tuple(m.ListItem(tuple(self.blocks(c.children)) or (m.Paragraph(()),)) for c in lis)
            tight = not any(isinstance(x, Element) and x.name == "p" for li in lis for x in li.children)
            if name == "ul":
                return [m.BulletList(items, tight)]
            start = el.attrs.get("start", "1")
            return [m.OrderedList(items, int(start) if start.isdigit() else 1, tight)]
        if name == "table":
            return self.table(el)
        if name == "details":
            summary = next((c for c in el.children if isinstance(c, Element) and c.name == "summary"), None)
            rest = [c for c in el.children if c is not summary]
            title = _strip(self.inlines(summary.children)) if summary is not None else ()
            blocks = tuple(self.blocks(rest))
            return [m.Div(blocks, _with_class(self.block_attr(el, blocks), "details"), title)]
        if name == "dl":  # a term's definitions: the <dd>s after its <dt>
            parts = [(c.name, c.children) for c in el.children if isinstance(c, Element) and c.name in ("dt", "dd")]
            return deflists.from_html(
                parts, lambda c: _strip(self.inlines(list(c))), lambda c: tuple(self.blocks(list(c)))
            )
        if name == "center":
            return [m.Div(tuple(self.blocks(el.children)), m.Attr(values=(("align", "center"),)))]
        if name == "figure":
            images = [c for c in el.children if isinstance(c, Element) and c.name in ("img", "picture")]
            caption = next((c for c in el.children if isinstance(c, Element) and c.name == "figcaption"), None)
            if len(images) == 1 and caption is not None:
                image = self.inline(images[0] if images[0].name == "img" else _first_img(images[0]) or images[0])
                if len(image) == 1 and isinstance(image[0], m.Image):
                    content = _strip(self.inlines(caption.children))
                    return [m.Figure(image[0], content, self.block_attr(el, content))]
        blocks = tuple(self.blocks(el.children))
        if name in ("div", "section", "article", "aside", "header", "footer", "main", "nav", "figure", "address"):
            attr = self.block_attr(el, blocks)
            return [m.Div(blocks, attr)] if attr != m.NO_ATTR else list(blocks)
        if name not in TRANSPARENT and name not in ("figcaption", "summary", "picture"):
            self.host.warn(
                f"<{name}> is not an HTML element publish reads: its content is kept, the tag dropped", el.line
            )
        return list(blocks)

    def table(self, el: Element) -> list[m.Block]:
        """A table: its ``<thead>`` rows (or a first row of ``<th>``s) the header rows, cells
        spanning rows and columns kept; without spans, rows padded to the widest."""
        rows: list[tuple[list[m.Cell], bool]] = []
        caption: tuple[m.Inline, ...] = ()

        def collect(node: Element, head: bool) -> None:
            nonlocal caption
            for c in (c for c in node.children if isinstance(c, Element)):
                if c.name in ("thead", "tbody", "tfoot"):
                    collect(c, c.name == "thead")
                elif c.name == "caption":
                    caption = _strip(self.inlines(c.children))
                elif c.name == "tr":
                    cells = [x for x in c.children if isinstance(x, Element) and x.name in ("td", "th")]
                    spans = (
                        [tablegrid.count(x.attrs.get("colspan")) for x in cells],
                        [tablegrid.count(x.attrs.get("rowspan")) for x in cells],
                    )
                    row = [
                        m.Cell(_strip(self.inlines(_flatten(x.children))), cs, rs)
                        for x, cs, rs in zip(cells, *spans, strict=True)
                    ]
                    rows.append((row, head or (not rows and bool(cells) and all(x.name == "th" for x in cells))))

        collect(el, False)
        if not rows:
            return []
        spans = any(c.colspan > 1 or c.rowspan > 1 for r, _ in rows for c in r)
        if tablegrid.area([r for r, _ in rows]) > tablegrid.MAX_SLOTS:
            self.host.warn(
                f"a table of more than {tablegrid.MAX_SLOTS} cells once its spans are counted: spans dropped", el.line
            )
            rows, spans = [([m.Cell(c.content) for c in r], head) for r, head in rows], False
        width = len(tablegrid.slots([tuple(r) for r, _ in rows])[0]) if spans else max(len(r) for r, _ in rows)
        pad = [tuple(r if spans else r + [m.Cell(())] * (width - len(r))) for r, _ in rows]
        head = next((n for n, (_, is_head) in enumerate(rows) if not is_head), len(rows))
        header = pad[0] if head else (() if spans else (m.Cell(()),) * width)
        return [m.Table(header, tuple(pad[head:]), (m.Align.DEFAULT,) * width, caption, more_header=tuple(pad[1:head]))]


def _first_img(el: Element) -> Element | None:
    for c in el.children:
        if isinstance(c, Element):
            if c.name == "img":
                return c
            found = _first_img(c)
            if found is not None:
                return found
    return None


def _flatten(nodes: list[Element | str]) -> list[Element | str]:
    """A cell's block elements read as inline content (the model's cells hold inlines)."""
    out: list[Element | str] = []
    for node in nodes:
        if isinstance(node, Element) and node.name in ("p", "div", "ul", "ol", "li", "br"):
            out.extend([*_flatten(node.children), " "])
        else:
            out.append(node)
    return out


def _with_class(attr: m.Attr, name: str) -> m.Attr:
    return m.Attr(attr.id, (name, *attr.classes), attr.values)


def _paragraph(content: tuple[m.Inline, ...]) -> m.Block:
    visible = [n for n in content if not (isinstance(n, m.Text) and not n.text.strip())]
    if len(visible) == 1 and isinstance(visible[0], m.Image) and visible[0].alt:
        return m.Figure(visible[0], (m.Text(visible[0].alt),))
    return m.Paragraph(content)


def _strip(content: tuple[m.Inline, ...]) -> tuple[m.Inline, ...]:
    """Inline content without the white space HTML ignores at its two ends."""
    items = list(content)
    while items and isinstance(items[0], m.Text) and not items[0].text.strip():
        items.pop(0)
    while items and (
        (isinstance(items[-1], m.Text) and not items[-1].text.strip()) or isinstance(items[-1], m.LineBreak)
    ):
        items.pop()
    if items and isinstance(items[0], m.Text):
        items[0] = m.Text(items[0].text.lstrip())
    if items and isinstance(items[-1], m.Text):
        items[-1] = m.Text(items[-1].text.rstrip())
    return tuple(items)
