"""Links and images, checked while the document is read.

- An image must be a local image file inside the content folder; a remote image is never
  fetched, and it, a missing file or a refused path is set as its alt text, with a
  warning at ``file:line``; an image without alt text is described by its file name.

- ``#anchor``: must name an id of the document (a heading's, a span's, a div's, a
  figure's). GitHub's heading slugs (``#db--dbms`` for "DB & DBMS") and the
  case-insensitive form of an id are accepted as aliases and rewritten to our id; a target
  that does not exist is a warning at ``file:line`` and the link becomes its text, in every
  edition alike.
- A relative link to another Markdown document (``guide.md``, ``docs/setup.qmd#install``)
  is kept when that file exists among the content (the writers point it at that
  document's edition of their own format); any other relative link (a file the editions do
  not carry) becomes its text, with a warning.
- ``http``, ``https``, ``mailto``, ``tel`` and ``ftp`` links are kept; other schemes
  (``javascript:``, ``file:``…) become text with a warning.
- pandoc's implicit header references: ``[Heading text]`` and ``[text][Heading text]``
  link to the heading of that text.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
import urllib.parse
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from publish import attrs, resources, svg, transforms
from publish import model as m
from publish import text as txt
from publish.errors import Diagnostics
from publish.walk import Node, walk

#: What all four editions can carry (WebP is not: Word cannot show it).
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".svg"}
DOCUMENT_SUFFIXES = (".md", ".markdown", ".qmd", ".mdown", ".mkd")
KEPT_SCHEMES = ("http", "https", "mailto", "tel", "ftp")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_IMPLICIT = re.compile(r"\[([^\[\]]+)\](?:\[([^\[\]]*)\])?")
#: A full or collapsed reference link left as text (``[text][label]``, ``[label][]``), or the
#: start of one whose label goes on in markup (``[text][Extension: `` and a code span).
_FAILED_REFERENCE = re.compile(r"\[[^\[\]]*\]\[([^\[\]]+)\]|\[([^\[\]]+)\]\[\]|\]\[([^\[\]]+)$")


class Host(Protocol):
    file: Path
    resolver: resources.Resolver

    def warn(self, message: str, line: int) -> None: ...


@dataclass
class Recorder:
    """The in-document links of a document and the lines they are written on."""

    anchors: dict[str, list[int]] = field(default_factory=dict)
    #: A book's chapter keeps its relative links: the book checks them against its chapters.
    keep_relative: bool = False

    def link(self, content: tuple[m.Inline, ...], url: str, title: str, line: int, host: Host) -> m.Inline:
        """The node a link becomes: the link, or (with a warning) its text."""
        url = url.strip()
        scheme = _SCHEME.match(url)
        if url.startswith("#"):
            self.anchors.setdefault(urllib.parse.unquote(url[1:]), []).append(line)
            return m.Link(content, url, title)
        if scheme:
            if scheme.group(1).lower() in KEPT_SCHEMES:
                return m.Link(content, _valid_url(url), title)
            host.warn(f"link to {url[:60]!r} set as text (only http, https, mailto, tel and ftp links are kept)", line)
            return _text(content)
        if not url:
            return _text(content)
        if self.keep_relative:
            return m.Link(content, url, title)
        path, _, _anchor = url.partition("#")
        target = host.file.parent / urllib.parse.unquote(path)
        if Path(path).suffix.lower() in DOCUMENT_SUFFIXES and target.is_file() and host.resolver.inside(target):
            return m.Link(content, url, title)
        what = "a document" if Path(path).suffix.lower() in DOCUMENT_SUFFIXES else "a file"
        host.warn(f"link to {url[:60]!r} set as text: {what} the editions do not carry", line)
        return _text(content)


def image(host: Host, src: str, alt: str, title: str, line: int) -> m.Inline:
    """A local image file, or (with a warning) its alt text where it cannot be used."""
    fallback: m.Inline = m.Text(alt) if alt else m.Text(src.rsplit("/", 1)[-1][:80] or src[:80])
    shown = src if len(src) <= 80 else src[:77] + "..."
    if re.match(r"^https?:", src, re.I):
        host.warn(f"remote image {shown!r} is not fetched: its alt text is used", line)
        return fallback
    try:
        path = host.resolver.local(src, host.file.parent)
    except resources.Refused as exc:
        host.warn(f"image refused: {str(exc)[:160]}; its alt text is used", line)
        return fallback
    if not path.is_file():
        host.warn(f"image {shown!r} not found (looked for {path}); its alt text is used", line)
        return fallback
    if path.suffix.lower() not in IMAGE_SUFFIXES:
        host.warn(f"{shown!r} is not an image file ({', '.join(sorted(IMAGE_SUFFIXES))}); its alt text is used", line)
        return fallback
    if path.suffix.lower() != ".svg" and not _raster(path):
        host.warn(f"{shown!r} is not a PNG, JPEG or GIF image (its bytes say otherwise); its alt text is used", line)
        return fallback
    if path.suffix.lower() == ".svg":
        try:
            svg.read(path)  # a malformed drawing is said once, here, at its line
        except svg.SvgError as exc:
            host.warn(f"SVG image {shown!r} cannot be used ({exc}); its alt text is used", line)
            return fallback
    if not alt:
        alt = txt.squash(re.sub(r"[-_]+", " ", path.stem))
        host.warn(f"image {shown!r} has no alt text: described as {alt!r} (its file name); write one", line)
    return m.Image(src, alt, title)


def unpictured(content: tuple[m.Inline, ...], children: Sequence[Any]) -> m.Block:
    """A paragraph of ``content`` (the inline ``children`` tokens it was read from); but a
    labelled figure (``![Caption](a.png){#fig-x}``) whose image cannot be used, its alt text
    standing in (with a warning), is that paragraph in a div of the figure's id and class
    ``figure``: it is still numbered and referred to (:mod:`publish.crossref`)."""
    images = [t for t in children if t.type == "image"]
    visible = [n for n in content if not (isinstance(n, m.Text) and not n.text.strip())]
    ident = str(images[0].attrGet("id") or "") if len(images) == 1 else ""
    if ident and len(visible) == 1 and isinstance(visible[0], m.Text):
        return m.Div((m.Paragraph(content),), m.Attr(ident, ("figure",)))
    return m.Paragraph(content)


_SIGNATURES = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a")


def _raster(path: Path) -> bool:
    """Whether the file starts as a PNG, JPEG or GIF does (its name may say so wrongly)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
    except OSError:
        return False
    return head.startswith(_SIGNATURES)


def _valid_url(url: str) -> str:
    """``url`` as a valid URL: a ``#`` after the fragment's own (``matrix.to/#/#room``) and
    spaces percent-encoded, as browsers do; EPUBCheck and the Nu checker refuse them raw."""
    base, hash_, fragment = url.partition("#")
    return (base + hash_ + fragment.replace("#", "%23")).replace(" ", "%20")


def _text(content: tuple[m.Inline, ...]) -> m.Inline:
    return m.Span(content) if len(content) != 1 else content[0]


def github_slug(text: str) -> str:
    """GitHub's heading anchor: lower case, punctuation removed (each space kept as a
    hyphen, so "DB & DBMS" gives "db--dbms")."""
    text = text.strip().lower()
    kept = "".join(c for c in text if c in " -_" or unicodedata.category(c)[0] in "LMN")
    return kept.replace(" ", "-")


def ids(blocks: tuple[m.Block, ...]) -> set[str]:
    found: set[str] = set()
    for node in walk(blocks):
        attr = getattr(node, "attr", None)
        if isinstance(attr, m.Attr) and attr.id:
            found.add(attr.id)
    return found


def aliases(blocks: tuple[m.Block, ...]) -> dict[str, str]:
    """Other spellings of the headings' ids: GitHub's slugs (with GitHub's ``-1``, ``-2``
    for repeated headings) and pandoc's auto identifier of the heading text."""
    out: dict[str, str] = {}
    seen: dict[str, int] = {}
    for node in walk(blocks):
        if not isinstance(node, m.Heading):
            continue
        plain = txt.plain(node.content)
        slug = github_slug(plain)
        count = seen.get(slug, 0)
        seen[slug] = count + 1
        for alias in (slug if count == 0 else f"{slug}-{count}", txt.slugify(plain)):
            out.setdefault(alias, node.attr.id)
    return out


def resolve(
    doc: m.Document, recorder: Recorder, diagnostics: Diagnostics, body: str = "", offset: int = 0
) -> m.Document:
    """Check the document's ``#anchor`` links against its ids (after the heading ids are
    given, and an id given twice made unique with a warning) and link its implicit header
    references. ``body`` (the Markdown after ``offset`` lines) places the warnings."""
    doc = unique_ids(transforms.heading_ids(doc), diagnostics, body, offset)
    if any(anchor.startswith(attrs.IMPLICIT) for anchor in recorder.anchors):
        blocks, lost = implicit_targets(doc.blocks)
        doc = dataclasses.replace(doc, blocks=blocks)
        for mark in lost:
            for line in recorder.anchors.get(f"{attrs.IMPLICIT}{mark}", []):
                diagnostics.warn("a reference to the heading that became the document's title: set as text", line)
    known = ids(doc.blocks)
    alias = aliases(doc.blocks)
    lowered = {i.lower(): i for i in known}
    target: dict[str, str | None] = {}
    for anchor, lines in recorder.anchors.items():
        if anchor.startswith(attrs.IMPLICIT):  # linked above
            continue
        if anchor.startswith("user-content-") and anchor not in known:  # GitHub's prefix
            anchor = anchor.removeprefix("user-content-")
            target[f"user-content-{anchor}"] = anchor if anchor in known else alias.get(anchor)
            if target[f"user-content-{anchor}"] is not None:
                continue
            anchor = f"user-content-{anchor}"
        if anchor in known:
            target[anchor] = anchor
        elif anchor in alias or anchor.lower() in lowered or anchor.lower() in alias:
            target[anchor] = alias.get(anchor) or lowered.get(anchor.lower()) or alias[anchor.lower()]
        else:
            target[anchor] = None
            for line in lines:
                diagnostics.warn(f"link to '#{anchor}': the document has no such heading or anchor; set as text", line)
    headings = {
        txt.squash(txt.plain(h.content)).casefold(): h.attr.id for h in walk(doc.blocks) if isinstance(h, m.Heading)
    }

    def link(node: m.Inline) -> list[m.Inline]:
        if isinstance(node, m.Link) and node.url.startswith("#"):
            anchor = urllib.parse.unquote(node.url[1:])
            goal = target.get(anchor, anchor)
            if goal is None:
                return [_text(node.content)]
            if goal != anchor:
                return [dataclasses.replace(node, url=f"#{goal}")]
        if isinstance(node, m.Text) and "[" in node.text:
            out: list[m.Inline] = _implicit(node.text, headings) if headings else [node]
            for left in out:
                if isinstance(left, m.Text):
                    unresolved(left.text)
            return out
        return [node]

    told: set[str] = set()

    def unresolved(text: str) -> None:
        """A reference link markdown-it left as text: a label nothing defines."""
        for found in _FAILED_REFERENCE.finditer(text):
            label = next(group for group in found.groups() if group is not None)
            if label in told:
                continue
            told.add(label)
            at = body.find(found.group(0) if found.group(3) is None else f"][{label}")
            line = offset + 1 + body.count("\n", 0, at) if at >= 0 else None
            shown = label if found.group(3) is None else f"{label.rstrip()}…"  # the label goes on in markup
            diagnostics.warn(f"[{shown}]: no link definition or heading has this label; set as written", line)

    return dataclasses.replace(doc, blocks=map_inlines(doc.blocks, link))


def implicit_targets(blocks: tuple[m.Block, ...], title: str | None = None) -> tuple[tuple[m.Block, ...], set[str]]:
    """The blocks with each implicit header reference pointing to its heading's id, and the
    headings' marks taken off (:data:`publish.attrs.IMPLICIT`); and the marks whose heading is
    gone (the first heading, become the title): their links point to ``#title``, or without
    it are set as text."""
    marks = {
        value: node.attr.id
        for node in walk(blocks)
        if isinstance(node, m.Heading)
        for key, value in node.attr.values
        if key == attrs.IMPLICIT
    }
    if not marks and not any(isinstance(n, m.Link) and n.url.startswith(f"#{attrs.IMPLICIT}") for n in walk(blocks)):
        return blocks, set()
    lost: set[str] = set()

    def fn(node: Node) -> Node:
        if isinstance(node, m.Heading) and any(key == attrs.IMPLICIT for key, _ in node.attr.values):
            values = tuple((k, v) for k, v in node.attr.values if k != attrs.IMPLICIT)
            return dataclasses.replace(node, attr=dataclasses.replace(node.attr, values=values))
        return node

    def link(node: m.Inline) -> list[m.Inline]:
        if isinstance(node, m.Link) and node.url.startswith(f"#{attrs.IMPLICIT}"):
            mark = node.url.removeprefix(f"#{attrs.IMPLICIT}")
            if mark in marks or title:
                return [dataclasses.replace(node, url=f"#{marks.get(mark, title)}")]
            lost.add(mark)
            return [_text(node.content)]
        return [node]

    done = transforms.rewrite(m.Document(m.Metadata(""), map_inlines(blocks, link)), fn).blocks
    return done, lost


def unique_ids(doc: m.Document, diagnostics: Diagnostics, body: str = "", offset: int = 0) -> m.Document:
    """An id written twice (``{#intro}`` on two headings, a span and a heading) names its
    first node; each later one gets ``-1``, ``-2``… with a warning (a PDF cannot hold two
    destinations of one name, nor an EPUB two elements of one id)."""
    counts: dict[str, int] = {}
    for node in walk(doc.blocks):
        attr = getattr(node, "attr", None)
        if isinstance(attr, m.Attr) and attr.id:
            counts[attr.id] = counts.get(attr.id, 0) + 1
    if all(n == 1 for n in counts.values()):
        return doc
    taken = set(counts)
    seen: dict[str, int] = {}
    lines = {
        i: [
            offset + 1 + body.count("\n", 0, f.start())
            for f in re.finditer(rf"#{re.escape(i)}\b|(?:id|name)=[\"']?{re.escape(i)}\b", body)
        ]
        for i, n in counts.items()
        if n > 1
    }

    def fn(node: Node) -> Node:
        attr = getattr(node, "attr", None)
        if not (isinstance(attr, m.Attr) and attr.id and counts[attr.id] > 1):
            return node
        n = seen.get(attr.id, 0)
        seen[attr.id] = n + 1
        if n == 0:
            return node
        new = f"{attr.id}-{n}"
        while new in taken:
            new += "-1"
        taken.add(new)
        where = lines[attr.id][n] if n < len(lines[attr.id]) else None
        diagnostics.warn(f"the id {attr.id!r} is given twice: this one is renamed {new!r}", where)
        return dataclasses.replace(node, attr=dataclasses.replace(attr, id=new))  # type: ignore[arg-type]

    return transforms.rewrite(doc, fn)


def _implicit(text: str, headings: dict[str, str]) -> list[m.Inline]:
    out: list[m.Inline] = []
    last = 0
    for found in _IMPLICIT.finditer(text):
        label = found.group(2) if found.group(2) else found.group(1)
        goal = headings.get(txt.squash(label).casefold())
        if goal is None:
            continue
        out += [m.Text(text[last : found.start()]), m.Link((m.Text(found.group(1)),), f"#{goal}")]
        last = found.end()
    if not out:
        return [m.Text(text)]
    return [n for n in (*out, m.Text(text[last:])) if not (isinstance(n, m.Text) and not n.text)]


def map_inlines(blocks: tuple[m.Block, ...], fn: Callable[[m.Inline], list[m.Inline]]) -> tuple[m.Block, ...]:
    """Replace every inline (outside links and code) by ``fn``'s nodes, children first, in
    every run of inlines a block holds (the walk is :func:`publish.transforms.rewrite_blocks`'s:
    notes, cells, definition lists and any later node included)."""

    def inlines(nodes: tuple[m.Inline, ...], in_link: bool = False) -> tuple[m.Inline, ...]:
        out: list[m.Inline] = []
        for node in nodes:
            content = getattr(node, "content", None)
            if isinstance(content, tuple):
                node = dataclasses.replace(node, content=inlines(content, in_link or isinstance(node, m.Link)))  # type: ignore[type-var, arg-type]
            out.extend([node] if in_link else fn(node))
        return txt.merge(out)

    def runs(node: Node) -> Node:
        if isinstance(node, m.Paragraph | m.Heading | m.Cell):
            return dataclasses.replace(node, content=inlines(node.content))
        if isinstance(node, m.Figure | m.Table):
            return dataclasses.replace(node, caption=inlines(node.caption))
        if isinstance(node, m.Div):
            return dataclasses.replace(node, title=inlines(node.title))
        if isinstance(node, m.DefinitionItem):
            return dataclasses.replace(node, term=inlines(node.term))
        return node

    return transforms.rewrite_blocks(blocks, runs)
