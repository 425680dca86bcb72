"""A document's citations as pandoc's citeproc is to see them, and its answer put back.

pandoc prints a citation from where it stands: in a note style a citation in the text
becomes a note after the punctuation that follows it, one inside a note is put in
parentheses when the note has other words, a period doubled at its end is dropped. So
pandoc is given every run of inlines that holds a citation (a *host*: a paragraph's, a
heading's, a caption's…) with its words, every other node held in its place
(:data:`publish.pandocast.HELD`): a host in the text as a paragraph of its own, the hosts
of one of our notes together in a note (a note without any as an empty one: a style counts
notes), in reading order. The hosts pandoc gives back replace ours, the held nodes back in
their places, each Cite as :func:`citation` makes it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from publish import model as m
from publish import pandocast as ast
from publish import text as txt
from publish import walk

Json = dict[str, Any]
Host = tuple[m.Inline, ...]
#: The fields of a node that hold inlines.
FIELDS = ("content", "caption", "title", "term")
_MODES = {"author-in-text": "AuthorInText", "normal": "NormalCitation", "suppress-author": "SuppressAuthor"}


@dataclass
class Hosts:
    """The hosts in reading order, by unit: ``(False, [host])`` one in the text,
    ``(True, hosts)`` those of one note."""

    units: list[tuple[bool, list[Host]]] = field(default_factory=list)

    def cites(self) -> list[m.Cite]:
        return [n for _, hosts in self.units for host in hosts for n in host if isinstance(n, m.Cite)]


def collect(blocks: Iterable[walk.Node]) -> Hosts:
    found = Hosts()

    def visit(nodes: Iterable[walk.Node], note: list[Host] | None) -> None:
        for node in nodes:
            if isinstance(node, m.Cite):
                continue
            if isinstance(node, m.Note) and note is None:
                group: list[Host] = []
                found.units.append((True, group))
                visit(walk.children(node), group)
                continue
            for name in FIELDS:
                value = getattr(node, name, None)
                if isinstance(value, tuple) and any(isinstance(v, m.Cite) for v in value):
                    if note is None:
                        found.units.append((False, [value]))
                    else:
                        note.append(value)
            visit(walk.children(node), note)

    visit(blocks, None)
    return found


def pandoc_cite(cite: m.Cite) -> Json:
    citations = [
        {
            "citationId": item.key,
            "citationPrefix": ast.to_pandoc(item.prefix),
            "citationSuffix": ast.to_pandoc(item.suffix),
            "citationMode": {"t": _MODES[item.mode]},
            "citationNoteNum": 0,
            "citationHash": 0,
        }
        for item in cite.items
    ]
    return {"t": "Cite", "c": [citations, [{"t": "Str", "c": cite.text or "@"}]]}


def _held(host: Host, held: list[m.Inline]) -> list[Json]:
    out: list[Json] = []
    for node in host:
        if isinstance(node, m.Text):
            out += ast.to_pandoc([node])
        elif isinstance(node, m.Cite):
            out.append(pandoc_cite(node))
        else:
            out.append({"t": "Str", "c": ast.HELD.format(len(held))})
            held.append(node)
    return out


def blocks(hosts: Hosts, held: list[m.Inline]) -> list[Json]:
    """pandoc's blocks for ``hosts`` (the held nodes appended to ``held``)."""
    out: list[Json] = []
    for in_note, group in hosts.units:
        if not in_note:
            out.append({"t": "Para", "c": _held(group[0], held)})
            continue
        paras = [{"t": "Para", "c": _held(host, held)} for host in group] or [
            {"t": "Para", "c": [{"t": "Str", "c": "."}]}
        ]
        out.append({"t": "Para", "c": [{"t": "Note", "c": paras}]})
    return out


def citation(keys: list[str], printed: tuple[m.Inline, ...]) -> list[m.Inline]:
    """A citation as printed: a Span of class ``citation`` (``cites``: its keys); in a
    note style the note it became (its text the Span) after what stands in the text."""
    attr = m.Attr(classes=("citation",), values=(("cites", " ".join(keys)),))
    out: list[m.Inline] = []
    text: list[m.Inline] = []
    for node in printed:
        if isinstance(node, m.Note):
            inner = tuple(
                m.Paragraph((m.Span(b.content, attr),)) if isinstance(b, m.Paragraph) else b for b in node.blocks
            )
            out += [m.Span(txt.merge(text), attr)] if text else []
            out.append(m.Note(inner))
            text = []
        else:
            text.append(node)
    return out + ([m.Span(txt.merge(text), attr)] if text else [])


def answer(hosts: Hosts, printed: list[Json], held: list[m.Inline], lang: str) -> dict[int, Host]:
    """Each host (by ``id``) → the host pandoc printed, as the model's."""

    def hook(citations: list[Json], text: Host) -> list[m.Inline]:
        return citation([c["citationId"] for c in citations], text)

    def back(inlines: list[Json]) -> Host:
        return ast.from_pandoc(inlines, lang, held, hook)

    out: dict[int, Host] = {}
    for (in_note, group), block in zip(hosts.units, printed, strict=False):
        if not in_note:
            out[id(group[0])] = back(block["c"])
            continue
        note = next(n for n in block["c"] if n["t"] == "Note")
        paras = [b for b in note["c"] if b["t"] in ("Para", "Plain")]
        for host, para in zip(group, paras, strict=False):
            out[id(host)] = back(para["c"])
    return out
