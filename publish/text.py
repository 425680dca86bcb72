"""Plain-text helpers shared by the reader, transforms, writers and read-backs."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator

from publish import model as m

# C0 controls other than TAB, LF and CR; DEL; C1 controls; lone surrogates; non-characters
# that XML 1.0 forbids. Word, EPUB readers and PDF text layers reject or garble them.
_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def find_forbidden(text: str) -> Iterator[tuple[int, str]]:
    """Yield (1-based line, character) for each character no edition can carry."""
    for match in _FORBIDDEN.finditer(text):
        yield text.count("\n", 0, match.start()) + 1, match.group()


def clean(text: str) -> str:
    """Remove the characters :func:`find_forbidden` reports."""
    return _FORBIDDEN.sub("", text)


def squash(text: str) -> str:
    """NFC, whitespace runs folded to one space, trimmed: the form outlines compare."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def plain(inlines: Iterable[m.Inline], *, notes: bool = False, math: Callable[[m.Math], str] | None = None) -> str:
    """The text a reader sees. Notes are left out unless ``notes`` (then as their number);
    a formula is its TeX (pandoc's stringify), or ``math(formula)``."""
    out: list[str] = []
    for node in inlines:
        match node:
            case m.Text(text=t) | m.Code(text=t):
                out.append(t)
            case m.Math(tex=t):
                out.append(math(node) if math else t)
            case m.LineBreak():
                out.append("\n")
            case m.Image():
                pass
            case m.Cite(text=t):
                out.append(t)
            case m.Note(number=n):
                if notes:
                    out.append(str(n))
            case (
                m.Emphasis(content=c)
                | m.Strong(content=c)
                | m.Superscript(content=c)
                | (m.Subscript(content=c))
                | m.Strikeout(content=c)
                | m.Underline(content=c)
                | m.Link(content=c)
                | m.Span(content=c)
            ):
                out.append(plain(c, notes=notes, math=math))
    return "".join(out)


_SLUG_DROP = re.compile(r"[^\w\s-]", re.UNICODE)


def slugify(text: str) -> str:
    """pandoc's auto_identifiers: lower case, punctuation dropped, spaces to hyphens."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = _SLUG_DROP.sub("", text)
    text = re.sub(r"\s+", "-", text.strip())
    text = text.lstrip("0123456789-_.")
    return text or "section"


def merge(nodes: list[m.Inline]) -> tuple[m.Inline, ...]:
    """Adjacent text runs joined, empty ones dropped."""
    out: list[m.Inline] = []
    for node in nodes:
        if isinstance(node, m.Text) and out and isinstance(out[-1], m.Text):
            out[-1] = m.Text(out[-1].text + node.text)
        elif not (isinstance(node, m.Text) and not node.text):
            out.append(node)
    return tuple(out)
