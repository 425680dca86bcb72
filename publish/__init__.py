"""publish: one Markdown source, four faithful editions (HTML, PDF, EPUB 3, DOCX).

Library use::

    import publish

    doc = publish.load("content/article.md")        # the model (frozen dataclasses)
    publish.build(doc, "pdf", "output/article/article.pdf")
    print(publish.outline_of(doc))                  # the structure every edition carries
"""

from __future__ import annotations

__version__ = "0.1.0"

from publish.api import FORMATS, build, load, loads
from publish.errors import PublishError
from publish.outline import outline_of

__all__ = ["FORMATS", "PublishError", "__version__", "build", "load", "loads", "outline_of"]
