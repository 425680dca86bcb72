"""What the installed fonts cover: the faces of the chain (:mod:`publish.fonts`) found
through fontconfig, their characters read from their own ``cmap`` tables with fontTools
(cached), the characters no installed face has, and the Debian package that would give them
a glyph (a small table by Unicode block). Used by the PDF writer (a warning at each source
line of an uncovered character) and by ``publish check``'s glyphs check (the faces a PDF
embeds)."""

from __future__ import annotations

import array
import bisect
import contextlib
import functools
import re
import shutil
import struct
import subprocess
import sys
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from publish.fonts import CJK_PACKAGE, CORE_PACKAGE, chain, package_of

# ---------------------------------------------------------------- the installed faces


@dataclass(frozen=True)
class Face:
    family: str
    style: str
    file: Path
    index: int
    weight: int
    slant: int
    width: int


@functools.lru_cache(maxsize=1)
def installed() -> dict[str, tuple[Face, ...]]:
    """Family name (:func:`key`) → its installed faces, from fontconfig (empty without fc-list)."""
    exe = shutil.which("fc-list")
    if exe is None:
        return {}
    fmt = "%{family}|%{style[0]}|%{weight}|%{slant}|%{width}|%{index}|%{file}\n"
    out = subprocess.run([exe, "--format", fmt], capture_output=True, text=True, check=False)
    faces: dict[str, list[Face]] = {}
    for line in out.stdout.splitlines():
        parts = line.split("|", 6)
        if len(parts) != 7:
            continue
        families, style, weight, slant, width, index, file = parts
        try:
            numbers = [int(float(v)) for v in (weight or "80", slant or "0", width or "100", index or "0")]
        except ValueError:
            continue  # a variable font's ranges ("[100 900]"): not one of ours
        for family in families.split(","):
            faces.setdefault(key(family), []).append(Face(family, style, Path(file), numbers[3], *numbers[:3]))
    return {k: tuple(sorted(v, key=lambda f: (str(f.file), f.index))) for k, v in faces.items()}


def key(name: str) -> str:
    """A family or PDF font name reduced to lower-case letters and digits."""
    return re.sub(r"[^a-z0-9]", "", name.lower())


#: Style words of a font name as WeasyPrint writes it (Pango's description) → fontconfig's
#: weight (``w``), slant (``s``) and width (``d``).
_STYLE = {
    "thin": ("w", 0), "ultralight": ("w", 40), "extralight": ("w", 40), "light": ("w", 50),
    "semilight": ("w", 55), "book": ("w", 75), "medium": ("w", 100), "semibold": ("w", 180),
    "demibold": ("w", 180), "bold": ("w", 200), "ultrabold": ("w", 205), "extrabold": ("w", 205),
    "heavy": ("w", 210), "black": ("w", 210), "ultraheavy": ("w", 215),
    "italic": ("s", 100), "oblique": ("s", 110),
    "ultracondensed": ("d", 50), "extracondensed": ("d", 63), "condensed": ("d", 75),
    "semicondensed": ("d", 87), "semiexpanded": ("d", 113), "expanded": ("d", 125),
    "extraexpanded": ("d", 150), "ultraexpanded": ("d", 200),
}  # fmt: skip


def face(family: str, style: Iterable[str] = ()) -> Face | None:
    """The installed face of ``family`` nearest to the style words (``Bold``, ``Oblique``,
    ``Semi-Condensed``...): regular weight (80, or DejaVu's "Book"), upright, normal width
    unless a word says otherwise. None when the family is not installed."""
    faces = installed().get(key(family))
    if not faces:
        return None
    want = {"w": 80, "s": 0, "d": 100}
    words = key("".join(style))  # "Semi-Condensed-Bold" → "semicondensedbold"
    while words:
        known = max((k for k in _STYLE if words.startswith(k)), key=len, default=None)
        if known is None:
            words = words[1:]
            continue
        axis, value = _STYLE[known]
        want[axis] = value
        words = words[len(known) :]
    return min(
        faces,
        key=lambda f: (
            abs(f.slant - want["s"]),
            abs(f.width - want["d"]),
            abs(f.weight - want["w"]),
            ("bold" in key(f.style)) != (want["w"] >= 150),  # a Bold face that says it is of weight 80
            f.index,
        ),
    )


def pdf_face(name: str) -> Face | None:
    """The installed face a font embedded by WeasyPrint was made from: ``Noto-Serif-CJK-TC-Bold``
    is the family with the longest name that begins it, in the style of the words after it."""
    words = name.split("-")
    for cut in range(len(words), 0, -1):
        family = " ".join(words[:cut])
        if key(family) in installed():
            return face(family, words[cut:])
    return None


#: The ``cmap`` subtables fontTools' ``getBestCmap`` (and HarfBuzz) prefer, in order.
_PREFERRED = ((3, 10), (0, 6), (0, 4), (3, 1), (0, 3), (0, 2), (0, 1), (0, 0))


@functools.lru_cache(maxsize=1024)
def cmap(file: Path, index: int = 0) -> frozenset[int]:
    """The code points a face has glyphs for (its best ``cmap``, as fontTools'
    ``getBestCmap`` reads it).

    The table's bytes come from fontTools, and a well-formed subtable of format 4 or 12
    (every font of the chain) is read here: fontTools maps each code point to a glyph
    *name*, and the glyph names of a CJK face (65,535 glyphs) cost more than the rest, 0.1–0.3 s
    a face, which every PDF paid for its first Chinese character. Anything else, fontTools."""
    from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

    with TTFont(str(file), fontNumber=index, lazy=True) as font:
        if "cmap" in font.reader:
            points = _best_cmap(font.reader["cmap"])
            if points is not None:
                return points
        return frozenset(font.getBestCmap() or {})


def _best_cmap(data: bytes) -> frozenset[int] | None:
    """The code points of the preferred subtable of a raw ``cmap`` table, when it is of
    format 4 or 12 and well formed; None for fontTools to read it."""
    try:
        _, count = struct.unpack_from(">HH", data)
        records: dict[tuple[int, int], int] = {}
        for n in range(count):
            platform, encoding, offset = struct.unpack_from(">HHL", data, 4 + 8 * n)
            records.setdefault((platform, encoding), offset)
        offset = next((records[p] for p in _PREFERRED if p in records), None)
        if offset is None:
            return frozenset()
        (fmt,) = struct.unpack_from(">H", data, offset)
        if fmt == 12:
            return _format_12(data, offset)
        if fmt == 4:
            return _format_4(data, offset)
    except (struct.error, IndexError):
        return None
    return None


def _format_12(data: bytes, offset: int) -> frozenset[int] | None:
    """Groups (first, last, first glyph), in order and apart: every code point of each but a
    first one drawn by glyph 0 (the missing glyph)."""
    _, _, length, _, groups = struct.unpack_from(">HHLLL", data, offset)
    if length != 16 + 12 * groups or offset + length > len(data):
        return None
    values = array.array("I", data[offset + 16 : offset + length])
    if sys.byteorder != "big":
        values.byteswap()
    points: set[int] = set()
    last = -1
    for start, end, glyph in zip(*[iter(values)] * 3, strict=True):
        if start > end or start <= last or end > 0x10FFFF:
            return None  # irregular: fontTools knows how HarfBuzz reads it
        last = end
        points.update(range(start + (glyph == 0), end + 1))
    return frozenset(points)


def _format_4(data: bytes, offset: int) -> frozenset[int] | None:
    """Segments of the Basic Multilingual Plane (the last, 0xFFFF, is not a character's):
    each code point whose glyph, by delta or through the glyph array, is not glyph 0."""
    _, length, _, doubled = struct.unpack_from(">HHHH", data, offset)
    count = doubled // 2
    words = array.array("H", data[offset + 14 : offset + length])
    if sys.byteorder != "big":
        words.byteswap()
    ends = words[:count]
    starts = words[count + 1 : 2 * count + 1]
    deltas = words[2 * count + 1 : 3 * count + 1]
    ranges = words[3 * count + 1 : 4 * count + 1]
    glyphs = words[4 * count + 1 :]
    if len(ranges) != count:
        return None
    points: set[int] = set()
    for i in range(count - 1):
        start, end, delta, at = starts[i], ends[i], deltas[i], ranges[i]
        if at == 0:
            points.update(c for c in range(start, end + 1) if (c + delta) & 0xFFFF)
            continue
        partial = at // 2 - start + i - count
        for c in range(start, end + 1):
            index = c + partial
            if not 0 <= index < len(glyphs):
                return None
            if glyphs[index] and (glyphs[index] + delta) & 0xFFFF:
                points.add(c)
    return frozenset(points)


# ---------------------------------------------------------------- coverage


#: Characters that draw nothing of their own: format controls (joiners, marks), variation
#: selectors (emoji style), tag characters (flags of regions).
_INVISIBLE = re.compile("[\ufe00-\ufe0f\U000e0000-\U000e01ef]")


def drawn(text: str) -> set[str]:
    """The characters of ``text`` that need a glyph (each distinct character looked at once:
    a book's text is a million characters of a few hundred kinds)."""
    return {
        c
        for c in set(text)
        if not c.isspace() and unicodedata.category(c) not in ("Cc", "Cf") and not _INVISIBLE.match(c)
    }


def uncovered(chars: Iterable[str]) -> set[str]:
    """The characters no installed face has a glyph for: the faces of the chain first, in
    order, each cmap read (fontTools) only while some character is still uncovered; then,
    for what is left, every other installed font, as Pango's fallback through fontconfig
    finds them (fontconfig's own record of each font's characters)."""
    left = {ord(c) for c in chars}
    read: set[Path] = set()
    for family in chain():
        found = face(family)
        if not left:
            break
        if found is not None and found.file not in read:  # Noto's CJK collections: one cmap for every face
            read.add(found.file)
            left -= cmap(found.file, found.index)
    if left:
        left = {c for c in left if not any(_in(c, ranges) for ranges in _fontconfig_charsets())}
    return {chr(c) for c in left}


def _in(point: int, ranges: tuple[tuple[int, int], ...]) -> bool:
    at = bisect.bisect_right(ranges, (point, 0x110000)) - 1
    return at >= 0 and ranges[at][0] <= point <= ranges[at][1]


@functools.lru_cache(maxsize=1)
def _fontconfig_charsets() -> tuple[tuple[tuple[int, int], ...], ...]:
    """Every installed font's characters as sorted ranges, from one ``fc-list``."""
    exe = shutil.which("fc-list")
    if exe is None:
        return ()
    out = subprocess.run([exe, "--format", "%{charset}\n"], capture_output=True, text=True, check=False)
    charsets = []
    for line in set(out.stdout.splitlines()):
        ranges = []
        for part in line.split():
            first, _, last = part.partition("-")
            with contextlib.suppress(ValueError):
                ranges.append((int(first, 16), int(last or first, 16)))
        charsets.append(tuple(sorted(ranges)))
    return tuple(charsets)


# ---------------------------------------------------------------- which package would cover it

#: (first, last, package) by Unicode block, in order; what is not listed and assigned is for
#: fonts-noto-core, which has a face for nearly every script and symbol block.
_BLOCKS = (
    (0x1100, 0x11FF, CJK_PACKAGE),  # Hangul Jamo
    (0x2E80, 0x2FFF, CJK_PACKAGE),  # CJK and Kangxi radicals, description characters
    (0x3000, 0x33FF, CJK_PACKAGE),  # CJK punctuation, kana, Bopomofo, Hangul compatibility, enclosed, compatibility
    (0x3400, 0x4DBF, CJK_PACKAGE),  # CJK Extension A
    (0x4E00, 0x9FFF, CJK_PACKAGE),  # CJK Unified Ideographs
    (0xA960, 0xA97F, CJK_PACKAGE),  # Hangul Jamo Extended-A
    (0xAC00, 0xD7FF, CJK_PACKAGE),  # Hangul syllables, Jamo Extended-B
    (0xE000, 0xF8FF, None),  # Private Use Area
    (0xF900, 0xFAFF, CJK_PACKAGE),  # CJK compatibility ideographs
    (0xFE30, 0xFE4F, CJK_PACKAGE),  # CJK compatibility forms
    (0xFF00, 0xFFEF, CJK_PACKAGE),  # half- and full-width forms
    (0x1F000, 0x1F0FF, "fonts-noto-color-emoji"),  # Mahjong, domino, playing cards
    (0x1F300, 0x1F5FF, "fonts-noto-color-emoji"),  # Miscellaneous Symbols and Pictographs
    (0x1F600, 0x1F64F, "fonts-noto-color-emoji"),  # Emoticons
    (0x1F680, 0x1F6FF, "fonts-noto-color-emoji"),  # Transport and Map Symbols
    (0x1F900, 0x1F9FF, "fonts-noto-color-emoji"),  # Supplemental Symbols and Pictographs
    (0x1FA70, 0x1FAFF, "fonts-noto-color-emoji"),  # Symbols and Pictographs Extended-A
    (0x20000, 0x2FA1F, "fonts-hanazono"),  # CJK Extensions B to F, compatibility supplement
    (0x30000, 0x3FFFF, None),  # CJK Extensions G and H: newer than every Debian font
    (0xF0000, 0x10FFFF, None),  # Supplementary Private Use Areas
)
_STARTS = [first for first, _, _ in _BLOCKS]


def package_for(char: str) -> str | None:
    """The Debian package whose fonts have a glyph for ``char`` (None: none can, as for a
    private-use or unassigned character)."""
    if unicodedata.category(char) == "Cn":
        return None
    point = ord(char)
    at = bisect.bisect_right(_STARTS, point) - 1
    if at >= 0 and _BLOCKS[at][0] <= point <= _BLOCKS[at][1]:
        return _BLOCKS[at][2]
    return CORE_PACKAGE


def advice(char: str) -> str:
    """What would give ``char`` a glyph, in a few words."""
    point = ord(char)
    if 0xE000 <= point <= 0xF8FF or point >= 0xF0000:
        return "a private-use character has no standard glyph: only a font of a theme can give it one"
    if unicodedata.category(char) == "Cn":
        return f"not a character of Unicode {unicodedata.unidata_version}: no font is known to have it"
    package = package_for(char)
    if package is None:
        return "no Debian font package known to publish has it"
    if _has(package):
        return f"not even {package} (installed) has it"
    return f"the Debian package {package} would cover it"


def _has(package: str | None) -> bool:
    """Whether some family of the chain from ``package`` is installed."""
    return any(package_of(f) == package and face(f) is not None for f in chain())


def describe(char: str) -> str:
    """``U+0D2E MALAYALAM LETTER MA``."""
    name = unicodedata.name(char, "")
    return f"U+{ord(char):04X} {name}" if name else f"U+{ord(char):04X}"


def source_lines(sources: Iterable[Path], chars: Iterable[str]) -> dict[str, list[tuple[Path, int]]]:
    """Each character → every ``(file, line)`` of the sources where it stands (NFC)."""
    wanted = set(chars)
    places: dict[str, list[tuple[Path, int]]] = {c: [] for c in wanted}
    for source in sources:
        try:
            text = source.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError):
            continue
        for number, line in enumerate(text.splitlines(), 1):
            for char in wanted.intersection(unicodedata.normalize("NFC", line)):
                places[char].append((source, number))
    return places
