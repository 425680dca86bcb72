"""What every writer shares: options, template data, media names, atomic output."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from publish import __version__, i18n, text, transforms
from publish import model as m
from publish import templates as tpl


@dataclass(frozen=True)
class Options:
    #: Theme folders searched before the default theme (first wins).
    theme_dirs: tuple[Path, ...] = ()
    #: The folder the user's sources live in: the only place images may come from.
    content_root: Path | None = None
    #: The build's timestamp for "modified"/"created" dates (SOURCE_DATE_EPOCH when set).
    now: dt.datetime = field(default_factory=lambda: build_time())

    @property
    def template_path(self) -> tuple[Path, ...]:
        return tpl.search_path(self.theme_dirs)


def build_time() -> dt.datetime:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC)
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def person_display(person: m.Person) -> str:
    return " ".join(p for p in (person.honorific, person.name) if p)


def context(doc: m.Document, options: Options) -> dict[str, Any]:
    """Plain data for the templates (never the tree)."""
    meta = doc.meta
    return {
        "lang": meta.lang,
        "title": meta.title,
        "subtitle": meta.subtitle,
        "authors": [
            {
                "name": a.name,
                "honorific": a.honorific,
                "role": a.role,
                "affiliation": a.affiliation,
                "display": person_display(a),
            }
            for a in meta.authors
        ],
        "author_names": ", ".join(a.name for a in meta.authors),
        "publishers": [{"names": [{"text": n.text, "lang": n.lang} for n in org.names]} for org in meta.publishers],
        "date": i18n.date_parts(meta.date, meta.lang) if meta.date else None,
        "description": meta.description,
        "keywords": list(meta.keywords),
        "identifier": meta.identifier,
        "rights": meta.rights,
        "labels": i18n.labels(meta.lang),
        "generator": f"publish {__version__}",
        "modified": options.now.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "headings": [
            {"level": h.level, "id": h.attr.id, "text": _heading_text(h)}
            for h in transforms.walk(doc.blocks)
            if isinstance(h, m.Heading)
        ],
    }


def _heading_text(heading: m.Heading) -> str:
    return text.squash(text.plain(heading.content))


def images(doc: m.Document) -> list[m.Image]:
    """Every image of the document (figures and inline), each source path once."""
    seen: dict[str, m.Image] = {}
    for node in transforms.walk(doc.blocks):
        if isinstance(node, m.Image):
            seen.setdefault(node.src, node)
    return list(seen.values())


def image_path(doc: m.Document, src: str) -> Path:
    return (doc.base_dir / src).resolve()


def media_name(doc: m.Document, src: str) -> str:
    """A collision-free name for an image inside an edition: ``media/<stem>-<hash><ext>``."""
    path = image_path(doc, src)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:10]
    return f"media/{path.stem}-{digest}{path.suffix.lower()}"


@contextlib.contextmanager
def atomic_path(dest: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``dest``; on success it replaces ``dest`` in one step,
    on failure it is removed and ``dest`` keeps its previous content."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".part", dir=dest.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        os.chmod(tmp, 0o644)
        os.replace(tmp, dest)
    finally:
        tmp.unlink(missing_ok=True)


def write_bytes(dest: Path, data: bytes) -> None:
    with atomic_path(dest) as tmp:
        tmp.write_bytes(data)


def heading_tree(headings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Nest flat headings by level: [{id, text, level, children: [...]}, ...]."""
    root: list[dict[str, Any]] = []
    stack: list[tuple[int, list[dict[str, Any]]]] = [(0, root)]
    for h in headings:
        node = {**h, "children": []}
        while stack[-1][0] >= h["level"]:
            stack.pop()
        stack[-1][1].append(node)
        stack.append((h["level"], node["children"]))
    return root
