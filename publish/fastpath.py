"""What a build decides before it reads any Markdown, with the standard library only.

Discovery, output paths, pruning, the digests of the theme and of publish's own code, and the
no-op check: when every edition asked for was built from the same source bytes, the same
images and reference document, the same theme, options and code (as recorded in
``OUT/.publish-cache.json`` by :mod:`publish.cache`), ``python -m publish`` says so and stops
without importing the Markdown parser, the templates or any writer.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import shutil
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, TypeAlias

from publish import __version__
from publish.errors import PublishError

FORMATS = ("html", "pdf", "epub", "docx")
PDF_VARIANTS = ("pdf/ua-1", "pdf/a-3a", "plain")
EPUB_SPLIT_CHARS = 20_000
CACHE_FILE = ".publish-cache.json"

_PACKAGED = Path(__file__).parent / "_templates"
_SOURCE_TREE = Path(__file__).parent.parent / "templates"


def packaged_theme() -> bool:
    """True when the default theme is the copy inside an installed wheel (not editable)."""
    return not _SOURCE_TREE.is_dir()


def default_theme() -> Path:
    """The default theme: ``templates/`` beside the package (a source tree or editable
    install) or the copy a wheel carries inside the package."""
    return _SOURCE_TREE if _SOURCE_TREE.is_dir() else _PACKAGED


def search_path(user_dirs: Sequence[Path] = ()) -> tuple[Path, ...]:
    return (*(Path(d).resolve() for d in user_dirs), default_theme().resolve())


# ---------------------------------------------------------------- sources and outputs


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


def source_record(source: Source) -> list[str]:
    """The identity and digest of a source's text: a document's file, a book's chapters."""
    if isinstance(source, Book):
        h = hashlib.sha256()
        for chapter in source.chapters:
            h.update(str(chapter.resolve()).encode() + b"\0")
            h.update(hashlib.sha256(chapter.read_bytes()).digest() if chapter.is_file() else b"missing")
        return [f"{source.project_file.resolve()}#{source.name}", h.hexdigest()]
    return [str(source.resolve()), file_digest(source)]


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


# ---------------------------------------------------------------- digests


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def digest_files(paths: list[Path], root: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(paths):
        h.update(path.relative_to(root).as_posix().encode() + b"\0")
        h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


@functools.lru_cache(maxsize=1)
def code_digest() -> str:
    """publish's own code: a change to a writer rebuilds its editions."""
    package = Path(__file__).parent
    return __version__ + ":" + digest_files(list(package.rglob("*.py")), package)


@functools.lru_cache(maxsize=16)
def theme_digest(path: tuple[Path, ...]) -> str:
    return ":".join(
        digest_files([p for p in folder.rglob("*") if p.is_file()], folder) if folder.is_dir() else "-"
        for folder in path
    )


class Settings(Protocol):
    """The edition options that decide an edition's bytes (``publish.writers.common.Options``
    has them; the command line builds them without importing the writers)."""

    @property
    def theme_dirs(self) -> Sequence[Path]: ...

    @property
    def toc(self) -> bool | None: ...

    @property
    def pdf_variant(self) -> str: ...

    @property
    def epub_split_chars(self) -> int: ...

    @property
    def allow_remote(self) -> bool: ...

    @property
    def content_root(self) -> Path | None: ...

    @property
    def reference_docx(self) -> Path | None: ...

    @property
    def paper(self) -> str: ...

    @property
    def project_file(self) -> Path | None: ...


def context(fmt: str, settings: Settings) -> str:
    """Everything besides the source and the files it uses that decides an edition: the
    format, the options, the theme, publish.toml, SOURCE_DATE_EPOCH and publish's code."""
    s = settings
    data = [
        fmt,
        code_digest(),
        theme_digest(search_path(s.theme_dirs)),
        [str(Path(d).resolve()) for d in s.theme_dirs],
        s.toc,
        s.pdf_variant,
        s.epub_split_chars,
        s.allow_remote,
        s.paper,
        str(s.content_root.resolve()) if s.content_root else None,
        str(s.reference_docx.resolve()) if s.reference_docx else None,
        file_digest(s.project_file) if s.project_file and s.project_file.is_file() else None,
        os.environ.get("SOURCE_DATE_EPOCH") or None,
    ]
    return hashlib.sha256(json.dumps(data).encode()).hexdigest()


# ---------------------------------------------------------------- the no-op check


def unchanged(out: Path, dest: Path, entry: dict[str, Any]) -> bool:
    """``dest``, and the files recorded as written with it (a book's chapter pages), have the
    size and modification time the cache recorded: nobody replaced or removed them."""
    files = [(dest, [entry.get("size"), entry.get("mtime_ns")])]
    files += [(out / name, recorded) for name, recorded in entry.get("also", {}).items()]
    for path, recorded in files:
        try:
            stat = path.stat()
        except OSError:
            return False
        if [stat.st_size, stat.st_mtime_ns] != list(recorded):
            return False
    return True


def up_to_date(files: Sequence[Source], formats: Sequence[str], out: Path, contexts: dict[str, str]) -> bool:
    """True when every (file, format) edition is recorded as built from these very inputs."""
    try:
        data = json.loads((out / CACHE_FILE).read_text(encoding="utf-8"))
        entries = data["editions"]
    except (OSError, ValueError, KeyError, TypeError):
        return False
    sources: dict[Source, list[str]] = {}
    for file in files:
        for fmt in formats:
            dest = edition_path(out, file, fmt)
            try:
                entry = entries[dest.resolve().relative_to(out.resolve()).as_posix()]
                fast = entry["fast"]
            except (KeyError, TypeError, ValueError):
                return False
            if not unchanged(out, dest, entry):
                return False
            if fast.get("context") != contexts[fmt]:
                return False
            if file not in sources:
                try:
                    sources[file] = source_record(file)
                except OSError:
                    return False
            if fast.get("source") != sources[file]:
                return False
            for path, digest in fast.get("files", []):
                try:
                    if file_digest(Path(path)) != digest:
                        return False
                except OSError:
                    return False
    return True
