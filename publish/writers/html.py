"""HTML5 edition: one standalone page, its CSS inline, images copied beside it.

A book's web edition is a small site: ``<book>.html`` (the title block and the contents of
every chapter) and one page per chapter, ``<chapter id>.html``, each with links to the
previous and next pages and back to the first. Links between chapters reach the page that
holds their target; each chapter's notes are at the end of its page.
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path
from typing import Any

from publish import files, i18n, layout, pagedata, text, walk
from publish import model as m
from publish import templates as tpl
from publish.options import Options
from publish.writers import common, htmlbody


def _copy_media(doc: m.Document, options: Options, folder: Path) -> dict[str, str]:
    media = common.Media(doc, options)
    names = media.names()
    for src, name in names.items():
        target = folder / name
        data = media.data(src)  # an SVG cleaned of what it could run or fetch
        if not target.is_file() or target.read_bytes() != data:
            target.parent.mkdir(parents=True, exist_ok=True)
            files.write_bytes(target, data)
    return names


def write(doc: m.Document, options: Options, dest: Path) -> Path:
    if doc.is_book:
        return write_site(doc, options, dest)
    names = _copy_media(doc, options, dest.parent)
    body_options = htmlbody.BodyOptions(
        image_url=lambda src: names[src], notes_label=i18n.labels(doc.meta.lang)["notes"], lang=doc.meta.lang
    )
    html = htmlbody.page(doc, options, "html/document.html", body_options)
    files.write_bytes(dest, html.encode("utf-8"))
    return dest


# ---------------------------------------------------------------- a book's site


def chapters(doc: m.Document) -> list[tuple[m.Chapter, tuple[m.Block, ...]]]:
    """A book's chapters with their blocks: each runs from its level-1 heading to the next."""
    starts = {chapter.id: chapter for chapter in doc.chapters}
    out: list[tuple[m.Chapter, list[m.Block]]] = []
    for block in doc.blocks:
        if isinstance(block, m.Heading) and block.level == 1 and block.attr.id in starts:
            out.append((starts[block.attr.id], []))
        elif not out:
            raise ValueError("a book's blocks must start with a chapter heading")
        out[-1][1].append(block)
    return [(chapter, tuple(blocks)) for chapter, blocks in out]


def page_name(chapter: m.Chapter) -> str:
    return layout.chapter_page(chapter.id)


def _linked(entries: list[dict[str, Any]], where: dict[str, str]) -> list[dict[str, Any]]:
    return [
        {**e, "href": f"{where.get(e['id'], '')}#{e['id']}", "children": _linked(e["children"], where)} for e in entries
    ]


def write_site(doc: m.Document, options: Options, dest: Path) -> Path:
    """The book's pages beside ``dest`` (its first page), written one by one, each
    atomically, the first page last; a page whose file already holds its bytes is left as
    it is, and pages of chapters the book no longer has are removed."""
    folder = dest.parent
    rendered, first = _site(doc, options, dest)
    if dest.name in rendered:
        raise ValueError(f"a chapter page would replace the book's first page {dest.name}")
    for name, html in rendered.items():  # a page an edit elsewhere left as it was is not written again
        files.write_if_changed(folder / name, html.encode("utf-8"))
    for stale in folder.glob("*.html"):
        if stale.name not in rendered and stale.name != dest.name and not stale.is_symlink():
            stale.unlink()
    files.write_if_changed(dest, first.encode("utf-8"))
    return dest


def write_chapter_pages(doc: m.Document, options: Options, dest: Path, sources: Collection[Path]) -> list[Path]:
    """Only the pages of the chapters read from ``sources``, as :func:`write_site` writes
    them (with the same ``options``, the same bytes): what a preview shows first after an
    edit of those chapters, before the whole site is written again."""
    wanted = {source.resolve() for source in sources}
    only = {page_name(chapter) for chapter in doc.chapters if chapter.source.resolve() in wanted}
    rendered, _ = _site(doc, options, dest, only)
    written = []
    for name, html in rendered.items():
        if name != dest.name:
            files.write_if_changed(dest.parent / name, html.encode("utf-8"))
            written.append(dest.parent / name)
    return written


def _site(
    doc: m.Document, options: Options, dest: Path, only: Collection[str] | None = None
) -> tuple[dict[str, str], str]:
    """The book's chapter pages (those named in ``only``, default all) by file name, and its
    first page ("" when ``only`` is given); images are copied beside ``dest``."""
    names = _copy_media(doc, options, dest.parent)
    parts = chapters(doc)
    where = htmlbody.targets((page_name(chapter), blocks) for chapter, blocks in parts)
    ctx = pagedata.context(doc, options)
    labels = i18n.labels(doc.meta.lang)
    toc = _linked(ctx["toc"], where)
    index = {"href": dest.name, "title": doc.meta.title}
    pages = [
        {"href": page_name(chapter), "title": text.squash(text.plain(blocks[0].content))}  # type: ignore[union-attr]
        for chapter, blocks in parts
    ]
    rendered: dict[str, str] = {}
    for number, (_chapter, blocks) in enumerate(parts):
        current = pages[number]["href"]
        if only is not None and current not in only:
            continue
        body_options = htmlbody.BodyOptions(
            image_url=lambda src: names[src],
            notes_label=labels["notes"],
            href=htmlbody.href_in(current, where),
            lang=doc.meta.lang,
            direction=ctx["dir"],
        )
        notes = [n for n in walk.walk(blocks) if isinstance(n, m.Note)]
        body = htmlbody.render_blocks(blocks, notes, body_options)
        rendered[current] = tpl.render(
            options.template_path,
            "html/chapter.html",
            body=body.blocks,
            notes=body.notes,
            xhtml=False,
            **{**ctx, "toc": toc},
            page_title=pages[number]["title"],
            index=index,
            previous=pages[number - 1] if number else index,
            next=pages[number + 1] if number + 1 < len(pages) else None,
        )
    if only is not None:
        return rendered, ""
    first = tpl.render(
        options.template_path, "html/book.html", xhtml=False, **{**ctx, "toc": toc, "show_toc": True}, pages=pages
    )
    return rendered, first
