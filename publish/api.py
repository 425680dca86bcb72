"""The library's front door: load a document, build an edition."""

from __future__ import annotations

from pathlib import Path

from publish import model as m
from publish import reader, transforms
from publish.writers import REGISTRY
from publish.writers.common import Options

FORMATS: tuple[str, ...] = tuple(REGISTRY)


def load(path: Path | str) -> m.Document:
    """Read a Markdown file and run the standard transforms: the canonical model."""
    return transforms.apply(reader.read(path))


def loads(source: str, path: Path | str = "document.md") -> m.Document:
    """Like :func:`load`, from a string (images resolve against ``path``'s folder)."""
    return transforms.apply(reader.read_text(source, Path(path)))


def build(doc: m.Document, fmt: str, dest: Path | str, options: Options | None = None) -> Path:
    """Write one edition of ``doc`` to ``dest`` (atomically) and return its path."""
    if fmt not in REGISTRY:
        raise ValueError(f"unknown format {fmt!r}; choose from {', '.join(REGISTRY)}")
    return REGISTRY[fmt](doc, options or Options(), Path(dest))
