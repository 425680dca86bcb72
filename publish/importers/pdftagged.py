"""The road of a tagged PDF: its structure tree (ours, or any PDF/UA file) read into blocks.

The tree gives the blocks — headings (``H1``–``H6``), paragraphs (``P``), lists
(``L``/``LI``/``Lbl``/``LBody``), block quotes, tables (``Table``/``TR``/``TH``/``TD`` with
``RowSpan``/``ColSpan``), figures (``Figure`` with ``/Alt``, and ``Caption``), notes — and
the marked content under each element gives its text, glyph by glyph
(:mod:`publish.importers.pdfchars`). What the tree leaves out (running heads, page numbers:
artifacts, or marked content no element claims) is not text. Three parts of our own PDFs
are read apart: the title block (the container of the heading that is the document's
title: front matter, not body), the table of contents (a heading and a list of internal
links only: ``toc: true``) and the footnote areas (one element a note, its text opening with
its number: ``[^n]``, called where a raised number stands in the text).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from publish.importers import media_ref
from publish.importers.pdfchars import Char, Link, code_text, is_mono, lead_and_room, mark_shifts, runs_of
from publish.importers.pdfmd import Block, Cell, Run, tidy
from publish.importers.pdfshapes import (
    HEADING,
    apart,
    colour_kind,
    definitions,
    descendants,
    flat_runs,
    frame,
    is_toc,
    numbering,
)

CONTAINERS = {
    "Document", "DocumentFragment", "Part", "Art", "Sect", "Div", "NonStruct", "LBody", "TOC", "TOCI",
    "Index", "Private", "Aside", "Title", "FENote", "Form", "BibEntry",
}  # fmt: skip
_INLINE = {"Span", "Link", "Quote", "Code", "Reference", "Em", "Strong", "Sub", "Sup", "Annot", "Ruby", "Warichu"}


@dataclass
class Pages:
    """What the pages hold: glyphs and images by (page, MCID), and the link annotations."""

    chars: dict[tuple[int, int], list[Char]]
    images: dict[tuple[int, int], dict[str, Any]]
    links: list[Link]
    heights: dict[int, float] = field(default_factory=dict)
    #: WeasyPrint (70) writes a ``BBox`` in CSS pixels from the page's top left, not in the
    #: page's own space (measured: an image's BBox × 0.75 is where pdfplumber finds it).
    bbox_in_css_px: bool = False
    #: The words of the document (where a word broken at a line end stands whole).
    vocabulary: set[str] = field(default_factory=set)
    #: The right edge of each page's text (its rightmost glyph).
    rights: dict[int, float] = field(default_factory=dict)
    #: The filled boxes of each page (x0, top, x1, bottom): code blocks' frames.
    frames: dict[int, list[tuple[float, float, float, float]]] = field(default_factory=dict)
    #: Whether a gap between glyphs is a space (the PDF draws none: pdfchars.draws_spaces).
    gaps: bool = True


@dataclass
class Found:
    """What the walk found besides the body."""

    title_block: Any = None
    #: What the lines under a title set as a paragraph give (the front matter's).
    date: str = ""
    authors: list[str] = field(default_factory=list)
    toc: bool = False
    notes: dict[int, list[Block]] = field(default_factory=dict)
    images: dict[str, bytes] = field(default_factory=dict)
    image_of: Any = None  # (page number, image dict) → bytes or None


class Walker:
    def __init__(self, pages: Pages, title: str, image_of: Any):
        self.pages = pages
        self.title = title
        self.found = Found(image_of=image_of)
        self.called: set[int] = set()
        self.notes_read: set[int] = set()

    # ------------------------------------------------------------ leaves

    def leaves(self, el: Any, lang: str = "") -> Iterator[tuple[list[Char], str, Any]]:
        """(glyphs, language, element) of every MCID under ``el``, in tree order."""
        lang = el.lang or lang
        for unit in el.kids:  # in the order of /K (publish.importers.pdfstruct)
            if isinstance(unit, tuple):
                yield self.pages.chars.get(unit, []), lang, el
            elif unit.type != "Artifact":
                yield from self.leaves(unit, lang)

    def runs(self, elements: Sequence[Any], lang: str = "", block_style: bool = True) -> list[Run]:
        """The runs of some inline elements (and an inline image or formula where a
        ``Figure`` stands among them)."""
        chars: list[Char] = []
        langs: list[str] = []
        pieces: list[tuple[int, Run]] = []  # (position in chars, run) of images and formulas
        boxes: dict[int, tuple[int, float, float, float, float]] = {}  # piece → its box
        for el in elements:
            for leaf_el, leaf_lang in self._inline_parts(el, lang):
                if isinstance(leaf_el, tuple):
                    run, box = leaf_el
                    if box is not None:
                        boxes[len(pieces)] = box
                    pieces.append((len(chars), run))
                    continue
                chars += leaf_el
                langs += [leaf_lang] * len(leaf_el)
        mark_shifts(chars)
        plain = self._block_marks(chars) if block_style else frozenset()
        runs: list[Run] = []
        start = 0
        for index, (position, piece) in enumerate([*pieces, (len(chars), Run(""))]):
            part = runs_of(
                chars[start:position],
                self.pages.links,
                langs[start:position],
                plain,
                self.pages.vocabulary,
                self.pages.gaps,
            )
            runs += self._calls(tidy(part))
            box = boxes.get(index)
            before = chars[position - 1] if box is not None and position > 0 else None
            after = chars[position] if box is not None and position < len(chars) else None
            if box is not None and before is not None and apart(before, box, before=True):
                runs.append(Run(" "))
            runs.append(piece)
            if box is not None and after is not None and apart(after, box, before=False):
                runs.append(Run(" "))
            start = position
        return tidy(runs)

    def _inline_parts(self, el: Any, lang: str) -> Iterator[tuple[Any, str]]:
        lang = el.lang or lang
        if el.type == "Figure":
            yield (self._inline_figure(el), self.bbox(el)), lang
            return
        for unit in el.kids:
            if isinstance(unit, tuple):
                yield self.pages.chars.get(unit, []), lang
            elif unit.type != "Artifact":
                yield from self._inline_parts(unit, lang)

    def bbox(self, el: Any) -> tuple[int, float, float, float, float] | None:
        """(page, x0, top, x1, bottom) of an element from its ``BBox`` attribute."""
        box = (el.attributes or {}).get("BBox")
        height = self.pages.heights.get(el.page_number)
        if not isinstance(box, (list, tuple)) or len(box) != 4 or height is None:
            return None
        x0, y0, x1, y1 = (float(v) for v in box)
        if self.pages.bbox_in_css_px:
            return (el.page_number, 0.75 * x0, 0.75 * min(y0, y1), 0.75 * x1, 0.75 * max(y0, y1))
        return (el.page_number, x0, height - max(y0, y1), x1, height - min(y0, y1))

    def _block_marks(self, chars: Sequence[Char]) -> frozenset[str]:
        """The marks every glyph of a block carries: its style, not emphasis."""
        from publish.importers.pdfchars import body_size, marks_of

        texts = [c for c in chars if c["text"].strip()]
        if not texts:
            return frozenset()
        size = body_size(texts)
        common = set(marks_of(texts[0], size))
        for char in texts[1:]:
            common &= marks_of(char, size)
            if not common:
                break
        return frozenset(common - {"code"})

    def _calls(self, runs: list[Run]) -> list[Run]:
        """A raised number that is the next note's: a note call."""
        out: list[Run] = []
        for run in runs:
            text = run.text.strip()
            waiting = set(self.found.notes) - self.called
            if "sup" in run.marks and text.isdigit() and waiting and int(text) == min(waiting):
                self.called.add(int(text))
                out.append(Run("", note=int(text)))
                continue
            out.append(run)
        return out

    def _image(self, el: Any) -> str:
        """The name of the image a ``Figure`` element draws, extracted; empty when it draws none."""
        for page, mcid in el.mcrs:
            image = self.pages.images.get((page, mcid))
            if image is None:
                continue
            data = self.found.image_of(page, image)
            if data is None:
                continue
            name = f"image-{len(self.found.images) + 1}.png"
            self.found.images[name] = data
            return name
        return ""

    def _inline_figure(self, el: Any) -> Run:
        name = self._image(el)
        alt = el.alt_text or ""
        if name:
            return Run(alt, image=media_ref(name))
        return Run(alt, math=True) if alt else Run("")

    # ------------------------------------------------------------ blocks

    def is_inline(self, el: Any) -> bool:
        if el.type in _INLINE:
            return True
        if el.type == "NonStruct":
            return all(self.is_inline(c) or c.type == "Figure" for c in el.children)
        return False

    def blocks(self, children: Sequence[Any], lang: str = "") -> list[Block]:
        out: list[Block] = []
        pending: list[Any] = []

        def flush() -> None:
            if pending:
                runs = self.runs(pending, lang)
                if any(r.text.strip() or r.image or r.note for r in runs):
                    room, lead = self._ends(pending)
                    out.append(Block("para", runs, pos=self._pos(pending), room=room, lead=lead))
                pending.clear()

        for child in children:
            if child.type == "Artifact" or child is self.found.title_block or id(child) in self.notes_read:
                continue
            if self.is_inline(child) and not self._is_code(child):
                pending.append(child)
                continue
            flush()
            made = self.block(child, child.lang or lang)
            for block in made:
                block.pos = block.pos or self._pos([child])
                if block.kind == "para" and len(made) == 1 and block.room == 1e9:
                    block.room, block.lead = self._ends([child])
                out.append(block)
        flush()
        return out

    def _ends(self, elements: Sequence[Any]) -> tuple[float, float]:
        """The room left after the last line of some elements (to the right edge of its page's
        text) and the width of their first word with a space before it."""
        chars = [c for el in elements for leaf, _, _ in self.leaves(el) for c in leaf]
        return lead_and_room(chars, self.pages.rights.get(chars[-1]["page_number"], 0.0) if chars else 0.0)

    def _pos(self, elements: Sequence[Any]) -> tuple[int, float, float] | None:
        chars = [c for el in elements for leaf, _, _ in self.leaves(el) for c in leaf]
        boxes = [b for el in elements for d in [el, *descendants(el)] if d.type == "Figure" and (b := self.bbox(d))]
        if boxes and chars and all(b[0] == chars[0].get("page_number") for b in boxes):
            top = min([b[2] for b in boxes] + [c["top"] for c in chars])
            return (chars[0]["page_number"], top, max([b[4] for b in boxes] + [c["bottom"] for c in chars]))
        if not chars:
            return None
        first, last = chars[0], chars[-1]
        if first.get("page_number") != last.get("page_number"):
            return (first["page_number"], first["top"], 1e9)
        return (first["page_number"], min(c["top"] for c in chars), max(c["bottom"] for c in chars))

    def _is_code(self, el: Any) -> bool:
        """A code block: lines (``NonStruct``) of monospace glyphs only."""
        if el.type not in ("NonStruct", "Code") or not any(c.type == "NonStruct" for c in el.children):
            return False
        chars = [c for leaf, _, _ in self.leaves(el) for c in leaf if c["text"].strip()]
        return bool(chars) and all(is_mono(c) for c in chars)

    def block(self, el: Any, lang: str) -> list[Block]:
        kind = el.type
        heading = HEADING.match(kind)
        if heading:
            return [Block("heading", self.runs([el], lang), level=int(heading.group(1)))]
        if (
            kind == "P"
            and any(c.type == "P" for c in el.children)
            and all(c.type in ("P", "Figure") or self.is_inline(c) for c in el.children)
        ):  # a paragraph around a display formula: its pieces are one paragraph
            runs: list[Run] = []
            for child in el.children:
                runs += ([Run(" ")] if runs else []) + self.runs([child], lang)
            return [Block("para", tidy(runs))]
        if kind in ("P", "Caption", "Lbl", "TH", "TD", "Note"):
            if any(not self.is_inline(c) and c.type != "Figure" for c in el.children):
                return self.blocks(el.children, lang)
            return [Block("para", self.runs([el], lang))]
        if kind == "L":
            return [self.list_block(el, lang)]
        if kind == "BlockQuote":
            return [Block("quote", children=self.blocks(el.children, lang))]
        if kind == "Table":
            return [self.table(el, lang)]
        if kind == "Figure":
            return [self.figure(el, None, lang)]
        if self._is_code(el):
            chars = [c for leaf, _, _ in self.leaves(el) for c in leaf]
            return [Block("code", text=code_text(chars, frame(self, chars)))]
        if is_toc(self, el):
            self.found.toc = True
            return []
        callout = self._callout(el, lang) or self._details(el, lang)
        if callout is not None:
            return [callout]
        captions = [c for c in el.children if c.type == "Caption"]
        if captions:
            return [self.figure(el, captions[0], lang)]
        return self.blocks(el.children, lang)

    def _callout(self, el: Any, lang: str) -> Block | None:
        """A callout of our theme: a container whose first paragraph is its title, set in
        the colour of a kind (:data:`CALLOUT_COLOURS`)."""
        kids = [c for c in el.children if c.type != "Artifact"]
        if len(kids) < 1 or kids[0].type not in ("P", "H1", "H2", "H3", "H4", "H5", "H6"):
            return None
        chars = [c for leaf, _, _ in self.leaves(kids[0]) for c in leaf if c["text"].strip()]
        kinds = {colour_kind(c.get("non_stroking_color")) for c in chars}
        if not chars or len(kinds) != 1 or None in kinds:
            return None
        title = [Run(r.text, r.marks - {"strong"}, r.link, r.lang) for r in self.runs([kids[0]], lang)]
        return Block("callout", title, text=str(kinds.pop()), children=self.blocks(kids[1:], lang))

    def _details(self, el: Any, lang: str) -> Block | None:
        """A ``details`` block as we print it: open, its summary a bold lead-in (an anonymous
        line of bold text) before its blocks."""
        kids = [c for c in el.children if c.type != "Artifact"]
        if el.type != "NonStruct" or len(kids) < 2 or kids[0].type != "NonStruct" or not self.is_inline(kids[0]):
            return None
        if not any(k.type in ("P", "L", "Table", "BlockQuote") or HEADING.match(k.type) for k in kids[1:]):
            return None
        summary = self.runs([kids[0]], lang, block_style=False)
        if not summary or not all("strong" in r.marks for r in summary if r.text.strip()):
            return None
        title = [Run(r.text, r.marks - {"strong"}, r.link, r.lang) for r in summary]
        return Block("details", title, children=self.blocks(kids[1:], lang))

    def figure(self, el: Any, caption: Any, lang: str) -> Block:
        figures = [d for d in descendants(el) if d.type == "Figure"] if el.type != "Figure" else [el]
        image = figures[0] if figures else el
        name = self._image(image)
        caption_runs = self.runs([caption], lang) if caption is not None else []
        alt = image.alt_text or ""
        box = self.bbox(image)
        if not name and alt and not caption_runs:
            return Block("para", [Run(alt, math=True, display=True)], pos=box and (box[0], box[2], box[4]))
        drawn = [(page, self.pages.images.get((page, mcid))) for page, mcid in image.mcrs]
        tops = [(page, d) for page, d in drawn if d is not None]
        pos = (tops[0][0], float(tops[0][1]["top"]), float(tops[0][1]["bottom"])) if tops else None
        return Block("figure", caption_runs, src=media_ref(name) if name else "", alt=alt, pos=pos)

    def list_block(self, el: Any, lang: str) -> Block:
        items: list[list[Block]] = []
        labels: list[str] = []
        starts: list[Any] = []
        lefts: list[float] = []
        for li in el.children:
            if li.type != "LI":
                if li.type == "L" and items:  # a list nested right in a list: the last item's
                    items[-1].append(self.list_block(li, lang))
                continue
            if not any(c.type == "Lbl" for c in li.children):
                labels.append("")
                items.append(self.blocks(li.children, li.lang or lang))
                starts.append(self._pos([li]))
                lefts.append(min((c["x0"] for leaf, _, _ in self.leaves(li) for c in leaf[:1]), default=0.0))
                continue
            starts.append(None)
            lefts.append(0.0)
            label = "".join(
                c["text"] for lbl in li.children if lbl.type == "Lbl" for leaf, _, _ in self.leaves(lbl) for c in leaf
            )
            labels.append(label.strip())
            # the body's content, and what follows it in the item (a display formula set after
            # the item's text is beside its LBody, not in it): one flow
            body = [k for c in li.children if c.type != "Lbl" for k in (c.children if c.type == "LBody" else [c])]
            items.append(self.blocks(body, li.lang or lang))
        if items and not any(labels):  # no labels: a definition list, its terms at the left
            left = min(lefts)
            terms = [x - left < 2 for x in lefts]
            if terms[0] and not all(terms):
                return definitions(items, terms)
        return numbering(Block("list", items=items), labels)

    def table(self, el: Any, lang: str) -> Block:
        rows: list[list[Cell]] = []
        head = 0
        caption: list[Run] = []

        def visit(node: Any, in_head: bool) -> None:
            nonlocal head, caption
            for child in node.children:
                if child.type == "Caption":
                    caption = self.runs([child], lang)
                elif child.type in ("THead", "TBody", "TFoot"):
                    visit(child, child.type == "THead")
                elif child.type == "TR":
                    cells = [self.cell(c, lang) for c in child.children if c.type in ("TH", "TD")]
                    all_th = all(c.type == "TH" for c in child.children if c.type in ("TH", "TD"))
                    if (in_head or (all_th and head == len(rows))) and cells:
                        head += 1
                    rows.append(cells)

        visit(el, False)
        return Block("table", caption, rows=rows, head=head)

    def cell(self, el: Any, lang: str) -> Cell:
        attrs = el.attributes or {}
        runs: list[Run] = []
        if all(self.is_inline(c) or c.type == "Figure" for c in el.children):
            runs = self.runs([el], lang)
        else:
            for block in self.blocks(el.children, el.lang or lang):
                runs += ([Run(" ")] if runs else []) + flat_runs(block)
        return Cell(runs, int(attrs.get("ColSpan", 1) or 1), int(attrs.get("RowSpan", 1) or 1))
