"""The one body renderer: model blocks → HTML markup shared by the HTML, PDF and EPUB editions.

The markup is polyglot (valid HTML5 and valid XHTML): every element closed, void elements
self-closed, text escaped. Templates receive this markup, never the tree.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from markupsafe import Markup, escape

from publish import model as m
from publish import transforms


@dataclass(frozen=True)
class BodyOptions:
    #: Maps an image's ``src`` (as written in the source) to the URL the edition uses.
    image_url: Callable[[str], str] = field(default=lambda src: src)
    #: EPUB 3 semantics: ``epub:type`` on note references and notes, ``xml:lang`` with ``lang``.
    epub: bool = False
    #: The document's language: spans in another language get ``lang``.
    lang: str = "en"


def _attrs(pairs: Iterable[tuple[str, str | None]]) -> str:
    return "".join(f' {k}="{escape(v)}"' for k, v in pairs if v is not None and v != "")


class BodyRenderer:
    def __init__(self, options: BodyOptions):
        self.o = options

    # ---------------------------------------------------------------- inlines
    def inlines(self, nodes: Iterable[m.Inline]) -> str:
        return "".join(self.inline(n) for n in nodes)

    def lang_attrs(self, lang: str | None) -> list[tuple[str, str | None]]:
        if not lang:
            return []
        pairs: list[tuple[str, str | None]] = [("lang", lang)]
        if self.o.epub:
            pairs.append(("xml:lang", lang))
        return pairs

    def inline(self, node: m.Inline) -> str:
        match node:
            case m.Text(text=t):
                return str(escape(t))
            case m.Emphasis(content=c):
                return f"<em>{self.inlines(c)}</em>"
            case m.Strong(content=c):
                return f"<strong>{self.inlines(c)}</strong>"
            case m.Superscript(content=c):
                return f"<sup>{self.inlines(c)}</sup>"
            case m.Subscript(content=c):
                return f"<sub>{self.inlines(c)}</sub>"
            case m.Code(text=t):
                return f"<code>{escape(t)}</code>"
            case m.Link(content=c, url=url, title=title):
                return f"<a{_attrs([('href', url), ('title', title)])}>{self.inlines(c)}</a>"
            case m.Image(src=src, alt=alt, title=title):
                attrs = _attrs([("src", self.o.image_url(src)), ("alt", alt), ("title", title)])
                return f"<img{attrs} />"
            case m.Span(content=c, attr=attr):
                pairs: list[tuple[str, str | None]] = [
                    ("id", attr.id),
                    ("class", " ".join(attr.classes)),
                    ("dir", attr.get("dir")),
                ]
                pairs += self.lang_attrs(attr.lang)
                return f"<span{_attrs(pairs)}>{self.inlines(c)}</span>"
            case m.LineBreak():
                return "<br />"
            case m.Note(number=n):
                epub = [("epub:type", "noteref")] if self.o.epub else []
                attrs = _attrs(
                    [
                        ("href", f"#fn{n}"),
                        ("id", f"fnref{n}"),
                        ("class", "footnote-ref"),
                        ("role", "doc-noteref"),
                        *epub,
                    ]
                )
                return f"<a{attrs}><sup>{n}</sup></a>"
        raise TypeError(f"not an inline node: {node!r}")

    # ---------------------------------------------------------------- blocks
    def blocks(self, nodes: Iterable[m.Block]) -> str:
        return "\n".join(self.block(n) for n in nodes)

    def block(self, node: m.Block) -> str:
        match node:
            case m.Heading(level=level, content=c, attr=attr):
                attrs = _attrs([("id", attr.id), ("class", " ".join(attr.classes))])
                return f"<h{level}{attrs}>{self.inlines(c)}</h{level}>"
            case m.Paragraph(content=c):
                return f"<p>{self.inlines(c)}</p>"
            case m.BlockQuote(blocks=b):
                return f"<blockquote>\n{self.blocks(b)}\n</blockquote>"
            case m.BulletList(items=items):
                return f"<ul>\n{self.items(items)}\n</ul>"
            case m.OrderedList(items=items, start=start):
                attrs = _attrs([("start", str(start) if start != 1 else None)])
                return f"<ol{attrs}>\n{self.items(items)}\n</ol>"
            case m.CodeBlock(text=code, language=language):
                cls = _attrs([("class", f"language-{language}" if language else None)])
                return f'<pre class="code"><code{cls}>{escape(code)}</code></pre>'
            case m.Figure(image=image, caption=caption, attr=attr):
                img = _attrs([("src", self.o.image_url(image.src)), ("alt", image.alt)])
                return (
                    f"<figure{_attrs([('id', attr.id)])}>\n<img{img} />\n"
                    f"<figcaption>{self.inlines(caption)}</figcaption>\n</figure>"
                )
            case m.Table():
                return self.table(node)
            case m.ThematicBreak():
                return "<hr />"
        raise TypeError(f"not a block node: {node!r}")

    def items(self, items: Iterable[m.ListItem]) -> str:
        return "\n".join(f"<li>{self.blocks(i.blocks)}</li>" for i in items)

    def table(self, table: m.Table) -> str:
        def cell(tag: str, c: m.Cell, align: m.Align) -> str:
            style = f"text-align: {align.value}" if align is not m.Align.DEFAULT else None
            scope = "col" if tag == "th" else None
            return f"<{tag}{_attrs([('scope', scope), ('style', style)])}>{self.inlines(c.content)}</{tag}>"

        aligns = list(table.aligns)
        out = ["<table>"]
        if table.caption:
            out.append(f"<caption>{self.inlines(table.caption)}</caption>")
        out.append(
            "<thead>\n<tr>"
            + "".join(cell("th", c, a) for c, a in zip(table.header, aligns, strict=False))
            + "</tr>\n</thead>"
        )
        out.append("<tbody>")
        for row in table.rows:
            out.append("<tr>" + "".join(cell("td", c, a) for c, a in zip(row, aligns, strict=False)) + "</tr>")
        out.append("</tbody>\n</table>")
        return "\n".join(out)

    # ---------------------------------------------------------------- notes
    def notes(self, doc: m.Document) -> str:
        notes = transforms.notes(doc)
        if not notes:
            return ""
        epub_section = [("epub:type", "endnotes")] if self.o.epub else []
        out = [
            f"<section{_attrs([('class', 'footnotes'), ('role', 'doc-endnotes'), *epub_section])}>",
            "<hr />",
            "<ol>",
        ]
        for note in notes:
            epub = [("epub:type", "endnote")] if self.o.epub else []
            back = f'<a href="#fnref{note.number}" class="footnote-back" role="doc-backlink">\u21a9\ufe0e</a>'
            body = self.blocks(note.blocks) or "<p></p>"
            body = _append_inside_last_p(body, " " + back)
            out.append(f"<li{_attrs([('id', f'fn{note.number}'), *epub])}>{body}</li>")
        out.append("</ol>\n</section>")
        return "\n".join(out)


def _append_inside_last_p(html: str, extra: str) -> str:
    if html.endswith("</p>"):
        return html[: -len("</p>")] + extra + "</p>"
    return html + f"<p>{extra}</p>"


@dataclass(frozen=True)
class Body:
    blocks: Markup
    notes: Markup


def render(doc: m.Document, options: BodyOptions) -> Body:
    renderer = BodyRenderer(options)
    return Body(Markup(renderer.blocks(doc.blocks)), Markup(renderer.notes(doc)))
