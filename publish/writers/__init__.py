"""One module per edition, one signature: ``write(doc, options, dest) -> Path``.

Writers never import each other; what they share lives in :mod:`publish.writers.common`
and :mod:`publish.writers.htmlbody`. Heavy libraries (WeasyPrint) are imported only when used.
"""

from __future__ import annotations

import contextlib
import ctypes.util
import importlib
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

from publish import model as m
from publish.options import Options

Writer = Callable[[m.Document, Options, Path], Path]


@contextlib.contextmanager
def _no_library_search() -> Iterator[None]:
    """``ctypes.util.find_library`` finds nothing for a while (Linux).

    WeasyPrint opens its native libraries under several names each, in turn, with cffi, and cffi
    asks ``find_library`` about each name that is not a file; on Linux that runs ``ldconfig``,
    then the C compiler and the linker, for every name: about 30 processes and 0.2 s at each
    WeasyPrint import. Each library's list also holds its Linux soname (``libpango-1.0.so.0``),
    which the dynamic loader finds by itself, so nothing is lost by skipping the search."""
    if not sys.platform.startswith("linux"):
        yield
        return
    search = ctypes.util.find_library
    ctypes.util.find_library = lambda name: None
    try:
        yield
    finally:
        ctypes.util.find_library = search


def import_weasyprint() -> None:
    """Import WeasyPrint (once) without the library search; with it, should that fail."""
    if "weasyprint" in sys.modules:
        return
    try:
        with _no_library_search():
            importlib.import_module("weasyprint")
    except OSError:  # a library only the search finds: import it again, the usual way
        for name in [n for n in sys.modules if n == "weasyprint" or n.startswith("weasyprint.")]:
            del sys.modules[name]
        importlib.import_module("weasyprint")


def _lazy(module: str) -> Writer:
    def write(doc: m.Document, options: Options, dest: Path) -> Path:
        if module == "pdf":
            import_weasyprint()
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
