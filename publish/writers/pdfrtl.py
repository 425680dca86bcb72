"""Right-to-left text in the PDF edition: WeasyPrint's ``/ToUnicode`` CMaps given one
presentation-form character for a glyph that draws several right-to-left letters, and the
``/ViewerPreferences /Direction /R2L`` of a right-to-left document."""

from __future__ import annotations

import functools
import unicodedata
from typing import Any

import pydyf  # type: ignore[import-untyped]

from publish import bidi


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


def ligatures_as_one_character() -> None:
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


ligatures_as_one_character()


def viewer_direction(direction: str) -> Any:
    """A ``write_pdf`` finisher: a right-to-left document asks viewers for right-to-left
    reading order (``/ViewerPreferences /Direction /R2L``: pages side by side from the right,
    the scroll bar on the left), keeping the preferences WeasyPrint set (``DisplayDocTitle``)."""

    def finish(document: Any, pdf: Any) -> None:
        if direction == "rtl":
            preferences = pdf.catalog.get("ViewerPreferences") or pydyf.Dictionary()
            preferences["Direction"] = "/R2L"
            pdf.catalog["ViewerPreferences"] = preferences

    return finish
