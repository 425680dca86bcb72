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


def _toc_files(root: etree._Element) -> list[str]:
    """The files the table of contents links to, in order (a book's chapter pages)."""
    files: list[str] = []
    for nav in root.iter("nav"):
        if "toc" not in _classes(nav):
            continue
        for a in nav.iter("a"):
            name = (a.get("href") or "").partition("#")[0]
            if name and name not in files:
                files.append(name)
    return files


#: An HTML edition as parsed pages, by file name, in reading order (its first page first).
Site = dict[str, etree._Element]


def load_site(path: Path) -> Site:
    """The pages of an HTML edition, each parsed once, as a reader finds them: ``path`` (a
    book's first page) and the chapter pages its table of contents links to, in order; a
    page that is missing is left out (:func:`link_problems` reports it). A single page:
    just ``path``."""
    first = lxml.html.fromstring(path.read_bytes())
    site = {path.name: first}
    for name in _toc_files(first):
        if (path.parent / name).is_file():
            site[name] = lxml.html.fromstring((path.parent / name).read_bytes())
    return site


def read_html(path: Path, site: Site | None = None) -> Outline:
    """The outline of an HTML edition; a book's, over its chapter pages in order."""
    site = site or load_site(path)
    roots = list(site.values())
    if len(roots) == 1 and not _toc_files(roots[0]):
        return outline_of_article(_article(roots[0]))
    blocks: list[Item] = []
    notes: list[Item] = []
    for root in roots[1:]:
        found_blocks, found_notes = article_parts(_article(root))
        blocks.extend(found_blocks)
        notes.extend(found_notes)
    return (*blocks, *sorted(notes, key=lambda item: item.level))


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


def _ids(root: etree._Element) -> set[str]:
    return {str(el.get("id")) for el in root.iter() if isinstance(el.tag, str) and el.get("id")}


def link_problems(path: Path, site: Site | None = None) -> list[str]:
    """Every link inside an HTML edition (and between a book's pages) reaches an element that
    exists; a book's pages are chained by ``rel="prev"``/``rel="next"`` in reading order."""
    site = site or load_site(path)
    ids = {name: _ids(root) for name, root in site.items()}
    problems: list[str] = []
    for name, root in site.items():
        for a in root.iter("a", "link"):
            href = a.get("href") or ""
            if a.tag == "link" and a.get("rel") not in ("prev", "next", "index"):
                continue
            if not href or "://" in href or href.startswith(("mailto:", "data:")):
                continue
            target, _, fragment = href.partition("#")
            target = target or name
            if target not in ids:
                if target.endswith(".html"):
                    problems.append(f"{name}: link to {href}: no such page in the edition")
            elif fragment and fragment not in ids[target]:
                problems.append(f"{name}: link to {href}: {target} has no element with that id")
    if len(site) > 1:
        problems += _chain_problems(site)
    return problems


def _chain_problems(site: Site) -> list[str]:
    """Each page's ``rel="prev"``/``rel="next"`` links, in its head and in its own navigation,
    name the pages before and after it in reading order (none before the first page, none
    after the last)."""
    names = list(site)
    problems: list[str] = []
    for index, name in enumerate(names):
        want = {"prev": names[max(index - 1, 0) : index], "next": names[index + 1 : index + 2]}
        for rel, expected in want.items():
            for where, tag in (("head", "link"), ("page", "a")):
                found = [el.get("href") for el in site[name].iter(tag) if el.get("rel") == rel]
                if found != expected:
                    problems.append(f"{name}: rel={rel} in the {where} is {found}, the reading order says {expected}")
    return problems
