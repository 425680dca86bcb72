"""Traversal of the model: the children of a node, every node below some nodes, and the
queries every room asks (headings, images, notes). Read-only; imports nothing of ours but
the model."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from publish import model as m

Node = m.Block | m.Inline | m.ListItem | m.Cell | m.DefinitionItem | m.CiteItem


#: The field that holds a node's children, for every node that has children of one kind.
CHILD_FIELD: dict[type, str] = {
    **dict.fromkeys(
        (
            m.Heading,
            m.Paragraph,
            m.Emphasis,
            m.Strong,
            m.Superscript,
            m.Subscript,
            m.Strikeout,
            m.Underline,
            m.Link,
            m.Span,
        ),
        "content",
    ),
    **dict.fromkeys((m.BlockQuote, m.ListItem, m.Note), "blocks"),
    **dict.fromkeys((m.BulletList, m.OrderedList), "items"),
}


def children(node: Node) -> Iterator[Node]:
    """The direct children of a node, in reading order."""
    name = CHILD_FIELD.get(type(node))
    if name is not None:
        yield from getattr(node, name)
    elif isinstance(node, m.Figure):
        yield node.image
        yield from node.caption
    elif isinstance(node, m.Div):
        yield from node.title
        yield from node.blocks
    elif isinstance(node, m.Table):
        for row in node.header_rows:
            yield from row
        for row in node.rows:
            yield from row
        yield from node.caption
    elif isinstance(node, m.Cell):
        yield from node.content
        yield from node.blocks
    elif isinstance(node, m.DefinitionList):
        yield from node.items
    elif isinstance(node, m.DefinitionItem):
        yield from node.term
        for definition in node.definitions:
            yield from definition
    elif isinstance(node, m.Cite):
        yield from node.items
    elif isinstance(node, m.CiteItem):
        yield from node.prefix
        yield from node.suffix


def walk(nodes: Iterable[Node]) -> Iterator[Node]:
    """Every node below ``nodes``, pre-order (a note's blocks right after its reference)."""
    for node in nodes:
        yield node
        yield from walk(children(node))


def headings(blocks: Iterable[Node]) -> list[m.Heading]:
    """Every heading below ``blocks``, in reading order."""
    return [n for n in walk(blocks) if isinstance(n, m.Heading)]


def notes(blocks: Iterable[Node]) -> list[m.Note]:
    """Every note below ``blocks``, in reading order (numbered by the transforms)."""
    return [n for n in walk(blocks) if isinstance(n, m.Note)]


def images(doc: m.Document) -> list[m.Image]:
    """Every image of the document (figures and inline), each source path once."""
    seen: dict[str, m.Image] = {}
    for node in walk(doc.blocks):
        if isinstance(node, m.Image):
            seen.setdefault(node.src, node)
    return list(seen.values())


def div_kind(attr: m.Attr) -> str:
    """What a Div stands for: the first of its classes in :data:`publish.model.DIV_KINDS`
    (``details``, ``callout-note``…), else ``div`` (a plain wrapper)."""
    return next((c for c in attr.classes if c in m.DIV_KINDS), "div")


def span_role(attr: m.Attr) -> str | None:
    """The HTML phrase element a Span stands for: the first of its classes in
    :data:`publish.model.SPAN_ROLES` (``kbd``, ``abbr``…), else None."""
    return next((c for c in attr.classes if c in m.SPAN_ROLES), None)
