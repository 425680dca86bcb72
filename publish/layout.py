"""Where a build's sources are found and its editions go, with the standard library only.

A source is a Markdown document or a book declared in ``publish.toml``; each gives one
edition per format at ``OUT/<stem>/<stem>.<fmt>``. Discovery, those paths, and the removal of
editions whose source is gone live here: the command line uses them before it reads any
Markdown.
"""

from __future__ import annotations

import json
import re
import shutil
import urllib.parse
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeAlias

from publish import files
from publish.errors import PublishError
from publish.options import CACHE_FILE, FORMATS


@dataclass(frozen=True)
class Book:
    """A book declared in publish.toml (``[books.NAME]``): its chapter files, in order, become
    one edition per format, named after the book."""

    name: str
    chapters: tuple[Path, ...]
    #: publish.toml, and the line of the book's table in it.
    project_file: Path
    line: int
    #: The book's own front-matter keys (over publish.toml's [defaults]), the text of its
    #: table (for the lines of errors) and the line of its ``chapters`` key.
    meta: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)
    text: str = field(default="", compare=False, hash=False)
    chapters_line: int = field(default=0, compare=False, hash=False)

    @property
    def stem(self) -> str:
        return self.name

    def __str__(self) -> str:
        return f"{self.project_file}:{self.line} (book {self.name!r})"


#: What a build makes editions of: a Markdown document, or a book.
Source: TypeAlias = Path | Book


#: The folder beside an edition where what speeds up its next build is kept (a long PDF's parts,
#: the page a DOCX's layout probe was on); it is not part of the edition.
PARTS = ".publish-parts"


def discover(content: Path) -> list[Path]:
    """Every Markdown document under ``content``, sorted; hidden and ``_`` files skipped."""
    if not content.is_dir():
        raise PublishError(f"content folder {content} does not exist")
    return sorted(
        p
        for p in content.rglob("*.md")
        if p.is_file() and not any(part.startswith((".", "_")) for part in p.relative_to(content).parts)
    )


def chapter_page(chapter_id: str) -> str:
    """The file of a chapter's page in a book's web edition, beside the book's first page."""
    return f"{chapter_id}.html"


def edition_path(out: Path, source: Source, fmt: str) -> Path:
    return out / source.stem / f"{source.stem}.{fmt}"


#: The suffixes of Markdown sources a link may name (``guide.md``, ``notes.markdown``, ``paper.qmd``).
MARKDOWN_SUFFIXES = (".md", ".markdown", ".qmd")


def edition_link(url: str, fmt: str) -> str | None:
    """Where a link to another Markdown source of the same build points from an edition of
    ``fmt``: to that document's edition of the same format, in the layout of
    :func:`edition_path` (``guide.md`` → ``../guide/guide.html``, ``docs/setup.md#install``
    → ``../setup/setup.pdf#install``). None when ``url`` is not a relative link to a Markdown
    source. Every writer maps such links through here (the reader keeps them only when the
    document they name is part of the build)."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme or parts.netloc or not parts.path or parts.path.startswith("/"):
        return None
    name = urllib.parse.unquote(parts.path).rsplit("/", 1)[-1]
    stem, dot, suffix = name.rpartition(".")
    if not dot or not stem or f".{suffix.lower()}" not in MARKDOWN_SUFFIXES:
        return None
    slug = urllib.parse.quote(stem)
    href = f"../{slug}/{slug}.{fmt}"
    return f"{href}#{parts.fragment}" if parts.fragment else href


def edition_of_link(href: str, fmt: str) -> str | None:
    """The slug of the document a link made by :func:`edition_link` reaches
    (``../guide/guide.html#install`` → ``guide``); None for any other link."""
    found = re.fullmatch(r"\.\./([^/#?]+)/([^/#?]+)\." + re.escape(fmt), href.partition("#")[0])
    return found.group(1) if found and found.group(1) == found.group(2) else None


def _is_edition_folder(folder: Path) -> bool:
    """A folder publish wrote: ``<slug>.<fmt>`` files, a book's chapter pages (``.html``),
    temporary parts and ``media/`` only."""
    slug = folder.name
    for entry in folder.iterdir():
        if entry.is_dir() and not entry.is_symlink():
            if entry.name != "media":
                return False
        elif not (
            entry.name in {f"{slug}.{fmt}" for fmt in FORMATS}
            or (entry.suffix == ".html" and not entry.is_symlink())
            or (entry.name.startswith(f".{slug}.") and entry.name.endswith(".part"))
        ):
            return False
    return True


def prune(out: Path, sources: Iterable[Source], content: Path) -> list[Path]:
    """Remove the edition folders of the documents of ``content`` whose source is gone.

    Only what this content folder built goes: a folder is removed when the build cache
    (``OUT/.publish-cache.json``) records each of its editions as built from a source inside
    ``content``, and it holds nothing publish does not write. The editions another content
    folder built into the same ``out``, and folders the cache does not know, are left alone.
    The removed editions leave the cache too."""
    if not out.is_dir():
        return []
    keep = {s.stem for s in sources}
    cache = _read_cache(out)
    entries: dict[str, Any] = cache.get("editions", {})
    root = content.resolve()
    removed = []
    for folder in sorted(out.iterdir()):
        candidate = folder.is_dir() and not folder.is_symlink() and not folder.name.startswith(".")
        if not candidate or folder.name in keep:
            continue
        names = [f"{folder.name}/{folder.name}.{fmt}" for fmt in FORMATS if (folder / f"{folder.name}.{fmt}").exists()]
        if names and all(_built_from(entries.get(name), root) for name in names) and _is_edition_folder(folder):
            shutil.rmtree(folder)
            removed.append(folder)
            for name in [n for n in entries if n.split("/", 1)[0] == folder.name]:
                del entries[name]
    if removed:
        files.write_bytes(out / CACHE_FILE, json.dumps(cache, indent=1).encode("utf-8"))
    return removed


def _read_cache(out: Path) -> dict[str, Any]:
    """The build cache of ``out`` as it is on disk (see :mod:`publish.cache`); empty when unreadable."""
    try:
        data = json.loads((out / CACHE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) and isinstance(data.get("editions"), dict) else {}


def _built_from(entry: Any, root: Path) -> bool:
    """The cache entry of an edition records a source inside the folder ``root`` (a document's
    file, or ``<project file>#<book>`` for a book)."""
    try:
        source = entry["fast"]["source"][0]
    except (KeyError, IndexError, TypeError):
        return False
    return isinstance(source, str) and Path(source).is_relative_to(root)


def clear_parts(folder: Path) -> None:
    """Temporary files a killed build left behind (a finished write never leaves one)."""
    if folder.is_dir():
        for part in folder.glob(".*.part"):
            part.unlink(missing_ok=True)
