"""The one place that decides which files and URLs an edition may use.

Documents come from people who did not write our code: contributors, wire copy, PDF
extractions. Every writer asks a :class:`Resolver` before it reads a file a document or a
template names, and WeasyPrint's fetcher (:mod:`publish.writers.pdf`) asks it for every
URL, so all four formats follow the same rules:

- a resource is a relative path; it is resolved with symlinks followed, and the real path
  must lie inside one of the allowed roots: the content folder (or the document's own folder
  when it is outside any content folder) and the theme folders;
- absolute paths, ``file:`` URLs and every other scheme are refused; ``http(s):`` only when
  the user allows remote resources explicitly (``--allow-remote``), and then only for the
  PDF engine fetching what a theme names — content images are always local files;
- ``data:`` URLs need neither a file nor the network and are served by WeasyPrint itself.
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


class Refused(ValueError):
    """A resource the rules above do not allow; the message says why."""


@dataclass(frozen=True)
class Resolver:
    roots: tuple[Path, ...]
    allow_remote: bool = False

    @classmethod
    def of(cls, roots: Iterable[Path], allow_remote: bool = False) -> Resolver:
        return cls(tuple(dict.fromkeys(Path(r).resolve() for r in roots)), allow_remote)

    @classmethod
    def for_document(
        cls, source: Path | None, content_root: Path | None, extra: Iterable[Path] = (), allow_remote: bool = False
    ) -> Resolver:
        """The roots of one document: its content folder when it lies inside one, otherwise
        its own folder; plus ``extra`` (the theme folders, for the PDF engine)."""
        folder = (source or Path("document.md")).resolve().parent
        root = folder
        if content_root is not None and folder.is_relative_to(content_root.resolve()):
            root = content_root.resolve()
        return cls.of([root, *extra], allow_remote)

    def inside(self, path: Path) -> bool:
        real = path.resolve()
        return any(real.is_relative_to(root) for root in self.roots)

    def local(self, src: str, base: Path) -> Path:
        """The real path of the local file ``src`` names, relative to the folder ``base``."""
        if not src:
            raise Refused("an empty path")
        if _SCHEME.match(src):
            scheme = src.split(":", 1)[0].lower()
            if scheme in ("http", "https"):
                raise Refused(f"{src!r} is on the network: only local files next to the document are used")
            raise Refused(f"{src!r}: only relative paths to local files are allowed")
        decoded = urllib.parse.unquote(src)
        if decoded.startswith(("/", "\\")) or Path(decoded).is_absolute():
            raise Refused(f"{src!r} is an absolute path: name files relative to the document")
        path = (base / decoded).resolve()
        if not self.inside(path):
            raise Refused(f"{src!r} leads outside the content folder (to {path})")
        return path

    def url(self, url: str) -> str:
        """The URL WeasyPrint may fetch for ``url`` (a ``file:`` URL of a real path inside the
        roots, a ``data:`` URL, or an ``http(s):`` one when remote resources are allowed)."""
        parsed = urllib.parse.urlsplit(url)
        scheme = parsed.scheme.lower()
        if scheme == "data":
            return url
        if scheme in ("http", "https"):
            if self.allow_remote:
                return url
            raise Refused(f"{url!r} is on the network (allow it with --allow-remote)")
        if scheme != "file" or parsed.netloc not in ("", "localhost"):
            raise Refused(f"{url!r}: only the files of the document and its theme are used")
        path = Path(urllib.parse.unquote(parsed.path)).resolve()
        if not self.inside(path):
            raise Refused(f"{url!r} lies outside the content and theme folders")
        return path.as_uri()
