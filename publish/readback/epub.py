"""The EPUB edition read back: its spine's outline, the package's metadata, its languages."""

from __future__ import annotations

import collections
import zipfile
from pathlib import Path
from typing import Any

from lxml import etree

from publish import model as m
from publish import outline as ol
from publish.options import Options
from publish.outline import Outline
from publish.readback import ORCID, Languages, Reader, markup, mathback

_OPF = "{http://www.idpf.org/2007/opf}"
_DC = "{http://purl.org/dc/elements/1.1/}"


def _package(z: zipfile.ZipFile) -> tuple[str, etree._Element]:
    """The package document (the OPF) that ``META-INF/container.xml`` names: its path and root."""
    container = etree.fromstring(z.read("META-INF/container.xml"))
    opf_path = next(str(e.get("full-path")) for e in container.iter() if markup.tag(e) == "rootfile")
    return opf_path, etree.fromstring(z.read(opf_path))


def _spine(z: zipfile.ZipFile) -> list[str]:
    """The zip names of the spine's documents, in reading order."""
    opf_path, opf = _package(z)
    base = str(Path(opf_path).parent)
    manifest = {e.get("id"): str(e.get("href")) for e in opf.iter() if markup.tag(e) == "item"}
    spine = [manifest[e.get("idref")] for e in opf.iter() if markup.tag(e) == "itemref"]
    return [f"{base}/{href}" if base not in ("", ".") else href for href in spine]


def spine(path: Path) -> list[str]:
    """The zip names of an EPUB's spine documents, in reading order (the cover first)."""
    with zipfile.ZipFile(path) as z:
        return _spine(z)


def read_epub(path: Path) -> Outline:
    """The outline of every spine document of an EPUB, in spine order."""
    with zipfile.ZipFile(path) as z:
        articles = []
        for name in _spine(z):
            article = markup.find_article(etree.fromstring(z.read(name)))
            if article is not None:  # the cover and other pages without text of the document have none
                articles.append(article)
    return markup.outline_of_pages(articles)


def structure(doc: m.Document, path: Path, options: Options) -> list[str]:
    with zipfile.ZipFile(path) as z:
        pages = {Path(name).name: etree.fromstring(z.read(name)) for name in _spine(z)}
    found = mathback.tex_annotations(pages.values())
    problems = ol.diff(ol.outline_of(doc), read_epub(path), name=path.name)
    return problems + markup.citation_problems(pages) + mathback.tex_problems(doc, found, "MathML's TeX annotations")


def metadata(path: Path) -> dict[str, Any]:
    """The package's Dublin Core elements and the ``meta`` elements that refine them."""
    with zipfile.ZipFile(path) as z:
        _, opf = _package(z)
    md = opf.find(f"{_OPF}metadata")
    if md is None:
        return {}
    refines: dict[str, dict[str, list[str]]] = collections.defaultdict(lambda: collections.defaultdict(list))
    for meta in md.iter(f"{_OPF}meta"):
        if meta.get("refines"):
            refines[str(meta.get("refines"))[1:]][str(meta.get("property"))].append(meta.text or "")
    titles = {str(t.get("id")): t.text or "" for t in md.iter(f"{_DC}title")}
    main = next((v for k, v in titles.items() if refines[k].get("title-type") == ["main"]), "")
    sub = next((v for k, v in titles.items() if refines[k].get("title-type") == ["subtitle"]), "")
    creators = list(md.iter(f"{_DC}creator"))
    publishers: list[str] = []
    for pub in md.iter(f"{_DC}publisher"):
        publishers.append(pub.text or "")
        publishers += refines[str(pub.get("id"))].get("alternate-script", [])
    contributors = []
    for c in creators:
        extra = refines[str(c.get("id"))]
        role, affiliation = extra.get("schema:jobTitle", [""])[0], extra.get("schema:affiliation", [""])[0]
        if role or affiliation:
            contributors.append(", ".join(x for x in (c.text, role, affiliation) if x))
    return {
        "title": main,
        "subtitle": sub,
        "authors": [c.text or "" for c in creators],
        "contributors": contributors,
        "date": md.findtext(f"{_DC}date") or "",
        "language": md.findtext(f"{_DC}language") or "",
        "identifier": md.findtext(f"{_DC}identifier") or "",
        "publishers": sorted(publishers),
        "description": md.findtext(f"{_DC}description") or "",
        "keywords": [s.text or "" for s in md.iter(f"{_DC}subject")],
        "orcids": [
            url for c in creators for url in refines[str(c.get("id"))].get("schema:sameAs", []) if ORCID.match(url)
        ],
    }


def languages(path: Path) -> Languages:
    """``xml:lang`` of every XHTML document but the navigation document."""
    roots: set[str] = set()
    inner: set[str] = set()
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.endswith(".xhtml") and not name.endswith("nav.xhtml"):
                found_roots, found = markup.languages(etree.fromstring(z.read(name)), markup.XML_LANG)
                roots |= found_roots
                inner |= found
    return Languages(roots, inner)


READER = Reader(structure=structure, metadata=metadata, languages=languages)
