"""Numbers and cross-references, as Quarto (and pandoc-crossref) write them.

A figure with an id ``fig-…``, a table with ``tbl-…`` (``: Caption {#tbl-x}``), display
math with ``eq-…`` are numbered in document order, each kind on its own ("1", "2"…; in a
book per chapter: "2.1", "2.2"). Headings are numbered when the front matter says
``number-sections: true`` (Quarto; pandoc's ``numbersections`` too): "1", "1.1"… from the
document's shallowest heading level (a book: chapters "1", "2", their sections "1.1"), a
heading of class ``unnumbered`` (``{-}``) left out. pandoc-crossref's ``fig:x``, ``tbl:x``,
``eq:x``, ``sec:x`` are the same labels: their ids are written ``fig-x`` (an EPUB's ids may
not hold a colon).

Then every :class:`~publish.model.Cite` of labels is resolved away. One whose keys all name such
labels becomes links (``@fig-x`` "Figure 2", ``[-@fig-x]`` "2", ``@Fig-x`` capitalised,
``[@fig-a; @fig-b]`` "Figure 1, Figure 2", each item's prefix and suffix kept around its
link); a section reference without section numbers is its heading's text. An unknown label
is an error at the citation's line; a citation of other keys (the bibliography's) is left
for :mod:`publish.citations`, and so is each such key of a citation that mixes both kinds
(``[@fig-x; @knuth84]``: "Figure 1, (Knuth 1984)").
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from publish import i18n, langs
from publish import model as m
from publish import text as txt
from publish.errors import Diagnostics
from publish.transforms import rewrite
from publish.walk import Node, walk

#: Label prefixes and the kind of node each names.
KINDS = {"fig": "figure", "tbl": "table", "eq": "equation", "sec": "section"}
_KEY = re.compile(r"^(fig|tbl|eq|sec|Fig|Tbl|Eq|Sec)([-:])(.+)$")
_INLINE_FIELDS = ("content", "caption", "title", "term")
#: A cross-reference as written in the source (for the source check): ``@fig-x``,
#: ``[-@tbl:y]``, ``@Sec-z``, not after a letter or a backslash.
REFERENCE = re.compile(r"(?<![\w\\])-?@(?:fig|tbl|eq|sec|Fig|Tbl|Eq|Sec)[-:](?:\w|[:.#$%&\-+?<>~/](?=\w))+")


def caption_label(kind: str, number: str, lang: str) -> str:
    """A caption's label (``Figure 2``, ``Tableau 1``, ``圖 3``) in the document's language;
    every edition and every read-back takes it from here."""
    return f"{i18n.labels(lang)[kind]}\u00a0{number}"


def caption_separator(lang: str) -> str:
    """What stands between a caption's label and its text (Quarto's ``Figure 2: …``)."""
    return "\uff1a" if langs.locale(lang).language == "zh" else ": "


def numbered_caption(kind: str, number: str, lang: str, caption: tuple[m.Inline, ...]) -> tuple[m.Inline, ...]:
    """The caption as an edition shows it (for the read-backs' model side)."""
    if not number:
        return caption
    return (m.Text(caption_label(kind, number, lang) + (caption_separator(lang) if caption else "")), *caption)


def parse_key(key: str) -> tuple[str, str, bool] | None:
    """A cross-reference key's kind, the id it names and whether it is capitalised:
    ``Fig-x`` → ("figure", "fig-x", True); None for any other key."""
    found = _KEY.match(key)
    if found is None:
        return None
    prefix = found.group(1)
    return KINDS[prefix.lower()], f"{prefix.lower()}-{found.group(3)}", prefix[0].isupper()


def label_id(ident: str) -> str:
    """The id a labelled node is written with: pandoc-crossref's ``fig:x`` as ``fig-x``."""
    found = _KEY.match(ident)
    if found is None or found.group(1) != found.group(1).lower():
        return ident
    return f"{found.group(1)}-{found.group(3)}"


def renamed(item: m.CiteItem, ids: dict[str, str]) -> m.CiteItem:
    """A book's chapter's reference to one of its own labels, after the book renamed the
    label (the same label in two chapters): the key names the new id."""
    key = parse_key(item.key)
    if key is None or key[1] not in ids or ids[key[1]] == key[1]:
        return item
    new = ids[key[1]]
    if parse_key(new) is None:  # a chapter's own id: the book's aliases (see resolve) reach it
        return item
    return dataclasses.replace(item, key=new[:1].upper() + new[1:] if key[2] else new)


#: The front matter's (and a book's publish.toml's) keys read here (and pandoc-crossref's
#: ``autoSectionLabels``).
OPTIONS = {"number-sections", "numbersections"}


def numbers_sections(meta: m.Metadata) -> bool:
    return _option(meta, *OPTIONS)


def _option(meta: m.Metadata, *names: str) -> bool:
    """Whether the front matter sets one of ``names`` to true."""
    for key, value in meta.extra:
        if key in names:
            try:
                return json.loads(value) is True
            except ValueError:
                return value.strip().lower() == "true"
    return False


@dataclass(frozen=True)
class Target:
    kind: str
    number: str
    text: tuple[m.Inline, ...]
    #: The id the link goes to.
    ident: str = ""


@dataclass
class _Counter:
    sections: bool
    top: int
    book: bool
    chapter: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    levels: list[int] = field(default_factory=list)
    targets: dict[str, Target] = field(default_factory=dict)

    def next(self, kind: str) -> str:
        self.counts[kind] = self.counts.get(kind, 0) + 1
        return f"{self.chapter}.{self.counts[kind]}" if self.book else str(self.counts[kind])

    def heading(self, node: m.Heading) -> m.Heading:
        if self.book and node.level == 1 and "chapter" in node.attr.classes:
            self.chapter += 1
            self.counts = {}
            self.levels = []
            number = str(self.chapter) if self.sections else ""
        elif self.sections and "unnumbered" not in node.attr.classes and node.level >= self.top:
            depth = node.level - self.top + 1
            self.levels = (self.levels + [0] * depth)[:depth]
            self.levels[-1] += 1
            number = ".".join(str(n) for n in ([self.chapter] if self.book else []) + self.levels)
        else:
            number = ""
        target = Target("section", number, node.content, node.attr.id)
        for ident in (node.attr.id, node.attr.get("label") or ""):  # a book chapter's written label
            self.targets.setdefault(ident, target)
        return dataclasses.replace(node, number=number) if number else node


def _relabel(node: Node) -> Node:
    attr = getattr(node, "attr", None)
    if isinstance(node, m.Figure | m.Table | m.Math | m.Heading | m.Div) and isinstance(attr, m.Attr):
        new = label_id(attr.id)
        if new != attr.id:
            return dataclasses.replace(node, attr=dataclasses.replace(attr, id=new))  # type: ignore[arg-type]
    if isinstance(node, m.Link) and node.url.startswith("#"):
        return dataclasses.replace(node, url="#" + label_id(node.url[1:]))
    return node


def number(doc: m.Document) -> tuple[m.Document, dict[str, Target]]:
    """The document with its numbers, and every label's target."""
    taken = {a.id for n in _walk(doc) if isinstance(a := getattr(n, "attr", None), m.Attr)}
    if not any(label_id(i) in taken and label_id(i) != i for i in taken):
        doc = rewrite(doc, _relabel)
    levels = [n.level for n in _walk(doc) if isinstance(n, m.Heading) and "unnumbered" not in n.attr.classes] or [1]
    counter = _Counter(numbers_sections(doc.meta), 2 if doc.is_book else min(levels), doc.is_book)

    def fn(node: Node) -> Node:
        if isinstance(node, m.Heading):
            return counter.heading(node)
        kind = _labelled(node)
        if kind is None:
            return node
        assert isinstance(node, m.Figure | m.Table | m.Math | m.Div)
        ident = node.attr.id
        found = counter.next(kind)
        counter.targets[ident] = Target(kind, found, (), ident)
        if isinstance(node, m.Div):  # a figure whose image is lost: numbered, no caption to label
            return node
        return dataclasses.replace(node, number=found)  # type: ignore[type-var]

    doc = rewrite(doc, fn)
    for node in _walk(doc):  # a div of a label's id (subfigures, Quarto's div figures): not numbered yet
        if isinstance(node, m.Div) and parse_key(node.attr.id) and node.attr.id not in counter.targets:
            counter.targets[node.attr.id] = Target("div", "", (), node.attr.id)
        elif isinstance(node, m.CodeBlock) and (found := _CELL_LABEL.search(node.text)) and parse_key(found[1]):
            counter.targets.setdefault(found[1], Target("cell", "", (), found[1]))  # Quarto's output, not made
    if _option(doc.meta, "autoSectionLabels"):  # pandoc-crossref's: every heading is sec:its-id too
        for ident, target in list(counter.targets.items()):
            if target.kind == "section" and ident:
                counter.targets.setdefault(f"sec-{ident}", target)
    return doc, counter.targets


#: A Quarto cell's label (``#| label: fig-x`` at the top of a ``{python}`` or ``{r}`` block).
_CELL_LABEL = re.compile(r"\A(?:(?:#|//|--)\|[^\n]*\n)*?(?:#|//|--)\|\s*label:\s*([\w:.-]+)[ \t]*$", re.M)
#: What a label names that is not numbered, as a reference to it warns.
_UNNUMBERED = {
    "div": "a div, not a figure or table (subfigures and div figures are not numbered yet)",
    "cell": "the output of a code cell, which is not run (its figure or table is not made)",
}


def _labelled(node: Node) -> str | None:
    if isinstance(node, m.Figure) and node.attr.id.startswith("fig-"):
        return "figure"
    if isinstance(node, m.Div) and "figure" in node.attr.classes and node.attr.id.startswith("fig-"):
        return "figure"  # its image could not be used (publish.links.unpictured)
    if isinstance(node, m.Table) and node.attr.id.startswith("tbl-"):
        return "table"
    if isinstance(node, m.Math) and node.display and node.attr.id.startswith("eq-"):
        return "equation"
    return None


def _walk(doc: m.Document) -> list[Node]:
    return list(walk(doc.blocks))


def resolve(doc: m.Document, diagnostics: Diagnostics, aliases: dict[str, str] | None = None) -> m.Document:
    """Number ``doc`` and resolve its citations (errors and warnings to ``diagnostics``;
    in a book each at its chapter's file). ``aliases``: labels the book gave another id
    (``sec-intro`` written on a chapter's heading → the chapter's id)."""
    doc, targets = number(doc)
    for label, ident in (aliases or {}).items():
        if label not in targets and ident in targets and parse_key(label) is not None:
            targets[label] = targets[ident]
    lang = doc.meta.lang
    files = {c.id: c.source for c in doc.chapters}
    where: list[Path | None] = [None]

    def expand(nodes: tuple[m.Inline, ...]) -> tuple[m.Inline, ...]:
        out: list[m.Inline] = []
        for node in nodes:
            if isinstance(node, m.Cite):
                out.extend(_cite(node, targets, lang, diagnostics, where[0], expand))
            else:
                out.append(node)
        return txt.merge(out)

    def fn(node: Node) -> Node:
        if isinstance(node, m.Heading) and node.attr.id in files:
            where[0] = files[node.attr.id]
        changes = {
            name: expand(value)
            for name in _INLINE_FIELDS
            if isinstance(value := getattr(node, name, None), tuple) and any(isinstance(v, m.Cite) for v in value)
        }
        was_caption = isinstance(node, m.Figure) and node.image.alt == txt.squash(txt.plain(node.caption))
        if isinstance(node, m.Figure) and "caption" in changes and was_caption:
            alt = txt.squash(txt.plain(changes["caption"]))
            return dataclasses.replace(node, caption=changes["caption"], image=dataclasses.replace(node.image, alt=alt))
        return dataclasses.replace(node, **changes) if changes else node  # type: ignore[type-var, arg-type]

    return rewrite(doc, fn)


def _cite(
    cite: m.Cite,
    targets: dict[str, Target],
    lang: str,
    diagnostics: Diagnostics,
    file: Path | None,
    expand: Callable[[tuple[m.Inline, ...]], tuple[m.Inline, ...]],
) -> list[m.Inline]:
    parsed = [parse_key(item.key) for item in cite.items]
    if not any(parsed):
        return [cite]  # a citation of the bibliography: publish.citations prints it
    out: list[m.Inline] = []
    for n, (item, key) in enumerate(zip(cite.items, parsed, strict=True)):
        if n:
            out.append(m.Text(", "))
        if key is None:  # a citation of the bibliography beside cross-references: publish.citations prints it
            written = ("-" if item.mode == "suppress-author" else "") + "@" + item.key
            out.append(m.Cite((item,), written, cite.line))
            continue
        prefix, suffix = expand(item.prefix), expand(item.suffix)
        if prefix:
            out += [*prefix, m.Text(" ")]
        out.append(_link(item, key, targets, lang, diagnostics, file, cite.line))
        if suffix:
            first = txt.plain(suffix[:1])
            if first and not first[0].isspace() and first[0] not in ",.;:)]}":
                out.append(m.Text(" "))
            out += suffix
    return out


def _link(
    item: m.CiteItem,
    key: tuple[str, str, bool],
    targets: dict[str, Target],
    lang: str,
    diagnostics: Diagnostics,
    file: Path | None,
    line: int,
) -> m.Inline:
    kind, ident, capital = key
    target = targets.get(ident)
    if target is not None and target.kind in _UNNUMBERED:
        diagnostics.warn(f"@{item.key} names {_UNNUMBERED[target.kind]}: kept as written", line or None, file)
        return m.Text("@" + item.key)
    if target is None or target.kind != kind or not target.ident:
        diagnostics.error(f"unknown cross-reference @{item.key}: no {kind} has the label #{ident}", line or None, file)
        return m.Text("@" + item.key)
    if kind == "section" and not target.number:
        return m.Link(target.text, "#" + target.ident)
    if item.mode == "suppress-author":
        return m.Link((m.Text(target.number),), "#" + target.ident)
    label = caption_label(kind, target.number, lang)
    if capital:
        label = label[:1].upper() + label[1:]
    return m.Link((m.Text(label),), "#" + target.ident)


def labelled(doc: m.Document) -> m.Document:
    """The document as its editions show it: each numbered caption after its label
    (:func:`numbered_caption`), each numbered heading after its number (for the outline)."""
    lang = doc.meta.lang

    def fn(node: Node) -> Node:
        if isinstance(node, m.Heading) and node.number:
            return dataclasses.replace(node, content=(m.Text(node.number + " "), *node.content), number="")
        if isinstance(node, m.Figure | m.Table) and node.number:
            kind = "figure" if isinstance(node, m.Figure) else "table"
            return dataclasses.replace(node, caption=numbered_caption(kind, node.number, lang, node.caption), number="")
        return node

    return rewrite(doc, fn)


def targets_of(doc: m.Document) -> dict[str, Target]:
    """Every label of a numbered document (after :func:`resolve`) and what it names."""
    found: dict[str, Target] = {}
    for node in walk(doc.blocks):
        if isinstance(node, m.Heading) and node.attr.id:
            target = Target("section", node.number, node.content, node.attr.id)
            for ident in (node.attr.id, node.attr.get("label") or ""):
                found.setdefault(ident, target)
        elif (kind := _labelled(node)) is not None and isinstance(node, m.Figure | m.Table | m.Math):
            found[node.attr.id] = Target(kind, node.number, (), node.attr.id)
        elif isinstance(node, m.Div) and parse_key(node.attr.id) and node.attr.id not in found:
            found |= {i: t for i, t in number(doc)[1].items() if isinstance(t, Target) and i not in found}
    return found


def cite_text(cite: m.Cite, targets: dict[str, Target], lang: str) -> str | None:
    """The text a citation whose keys are all cross-references becomes (``Figure 1,
    Figure 2``), None for any other (the source check reads pandoc's Cites with it)."""
    if not all(parse_key(item.key) for item in cite.items):
        return None
    quiet = Diagnostics(None)
    nodes = _cite(cite, targets, lang, quiet, None, lambda inlines: inlines)
    return None if quiet.errors else txt.plain(nodes)
