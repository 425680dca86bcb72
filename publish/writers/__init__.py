"""One module per edition, one signature: ``write(doc, options, dest) -> Path``.

Writers never import each other; what they share lives in :mod:`publish.writers.common`
and :mod:`publish.writers.htmlbody`. Heavy libraries (WeasyPrint) are imported only when used.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path

from publish import model as m
from publish.options import Options

Writer = Callable[[m.Document, Options, Path], Path]


def _lazy(module: str) -> Writer:
    def write(doc: m.Document, options: Options, dest: Path) -> Path:
        fn: Writer = importlib.import_module(f"publish.writers.{module}").write
        return fn(doc, options, dest)

    write.__name__ = f"write_{module}"
    return write


REGISTRY: dict[str, Writer] = {
    "html": _lazy("html"),
    "pdf": _lazy("pdf"),
    "epub": _lazy("epub"),
    "docx": _lazy("docx"),
}
