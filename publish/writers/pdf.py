"""PDF edition: the HTML body renderer with the print template, laid out by WeasyPrint.

WeasyPrint is imported here only, so that builds without a PDF do not pay for it. Every
resource it asks for goes through :class:`ContentFetcher`, which serves local files from
the content root and the theme folders and refuses everything else. A character that no
installed font has (:mod:`publish.glyphs`) is drawn as a box and reported as a warning at
each ``file:line`` of the source where it stands, with the Debian package that would cover
it; any other warning WeasyPrint logs fails the build.
"""

from __future__ import annotations

import base64
import contextlib
import functools
import hashlib
import logging
import re
import urllib.parse
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pydyf  # type: ignore[import-untyped]

from publish import files, freshness, glyphs, langs, svg
from publish import model as m
from publish.errors import PublishError
from publish.options import Options
from publish.writers import common, htmlbody, pdfassemble, pdfengine, pdfhyphens, pdfmeta, pdfparts, pdfrtl

log = logging.getLogger("publish")


def _tag_languages() -> None:
    """Give structure elements the ``/Lang`` of their HTML element, and an abbreviation
    (``<abbr title>``) its expansion (``/E``, read by assistive technology).

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
            if html_element is not None and html_element.tag == "abbr" and html_element.get("title"):
                element["E"] = pydyf.String(html_element.get("title"))
            yield element

    build.publish_lang = True  # type: ignore[attr-defined]
    tags._build_box_tree = build


_tag_languages()

#: Marks, in the print page, the href of a link to another document's PDF edition
#: (:func:`publish.layout.edition_link`): see :func:`_links_to_other_pdfs`.
EDITION_SCHEME = "publish-edition:"


def _links_to_other_pdfs() -> None:
    """Make a link to another document's PDF edition (``../guide/guide.pdf#install``) a link
    to that file and its named destination: a ``GoToR`` action, relative to this PDF.

    WeasyPrint resolves every href against the page's base URL (the source's folder) into an
    absolute ``URI`` action; a URL with a scheme it leaves alone. The print page marks these
    hrefs with :data:`EDITION_SCHEME`, and this wrapper of its link writer turns each such
    annotation into a ``GoToR`` (its ``/Contents``, for PDF/UA, the relative path)."""
    from weasyprint import pdf as wp_pdf

    original = wp_pdf.add_links
    if getattr(original, "publish_editions", False):
        return

    def add_links(links_and_anchors: Any, matrix: Any, pdf: Any, page: Any, names: Any, tags: Any) -> None:
        original(links_and_anchors, matrix, pdf, page, names, tags)
        for link_type, target, _rectangle, box in links_and_anchors[0]:
            annotation = getattr(box, "link_annotation", None)
            if link_type != "external" or annotation is None or not target.startswith(EDITION_SCHEME):
                continue
            href = target[len(EDITION_SCHEME) :]
            path, _, fragment = href.partition("#")
            where = pydyf.String(urllib.parse.unquote(fragment)) if fragment else pydyf.Array([0, "/Fit"])
            annotation["A"] = pydyf.Dictionary(
                {"Type": "/Action", "S": "/GoToR", "F": pydyf.String(urllib.parse.unquote(path)), "D": where}
            )
            if "Contents" in annotation:
                annotation["Contents"] = pydyf.String(urllib.parse.unquote(href))

    add_links.publish_editions = True  # type: ignore[attr-defined]
    wp_pdf.add_links = add_links


_links_to_other_pdfs()


def _decorative(box: Any) -> bool:
    """An ``<img alt="">``: a decorative image, which PDF/UA wants as an artifact, not a Figure."""
    from weasyprint.formatting_structure import boxes

    box = getattr(box, "_box", box)  # an absolutely positioned box's placeholder
    element = getattr(box, "element", None)
    if not isinstance(box, boxes.ReplacedBox) or element is None or element.tag != "img":
        return False
    alt = element.get("alt")
    return alt is not None and not alt.strip()


def _decorative_images() -> None:
    """Draw decorative images (``alt=""``) as artifacts and leave them out of the tag tree.

    WeasyPrint 70 tags every image as a Figure and logs an error for one without alt text,
    which PDF/UA calls for only for images that carry meaning; an image with an empty ``alt``
    is decoration (HTML's rule), and PDF/UA wants decoration marked as an artifact (ISO
    14289-1, 7.1), as WeasyPrint marks backgrounds and borders. Its drawing and tagging have
    no hook for it, so its stream's marking and its tag builder are wrapped once, as
    :func:`_tag_languages` does (``tests/test_svg.py`` reads the result back).
    """
    from weasyprint.pdf import stream, tags

    marked = stream.Stream.marked
    if getattr(marked, "publish_decorative", False):
        return

    @contextlib.contextmanager
    def marked_unless_decorative(self: Any, box: Any, tag: str) -> Iterator[None]:
        with self.artifact() if tag == "Figure" and _decorative(box) else marked(self, box, tag):
            yield

    marked_unless_decorative.publish_decorative = True  # type: ignore[attr-defined]
    stream.Stream.marked = marked_unless_decorative

    build_tree = tags._build_box_tree

    def build(box: Any, *rest: Any) -> Any:
        if not _decorative(box):
            yield from build_tree(box, *rest)

    tags._build_box_tree = build


_decorative_images()


def _images_named_by_content() -> None:
    """Name a raster image in the PDF after its bytes, not its URL.

    WeasyPrint 70 names each raster image's XObject after the MD5 of the URL it read it from,
    so the same document built from another folder (a Dask worker without a shared disk
    puts the files under a scratch folder of its own) wrote other names, other bytes, and
    a part kept by the incremental PDF did not match. Its image constructor is wrapped once,
    as :func:`_tag_languages` does.
    """
    from weasyprint import images

    init = images.RasterImage.__init__
    if getattr(init, "publish_by_content", False):
        return

    def by_content(self: Any, pillow: Any, image_id: str, image_data: bytes | None, *rest: Any, **kw: Any) -> None:
        if image_data is not None:
            image_id = hashlib.md5(image_data, usedforsecurity=False).hexdigest()
        init(self, pillow, image_id, image_data, *rest, **kw)

    by_content.publish_by_content = True  # type: ignore[attr-defined]
    images.RasterImage.__init__ = by_content


_images_named_by_content()


def write(doc: m.Document, options: Options, dest: Path) -> Path:
    media = common.Media(doc, options)
    body_options = htmlbody.BodyOptions(
        image_url=functools.partial(_image_url, media),
        notes="float",
        lang=doc.meta.lang,
        documents="pdf",
        document_prefix=EDITION_SCHEME,
        math_svg=True,
    )
    markup = htmlbody.page(doc, options, "pdf/document.html", body_options)
    missing = uncovered(markup)
    markup = pdfhyphens.keep_last_words(mark_uncovered(markup, missing))
    resolver = common.resolver(doc, options, themes=True)
    collector = pdfengine.Collect()
    wp_log = logging.getLogger("weasyprint")
    wp_log.addFilter(collector)
    try:
        cut = _in_parts(doc, options, markup)
        if cut is not None:
            notdef, messages = pdfassemble.write(
                cut,
                base_url=doc.base_dir.as_uri() + "/",
                resolver=resolver,
                variant=options.pdf_variant,
                timeout=options.pdf_timeout,
                context=freshness.code_digest(),
                meta=(doc.meta, options.now),
                dest=dest,
                rtl=langs.direction(doc.meta.lang) == "rtl",
            )
            collector.notdef |= notdef
            collector.messages.extend(messages)
            if collector.messages:  # pdfassemble wrote nothing: the previous edition stays
                raise PublishError("WeasyPrint: " + "; ".join(dict.fromkeys(collector.messages)), doc.source)
        else:
            _write_whole(doc, options, markup, pdfengine.ContentFetcher(resolver), collector, dest)
    except pdfengine.LayoutTimeout:
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
        wp_log.removeFilter(collector)
    warn_uncovered(doc, missing | collector.notdef)
    return dest


def _in_parts(doc: m.Document, options: Options, markup: str) -> pdfparts.Split | None:
    """The page cut into parts when it is to be laid out in parts (:mod:`publish.writers.pdfparts`):
    a long document in the tagged PDF (PDF/UA) of a theme that allows it."""
    if options.pdf_variant != "pdf/ua-1" or options.pdf_parts == "off":
        return None
    cut = pdfparts.split(markup)
    if cut is None or (options.pdf_parts == "auto" and not pdfparts.worth_it(cut)):
        return None
    why = pdfparts.unsafe_theme(markup)
    if why is not None:
        if options.pdf_parts == "on":
            log.warning("%s: laid out whole, not in parts: %s", doc.source or "document", why)
        return None
    return cut


def _write_whole(
    doc: m.Document,
    options: Options,
    markup: str,
    fetcher: pdfengine.ContentFetcher,
    collector: pdfengine.Collect,
    dest: Path,
) -> None:
    with pdfengine.time_limit(options.pdf_timeout):
        document = pdfengine.laid_out(markup, doc.base_dir.as_uri() + "/", fetcher)
        pdfmeta.apply(document, doc.meta, options.now)
        variant = None if options.pdf_variant == "plain" else options.pdf_variant
        with files.atomic_path(dest) as tmp, warnings.catch_warnings():
            # WeasyPrint 70 opens its sRGB profile for PDF/A output intents and never closes
            # it (weasyprint/pdf/__init__.py); the file is read in full, so the warning about
            # the unclosed handle says nothing about our PDF. tests/test_quality.py
            # (test_pdf_a_3a_on_request) runs with warnings as errors and proves it is the only one.
            warnings.simplefilter("ignore", ResourceWarning)
            finish = pdfrtl.viewer_direction(langs.direction(doc.meta.lang))
            document.write_pdf(tmp, pdf_variant=variant, custom_metadata=True, finisher=finish)
            if collector.messages:
                raise PublishError("WeasyPrint: " + "; ".join(dict.fromkeys(collector.messages)), doc.source)


def _image_url(media: common.Media, src: str) -> str:
    """The URL WeasyPrint reads an image from: an SVG cleaned (:mod:`publish.svg`) with its
    text in outlines (:mod:`publish.writers.librsvg`), as a ``data:`` URL, so that it draws,
    in vectors, the same harmless picture the other editions embed; any other image as the
    file itself."""
    if media.is_svg(src):
        return f"data:{svg.MEDIA_TYPE};base64," + base64.b64encode(media.outlined(src)).decode("ascii")
    return media.path(src).as_uri()


def uncovered(markup: str) -> set[str]:
    """The characters of the page's text that no installed font has (from the faces' cmaps)."""
    import lxml.html

    page = lxml.html.document_fromstring(markup)
    text = "".join(str(t) for body in page.iter("body") for t in body.itertext())
    return glyphs.uncovered(glyphs.drawn(text))


_TEXT = re.compile(r"(?<=>)[^<]+")


def mark_uncovered(markup: str, missing: set[str]) -> str:
    """Each character no font has, in the body's text, in a ``<span class="no-glyph">``: the
    print stylesheet sets it in DejaVu Sans, whose box has a glyph number to spare for the
    character (in a font of 65,535 glyphs, as Noto CJK, WeasyPrint maps every missing
    character to the same number, and the text layer loses them)."""
    if not missing:
        return markup
    body = markup.find("<body")
    wrap = re.compile("[" + "".join(re.escape(c) for c in sorted(missing)) + "]")

    def text(found: re.Match[str]) -> str:
        return wrap.sub(lambda c: f'<span class="no-glyph">{c.group()}</span>', found.group())

    return markup[:body] + _TEXT.sub(text, markup[body:])


def warn_uncovered(doc: m.Document, missing: set[str]) -> list[str]:
    """Log (and return) a warning for each source line that holds characters no font has:
    each shows as a box in the PDF, and the warning names the package that would cover it."""
    if not missing:
        return []
    sources = [c.source for c in doc.chapters] or ([doc.source] if doc.source else [])
    places = glyphs.source_lines(sources, missing)
    by_line: dict[tuple[str, int], list[str]] = {}
    for char in sorted(missing):
        for file, number in places.get(char) or [(doc.source or Path("document"), 0)]:
            by_line.setdefault((str(file), number), []).append(char)
    warnings_ = []
    for (name, line), chars in sorted(by_line.items()):
        advice: dict[str, list[str]] = {}
        for char in chars:
            advice.setdefault(glyphs.advice(char), []).append(glyphs.describe(char))
        what = "; ".join(f"{', '.join(names)} ({text})" for text, names in advice.items())
        where = f"{name}:{line}" if line else name
        warnings_.append(f"{where}: no installed font has a glyph for {what}; the PDF shows a box instead")
    for message in warnings_:
        log.warning("%s", message)
    return warnings_
