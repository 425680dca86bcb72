"""A bibliography in the HTML body (HTML, EPUB, PDF): the roles of its markup, and links
to ids of any character (a citation key may hold ``#``, ``%``, ``<``…)."""

from __future__ import annotations

import urllib.parse
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
    ``epub:type="biblioentry"``. A bibliography that holds more than entries (a title,
    other blocks) is no list in HTML: its entries then have no role either."""
    if bibliography.is_references(div) and epub:
        return [("role", "doc-bibliography"), ("epub:type", "bibliography")]
    if bibliography.is_references(div):  # a list holds list items only: else no role
        return [("role", "list")] if list_of_entries(div) else []
    if entry:
        return [("epub:type", "biblioentry")] if epub else [("role", "listitem")]
    return []


def list_of_entries(div: m.Div) -> bool:
    """A bibliography of entries only, without a title (HTML's list of list items)."""
    return not div.title and all(bibliography.is_entry(b) for b in div.blocks)


#: What a URL's fragment may hold as it is (RFC 3986's ``pchar``, ``/`` and ``?``); other
#: ASCII characters are percent-encoded, letters of other scripts kept (an IRI).
_FRAGMENT_SAFE = frozenset("-._~!$&'()*+,;=:@/?")


def fragment_href(href: str) -> str:
    """An internal href (``#id``, ``file#id``) with its fragment percent-encoded where an id
    holds what a URL may not (browsers, WeasyPrint and the read-backs decode it)."""
    file, hash_, fragment = href.partition("#")
    safe = "".join(
        c if not c.isascii() or c.isalnum() or c in _FRAGMENT_SAFE else urllib.parse.quote(c) for c in fragment
    )
    return file + hash_ + safe
