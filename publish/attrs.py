"""The language and direction attributes a source writes on its text, checked once.

A ``lang`` that is not a BCP 47 tag of a known language, or a ``dir`` other than ``ltr``,
``rtl`` or ``auto``, is left out with a warning at the source's line: the text stays in the
language and direction of what holds it. ``dir=auto`` (GitHub writes it on every paragraph
of its HTML) is resolved as HTML resolves it, by the first strong character of the content,
so that every edition, Word's included, sets the same direction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from publish import bidi, langs, walk
from publish import model as m

Warn = Callable[[str, int], None]
#: pandoc's implicit header reference (``[text][Heading text]``) names its heading by a mark
#: until the heading has its id: the heading carries the mark as a value of this key, the
#: link points to ``#`` this prefix and the mark (:func:`publish.links.implicit_targets`).
IMPLICIT = "publish-implicit-"


def checked(attr: m.Attr, line: int, warn: Warn, content: Iterable[walk.Node] = ()) -> m.Attr:
    """``attr`` with what no edition could carry left out (with a warning), ``dir`` as
    ``ltr`` or ``rtl``."""
    if not attr.values:
        return attr
    values: list[tuple[str, str]] = []
    for key, value in attr.values:
        if key == "lang":
            problem = langs.check(value)
            if problem:
                warn(f"{problem}: left out, the text keeps the language around it", line)
                continue
        elif key == "dir":
            value = value.strip().lower()
            if value == "auto":
                found = first_strong(content)
                if found is None:
                    continue  # no letter to decide by: the direction around it, as in HTML
                value = found
            elif value not in ("ltr", "rtl"):
                warn(f"dir={value!r} is not ltr, rtl or auto: left out", line)
                continue
        values.append((key, value))
    return m.Attr(attr.id, attr.classes, tuple(values))


def first_strong(content: Iterable[walk.Node]) -> str | None:
    """``rtl`` or ``ltr`` by the first strongly directed letter of ``content``'s text."""
    for node in walk.walk(content):
        if isinstance(node, m.Text | m.Code):
            for char in node.text:
                kind = bidi.bidi_class(char)
                if kind == "L":
                    return "ltr"
                if kind in bidi.RTL_CLASSES:
                    return "rtl"
    return None
