"""publish: one Markdown source, four faithful editions (HTML, PDF, EPUB 3, DOCX).

Library use::

    import publish

    doc = publish.load("content/article.md")        # the model (frozen dataclasses)
    publish.build(doc, "pdf", "output/article/article.pdf")
    print(publish.outline_of(doc))                  # the structure every edition carries
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from publish.errors import PublishError
from publish.version import __version__

if TYPE_CHECKING:
    from publish.api import FORMATS, build, load, loads
    from publish.outline import outline_of

__all__ = ["FORMATS", "PublishError", "__version__", "build", "load", "loads", "outline_of"]


def __getattr__(name: str) -> Any:
    """The library's functions, imported on first use: ``python -m publish`` can then tell
    that nothing needs building without loading the parser and the writers."""
    if name in ("FORMATS", "build", "load", "loads"):
        from publish import api

        return getattr(api, name)
    if name == "outline_of":
        from publish.outline import outline_of

        return outline_of
    raise AttributeError(f"module 'publish' has no attribute {name!r}")
