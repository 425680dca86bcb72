"""Incremental builds: an edition is rebuilt only when something that decides it changed.

The key of an edition hashes every input that decides its bytes: the document's model (after
the transforms, so an edit that changes nothing in it rebuilds nothing), its images, every
file of the theme folders on the search path, the reference document, the edition options,
the build time when ``SOURCE_DATE_EPOCH`` fixes it, and publish's own code. The keys of the
editions last built are kept in ``OUT/.publish-cache.json`` with each edition's size and
modification time, so an edition replaced or touched by hand is rebuilt too. The file is
written atomically at the end of a build: a killed build only means more to rebuild.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from publish import fastpath, serialize
from publish import model as m
from publish.writers import common

FILE = fastpath.CACHE_FILE
_FORMAT = 1


def document_digest(doc: m.Document) -> str:
    return hashlib.sha256(serialize.dumps(doc).encode("utf-8")).hexdigest()


def fast_record(doc: m.Document, fmt: str, options: common.Options) -> dict[str, Any]:
    """What :func:`publish.fastpath.up_to_date` checks without reading Markdown: the source's
    bytes, the files it uses (images, the reference document) and the context."""
    files: list[list[str]] = []
    for image in common.images(doc):
        try:
            path = common.image_path(doc, image.src, options)
        except Exception:
            continue
        files.append([str(path), fastpath.file_digest(path)])
    if options.reference_docx and options.reference_docx.is_file():
        files.append([str(options.reference_docx.resolve()), fastpath.file_digest(options.reference_docx)])
    source = doc.source.resolve() if doc.source else Path("document.md")
    return {
        "source": [str(source), fastpath.file_digest(source) if source.is_file() else ""],
        "files": files,
        "context": fastpath.context(
            fmt,
            theme_dirs=options.theme_dirs,
            toc=options.toc,
            pdf_variant=options.pdf_variant,
            epub_split_chars=options.epub_split_chars,
            allow_remote=options.allow_remote,
            content_root=options.content_root,
            reference_docx=options.reference_docx,
            paper=options.paper,
            project_file=options.project_file,
        ),
    }


def edition_key(doc: m.Document, fmt: str, options: common.Options, digest: str | None = None) -> str:
    h = hashlib.sha256()

    def feed(value: object) -> None:
        h.update(repr(value).encode("utf-8") + b"\0")

    feed((_FORMAT, fastpath.code_digest(), fmt, digest or document_digest(doc)))
    for image in common.images(doc):
        try:
            feed(hashlib.sha256(common.image_path(doc, image.src, options).read_bytes()).hexdigest())
        except Exception as exc:  # the writer reports it; the key only has to differ
            feed(f"unreadable {image.src}: {exc}")
    feed(fastpath.theme_digest(options.template_path))
    reference = options.reference_docx
    feed(hashlib.sha256(reference.read_bytes()).hexdigest() if reference and reference.is_file() else None)
    feed(
        (
            options.toc,
            options.pdf_variant,
            options.epub_split_chars,
            options.allow_remote,
            options.paper,
            str(options.content_root),
            [str(p) for p in options.theme_dirs],
        )
    )
    if os.environ.get("SOURCE_DATE_EPOCH"):
        feed(options.now.isoformat())  # otherwise "now" is just when the edition was last made
    return h.hexdigest()


class Cache:
    """The keys of the editions in one output folder."""

    def __init__(self, out: Path):
        self.out = out
        self.path = out / FILE
        self.entries: dict[str, dict[str, Any]] = {}
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if data.get("format") == _FORMAT:
                self.entries = dict(data.get("editions", {}))
        except (OSError, ValueError, AttributeError):
            self.entries = {}

    def _name(self, dest: Path) -> str:
        return dest.resolve().relative_to(self.out.resolve()).as_posix()

    def fresh(self, dest: Path, key: str) -> bool:
        entry = self.entries.get(self._name(dest))
        if entry is None or entry.get("key") != key:
            return False
        try:
            stat = dest.stat()
        except OSError:
            return False
        return bool(stat.st_size == entry.get("size") and stat.st_mtime_ns == entry.get("mtime_ns"))

    def record(self, dest: Path, key: str, fast: dict[str, Any] | None = None) -> None:
        stat = dest.stat()
        entry = {"key": key, "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}
        if fast is not None:
            entry["fast"] = fast
        self.entries[self._name(dest)] = entry

    def save(self) -> None:
        self.out.mkdir(parents=True, exist_ok=True)
        data = {"format": _FORMAT, "editions": dict(sorted(self.entries.items()))}
        common.write_bytes(self.path, json.dumps(data, indent=1).encode("utf-8"))
