"""Markdown (with or without front matter) → :class:`publish.model.Document`.

markdown-it-py tokens (:mod:`publish.markdown` makes them) never leave this module. Every
problem is collected in a :class:`publish.errors.Diagnostics`: errors fail the document
together once it is read, warnings say at ``file:line`` what was degraded (a remote image
set as its alt text, an HTML tag dropped, a link to nowhere set as text). Raw HTML is read
through the allow-list of :mod:`publish.rawhtml`; nothing passes through as markup.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from markdown_it.token import Token

from publish import citations, crossref, links, markdown, meta, resources, sourcefile
from publish import model as m
from publish import text as txt
from publish.errors import Diagnostics, key_line
from publish.options import MAX_SOURCE_BYTES
from publish.tokens import MAX_NESTING, Reader


def read_text(
    source: str,
    file: Path,
    resolver: resources.Resolver | None = None,
    defaults: dict[str, Any] | None = None,
    strict: bool = False,
) -> m.Document:
    """Parse Markdown source (already decoded) into a document, before transforms.
    ``resolver`` decides which image files the document may use (default: files in its
    own folder and below). Every error of the document is raised together
    (:class:`publish.errors.PublishErrors`); warnings are logged as they are found."""
    diagnostics = Diagnostics(file, strict)
    source = sourcefile.clean(source, file)
    front = sourcefile.split_front_matter(source, file)
    data = {**defaults, **front.data} if defaults else front.data  # publish.toml's [defaults] lose
    metadata = meta.parse(data, front.text, file, front.first_line, diagnostics, sep=front.sep)
    if not front.body.strip():
        diagnostics.error("the document has no text", front.offset + 1)
        diagnostics.done()
    resolver = resolver or resources.Resolver.for_document(file, None)
    reader = Reader(file, front.offset, resolver, metadata.lang, diagnostics)
    blocks = parse_with(reader, front.body)
    metadata, blocks = _title(metadata, blocks, file, front, diagnostics)
    if "identifier" not in data:
        metadata = dataclasses.replace(
            metadata, identifier=meta.derive_identifier(metadata.title, metadata.authors, metadata.date)
        )
    doc = links.resolve(m.Document(metadata, blocks, source=file), reader.links, diagnostics, front.body, front.offset)
    doc = crossref.resolve(doc, diagnostics)
    doc = citations.resolve(doc, diagnostics, lambda key: key_line(front.text, key, front.first_line, sep=front.sep))
    diagnostics.done()
    return doc


def _title(
    metadata: m.Metadata,
    blocks: tuple[m.Block, ...],
    file: Path,
    front: sourcefile.FrontMatter,
    diagnostics: Diagnostics,
) -> tuple[m.Metadata, tuple[m.Block, ...]]:
    """The title: the front matter's (a first heading that repeats it is dropped), else
    the first level-1 heading's (taken out of the text), else the file's name."""
    first = _first_heading(blocks)
    if metadata.title:
        if first is not None and first[1] == 0 and _same(txt.plain(first[0].content), metadata.title):
            return metadata, _without(blocks, first[0])
        return metadata, blocks
    if first is not None:
        return dataclasses.replace(metadata, title=txt.squash(txt.plain(first[0].content))), _without(blocks, first[0])
    title = txt.squash(re.sub(r"[-_]+", " ", file.stem))
    diagnostics.warn(
        f"the document has no title: it is named {title!r} after its file (add 'title:' to its front matter)", 1
    )
    return dataclasses.replace(metadata, title=title), blocks


def _first_heading(blocks: tuple[m.Block, ...]) -> tuple[m.Heading, int] | None:
    """The first level-1 heading at the top level or in a top-level Div, and its index."""
    for index, block in enumerate(blocks):
        if isinstance(block, m.Heading) and block.level == 1:
            return block, index
        if isinstance(block, m.Div) and not block.title:
            inner = _first_heading(block.blocks)
            if inner is not None:
                return inner[0], index
    return None


def _without(blocks: tuple[m.Block, ...], heading: m.Heading) -> tuple[m.Block, ...]:
    out: list[m.Block] = []
    done = False
    for block in blocks:
        if not done and block is heading:
            done = True
            continue
        if not done and isinstance(block, m.Div) and _first_heading(block.blocks) is not None:
            block = dataclasses.replace(block, blocks=_without(block.blocks, heading))
            done = True
        out.append(block)
    return tuple(out)


def _same(a: str, b: str) -> bool:
    return txt.squash(a).casefold() == txt.squash(b).casefold()


def check_nesting(tokens: Sequence[Token], reader: Reader) -> None:
    """markdown-it silently stops nesting past maxNesting and drops text: refuse instead."""
    depth = 0
    for tok in tokens:
        depth += tok.nesting
        if depth >= MAX_NESTING - 2:
            raise reader.error(f"blocks are nested more than {MAX_NESTING - 2} levels deep", reader.line(tok))
        for child in tok.children or []:
            if child.level >= MAX_NESTING - 2:
                raise reader.error(
                    f"inline markup is nested more than {MAX_NESTING - 2} levels deep",
                    reader.line(tok),
                )


def parse_with(reader: Reader, body: str) -> tuple[m.Block, ...]:
    tokens = markdown.parser(reader.lang).parse(body)
    check_nesting(tokens, reader)
    reader.collect_notes(tokens)
    return reader.blocks(tokens)


def parse_body(
    body: str,
    file: Path,
    offset: int,
    resolver: resources.Resolver | None,
    lang: str,
    diagnostics: Diagnostics | None = None,
) -> tuple[m.Block, ...]:
    """The blocks of a Markdown body that starts after ``offset`` lines of ``file`` (a
    book's chapter; its links are resolved by the book)."""
    problems = diagnostics or Diagnostics(file)
    resolver = resolver or resources.Resolver.for_document(file, None)
    reader = Reader(file, offset, resolver, lang, problems)
    reader.links.keep_relative = True
    blocks = parse_with(reader, body)
    if diagnostics is None:
        problems.done()
    return blocks


def read(
    path: Path | str,
    resolver: resources.Resolver | None = None,
    max_bytes: int = MAX_SOURCE_BYTES,
    defaults: dict[str, Any] | None = None,
    strict: bool = False,
) -> m.Document:
    """Read one Markdown file into a document, before transforms."""
    path = Path(path)
    return read_text(sourcefile.decode(path, max_bytes), path, resolver, defaults, strict)
