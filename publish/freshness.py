"""Is an edition up to date? Digests and the no-op check, with the standard library only.

When every edition asked for was built from the same source bytes, the same images and
reference document, the same theme, options and code (as recorded in
``OUT/.publish-cache.json`` by :mod:`publish.cache`), ``python -m publish`` says so and stops
without importing the Markdown parser, the templates or any writer.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from publish.layout import Book, Source, edition_path
from publish.options import CACHE_FILE, Options, search_path
from publish.version import __version__


def source_record(source: Source) -> list[str]:
    """The identity and digest of a source's text: a document's file, a book's section of
    publish.toml and its chapters."""
    if isinstance(source, Book):
        h = hashlib.sha256(source.text.encode() + b"\0")  # its section of publish.toml: its metadata
        for chapter in source.chapters:
            h.update(str(chapter.resolve()).encode() + b"\0")
            h.update(hashlib.sha256(chapter.read_bytes()).digest() if chapter.is_file() else b"missing")
        return [f"{source.project_file.resolve()}#{source.name}", h.hexdigest()]
    return [str(source.resolve()), file_digest(source)]


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


def context(fmt: str, options: Options) -> str:
    """Everything besides the source and the files it uses that decides an edition: the
    format, the options, the theme, publish.toml, SOURCE_DATE_EPOCH and publish's code."""
    s = options
    data = [
        fmt,
        code_digest(),
        theme_digest(search_path(s.theme_dirs)),
        [str(Path(d).resolve()) for d in s.theme_dirs],
        s.toc,
        s.pdf_variant,
        s.pdf_parts,
        s.epub_split_chars,
        s.allow_remote,
        s.paper,
        s.toc_pages,
        str(s.content_root.resolve()) if s.content_root else None,
        str(s.reference_docx.resolve()) if s.reference_docx else None,
        file_digest(s.project_file) if s.project_file and s.project_file.is_file() else None,
        os.environ.get("SOURCE_DATE_EPOCH") or None,
    ]
    return hashlib.sha256(json.dumps(data).encode()).hexdigest()


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
