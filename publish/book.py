"""Books: chapter files listed in publish.toml, assembled into one document.

A book is one :class:`~publish.model.Document` whose blocks are its chapters in order. Each
chapter opens with a level-1 heading (class ``chapter``, its id made from the file's name)
that carries the chapter's title; the chapter's own headings move one level down when it
uses ``#`` for its sections, so a book's outline is chapters, then sections. Ids are made
unique across the book, and links between chapters (``methods.md#sampling``,
``results.md``) become links inside the book (``#sampling``, ``#results``), which every
edition then follows: in the PDF and the DOCX as internal links, in the EPUB and the HTML
site across files. A link to a Markdown file that is not one of the book's chapters, or to
a section a chapter does not have, is an error at its line.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import posixpath
import re
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from publish import citations, crossref, links, meta, project, reader, resources, sourcefile, transforms, walk
from publish import model as m
from publish import text as txt
from publish.errors import Diagnostics, PublishError, key_line, line_of
from publish.layout import Book
from publish.options import MAX_SOURCE_BYTES, Options

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


@dataclass
class _Part:
    source: Path
    id: str
    title: tuple[m.Inline, ...]
    blocks: tuple[m.Block, ...]
    text: str
    #: Ids as the chapter wrote (or derived) them → ids in the book.
    ids: dict[str, str]
    #: The id written on the chapter's own heading (``{#sec-intro}``).
    label: str = ""


def load(book: Book, options: Options) -> m.Document:
    """Read every chapter of ``book`` and assemble the book (after the standard transforms)."""
    if _memo is None:
        return _assemble(book, options, prepare_chapter)
    key = _memo.key(book, options)
    kept = _memo.books.get(book.name)
    if key and kept is not None and kept[0] == key:
        return kept[1]
    doc = _assemble(book, options, _memo.prepare)
    if key and _memo.key(book, options) == key:
        _memo.books[book.name] = (key, doc)
    return doc


#: A chapter read, and its blocks with their levels shifted and their headings' ids set.
Prepared = tuple["ChapterText", tuple[m.Block, ...]]


def _assemble(book: Book, options: Options, prepare: Callable[..., Prepared]) -> m.Document:
    content = book.project_file.parent
    data = {**options.defaults, **book.meta}
    metadata = meta.parse(data, project.as_yaml(book.text), book.project_file, first_line=book.line + 1)
    root = options.content_root or content
    seen = {book.name}
    parts: list[_Part] = []
    for file in book.chapters:
        if not file.is_file():
            raise PublishError(
                f"[books.{book.name}] chapter {file} does not exist", book.project_file, book.chapters_line or book.line
            )
        resolver = resources.Resolver.for_document(file, root)
        chapter, local = prepare(file, resolver, metadata.lang, options.max_source_bytes)
        chapter_id = _unique(txt.slugify(file.stem), seen)
        ids = {old: _unique(old, seen) for old in _ids(local)}
        ids.setdefault(txt.slugify(txt.plain(chapter.title)), chapter_id)  # its title's own id
        if chapter.label:
            ids.setdefault(chapter.label, chapter_id)  # the id written on its heading
        parts.append(_Part(file, chapter_id, chapter.title, local, chapter.source, ids, chapter.label))
    by_file = {part.source.resolve(): part for part in parts}
    labels: dict[str, str] = {}  # a label → its id in the book, for references from other chapters
    for part in parts:
        for old, new in part.ids.items():
            labels.setdefault(old, new)
    blocks: list[m.Block] = []
    for part in parts:
        label = (("label", part.label),) if part.label else ()  # crossref: @sec-intro names the chapter
        heading = m.Heading(1, part.title, m.Attr(id=part.id, classes=("chapter",), values=label))
        body = _relink(part, by_file, content, book, labels)
        blocks += [heading, *body]
    doc = m.Document(
        metadata,
        tuple(blocks),
        source=book.project_file,
        name=book.name,
        chapters=tuple(m.Chapter(part.id, part.source) for part in parts),
    )
    diagnostics = Diagnostics(book.project_file)
    doc = crossref.resolve(doc, diagnostics, labels)
    doc = citations.resolve(doc, diagnostics, lambda key: key_line(book.text, key, book.line + 1, sep="="))
    diagnostics.done()
    return transforms.apply(doc)


@dataclass(frozen=True)
class ChapterText:
    """A book's chapter as read: its title (front matter ``title``, or the ``#`` heading that
    opens it, taken out of the blocks), its blocks, its source text (for error lines)."""

    title: tuple[m.Inline, ...]
    blocks: tuple[m.Block, ...]
    source: str
    #: The id written on the ``#`` heading that gave the title (``{#sec-intro}``): a label
    #: the rest of the book may refer to the chapter by.
    label: str = ""


CHAPTER_KEYS = {"title"}


def prepare_chapter(path: Path, resolver: resources.Resolver, lang: str, max_bytes: int | None = None) -> Prepared:
    """A chapter (:func:`read_chapter`) and its blocks as the book takes them in: moved one
    level down when it uses ``#`` for its sections, every heading with an id."""
    chapter = read_chapter(path, resolver, lang, max_bytes)
    shifted = _shift(chapter.blocks, path, chapter.source)
    blocks = transforms.heading_ids(m.Document(m.Metadata("", lang=lang), shifted)).blocks
    title = chapter.label or txt.slugify(txt.plain(chapter.title))  # the book gives it the chapter's id
    return chapter, links.implicit_targets(blocks, title)[0]


def read_chapter(path: Path, resolver: resources.Resolver, lang: str, max_bytes: int | None = None) -> ChapterText:
    """Read a chapter of a book. Its front matter is optional and may give only its title
    (the book's metadata is the book's, in publish.toml); without it, the chapter must open
    with a ``#`` heading, which becomes its title."""
    source = sourcefile.clean(sourcefile.decode(path, max_bytes or MAX_SOURCE_BYTES), path)
    title: tuple[m.Inline, ...] = ()
    offset, body = 0, source
    front = sourcefile.split_front_matter(source, path)
    if front.syntax != "none":
        data, yaml_text, body, offset = front.data, front.text, front.body, front.offset
        for key in data:
            if key not in CHAPTER_KEYS:
                line = key_line(yaml_text, key, front.first_line, sep=front.sep) or front.first_line
                raise PublishError(
                    f"a chapter's front matter gives only its title; {key!r} belongs to the book "
                    "(its table in publish.toml)",
                    path,
                    line,
                )
        value = (
            meta.parse({"title": data.get("title")}, yaml_text, path, front.first_line, sep=front.sep).title
            if data
            else ""
        )
        title = (m.Text(value),) if value else ()
    if not body.strip():
        raise PublishError("the chapter has no text", path, offset + 1)
    blocks = reader.parse_body(body, path, offset, resolver, lang)
    if not title:
        first = blocks[0] if blocks else None
        if not (isinstance(first, m.Heading) and first.level == 1):
            raise PublishError(
                "a chapter needs a title: front matter with 'title:', or a '# Heading' as its first line",
                path,
                offset + 1,
            )
        return ChapterText(first.content, blocks[1:], source, first.attr.id)
    return ChapterText(title, blocks, source)


class ChapterMemo:
    """Books and chapters as read, kept across the builds of one long-running process
    (``publish serve``): a chapter whose file holds the same bytes, read with the same
    resolver, language and size limit, is not parsed again, and a book whose table and
    chapters are all as they were is not assembled again. One entry per chapter file and
    per book (the last version read). A parse also looked at other files (images, a
    bibliography): the owner calls :meth:`forget` when anything but Markdown changes."""

    def __init__(self) -> None:
        self._kept: dict[tuple[Path, resources.Resolver, str, int | None], tuple[str, Prepared]] = {}
        self.books: dict[str, tuple[str, m.Document]] = {}

    def key(self, book: Book, options: Options) -> str:
        """What a book is assembled from: its table, its chapters' bytes, the options it is
        read with ("" when a chapter cannot be read: the assembly says why)."""
        digests = [_digest(file) for file in book.chapters]
        if not all(digests):
            return ""
        what = [book.name, str(book.project_file), book.line, book.chapters_line, book.text, book.meta]
        what += [options.defaults, str(options.content_root), options.max_source_bytes, digests]
        what += [[str(file) for file in book.chapters]]
        return hashlib.sha256(json.dumps(what, default=str, sort_keys=True).encode()).hexdigest()

    def prepare(self, path: Path, resolver: resources.Resolver, lang: str, max_bytes: int | None = None) -> Prepared:
        """:func:`prepare_chapter`, or what it returned for the same bytes."""
        key = (path, resolver, lang, max_bytes)
        digest = _digest(path)
        kept = self._kept.get(key)
        if digest and kept is not None and kept[0] == digest:
            return kept[1]
        chapter = prepare_chapter(path, resolver, lang, max_bytes)  # which says why a file cannot be read
        if digest and _digest(path) == digest:  # not kept when the file changed while it was read
            self._kept[key] = (digest, chapter)
        return chapter

    def forget(self) -> None:
        self._kept.clear()
        self.books.clear()

    def __len__(self) -> int:
        return len(self._kept)


def _digest(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return ""


#: The memo :func:`load` reads chapters through, when a long-running process set one.
_memo: ChapterMemo | None = None


def remember_chapters(memo: ChapterMemo | None) -> None:
    """Read the chapters of every book loaded from now on through ``memo`` (None: parse
    every chapter at every load, as a one-off build does)."""
    global _memo
    _memo = memo


def _unique(base: str, seen: set[str]) -> str:
    ident, n = base, 0
    while ident in seen:
        n += 1
        ident = f"{base}-{n}"
    seen.add(ident)
    return ident


def _ids(blocks: tuple[m.Block, ...]) -> list[str]:
    return [node.attr.id for node in walk.walk(blocks) if isinstance(node, _IDENTIFIED) and node.attr.id]


_IDENTIFIED = m.Heading | m.Figure | m.Span | m.Table | m.Math


def _shift(blocks: tuple[m.Block, ...], file: Path, source: str) -> tuple[m.Block, ...]:
    """A chapter that uses ``#`` for its sections has them moved one level down, below the
    chapter's own heading; a level beyond 6 is an error."""
    levels = [n.level for n in walk.walk(blocks) if isinstance(n, m.Heading)]
    if not levels or min(levels) > 1:
        return blocks
    if max(levels) >= 6:
        line = line_of(source, r"^ {0,3}#{6}\s")
        raise PublishError(
            "this chapter uses '#' for its sections, which become level 2 in the book, so a level-6 "
            "heading would become level 7; use one level less throughout",
            file,
            line,
        )
    return transforms.rewrite_blocks(
        blocks, lambda n: dataclasses.replace(n, level=n.level + 1) if isinstance(n, m.Heading) else n
    )


def _relink(
    part: _Part, by_file: dict[Path, _Part], content: Path, book: Book, labels: dict[str, str]
) -> tuple[m.Block, ...]:
    """The chapter's blocks with the book's ids, links between chapters made internal and
    image paths made relative to the content folder (where the book's editions find them)."""

    def fail(message: str, needle: str) -> PublishError:
        return PublishError(message, part.source, line_of(part.text, re.escape(needle)))

    def target(url: str) -> str:
        if url.startswith("#"):
            fragment = urllib.parse.unquote(url[1:])
            if fragment and fragment not in part.ids:
                raise fail(f"link to #{fragment}: this chapter has no such heading or id", url)
            return "#" + part.ids[fragment] if fragment else url
        if _SCHEME.match(url) or url.startswith(("/", "//")):
            return url
        path_part, _, fragment = url.partition("#")
        if not path_part.lower().endswith(".md"):
            return url
        path = (part.source.parent / urllib.parse.unquote(path_part)).resolve()
        other = by_file.get(path)
        if other is None:
            raise fail(f"link to {path_part}, which is not a chapter of the book {book.name!r}", url)
        if not fragment:
            return "#" + other.id
        fragment = urllib.parse.unquote(fragment)
        if fragment in other.ids:
            return "#" + other.ids[fragment]
        raise fail(f"link to #{fragment} in {path_part}, which has no such heading or id", url)

    def image(node: m.Image) -> m.Image:
        return dataclasses.replace(node, src=_from_root(node.src, part.source.parent, content))

    def fn(node: walk.Node) -> walk.Node:
        if isinstance(node, m.Link):
            return dataclasses.replace(node, url=target(node.url))
        if isinstance(node, m.Image):
            return image(node)
        if isinstance(node, m.Figure):
            node = dataclasses.replace(node, image=image(node.image))
        if isinstance(node, _IDENTIFIED) and node.attr.id in part.ids:
            return dataclasses.replace(node, attr=dataclasses.replace(node.attr, id=part.ids[node.attr.id]))
        if isinstance(node, m.CiteItem):
            return crossref.renamed(node, part.ids | {k: v for k, v in labels.items() if k not in part.ids})
        return node

    return transforms.rewrite_blocks(part.blocks, fn)


def _from_root(src: str, folder: Path, content: Path) -> str:
    """An image path written relative to a chapter, made relative to the content folder."""
    if _SCHEME.match(src) or src.startswith("/"):
        return src
    relative = os.path.relpath(folder.resolve() / urllib.parse.unquote(src), content.resolve())
    return posixpath.normpath(Path(relative).as_posix())
