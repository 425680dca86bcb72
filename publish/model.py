"""The canonical content model: one immutable tree that every edition is rendered from.

Every node is a frozen, slotted dataclass; sequences are tuples; nodes have no parent
pointers. The node set is closed: readers may only build these, writers and read-backs
handle each of them. Names follow pandoc's ``Text.Pandoc.Definition`` where one exists:

==================  =========================  ==========================================
publish             pandoc                     notes
==================  =========================  ==========================================
Heading             Header                     level 1–6, ``attr.id`` always set by
                                               :func:`publish.transforms.heading_ids`
Paragraph           Para
BlockQuote          BlockQuote
BulletList          BulletList                 items are :class:`ListItem`
OrderedList         OrderedList                ``start`` only (pandoc: ListAttributes)
ListItem            (a ``[Block]`` list item)  ``checked``: a task list's box (GFM ``[ ]``/``[x]``)
Div                 Div                        a wrapper (``<div>``, ``<details>``, a GFM alert)
                                               with attributes and an optional title
CodeBlock           CodeBlock                  ``language`` is pandoc's first class
Figure              Figure                     one image; caption inlines; alt text
Table               Table                      simple pipe table: header, rows, aligns
ThematicBreak       HorizontalRule
Text                Str + Space + SoftBreak    runs of text, spaces included
Emphasis            Emph
Strong              Strong
Superscript         Superscript
Subscript           Subscript
Code                Code
Link                Link
Image               Image                      inline image (a lone one becomes Figure)
Span                Span                       ``attr.lang`` carries BCP 47 language; the
                                               classes in :data:`SPAN_ROLES` are HTML's
                                               phrase elements (``<kbd>``, ``<abbr title>``…)
Strikeout           Strikeout                  ``~~text~~``, ``<s>``, ``<del>``
Underline           Underline                  ``<u>``, ``<ins>``
LineBreak           LineBreak
Note                Note                       a reference that holds its note's blocks
==================  =========================  ==========================================
"""

from __future__ import annotations

import datetime as _dt
import enum
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeAlias


@dataclass(frozen=True, slots=True)
class Attr:
    """Identifier, classes and key/value attributes shared by the nodes that carry them."""

    id: str = ""
    classes: tuple[str, ...] = ()
    values: tuple[tuple[str, str], ...] = ()

    def get(self, key: str, default: str | None = None) -> str | None:
        for k, v in self.values:
            if k == key:
                return v
        return default

    @property
    def lang(self) -> str | None:
        return self.get("lang")


NO_ATTR = Attr()


# ---------------------------------------------------------------- inlines


@dataclass(frozen=True, slots=True)
class Text:
    text: str


@dataclass(frozen=True, slots=True)
class Emphasis:
    content: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Strong:
    content: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Superscript:
    content: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Subscript:
    content: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Code:
    text: str


@dataclass(frozen=True, slots=True)
class Link:
    content: tuple[Inline, ...]
    url: str
    title: str = ""


@dataclass(frozen=True, slots=True)
class Image:
    """An image. ``src`` is the path relative to the source file's folder (as written)."""

    src: str
    alt: str
    title: str = ""


@dataclass(frozen=True, slots=True)
class Span:
    content: tuple[Inline, ...]
    attr: Attr = NO_ATTR


@dataclass(frozen=True, slots=True)
class Strikeout:
    content: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Underline:
    content: tuple[Inline, ...]


#: Span classes that stand for HTML's phrase elements; writers render each natively
#: (``abbr`` carries its expansion in the ``title`` attribute).
SPAN_ROLES = ("kbd", "abbr", "dfn", "small", "mark")


@dataclass(frozen=True, slots=True)
class LineBreak:
    pass


@dataclass(frozen=True, slots=True)
class Note:
    """A footnote reference and its note. ``number`` is assigned by the transforms."""

    blocks: tuple[Block, ...]
    label: str = ""
    number: int = 0


Inline: TypeAlias = (
    Text
    | Emphasis
    | Strong
    | Superscript
    | Subscript
    | Code
    | Link
    | Image
    | Span
    | LineBreak
    | Note
    | Strikeout
    | Underline
)

# ---------------------------------------------------------------- blocks


class Align(enum.Enum):
    DEFAULT = "default"
    LEFT = "left"
    CENTER = "center"
    RIGHT = "right"


@dataclass(frozen=True, slots=True)
class Heading:
    level: int
    content: tuple[Inline, ...]
    attr: Attr = NO_ATTR


@dataclass(frozen=True, slots=True)
class Paragraph:
    content: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class BlockQuote:
    blocks: tuple[Block, ...]


@dataclass(frozen=True, slots=True)
class ListItem:
    blocks: tuple[Block, ...]
    #: A task list item's box: None for an ordinary item, False unticked, True ticked.
    checked: bool | None = None


@dataclass(frozen=True, slots=True)
class BulletList:
    items: tuple[ListItem, ...]
    #: pandoc's tight list (its items' paragraphs are Plain): set without space between items.
    tight: bool = False


@dataclass(frozen=True, slots=True)
class OrderedList:
    items: tuple[ListItem, ...]
    start: int = 1
    tight: bool = False


@dataclass(frozen=True, slots=True)
class CodeBlock:
    text: str
    language: str = ""


@dataclass(frozen=True, slots=True)
class Figure:
    image: Image
    caption: tuple[Inline, ...]
    attr: Attr = NO_ATTR


@dataclass(frozen=True, slots=True)
class Cell:
    content: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Table:
    header: tuple[Cell, ...]
    rows: tuple[tuple[Cell, ...], ...]
    aligns: tuple[Align, ...]
    caption: tuple[Inline, ...] = ()


@dataclass(frozen=True, slots=True)
class ThematicBreak:
    pass


#: Div classes with a meaning of their own: ``details`` (HTML's ``<details>``, ``title`` is
#: its summary) and the alerts/callouts ``callout-note|tip|important|warning|caution``.
DIV_KINDS = ("details", "callout-note", "callout-tip", "callout-important", "callout-warning", "callout-caution")


@dataclass(frozen=True, slots=True)
class Div:
    """A block wrapper (pandoc's Div). ``attr`` keeps ``lang``, ``dir`` and ``align``;
    ``title`` is shown above the blocks (a ``<details>`` summary, an alert's label)."""

    blocks: tuple[Block, ...]
    attr: Attr = NO_ATTR
    title: tuple[Inline, ...] = ()


Block: TypeAlias = (
    Heading | Paragraph | BlockQuote | BulletList | OrderedList | CodeBlock | Figure | Table | ThematicBreak | Div
)

INLINE_TYPES: tuple[type, ...] = (
    Text,
    Emphasis,
    Strong,
    Superscript,
    Subscript,
    Code,
    Link,
    Image,
    Span,
    LineBreak,
    Note,
    Strikeout,
    Underline,
)
BLOCK_TYPES: tuple[type, ...] = (
    Heading,
    Paragraph,
    BlockQuote,
    BulletList,
    OrderedList,
    CodeBlock,
    Figure,
    Table,
    ThematicBreak,
    Div,
)

# ---------------------------------------------------------------- metadata


@dataclass(frozen=True, slots=True)
class LocalizedText:
    """One text in one language (``lang`` empty: the document's language)."""

    text: str
    lang: str = ""


@dataclass(frozen=True, slots=True)
class Person:
    name: str
    honorific: str = ""
    role: str = ""
    #: Affiliations joined with " · " (a JOSS/Quarto index resolved to its names).
    affiliation: str = ""
    #: An ORCID iD as ``0000-0002-1825-0097`` (no URL prefix).
    orcid: str = ""
    email: str = ""
    url: str = ""
    #: Author fields this model does not know, as (key, value as JSON text).
    extra: tuple[tuple[str, str], ...] = ()

    @property
    def orcid_url(self) -> str:
        return f"https://orcid.org/{self.orcid}" if self.orcid else ""


@dataclass(frozen=True, slots=True)
class Organization:
    """A publisher: one name per language, in the order the source gives them."""

    names: tuple[LocalizedText, ...]

    @property
    def name(self) -> str:
        return self.names[0].text


@dataclass(frozen=True, slots=True)
class Metadata:
    title: str
    subtitle: str = ""
    authors: tuple[Person, ...] = ()
    date: _dt.date | None = None
    lang: str = "en"
    publishers: tuple[Organization, ...] = ()
    description: str = ""
    keywords: tuple[str, ...] = ()
    identifier: str = ""
    rights: str = ""
    #: Front-matter keys this model does not know, as (key, value as JSON text).
    extra: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Chapter:
    """One chapter of a book: the id of the level-1 heading that opens it, and the Markdown
    file it was read from."""

    id: str
    source: Path


@dataclass(frozen=True, slots=True)
class Document:
    meta: Metadata
    blocks: tuple[Block, ...]
    #: The Markdown file this document was read from (images resolve against its folder);
    #: for a book, the project file that declares it.
    source: Path | None = field(default=None, compare=False)
    #: A book's name (its key in publish.toml); a document is named after its file.
    name: str = ""
    #: A book's chapters in order: each opens with a level-1 heading (class ``chapter``) and
    #: runs to the next; every other heading of a book is of level 2 or more.
    chapters: tuple[Chapter, ...] = ()

    @property
    def slug(self) -> str:
        if self.name:
            return self.name
        return self.source.stem if self.source is not None else "document"

    @property
    def is_book(self) -> bool:
        return bool(self.chapters)

    @property
    def base_dir(self) -> Path:
        return self.source.parent.resolve() if self.source is not None else Path.cwd()
