"""The PDF engine's primitives, shared by the whole-document layout (:mod:`publish.writers.pdf`)
and the layout in parts (:mod:`publish.writers.pdfassemble`): the font configuration, the
fetcher every resource goes through, the layout time limit, the collector of WeasyPrint's
warnings, and the layout with the hyphenation passes."""

from __future__ import annotations

import contextlib
import gc
import logging
import re
import signal
import threading
from collections.abc import Iterator
from typing import Any

import weasyprint
from weasyprint.text.fonts import FontConfiguration

from publish import resources
from publish.writers import pdfhyphens

_FONT_CONFIG: FontConfiguration | None = None


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


class LayoutTimeout(BaseException):
    """Not an ``Exception``: WeasyPrint catches those in places (a font, an image) and goes
    on laying out, which made an expired limit wait for the whole layout."""


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Interrupt WeasyPrint (pure Python) after ``seconds`` with :class:`LayoutTimeout`.
    Uses SIGALRM, so it applies in a process's main thread, where builds run."""
    if seconds <= 0 or threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def expired(signum: int, frame: Any) -> None:
        raise LayoutTimeout

    previous = signal.signal(signal.SIGALRM, expired)
    # and again every 0.1 s, should one interruption be swallowed by a bare except
    signal.setitimer(signal.ITIMER_REAL, seconds, 0.1)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


class Collect(logging.Filter):
    """Set on WeasyPrint's logger during a build: keeps its warnings, and takes its reports
    of ``.notdef`` glyphs (characters no font has) out of its log, for :func:`warn_uncovered`."""

    def __init__(self) -> None:
        super().__init__()
        self.messages: list[str] = []
        self.notdef: set[str] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno < logging.WARNING:
            return True
        message = record.getMessage()
        if message.startswith(".notdef glyph"):
            self.notdef |= {chr(int(h, 16)) for h in re.findall(r"U\+([0-9A-Fa-f]{4,6})", message)}
            return False
        if message.startswith("Too many glyphs missing"):
            # The same box in a font with no glyph number left to map it to its character
            # (Noto CJK): part of the degradation already warned about, not a failure.
            return False
        self.messages.append(message)
        return True


_STYLE = re.compile(r"<style>(.*?)</style>\n?", re.S)
_SHEETS: dict[tuple[str, str, resources.Resolver], weasyprint.CSS] = {}
_COUNTER_STYLE: Any = None


def _counter_style() -> Any:
    """One ``@counter-style`` registry for the process, shared by the stylesheets parsed once
    (:func:`_sheet`) and every layout that uses them."""
    global _COUNTER_STYLE
    if _COUNTER_STYLE is None:
        from weasyprint.css.counters import CounterStyle

        _COUNTER_STYLE = CounterStyle()
    return _COUNTER_STYLE


def _sheet(css: str, base_url: str, fetcher: ContentFetcher) -> weasyprint.CSS:
    """``css`` parsed, once a process: WeasyPrint parses a page's ``<style>`` at every layout
    (some 0.3 s for the house style, at each hyphenation pass and for every part of a document
    laid out in parts), a stylesheet object given to it only once."""
    key = (css, base_url, fetcher.resolver)
    if key not in _SHEETS:
        if len(_SHEETS) >= 16:
            _SHEETS.clear()
        _SHEETS[key] = weasyprint.CSS(
            string=css,
            base_url=base_url,
            url_fetcher=fetcher,
            font_config=font_config(),
            counter_style=_counter_style(),
        )
    return _SHEETS[key]


def render(markup: str, base_url: str, fetcher: ContentFetcher) -> weasyprint.Document:
    """``markup`` laid out, its head's ``<style>`` elements given to WeasyPrint as stylesheets
    parsed once (:func:`_sheet`; in the user origin, which stands where the page's author
    origin stood: the markup has no other stylesheet, and ``style`` attributes still win; what
    WeasyPrint derives from attributes in the author origin — the language of ``lang`` — wins
    over a rule of ours unless it is ``!important``, as :func:`publish.pagedata.hyphenation_css`
    makes its rules)."""
    body = markup.find("<body")
    head = markup[:body] if body >= 0 else ""
    sheets = [_sheet(css, base_url, fetcher) for css in _STYLE.findall(head)]
    if sheets:
        markup = _STYLE.sub("", head) + markup[body:]
    html = weasyprint.HTML(string=markup, base_url=base_url, url_fetcher=fetcher)
    with _fewer_collections():
        return html.render(font_config=font_config(), counter_style=_counter_style(), stylesheets=sheets)


@contextlib.contextmanager
def _fewer_collections() -> Iterator[None]:
    """The cyclic garbage collector run less often during a layout: WeasyPrint makes millions of
    small objects that live as long as the layout, and the collector's passes over them cost
    some 9 % of a long document's layout (``benchmarks/profile.md``)."""
    before = gc.get_threshold()
    gc.set_threshold(100_000, 50, 50)
    try:
        yield
    finally:
        gc.set_threshold(*before)


def laid_out(markup: str, base_url: str, fetcher: ContentFetcher) -> weasyprint.Document:
    """The page laid out, and again with the words kept whole that broke across a page turn
    or made a run of hyphenated lines (:mod:`publish.writers.pdfhyphens`)."""
    for attempt in range(pdfhyphens.MAX_PASSES):
        with pdfhyphens.keeping_rules(pdfhyphens.share(attempt)):
            document = render(markup, base_url, fetcher)
        words = pdfhyphens.offending_words(document)
        if not words:
            return document
        markup = pdfhyphens.protect(markup, words)
    with pdfhyphens.keeping_rules(pdfhyphens.share(pdfhyphens.MAX_PASSES)):
        return render(markup, base_url, fetcher)
