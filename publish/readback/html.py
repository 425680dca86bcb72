"""HTML and EPUB XHTML → :class:`publish.outline.Outline`, by parsing the markup."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path

import lxml.html
from lxml import etree

from publish import text as txt
from publish.outline import Item, Outline

_SKIP_CLASSES = {"footnote-ref", "footnote-back"}


def _tag(el: etree._Element) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def _classes(el: etree._Element) -> set[str]:
    return set((el.get("class") or "").split())


def text_of(el: etree._Element) -> str:
    """Visible text, note references and back-links left out, ``<br>`` as a line break."""
    parts: list[str] = []

    def visit(node: etree._Element) -> None:
        if _classes(node) & _SKIP_CLASSES:
            if node.tail:
                parts.append(node.tail)
            return
        if _tag(node) == "br":
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
        tag = _tag(el)
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            yield Item("heading", text_of(el), int(tag[1]))
        elif tag == "p":
            yield Item("para", text_of(el))
        elif tag == "blockquote":
            yield Item("quote", children=tuple(_blocks(list(el))))
        elif tag in ("ul", "ol"):
            items = tuple(Item("item", children=tuple(_blocks(list(li)))) for li in el if _tag(li) == "li")
            if tag == "ul":
                yield Item("bullet-list", children=items)
            else:
                yield Item("ordered-list", level=int(el.get("start") or 1), children=items)
        elif tag == "pre":
            yield Item("code", txt.squash("".join(str(t) for t in el.itertext())))
        elif tag == "figure":
            caption = next((c for c in el if _tag(c) == "figcaption"), None)
            img = next((c for c in el.iter() if _tag(c) == "img"), None)
            alt = Item("alt", txt.squash(img.get("alt", "")) if img is not None else "")
            yield Item("figure", text_of(caption) if caption is not None else "", children=(alt,))
        elif tag == "table":
            yield _table(el)
        elif tag == "hr":
            yield Item("rule")
        elif tag in ("div", "section", "article", "main"):
            yield from _blocks(list(el))


def _table(el: etree._Element) -> Item:
    caption = next((c for c in el if _tag(c) == "caption"), None)
    rows: list[Item] = []
    for tr in el.iter():
        if _tag(tr) != "tr":
            continue
        parent_el = tr.getparent()
        parent = _tag(parent_el) if parent_el is not None else ""
        cells = tuple(Item("cell", text_of(c)) for c in tr if _tag(c) in ("th", "td"))
        rows.append(Item("head" if parent == "thead" else "row", children=cells))
    return Item("table", text_of(caption) if caption is not None else "", children=tuple(rows))


def article_parts(article: etree._Element) -> tuple[Outline, list[Item]]:
    """The blocks of an article and its notes (``li`` of an endnote list or EPUB 3 footnote
    ``aside``s, each with id ``fnN``); the title block and the table of contents left out."""
    blocks: list[etree._Element] = []
    notes: list[Item] = []
    for child in article:
        tag = _tag(child)
        if tag == "header" and "title-block" in _classes(child):
            continue
        if tag == "nav":
            continue
        if tag == "section" and "footnotes" in _classes(child):
            for note in child.iter():
                if _tag(note) in ("li", "aside") and (note.get("id") or "").startswith("fn"):
                    number = int(note.get("id", "fn0")[2:])
                    notes.append(Item("note", level=number, children=tuple(_blocks(list(note)))))
            continue
        blocks.append(child)
    return tuple(_blocks(blocks)), notes


def outline_of_article(article: etree._Element) -> Outline:
    blocks, notes = article_parts(article)
    return (*blocks, *notes)


def _article(root: etree._Element) -> etree._Element:
    for el in root.iter():
        if _tag(el) == "article":
            return el
    raise ValueError("no <article> element: not an edition written by publish")


def read_html(path: Path) -> Outline:
    root = lxml.html.fromstring(path.read_bytes())
    return outline_of_article(_article(root))


def read_epub(path: Path) -> Outline:
    """The outline of every spine document of an EPUB, in spine order."""
    with zipfile.ZipFile(path) as z:
        container = etree.fromstring(z.read("META-INF/container.xml"))
        opf_path = next(str(e.get("full-path")) for e in container.iter() if _tag(e) == "rootfile")
        opf = etree.fromstring(z.read(opf_path))
        base = str(Path(opf_path).parent)
        manifest = {e.get("id"): str(e.get("href")) for e in opf.iter() if _tag(e) == "item"}
        spine = [manifest[e.get("idref")] for e in opf.iter() if _tag(e) == "itemref"]
        blocks: list[Item] = []
        notes: list[Item] = []
        for href in spine:
            name = f"{base}/{href}" if base not in ("", ".") else href
            root = etree.fromstring(z.read(name))
            article = next((el for el in root.iter() if _tag(el) == "article"), None)
            if article is None:
                continue  # the cover and other pages without text of the document
            found_blocks, found_notes = article_parts(article)
            blocks.extend(found_blocks)
            notes.extend(found_notes)
    return (*blocks, *sorted(notes, key=lambda item: item.level))
