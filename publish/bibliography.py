"""Citations and the bibliography in the model, as the citation engine (pandoc's citeproc)
leaves them for every edition, and the names Word gives anchors.

No node kind of their own, as pandoc's citeproc writes them:

- a citation is a Span of class :data:`CITATION` (``cites``: its keys, space-separated)
  holding the style's text, with a Link ``#ref-KEY`` to each entry it cites (a note style's
  citation is an ordinary Note);
- the bibliography is a Div of class :data:`REFERENCES` (id ``refs``, a kind of
  :data:`publish.model.DIV_KINDS`), holding one Div of class :data:`ENTRY` per entry (id
  ``ref-KEY``) with one Paragraph, the entry's text; in a numeric style that paragraph is a
  :data:`LABEL` Span (``[1]``) and a :data:`ENTRY_TEXT` Span.

Word names a bookmark with at most 40 characters, starting with a letter:
:func:`bookmark` gives every anchor of the DOCX edition (headings, figures, tables,
equations, entries) its name there, and :func:`bookmark_ids` maps names back to ids.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass

from publish import model as m
from publish import text as txt
from publish import walk

CITATION = "citation"
REFERENCES = "references"
ENTRY = "csl-entry"
#: A numeric style's label (``[1]``) and the entry's text beside it.
LABEL = "csl-left-margin"
ENTRY_TEXT = "csl-right-inline"


@dataclass(frozen=True, slots=True)
class Entry:
    """One entry of a bibliography: its id (``ref-KEY``), its text (a numeric style's label
    left out) and the addresses it links to (its DOI, its URL)."""

    id: str
    text: str
    urls: tuple[str, ...] = ()


def is_references(node: object) -> bool:
    return isinstance(node, m.Div) and walk.div_kind(node.attr) == REFERENCES


def is_entry(node: object) -> bool:
    return isinstance(node, m.Div) and ENTRY in node.attr.classes


def is_label(node: object) -> bool:
    """A numeric style's label (``[1]``) in an entry."""
    return isinstance(node, m.Span) and LABEL in node.attr.classes


def is_citation(node: object) -> bool:
    return isinstance(node, m.Span) and CITATION in node.attr.classes


def bibliographies(blocks: Iterable[walk.Node]) -> list[m.Div]:
    """Every bibliography (a ``references`` Div) below ``blocks``, in reading order."""
    return [n for n in walk.walk(blocks) if isinstance(n, m.Div) and is_references(n)]


def entries(blocks: Iterable[walk.Node]) -> list[Entry]:
    """Every entry of every bibliography below ``blocks``, in reading order."""
    found: list[Entry] = []
    for bib in bibliographies(blocks):
        for node in walk.walk(bib.blocks):
            if isinstance(node, m.Div) and is_entry(node) and node.attr.id:
                inlines = [i for b in node.blocks if isinstance(b, m.Paragraph) for i in b.content if not is_label(i)]
                urls = [n.url for n in walk.walk(inlines) if isinstance(n, m.Link) and not n.url.startswith("#")]
                text = txt.squash(txt.plain(inlines))
                found.append(Entry(node.attr.id, text, tuple(dict.fromkeys(urls))))
    return found


def citations(blocks: Iterable[walk.Node]) -> list[m.Span]:
    """Every citation below ``blocks``, in reading order."""
    return [n for n in walk.walk(blocks) if isinstance(n, m.Span) and is_citation(n)]


def cited(span: m.Span) -> list[str]:
    """The ids (``ref-KEY``) a citation's links reach, in order."""
    return [n.url[1:] for n in walk.walk(span.content) if isinstance(n, m.Link) and n.url.startswith("#")]


def problems(doc: m.Document) -> list[str]:
    """Every citation links to an entry of a bibliography of the document."""
    known = {e.id for e in entries(doc.blocks)}
    out: list[str] = []
    for span in citations(doc.blocks):
        for target in cited(span):
            if target not in known:
                out.append(
                    f"the citation {txt.plain(span.content)!r} links to #{target}, which is no bibliography entry"
                )
    return out


# ---------------------------------------------------------------- Word's bookmark names

#: The longest bookmark name Word keeps.
BOOKMARK_LENGTH = 40
_HASH = 8
_KEPT = re.compile(r"[^\W\d_][\w-]*")
_HASHED = re.compile(rf".*_[0-9a-f]{{{_HASH}}}")


def bookmark(anchor: str) -> str:
    """The name of the bookmark for ``anchor`` (an id of the model), deterministic and
    unique: the id itself when Word can take it (a letter first, then letters, digits,
    ``_`` and ``-``, at most 40 characters); else a name of letters, digits and ``_`` made
    from it (``ref_`` + the key for an entry), cut short, and ``_`` + 8 hexadecimal digits
    of its SHA-1. A kept id never ends like that, so two ids never share a name."""
    if len(anchor) <= BOOKMARK_LENGTH and _KEPT.fullmatch(anchor) and not _HASHED.fullmatch(anchor):
        return anchor
    stem = re.sub(r"[^A-Za-z0-9_]", "_", anchor)
    if not stem[:1].isalpha():
        stem = "id_" + stem
    digest = hashlib.sha1(anchor.encode("utf-8")).hexdigest()[:_HASH]
    return f"{stem[: BOOKMARK_LENGTH - _HASH - 1]}_{digest}"


def bookmark_ids(anchors: Iterable[str]) -> dict[str, str]:
    """Bookmark name → the id it stands for, for the ids of a document (a read-back's map)."""
    return {bookmark(a): a for a in anchors}


def anchors(doc: m.Document) -> list[str]:
    """Every id of the document a link may reach (headings, figures, tables, equations,
    spans, divs), and every fragment its links reach (``#id``), each once."""
    marked = (m.Heading, m.Figure, m.Table, m.Math, m.Span, m.Div)
    found = [n.attr.id for n in walk.walk(doc.blocks) if isinstance(n, marked) and n.attr.id]
    found += [n.url[1:] for n in walk.walk(doc.blocks) if isinstance(n, m.Link) and n.url.startswith("#")]
    return list(dict.fromkeys(found))
