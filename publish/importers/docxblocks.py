"""Word's flat paragraphs as nested blocks (:class:`publish.importers.docxmd.Block`).

Each paragraph gets a role from its style (and the style's ancestors), its outline level,
its numbering (``w:numPr``, ours or Word's) and its direct formatting; :class:`Builder` then
nests them: list items by depth (``List Bullet 2``, ``w:ilvl``), an item's further paragraphs
(``List Continue``), consecutive quoted paragraphs into one quote, definition lists (terms,
then the definitions and the lists and code indented under them), callouts (a paragraph
style per kind, the blocks with its bar, until the spacer), a bibliography, figures with the
caption after them and tables with the caption before (a ``SEQ`` field's label taken off,
the id kept for the number to come back)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from publish.importers import docxruns
from publish.importers.docxmd import Block
from publish.importers.docxruns import Runs, W, integer

#: Word's ``w:numFmt`` → the list style (CSS's names), as our writer's.
NUM_STYLES = {
    "decimal": "decimal",
    "lowerLetter": "lower-alpha",
    "upperLetter": "upper-alpha",
    "lowerRoman": "lower-roman",
    "upperRoman": "upper-roman",
}
META_STYLES = {
    "title": "title",
    "subtitle": "subtitle",
    "byline": "byline",
    "author": "byline",
    "date line": "date",
    "date": "date",
    "publisher": "publisher",
    "abstract": "abstract",
}
QUOTES = re.compile(r"^(quote|quotations?|intense quote|block ?text|block ?quote)$", re.I)
CODES = re.compile(r"^(source code|plain text|code)$|preformatted|code block|verbatim", re.I)
FURNITURE = re.compile(
    r"^(toc \d|toc heading|contents \d|contents heading|index \d|header|footer|table of figures)$", re.I
)
CALLOUT = re.compile(r"^Callout (Note|Tip|Important|Warning|Caution)$")


@dataclass
class Styles:
    """The styles part: names, ancestors, outline levels, numbering, fonts."""

    by_id: dict[str, etree._Element]

    def chain(self, sid: str | None) -> list[etree._Element]:
        found: list[etree._Element] = []
        while sid and sid in self.by_id and len(found) < 10:
            style = self.by_id[sid]
            found.append(style)
            based = style.find(W + "basedOn")
            sid = str(based.get(W + "val")) if based is not None else None
        return found

    def name(self, sid: str | None) -> str:
        chain = self.chain(sid)
        el = chain[0].find(W + "name") if chain else None
        return str(el.get(W + "val")) if el is not None else (sid or "Normal")

    def find(self, sid: str | None, path: str) -> etree._Element | None:
        for style in self.chain(sid):
            found = style.find(path)
            if found is not None:
                return found
        return None


@dataclass
class Para:
    """A paragraph read: its role and the pieces of its text."""

    index: int  # the manuscript's paragraph number (from 1)
    el: etree._Element
    style: str
    role: str
    depth: int = 0
    pieces: list[docxruns.Piece] = field(default_factory=list)
    runs: Runs | None = None
    num: tuple[str, str, str] | None = None  # (numId, style, delimiter)
    number: int = 1
    bar: bool = False  # a callout's bar (w:pBdr) of its own
    indented: bool = False  # a w:ind of its own
    start: int | None = None  # where its own w:ind starts it, a number or bullet included (twips)
    quote_indent: int = 0  # a quote's: its style's indent (twips), by which a nested quote is in
    ident: str = ""  # the id an internal link reaches it by

    @property
    def md(self) -> str:
        return docxruns.render(self.pieces).strip()

    @property
    def plain(self) -> str:
        return docxruns.plain(self.pieces).strip()


class Numbering:
    """``numbering.xml``: each (numId, ilvl)'s format, text and start, and Word's counts."""

    def __init__(self, root: etree._Element | None):
        self.levels: dict[tuple[str, str], tuple[str, str, int]] = {}
        self.nums: dict[str, tuple[str, dict[str, int]]] = {}
        self.counts: dict[tuple[str, str], int] = {}
        if root is None:
            return
        for abstract in root.iter(W + "abstractNum"):
            aid = str(abstract.get(W + "abstractNumId"))
            for lvl in abstract.iter(W + "lvl"):
                self.levels[(aid, str(lvl.get(W + "ilvl")))] = _level(lvl)
        for num in root.iter(W + "num"):
            aid_el = num.find(W + "abstractNumId")
            overrides = {}
            for o in num.iter(W + "lvlOverride"):
                start_el = o.find(W + "startOverride")
                if start_el is not None:
                    overrides[str(o.get(W + "ilvl"))] = integer(start_el.get(W + "val"), 1)
                own = o.find(W + "lvl")
                if own is not None:
                    self.levels[(f"num{num.get(W + 'numId')}", str(o.get(W + "ilvl")))] = _level(own)
            self.nums[str(num.get(W + "numId"))] = (str(aid_el.get(W + "val")) if aid_el is not None else "", overrides)

    def item(self, num_id: str, ilvl: str) -> tuple[str, str, str, int] | None:
        """(kind ``bullet``/``ordered``, style, delimiter, the item's number); None: no number."""
        if num_id not in self.nums:
            return None
        abstract, overrides = self.nums[num_id]
        fmt, text, start = self.levels.get((f"num{num_id}", ilvl)) or self.levels.get(
            (abstract, ilvl), ("bullet", "", 1)
        )
        if fmt == "none":
            return None
        count = self.counts.get((num_id, ilvl))
        number = overrides.get(ilvl, start) if count is None else count + 1
        self.counts[(num_id, ilvl)] = number
        for other, level in list(self.counts):  # an item restarts the levels below it
            if other == num_id and integer(level) > integer(ilvl):
                del self.counts[(other, level)]
        if fmt not in NUM_STYLES:
            return ("bullet", "", "", number)
        delim = "two-parens" if text.startswith("(") else ("one-paren" if text.endswith(")") else "period")
        return ("ordered", NUM_STYLES[fmt], delim, number)


def _level(lvl: etree._Element) -> tuple[str, str, int]:
    def val(name: str, default: str) -> str:
        el = lvl.find(W + name)
        return str(el.get(W + "val", default)) if el is not None else default

    return val("numFmt", "decimal"), val("lvlText", ""), integer(val("start", "1"), 1)


def classify(p: etree._Element, index: int, styles: Styles, numbering: Numbering, runs: Runs) -> Para:
    """A paragraph's role: ``meta:title``…, ``skip``, ``spacer``, ``heading``, ``bullet`` or
    ``ordered`` (a new item), ``continue``, ``quote``, ``code``, ``caption``,
    ``table-caption``, ``rule``, ``term``, ``definition``, ``callout-…``, ``bibliography``,
    ``para``."""
    ppr = p.find(W + "pPr")
    sid_el = ppr.find(W + "pStyle") if ppr is not None else None
    sid = str(sid_el.get(W + "val")) if sid_el is not None else None
    name = styles.name(sid)
    lower = name.lower()
    para = Para(index, p, name, "para", pieces=runs.pieces, runs=runs)
    para.bar = ppr is not None and ppr.find(W + "pBdr") is not None
    para.indented = ppr is not None and ppr.find(W + "ind") is not None
    ind = ppr.find(W + "ind") if ppr is not None else None
    if ind is not None:
        left = _left(ind)
        para.start = None if left is None else left - integer(ind.get(W + "hanging"), 0)
    level = _outline_level(ppr, sid, styles)
    heading = re.match(r"^heading (\d)$", lower)
    if lower in META_STYLES:
        para.role = "meta:" + META_STYLES[lower]
    elif FURNITURE.match(name):
        para.role = "skip"
    elif name in ("Callout Spacer", "Section Break"):
        para.role = "spacer"
    elif heading or level is not None:
        para.role, para.depth = "heading", min(6, int(heading.group(1)) if heading else (level or 0) + 1)
    elif CALLOUT.match(name):
        para.role = "callout-" + CALLOUT.match(name).group(1).lower()  # type: ignore[union-attr]
    elif name == "Definition Term":
        para.role = "term"
    elif name == "Definition":
        para.role = "definition"
    elif name == "Definition Continued":  # a definition's blocks after its first (ours)
        para.role = "definition-more"
    elif name == "Bibliography":
        para.role = "bibliography"
    elif lower in ("caption", "image caption", "figure caption"):
        para.role = "caption"
    elif lower == "table caption":
        para.role = "table-caption"
    elif name == "Thematic Break" or _rule(p, ppr, para):
        para.role = "rule"
    elif QUOTES.match(name):
        para.role = "quote"
    elif CODES.search(name):
        para.role = "code"
    if para.role == "quote":  # a quote inside a quote is indented by the quote's indent (ours)
        own, base = _left(ppr.find(W + "ind") if ppr is not None else None), _left(styles.find(sid, f"{W}pPr/{W}ind"))
        para.depth = 1 + round((own - base) / base) if own is not None and base and own > base else 1
        para.quote_indent = base or 0
    found = re.match(r"^List (Bullet|Number|Continue)(?: (\d))?$", name)
    if para.role == "para" and found and found.group(1) == "Continue":
        para.role, para.depth = "continue", int(found.group(2) or 1)
    elif para.role in ("para", "quote"):
        num_pr = ppr.find(W + "numPr") if ppr is not None else None
        if num_pr is None:
            num_pr = styles.find(sid, f"{W}pPr/{W}numPr")
        if num_pr is not None:
            num_id = _val(num_pr, "numId") or _val(styles.find(sid, f"{W}pPr/{W}numPr"), "numId")
            ilvl = _val(num_pr, "ilvl") or "0"
            item = numbering.item(num_id, ilvl) if num_id and num_id != "0" else None
            if item is not None:
                kind, style, delim, number = item
                para.role = kind
                para.depth = int(found.group(2) or 1) if found and found.group(1) != "Continue" else integer(ilvl) + 1
                para.num, para.number = (str(num_id), style, delim), number
            elif num_id and num_id != "0":  # numbered without a number: an item's next paragraph
                para.role, para.depth = "continue", integer(ilvl) + 1
            elif found:
                para.role, para.depth = (
                    ("bullet" if found.group(1) == "Bullet" else "ordered"),
                    int(found.group(2) or 1),
                )
        elif found:
            para.role, para.depth = ("bullet" if found.group(1) == "Bullet" else "ordered"), int(found.group(2) or 1)
    return para


def _left(ind: etree._Element | None) -> int | None:
    """A ``w:ind``'s left (start) indent in twips; None when it sets none."""
    value = None if ind is None else ind.get(W + "left", ind.get(W + "start"))
    return integer(value, 0) if value is not None else None


def _val(el: etree._Element | None, name: str) -> str | None:
    found = el.find(W + name) if el is not None else None
    return str(found.get(W + "val")) if found is not None else None


def _outline_level(ppr: etree._Element | None, sid: str | None, styles: Styles) -> int | None:
    el = ppr.find(W + "outlineLvl") if ppr is not None else None
    if el is None:
        el = styles.find(sid, f"{W}pPr/{W}outlineLvl")
    if el is None:
        return None
    level = integer(el.get(W + "val"), 9)
    return level if level < 9 else None


def _rule(p: etree._Element, ppr: etree._Element | None, para: Para) -> bool:
    """An empty paragraph drawn as a horizontal line (a bottom border, VML's ``o:hr``)."""
    if para.plain or any(not piece.text for piece in para.pieces):
        return False
    hr = any(el.get("{urn:schemas-microsoft-com:office:office}hr") == "t" for el in p.iter())
    return hr or (ppr is not None and ppr.find(f"{W}pBdr/{W}bottom") is not None)


class Builder:
    """Paragraphs in, nested blocks out (:attr:`blocks`)."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        #: open flows: (kind, blocks); kind root, callout-…, definition, references
        self.flows: list[tuple[str, list[Block]]] = [("root", self.blocks)]
        #: open lists of the innermost flow: (depth, list block, numId)
        self.lists: list[tuple[int, Block, str]] = []
        self.last = ""
        #: the file marks a definition's paragraphs after its first ("Definition Continued")
        self.marked = False
        #: the indent of the quotes read so far (twips): what a quote's list or code is in by
        self.quote_indent = 0

    @property
    def flow(self) -> list[Block]:
        return self.flows[-1][1]

    def here(self) -> list[Block]:
        """Where a block goes: the open list item's blocks, else the flow."""
        return self.lists[-1][1].items[-1] if self.lists else self.flow

    def close_flow(self) -> None:
        self.lists = []
        if len(self.flows) > 1:
            self.flows.pop()

    def belongs(self, para: Para) -> bool:
        """Whether ``para`` goes on in the innermost flow (a callout, a definition, a quote)."""
        kind = self.flows[-1][0]
        if kind.startswith("callout-"):
            return para.role == kind or (para.bar and para.role in ("bullet", "ordered", "continue", "code", "quote"))
        if kind == "definition":
            return para.role in ("definition", "definition-more") or (
                para.indented and para.role in ("bullet", "ordered", "continue", "code")
            )
        if kind == "references":
            return para.role == "bibliography"
        if kind.startswith("quote"):  # its paragraphs at its depth or deeper, its lists and code
            if para.role == "quote":
                return max(1, para.depth) >= int(kind[5:])
            if para.role not in ("bullet", "ordered", "continue", "code") or para.start is None:
                return False
            return self.quote_indent > 0 and round(para.start / self.quote_indent) >= int(kind[5:])
        return True

    def add(self, para: Para, block: Block | None = None) -> None:
        """Place one paragraph (``block``: what it became, for a figure or a table)."""
        while len(self.flows) > 1 and not self.belongs(para):
            self.close_flow()
        role = para.role
        if role in ("bullet", "ordered"):
            self.item(para)
        elif role == "continue" and self.lists:
            while len(self.lists) > 1 and self.lists[-1][0] > para.depth:
                self.lists.pop()
            self.here().append(Block("para", para.md))
        elif role.startswith("callout-"):
            if self.flows[-1][0] != role:
                callout = Block("div", attrs=f".{role}")
                self.flow.append(callout)
                self.flows.append((role, callout.children))
                self.lists = []
                title = para.pieces and all("strong" in p.marks for p in para.pieces if p.text and p.md.strip())
                if title:
                    stripped = [docxruns.Piece(p.md, p.marks - {"strong"}, p.mono, p.text) for p in para.pieces]
                    callout.children.append(Block("heading", docxruns.render(stripped).strip(), level=2))
                    self.last = role
                    return
            self.lists = []
            self.flow.append(Block("para", para.md))
        elif role == "term":
            self.lists = []
            entry = Block("para", para.md)
            if self.flows[-1][0] == "definition":
                self.flows.pop()
            parent = self.flow
            if not parent or parent[-1].kind != "deflist" or self.last not in ("definition", "term", "in-definition"):
                parent.append(Block("deflist"))
            parent[-1].children.append(entry)
            parent[-1].definitions.append([])
        elif role == "definition-more" and self.flows[-1][0] == "definition":
            self.lists = []
            self.flow.append(Block("para", para.md))
        elif role in ("definition", "definition-more"):
            # a "Definition" paragraph opens a definition: at once where the file marks a
            # definition's other paragraphs ("Definition Continued", ours), else only after
            # another definition's paragraph (pandoc's and Word's cannot tell them apart)
            if self.flows[-1][0] == "definition" and (self.last == "definition" or self.marked):
                self.flows.pop()
            if self.flows[-1][0] != "definition":
                parent = self.flow
                if not parent or parent[-1].kind != "deflist":
                    parent.append(Block("deflist"))
                    parent[-1].children.append(Block("para", ""))
                    parent[-1].definitions.append([])
                definition: list[Block] = []
                parent[-1].definitions[-1].append(definition)
                self.flows.append(("definition", definition))
            self.lists = []
            self.flow.append(Block("para", para.md))
        elif role == "quote":
            self.lists = []
            self.quote_indent = para.quote_indent or self.quote_indent
            depth = int(self.flows[-1][0][5:]) if self.flows[-1][0].startswith("quote") else 0
            while depth < max(1, para.depth):  # consecutive quoted paragraphs are one quote
                quote = Block("quote")
                self.flow.append(quote)
                depth += 1
                self.flows.append((f"quote{depth}", quote.children))
            self.flow.append(Block("para", para.md))
        elif role == "bibliography":
            if self.flows[-1][0] != "references":
                refs = Block("div", attrs="#refs .references .csl-bib-body")
                self.flow.append(refs)
                self.flows.append(("references", refs.children))
            self.flow.append(Block("para", para.md))
        else:
            self.lists = []
            self.block(para, block)
        in_definition = self.flows[-1][0] == "definition" and role != "definition"
        self.last = "in-definition" if in_definition else role

    def item(self, para: Para) -> None:
        kind, depth = para.role, max(1, para.depth)
        num_id = para.num[0] if para.num else ""
        while self.lists and self.lists[-1][0] > depth:
            self.lists.pop()
        if self.lists and self.lists[-1][0] == depth:
            _, current, open_id = self.lists[-1]
            if current.kind == kind and (kind == "bullet" or open_id == num_id):
                current.items.append([Block("para", para.md)])
                return
            self.lists.pop()
        block = Block(kind, level=para.number if kind == "ordered" else 0)
        if para.num and kind == "ordered":
            block.style, block.delim = para.num[1], para.num[2]
        block.items.append([Block("para", para.md)])
        self.here().append(block)
        self.lists.append((depth, block, num_id))

    def block(self, para: Para, block: Block | None) -> None:
        role, where = para.role, self.flow
        if block is not None:
            where.append(block)
        elif role == "heading":
            while len(self.flows) > 1:
                self.close_flow()
            self.blocks.append(
                Block("heading", para.md, level=para.depth, attrs=f"#{para.ident}" if para.ident else "")
            )
        elif role == "code":
            text = docxruns.plain(para.pieces, lines=True) if para.pieces else ""
            if where and where[-1].kind == "code" and self.last == "code" and not _ours(para):
                where[-1].text += "\n" + text
            else:
                where.append(Block("code", text))
        elif role == "rule":
            where.append(Block("rule"))
        elif para.pieces and len(para.pieces) == 1 and para.pieces[0].md.startswith("$$"):
            where.append(Block("math", para.pieces[0].md))
        else:
            where.append(Block("para", para.md))


def _ours(para: Para) -> bool:
    """A code paragraph of our writer's (one paragraph per block, its lines broken)."""
    return para.style == "Source Code"
