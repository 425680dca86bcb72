"""The structure every edition must carry: an :class:`Outline` computed from the model.

Read-backs (:mod:`publish.readback`) compute the same outline from each finished edition;
:func:`diff` explains any difference in words. An item is ``(kind, text, level, children)``:

==============  ===========================================================
kind            meaning
==============  ===========================================================
heading         ``level`` 1–6, ``text`` the heading
para            a paragraph's text (note references left out)
quote           a block quote; ``children`` its blocks
bullet-list     ``children`` are ``item``s
ordered-list    ``level`` is the start number; ``text`` its numbering, empty for ``1.``,
                else its style and delimiter (``lower-alpha one-paren``: ``a)``, see
                :func:`publish.fancylists.numbering`); ``children`` are ``item``s
item            a list item; ``children`` its blocks; ``text`` a task's box
                (:data:`TASK_BOX`: ``[ ]`` or ``[x]``), else empty
code            a code block's text
figure          ``text`` the caption; one child ``alt`` with the alt text
table           ``text`` the caption; children the ``head`` rows (none for a headerless
                table), then the ``row``s, of ``cell``s: ``text`` the cell's text (a
                cell's blocks as their text), kind ``cell colspan=C rowspan=R`` when it
                spans
rule            a thematic break
details         a ``details`` Div: ``text`` its summary, ``children`` its blocks
definition-list ``children`` are ``term``s (``text`` the term), each followed by its
                ``definition``s (``children`` their blocks)
callout-…       a callout Div (``callout-note|tip|important|warning|caution``): ``text``
                its title, ``children`` its blocks
references      a bibliography (a ``references`` Div, :mod:`publish.bibliography`): ``text``
                its title, ``children`` its blocks: each entry's paragraph (an entry's Div,
                ``csl-entry``, is a plain wrapper)
note            after all blocks: ``level`` the number, ``children`` its blocks
==============  ===========================================================

A plain Div (a wrapper: ``id``, classes, ``lang``, ``dir``, ``align``) has no item of its
own: its title, if it has one, is a ``para`` and its blocks stand where it stands.

Texts are compared in :func:`publish.text.squash` form (NFC, whitespace folded).
A formula's text is what it shows (:func:`publish.mathtex.text_of`: its letters and digits,
then a numbered equation's "(n)").

Where a format truly cannot carry part of this, the allowance is declared here and only
here (:data:`ALLOWANCES`); read-backs apply nothing else.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from publish import crossref, fancylists, mathtex, tablegrid, walk
from publish import model as m
from publish import text as txt


@dataclass(frozen=True, slots=True)
class Item:
    kind: str
    text: str = ""
    level: int = 0
    children: tuple[Item, ...] = ()


Outline = tuple[Item, ...]

#: A task list item's box, declared here once for every edition: how the outline writes it
#: (an item's ``text``), and the character every edition shows at the start of the item
#: (as text in HTML, EPUB and PDF; in a Word check box content control in DOCX, whose state
#: the read-back takes rather than its character). ☐ and ☒, as Word's own check box: ☑
#: (U+2611) is also an emoji, which browsers and LibreOffice may draw from a colour font.
TASK_BOX: dict[bool, tuple[str, str]] = {False: ("[ ]", "\u2610"), True: ("[x]", "\u2612")}
#: The character of a box (either of :data:`TASK_BOX`) → its outline text.
TASK_BOX_TEXT: dict[str, str] = {char: text for text, char in TASK_BOX.values()}


def task_text(checked: bool | None) -> str:
    """An item's outline text: its box (``[ ]``, ``[x]``), empty for an ordinary item."""
    return "" if checked is None else TASK_BOX[checked][0]


ALLOWANCES: dict[str, str] = {
    "docx": (
        "Word paragraphs do not nest. The DOCX edition is compared through flatten(): one "
        "(role, text) per paragraph, where a paragraph inside a quote is 'quote' and a "
        "paragraph inside a list is the list's role at its depth (the innermost container "
        "decides). Table rows and cells, headings, figures, captions and notes are exact. Display "
        "math stands alone in its paragraph, as pandoc writes it (publish.mathtex.split_display); "
        "a Word equation is compared through its text (its m:t runs, publish.mathtex.visible). A "
        "bibliography's paragraphs are in the paragraph style 'Bibliography' (role 'bibliography'); a "
        "numeric style's label is followed by a tab, which is layout, not text (the label's own "
        "space, as citeproc writes it, stays)."
    ),
    "pdf": (
        "A PDF's text layer has no block boundaries. The PDF edition is compared through its "
        "bookmarks (every heading with its level and text, below the title) and its text: the "
        "characters of every outline text in order, without whitespace, after the title block "
        "(which must open the first page as the theme renders it), with page furniture "
        "(running header, page numbers at the end of each page), the table of contents (checked on its own: every "
        "heading with a page number) and the hyphens that hyphenation adds at line ends "
        "(U+2010) taken away. Notes are footnotes: each note's text, after its number, must "
        "stand at the foot of a page, in note order. Right-to-left text (Hebrew, Arabic), which a "
        "PDF draws in visual order, is read back in logical order, each piece of a line as drawn "
        "reordered by the bidi algorithm, and compared like any other. Characters that are not "
        "drawn (bidi controls, the zero-width non-joiner) are not in a text layer and are left "
        "out; with right-to-left text, a bracket is compared as its pair (a mirrored glyph has "
        "one text for both). A formula is drawn (SVG outlines, no text layer): its text is left out "
        "(a numbered equation's number is text and stays), and its TeX is compared with the /Alt of "
        "the PDF's /Figure tags instead (publish.readback.mathback)."
    ),
}


def _plain(content: Iterable[m.Inline]) -> str:
    """The text of some inlines; a formula's is :func:`publish.mathtex.text_of`."""
    return txt.plain(content, math=mathtex.text_of)


def _blocks(blocks: Iterable[m.Block]) -> Iterator[Item]:
    for block in blocks:
        match block:
            case m.Heading(level=level, content=content):
                yield Item("heading", txt.squash(_plain(content)), level)
            case m.Paragraph(content=content):
                yield Item("para", txt.squash(_plain(content)))
            case m.BlockQuote(blocks=inner):
                yield Item("quote", children=tuple(_blocks(inner)))
            case m.BulletList(items=items):
                yield Item("bullet-list", children=tuple(_items(items)))
            case m.OrderedList(items=items, start=start, style=style, delim=delim):
                numbering = fancylists.numbering(style, delim)
                yield Item("ordered-list", numbering, level=start, children=tuple(_items(items)))
            case m.DefinitionList(items=entries):
                yield Item("definition-list", children=tuple(_definitions(entries)))
            case m.CodeBlock(text=code):
                yield Item("code", txt.squash(code))
            case m.Figure(image=image, caption=caption):
                alt = Item("alt", txt.squash(image.alt))
                yield Item("figure", txt.squash(_plain(caption)), children=(alt,))
            case m.Table(rows=rows, caption=caption):
                head = tuple(Item("head", children=tuple(_cells(r))) for r in block.header_rows)
                body = tuple(Item("row", children=tuple(_cells(r))) for r in rows)
                yield Item("table", txt.squash(_plain(caption)), children=(*head, *body))
            case m.ThematicBreak():
                yield Item("rule")
            case m.Div(blocks=inner, attr=attr, title=title):
                kind = walk.div_kind(attr)
                if kind == "div":
                    if title:
                        yield Item("para", txt.squash(_plain(title)))
                    yield from _blocks(inner)
                else:
                    yield Item(kind, txt.squash(_plain(title)), children=tuple(_blocks(inner)))


def _items(items: Iterable[m.ListItem]) -> Iterator[Item]:
    for item in items:
        yield Item("item", task_text(item.checked), children=tuple(_blocks(item.blocks)))


def _definitions(entries: Iterable[m.DefinitionItem]) -> Iterator[Item]:
    for entry in entries:
        yield Item("term", txt.squash(txt.plain(entry.term)))
        for definition in entry.definitions:
            yield Item("definition", children=tuple(_blocks(definition)))


def _cells(cells: Iterable[m.Cell]) -> Iterator[Item]:
    for cell in cells:
        yield Item(cell_kind(tablegrid.span(cell)), tablegrid.cell_text(cell, math=mathtex.text_of))


def cell_kind(span: str) -> str:
    """A cell's kind: ``cell``, or ``cell colspan=2 rowspan=1`` when it spans."""
    return f"cell {span}" if span else "cell"


def outline_of(doc: m.Document, labels: bool = True) -> Outline:
    """The outline of the model: its blocks, then its notes in number order; ``labels``:
    captions with their labels, headings with their numbers, as the editions show them."""
    doc = crossref.labelled(doc) if labels else doc
    notes = tuple(Item("note", level=n.number, children=tuple(_blocks(n.blocks))) for n in walk.notes(doc.blocks))
    return (*_blocks(doc.blocks), *notes)


def render(outline: Iterable[Item], depth: int = 0) -> list[str]:
    """One line per item, indented by depth: the form diffs are shown in."""
    lines: list[str] = []
    for item in outline:
        label = item.kind + (f" {item.level}" if item.level else "")
        lines.append(f"{'  ' * depth}{label}: {item.text}" if item.text else f"{'  ' * depth}{label}")
        lines.extend(render(item.children, depth + 1))
    return lines


def diff(expected: Iterable[Item], actual: Iterable[Item], *, name: str = "edition") -> list[str]:
    """Empty when equal; otherwise a unified diff of the two outlines, model first."""
    a, b = render(expected), render(actual)
    if a == b:
        return []
    return list(difflib.unified_diff(a, b, "model", name, lineterm="", n=2))


# ---------------------------------------------------------------- flat forms (allowances)

Flat = tuple[tuple[str, str], ...]


def flatten(outline: Iterable[Item]) -> Flat:
    """The DOCX form (see :data:`ALLOWANCES`): one (role, text) per paragraph or cell.

    Mirrors how the DOCX writer chooses paragraph styles: a plain paragraph takes the
    role of where it stands (``para``, ``quote``); inside a list item the first block
    takes ``bullet<depth>``/``number<depth>`` and the rest ``continue<depth>``. A
    ``details`` Div is its summary as a paragraph, then its blocks where it stands; a
    callout (a box in Word) is its title, then its blocks, a flow of their own whose plain
    paragraphs take the callout's role (``callout-note``…). A task's box opens the first
    paragraph (or cell) of its item: ``bullet1: [x] Done``; so does the label of an item of
    a list numbered otherwise than ``1.`` (``number1: c) Third``, Word's numbering read
    back as text). A definition list is its terms (``term``) and its definitions, a flow
    whose plain paragraphs take the role ``definition``. A bibliography (``references``) is
    its title as a paragraph where it stands, then its blocks, a flow of their own whose
    plain paragraphs take the role ``bibliography`` (Word's "Bibliography" style).
    """
    out: list[tuple[str, str]] = []

    def expand(items: Iterable[Item]) -> list[Item]:
        """``details`` Divs opened where they stand: a summary paragraph, then the blocks."""
        found: list[Item] = []
        for item in items:
            if item.kind == "details":
                found += [Item("para", item.text)] if item.text else []
                found += expand(item.children)
            elif item.kind == "references" and item.text:  # its title: a paragraph where it stands
                found += [Item("para", item.text), Item("references", children=item.children)]
            else:
                found.append(item)
        return found

    def visit(items: Iterable[Item], base: str, depth: int, in_list: tuple[str, str] | None) -> None:
        for index, item in enumerate(expand(items)):
            role = base if in_list is None else in_list[0 if index == 0 else 1]
            if item.kind.startswith("callout-"):  # a box with a flow of its own
                if item.text:
                    out.append((item.kind, item.text))
                visit(item.children, item.kind, 0, None)
            elif item.kind == "references":  # a flow of its own, in the style "Bibliography"
                visit(item.children, "bibliography", 0, None)
            elif item.kind == "heading":
                out.append((f"heading{item.level}", item.text))
            elif item.kind == "para":
                out.append((role, item.text))
            elif item.kind == "quote":
                if in_list is None:
                    visit(item.children, "quote", depth, None)
                else:
                    visit(item.children, base, depth, (role, in_list[1]))
            elif item.kind in ("bullet-list", "ordered-list"):
                kind = "bullet" if item.kind == "bullet-list" else "number"
                styles = (f"{kind}{depth + 1}", f"continue{depth + 1}")
                for number, entry in enumerate(item.children, item.level):
                    start = len(out)
                    visit(entry.children, base, depth + 1, styles)
                    lead = " ".join(x for x in (_label(item, number), entry.text) if x)
                    if lead and len(out) > start:
                        first_role, first_text = out[start]
                        out[start] = (first_role, f"{lead} {first_text}".strip())
                    elif lead:  # an empty task: a paragraph with its box alone
                        out.append((styles[0], lead))
            elif item.kind == "definition-list":
                for entry in item.children:
                    if entry.kind == "term":
                        out.append(("term", entry.text))
                    else:
                        visit(entry.children, "definition", depth, None)
            elif item.kind == "code":
                out.append(("code", item.text))
            elif item.kind == "figure":
                out.append(("figure", item.children[0].text))
                out.append(("caption", item.text))
            elif item.kind == "table":
                if item.text:
                    out.append(("table-caption", item.text))
                for row in item.children:
                    for cell in row.children:
                        out.append((f"{row.kind}-{cell.kind}", cell.text))
            elif item.kind == "rule":
                out.append(("rule", ""))
            elif item.kind == "note":
                out.append((f"note{item.level}", ""))
                visit(item.children, "para", 0, None)

    visit(outline, "para", 0, None)
    return tuple(out)


def _label(item: Item, number: int) -> str:
    """The label of an ordered list's item numbered otherwise than ``1.`` (``c)``); empty else."""
    if item.kind != "ordered-list" or not item.text:
        return ""
    style, delim = item.text.split()
    return label_of(style, delim, number)


def label_of(style: str, delim: str, number: int) -> str:
    """An item's label (``c)``, ``(iv)``): :func:`publish.fancylists.label`."""
    return fancylists.label(style, delim, number)


def flat_diff(expected: Flat, actual: Flat, *, name: str = "edition") -> list[str]:
    a = [f"{role}: {text}" for role, text in expected]
    b = [f"{role}: {text}" for role, text in actual]
    if a == b:
        return []
    return list(difflib.unified_diff(a, b, "model", name, lineterm="", n=2))


def text_stream(outline: Iterable[Item]) -> str:
    """Every text of the outline in reading order, whitespace removed (the PDF form).

    A figure's alt text is left out: it is not part of a PDF's visible text layer; a task's
    box is its character (:data:`TASK_BOX`); an item of a list numbered otherwise than
    ``1.`` opens with its label (``c)``, ``(iv)``: :func:`publish.fancylists.label`).
    """
    return "".join("".join(text_units(outline)).split())


def text_units(outline: Iterable[Item], labels: bool = True) -> list[str]:
    """The texts of :func:`text_stream`, one per item (empty for containers): the units in
    which :mod:`publish.align` aligns an edition's text with the model's. Without ``labels``,
    the labels of list items are left out (a PDF draws them apart: :mod:`publish.readback.pdflabels`)."""
    parts: list[str] = []
    shown = {text: char for text, char in TASK_BOX.values()}

    def visit(items: Iterable[Item]) -> None:
        for item in items:
            if item.kind == "item":
                parts.append(shown.get(item.text, item.text))
                visit(item.children)
            elif item.kind == "ordered-list" and item.text:  # a)…: each item's label is text
                for number, entry in enumerate(item.children, item.level):
                    parts.append(_label(item, number) if labels else "")
                    visit([entry])
            elif item.kind != "alt":
                parts.append(item.text)
                visit(item.children)

    visit(outline)
    return parts
