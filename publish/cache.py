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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from publish import citations, files, freshness, layout, resources, serialize, walk
from publish import model as m
from publish.options import CACHE_FILE, Options

FILE = CACHE_FILE
_FORMAT = 1


@dataclass(frozen=True)
class Inputs:
    """What a document's editions are made from, read once per document and build: the
    model's digest, the source file and the files it uses (images, the reference document),
    each as ``[path, digest]``."""

    model: str
    source: list[str]
    files: list[list[str]]


def inputs(doc: m.Document, options: Options, source: layout.Source | None = None) -> Inputs:
    """The inputs of ``doc``, read from ``source`` (default: its file)."""
    used: list[list[str]] = []
    resolver = resources.Resolver.for_document(doc.source, options.content_root)
    for image in walk.images(doc):
        try:
            path = resolver.local(image.src, doc.base_dir)
            used.append([str(path), freshness.file_digest(path)])
        except Exception as exc:  # the writer reports it; the key only has to differ
            used.append([image.src, f"unreadable: {exc}"])
    for path in citations.files(doc):  # the bibliographies and the style its citations are printed from
        used.append([str(path), freshness.file_digest(path) if path.is_file() else "missing"])
    if options.reference_docx and options.reference_docx.is_file():
        used.append([str(options.reference_docx.resolve()), freshness.file_digest(options.reference_docx)])
    if source is None:
        source = doc.source or Path("document.md")
    record = freshness.source_record(source) if not isinstance(source, Path) or source.is_file() else [str(source), ""]
    return Inputs(
        model=hashlib.sha256(serialize.dumps(doc).encode("utf-8")).hexdigest(),
        source=record,
        files=used,
    )


def edition_key(found: Inputs, context: str) -> str:
    """The key of one edition: the model, its files, and :func:`publish.freshness.context`."""
    return hashlib.sha256(json.dumps([_FORMAT, found.model, found.files, context]).encode()).hexdigest()


def fast_record(found: Inputs, context: str) -> dict[str, Any]:
    """What :func:`publish.freshness.up_to_date` checks without reading Markdown."""
    return {"source": found.source, "files": found.files, "context": context}


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

    def fresh(self, dest: Path, key: str, also: list[Path] | None = None) -> bool:
        """``dest`` (and the files ``also`` written with it) as recorded, from the same key."""
        entry = self.entries.get(self._name(dest))
        if entry is None or entry.get("key") != key:
            return False
        return freshness.unchanged(self.out, dest, entry) and sorted(self._name(p) for p in also or []) == sorted(
            entry.get("also", {})
        )

    def record(self, dest: Path, key: str, fast: dict[str, Any] | None = None, also: list[Path] | None = None) -> None:
        stat = dest.stat()
        entry: dict[str, Any] = {"key": key, "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}
        if fast is not None:
            entry["fast"] = fast
        if also:
            stats = {self._name(p): p.stat() for p in also if p.exists()}
            entry["also"] = {name: [st.st_size, st.st_mtime_ns] for name, st in stats.items()}
        self.entries[self._name(dest)] = entry

    def save(self) -> None:
        self.out.mkdir(parents=True, exist_ok=True)
        data = {"format": _FORMAT, "editions": dict(sorted(self.entries.items()))}
        files.write_bytes(self.path, json.dumps(data, indent=1).encode("utf-8"))
