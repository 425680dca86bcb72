"""``source (pandoc)``: pandoc's reading of a source file, a second opinion on our reader.

pandoc (``-f markdown -t json``, the binary of the ``pypandoc-binary`` package, else one on
the PATH) reads each source file's body; its blocks become an outline of the same kinds as
:func:`publish.outline.outline_of`, and the two outlines must have the same units (headings
with their levels, paragraphs, quotes, lists and items, code, figures with alt text, tables
and cells, rules, notes), in the same order, with the same text, once the differences our
dialect declares are applied — all of them listed in :data:`DIALECT`, here and nowhere
else. Without pandoc the check is not checked, never passed.
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
import html
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from publish import citations, crossref, fancylists, layout, mathmacros, mathtex, rawformats, transforms, walk
from publish import model as m
from publish import outline as ol
from publish import text as txt
from publish.check.pandocrun import pandoc as pandoc
from publish.check.pandocrun import read, without_refs
from publish.check.report import Result
from publish.check.source import SourceText, declared_result, reader_warnings, source_texts, words
from publish.options import Options

Item = ol.Item

#: The differences between pandoc's Markdown and ours that the comparison allows: what each
#: is, and where it is applied. A difference not listed here is reported.
DIALECT: dict[str, str] = {
    "quotes": "Quotation marks and apostrophes are left out of both texts (code aside, but for code in a "
    "table's cell, compared with the cell's text): pandoc's smart quotes are Quoted nodes, ours are "
    "characters in the document language's style (“ ”, « », 「 」).",
    "cjk spacing": "Our typography puts a quarter-em between Han or kana and Latin letters or digits; "
    "whitespace there is left out of both texts.",
    "structure": "Texts and table cells' spans are compared in reading order, not blocks: a raw HTML table "
    "we read as a table "
    "and pandoc as paragraphs, an alert we read as a callout and pandoc as a quote, agree when their words "
    "do; a callout's title we give is left out, and alert markers and task boxes are not words.",
    "typographer": "Our typography is pandoc's smart extension: -- and --- as dashes, ... as an ellipsis; "
    "(c), (tm) and +- stay as written in both.",
    "math": "A formula is compared as the text it shows (publish.mathtex.math_text), without its "
    "number; an equation's label {#eq-x} after $$…$$ is its id (pandoc keeps it as text); macros defined "
    "in math are expanded in the formulas after (MathJax's reading; pandoc expands those of raw TeX); a formula "
    "we refuse (\\label, unknown commands) is its TeX as written, like our code; raw TeX as written.",
    "raw html": "pandoc keeps raw HTML as raw nodes; we map <sup>, <sub> and <br> into the model and "
    "drop comments: raw HTML is text on pandoc's side only outside its tags, comments and <pre>, <script>, "
    "<style> (a <pre> block alone is code on both sides); raw blocks and spans of other formats "
    "({=latex}..., a paragraph of TeX commands only) are no text on either side, but a math "
    "environment (\\begin{equation}) is display math on both (pandoc's HTML writer's reading).",
    "images": "An image inside a paragraph is not part of the paragraph's text (its alt text is the "
    "image's), on both sides.",
    "plain": "pandoc's Plain (a tight list item's text) is our paragraph.",
    "divs": "A pandoc Div is its blocks; a callout's opening heading is its title (Quarto's reading).",
    "cells": "A Quarto or R Markdown cell (```{python}, ```{r label}) is code on both sides: pandoc is given "
    "it as ```python, as Quarto and knitr give it (pandoc itself reads no fence there). So is a fence "
    "whose info string has words after its language (```js twoslash, VitePress's): CommonMark's code, "
    "given to pandoc as ```js.",
    "title": "A level-1 heading that our reader made the document's title (and took out of the "
    "blocks) is not compared as a heading.",
    "citations": "A document with a bibliography is read by pandoc with its own --citeproc and the same "
    "front matter (bibliography, references, csl, nocite, lang…): citations and the bibliography are compared "
    "as pandoc prints them; a book's chapters are read one by one, so its bibliography (at the book's end) is "
    "left out of both sides.",
    "cross-references": "pandoc reads @fig-x, [-@tbl-y] as citations: each is compared as the text we make "
    "of it (Figure 1, 2); our captions' labels and section numbers are left out (pandoc has none).",
    "book": "In a book, each chapter file is read on its own; its front matter title, or its "
    "opening # heading, is the chapter's level-1 heading, and a chapter that uses # for its "
    "sections has them one level down (publish.book).",
}

#: pandoc's ListNumberStyle and ListNumberDelim → ours (its defaults, ``#.``, are 1.).
_STYLES = {"LowerAlpha": "lower-alpha", "UpperAlpha": "upper-alpha", "LowerRoman": "lower-roman"}
_STYLES |= {"UpperRoman": "upper-roman"}
_DELIMS = {"OneParen": "one-paren", "TwoParens": "two-parens"}
_QUOTES = dict.fromkeys(map(ord, "\"'“”‘’„‚«»‹›「」『』`"))


# ---------------------------------------------------------------- pandoc's AST → an outline


class _Outline:
    def __init__(self, cite: Callable[[m.Cite], str | None] = lambda cite: None) -> None:
        self.notes: list[tuple[Any, ...]] = []
        self.cite = cite  # a cross-reference's text (DIALECT "cross-references")
        self.macros = mathmacros.Macros()  # TeX macros defined in math (DIALECT "math")

    def blocks(self, blocks: Iterable[dict[str, Any]]) -> Iterator[Item]:
        for block in blocks:
            kind: str = block["t"]
            c: Any = block.get("c")
            if kind == "Header":
                yield Item("heading", self.text(c[2]), c[0])
            elif kind in ("Para", "Plain") and (cell := _refused(c, self.macros.defined)) is not None:
                yield Item("code", cell)
            elif kind in ("Para", "Plain"):
                yield Item("para", self.text(c))
            elif kind == "BlockQuote":
                yield Item("quote", children=tuple(self.blocks(c)))
            elif kind == "BulletList":
                yield Item("bullet-list", children=tuple(Item("item", children=tuple(self.blocks(i))) for i in c))
            elif kind == "OrderedList":
                items = tuple(Item("item", children=tuple(self.blocks(i))) for i in c[1])
                style, delim = _STYLES.get(c[0][1]["t"], "decimal"), _DELIMS.get(c[0][2]["t"], "period")
                numbering = fancylists.numbering(style, delim)  # (@) examples: decimal numbers
                yield Item("ordered-list", numbering, level=c[0][0], children=items)
            elif kind == "DefinitionList":
                yield Item("definition-list", children=tuple(self.definitions(c)))
            elif kind == "CodeBlock":
                yield Item("code", txt.squash(c[1]))
            elif kind == "HorizontalRule":
                yield Item("rule")
            elif kind == "Figure":
                yield self.figure(c)
            elif kind == "Table":
                yield self.table(c)
            elif kind == "Div":
                inner = c[1]
                if any(k.startswith("callout-") for k in c[0][1]) and inner and inner[0]["t"] == "Header":
                    inner = inner[1:]  # Quarto: a callout's opening heading is its title
                yield from self.blocks(inner)
            elif kind == "RawBlock":
                if span := _raw_span(c):  # a raw HTML table's cell that spans
                    yield Item("span", span)
                    continue
                if c[0] in ("tex", "latex") and rawformats.is_math_environment(c[1]):  # ours: display math
                    yield Item("para", self.text([{"t": "Math", "c": [{"t": "DisplayMath"}, c[1]]}]))
                    continue
                if c[0].lower() in rawformats.HTML_FORMATS and (pre := _PRE.match(c[1])):  # ours: a code block
                    yield Item("code", txt.squash(html.unescape(_TAG.sub("", pre[1]))))
                    continue
                # raw HTML: a paragraph per block of its text
                for piece in _BLOCK_TAG.split(c[1]):
                    text = self.text([{"t": "Str", "c": _raw_html_text(c[0], piece)}])
                    if text:
                        yield Item("para", text)
            elif kind == "LineBlock":  # ours: a paragraph of lines
                yield Item("para", self.text([i for line in c for i in (*line, {"t": "LineBreak"})][:-1]))
            else:  # what our dialect reads otherwise shows as a difference
                yield Item(kind.lower(), self.text(_inlines_of(c)))

    def definitions(self, c: list[Any]) -> Iterator[Item]:
        for term, definitions in c:
            yield Item("term", self.text(term))
            for definition in definitions:
                yield Item("definition", children=tuple(self.blocks(definition)))

    def figure(self, c: list[Any]) -> Item:
        caption = self.text(b for block in c[1][1] for b in block.get("c", []))
        images = [i for block in c[2] for i in (block.get("c") or []) if isinstance(i, dict) and i.get("t") == "Image"]
        # the alt text a figure's caption gives keeps a formula's TeX (ours is a string)
        alt = self.text(_tex_math(images[0]["c"][1])) if images else ""
        return Item("figure", caption, children=(Item("alt", alt),))

    def table(self, c: list[Any]) -> Item:
        """pandoc's table: its head rows, each body's intermediate head and rows, then the
        foot's rows (our model sets a grid table's foot as its last rows)."""
        caption = self.text(i for block in c[1][1] for i in block.get("c", []))
        head = [Item("head", children=tuple(self.cell(cell) for cell in row[1])) for row in c[3][1]]
        rows = [row for body in c[4] for row in (*body[2], *body[3])] + list(c[5][1])
        body = [Item("row", children=tuple(self.cell(cell) for cell in row[1])) for row in rows]
        return Item("table", caption, children=(*head, *body))

    def cell(self, cell: list[Any]) -> Item:
        rowspan, colspan = cell[2], cell[3]
        span = "" if rowspan == colspan == 1 else f"colspan={colspan} rowspan={rowspan}"
        # as compared on our side: a cell's text whole, its code's quotes left out too
        return Item(ol.cell_kind(span), _normal(" ".join(ol.text_units(tuple(self.blocks(cell[4]))))))

    def text(self, inlines: Iterable[dict[str, Any]]) -> str:
        return _normal(self.inline_text(inlines))

    def inline_text(self, inlines: Iterable[dict[str, Any]]) -> str:
        out: list[str] = []
        for node in inlines:
            kind: str = node["t"]
            c: Any = node.get("c")
            if kind == "Str":
                out.append(c)
            elif kind in ("Space", "SoftBreak", "LineBreak"):
                out.append(" ")
            elif kind in ("Emph", "Strong", "Underline", "Strikeout", "Superscript", "Subscript", "SmallCaps"):
                out.append(self.inline_text(c))
            elif kind == "Cite":
                out.append(self.cite(_cite(c[0], self.inline_text)) or self.inline_text(c[1]))
            elif kind in ("Span", "Link", "Quoted"):
                out.append(self.inline_text(c[1]))
            elif kind == "Code":
                out.append(c[1])
            elif kind == "Math" and (tex := self.macros.formula(c[1].strip())):  # our reader's expansion
                out.append(_MATH + _formula(tex, c[0]["t"] == "DisplayMath"))
            elif kind == "RawInline" and c[0] in ("tex", "latex") and rawformats.is_math_environment(c[1]):
                out.append(_MATH + _formula(c[1].strip(), True))  # display math, as pandoc's HTML writer sets it
            elif kind == "RawInline":
                out.append(c[1] if c[0] == "tex" else _raw_html_text(c[0], c[1]))
            elif kind == "Note":
                self.notes.append(tuple(self.blocks(c)))
        return _LABEL.sub(r"\1", "".join(out)).replace(_MATH, "")


_MATH = "\ue001"
#: An equation's label after its formula: the id of our Math, text to pandoc.
_LABEL = re.compile(_MATH + r"(\w*)\s*\{#eq[-:][\w:.-]+\}")


#: A Quarto or R Markdown cell's fence (```{python}, ```{r label, echo=FALSE}): not pandoc's.
_QUARTO_CELL = re.compile(r"^([ \t>]*(?:`{3,}|~{3,})[ \t]*)\{([A-Za-z][\w-]*)[^{}\n]*\}[ \t]*$", re.M)
#: A fence whose info string goes on after its language (```js twoslash): not pandoc's either.
_WORDY_FENCE = re.compile(r"^([ \t>]*(?:`{3,}|~{3,})[ \t]*)([^\s{`]+)[ \t]+[^{\s`][^`\n]*$")


def _cells_as_fences(body: str) -> str:
    """``body`` with each cell's opening fence (outside another fence), and each whose info
    string goes on after the language, as a plain one."""
    lines, fence = body.split("\n"), ""
    for n, line in enumerate(lines):
        opened = re.match(r"^[ \t>]*(`{3,}|~{3,})", line)
        if fence:
            fence = "" if opened and opened[1].startswith(fence) and not line[opened.end() :].strip() else fence
        elif opened:
            fence = opened[1]
            lines[n] = _WORDY_FENCE.sub(r"\1\2", _QUARTO_CELL.sub(r"\1\2", line))
    return "\n".join(lines)


def _refused(inlines: list[Any], macros: dict[str, mathmacros.Macro]) -> str | None:
    """A paragraph of one display formula our reader refuses (``\\label``…): the code block
    it makes of it; None for any other paragraph."""
    if len(inlines) != 1 or inlines[0]["t"] not in ("Math", "RawInline"):
        return None
    (node,) = inlines
    if (node["t"] == "Math" and node["c"][0]["t"] == "DisplayMath") or rawformats.is_math_environment(node["c"][1]):
        tex = mathmacros.expand(node["c"][1].strip(), macros)
        return txt.squash(tex) if mathtex.problem(tex, True) else None
    return None


def _tex_math(inlines: list[Any]) -> list[Any]:
    """Inlines with each formula as its TeX (a Str), as a caption made alt text reads."""
    return [
        {"t": "Str", "c": i["c"][1].strip()} if isinstance(i, dict) and i.get("t") == "Math" else i for i in inlines
    ]


def _formula(tex: str, display: bool) -> str:
    """pandoc's Math as compared: the text it shows; a formula our reader refuses as written
    (we keep it as code)."""
    return tex if mathtex.problem(tex, display) else mathtex.text_of(m.Math(tex, display))


def _cite(citations: list[dict[str, Any]], text: Callable[[Any], str]) -> m.Cite:
    modes = {"AuthorInText": "author-in-text", "SuppressAuthor": "suppress-author"}
    return m.Cite(
        tuple(
            m.CiteItem(
                c["citationId"],
                modes.get(c["citationMode"]["t"], "normal"),
                (m.Text(text(c["citationPrefix"])),) if c["citationPrefix"] else (),
                (m.Text(text(c["citationSuffix"])),) if c["citationSuffix"] else (),
            )
            for c in citations
        )
    )


_VERBATIM = re.compile(r"<(pre|script|style|textarea)\b.*?</\1\s*>|<!--.*?-->", re.S | re.I)
_TAG = re.compile(r"<[^<>]*>")
_PRE = re.compile(r"^\s*<pre\b[^<>]*>(.*)</pre\s*>\s*$", re.S | re.I)
_BLOCK_TAG = re.compile(
    r"</?(?:p|div|h[1-6]|li|ul|ol|blockquote|table|tr|td|th|section|figure|dl|dt|dd)\b[^<>]*>", re.I
)


def _raw_html_text(fmt: str, raw: str) -> str:
    """The text of raw HTML (a ``{=html}`` block or span, which we read into the model):
    its tags, comments and verbatim elements left out; none for another format."""
    if fmt.lower() not in rawformats.HTML_FORMATS:
        return ""
    return html.unescape(_TAG.sub("", _VERBATIM.sub(" ", raw)))


def _inlines_of(c: Any) -> Iterator[dict[str, Any]]:
    """Every inline under a block pandoc has and we do not (its text, in order)."""
    if isinstance(c, dict):
        if c.get("t") in ("Str", "Space", "SoftBreak", "LineBreak", "Code"):
            yield c
        else:
            yield from _inlines_of(c.get("c"))
    elif isinstance(c, list):
        for x in c:
            yield from _inlines_of(x)


_CJK = "\u2e80-\u9fff\uf900-\ufaff\uac00-\ud7ff"
_CJK_GAP = re.compile(rf"(?<=[{_CJK}]) (?=\w)|(?<=\w) (?=[{_CJK}])")


def _normal(text: str) -> str:
    """A text as compared: quotes left out, whitespace folded, none between Han/kana/Hangul
    and a letter or digit (see :data:`DIALECT`)."""
    return _CJK_GAP.sub("", txt.squash(text.translate(_QUOTES)))


def _ours(items: Iterable[Item]) -> tuple[Item, ...]:
    """Our outline, its texts as compared (code as written)."""
    return tuple(
        Item(i.kind, i.text if i.kind == "code" else _normal(i.text), i.level, _ours(i.children)) for i in items
    )


# ---------------------------------------------------------------- the check


def pandoc_outline(
    exe: str,
    text: SourceText,
    reader: Callable[[str, str], dict[str, Any]] = read,
    cite: Callable[[m.Cite], str | None] = lambda cite: None,
) -> ol.Outline:
    """One file's outline as pandoc reads it (blocks, then notes); ``cite`` gives the text
    of a citation we resolve (a cross-reference)."""
    body = "\n" * text.offset + text.text  # front matter left out, line numbers kept
    body = _cells_as_fences(body)  # a cell's fence as the code fence Quarto makes of it (DIALECT "cells")
    walker = _Outline(cite)
    blocks = list(walker.blocks(reader(exe, body)["blocks"]))
    if text.chapter:
        if text.front.get("title"):
            blocks.insert(0, Item("heading", _normal(str(text.front["title"])), 1))
        if any(b.kind == "heading" and b.level == 1 for b in blocks[1:]):
            blocks = [blocks[0], *(_deeper(b) for b in blocks[1:])]
    notes = [Item("note", level=0, children=n) for n in walker.notes]
    return (*blocks, *notes)


def _deeper(item: Item) -> Item:
    return Item(item.kind, item.text, item.level + 1, item.children) if item.kind == "heading" else item


def _unnumbered(node: walk.Node) -> walk.Node:
    """Equations without their numbers (pandoc has none)."""
    return dataclasses.replace(node, number="") if isinstance(node, m.Math) else node


def check_pandoc(doc: m.Document, source: layout.Source, options: Options) -> Result:
    exe = pandoc()
    texts = source_texts(source, options)
    blocks: list[Item] = []
    notes: list[Item] = []
    targets = crossref.targets_of(doc)
    citeproc = citations.pandoc_metadata(doc)
    reader = functools.partial(read, citeproc=citeproc)
    if doc.is_book and citeproc is not None:  # DIALECT "citations": a book's bibliography
        doc = dataclasses.replace(
            doc, blocks=without_refs(doc.blocks, str(citeproc.pop("reference-section-title", "")))
        )
    for text in texts:
        for item in pandoc_outline(exe, text, reader, cite=lambda c: crossref.cite_text(c, targets, doc.meta.lang)):
            (notes if item.kind == "note" else blocks).append(item)
    theirs = (*blocks, *(Item("note", level=n, children=i.children) for n, i in enumerate(notes, 1)))
    ours = _ours(ol.outline_of(transforms.rewrite(doc, _unnumbered), labels=False))
    first = theirs[0] if theirs else Item("")
    made_title = first.kind == "heading" and first.level == 1 and first.text == _normal(doc.meta.title)
    if made_title and (not ours or ours[0] != first):
        theirs = theirs[1:]  # the title our reader took out of the blocks (DIALECT "title")
    a, b = _texts(ol.render(ours)), _texts(ol.render(theirs))
    problems = []
    if a != b:
        locate = _locator(texts)
        matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
        for op, i1, i2, j1, j2 in matcher.get_opcodes():
            if op == "equal":
                continue
            where = locate((a[i1:i2] or b[j1:j2])[0])
            ours_lines = "; ".join(line.strip() for line in a[i1:i2]) or "nothing"
            theirs_lines = "; ".join(line.strip() for line in b[j1:j2]) or "nothing"
            problems.append(f"{where}: publish reads {_cut(ours_lines)!r}, pandoc reads {_cut(theirs_lines)!r}")
    return declared_result("pandoc", problems, reader_warnings(source, options) if problems else {})


_MARKS = re.compile(r"\[![A-Za-z]+\]|[\u2610\u2612]|^\[[ x]\]$")


def _texts(lines: list[str]) -> list[str]:
    """The outline's lines as their texts, in order: what is compared (DIALECT "structure").
    Lines without text (a table's rows, a list's items) and the titles our reader gives
    callouts are left out; alert markers and task boxes are not words; a table cell that
    spans rows or columns keeps its span."""
    out = []
    for line in lines:
        kind, colon, text = line.strip().partition(": ")
        if kind.startswith("cell ") or kind == "span":  # a cell's span: ours, in pandoc's table or raw HTML
            out.append(f"span: {text if kind == 'span' else kind[5:]}")
        if not colon or kind.startswith("callout-") or kind == "span":
            continue
        text = _MARKS.sub("", text).strip()
        if text:
            if kind.split()[0] == "ordered-list":  # a list numbered a), (iv)...: its numbering and start
                out.append(f"{kind}: {text}")
            else:
                out.append(f"{kind.split()[0]}: {text}" if kind.split()[0] in ("code", "heading") else f"text: {text}")
    return out


_CELL = re.compile(r"<t[dh]\b[^>]*>", re.I)
_SPAN = re.compile(r"\b(colspan|rowspan)\s*=\s*[\"']?\s*(\d+)", re.I)


def _raw_span(c: list[Any]) -> str:
    """The span of a raw HTML cell's start tag (pandoc keeps a raw table's tags as raw
    blocks and reads its cells' text), as the outline writes it; empty for none."""
    if c[0] != "html" or not _CELL.match(c[1].strip()):
        return ""
    found = {k.lower(): min(int(v), 1000) or 1 for k, v in _SPAN.findall(c[1])}
    colspan, rowspan = found.get("colspan", 1), found.get("rowspan", 1)
    return "" if colspan == rowspan == 1 else f"colspan={colspan} rowspan={rowspan}"


def _cut(text: str, n: int = 160) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _locator(texts: list[SourceText]) -> Callable[[str], str]:
    """``file:line`` of the first source line that holds the words of an outline line: the
    source's lines and their words read once, for every difference of the check."""
    lines = [(t.path, n, source) for t in texts for n, source in enumerate(t.text.split("\n"), t.offset + 1)]
    as_words = [set(words(source)) for _, _, source in lines]
    anywhere = str(texts[0].path) if len(texts) == 1 else ", ".join(str(t.path) for t in texts)

    def where(line: str) -> str:
        wanted = words(line.split(":", 1)[1]) if ":" in line else []
        # the line with the unit's first words (a table's: its first two…), as words, else as
        # parts of words (markup may join them)
        for whole in (True, False) if wanted else ():
            for count in (3, 2, 1):
                for (path, number, source_line), known in zip(lines, as_words, strict=True):
                    if all((w in known) if whole else (w in source_line) for w in wanted[:count]):
                        return f"{path}:{number}"
        return anywhere

    return where
