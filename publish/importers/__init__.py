"""Manuscripts in: a Word file or a PDF becomes a source in our dialect.

``python -m publish import FILE.docx|FILE.pdf [--content DIR]`` (:mod:`publish.commands.imports`)
reads the manuscript with the importer of its kind (:mod:`publish.importers.docx`,
:mod:`publish.importers.pdf`), each of which returns an :class:`Imported`: the front matter, the
body in our Markdown dialect, the images it found, and its remarks — what it guessed and where it
was unsure, each at ``file:page`` or ``file:paragraph``. :func:`write` puts the source at
``DIR/<slug>.md`` and the images beside it in ``DIR/<slug>-media/``, atomically, and never over
an existing source unless asked.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml

from publish.errors import PublishError
from publish.files import write_bytes
from publish.text import slugify

#: The importer module of each kind of manuscript, by its file's suffix.
IMPORTERS = {".docx": "docx", ".pdf": "pdf"}
#: The folder beside the source that holds its images: ``<slug>-media``.
MEDIA_SUFFIX = "-media"

Kind = Literal["guessed", "unsure", "warning"]


@dataclass(frozen=True)
class Remark:
    """Something the importer could not read for certain: ``where`` is ``file:page N`` or
    ``file:paragraph N`` (the manuscript's own numbering, from 1)."""

    where: str
    message: str
    kind: Kind = "guessed"

    def __str__(self) -> str:
        return f"{self.where}: {self.kind}: {self.message}"


@dataclass
class Imported:
    """A manuscript read: ``meta`` becomes the front matter (our keys: title, subtitle,
    authors, date, lang, publishers…), ``body`` the Markdown after it; ``images`` maps a
    file name to its bytes (the body refers to each as ``media_ref(name)``, which :func:`write`
    turns into ``<slug>-media/<name>`` once the slug is known)."""

    meta: dict[str, Any]
    body: str
    images: dict[str, bytes] = field(default_factory=dict)
    remarks: list[Remark] = field(default_factory=list)


#: What stands for the images' folder in an importer's body until the slug is known.
_MEDIA_MARK = "\ue000publish-media\ue000"


def media_ref(name: str) -> str:
    """How an importer's body refers to its image ``name`` (a Markdown link target)."""
    return f"{_MEDIA_MARK}/{name}"


def source_text(imported: Imported, slug: str) -> str:
    """The whole source: YAML front matter, then the body, its images in ``<slug>-media/``."""
    front = yaml.safe_dump(imported.meta, allow_unicode=True, sort_keys=False, width=100)
    body = imported.body.strip().replace(_MEDIA_MARK, f"{slug}{MEDIA_SUFFIX}")
    return f"---\n{front}---\n\n{body}\n"


def slug_of(path: Path, imported: Imported) -> str:
    title = imported.meta.get("title")
    return slugify(str(title)) if title and slugify(str(title)) else slugify(path.stem) or "imported"


def read(path: Path) -> Imported:
    """The manuscript at ``path`` read by the importer of its kind (a module of this package
    with ``read(path: Path) -> Imported``)."""
    kind = IMPORTERS.get(path.suffix.lower())
    if kind is None:
        raise PublishError(f"{path}: cannot import a {path.suffix or 'suffix-less'} file (DOCX or PDF)")
    if not path.is_file():
        raise PublishError(f"{path}: no such file")
    module = importlib.import_module(f"publish.importers.{kind}")
    imported: Imported = module.read(path)
    return imported


def write(imported: Imported, content: Path, slug: str, *, force: bool = False) -> Path:
    """Write ``content/<slug>.md`` and its images; an existing source is an error unless
    ``force``. Each file is written atomically; the source last, so that a failure leaves no
    source that names a missing image."""
    dest = content / f"{slug}.md"
    if dest.exists() and not force:
        raise PublishError(f"{dest}: exists; give --force to replace it, or --slug for another name")
    media = content / f"{slug}{MEDIA_SUFFIX}"
    for name, data in imported.images.items():
        write_bytes(media / name, data)
    write_bytes(dest, source_text(imported, slug).encode("utf-8"))
    return dest
