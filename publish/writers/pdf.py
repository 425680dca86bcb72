"""PDF edition: the HTML body renderer with the print template, laid out by WeasyPrint.

WeasyPrint is imported here only, so that builds without a PDF do not pay for it. Every
resource it asks for goes through :class:`ContentFetcher`, which serves local files from
the content root and the theme folders and refuses everything else. Any warning WeasyPrint
logs (a missing glyph above all) fails the build: a PDF with empty boxes is not shipped.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import signal
import threading
import unicodedata
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pydyf  # type: ignore[import-untyped]
import weasyprint
from lxml import etree
from weasyprint.pdf.metadata import DocumentMetadata
from weasyprint.text.fonts import FontConfiguration

from publish import bidi, files, langs, pagedata, resources
from publish import model as m
from publish.errors import PublishError
from publish.options import Options
from publish.writers import common, htmlbody

_FONT_CONFIG: FontConfiguration | None = None


def _tag_languages() -> None:
    """Give structure elements the ``/Lang`` of their HTML element.

    WeasyPrint 70 writes the document's ``/Lang`` only; PDF/UA wants a change of language
    marked where it happens (a Chinese name in an English text). Its tag builder has no hook,
    so its recursive builder is wrapped once: every element it yields for a box whose HTML
    element has ``lang`` gets that language. ``publish check``'s languages check reads the
    tags back (``tests/test_check.py`` removes them from a PDF and sees the check fail).
    """
    from weasyprint.pdf import tags

    original = tags._build_box_tree
    if getattr(original, "publish_lang", False):
        return

    def build(box: Any, parent: Any, pdf: Any, *rest: Any) -> Any:
        for element in original(box, parent, pdf, *rest):
            html_element = getattr(getattr(box, "_box", box), "element", None)
            lang = html_element.get("lang") if html_element is not None else None
            if lang and html_element is not None and html_element.tag != "html" and "Lang" not in element:
                element["Lang"] = pydyf.String(lang)
            yield element

    build.publish_lang = True  # type: ignore[attr-defined]
    tags._build_box_tree = build


_tag_languages()


@functools.cache
def presentation_forms() -> dict[str, str]:
    """Right-to-left letters drawn as one glyph (lam-alef, Hebrew letters with a point...) →
    the one Unicode presentation form that stands for them (NFKC gives the letters back)."""
    forms: dict[str, str] = {}
    for code in (*range(0xFB1D, 0xFE00), *range(0xFE70, 0xFF00)):
        letters = unicodedata.normalize("NFKC", chr(code))
        if len(letters) > 1 and bidi.has_rtl(letters) and not letters[0].isspace():
            forms.setdefault(letters, chr(code))
    return forms


def _ligatures_as_one_character() -> None:
    """Map a glyph that draws several right-to-left letters to one character in the text layer.

    A PDF draws right-to-left text in visual order, and text extractors (poppler's pdftotext,
    so Evince and Okular too) reverse a right-to-left word character by character; a lam-alef
    ligature whose ``/ToUnicode`` is the two letters ل + ا comes out as ا + ل ("الأول" reads
    "األول"). Mapped to its presentation form (U+FEFB ﻻ), one character, it survives the
    reversal, and NFKC (which search and copy in readers apply, as ``publish check`` does)
    gives the two letters back. WeasyPrint fills ``Font.to_unicode`` while it draws and turns
    it into ``/ToUnicode`` CMaps in ``build_fonts_dictionary``, so that step is wrapped once.
    """
    from weasyprint import pdf as wp_pdf

    original = wp_pdf.build_fonts_dictionary
    if getattr(original, "publish_forms", False):
        return

    def build(pdf: Any, fonts: Any, *rest: Any) -> Any:
        forms = presentation_forms()
        for font in fonts.values():
            for glyph, letters in font.to_unicode.items():
                if letters in forms:
                    font.to_unicode[glyph] = forms[letters]
        return original(pdf, fonts, *rest)

    build.publish_forms = True  # type: ignore[attr-defined]
    wp_pdf.build_fonts_dictionary = build


_ligatures_as_one_character()


def _viewer_direction(direction: str) -> Any:
    """A ``write_pdf`` finisher: a right-to-left document asks viewers for right-to-left
    reading order (``/ViewerPreferences /Direction /R2L``: pages side by side from the right,
    the scroll bar on the left), keeping the preferences WeasyPrint set (``DisplayDocTitle``)."""

    def finish(document: Any, pdf: Any) -> None:
        if direction == "rtl":
            preferences = pdf.catalog.get("ViewerPreferences") or pydyf.Dictionary()
            preferences["Direction"] = "/R2L"
            pdf.catalog["ViewerPreferences"] = preferences

    return finish


def font_config() -> FontConfiguration:
    global _FONT_CONFIG
    if _FONT_CONFIG is None:
        _FONT_CONFIG = FontConfiguration()
    return _FONT_CONFIG


class ContentFetcher(weasyprint.URLFetcher):  # type: ignore[misc]
    """Fetches what :class:`publish.resources.Resolver` allows and refuses everything else.
    Given to every ``HTML()`` (and so to every stylesheet, image, font and attachment the
    page names)."""

    def __init__(self, resolver: resources.Resolver):
        protocols = ("file", "data", "http", "https") if resolver.allow_remote else ("file", "data")
        super().__init__(allowed_protocols=protocols)
        self.resolver = resolver

    def fetch(self, url: str, headers: Any = None) -> Any:
        try:
            allowed = self.resolver.url(url)
        except resources.Refused as exc:
            raise ValueError(f"refused: {exc}") from None
        return super().fetch(allowed, headers)


class _LayoutTimeout(Exception):
    pass


@contextlib.contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """Interrupt WeasyPrint (pure Python) after ``seconds`` with :class:`_LayoutTimeout`.
    Uses SIGALRM, so it applies in a process's main thread, where builds run."""
    if seconds <= 0 or threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def expired(signum: int, frame: Any) -> None:
        raise _LayoutTimeout

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def write(doc: m.Document, options: Options, dest: Path) -> Path:
    media = common.Media(doc, options)
    body_options = htmlbody.BodyOptions(image_url=lambda src: media.path(src).as_uri(), notes="float")
    markup = htmlbody.page(doc, options, "pdf/document.html", body_options)
    fetcher = ContentFetcher(common.resolver(doc, options, themes=True))
    collector = _Collect()
    wp_log = logging.getLogger("weasyprint")
    wp_log.addHandler(collector)
    try:
        with _time_limit(options.pdf_timeout):
            document = weasyprint.HTML(string=markup, base_url=doc.base_dir.as_uri() + "/", url_fetcher=fetcher).render(
                font_config=font_config()
            )
            document.metadata.modified = options.now.strftime("%Y-%m-%dT%H:%M:%SZ")
            if doc.meta.date:
                document.metadata.created = doc.meta.date.isoformat()
            document.metadata = _Metadata(doc.meta, document.metadata)
            variant = None if options.pdf_variant == "plain" else options.pdf_variant
            with files.atomic_path(dest) as tmp, warnings.catch_warnings():
                # WeasyPrint 70 opens its sRGB profile for PDF/A output intents and never closes
                # it (weasyprint/pdf/__init__.py); the file is read in full, so the warning about
                # the unclosed handle says nothing about our PDF. tests/test_quality.py
                # (test_pdf_a_3a_on_request) runs with warnings as errors and proves it is the only one.
                warnings.simplefilter("ignore", ResourceWarning)
                finish = _viewer_direction(langs.direction(doc.meta.lang))
                document.write_pdf(tmp, pdf_variant=variant, custom_metadata=True, finisher=finish)
                if collector.messages:
                    raise PublishError(_explain(collector.messages), doc.source)
    except _LayoutTimeout:
        raise PublishError(
            f"the PDF took longer than {options.pdf_timeout:g} s to lay out and was abandoned "
            "(a theme's CSS forcing thousands of pages, or content nested too deep?); "
            "raise the limit with --pdf-timeout if the document is simply very long",
            doc.source,
        ) from None
    except RecursionError:
        raise PublishError("the PDF cannot be laid out: the content is nested too deeply", doc.source) from None
    except (ArithmeticError, ValueError, TypeError, IndexError, KeyError, AttributeError, AssertionError) as exc:
        # WeasyPrint's own failures on input it cannot lay out (absurd CSS values above all)
        raise PublishError(
            f"WeasyPrint cannot lay out this document ({type(exc).__name__}: {exc}); "
            "does a theme's CSS use extreme sizes?",
            doc.source,
        ) from None
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


_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_DC = "http://purl.org/dc/elements/1.1/"


class _Metadata(DocumentMetadata):  # type: ignore[misc]
    """WeasyPrint's metadata (from the page's ``<title>`` and ``<meta>``), plus the document
    information entries of :func:`pagedata.custom_properties` and the XMP of :func:`xmp_description`, inside
    the one ``rdf:RDF`` that XMP allows."""

    def __init__(self, meta: m.Metadata, base: DocumentMetadata):
        super().__init__(**vars(base))
        self.custom = pagedata.custom_properties(meta)  # not every <meta> of the page: ours, named as in DOCX
        self.publish_meta = meta

    def generate_rdf_metadata(self, variant: Any, version: Any, conformance: Any) -> bytes:
        rdf = etree.fromstring(super().generate_rdf_metadata(variant, version, conformance))
        rdf.append(xmp_description(self.publish_meta))
        return bytes(etree.tostring(rdf, encoding="utf-8"))


def xmp_description(meta: m.Metadata) -> etree._Element:
    """Dublin Core beyond what WeasyPrint writes (title, creator, description, keywords,
    dates): publishers in every language, identifier, language, date, rights."""
    desc = etree.Element(f"{{{_RDF}}}Description", {f"{{{_RDF}}}about": ""}, nsmap={"rdf": _RDF, "dc": _DC})

    def bag(name: str, kind: str, values: list[tuple[str, str | None]]) -> None:
        holder = etree.SubElement(etree.SubElement(desc, f"{{{_DC}}}{name}"), f"{{{_RDF}}}{kind}")
        for value, lang in values:
            li = etree.SubElement(holder, f"{{{_RDF}}}li")
            li.text = value
            if lang:
                li.set("{http://www.w3.org/XML/1998/namespace}lang", lang)

    if meta.publishers:
        bag("publisher", "Bag", [(n.text, n.lang) for org in meta.publishers for n in org.names])
    etree.SubElement(desc, f"{{{_DC}}}identifier").text = meta.identifier
    bag("language", "Bag", [(meta.lang, None)])
    if meta.date:
        bag("date", "Seq", [(meta.date.isoformat(), None)])
    if meta.rights:
        bag("rights", "Alt", [(meta.rights, "x-default")])
    return desc
