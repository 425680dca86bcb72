"""Where a build's sources are found and its editions go, with the standard library only.

A source is a Markdown document or a book declared in ``publish.toml``; each gives one
edition per format at ``OUT/<stem>/<stem>.<fmt>``. Discovery, those paths, and the removal of
editions whose source is gone live here: the command line uses them before it reads any
Markdown.
"""

from __future__ import annotations

import re
import shutil
import urllib.parse
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeAlias

from publish.errors import PublishError
from publish.options import FORMATS


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


def prune(out: Path, sources: Iterable[Source]) -> list[Path]:
    """Remove the edition folders of documents whose source is gone; folders that hold
    anything publish does not write are left alone."""
    if not out.is_dir():
        return []
    keep = {s.stem for s in sources}
    removed = []
    for folder in sorted(out.iterdir()):
        candidate = folder.is_dir() and not folder.is_symlink() and not folder.name.startswith(".")
        if candidate and folder.name not in keep and _is_edition_folder(folder):
            shutil.rmtree(folder)
            removed.append(folder)
    return removed


def clear_parts(folder: Path) -> None:
    """Temporary files a killed build left behind (a finished write never leaves one)."""
    if folder.is_dir():
        for part in folder.glob(".*.part"):
            part.unlink(missing_ok=True)
