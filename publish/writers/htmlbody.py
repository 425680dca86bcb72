"""The one body renderer: model blocks → HTML markup shared by the HTML, PDF and EPUB editions.

The markup is polyglot (valid HTML5 and valid XHTML): every element closed, void elements
self-closed, text escaped. Templates receive this markup, never the tree.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

from markupsafe import Markup, escape

from publish import bibliography, highlight, langs, layout, pagedata, walk
from publish import model as m
from publish import templates as tpl
from publish.options import Options
from publish.outline import TASK_BOX
from publish.writers import captions, htmlbib, htmllists, htmltables, mathmarkup

#: How notes are set: ``endnotes`` (an ordered list after the body, with back-links: HTML),
#: ``epub`` (EPUB 3 ``aside epub:type="footnote"`` after the chapter, pop-up notes in reading
#: systems) or ``float`` (the note's text inside the text flow, moved to the foot of its page
#: by the print stylesheet's ``float: footnote``: PDF).
NOTE_MODES = ("endnotes", "epub", "float")


@dataclass(frozen=True)
class BodyOptions:
    #: Maps an image's ``src`` (as written in the source) to the URL the edition uses.
    image_url: Callable[[str], str] = field(default=lambda src: src)
    #: EPUB 3 semantics: ``epub:type`` on note references and notes, ``xml:lang`` with ``lang``.
    epub: bool = False
    #: See :data:`NOTE_MODES`.
    notes: str = "endnotes"
    #: Maps a fragment id of the document (a heading, a note) to the href that reaches it,
    #: for editions split into several files.
    href: Callable[[str], str] = field(default=lambda fragment: "#" + fragment)
    #: Wrap each heading and what follows it in a ``<section>`` (nested by level).
    sections: bool = True
    #: The heading of the endnotes section, in the document's language.
    notes_label: str = "Notes"
    #: The document's language: Chinese and Japanese text gets the gap between Han and Latin
    #: letters or digits as an empty ``<span class="autospace">`` (spacing, not text).
    lang: str = ""
    #: The format of the editions that links to other documents of the build reach
    #: (:func:`publish.layout.edition_link`); empty: such a link keeps its text only (an
    #: EPUB cannot link outside its container).
    documents: str = "html"
    #: Put before the href of such a link (the PDF writer marks them to make links to
    #: another PDF file of them).
    document_prefix: str = ""
    #: The document's direction (``ltr`` or ``rtl``; None: its language's, see
    #: :func:`render`): spans, blocks and code in the other direction are marked with ``dir``.
    direction: str | None = None
    #: Math drawn as SVG (the PDF: WeasyPrint has no MathML), else MathML.
    math_svg: bool = False


#: Div alignments (``attr.values`` key ``align``) and the CSS that sets them.
ALIGNS = {"left": "text-align: left", "center": "text-align: center", "right": "text-align: right"}


def _attrs(pairs: Iterable[tuple[str, str | None]]) -> str:
    return "".join(f' {k}="{escape(v)}"' for k, v in pairs if v is not None and v != "")


def _alt(alt: str) -> str:
    """``alt`` even when empty: an image without alt text is decoration (an artifact in the
    PDF), which an ``<img>`` with no ``alt`` would not say."""
    return f' alt="{escape(alt)}"'


#: The gap between Han or kana and Latin letters or digits: an empty span the stylesheets
#: give a margin (CSS ``text-autospace`` where a browser has it), so copied text has no space.
AUTOSPACE = '<span class="autospace"></span>'


class BodyRenderer:
    def __init__(self, options: BodyOptions):
        self.o = options
        self.lang = options.lang
        self.doc_dir = options.direction or "ltr"
        #: The direction of what is being rendered (a span's or a block's, else the document's).
        self.dir = self.doc_dir
        #: Inside a citation: its links reach bibliography entries (``role="doc-biblioref"``).
        self.citing = False

    def text(self, text: str) -> str:
        if not self.lang or not langs.autospaced(self.lang):
            return str(escape(text))
        return AUTOSPACE.join(str(escape(piece)) for piece in langs.autospace_split(text))

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

    def directed(self, lang: str | None, explicit: str | None) -> tuple[str | None, str]:
        """The ``dir`` attribute an element with ``lang`` and ``dir`` (as written) needs, and
        the direction of its content: ``dir`` as written, else the language's direction where
        it differs from the surrounding text's."""
        direction = langs.direction(lang, explicit, self.dir)
        if explicit:
            return explicit, direction
        return (direction if direction != self.dir else None), direction

    def caption(self, node: m.Figure | m.Table, caption: tuple[m.Inline, ...]) -> str:
        kind = "figure" if isinstance(node, m.Figure) else "table"
        return captions.caption(kind, node.number, self.o.lang, self.inlines(caption))

    def within(self, direction: str, render: Callable[[], str]) -> str:
        """``render()`` with ``direction`` as the direction of the text around what it renders."""
        outer, self.dir = self.dir, direction
        try:
            return render()
        finally:
            self.dir = outer

    def ltr_code(self) -> str | None:
        """Code is written left to right: marked so inside right-to-left text."""
        return "ltr" if self.dir == "rtl" else None

    def inline(self, node: m.Inline) -> str:
        match node:
            case m.Text(text=t):
                return self.text(t)
            case m.Emphasis(content=c):
                return f"<em>{self.inlines(c)}</em>"
            case m.Strong(content=c):
                return f"<strong>{self.inlines(c)}</strong>"
            case m.Superscript(content=c):
                return f"<sup>{self.inlines(c)}</sup>"
            case m.Subscript(content=c):
                return f"<sub>{self.inlines(c)}</sub>"
            case m.Code(text=t):
                return f"<code{_attrs([('dir', self.ltr_code())])}>{escape(t)}</code>"
            case m.Link(content=c, url=url, title=title):
                if url.startswith("#") and len(url) > 1:
                    url = htmlbib.fragment_href(self.o.href(url[1:]))
                elif layout.edition_link(url, "html") is not None:  # another document of the build
                    edition = layout.edition_link(url, self.o.documents) if self.o.documents else None
                    if edition is None:
                        return f'<span class="document-link">{self.inlines(c)}</span>'
                    url = self.o.document_prefix + edition
                role = "doc-biblioref" if self.citing and node.url.startswith("#") else None
                return f"<a{_attrs([('href', url), ('title', title), ('role', role)])}>{self.inlines(c)}</a>"
            case m.Image(src=src, alt=alt, title=title):
                attrs = _attrs([("src", self.o.image_url(src))]) + _alt(alt) + _attrs([("title", title)])
                return f"<img{attrs} />"
            case m.Span(content=c, attr=attr):
                role = walk.span_role(attr)  # kbd, abbr, dfn, small, mark: HTML's own elements
                name = role or "span"
                dir_attr, direction = self.directed(attr.lang, attr.get("dir"))
                pairs: list[tuple[str, str | None]] = [
                    ("id", attr.id),
                    ("class", " ".join(x for x in attr.classes if x != role)),
                    ("dir", dir_attr),
                ]
                if role == "abbr":
                    pairs.append(("title", attr.get("title")))
                if bibliography.is_citation(node):  # as pandoc writes a citation
                    pairs.append(("data-cites", attr.get("cites")))
                pairs += self.lang_attrs(attr.lang)
                (outer, citing), self.lang = (self.lang, self.citing), attr.lang or self.lang
                self.citing = citing or bibliography.is_citation(node)
                try:
                    return f"<{name}{_attrs(pairs)}>{self.within(direction, lambda: self.inlines(c))}</{name}>"
                finally:
                    self.lang, self.citing = outer, citing
            case m.Strikeout(content=c):
                return f"<del>{self.inlines(c)}</del>"
            case m.Underline(content=c):
                return f"<u>{self.inlines(c)}</u>"
            case m.LineBreak():
                return "<br />"
            case m.Math():
                return mathmarkup.render(node, self.o.math_svg)
            case m.Note(number=n, blocks=blocks):
                if self.o.notes == "float":
                    return self.float_note(n, blocks)
                epub = [("epub:type", "noteref")] if self.o.epub else []
                attrs = _attrs(
                    [
                        ("href", self.o.href(f"fn{n}")),
                        ("id", f"fnref{n}"),
                        ("class", "footnote-ref"),
                        ("role", "doc-noteref"),
                        *epub,
                    ]
                )
                return f"<a{attrs}><sup>{n}</sup></a>"
        raise TypeError(f"not an inline node: {node!r}")

    def float_note(self, number: int, blocks: Iterable[m.Block]) -> str:
        """A note kept in the text flow as phrasing content (the print CSS floats it to the
        foot of the page; WeasyPrint numbers the call and the note with its footnote counter).
        The note is text of the document, in its direction wherever its call stands."""
        lang = self.o.lang if self.lang != self.o.lang else None
        direction = _attrs([("dir", self.doc_dir if self.dir != self.doc_dir else None), *self.lang_attrs(lang)])
        (outer, outer_lang), self.dir, self.lang = (self.dir, self.lang), self.doc_dir, self.o.lang
        parts = []
        box = ""  # a task's box, put before the next line's text
        for block in blocks:
            if isinstance(block, m.Paragraph):
                parts.append(f'<span class="footnote-para">{self.inlines(block.content)}</span>')
            else:  # lists, quotes, code, divs in a note: their text, one line each
                for node in walk.walk([block]):
                    line = None
                    if isinstance(node, m.ListItem) and node.checked is not None:
                        box += f'<span class="task-box">{TASK_BOX[node.checked][1]}</span> '
                    elif isinstance(node, m.Paragraph | m.Heading):
                        line = self.inlines(node.content)
                    elif isinstance(node, m.DefinitionItem):
                        line = f"<strong>{self.inlines(node.term)}</strong>"
                    elif isinstance(node, m.Div) and node.title:
                        line = f"<strong>{self.inlines(node.title)}</strong>"
                    elif isinstance(node, m.CodeBlock):
                        line = f"<code{_attrs([('dir', self.ltr_code())])}>{escape(node.text)}</code>"
                    if line is not None:
                        parts.append(f'<span class="footnote-para">{box}{line}</span>')
                        box = ""
        self.dir, self.lang = outer, outer_lang
        return f'<span class="footnote" id="fn{number}"{direction}>{"".join(parts)}</span>'

    # ---------------------------------------------------------------- blocks
    def blocks(self, nodes: Iterable[m.Block]) -> str:
        return "\n".join(self.block(n) for n in nodes)

    def sectioned(self, nodes: Iterable[m.Block]) -> str:
        """Top-level blocks, each heading opening a ``<section>`` that runs to the next heading
        of the same or a higher level."""
        if not self.o.sections:
            return self.blocks(nodes)
        out: list[str] = []
        open_levels: list[int] = []
        for node in nodes:
            if isinstance(node, m.Heading):
                while open_levels and open_levels[-1] >= node.level:
                    open_levels.pop()
                    out.append("</section>")
                kind = f"level{node.level} chapter" if "chapter" in node.attr.classes else f"level{node.level}"
                label = _attrs([("aria-labelledby", node.attr.id), ("class", kind)])
                out.append(f"<section{label}>")
                open_levels.append(node.level)
            out.append(self.block(node))
        out.extend("</section>" for _ in open_levels)
        return "\n".join(out)

    def block(self, node: m.Block) -> str:
        match node:
            case m.Heading(level=level, content=c, attr=attr):
                dir_attr, direction = self.directed(attr.lang, attr.get("dir"))
                pairs = [
                    ("id", attr.id),
                    ("class", " ".join(attr.classes)),
                    ("dir", dir_attr),
                    *self.lang_attrs(attr.lang),
                ]
                inner = captions.heading(node.number, self.within(direction, lambda: self.inlines(c)))
                return f"<h{level}{_attrs(pairs)}>{inner}</h{level}>"
            case m.Paragraph(content=c):
                return f"<p>{self.inlines(c)}</p>"
            case m.BlockQuote(blocks=b):
                return f"<blockquote>\n{self.blocks(b)}\n</blockquote>"
            case m.BulletList(items=items, tight=tight):
                return f"<ul>\n{self.items(items, tight)}\n</ul>"
            case m.OrderedList(items=items, tight=tight):
                return f"<ol{_attrs(htmllists.ordered_attrs(node))}>\n{self.items(items, tight)}\n</ol>"
            case m.DefinitionList():
                return htmllists.definition_list(node, self.block, self.inlines)
            case m.CodeBlock(text=code, language=language):
                cls = _attrs([("class", f"language-{language}" if language else None)])
                marked = highlight.html(code, language)
                inner = marked if marked is not None else escape(code)
                return f'<pre class="code"{_attrs([("dir", self.ltr_code())])}><code{cls}>{inner}</code></pre>'
            case m.Figure(image=image, caption=caption, attr=attr):
                img = _attrs([("src", self.o.image_url(image.src)), ("style", captions.size_style(attr))]) + _alt(
                    image.alt
                )
                dir_attr, direction = self.directed(attr.lang, attr.get("dir"))
                figure = _attrs([("id", attr.id), ("dir", dir_attr), *self.lang_attrs(attr.lang)])
                return (
                    f"<figure{figure}>\n<img{img} />\n"
                    f"<figcaption>{self.within(direction, lambda: self.caption(node, caption))}</figcaption>\n</figure>"
                )
            case m.Table():
                return self.table(node)
            case m.ThematicBreak():
                return "<hr />"
            case m.Div():
                return self.div(node)
        raise TypeError(f"not a block node: {node!r}")

    def div(self, div: m.Div, entry: bool = False) -> str:
        """``<details>`` with its summary, a callout (``<div role="note">`` with its title), a
        bibliography and its ``entry`` Divs (:func:`.htmlbib.roles`), or a plain ``<div>`` (its title, if it
        has one, a bold paragraph); each keeps the Div's id, classes, language, direction and
        alignment."""
        attr, kind = div.attr, walk.div_kind(div.attr)
        classes = ("callout", *attr.classes) if kind.startswith("callout-") else attr.classes
        dir_attr, direction = self.directed(attr.lang, attr.get("dir"))
        pairs: list[tuple[str, str | None]] = [
            ("id", attr.id),
            ("class", " ".join(classes)),
            ("dir", dir_attr),
            ("style", ALIGNS.get(attr.get("align") or "")),
            *self.lang_attrs(attr.lang),
            *htmlbib.roles(div, entry, self.o.epub),
        ]
        entries = kind == bibliography.REFERENCES and (self.o.epub or htmlbib.list_of_entries(div))
        inner = self.within(direction, lambda: self.div_blocks(div, entries))
        title = self.within(direction, lambda: self.inlines(div.title))
        if kind == "details":
            return f"<details{_attrs(pairs)}>\n<summary>{title}</summary>\n{inner}\n</details>"
        if kind.startswith("callout-"):
            head = f'<p class="callout-title">{title}</p>\n' if div.title else ""
            return f'<div{_attrs(pairs)} role="note">\n{head}{inner}\n</div>'
        if kind == bibliography.REFERENCES:
            head = f'<p class="references-title"><strong>{title}</strong></p>\n' if div.title else ""
            return f"<div{_attrs(pairs)}>\n{head}{inner}\n</div>"
        head = f"<p><strong>{title}</strong></p>\n" if div.title else ""
        return f"<div{_attrs(pairs)}>\n{head}{inner}\n</div>"

    def div_blocks(self, div: m.Div, bib: bool) -> str:
        """A Div's blocks; a bibliography's entries are marked as such."""
        return "\n".join(self.div(b, True) if bib and htmlbib.is_entry(b) else self.block(b) for b in div.blocks)

    def items(self, items: Iterable[m.ListItem], tight: bool = False) -> str:
        """List items; a task's box (:data:`publish.outline.TASK_BOX`) opens its first paragraph.
        A tight list's paragraphs are its items' text, without ``<p>`` (pandoc's Plain)."""
        out = []
        for item in items:
            body = "\n".join(
                self.inlines(b.content) if tight and isinstance(b, m.Paragraph) else self.block(b) for b in item.blocks
            )
            if item.checked is None:
                out.append(f"<li>{body}</li>")
                continue
            box = f'<span class="task-box">{TASK_BOX[item.checked][1]}</span> '
            body = "<p>" + box + body[len("<p>") :] if body.startswith("<p>") else box + body
            out.append(f'<li class="task">{body}</li>')
        return "\n".join(out)

    def table(self, table: m.Table) -> str:
        return htmltables.table(self, table)

    # ---------------------------------------------------------------- notes
    def notes(self, notes: Iterable[m.Note]) -> str:
        """The notes section: an ordered list with back-links (``endnotes``), EPUB 3 footnote
        asides (``epub``), nothing for ``float`` (the notes stand in the text)."""
        notes = list(notes)
        if not notes or self.o.notes == "float":
            return ""
        if self.o.notes == "epub":
            out = ['<section class="footnotes" epub:type="footnotes" role="doc-endnotes">', "<hr />"]
            for note in notes:
                back = (
                    f'<a href="{escape(self.o.href(f"fnref{note.number}"))}" class="footnote-back" '
                    f'role="doc-backlink">{note.number}.</a> '
                )
                body = _prepend_inside_first_p(self.blocks(note.blocks) or "<p></p>", back)
                attrs = _attrs([("id", f"fn{note.number}"), ("class", "footnote"), ("epub:type", "footnote")])
                out.append(f'<aside{attrs} role="doc-footnote">{body}</aside>')
            out.append("</section>")
            return "\n".join(out)
        out = [
            '<section class="footnotes" role="doc-endnotes" aria-labelledby="footnotes-title">',
            "<hr />",
            f'<h2 class="footnotes-title" id="footnotes-title">{escape(self.o.notes_label)}</h2>',
            f"<ol{_attrs([('start', str(notes[0].number) if notes[0].number != 1 else None)])}>",
        ]
        for note in notes:
            back = (
                f'<a href="{escape(self.o.href(f"fnref{note.number}"))}" class="footnote-back" '
                f'role="doc-backlink">\u21a9\ufe0e</a>'
            )
            body = _append_inside_last_p(self.blocks(note.blocks) or "<p></p>", " " + back)
            out.append(f"<li{_attrs([('id', f'fn{note.number}')])}>{body}</li>")
        out.append("</ol>\n</section>")
        return "\n".join(out)


def _prepend_inside_first_p(html: str, extra: str) -> str:
    if html.startswith("<p>"):
        return "<p>" + extra + html[len("<p>") :]
    return f"<p>{extra}</p>\n" + html


def _append_inside_last_p(html: str, extra: str) -> str:
    if html.endswith("</p>"):
        return html[: -len("</p>")] + extra + "</p>"
    return html + f"<p>{extra}</p>"


def targets(files: Iterable[tuple[str, Iterable[m.Block]]]) -> dict[str, str]:
    """For an edition split into files (EPUB chapters, a book's web pages), each given with
    its blocks: every fragment id (headings, figures, spans, notes and note references) →
    the file that holds it."""
    where: dict[str, str] = {}
    for file, blocks in files:
        for node in walk.walk(blocks):
            if isinstance(node, m.Heading | m.Figure | m.Span | m.Div | m.Table | m.Math) and node.attr.id:
                where[node.attr.id] = file
            elif isinstance(node, m.Note):
                where[f"fn{node.number}"] = where[f"fnref{node.number}"] = file
    return where


def href_in(file: str, where: dict[str, str]) -> Callable[[str], str]:
    """:attr:`BodyOptions.href` for ``file``: a fragment in it, or the file holding it."""

    def href(fragment: str) -> str:
        target = where.get(fragment, file)
        return f"#{fragment}" if target == file else f"{target}#{fragment}"

    return href


@dataclass(frozen=True)
class Body:
    blocks: Markup
    notes: Markup


def render(doc: m.Document, options: BodyOptions) -> Body:
    if options.direction is None:
        options = replace(options, direction=langs.direction(doc.meta.lang))
    return render_blocks(doc.blocks, walk.notes(doc.blocks), options)


def render_blocks(blocks: Iterable[m.Block], notes: Iterable[m.Note], options: BodyOptions) -> Body:
    """Some blocks and the notes they reference (one chapter of a split edition)."""
    renderer = BodyRenderer(options)
    return Body(Markup(renderer.sectioned(blocks)), Markup(renderer.notes(notes)))


def page(doc: m.Document, options: Options, template: str, body_options: BodyOptions) -> str:
    """A whole page: the body rendered with ``body_options`` inside ``template`` (the HTML
    edition's page, or the print page the PDF engine lays out)."""
    body = render(doc, body_options)
    ctx = pagedata.context(doc, options)
    return tpl.render(options.template_path, template, body=body.blocks, notes=body.notes, xhtml=False, **ctx)
