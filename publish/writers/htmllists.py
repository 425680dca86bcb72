"""Lists of pandoc's Markdown in HTML: an ordered list's numbering (``<ol type="a" start="3">``
with the classes :file:`templates/base/lists.css` styles) and definition lists (``<dl>``)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from publish import model as m

#: A list style → the ``type`` attribute HTML gives it (decimal: none, HTML's default).
TYPES = {"lower-alpha": "a", "upper-alpha": "A", "lower-roman": "i", "upper-roman": "I"}


def ordered_attrs(node: m.OrderedList) -> list[tuple[str, str | None]]:
    """An ``<ol>``'s attributes: ``type`` and ``start`` as HTML says them, a class for the
    style and one for the delimiter (``one-paren``, ``two-parens``) for the stylesheets, and
    the start as a ``counter-reset`` too (WeasyPrint, which draws the PDF, reads neither
    ``type`` nor ``start``)."""
    classes = [node.style] if node.style in TYPES else []
    classes += [node.delim] if node.delim != "period" else []
    start = node.start != 1
    return [
        ("type", TYPES.get(node.style)),
        ("start", str(node.start) if start else None),
        ("class", " ".join(classes) or None),
        ("style", f"counter-reset: list-item {node.start - 1}" if start else None),
    ]


def definition_list(
    node: m.DefinitionList, block: Callable[[m.Block], str], inlines: Callable[[Iterable[m.Inline]], str]
) -> str:
    """``<dl>``: each term a ``<dt>``, each of its definitions a ``<dd>``. In a tight list
    (pandoc's Plain) a definition's first paragraph is its text, without ``<p>``, unless
    another paragraph follows it."""
    out = ["<dl>"]
    for item in node.items:
        out.append(f"<dt>{inlines(item.term)}</dt>")
        for definition in item.definitions:
            parts = []
            for index, b in enumerate(definition):
                following = definition[index + 1] if index + 1 < len(definition) else None
                bare = node.tight and index == 0 and isinstance(b, m.Paragraph)
                bare = bare and not isinstance(following, m.Paragraph)
                parts.append(inlines(b.content) if bare and isinstance(b, m.Paragraph) else block(b))
            out.append(f"<dd>{chr(10).join(parts)}</dd>")
    out.append("</dl>")
    return "\n".join(out)
