"""EPUB 3 edition: template-rendered XHTML and nav, packaged by EbookLib.

EbookLib re-parses chapters given as HTML and drops what it does not know (``<head>``,
``xml:lang``, ``epub:type``); our pages are complete XHTML from the templates, so they
are handed over as they are (:class:`_Page`). The identifier is the document's stable
``urn:uuid:``; dcterms:modified is the build time in UTC.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from typing import Any

from ebooklib import epub

from publish import htmlbody
from publish import model as m
from publish import templates as tpl
from publish.writers import common

CHAPTER = "text.xhtml"


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


def _toc_links(entries: list[dict[str, Any]]) -> list[Any]:
    out: list[Any] = []
    for entry in entries:
        link = epub.Link(f"{CHAPTER}#{entry['id']}", entry["text"], entry["id"])
        out.append((link, _toc_links(entry["children"])) if entry["children"] else link)
    return out


def write(doc: m.Document, options: common.Options, dest: Path) -> Path:
    meta = doc.meta
    path = options.template_path
    ctx = common.context(doc, options)
    toc = common.heading_tree(ctx["headings"])
    names = {img.src: common.media_name(doc, img.src) for img in common.images(doc)}
    body = htmlbody.render(doc, htmlbody.BodyOptions(image_url=lambda src: names[src], epub=True, lang=meta.lang))

    book = epub.EpubBook()
    book.set_identifier(meta.identifier)
    book.set_title(meta.title)
    book.set_language(meta.lang)
    for index, author in enumerate(meta.authors, 1):
        book.add_author(author.name, uid=f"creator{index}")
    if meta.date:
        book.add_metadata("DC", "date", meta.date.isoformat())
    if meta.description:
        book.add_metadata("DC", "description", meta.description)
    for keyword in meta.keywords:
        book.add_metadata("DC", "subject", keyword)
    for org in meta.publishers:
        book.add_metadata("DC", "publisher", org.name)
    if meta.rights:
        book.add_metadata("DC", "rights", meta.rights)

    css = epub.EpubItem(
        uid="style",
        file_name="style.css",
        media_type="text/css",
        content=tpl.render(path, "epub/style.css").encode("utf-8"),
    )
    book.add_item(css)
    chapter_xhtml = tpl.render(path, "epub/chapter.xhtml", body=body.blocks, notes=body.notes, xhtml=True, **ctx)
    chapter = _Page("text", CHAPTER, meta.title, meta.lang, chapter_xhtml.encode("utf-8"))
    book.add_item(chapter)
    nav_xhtml = tpl.render(path, "epub/nav.xhtml", toc=toc, chapter=CHAPTER, xhtml=True, **ctx)
    nav = _Page("nav", "nav.xhtml", ctx["labels"]["contents"], meta.lang, nav_xhtml.encode("utf-8"), properties=["nav"])
    book.add_item(nav)
    for src, name in names.items():
        media_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        book.add_item(
            epub.EpubItem(
                uid=Path(name).stem,
                file_name=name,
                media_type=media_type,
                content=common.image_path(doc, src).read_bytes(),
            )
        )
    book.add_item(epub.EpubNcx())
    book.toc = _toc_links(toc) or [epub.Link(CHAPTER, meta.title, "text")]
    book.spine = [chapter]

    with common.atomic_path(dest) as tmp:
        epub.write_epub(str(tmp), book, {"raise_exceptions": True, "mtime": options.now, "epub2_guide": False})
    return dest
