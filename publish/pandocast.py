"""The model's inlines in pandoc's JSON AST and back: what :mod:`publish.citations` sends
pandoc's citeproc (a citation's prefix and suffix) and reads from it (the texts it prints).

Only what a citation or a bibliography entry holds is mapped. From pandoc: ``Str``,
``Space``, ``SoftBreak`` and ``Quoted`` become text (the quotation marks of the document's
language), ``Emph``, ``Strong``, ``Underline``, ``Strikeout``, ``Superscript``,
``Subscript``, ``Code``, ``Math``, ``Link`` and ``Note`` their nodes; ``SmallCaps`` a Span
of class ``smallcaps``; a plain ``Span`` (citeproc's ``nocase`` and its grouping) is its
content, one with an id or a language keeps them; ``RawInline`` and ``Image`` are dropped.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from publish import langs
from publish import model as m
from publish import text as txt

Json = dict[str, Any]
#: The model's inline wrappers and pandoc's names for them.
_WRAPPERS: dict[type, str] = {
    m.Emphasis: "Emph",
    m.Strong: "Strong",
    m.Superscript: "Superscript",
    m.Subscript: "Subscript",
    m.Strikeout: "Strikeout",
    m.Underline: "Underline",
}
_UNWRAPPERS: dict[str, Any] = {name: kind for kind, name in _WRAPPERS.items()}


def to_pandoc(nodes: Iterable[m.Inline]) -> list[Json]:
    """Model inlines as pandoc's (words and spaces as ``Str`` and ``Space``)."""
    out: list[Json] = []
    for node in nodes:
        match node:
            case m.Text(text=text):
                for n, word in enumerate(text.split(" ")):
                    if n:
                        out.append({"t": "Space"})
                    if word:
                        out.append({"t": "Str", "c": word})
            case m.Emphasis() | m.Strong() | m.Superscript() | m.Subscript() | m.Strikeout() | m.Underline():
                out.append({"t": _WRAPPERS[type(node)], "c": to_pandoc(node.content)})
            case m.Code(text=text):
                out.append({"t": "Code", "c": [["", [], []], text]})
            case m.Math(tex=tex, display=display):
                out.append({"t": "Math", "c": [{"t": "DisplayMath" if display else "InlineMath"}, tex]})
            case m.Link(content=c, url=url, title=title):
                out.append({"t": "Link", "c": [["", [], []], to_pandoc(c), [url, title]]})
            case m.Span(content=c):
                out.extend(to_pandoc(c))
            case m.LineBreak():
                out.append({"t": "LineBreak"})
            case _:  # a note, an image: no part of a citation's words
                pass
    return out


#: A node pandoc is not to see, held in its place: ``HELD.format(n)``, the n-th held node.
HELD = "\ue000{}\ue001"
_HELD = re.compile("\ue000(\\d+)\ue001")
#: What a ``Cite`` pandoc printed becomes: from its citations (pandoc's JSON) and its text.
CiteHook = Callable[[list[Json], tuple[m.Inline, ...]], list[m.Inline]]


def from_pandoc(
    nodes: Iterable[Json], lang: str, held: Sequence[m.Inline] = (), cite: CiteHook | None = None
) -> tuple[m.Inline, ...]:
    """pandoc's inlines as the model's, adjacent texts merged; the nodes ``held`` back in
    their places (:data:`HELD`), a Cite through ``cite`` (default: its text)."""
    out: list[m.Inline] = []
    for node in nodes:
        kind, c = node["t"], node.get("c", [])
        match kind:
            case "Str" if held and "\ue000" in c:
                for n, piece in enumerate(_HELD.split(c)):
                    out.append(held[int(piece)] if n % 2 else m.Text(piece))
            case "Str":
                out.append(m.Text(c))
            case "Space" | "SoftBreak":
                out.append(m.Text(" "))
            case "LineBreak":
                out.append(m.LineBreak())
            case "Emph" | "Strong" | "Underline" | "Strikeout" | "Superscript" | "Subscript":
                out.append(_UNWRAPPERS[kind](from_pandoc(c, lang)))
            case "SmallCaps":
                out.append(m.Span(from_pandoc(c, lang), m.Attr(classes=("smallcaps",))))
            case "Quoted":
                double = c[0]["t"] == "DoubleQuote"
                marks = langs.quotes(lang)
                opening, closing = (marks[0], marks[1]) if double else (marks[2], marks[3])
                out += [m.Text(opening), *from_pandoc(c[1], lang), m.Text(closing)]
            case "Cite":
                printed = from_pandoc(c[1], lang, held)
                out.extend(cite(c[0], printed) if cite is not None else printed)
            case "Code":
                out.append(m.Code(c[1]))
            case "Math":
                out.append(m.Math(c[1], display=c[0]["t"] == "DisplayMath"))
            case "Link":  # a URL has no spaces: a padded field (doi = { 10.1/x }) leaves them in pandoc's
                out += _unnested(from_pandoc(c[1], lang), "".join(c[2][0].split()), c[2][1])
            case "Span":
                ident, _classes, values = c[0]
                keep = tuple((k, v) for k, v in values if k in ("lang", "dir"))
                inner = from_pandoc(c[1], lang)
                out += [m.Span(inner, m.Attr(id=ident, values=keep))] if ident or keep else inner
            case "Note":
                out.append(m.Note(blocks_from_pandoc(c, lang)))
            case _:  # RawInline, Image: nothing a citation prints
                pass
    return txt.merge(out)


def _unnested(content: tuple[m.Inline, ...], url: str, title: str) -> list[m.Inline]:
    """A link; around the links it holds (a note style's citation linked to its entry holds
    the entry's DOI), its runs between them: a link cannot hold a link in any edition."""
    out: list[m.Inline] = []
    run: list[m.Inline] = []
    for node in (*content, None):
        if node is None or isinstance(node, m.Link):
            if run:
                out.append(m.Link(tuple(run), url, title))
            run = []
            if node is not None:
                out.append(node)
        else:
            run.append(node)
    return out


def blocks_from_pandoc(blocks: Iterable[Json], lang: str) -> tuple[m.Block, ...]:
    """A note's or an entry's blocks: its paragraphs (``Para``, ``Plain``); a Div is its
    blocks."""
    out: list[m.Block] = []
    for block in blocks:
        if block["t"] in ("Para", "Plain"):
            out.append(m.Paragraph(from_pandoc(block["c"], lang)))
        elif block["t"] == "Div":
            out.extend(blocks_from_pandoc(block["c"][1], lang))
    return tuple(out)
