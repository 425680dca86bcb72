"""The PDF edition read back: bookmarks, tag tree, links, metadata, languages and embedded
fonts from its objects (pypdf, pikepdf); its text layer is read by :mod:`publish.readback.pdftext`."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pypdf

from publish import bibliography, i18n, layout, pagedata, walk
from publish import model as m
from publish import outline as ol
from publish import templates as tpl
from publish import text as txt
from publish.options import Options
from publish.readback import ORCID, Languages, Reader, mathback, pdflabels, pdftext, split

# The text layer, read by pdftext, is part of what this module reads.
from publish.readback.pdftext import body_stream as body_stream
from publish.readback.pdftext import compact as compact
from publish.readback.pdftext import cut_toc as cut_toc
from publish.readback.pdftext import joined_text as joined_text
from publish.readback.pdftext import page_texts as page_texts


def bookmarks(path: Path) -> list[tuple[int, str]]:
    reader = pypdf.PdfReader(path)
    out: list[tuple[int, str]] = []

    def visit(items: list, level: int) -> None:  # type: ignore[type-arg]
        for item in items:
            if isinstance(item, list):
                visit(item, level + 1)
            else:
                out.append((level, txt.squash(str(item.title))))

    visit(reader.outline, 1)
    return out


def nesting(levels: list[int]) -> list[int]:
    """The depth each heading has in a bookmark tree: a heading is the child of the nearest
    heading before it with a lower level (an h3 right under the h1 title is at depth 2)."""
    stack: list[int] = []
    depths = []
    for level in levels:
        while stack and stack[-1] >= level:
            stack.pop()
        stack.append(level)
        depths.append(len(stack))
    return depths


def bookmark_problems(doc: m.Document, path: Path) -> list[str]:
    """The PDF's bookmarks against the title and every heading, with their levels."""
    doc = mathback.undrawn(doc)  # a heading's formula is drawn: no text in its bookmark
    levels = [1] + [n.level for n in walk.walk(doc.blocks) if isinstance(n, m.Heading)]
    texts = [txt.squash(doc.meta.title)] + [
        txt.squash(f"{n.number} {txt.plain(n.content)}") for n in walk.walk(doc.blocks) if isinstance(n, m.Heading)
    ]
    want_marks = list(zip(nesting(levels), texts, strict=True))
    got_marks = bookmarks(path)
    if got_marks == want_marks:
        return []
    a = [f"{lvl} {t}" for lvl, t in want_marks]
    b = [f"{lvl} {t}" for lvl, t in got_marks]
    return ["bookmarks differ:", *list(difflib.unified_diff(a, b, "model", path.name, lineterm="", n=1))]


def title_block(options: Options, ctx: dict[str, Any]) -> str:
    """The text of the title block as the theme renders it (what opens a PDF's first page)."""
    import lxml.html

    markup = tpl.render(options.template_path, "base/titleblock.html", xhtml=False, **ctx)
    return str(lxml.html.fragment_fromstring(markup, create_parent="div").text_content())


def structure(doc: m.Document, path: Path, options: Options) -> list[str]:
    """The bookmarks, the text layer (title block, table of contents, body, footnotes) and the
    internal links against the model."""
    ctx = pagedata.context(doc, options)
    toc = None
    if pagedata.wants_toc(doc, options):
        headings = [h["text"] for h in ctx["headings"]]
        toc = (i18n.labels(doc.meta.lang)["contents"], headings) if headings else None
    drawn = mathback.undrawn(doc)  # math has no text layer: compared through its /Alt (pdf-tags)
    text = pdftext.compare_text(drawn, ol.outline_of(drawn), path, toc, title_block(options, ctx))
    numbers = [f"({n.number})" for n in walk.walk(doc.blocks) if isinstance(n, m.Math) and n.number]
    labels = pdflabels.problems(ol.outline_of(drawn), path, numbers)
    return bookmark_problems(doc, path) + text + labels + link_problems(path, doc)


def link_problems(path: Path, doc: m.Document | None = None) -> list[str]:
    """Every internal link of the PDF (a ``/Link`` annotation to a named destination) reaches
    a destination the PDF defines; a link to another PDF file (``GoToR``) names another
    document's edition (:func:`publish.layout.edition_link`). Given the model, every entry of
    its bibliography is a destination, and every citation links to an entry."""
    import pikepdf

    problems: list[str] = []
    with pikepdf.open(path) as pdf:
        names: set[str] = set()
        tree = pdf.Root.Names.get("/Dests") if "/Names" in pdf.Root else None
        if tree is not None:
            names = {str(key) for key, _ in pikepdf.NameTree(tree).items()}
        for number, page in enumerate(pdf.pages, 1):
            for annot in page.get("/Annots", []):
                if annot.get("/Subtype") != "/Link":
                    continue
                dest = annot.get("/Dest")
                action = annot.get("/A")
                if action is not None and action.get("/S") == "/GoToR":
                    file = str(action.get("/F", ""))
                    if layout.edition_of_link(file, "pdf") is None:
                        problems.append(f"page {number}: a link to the file {file!r}, not an edition of this build")
                    continue
                if dest is None and action is not None and action.get("/S") == "/GoTo":
                    dest = action.get("/D")
                if isinstance(dest, pikepdf.String | pikepdf.Name) and str(dest).lstrip("/") not in names:
                    problems.append(f"page {number}: a link to {str(dest)!r}, which the PDF does not define")
    return problems + (_citation_problems(doc, names) if doc is not None else [])


def _citation_problems(doc: m.Document, names: set[str]) -> list[str]:
    entries = {e.id for e in bibliography.entries(doc.blocks)}
    problems = [f"the bibliography's entry {e!r} is no destination of the PDF" for e in sorted(entries - names)]
    for span in bibliography.citations(doc.blocks):
        for target in bibliography.cited(span):
            if target not in entries:
                problems.append(f"a citation's link to {target!r} reaches no entry of a bibliography")
    return problems


def metadata(path: Path) -> dict[str, Any]:
    """The document information dictionary and the XMP packet (each field the model has)."""
    import pikepdf

    with pikepdf.open(path) as pdf:
        info = {str(k)[1:]: str(v) for k, v in pdf.docinfo.items()}
        lang = str(pdf.Root.get("/Lang", ""))
        with pdf.open_metadata() as xmp:
            xmp_identifier = str(xmp.get("dc:identifier", ""))
            xmp_publishers = sorted(str(p) for p in (xmp.get("dc:publisher") or []))
            xmp_creators = [str(c) for c in (xmp.get("dc:creator") or [])]
    title = info.get("Title", "")
    subtitle = info.get("Subtitle", "")
    if subtitle and title.endswith(f": {subtitle}"):
        title = title[: -len(subtitle) - 2]
    created = info.get("CreationDate", "")
    found = re.match(r"D:(\d{4})(\d{2})(\d{2})", created)
    return {
        "title": title,
        "subtitle": subtitle,
        "authors": split(info.get("Author", ""), ","),
        "contributors": split(info.get("Contributors", ""), ";"),
        "date": "-".join(found.groups()) if found else "",
        "language": lang,
        "identifier": info.get("Identifier", ""),
        "publishers": sorted(p for org in split(info.get("Publisher", ""), ";") for p in split(org, " / ")),
        "description": info.get("Subject", ""),
        "keywords": split(info.get("Keywords", ""), ","),
        "xmp identifier": xmp_identifier,
        "xmp publishers": xmp_publishers,
        "xmp authors": xmp_creators,
        "orcids": ORCID.findall(info.get("ORCID", "")),
    }


def struct_elements(node: Any) -> Iterator[Any]:
    """Every structure element under ``node`` (a ``/StructTreeRoot`` or an element), in tree order."""
    import pikepdf

    kids = node.get("/K")
    items = kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []
    for kid in items:
        if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            yield kid
            yield from struct_elements(kid)


def tags(path: Path) -> list[tuple[str, str]]:
    """(tag, alt text) of every structure element, in tree order; empty when untagged."""
    import pikepdf

    with pikepdf.open(path) as pdf:
        tree = pdf.Root.get("/StructTreeRoot")
        if tree is None:
            return []
        return [(str(el.S)[1:], str(el.get("/Alt", ""))) for el in struct_elements(tree)]


def languages(path: Path) -> Languages:
    """The catalog's ``/Lang`` and the ``/Lang`` of every structure element."""
    import pikepdf

    with pikepdf.open(path) as pdf:
        root_lang = str(pdf.Root.get("/Lang", ""))
        tree = pdf.Root.get("/StructTreeRoot")
        inner = {str(el.Lang) for el in struct_elements(tree) if "/Lang" in el} if tree is not None else set()
    return Languages({root_lang}, inner)


def embedded_fonts(path: Path) -> set[str]:
    """The base names of the fonts the pages use (a subset's ``ABCDEF+`` prefix left out)."""
    import pikepdf

    names: set[str] = set()
    with pikepdf.open(path) as pdf:
        for page in pdf.pages:
            resources: Any = page.get("/Resources", {})
            fonts: Any = resources.get("/Font", {})
            for font in fonts.values():
                names.add(str(font.get("/BaseFont", ""))[1:].split("+")[-1])
    return names


READER = Reader(structure=structure, metadata=metadata, languages=languages)
