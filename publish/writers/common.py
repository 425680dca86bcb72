"""What the writers share beyond the template data (:mod:`publish.context`) and the body
renderer (:mod:`publish.writers.htmlbody`): the images of a document as an edition uses them."""

from __future__ import annotations

import functools
import hashlib
import re
import urllib.parse
from collections.abc import Callable
from pathlib import Path

from publish import model as m
from publish import resources, svg
from publish.errors import MissingToolError, PublishError, line_of
from publish.options import Options
from publish.walk import images
from publish.writers import librsvg


def resolver(doc: m.Document, options: Options, *, themes: bool = False) -> resources.Resolver:
    """What ``doc`` may use: its content folder (or its own folder), and with ``themes`` the
    theme folders (for the PDF engine, which also fetches the theme's files)."""
    extra = options.template_path if themes else ()
    return resources.Resolver.for_document(doc.source, options.content_root, extra, options.allow_remote)


class Media:
    """The images of one document as one edition uses them, through one resolver."""

    def __init__(self, doc: m.Document, options: Options):
        self.doc = doc
        self.resolver = resolver(doc, options)

    def path(self, src: str) -> Path:
        """The real path of an image, checked again at writing time (a symlink could have been
        swapped since the document was read)."""
        try:
            return self.resolver.local(src, self.doc.base_dir)
        except resources.Refused as exc:
            raise PublishError(f"image refused: {exc}", *self.where(src)) from None

    @functools.cache  # noqa: B019 - one Media per edition: the cache lives as long as the edition
    def name(self, src: str) -> str:
        """A collision-free name for an image inside an edition: ``media/<stem>-<hash><ext>``."""
        path = self.path(src)
        digest = hashlib.sha256(path.read_bytes()).hexdigest()[:10]
        return f"media/{path.stem}-{digest}{path.suffix.lower()}"

    @staticmethod
    def is_svg(src: str) -> bool:
        return urllib.parse.unquote(src).lower().endswith(".svg")

    @functools.cache  # noqa: B019 - as above
    def picture(self, src: str) -> svg.Svg:
        """An SVG image cleaned of all it could run or fetch (:mod:`publish.svg`), with its size;
        a file that is no SVG is an error at the line that names it."""
        try:
            return svg.read(self.path(src))
        except svg.SvgError as exc:
            raise PublishError(f"image {src!r} is not a usable SVG: {exc}", *self.where(src)) from None

    @functools.cache  # noqa: B019 - as above
    def png(self, src: str) -> bytes:
        """A PNG drawn from an SVG image (the DOCX's fallback for readers without SVG)."""
        return self._drawn(src, librsvg.png)

    @functools.cache  # noqa: B019 - as above
    def outlined(self, src: str) -> bytes:
        """An SVG image with its text turned into outlines (the PDF's: its text layer is the
        document's text)."""
        return self._drawn(src, lambda image, lang: librsvg.outlined(image, lang).data)

    def _drawn(self, src: str, draw: Callable[[svg.Svg, str], bytes]) -> bytes:
        try:
            return draw(self.picture(src), self.doc.meta.lang)
        except svg.SvgError as exc:
            raise PublishError(f"image {src!r} is not a usable SVG: {exc}", *self.where(src)) from None
        except MissingToolError as exc:
            raise MissingToolError(f"image {src!r}: {exc.message}", *self.where(src)) from None

    def data(self, src: str) -> bytes:
        """The bytes an edition embeds for an image: an SVG cleaned, any other file as it is."""
        return self.picture(src).data if self.is_svg(src) else self.path(src).read_bytes()

    def where(self, src: str) -> tuple[Path | None, int | None]:
        """The source file and line that name the image ``src`` (a book's chapter for a book),
        for errors found while an edition is written; the document alone when not found."""
        name = Path(urllib.parse.unquote(src)).name
        sources: list[Path | None] = [c.source for c in self.doc.chapters] or [self.doc.source]
        for file in (f for f in sources if f is not None):
            try:
                text = file.read_text(encoding="utf-8", errors="replace")
            except OSError:
                continue
            for pattern in (rf"\]\([^)\n]*{re.escape(name)}", re.escape(name)):
                line = line_of(text, pattern)
                if line is not None:
                    return file, line
        return self.doc.source, None

    def names(self) -> dict[str, str]:
        """Every image of the document: its ``src`` → its name inside the edition."""
        return {img.src: self.name(img.src) for img in images(self.doc)}
