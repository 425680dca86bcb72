"""The checks only a PDF has: ``pdf-tags`` (the tag tree and the bookmarks), ``glyphs`` (every
character in an embedded font)."""

from __future__ import annotations

import collections
from pathlib import Path

from publish import glyphs, pagedata, text, walk
from publish import model as m
from publish import outline as ol
from publish.check.report import FAIL, NOT_CHECKED, PASS, Result
from publish.options import Options
from publish.readback import pdf as pdf_back


def check_pdf_tags(doc: m.Document, path: Path, options: Options) -> Result:
    """The tag tree (what assistive technology reads) and the bookmarks (what a reader
    navigates by) against the model."""
    if options.pdf_variant == "plain":
        return Result("pdf-tags", NOT_CHECKED, ["an untagged PDF was asked for (--pdf-variant plain)"], "pdf")
    tags = pdf_back.tags(path)
    if not tags:
        return Result("pdf-tags", FAIL, ["the PDF has no tag tree", *pdf_back.bookmark_problems(doc, path)], "pdf")
    count = collections.Counter(tag for tag, _ in tags)
    nodes = list(walk.walk(doc.blocks))
    problems = pdf_back.bookmark_problems(doc, path)
    want_h = collections.Counter(f"H{n.level}" for n in nodes if isinstance(n, m.Heading))
    want_h["H1"] += 1  # the title
    for level, n in sorted(want_h.items()):
        if count[level] < n:
            problems.append(f"{n} {level} heading(s) in the source, {count[level]} tagged")
    # A footnote is set as lines of text at the foot of its page: its paragraphs are not P,
    # its lists not L.
    in_notes = list(walk.walk(walk.notes(doc.blocks)))
    paragraphs = _paragraphs(nodes) - _paragraphs(in_notes)
    if count["P"] < paragraphs:
        problems.append(f"{paragraphs} paragraphs in the source, {count['P']} tagged P")
    lists = sum(1 for n in nodes if isinstance(n, m.BulletList | m.OrderedList)) - sum(
        1 for n in in_notes if isinstance(n, m.BulletList | m.OrderedList)
    )
    if count["L"] < lists:
        problems.append(f"{lists} lists in the source, {count['L']} tagged L")
    tables = sum(1 for n in nodes if isinstance(n, m.Table))
    # WeasyPrint tags a table broken across pages once per page: at least one Table each
    if count["Table"] < tables:
        problems.append(f"{tables} tables in the source, {count['Table']} tagged")
    links = sum(1 for n in nodes if isinstance(n, m.Link))
    if count["Link"] < links:
        problems.append(f"{links} links in the source, {count['Link']} tagged")
    # An image without alt text is decoration: an artifact, not a Figure (PDF/UA, 7.3).
    alts = [n.alt for n in nodes if isinstance(n, m.Image) and text.squash(n.alt)]
    alts += [n.tex for n in nodes if isinstance(n, m.Math)]  # a formula is drawn: its TeX is its alt
    tagged = [alt for tag, alt in tags if tag == "Figure"]
    if sorted(text.squash(a) for a in alts) != sorted(text.squash(a) for a in tagged):
        problems.append(f"figures (images and formulas) and their alt text differ: source {alts}, tagged {tagged}")
    return Result("pdf-tags", FAIL if problems else PASS, problems, "pdf")


def _paragraphs(nodes: list[walk.Node]) -> int:
    """The paragraphs tagged P: not the text of a tight list's item (pandoc's Plain, the
    item's own text in its LBody), nor a tight definition list's definitions (in a ``<dd>``)."""
    plain = sum(
        1
        for n in nodes
        if isinstance(n, m.BulletList | m.OrderedList) and n.tight
        for item in n.items
        for block in item.blocks
        if isinstance(block, m.Paragraph)
    )
    plain += sum(
        1
        for n in nodes
        if isinstance(n, m.DefinitionList) and n.tight
        for item in n.items
        for definition in item.definitions
        for block in definition
        if isinstance(block, m.Paragraph)
    )
    return sum(1 for n in nodes if isinstance(n, m.Paragraph)) - plain


def _visible_text(doc: m.Document, options: Options) -> str:
    ctx = pagedata.context(doc, options)
    parts = [doc.meta.title, doc.meta.subtitle or "", *(a["display"] for a in ctx["authors"])]
    parts += [a.role or "" for a in doc.meta.authors] + [a.affiliation or "" for a in doc.meta.authors]
    parts += [n.text for org in doc.meta.publishers for n in org.names]
    parts += [ctx["date"]["text"] if ctx["date"] else "", *ctx["labels"].values()]
    parts.append(ol.text_stream(ol.outline_of(doc)))
    return "".join(parts)


def check_glyphs(doc: m.Document, path: Path, options: Options) -> Result:
    """Every character of the visible text is in a face embedded in the PDF: each embedded
    font is matched to the installed face it was made from (its family, weight, slant and
    width, as WeasyPrint names it) and that face's cmap read. A character that no font of the
    chain has at all is the declared degradation (a box, warned about at build time): it is
    listed, and does not fail the check."""
    if not glyphs.installed():
        return Result("glyphs", NOT_CHECKED, ["fontconfig's fc-list is not installed"], "pdf")
    covered: set[int] = set()
    unknown = []
    for name in sorted(pdf_back.embedded_fonts(path)):
        face = glyphs.pdf_face(name)
        if face is None:
            unknown.append(name)
            continue
        covered |= glyphs.cmap(face.file, face.index)
    if unknown:
        return Result("glyphs", NOT_CHECKED, [f"embedded fonts not installed here: {', '.join(unknown)}"], "pdf")
    missing = {c for c in glyphs.drawn(_visible_text(doc, options)) if ord(c) not in covered}
    boxes = glyphs.uncovered(missing)
    places = glyphs.source_lines(_sources(doc), missing)
    problems = [
        f"{where(doc, c, places)}: U+{ord(c):04X} {c!r} is in no font embedded in the PDF"
        for c in sorted(missing - boxes)
    ]
    notes = [
        f"{where(doc, c, places)}: {glyphs.describe(c)} is in no installed font: shown as a box ({glyphs.advice(c)})"
        for c in sorted(boxes)
    ]
    return Result("glyphs", FAIL if problems else PASS, problems + notes, "pdf")


def _sources(doc: m.Document) -> list[Path]:
    return [c.source for c in doc.chapters] or ([doc.source] if doc.source else [])


def where(doc: m.Document, char: str, places: dict[str, list[tuple[Path, int]]] | None = None) -> str:
    """``file:line`` of the first place a character stands in the source (a book's chapters)."""
    if doc.source is None:
        return "the document"
    found = (places if places is not None else glyphs.source_lines(_sources(doc), char)).get(char)
    return f"{found[0][0]}:{found[0][1]}" if found else str(doc.source)
