"""PDF edition: the HTML body renderer with the print template, laid out by WeasyPrint.

WeasyPrint is imported here only, so that builds without a PDF do not pay for it. Every
resource it asks for goes through :class:`ContentFetcher`, which serves local files from
the content root and the theme folders and refuses everything else. Any warning WeasyPrint
logs (a missing glyph above all) fails the build: a PDF with empty boxes is not shipped.
"""

from __future__ import annotations

import logging
import urllib.parse
from pathlib import Path
from typing import Any

import weasyprint
from weasyprint.text.fonts import FontConfiguration

from publish import htmlbody
from publish import model as m
from publish.errors import PublishError
from publish.writers import common, html

_FONT_CONFIG: FontConfiguration | None = None


def font_config() -> FontConfiguration:
    global _FONT_CONFIG
    if _FONT_CONFIG is None:
        _FONT_CONFIG = FontConfiguration()
    return _FONT_CONFIG


class ContentFetcher(weasyprint.URLFetcher):  # type: ignore[misc]
    """Serves ``file:`` URLs inside the allowed folders; refuses every other URL."""

    def __init__(self, roots: tuple[Path, ...]):
        super().__init__(allowed_protocols=("file",))
        self.roots = tuple(r.resolve() for r in roots)

    def fetch(self, url: str, headers: Any = None) -> Any:
        parsed = urllib.parse.urlsplit(url)
        if parsed.scheme != "file":
            raise ValueError(f"refused to fetch {url!r}: only files of the document are used")
        path = Path(urllib.parse.unquote(parsed.path)).resolve()
        if not any(path.is_relative_to(root) for root in self.roots):
            raise ValueError(f"refused to fetch {url!r}: outside the content and theme folders")
        return super().fetch(path.as_uri(), headers)


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def write(doc: m.Document, options: common.Options, dest: Path) -> Path:
    body_options = htmlbody.BodyOptions(image_url=lambda src: common.image_path(doc, src).as_uri(), lang=doc.meta.lang)
    markup = html.page(doc, options, "pdf/document.html", body_options)
    roots = (doc.base_dir, *([options.content_root] if options.content_root else []), *options.template_path)
    fetcher = ContentFetcher(roots)
    collector = _Collect()
    wp_log = logging.getLogger("weasyprint")
    wp_log.addHandler(collector)
    try:
        document = weasyprint.HTML(string=markup, base_url=doc.base_dir.as_uri() + "/", url_fetcher=fetcher).render(
            font_config=font_config()
        )
        document.metadata.modified = options.now.strftime("%Y-%m-%dT%H:%M:%SZ")
        if doc.meta.date:
            document.metadata.created = doc.meta.date.isoformat()
        with common.atomic_path(dest) as tmp:
            document.write_pdf(tmp)
            if collector.messages:
                raise PublishError(_explain(collector.messages), doc.source)
    finally:
        wp_log.removeHandler(collector)
    return dest


def _explain(messages: list[str]) -> str:
    glyphs = [msg for msg in messages if "glyph" in msg]
    if glyphs:
        return (
            "the PDF would show empty boxes: no installed font has some characters "
            f"({glyphs[0]}). Install a font that covers them (for Chinese: the Debian "
            "package fonts-noto-cjk)"
        )
    return "WeasyPrint: " + "; ".join(dict.fromkeys(messages))
