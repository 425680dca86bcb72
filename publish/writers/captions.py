"""Caption labels and section numbers as the HTML body (HTML, EPUB, PDF) writes them:
``<span class="caption-label">Figure 2</span>: caption`` (Quarto's form, the label in its
own span so that a theme may set it bold) and pandoc's
``<span class="header-section-number">2.1</span> Title``."""

from __future__ import annotations

import re

from markupsafe import escape

from publish import crossref
from publish import model as m

_SIZE = re.compile(r"^\d+(?:\.\d+)?(%|px|em|rem|cm|mm|in|pt)?$")


def caption(kind: str, number: str, lang: str, body: str) -> str:
    """A caption's markup ``body`` with its label before it (none without a number)."""
    if not number:
        return body
    label = escape(crossref.caption_label(kind, number, lang))
    separator = escape(crossref.caption_separator(lang)) if body else ""
    return f'<span class="caption-label">{label}</span>{separator}{body}'


def heading(number: str, body: str) -> str:
    """A heading's markup ``body`` with its section number before it."""
    if not number:
        return body
    return f'<span class="header-section-number">{escape(number)}</span> {body}'


def size_style(attr: m.Attr) -> str | None:
    """A figure's ``width``/``height`` (``{width="50%"}``, pandoc's units; a bare number is
    pixels) as the image's style; anything else is ignored."""
    rules = []
    for name in ("width", "height"):
        value = (attr.get(name) or "").strip()
        found = _SIZE.match(value)
        if found:
            rules.append(f"{name}: {value}{'' if found.group(1) else 'px'}")
    return "; ".join(rules) or None
