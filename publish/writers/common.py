"""What the writers share beyond the template data (:mod:`publish.context`) and the body
renderer (:mod:`publish.writers.htmlbody`): the images of a document as an edition uses them."""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

from publish import model as m
from publish import resources
from publish.errors import PublishError
from publish.options import Options
from publish.walk import images


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
            raise PublishError(f"image refused: {exc}", self.doc.source) from None

    @functools.cache  # noqa: B019 - one Media per edition: the cache lives as long as the edition
    def name(self, src: str) -> str:
        """A collision-free name for an image inside an edition: ``media/<stem>-<hash><ext>``."""
        path = self.path(src)
        digest = hashlib.sha256(path.read_bytes()).hexdigest()[:10]
        return f"media/{path.stem}-{digest}{path.suffix.lower()}"

    def names(self) -> dict[str, str]:
        """Every image of the document: its ``src`` → its name inside the edition."""
        return {img.src: self.name(img.src) for img in images(self.doc)}
