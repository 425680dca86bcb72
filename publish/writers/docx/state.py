"""What the parts of the DOCX writer share while one document is written (as pandoc's
``Writers/Docx/Types``), and the kind of part the writer adds to the package."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import docx
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.parts.document import DocumentPart
from lxml import etree

from publish import langs
from publish import model as m
from publish.options import Options
from publish.writers import common
from publish.writers.docx.styles import Styles


@dataclass(frozen=True)
class RunStyle:
    """The character formatting of a run, inherited down the inlines."""

    bold: bool = False
    italic: bool = False
    vert: str = ""  # superscript | subscript
    code: bool = False
    mono: bool = False  # a code block's text (its paragraph style is monospace)
    link: bool = False
    lang: str = "en"
    color: str | None = None  # RRGGBB, for highlighted code
    strike: bool = False
    underline: bool = False
    kbd: bool = False  # the "Keyboard" character style
    small: bool = False  # smaller than the paragraph's text
    highlight: bool = False  # marked text
    #: ``rtl`` or ``ltr`` where a ``dir`` says so (a span's); empty: the language's direction.
    dir: str = ""

    @property
    def rtl(self) -> bool:
        """Whether the text around these runs is right to left (code aside: always left to right)."""
        return (self.dir == "rtl" if self.dir else langs.is_rtl(self.lang)) and not self.code

    def within(self, lang: str | None, dir: str | None) -> RunStyle:
        """The style inside an element with ``lang`` and ``dir`` (a span): an explicit
        direction wins, a language brings its own."""
        explicit = (dir or "").strip().lower()
        inner = explicit if explicit in ("rtl", "ltr") else ("" if lang else self.dir)
        return replace(self, lang=lang or self.lang, dir=inner)


#: Writes a note's reference at the end of ``parent`` and the note into the footnotes part.
NoteWriter = Callable[[etree._Element, m.Note, RunStyle], None]


@dataclass(eq=False)
class State:
    """One DOCX being written: its model and options, the python-docx document and its styles,
    the text area pictures and tables are fitted to, and the ids drawings and bookmarks share."""

    model: m.Document
    options: Options
    media: common.Media
    document: docx.document.Document
    styles: Styles
    data: dict[str, Any]  # the templates' data: title block, TOC
    text_width: int  # EMU
    text_height: int  # EMU
    #: Set once the notes exist: a note holds blocks, which hold inlines, which hold notes.
    note: NoteWriter = field(init=False)
    last_id: int = 1000  # drawing and bookmark ids

    @property
    def rtl(self) -> bool:
        """Whether the document is written right to left."""
        return langs.is_rtl(self.model.meta.lang)

    @property
    def part(self) -> DocumentPart:
        """The main document part."""
        return self.document.part

    def next_id(self) -> int:
        self.last_id += 1
        return self.last_id


class XmlPart(Part):
    """A part whose blob is serialized from an lxml element when the package is saved."""

    def __init__(self, partname: PackURI, content_type: str, element: etree._Element, package):  # type: ignore[no-untyped-def]
        super().__init__(partname, content_type, package=package)
        self._element = element

    @property
    def blob(self) -> bytes:
        return etree.tostring(self._element, xml_declaration=True, encoding="UTF-8", standalone=True)
