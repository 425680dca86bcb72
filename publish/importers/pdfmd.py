"""What a PDF importer found, as blocks and runs of text, and the one emitter that writes them
in our Markdown dialect.

Both roads of :mod:`publish.importers.pdf` (the structure tree of a tagged PDF, the layout of
an untagged one) build the same small tree: :class:`Run`s of text with their marks (emphasis,
strong, code, super/subscript), link and language, inside :class:`Block`s. :func:`markdown`
writes it; text is escaped in one place, :func:`escape`, so that whatever a manuscript's prose
holds (``*``, ``_``, ``[``, ``$``, a leading ``#`` or ``1.``) reads back as the same text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

#: Marks a run may carry, outermost first, with their Markdown delimiters.
MARKS: dict[str, tuple[str, str]] = {
    "strong": ("**", "**"),
    "em": ("*", "*"),
    "sup": ("^", "^"),
    "sub": ("~", "~"),
    "smallcaps": ("[", "]{.smallcaps}"),
}


@dataclass(frozen=True)
class Run:
    """Text with its marks (keys of :data:`MARKS`, or ``code``), its link target, its
    language; ``note`` a note call (the run's text is left out); ``br`` a hard line break."""

    text: str
    marks: frozenset[str] = frozenset()
    link: str = ""
    lang: str = ""
    note: int = 0
    br: bool = False
    #: An image (its text the alt text), or a formula (its text the TeX), inline or display.
    image: str = ""
    math: bool = False
    display: bool = False


@dataclass
class Block:
    """``kind``: heading (``level``), para, quote, list (``ordered``, ``start``, ``style``,
    ``delim``; ``items`` each a list of blocks), code (``text``), figure (``src``, ``alt``,
    ``runs`` the caption), table (``runs`` the caption, ``rows`` of :class:`Cell`, the first
    ``head`` rows the header), rule."""

    kind: str
    runs: list[Run] = field(default_factory=list)
    level: int = 0
    children: list[Block] = field(default_factory=list)
    items: list[list[Block]] = field(default_factory=list)
    ordered: bool = False
    start: int = 1
    style: str = ""
    delim: str = ""
    text: str = ""
    src: str = ""
    alt: str = ""
    rows: list[list[Cell]] = field(default_factory=list)
    head: int = 0
    ident: str = ""
    #: Where the block starts and ends: (page, top, bottom) of its first and last glyph.
    pos: tuple[int, float, float] | None = None
    #: How far the block's first line (an item: its marker; ``inner``: its text) stands in
    #: from the text's left edge, in points (the untagged road's nesting).
    indent: float = 0.0
    inner: float = 0.0
    centred: bool = False
    #: The room left at the end of its last line, and the width of its first word (with a
    #: space): a paragraph whose next part's first word did not fit was cut by a page break.
    room: float = 1e9
    lead: float = 0.0


@dataclass
class Cell:
    runs: list[Run]
    colspan: int = 1
    rowspan: int = 1


# ---------------------------------------------------------------- escaping, in one place

#: ASCII punctuation that means something to our reader wherever it stands (emphasis, links,
#: spans and attributes, math, sub/superscript, raw HTML, entities, citations, smart quotes,
#: tables). A backslash before ASCII punctuation is always the character itself.
_SPECIAL = re.compile(r"""([\\`*_\[\]{}<>$~^|&@"'])""")
#: Sequences the typographer would turn into dashes and ellipses.
_DASHES = re.compile(r"-(?=-)")
_DOTS = re.compile(r"\.(?=\.\.)")
#: What would open a block at the start of a line: a heading, a quote, a list marker
#: (bullet, ``1.``, ``a)``, ``(iv)``, ``#.``), a definition, a fenced div, a thematic break.
_LEADING = re.compile(r"^(\s*)([#>+\-=:]|\(?[0-9A-Za-z]{1,9}(?=[.)](\s|$))|\(?#(?=[.)]))")


def cut_runs(runs: Sequence[Run], cut: int) -> list[Run]:
    """The runs without their first ``cut`` characters."""
    out: list[Run] = []
    for run in runs:
        if cut <= 0:
            out.append(run)
        elif len(run.text) <= cut:
            cut -= len(run.text)
        else:
            out.append(Run(run.text[cut:], run.marks, run.link, run.lang))
            cut = 0
    return out


def every(blocks: Sequence[Block]) -> list[Block]:
    """The blocks and all the blocks inside them (children, list items), in reading order."""
    found: list[Block] = []
    for block in blocks:
        found.append(block)
        found += every(block.children)
        for item in block.items:
            found += every(item)
    return found


def escape(text: str, at_line_start: bool = False) -> str:
    """``text`` as Markdown that reads back as exactly ``text`` (whitespace folded)."""
    text = re.sub(r"\s+", " ", text)
    text = _SPECIAL.sub(r"\\\1", text)
    text = _DASHES.sub(r"\\-", text)
    text = _DOTS.sub(r"\\.", text)
    if at_line_start:
        text = text.lstrip()
        found = _LEADING.match(text)
        if found:
            end = found.end()
            if found.group(2) in "#>+-=:":
                text = text[: found.start(2)] + "\\" + text[found.start(2) :]
            elif end < len(text) and text[end] in ".)":
                text = text[:end] + "\\" + text[end:]
    return text


def _code_span(text: str) -> str:
    text = re.sub(r"\s+", " ", text)
    longest = max((len(x) for x in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or (text.startswith(" ") and text.strip()) else ""
    return f"{fence}{pad}{text}{pad}{fence}"


# ---------------------------------------------------------------- inlines


def tidy(runs: Iterable[Run]) -> list[Run]:
    """Runs merged where they carry the same marks, link and language; empty runs left out."""
    out: list[Run] = []
    for run in runs:
        if not run.text and not (run.note or run.br or run.image):
            continue
        if run.image or run.math:
            out.append(run)
            continue
        last = out[-1] if out else None
        if (
            last is not None
            and not (last.note or run.note or last.br or run.br or last.image or last.math)
            and (last.marks, last.link, last.lang) == (run.marks, run.link, run.lang)
        ):
            out[-1] = replace(last, text=last.text + run.text)
        else:
            out.append(run)
    return out


def _marked(run: Run) -> str:
    """One run: its text escaped, wrapped in its marks (spaces kept outside the delimiters)."""
    if run.note:
        return f"[^{run.note}]"
    if run.br:
        return "\\\n"
    if run.image:
        return f"![{escape(run.text)}](<{run.image}>)"
    if run.math:
        tex = " ".join(run.text.split())
        return f"$${tex}$$" if run.display else f"${tex}$"
    text = re.sub(r"\s+", " ", run.text)
    core = text.strip()
    if not core:
        return text
    lead = " " if text.startswith(" ") else ""
    trail = " " if text.endswith(" ") else ""
    if "code" in run.marks:
        body = _code_span(core)
    else:
        body = escape(core)
        if "sup" in run.marks or "sub" in run.marks:
            body = body.replace(" ", "\\ ")  # a space would end ^sup^ and ~sub~
        for mark in MARKS:
            if mark in run.marks:
                opening, closing = MARKS[mark]
                body = f"{opening}{body}{closing}"
    return f"{lead}{body}{trail}"


def inlines(runs: Sequence[Run]) -> str:
    """The Markdown of some runs, on one line (a hard break excepted): links and language
    spans around the runs that share them."""
    runs = tidy(runs)
    out: list[str] = []
    index = 0
    while index < len(runs):
        run = runs[index]
        group = [run]
        while index + len(group) < len(runs):
            nxt = runs[index + len(group)]
            if (
                (nxt.link, nxt.lang) != (run.link, run.lang)
                or not (run.link or run.lang)
                or nxt.note
                or nxt.br
                or nxt.math
            ):
                break
            group.append(nxt)
        index += len(group)
        inner = "".join(_marked(r) for r in group)
        if not (run.link or run.lang) or run.note or run.br or not inner.strip():
            out.append(inner)
            continue
        lead = " " if inner.startswith(" ") else ""
        trail = " " if inner.endswith(" ") else ""
        inner = inner.strip()
        if run.lang and run.link:
            inner = f"[{inner}]{{lang={run.lang}}}"
        if run.link:
            out.append(f"{lead}[{inner}](<{run.link}>){trail}")
        else:
            out.append(f"{lead}[{inner}]{{lang={run.lang}}}{trail}")
    text = "".join(out).strip()
    first = text[:1]
    if first and first not in "*^~[`\\":
        text = escape_start(text)
    return text


def escape_start(text: str) -> str:
    """An already escaped line whose start would open a block, with that start escaped."""
    found = _LEADING.match(text)
    if not found:
        return text
    if found.group(2) in "#>+-=:":
        return text[: found.start(2)] + "\\" + text[found.start(2) :]
    end = found.end()
    if end < len(text) and text[end] in ".)":
        return text[:end] + "\\" + text[end:]
    return text


# ---------------------------------------------------------------- blocks


def markdown(blocks: Sequence[Block], notes: dict[int, list[Block]] | None = None) -> str:
    """The body: the blocks, then each note's definition."""
    parts = [_block(b) for b in blocks]
    for number, note in sorted((notes or {}).items()):
        inner = [_block(b) for b in note] or [""]
        first, *rest = inner
        text = f"[^{number}]: {first}"
        for more in rest:
            text += "\n\n" + _indent(more, "    ")
        parts.append(text)
    return "\n\n".join(p for p in parts if p.strip()) + "\n"


def _indent(text: str, pad: str, first: str | None = None) -> str:
    lines = text.split("\n")
    head = (first if first is not None else pad) + lines[0]
    return "\n".join([head] + [(pad + line) if line.strip() else "" for line in lines[1:]])


def _block(block: Block) -> str:
    kind = block.kind
    if kind == "heading":
        text = inlines(block.runs)
        ident = f" {{#{block.ident}}}" if block.ident else ""
        return f"{'#' * max(1, min(6, block.level))} {text}{ident}"
    if kind == "para":
        text = inlines(block.runs)
        return f"{text} {{#{block.ident}}}" if block.ident else text
    if kind == "quote":
        inner = "\n\n".join(_block(b) for b in block.children) or ""
        return "\n".join(f"> {line}" if line else ">" for line in inner.split("\n"))
    if kind == "list":
        return _list(block)
    if kind == "deflist":
        return _definitions(block)
    if kind == "details":  # raw HTML: our dialect's one form of it (the summary is text)
        import html

        summary = html.escape(" ".join("".join(r.text for r in block.runs).split()))
        inner = "\n\n".join(_block(b) for b in block.children)
        return f"<details>\n<summary>{summary}</summary>\n\n{inner}\n\n</details>"
    if kind == "references":
        entries = "\n\n".join(_block(b) for b in block.children)
        return f"::: {{#{block.ident or 'refs'} .references}}\n{entries}\n:::"
    if kind == "entry":
        return f"::: {{#{block.ident} .csl-entry}}\n{inlines(block.runs)}\n:::"
    if kind == "callout":
        inner = "\n\n".join(_block(b) for b in block.children)
        title = f"## {inlines(block.runs)}\n\n" if block.runs else ""
        return f"::: {{.{block.text}}}\n{title}{inner}\n:::"
    if kind == "code":
        longest = max((len(x) for x in re.findall(r"`{3,}", block.text)), default=2)
        fence = "`" * (longest + 1)
        return f"{fence}\n{block.text.rstrip(chr(10))}\n{fence}"
    if kind == "figure":
        caption = inlines(block.runs) if block.runs else escape(block.alt)
        ident = f"{{#{block.ident}}}" if block.ident else ""
        return f"![{caption}](<{block.src}>){ident}"
    if kind == "table":
        from publish.importers import pdfmdtables

        return pdfmdtables.table(block)
    if kind == "rule":
        return "* * *"
    return inlines(block.runs)


def _list(block: Block) -> str:
    out: list[str] = []
    from publish.outline import TASK_BOX_TEXT

    for number, item in enumerate(block.items, block.start):
        marker = _marker(block, number)
        if item and item[0].kind == "para" and item[0].runs and item[0].runs[0].text.lstrip()[:1] in TASK_BOX_TEXT:
            first = item[0].runs[0]
            box = first.text.lstrip()[0]
            rest = first.text.lstrip()[1:].lstrip()
            item = [Block("para", [replace(first, text=rest), *item[0].runs[1:]]), *item[1:]]
            marker += TASK_BOX_TEXT[box] + " "
        pad = " " * len(marker)
        inner = "\n\n".join(_block(b) for b in item) or ""
        if not inner:
            out.append(marker.rstrip())
            continue
        out.append(_indent(inner, pad, marker))
    loose = any(len(item) > 1 for item in block.items)
    return ("\n\n" if loose else "\n").join(out)


def _definitions(block: Block) -> str:
    out: list[str] = []
    for entry in block.items:
        term, *defs = entry
        parts = [inlines(term.runs)]
        for definition in defs:
            inner = "\n\n".join(_block(b) for b in definition.children) or ""
            parts.append(_indent(inner, "    ", ":   "))
        out.append("\n\n".join(parts))
    return "\n\n".join(out)


def _marker(block: Block, number: int) -> str:
    if not block.ordered:
        return "- "
    from publish import fancylists

    if (block.style and block.style not in ("decimal", "default")) or block.delim not in ("", "period"):
        label = fancylists.label(block.style or "decimal", block.delim or "period", number)
        # pandoc: a capital letter (or roman numeral) and a period take two spaces after them
        return f"{label}  " if block.style.startswith("upper") and block.delim in ("", "period") else f"{label} "
    return f"{number}. "
