"""pandoc's implicit header references, read by markdown-it.

A heading's text, as written (``Extension: `styles```), is a link reference to that heading:
``[Heading]``, ``[Heading][]``, ``[text][Heading]``. The heading's id is given later (after
the whole document is read, as pandoc gives it), so the link points to a mark the heading
carries until then (:data:`publish.attrs.IMPLICIT`; :func:`publish.links.implicit_targets`
replaces it by the id).
"""

from __future__ import annotations

import dataclasses
import itertools

from markdown_it.common.utils import normalizeReference
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from publish import attrs
from publish import model as m

#: Marks for headings an implicit reference may point to, unique within the process (a
#: document's Markdown inside HTML is parsed apart, with references of its own).
_MARKS = itertools.count()


def register(state: StateCore) -> None:
    """Core rule: pandoc's implicit header references. A heading's text, as written
    (``Extension: `styles```), is a link reference to that heading (``[Heading]``,
    ``[text][Heading]``), unless the document defines that label itself; of headings of one
    text, the first. The heading's id is not known yet: the link points to a mark the
    heading carries (:data:`publish.attrs.IMPLICIT`), which the reader replaces."""
    references = state.env.setdefault("references", {})
    tokens = state.tokens
    for i, token in enumerate(tokens):
        if token.type != "heading_open":
            continue
        label = normalizeReference(tokens[i + 1].content)
        if label and label not in references:
            mark = str(next(_MARKS))
            references[label] = {"title": "", "href": f"#{attrs.IMPLICIT}{mark}", "map": token.map}
            token.meta = {**(token.meta or {}), "implicit": mark}


def unmark_unused(state: StateCore) -> None:
    """Core rule, after the inlines: a heading no implicit reference points to loses its mark."""
    used = {
        str(child.attrGet("href"))
        for token in state.tokens
        if token.type == "inline"
        for child in token.children or []
        if child.type == "link_open" and str(child.attrGet("href") or "").startswith(f"#{attrs.IMPLICIT}")
    }
    for token in state.tokens:
        mark = (token.meta or {}).get("implicit") if token.type == "heading_open" else None
        if mark is not None and f"#{attrs.IMPLICIT}{mark}" not in used:
            del token.meta["implicit"]


def marked(attr: m.Attr, token: Token) -> m.Attr:
    """A heading's attributes, with its mark if an implicit reference points to it."""
    mark = (token.meta or {}).get("implicit")
    return attr if mark is None else dataclasses.replace(attr, values=(*attr.values, (attrs.IMPLICIT, str(mark))))
