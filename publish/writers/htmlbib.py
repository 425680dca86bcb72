"""A bibliography in the HTML body (HTML, EPUB, PDF): the roles of its markup."""

from __future__ import annotations

from typing import TypeGuard

from publish import bibliography
from publish import model as m


def is_entry(block: m.Block) -> TypeGuard[m.Div]:
    return bibliography.is_entry(block)


def roles(div: m.Div, entry: bool, epub: bool) -> list[tuple[str, str | None]]:
    """The attributes of a bibliography and of its ``entry`` Divs (those directly in it).

    HTML as pandoc writes them: a list (``role="list"``) of ``listitem``s. EPUB: the
    semantics its landmarks point at, the bibliography ``role="doc-bibliography"`` and
    ``epub:type="bibliography"``; a landmark, not a list, so its entries have no role
    (a ``listitem`` needs a list; DPUB-ARIA 1.1 deprecates ``doc-biblioentry``) and are
    ``epub:type="biblioentry"``."""
    if bibliography.is_references(div):
        return [("role", "doc-bibliography"), ("epub:type", "bibliography")] if epub else [("role", "list")]
    if entry:
        return [("epub:type", "biblioentry")] if epub else [("role", "listitem")]
    return []
