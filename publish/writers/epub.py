"""EPUB 3 edition: template-rendered XHTML, nav and cover, packaged by EbookLib.

EbookLib re-parses chapters given as HTML and drops what it does not know (``<head>``,
``xml:lang``, ``epub:type``); our pages are complete XHTML from the templates, so they
are handed over as they are (:class:`_Page`). The identifier is the document's stable
``urn:uuid:``; dcterms:modified is the build time in UTC.

The book opens with a cover page: ``epub/cover.svg`` (publishers, title, subtitle, authors,
date; no image needed) drawn by librsvg as the PNG the package declares as its cover image
(what a library shows as its thumbnail), shown by ``epub/cover.xhtml`` in an SVG whose
viewBox scales it, whole and centred, to any screen. Then the nav (table of contents and
landmarks), then the text: one file, or one file per top-level section when the text is long
(:attr:`Options.epub_split_chars`), with links between files rewritten to reach their
target. Notes are EPUB 3 footnotes (``noteref`` → ``aside epub:type="footnote"``) at the end
of the file that refers to them. The package carries EPUB Accessibility 1.1 metadata.
"""

from __future__ import annotations

import mimetypes
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ebooklib import epub

from publish import bibliography, files, highlight, pagedata, svg, text, walk
from publish import model as m
from publish import templates as tpl
from publish.errors import PublishError
from publish.options import Options
from publish.writers import common, htmlbody, librsvg

CHAPTER = "text.xhtml"
COVER = "cover.xhtml"
NAV = "nav.xhtml"
COVER_IMAGE = "cover.png"


class _Page(epub.EpubHtml):  # type: ignore[misc]
    """An XHTML document rendered by our templates, stored byte for byte."""

    def __init__(
        self, uid: str, file_name: str, title: str, lang: str, content: bytes, properties: list[str] | None = None
    ):
        super().__init__(uid=uid, file_name=file_name, title=title, lang=lang)
        self.content = content
        self.properties = properties or []

    def get_content(self, default: Any = None) -> bytes:
        return bytes(self.content)


@dataclass(frozen=True)
class Chapter:
    file: str
    blocks: tuple[m.Block, ...]

    @property
    def title(self) -> str | None:
        heading = next((b for b in self.blocks if isinstance(b, m.Heading)), None)
        return text.squash(f"{heading.number} {text.plain(heading.content)}") if heading else None


def split(doc: m.Document, threshold: int) -> list[Chapter]:
    """A book: one file per chapter. A document: one file, or, when the paragraphs hold at
    least ``threshold`` characters, one per heading of the highest level that occurs twice
    or more (what comes before the first one joins it)."""
    blocks = doc.blocks
    levels = [b.level for b in blocks if isinstance(b, m.Heading)]
    size = sum(len(text.plain(n.content)) for n in walk.walk(blocks) if isinstance(n, m.Paragraph))
    repeated = sorted(level for level in set(levels) if levels.count(level) >= 2)
    if doc.is_book:
        top = 1
    elif size < threshold or not repeated:
        return [Chapter(CHAPTER, tuple(blocks))]
    else:
        top = repeated[0]
    groups: list[list[m.Block]] = [[]]
    for block in blocks:
        if isinstance(block, m.Heading) and block.level == top and any(isinstance(b, m.Heading) for b in groups[-1]):
            groups.append([])
        groups[-1].append(block)
    return [Chapter(f"chapter-{i:02d}.xhtml", tuple(g)) for i, g in enumerate(groups, 1)]


def _with_hrefs(entries: list[dict[str, Any]], where: dict[str, str]) -> list[dict[str, Any]]:
    return [
        {**e, "href": f"{where.get(e['id'], CHAPTER)}#{e['id']}", "children": _with_hrefs(e["children"], where)}
        for e in entries
    ]


def _toc_links(entries: list[dict[str, Any]]) -> list[Any]:
    out: list[Any] = []
    for entry in entries:
        link = epub.Link(entry["href"], entry["text"], entry["id"])
        out.append((link, _toc_links(entry["children"])) if entry["children"] else link)
    return out


def _metadata(book: epub.EpubBook, doc: m.Document, has_images: bool) -> None:
    meta = doc.meta
    book.set_identifier(meta.identifier)
    book.title = meta.title
    book.add_metadata("DC", "title", meta.title, {"id": "title"})
    book.add_metadata(None, "meta", "main", {"refines": "#title", "property": "title-type"})
    if meta.subtitle:
        book.add_metadata("DC", "title", meta.subtitle, {"id": "subtitle"})
        book.add_metadata(None, "meta", "subtitle", {"refines": "#subtitle", "property": "title-type"})
    book.set_language(meta.lang)
    for index, author in enumerate(meta.authors, 1):
        uid = f"creator{index}"
        book.add_author(author.name, uid=uid, role="aut")
        for prop, value in (
            ("schema:honorificPrefix", author.honorific),
            ("schema:jobTitle", author.role),
            ("schema:affiliation", author.affiliation),
            ("schema:sameAs", author.orcid_url),  # the ORCID iD, as in the web edition's JSON-LD
        ):
            if value:
                book.add_metadata(None, "meta", value, {"refines": f"#{uid}", "property": prop})
    if meta.date:
        book.add_metadata("DC", "date", meta.date.isoformat())
    if meta.description:
        book.add_metadata("DC", "description", meta.description)
    for keyword in meta.keywords:
        book.add_metadata("DC", "subject", keyword)
    xml_lang = "{http://www.w3.org/XML/1998/namespace}lang"
    for index, org in enumerate(meta.publishers, 1):
        first, *others = org.names
        uid = f"publisher{index}"
        lang = {xml_lang: first.lang} if first.lang else {}
        book.add_metadata("DC", "publisher", first.text, {"id": uid, **lang})
        for other in others:  # the same publisher's name in its other languages
            lang = {xml_lang: other.lang} if other.lang else {}
            book.add_metadata(None, "meta", other.text, {"refines": f"#{uid}", "property": "alternate-script", **lang})
    if meta.rights:
        book.add_metadata("DC", "rights", meta.rights)
    _accessibility(book, has_images)


def _accessibility(book: epub.EpubBook, has_images: bool) -> None:
    """EPUB Accessibility 1.1 discovery metadata, true of every book we make: text is the
    content, images carry alt text (the reader refuses an image without it), the nav gives
    structural navigation, there is no flashing, sound or motion."""

    def prop(name: str, value: str) -> None:
        book.add_metadata(None, "meta", value, {"property": name})

    prop("dcterms:conformsTo", "EPUB Accessibility 1.1 - WCAG 2.1 Level AA")
    prop("schema:accessMode", "textual")
    if has_images:
        prop("schema:accessMode", "visual")
    prop("schema:accessModeSufficient", "textual")
    for feature in ("structuralNavigation", "tableOfContents", "readingOrder", "displayTransformability"):
        prop("schema:accessibilityFeature", feature)
    if has_images:
        prop("schema:accessibilityFeature", "alternativeText")
    prop("schema:accessibilityHazard", "none")
    summary = (
        "A text publication with a navigable table of contents, headings in a logical order, "
        "marked-up language changes and linked footnotes"
        + ("; every image has a text alternative." if has_images else ".")
    )
    prop("schema:accessibilitySummary", summary)


def cover_lines(value: str, width: float, latin: float = 0.62) -> list[str]:
    """Break ``value`` into lines of at most ``width`` ems (a wide CJK character is one em,
    another character ``latin`` em); Latin text breaks between words, CJK text anywhere."""
    lines: list[str] = []
    line, size = "", 0.0
    tokens = re.findall(r"[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]|\S+|\s+", value)
    for token in tokens:
        if token.isspace():
            if line:
                line, size = line + " ", size + 0.3
            continue
        wide = unicodedata.east_asian_width(token[0]) in ("W", "F")
        token_size = len(token) * (1.0 if wide else latin)
        if line.strip() and size + token_size > width:
            lines.append(line.rstrip())
            line, size = "", 0.0
        line, size = line + token, size + token_size
    if line.strip():
        lines.append(line.rstrip())
    return lines


def cover_layout(ctx: dict[str, Any]) -> dict[str, Any]:
    """Plain data for ``epub/cover.svg``: the lines of each part and where they start."""
    publishers = [name for org in ctx["publishers"] for name in org["names"]][:6]
    title = cover_lines(ctx["title"], 10.5)[:5]
    subtitle = cover_lines(ctx["subtitle"] or "", 20)[:3]
    title_y = 300 if len(title) < 4 else 250
    return {
        "publishers": publishers,
        "title": title,
        "title_y": title_y,
        "subtitle": subtitle,
        "subtitle_y": title_y + len(title) * 54 + 30,
        "authors": [line for a in ctx["authors"] for line in cover_lines(a["display"], 24)][:5],
    }


def cover_drawing(ctx: dict[str, Any], path: tuple[Path, ...]) -> str:
    """The cover as an SVG: ``epub/cover.svg`` rendered with the template data ``ctx``."""
    return tpl.render(path, "epub/cover.svg", cover=cover_layout(ctx), **ctx)


def cover_picture(ctx: dict[str, Any], path: tuple[Path, ...]) -> tuple[bytes, tuple[float, float]]:
    """The cover drawn by librsvg in the faces of the house chain, as a PNG of twice its size
    (the default cover, 600 × 900, gives 1200 × 1800 pixels); and that size, for the cover
    page's viewBox."""
    try:
        picture = svg.clean(cover_drawing(ctx, path).encode("utf-8"))
        return librsvg.png(picture, ctx["lang"]), (picture.width, picture.height)
    except svg.SvgError as exc:
        raise PublishError(f"template error: the cover is not a usable SVG: {exc}", Path("epub/cover.svg")) from None


def _bibliography_href(chapters: list[Chapter]) -> str | None:
    """Where the (first) bibliography stands, for the landmarks: its file and id."""
    for chapter in chapters:
        for div in bibliography.bibliographies(chapter.blocks):
            return f"{chapter.file}#{div.attr.id}" if div.attr.id else chapter.file
    return None


def write(doc: m.Document, options: Options, dest: Path) -> Path:
    meta = doc.meta
    path = options.template_path
    ctx = pagedata.context(doc, options)
    chapters = split(doc, options.epub_split_chars)
    where = htmlbody.targets((c.file, c.blocks) for c in chapters)
    toc = _with_hrefs(ctx["toc"], where)
    media = common.Media(doc, options)
    names = media.names()

    book = epub.EpubBook()
    _metadata(book, doc, bool(names))
    if ctx["dir"] == "rtl":  # pages turn from right to left; the package's text is right to left
        book.set_direction("rtl")

    css_text = tpl.render(path, "epub/style.css", **ctx) + "\n" + highlight.css(highlight.LIGHT)
    book.add_item(epub.EpubItem(uid="style", file_name="style.css", media_type="text/css", content=css_text.encode()))

    image = epub.EpubCover(uid="cover-image", file_name=COVER_IMAGE)  # manifest property cover-image
    png, (width, height) = cover_picture(ctx, path)
    image.media_type, image.content = "image/png", png
    book.add_item(image)
    book.add_metadata(None, "meta", "", {"name": "cover", "content": "cover-image"})
    cover_xhtml = tpl.render(
        path, "epub/cover.xhtml", xhtml=True, cover_image=COVER_IMAGE, cover_size=(f"{width:g}", f"{height:g}"), **ctx
    )
    cover_bytes = cover_xhtml.encode("utf-8")
    cover = _Page("cover", COVER, ctx["labels"]["cover"], meta.lang, cover_bytes, properties=["svg"])
    book.add_item(cover)

    pages: list[_Page] = []
    for index, chapter in enumerate(chapters):
        body_options = htmlbody.BodyOptions(
            image_url=lambda src: names[src],
            epub=True,
            notes="epub",
            documents="",  # a link may not leave the container (EPUBCheck RSC-007/RSC-026)
            href=htmlbody.href_in(chapter.file, where),
            lang=doc.meta.lang,
            direction=ctx["dir"],
        )
        notes = [n for n in walk.walk(chapter.blocks) if isinstance(n, m.Note)]
        body = htmlbody.render_blocks(chapter.blocks, notes, body_options)
        title = meta.title if index == 0 else (chapter.title or meta.title)
        xhtml = tpl.render(
            path,
            "epub/chapter.xhtml",
            body=body.blocks,
            notes=body.notes,
            xhtml=True,
            first=index == 0,
            chapter_title=title,
            **ctx,
        )
        mathml = ["mathml"] if any(isinstance(n, m.Math) for n in walk.walk(chapter.blocks)) else []  # OPF-014
        page = _Page(f"text{index + 1}", chapter.file, title, meta.lang, xhtml.encode("utf-8"), properties=mathml)
        book.add_item(page)
        pages.append(page)

    nav_xhtml = tpl.render(
        path,
        "epub/nav.xhtml",
        xhtml=True,
        **{**ctx, "toc": toc},
        first_chapter=chapters[0].file,
        cover=COVER,
        bibliography=_bibliography_href(chapters),
    )
    nav = _Page("nav", NAV, ctx["labels"]["contents"], meta.lang, nav_xhtml.encode("utf-8"), properties=["nav"])
    book.add_item(nav)
    for src, name in names.items():
        media_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        book.add_item(
            epub.EpubItem(
                uid=Path(name).stem,
                file_name=name,
                media_type=media_type,
                content=media.data(src),  # an SVG cleaned of what it could run or fetch
            )
        )
    book.add_item(epub.EpubNcx())
    book.toc = _toc_links(toc) or [epub.Link(chapters[0].file, meta.title, "text")]
    book.spine = [cover, nav, *pages]

    with files.atomic_path(dest) as tmp:
        write_options = {"raise_exceptions": True, "mtime": options.now, "epub2_guide": False}
        epub.write_epub(str(tmp), book, {**write_options, "package_direction": ctx["dir"] == "rtl"})
        files.normalize_zip(tmp, options.now, first="mimetype")
    return dest
