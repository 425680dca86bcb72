"""The font fallback chain every edition names, what it covers, and the Debian package that
would cover what it does not.

One ordered list of families per role: the text (Noto Serif first, the house's book face
with true italics for Latin, Greek and Cyrillic, DejaVu Serif after it for the letters and
signs it lacks, then a Noto face per script, the CJK faces, symbols and emoji) and
code (DejaVu Sans Mono, then the CJK monospace face, then the same script faces). Chinese,
Japanese and Korean text puts its own CJK face first. The stylesheets get these lists from
:func:`template_data` (``templates/base/fonts.css``); the DOCX names its ``w:eastAsia`` and
``w:cs`` faces from :func:`east_asian` and :func:`complex_face`. What the installed faces
cover, and which package would cover the rest, is :mod:`publish.glyphs`. Data only: no
file is read here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from publish import langs

#: Latin, Greek and Cyrillic: the house's book face (fonts-noto-core), DejaVu Serif for what
#: it lacks, Georgia for web readers with neither.
LATIN = ("Noto Serif", "DejaVu Serif", "Georgia")
LATIN_MONO = ("DejaVu Sans Mono",)
#: One face per script a real document uses, serif where Noto has one (fonts-noto-core).
SCRIPTS = (
    "Noto Serif Hebrew",  # with its points (niqqud)
    "Noto Naskh Arabic",
    "Noto Sans Syriac",
    "Noto Sans Thaana",
    "Noto Serif Armenian",
    "Noto Serif Georgian",
    "Noto Serif Ethiopic",
    "Noto Serif Devanagari",
    "Noto Serif Bengali",
    "Noto Serif Gurmukhi",
    "Noto Serif Gujarati",
    "Noto Sans Oriya",
    "Noto Serif Tamil",
    "Noto Serif Telugu",
    "Noto Serif Kannada",
    "Noto Serif Malayalam",
    "Noto Serif Sinhala",
    "Noto Serif Thai",
    "Noto Serif Lao",
    "Noto Serif Khmer",
    "Noto Serif Myanmar",
    "Noto Serif Tibetan",
)
#: Symbols and mathematics, after every script.
SYMBOLS = ("Noto Sans Math", "Noto Sans Symbols", "Noto Sans Symbols2")
#: The emoji face ends the chain but is not named in the stylesheets: Pango (WeasyPrint) and
#: browsers reach it by their own emoji fallback, and Pango, once it is named, sets digits in
#: it too (its keycap digits), which breaks every line that has one.
EMOJI = "Noto Color Emoji"
#: The CJK variant of each CJK language (fonts-noto-cjk); Han characters outside a CJK
#: language are set in the Traditional Chinese face, as before.
CJK_VARIANTS = {"zh-Hant": "TC", "zh-Hans": "SC", "ja": "JP", "ko": "KR"}
DEFAULT_CJK = "TC"
#: The selectors of each CJK language (its tags as written in documents).
CJK_SELECTORS = {
    "zh-Hant": ("zh-Hant", "zh-TW", "zh-HK", "zh-MO"),
    "zh-Hans": ("zh-Hans", "zh-CN", "zh-SG"),
    "ja": ("ja",),
    "ko": ("ko",),
}
#: Elements whose text is code: monospace wins over a language's face.
CODE_ELEMENTS = ("code", "kbd", "samp", "pre")

#: The Debian package of each family of the chain.
PACKAGES = {
    "DejaVu Serif": "fonts-dejavu-core",
    "DejaVu Sans Mono": "fonts-dejavu-core",
    EMOJI: "fonts-noto-color-emoji",
}
CJK_PACKAGE = "fonts-noto-cjk"
CORE_PACKAGE = "fonts-noto-core"


def east_asian(tag: str, code: bool = False) -> str:
    """The DOCX's ``w:eastAsia`` face for text (or code) in the language ``tag``."""
    variant = cjk_variant(tag) or DEFAULT_CJK
    return f"Noto Sans Mono CJK {variant}" if code else f"Noto Serif CJK {variant}"


def cjk_variant(tag: str) -> str | None:
    """TC, SC, JP or KR for a CJK language tag; None for any other language."""
    if not langs.is_cjk(tag):
        return None
    language = langs.locale(tag).language
    if language == "zh":
        return "TC" if langs.is_traditional_chinese(tag) else "SC"
    return {"ja": "JP", "ko": "KR"}[language]


def _cjk(variant: str) -> tuple[str, ...]:
    return (f"Noto Serif CJK {variant}", f"Noto Sans CJK {variant}")


def text_chain(variant: str | None = None) -> tuple[str, ...]:
    """The families of running text: a CJK language's own face first, else the house look."""
    if variant is None:
        return LATIN + SCRIPTS + _cjk(DEFAULT_CJK) + SYMBOLS
    return _cjk(variant) + LATIN[:1] + SCRIPTS + SYMBOLS


def code_chain(variant: str | None = None) -> tuple[str, ...]:
    """The families of code: monospace first in every language, its CJK face next."""
    return (*LATIN_MONO, f"Noto Sans Mono CJK {variant or DEFAULT_CJK}", *SCRIPTS, *SYMBOLS)


def css(families: Iterable[str], generic: str) -> str:
    return ", ".join([*(f'"{f}"' for f in families), generic])


def template_data() -> dict[str, Any]:
    """What ``base/fonts.css`` needs: the text and code stacks, and each CJK language's."""
    languages = []
    for key, selectors in CJK_SELECTORS.items():
        variant = CJK_VARIANTS[key]
        lang = [f":lang({s})" for s in selectors]
        languages.append(
            {
                "selector": ", ".join(lang),
                "code_selector": ", ".join(f"{e}{sel}, {e} {sel}" for sel in lang for e in CODE_ELEMENTS),
                "text": css(text_chain(variant), "serif"),
                "code": css(code_chain(variant), "monospace"),
            }
        )
    return {
        "text": css(text_chain(), "serif"),
        "code": css(code_chain(), "monospace"),
        "code_elements": ", ".join(CODE_ELEMENTS),
        "code_descendants": ", ".join(f"{e} *" for e in CODE_ELEMENTS),
        "languages": languages,
    }


def chain() -> tuple[str, ...]:
    """Every family the editions name, each once, in the order a Latin document tries them."""
    names = [*text_chain(), *code_chain()]
    for variant in CJK_VARIANTS.values():
        names += [*_cjk(variant), f"Noto Sans Mono CJK {variant}"]
    return (*dict.fromkeys(names), EMOJI)


def package_of(family: str) -> str:
    if family in PACKAGES:
        return PACKAGES[family]
    return CJK_PACKAGE if " CJK " in family else CORE_PACKAGE


#: The complex scripts (Word's ``w:cs`` slot): their blocks → (the chain's face, the face
#: Word has for them on Windows, named in the DOCX's font table as the alternative).
COMPLEX_SCRIPTS = (
    (0x0590, 0x05FF, "Noto Serif Hebrew", "Times New Roman"),
    (0x0600, 0x06FF, "Noto Naskh Arabic", "Times New Roman"),
    (0x0700, 0x074F, "Noto Sans Syriac", "Estrangelo Edessa"),
    (0x0750, 0x077F, "Noto Naskh Arabic", "Times New Roman"),
    (0x0780, 0x07BF, "Noto Sans Thaana", "MV Boli"),
    (0x08A0, 0x08FF, "Noto Naskh Arabic", "Times New Roman"),
    (0x0900, 0x097F, "Noto Serif Devanagari", "Mangal"),
    (0x0980, 0x09FF, "Noto Serif Bengali", "Vrinda"),
    (0x0A00, 0x0A7F, "Noto Serif Gurmukhi", "Raavi"),
    (0x0A80, 0x0AFF, "Noto Serif Gujarati", "Shruti"),
    (0x0B00, 0x0B7F, "Noto Sans Oriya", "Kalinga"),
    (0x0B80, 0x0BFF, "Noto Serif Tamil", "Latha"),
    (0x0C00, 0x0C7F, "Noto Serif Telugu", "Gautami"),
    (0x0C80, 0x0CFF, "Noto Serif Kannada", "Tunga"),
    (0x0D00, 0x0D7F, "Noto Serif Malayalam", "Kartika"),
    (0x0D80, 0x0DFF, "Noto Serif Sinhala", "Iskoola Pota"),
    (0x0E00, 0x0E7F, "Noto Serif Thai", "Leelawadee UI"),
    (0x0E80, 0x0EFF, "Noto Serif Lao", "Lao UI"),
    (0x0F00, 0x0FFF, "Noto Serif Tibetan", "Microsoft Himalaya"),
    (0x1000, 0x109F, "Noto Serif Myanmar", "Myanmar Text"),
    (0x1780, 0x17FF, "Noto Serif Khmer", "Khmer UI"),
    (0xFB1D, 0xFB4F, "Noto Serif Hebrew", "Times New Roman"),
    (0xFB50, 0xFDFF, "Noto Naskh Arabic", "Times New Roman"),
    (0xFE70, 0xFEFF, "Noto Naskh Arabic", "Times New Roman"),
)


def complex_face(text: str) -> str | None:
    """The chain's face for the first complex-script character of ``text`` (Word sets such
    characters in a run's ``w:cs`` font), or None."""
    if not _MAYBE_COMPLEX.search(text):  # most text: one pass in C, not a loop over characters
        return None
    for char in text:
        point = ord(char)
        if 0x0590 <= point <= 0x17FF or 0xFB1D <= point <= 0xFEFF:
            for first, last, family, _ in COMPLEX_SCRIPTS:
                if first <= point <= last:
                    return family
    return None


_MAYBE_COMPLEX = re.compile("[\u0590-\u17ff\ufb1d-\ufeff]")


def word_alternatives() -> dict[str, str]:
    """Each face the DOCX may name → the face Word has for the same script (CJK: the faces
    Windows ships for each variant)."""
    pairs = {family: word for _, _, family, word in COMPLEX_SCRIPTS}
    serif = {"TC": "PMingLiU", "SC": "SimSun", "JP": "MS Mincho", "KR": "Batang"}
    mono = {"TC": "MingLiU", "SC": "NSimSun", "JP": "MS Gothic", "KR": "GulimChe"}
    for variant in CJK_VARIANTS.values():
        pairs[f"Noto Serif CJK {variant}"] = serif[variant]
        pairs[f"Noto Sans Mono CJK {variant}"] = mono[variant]
    return pairs
