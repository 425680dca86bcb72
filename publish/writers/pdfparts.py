"""A long document's print page cut into parts that WeasyPrint can lay out one by one.

WeasyPrint lays out a document in one thread, and its time grows faster than the document:
a book four times as long takes some five times as long (``benchmarks/profile.md``). A
document long enough (:data:`MIN_TEXT`, :data:`MIN_PARTS`) is therefore laid out in parts —
the front (the title block, the contents and whatever precedes the first top-level section)
and each top-level section (a book's chapter) — in parallel and each only when it changed
(:mod:`publish.writers.pdfassemble`), and the parts' PDFs are merged into one
(:mod:`publish.writers.pdfmerge`). This module makes the pages of the parts:

- a part opens a page of its own, as a chapter does; its first page is the theme's
  ``@page :first`` (no running head);
- a part is laid out without margin boxes, so that its layout does not depend on where it
  falls in the book: the page numbers and running heads of the whole book are laid out
  afterwards on pages of their own (:func:`stamp_page`, the *stamp*) and drawn over each page
  as an artifact, so a part whose page count changes does not make the others be laid out
  again;
- a link to an anchor of another part is written ``publish-part:ID`` (made a link to the
  named destination ``ID`` when the parts are merged);
- its notes are numbered on from the parts before it;
- the front's contents show the page numbers found by laying out the other parts
  (``target-counter()`` is replaced with the numbers, :func:`front_page`).

A theme whose pages depend on more than this (left and right pages, ``counter(pages)``,
strings set by headings, a linked stylesheet) is laid out whole, as before:
:func:`unsafe_theme` says why.
"""

from __future__ import annotations

import functools
import html
import itertools
import re
import urllib.parse
from dataclasses import dataclass
from typing import Any

import tinycss2

#: A link to an anchor in another part, until the parts are merged.
PART_SCHEME = "publish-part:"
#: Laid out in parts from this many characters of text (the article of ``content/``, some 6,000;
#: a book of ten such chapters, 60,000: some 25 pages) ...
MIN_TEXT = 40_000
#: ... and this many top-level sections.
MIN_PARTS = 4
#: The margin boxes of CSS Paged Media, emptied in the parts (drawn by the stamp).
MARGIN_BOXES = tuple(
    f"{side}-{place}"
    for side, places in (
        ("top", ("left-corner", "left", "center", "right", "right-corner")),
        ("bottom", ("left-corner", "left", "center", "right", "right-corner")),
        ("left", ("top", "middle", "bottom")),
        ("right", ("top", "middle", "bottom")),
    )
    for place in places
)
_NO_MARGIN_BOXES = "@page { " + " ".join(f"@{box} {{ content: none !important; }}" for box in MARGIN_BOXES) + " }"
_TAG = re.compile(r"<[^>]*>")
_SECTION = re.compile(r"<(/?)section\b[^>]*>")
_ID = re.compile(r'\sid="([^"]+)"')
_LOCAL_LINK = re.compile(r'(<a\b[^>]*?)\shref="#([^"]+)"')
_TARGET_COUNTER = re.compile(r"target-counter\(\s*attr\(\s*href(?:\s+url)?\s*\)\s*,\s*page\s*\)")
_NOTE = re.compile(r"""<[a-z]+ class="footnote"[ >]""")
_TITLE_BLOCK = re.compile(r"<header\b[^>]*\bclass=\"title-block\"[^>]*>.*?</header>", re.S)
#: Where a theme may set the strings its running heads show (the stamp carries the title block).
_TITLE_STRINGS = re.compile(r"\.(title|subtitle|byline|dateline|title-block)\b")
_NAMED_META = re.compile(r"<meta\b[^>]*\bname=[^>]*>\n?")
_MODIFIED = re.compile(r'<meta name="dcterms.modified"[^>]*>\n?')
_STYLE = re.compile(r"<style\b[^>]*>(.*?)</style>", re.S)


@dataclass(frozen=True)
class Split:
    """The print page cut at its article's top-level sections."""

    #: The page up to the article's content (the head, ``<body>``, ``<main>``, ``<article>``).
    head: str
    #: From ``</article>`` to the end.
    tail: str
    #: The article's content before its first top-level section.
    front: str
    #: Each top-level section, with whatever follows it up to the next one.
    parts: tuple[str, ...]

    @functools.cached_property
    def part_head(self) -> str:
        """:attr:`head` without its named ``<meta>`` elements: a part's metadata is not kept
        (the front's is the document's), and the build time among them would change the key
        of every part at every build."""
        return _NAMED_META.sub("", self.head)

    def ids(self, body: str) -> frozenset[str]:
        return frozenset(html.unescape(found) for found in _ID.findall(body))


def split(markup: str) -> Split | None:
    """``markup`` cut at its article's top-level ``<section>`` elements, or None when it has
    no article or its sections do not nest."""
    start = markup.find("<article", max(markup.find("<body"), 0))
    end = markup.rfind("</article>")
    if start < 0 or end < start:
        return None
    inner_start = markup.index(">", start) + 1
    inner = markup[inner_start:end]
    starts: list[int] = []
    depth = 0
    for tag in _SECTION.finditer(inner):
        if tag.group(1):
            depth -= 1
            if depth < 0:
                return None
        else:
            if depth == 0:
                starts.append(tag.start())
            depth += 1
    if depth or not starts:
        return None
    bounds = [*starts, len(inner)]
    parts = tuple(inner[a:b] for a, b in itertools.pairwise(bounds))
    return Split(markup[:inner_start], markup[end:], inner[: starts[0]], parts)


def _styles(markup: str) -> str:
    head = markup[: markup.find("<body")]
    return "\n".join(_STYLE.findall(head))


@functools.lru_cache(maxsize=4)
def _rules(css: str) -> list[Any]:
    return tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)  # type: ignore[no-any-return]


def unsafe_theme(markup: str) -> str | None:
    """Why the page's theme cannot be laid out in parts (None when it can)."""
    head = markup[: markup.find("<body")]
    if re.search(r"<link\b[^>]*stylesheet", head):
        return "the theme links a stylesheet"
    css = _styles(markup)
    for rule in _rules(css):
        if rule.type == "at-rule" and rule.lower_at_keyword == "page":
            prelude = tinycss2.serialize(rule.prelude).strip()
            if prelude and not re.fullmatch(r"(?:[\w-]+\s*)?(?::first|:nth\(\s*1\s+of\s+[\w-]+\s*\))?", prelude):
                return f"the theme styles @page {prelude}"
        if rule.type == "qualified-rule":
            text = tinycss2.serialize(rule.content)
            if "string-set" in text and not re.match(
                r"\s*\.(title|subtitle|byline|dateline)\b", tinycss2.serialize(rule.prelude)
            ):
                return f"the theme sets a running string from {tinycss2.serialize(rule.prelude).strip()}"
    if re.search(r"counter\(\s*pages\s*\)|target-text\(|target-counters\(", css):
        return "the theme counts the pages or quotes its targets"
    if len(_TARGET_COUNTER.findall(css)) != css.count("target-counter("):
        return "the theme uses target-counter() other than for a link's page"
    return None


def worth_it(cut: Split) -> bool:
    """Long enough to gain from being laid out in parts."""
    return len(cut.parts) >= MIN_PARTS and sum(len(_TAG.sub("", body)) for body in cut.parts) >= MIN_TEXT


def notes_before(cut: Split) -> list[int]:
    """For each part, the number of notes in the front and the parts before it."""
    counts, seen = [], len(_NOTE.findall(cut.front))
    for body in cut.parts:
        counts.append(seen)
        seen += len(_NOTE.findall(body))
    return counts


def _with_style(head: str, css: str) -> str:
    at = head.find("</head>")
    return head[:at] + f"<style>{css}</style>\n" + head[at:]


def _linked_out(body: str, ids: frozenset[str], pages: dict[str, int] | None = None) -> str:
    """``body`` with each link to an anchor outside ``ids`` made a ``publish-part:`` link
    (with ``data-publish-page``, its page number, when ``pages`` knows it)."""

    def link(found: re.Match[str]) -> str:
        target = html.unescape(found.group(2))
        if target in ids:
            return found.group(0)
        page = "" if pages is None or target not in pages else f' data-publish-page="{pages[target]}"'
        href = PART_SCHEME + urllib.parse.quote(target, safe="")
        return found.group(1) + page + f' href="{href}"'

    return _LOCAL_LINK.sub(link, body)


def part_page(cut: Split, index: int, notes: int) -> str:
    """The page of part ``index`` (0-based among :attr:`Split.parts`)."""
    body = cut.parts[index]
    css = f"{_NO_MARGIN_BOXES} body {{ counter-reset: footnote {notes}; }}"
    return _with_style(cut.part_head, css) + _linked_out(body, cut.ids(body)) + cut.tail


def front_page(cut: Split, pages: dict[str, int]) -> str:
    """The front's page, its links to the other parts showing the page numbers ``pages``
    (anchor → page number) where the theme asks for ``target-counter(attr(href), page)``."""
    # the build time goes into the merged file (publish.writers.pdfmerge), not into the front,
    # which is kept from build to build
    head = _MODIFIED.sub("", _TARGET_COUNTER.sub("attr(data-publish-page)", cut.head))
    return _with_style(head, _NO_MARGIN_BOXES) + _linked_out(cut.front, cut.ids(cut.front), pages) + cut.tail


def part_link(uri: str) -> str | None:
    """The anchor a ``publish-part:`` link points to (None for any other URI)."""
    if not uri.startswith(PART_SCHEME):
        return None
    return urllib.parse.unquote(uri[len(PART_SCHEME) :])


def _first_page_rules(markup: str) -> str:
    """The declarations of the theme's ``@page :first`` rules, for the stamp's part openings."""
    bodies = []
    for rule in _rules(_styles(markup)):
        if (
            rule.type == "at-rule"
            and rule.lower_at_keyword == "page"
            and rule.content is not None
            and tinycss2.serialize(rule.prelude).strip() == ":first"
        ):
            bodies.append(tinycss2.serialize(rule.content))
    return "\n".join(bodies)


def stamp_page(cut: Split, openings: list[bool], first_number: int) -> str:
    """A page of as many empty pages as ``openings`` has entries, numbered from
    ``first_number``, whose margin boxes are the theme's: the running heads and page numbers
    of those pages of the book. A page that opens a part (``True``) is styled as the theme's
    first page. The title block stands on the first page, hidden, to set the strings the
    running heads show."""
    title = _TITLE_BLOCK.search(cut.front)
    carrier = f'<div style="visibility: hidden; height: 0; overflow: hidden">{title.group(0)}</div>' if title else ""
    css = (
        f"@page publish-opening {{ {_first_page_rules(cut.head)} }}\n"
        f"@page :first {{ counter-reset: page {first_number}; }}\n"
        ".publish-stamp { break-before: page; margin: 0; height: 0; }\n"
        ".publish-stamp:first-child { break-before: auto; }\n"
        ".publish-opening { page: publish-opening; }\n"
        "html, body, main, article { margin: 0; padding: 0; border: 0; background: none !important; }\n"
        "@page { background: none !important; border: 0 !important; }\n"
    )
    pages = []
    for n, opening in enumerate(openings):
        kind = "publish-stamp publish-opening" if opening else "publish-stamp"
        pages.append(f'<div class="{kind}">{carrier if n == 0 else ""}</div>')
    head = cut.part_head
    head = _with_style(head[: head.rfind("<article")], css)
    return head + "<article>" + "".join(pages) + cut.tail
