"""Read finished editions back: their structure, metadata and languages, to compare with the model.

Each format is read by one module, ``publish/readback/<fmt>.py``, which ends with a
:class:`Reader` named ``READER``; :data:`READERS` names those modules, so a new format is one
module and one line here. :func:`check` returns a list of problems in words (empty: the
edition is faithful). The allowances for what a format cannot carry are declared once, in
:data:`publish.outline.ALLOWANCES`.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from publish import model as m
from publish.options import Options


class Languages(NamedTuple):
    """The languages an edition declares: at its root (the document language; a DOCX has a
    default for Latin and one for East Asian text) and every one marked inside its text."""

    roots: set[str]
    inner: set[str]


def _as_written(tag: str) -> str:
    return tag


@dataclass(frozen=True)
class Reader:
    """What every format's read-back provides."""

    #: Problems of an edition's structure and text against the model, in words.
    structure: Callable[[m.Document, Path, Options], list[str]]
    #: The metadata as the format stores it, under the keys of ``check``'s expected metadata
    #: (a field stored twice, e.g. in the PDF's info and its XMP, under a second key).
    metadata: Callable[[Path], dict[str, Any]]
    languages: Callable[[Path], Languages]
    #: How the format writes a BCP 47 tag (DOCX: Word's form, ``zh-TW`` for ``zh-Hant``).
    lang_tag: Callable[[str], str] = _as_written
    #: Whether the document language is one value at the root (a DOCX has two defaults).
    one_root_language: bool = True


#: Format → the module that reads it back (imported on first use: pikepdf and python-docx
#: take a while to import).
READERS: dict[str, str] = {
    "html": "publish.readback.html",
    "pdf": "publish.readback.pdf",
    "epub": "publish.readback.epub",
    "docx": "publish.readback.docx",
}


def reader(fmt: str) -> Reader:
    """The read-back of one format."""
    if fmt not in READERS:
        raise ValueError(f"unknown format {fmt!r}")
    found = importlib.import_module(READERS[fmt]).READER
    if not isinstance(found, Reader):
        raise TypeError(f"{READERS[fmt]}.READER is not a Reader")
    return found


def check(doc: m.Document, fmt: str, path: Path | str, options: Options | None = None) -> list[str]:
    """Problems of one edition, in words; ``options`` are those it was built with."""
    return reader(fmt).structure(doc, Path(path), options or Options())


def split(value: str, sep: str) -> list[str]:
    """The items of a list stored as one string (``"a, b"``), blanks left out."""
    return [v.strip() for v in value.split(sep) if v.strip()] if value else []


#: An ORCID iD as a URL, how every format stores an author's ORCID (in the DOCX and PDF
#: properties after the author's name, in parentheses).
ORCID = re.compile(r"https://orcid\.org/[^\s;()]+")
