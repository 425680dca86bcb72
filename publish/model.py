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
OrderedList         OrderedList                ``start``, ``style``, ``delim`` (ListAttributes)
ListItem            (a ``[Block]`` list item)  ``checked``: a task list's box (GFM ``[ ]``/``[x]``)
Div                 Div                        a wrapper (``<div>``, ``<details>``, a GFM alert)
                                               with attributes and an optional title
CodeBlock           CodeBlock                  ``language`` is pandoc's first class
Figure              Figure                     one image; caption inlines; alt text
Table               Table                      header row(s), rows, aligns; cells may span
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
Math                Math                       TeX; ``display`` is DisplayMath; a numbered
                                               equation has ``attr.id`` (``eq-x``), ``number``
Cite                Cite                       ``@key``, ``[@a; -@b]``: resolved before any
                                               writer (a cross-reference becomes a Link)
DefinitionList      DefinitionList             items are :class:`DefinitionItem`
==================  =========================  ==========================================

Numbers (``number``: "2", "3.1" in a book's third chapter) are given to figures, tables,
equations and headings by :mod:`publish.crossref`; every edition prints a caption's label
from it (``Figure 2``) in the document's language.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeAlias

from publish.modelmeta import LocalizedText as LocalizedText
from publish.modelmeta import Metadata as Metadata
from publish.modelmeta import Organization as Organization
from publish.modelmeta import Person as Person


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


@dataclass(frozen=True, slots=True)
class Math:
    """TeX math. ``display`` math is set on a line of its own (pandoc's DisplayMath, which
    stands inside a paragraph); a numbered equation (``$$…$$ {#eq-x}``) has ``attr.id`` and
    is given its ``number`` by :mod:`publish.crossref`."""

    tex: str
    display: bool = False
    attr: Attr = NO_ATTR
    number: str = ""


#: Citation modes, as pandoc names them (``@key``, ``[@key]``, ``[-@key]``).
CITE_MODES = ("author-in-text", "normal", "suppress-author")


@dataclass(frozen=True, slots=True)
class CiteItem:
    """One key of a citation, with the words before and after it (``[see @k, p. 3]``)."""

    key: str
    mode: str = "normal"
    prefix: tuple[Inline, ...] = ()
    suffix: tuple[Inline, ...] = ()


@dataclass(frozen=True, slots=True)
class Cite:
    """A citation as written: one or more keys. :mod:`publish.crossref` turns a reference to
    a figure, table, equation or section (``@fig-x``, ``@Fig-x``, pandoc-crossref's
    ``@fig:x``) into a :class:`Link`; no Cite reaches a writer. ``text`` is the source as
    written; ``line`` its line in the source file (for messages)."""

    items: tuple[CiteItem, ...]
    text: str = ""
    line: int = field(default=0, compare=False)


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
    | Math
    | Cite
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
    #: Its section number ("2.1") when the document numbers its sections
    #: (``number-sections: true``); set by :mod:`publish.crossref`.
    number: str = ""


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
    #: pandoc's ListNumberStyle, as CSS names it: one of :data:`LIST_STYLES`.
    style: str = "decimal"
    #: pandoc's ListNumberDelim: "period" (``1.``), "one-paren" (``1)``), "two-parens" (``(1)``).
    delim: str = "period"


LIST_STYLES = ("decimal", "lower-alpha", "upper-alpha", "lower-roman", "upper-roman")
LIST_DELIMS = ("period", "one-paren", "two-parens")


@dataclass(frozen=True, slots=True)
class CodeBlock:
    text: str
    language: str = ""


@dataclass(frozen=True, slots=True)
class Figure:
    image: Image
    caption: tuple[Inline, ...]
    attr: Attr = NO_ATTR
    #: Its number when it can be referred to (``{#fig-x}``); set by :mod:`publish.crossref`.
    number: str = ""


@dataclass(frozen=True, slots=True)
class Cell:
    """A table cell. It covers ``colspan`` columns and ``rowspan`` rows (a grid table's
    merged cells): a row lists only the cells that start in it, as HTML does. A cell of a
    grid table that holds more than one paragraph, or a list, has its ``blocks`` (and
    ``content`` empty)."""

    content: tuple[Inline, ...]
    colspan: int = 1
    rowspan: int = 1
    blocks: tuple[Block, ...] = ()


@dataclass(frozen=True, slots=True)
class Table:
    """A table: its first header row (empty for a headerless table), further header rows,
    body rows, one alignment per column, a caption and, when it can be referred to
    (``{#tbl-x}``), an id and a number."""

    header: tuple[Cell, ...]
    rows: tuple[tuple[Cell, ...], ...]
    aligns: tuple[Align, ...]
    caption: tuple[Inline, ...] = ()
    attr: Attr = NO_ATTR
    number: str = ""
    #: Header rows after the first (a grid table's several header rows).
    more_header: tuple[tuple[Cell, ...], ...] = ()
    #: Relative column widths (a multiline or grid table's dash runs), summing to 1; empty:
    #: natural widths.
    widths: tuple[float, ...] = ()

    @property
    def header_rows(self) -> tuple[tuple[Cell, ...], ...]:
        return ((self.header,) if self.header else ()) + self.more_header


@dataclass(frozen=True, slots=True)
class ThematicBreak:
    pass


#: Div classes with a meaning of their own: ``details`` (``title`` its summary), the alerts/callouts
#: ``callout-note|tip|important|warning|caution``, a bibliography ``references`` (:mod:`publish.bibliography`).
DIV_KINDS = ("details", *(f"callout-{k}" for k in ("note", "tip", "important", "warning", "caution")), "references")


@dataclass(frozen=True, slots=True)
class Div:
    """A block wrapper (pandoc's Div). ``attr`` keeps ``lang``, ``dir`` and ``align``;
    ``title`` is shown above the blocks (a ``<details>`` summary, an alert's label)."""

    blocks: tuple[Block, ...]
    attr: Attr = NO_ATTR
    title: tuple[Inline, ...] = ()


@dataclass(frozen=True, slots=True)
class DefinitionItem:
    """A term and its definitions (pandoc allows several, each of blocks)."""

    term: tuple[Inline, ...]
    definitions: tuple[tuple[Block, ...], ...]


@dataclass(frozen=True, slots=True)
class DefinitionList:
    items: tuple[DefinitionItem, ...]
    #: pandoc's compact definition list (no blank line between a term and its definition).
    tight: bool = False


Block: TypeAlias = (
    Heading
    | Paragraph
    | BlockQuote
    | BulletList
    | OrderedList
    | CodeBlock
    | Figure
    | Table
    | ThematicBreak
    | Div
    | DefinitionList
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
    Math,
    Cite,
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
    DefinitionList,
)


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
