"""What HTML pages and EPUB XHTML documents share: an ``<article>`` → :class:`publish.outline.Outline`,
and the languages its markup declares."""

from __future__ import annotations

import copy
import urllib.parse
from collections.abc import Iterator

from lxml import etree

from publish import fancylists, mathtex
from publish import model as m
from publish import text as txt
from publish.outline import TASK_BOX_TEXT, Item, Outline, cell_kind

#: Not text of the document: note references and back-links, a task's box (read on its own).
_SKIP_CLASSES = {"footnote-ref", "footnote-back", "task-box"}
_CALLOUTS = {kind for kind in m.DIV_KINDS if kind.startswith("callout-")}
#: ``xml:lang``, the attribute an XHTML document (EPUB) marks languages with; HTML uses ``lang``.
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def tag(el: etree._Element) -> str:
    """The element's local name (no namespace); empty for comments and processing instructions."""
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def classes(el: etree._Element) -> set[str]:
    return set((el.get("class") or "").split())


def text_of(el: etree._Element) -> str:
    """Visible text, note references and back-links left out, ``<br>`` as a line break."""
    parts: list[str] = []

    def visit(node: etree._Element) -> None:
        if classes(node) & _SKIP_CLASSES:
            if node.tail:
                parts.append(node.tail)
            return
        if tag(node) == "math":  # a formula: the text it shows (its TeX is compared on its own)
            parts.append(mathtex.math_text(node) + ((node.tail or "") if node is not el else ""))
            return
        if tag(node) == "br":
            parts.append("\n")
        elif node.text and isinstance(node.tag, str):
            parts.append(node.text)
        for child in node:
            visit(child)
        if node is not el and node.tail:
            parts.append(node.tail)

    visit(el)
    return txt.squash("".join(parts))


def _blocks(elements: list[etree._Element]) -> Iterator[Item]:
    for el in elements:
        name = tag(el)
        if name in ("h1", "h2", "h3", "h4", "h5", "h6"):
            yield Item("heading", text_of(el), int(name[1]))
        elif name == "p":
            if not text_of(el) and any("footnote-back" in classes(c) for c in el):
                continue  # a note's back-link, after a last block that is not a paragraph
            yield Item("para", text_of(el))
        elif name == "blockquote":
            yield Item("quote", children=tuple(_blocks(list(el))))
        elif name in ("ul", "ol"):
            items = tuple(Item("item", _task_box(li), children=tuple(_item_blocks(li))) for li in el if tag(li) == "li")
            if name == "ul":
                yield Item("bullet-list", children=items)
            else:
                yield Item("ordered-list", _numbering(el), level=int(el.get("start") or 1), children=items)
        elif name == "dl":
            yield Item("definition-list", children=tuple(_definitions(el)))
        elif name == "pre":
            yield Item("code", txt.squash("".join(str(t) for t in el.itertext())))
        elif name == "figure":
            caption = next((c for c in el if tag(c) == "figcaption"), None)
            img = next((c for c in el.iter() if tag(c) == "img"), None)
            alt = Item("alt", txt.squash(img.get("alt", "")) if img is not None else "")
            yield Item("figure", text_of(caption) if caption is not None else "", children=(alt,))
        elif name == "table":
            yield _table(el)
        elif name == "hr":
            yield Item("rule")
        elif name == "details":
            summary = next((c for c in el if tag(c) == "summary"), None)
            rest = [c for c in el if c is not summary]
            yield Item("details", text_of(summary) if summary is not None else "", children=tuple(_blocks(rest)))
        elif name == "div" and classes(el) & _CALLOUTS:
            kind = min(classes(el) & _CALLOUTS)
            title = next((c for c in el if tag(c) == "p" and "callout-title" in classes(c)), None)
            rest = [c for c in el if c is not title]
            yield Item(kind, text_of(title) if title is not None else "", children=tuple(_blocks(rest)))
        elif name == "div" and "references" in classes(el):  # a bibliography (publish.bibliography)
            title = next((c for c in el if tag(c) == "p" and "references-title" in classes(c)), None)
            rest = [c for c in el if c is not title]
            yield Item("references", text_of(title) if title is not None else "", children=tuple(_blocks(rest)))
        elif name in ("div", "section", "article", "main"):
            yield from _blocks(list(el))


#: What starts a block inside a list item; anything else before it is a tight item's text.
_BLOCK_TAGS = {"p", "ul", "ol", "dl", "pre", "blockquote", "figure", "table", "hr", "div", "details", "section"}
_BLOCK_TAGS |= {f"h{n}" for n in range(1, 7)}


def _item_blocks(li: etree._Element) -> Iterator[Item]:
    """A list item's blocks: the text before its first block is a paragraph (a tight list's
    item, pandoc's Plain, has no ``<p>``)."""
    children = list(li)
    first_block = next((i for i, c in enumerate(children) if tag(c) in _BLOCK_TAGS), len(children))
    inline = etree.Element("p")
    inline.text = li.text
    for child in children[:first_block]:
        inline.append(copy.deepcopy(child))
    if first_block and children[first_block - 1].tail is not None:
        inline[-1].tail = children[first_block - 1].tail
    if text_of(inline):  # a task's box alone is not a paragraph
        yield Item("para", text_of(inline))
    yield from _blocks(children[first_block:])


#: ``<ol type>`` → the list style it shows.
_STYLES = {"a": "lower-alpha", "A": "upper-alpha", "i": "lower-roman", "I": "upper-roman"}


def _numbering(ol: etree._Element) -> str:
    """An ``<ol>``'s numbering as the outline names it: its ``type`` and its delimiter class."""
    delim = next((d for d in ("one-paren", "two-parens") if d in classes(ol)), "period")
    return fancylists.numbering(_STYLES.get(ol.get("type") or "1", "decimal"), delim)


def _definitions(dl: etree._Element) -> Iterator[Item]:
    for child in dl:
        if tag(child) == "dt":
            yield Item("term", text_of(child))
        elif tag(child) == "dd":
            yield Item("definition", children=tuple(_item_blocks(child)))


def _task_box(li: etree._Element) -> str:
    """A list item's box as the outline writes it (:data:`publish.outline.TASK_BOX`): the
    ``task-box`` in the item or in its first paragraph; empty for an ordinary item."""
    found = [c for c in li if "task-box" in classes(c)]
    first = next(iter(li), None)
    if first is not None and tag(first) == "p":
        found += [c for c in first if "task-box" in classes(c)]
    if not found:
        return ""
    box = "".join(str(t) for t in found[0].itertext()).strip()
    return TASK_BOX_TEXT.get(box, box)


def _span(cell: etree._Element) -> str:
    colspan, rowspan = cell.get("colspan", "1"), cell.get("rowspan", "1")
    return "" if colspan == rowspan == "1" else f"colspan={colspan} rowspan={rowspan}"


def _table(el: etree._Element) -> Item:
    caption = next((c for c in el if tag(c) == "caption"), None)
    rows: list[Item] = []
    for tr in el.iter():
        if tag(tr) != "tr" or next(a for a in tr.iterancestors() if tag(a) == "table") is not el:
            continue  # not a row, or a row of a table in a cell
        parent_el = tr.getparent()
        parent = tag(parent_el) if parent_el is not None else ""
        cells = tuple(Item(cell_kind(_span(c)), text_of(c)) for c in tr if tag(c) in ("th", "td"))
        rows.append(Item("head" if parent == "thead" else "row", children=cells))
    return Item("table", text_of(caption) if caption is not None else "", children=tuple(rows))


def article_parts(article: etree._Element) -> tuple[Outline, list[Item]]:
    """The blocks of an article and its notes (``li`` of an endnote list or EPUB 3 footnote
    ``aside``s, each with id ``fnN``); the title block and the table of contents left out."""
    blocks: list[etree._Element] = []
    notes: list[Item] = []
    for child in article:
        name = tag(child)
        if name == "header" and "title-block" in classes(child):
            continue
        if name == "nav":
            continue
        if name == "section" and "footnotes" in classes(child):
            for note in child.iter():
                if tag(note) in ("li", "aside") and (note.get("id") or "").startswith("fn"):
                    number = int(note.get("id", "fn0")[2:])
                    notes.append(Item("note", level=number, children=tuple(_blocks(list(note)))))
            continue
        blocks.append(child)
    return tuple(_blocks(blocks)), notes


def outline_of_article(article: etree._Element) -> Outline:
    blocks, notes = article_parts(article)
    return (*blocks, *notes)


def find_article(root: etree._Element) -> etree._Element | None:
    """The page's ``<article>`` (the text of the document), if it has one."""
    return next((el for el in root.iter() if tag(el) == "article"), None)


def outline_of_pages(articles: list[etree._Element]) -> Outline:
    """The outline of several pages' articles in reading order, their notes after the text
    (a book's chapter pages, an EPUB's spine documents)."""
    blocks: list[Item] = []
    notes: list[Item] = []
    for article in articles:
        found_blocks, found_notes = article_parts(article)
        blocks.extend(found_blocks)
        notes.extend(found_notes)
    return (*blocks, *sorted(notes, key=lambda item: item.level))


def languages(root: etree._Element, attr: str) -> tuple[set[str], set[str]]:
    """The root's language and the languages marked inside the text (the ``article``: the
    title block and the body; not the ``head``, whose metadata is checked on its own)."""
    inner = {
        str(el.get(attr))
        for article in root.iter("article", "{http://www.w3.org/1999/xhtml}article")
        for el in article.iter()
        if el.get(attr)
    }
    return {str(root.get(attr, ""))}, inner


def ids(root: etree._Element) -> set[str]:
    return {str(el.get("id")) for el in root.iter() if isinstance(el.tag, str) and el.get("id")}


def citation_problems(pages: dict[str, etree._Element]) -> list[str]:
    """Every link of a citation (``<span class="citation">``, :mod:`publish.bibliography`)
    reaches an entry of a bibliography (an element of class ``csl-entry``), in its page or
    in another of ``pages`` (by file name)."""
    entries = {
        (name, str(el.get("id"))) for name, root in pages.items() for el in root.iter() if "csl-entry" in classes(el)
    }
    problems: list[str] = []
    for name, root in pages.items():
        for span in root.iter():
            if tag(span) != "span" or "citation" not in classes(span):
                continue
            for a in span.iter():
                href = a.get("href") or "" if tag(a) == "a" else ""
                target, _, fragment = href.partition("#")
                if fragment and (target or name, urllib.parse.unquote(fragment)) not in entries:
                    problems.append(f"{name}: a citation's link to {href} reaches no entry of a bibliography")
    return problems
