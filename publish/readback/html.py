"""The web edition (HTML) read back: its pages, outline, links, metadata and languages."""

from __future__ import annotations

import collections
import json
import urllib.parse
from pathlib import Path
from typing import Any

import lxml.html
from lxml import etree

from publish import layout
from publish import model as m
from publish import outline as ol
from publish.options import Options
from publish.outline import Outline
from publish.readback import ORCID, Languages, Reader, markup, mathback, split


def _article(root: etree._Element) -> etree._Element:
    article = markup.find_article(root)
    if article is None:
        raise ValueError("no <article> element: not an edition written by publish")
    return article


def _toc_files(root: etree._Element) -> list[str]:
    """The files the table of contents links to, in order (a book's chapter pages)."""
    files: list[str] = []
    for nav in root.iter("nav"):
        if "toc" not in markup.classes(nav):
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
        return markup.outline_of_article(_article(roots[0]))
    return markup.outline_of_pages([_article(root) for root in roots[1:]])


def link_problems(path: Path, site: Site | None = None) -> list[str]:
    """Every link inside an HTML edition (and between a book's pages) reaches an element that
    exists; a book's pages are chained by ``rel="prev"``/``rel="next"`` in reading order. A
    link to another document's edition (:func:`publish.layout.edition_link`) leaves the
    edition and is not followed."""
    site = site or load_site(path)
    ids = {name: markup.ids(root) for name, root in site.items()}
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
                if target.endswith(".html") and layout.edition_of_link(href, "html") is None:
                    problems.append(f"{name}: link to {href}: no such page in the edition")
            elif fragment and urllib.parse.unquote(fragment) not in ids[target]:
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


def structure(doc: m.Document, path: Path, options: Options) -> list[str]:
    """The outline of every page against the model's, and every link."""
    site = load_site(path)
    problems = ol.diff(ol.outline_of(doc), read_html(path, site), name=path.name) + link_problems(path, site)
    problems += markup.citation_problems(site)
    return problems + mathback.tex_problems(doc, mathback.tex_annotations(site.values()), "MathML's TeX annotations")


def _org_names(org: dict[str, Any]) -> list[str]:
    names = org.get("name", [])
    names = names if isinstance(names, list) else [names]
    return [n["@value"] if isinstance(n, dict) else n for n in names]


def metadata(path: Path) -> dict[str, Any]:
    """The ``<meta>`` elements and the JSON-LD of the (first) page."""
    root = lxml.html.fromstring(path.read_bytes())
    metas = collections.defaultdict(list)
    for el in root.iter("meta"):
        if el.get("name"):
            metas[el.get("name")].append(el.get("content", ""))
    ld: dict[str, Any] = {}
    for script in root.iter("script"):
        if script.get("type") == "application/ld+json" and script.text:
            ld = json.loads(script.text)
    authors = ld.get("author", [])
    return {
        "title": ld.get("headline", ""),
        "subtitle": ld.get("alternativeHeadline", ""),
        "authors": metas.get("author", []),
        "contributors": [
            ", ".join(x for x in (a.get("name"), a.get("jobTitle"), (a.get("affiliation") or {}).get("name")) if x)
            for a in authors
            if a.get("jobTitle") or a.get("affiliation")
        ],
        "date": (metas.get("dcterms.date") or [""])[0],
        "language": root.get("lang", ""),
        "identifier": (metas.get("dcterms.identifier") or [""])[0],
        "publishers": sorted(metas.get("dcterms.publisher", [])),
        "description": (metas.get("description") or [""])[0],
        "keywords": split((metas.get("keywords") or [""])[0], ","),
        "json-ld publishers": sorted(n for org in ld.get("publisher", []) for n in _org_names(org)),
        "json-ld authors": [a.get("name") for a in authors],
        "orcids": [url for a in authors for url in a.get("sameAs", []) if ORCID.fullmatch(url)],
        "json-ld citations": [c.get("name") for c in ld.get("citation", []) if isinstance(c, dict)],
    }


def languages(path: Path) -> Languages:
    """``lang`` of every page (a book's chapter pages too)."""
    roots: set[str] = set()
    inner: set[str] = set()
    for root in load_site(path).values():
        found_roots, found = markup.languages(root, "lang")
        roots |= found_roots
        inner |= found
    return Languages(roots, inner)


READER = Reader(structure=structure, metadata=metadata, languages=languages)
