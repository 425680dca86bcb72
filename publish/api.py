"""The library's front door: load a document, build an edition."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from publish import model as m
from publish import reader, resources, transforms
from publish.layout import Book, Source
from publish.options import FORMATS as FORMATS
from publish.options import MAX_SOURCE_BYTES, Options
from publish.writers import REGISTRY


def load(
    path: Path | str,
    content_root: Path | None = None,
    max_bytes: int = MAX_SOURCE_BYTES,
    defaults: dict[str, Any] | None = None,
    strict: bool = False,
) -> m.Document:
    """Read a Markdown file and run the standard transforms: the canonical model.

    Images must lie inside ``content_root`` (when the file is inside it) or else inside the
    file's own folder; a file larger than ``max_bytes`` is refused. ``defaults`` are
    front-matter values the file's own front matter overrides (publish.toml); ``strict``
    fails the document on any warning."""
    resolver = resources.Resolver.for_document(Path(path), content_root)
    return transforms.apply(reader.read(path, resolver, max_bytes, defaults, strict))


def load_source(source: Source, options: Options | None = None) -> m.Document:
    """A document (:func:`load`) or a book declared in publish.toml (:func:`publish.book.load`),
    read with the limits and defaults of ``options``."""
    options = options or Options()
    if isinstance(source, Book):
        from publish import book

        return book.load(source, options)
    return load(source, options.content_root, options.max_source_bytes, options.defaults, options.strict)


def loads(source: str, path: Path | str = "document.md", content_root: Path | None = None) -> m.Document:
    """Like :func:`load`, from a string (images resolve against ``path``'s folder)."""
    resolver = resources.Resolver.for_document(Path(path), content_root)
    return transforms.apply(reader.read_text(source, Path(path), resolver))


def build(doc: m.Document, fmt: str, dest: Path | str, options: Options | None = None) -> Path:
    """Write one edition of ``doc`` to ``dest`` (atomically) and return its path."""
    if fmt not in REGISTRY:
        raise ValueError(f"unknown format {fmt!r}; choose from {', '.join(REGISTRY)}")
    return REGISTRY[fmt](doc, options or Options(), Path(dest))
