"""The faces the DOCX names, and its font table.

Latin text, code and the complex scripts name the house's faces (:mod:`publish.fonts`: Noto
Serif, DejaVu Sans Mono, a Noto face per script), with the face Windows has for each as the
font table's ``w:altName`` (ECMA-376 17.8.3.1: the names to try when the first is missing).
East Asian text names the face Word knows for its language (SimSun, PMingLiU, Yu Mincho,
Batang, and their monospace kin for code), with its local name and the Noto CJK face as the
alternatives, and the character set and family Word substitutes by when it has none of them.

LibreOffice (7.4) reads no ``w:altName``: it finds a missing face through fontconfig, which
draws the CJK characters in an installed Noto CJK face (with Batang, in Noto Serif CJK KR,
from LibreOffice's own substitution table).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import docx
from docx.oxml.ns import qn
from lxml import etree

from publish import fonts, glyphs
from publish.writers.docx import house


@dataclass(frozen=True)
class WordFace:
    """A face Word has on Windows: its name, the local name Word may know it by, and what
    Word substitutes by (``w:charset``, ``w:family``, ``w:pitch``)."""

    name: str
    local: str
    charset: str
    family: str
    pitch: str


#: The CJK faces of the chain → the face Word has for the same language.
WORD_CJK = {
    "Noto Serif CJK SC": WordFace("SimSun", "宋体", "86", "auto", "variable"),
    "Noto Serif CJK TC": WordFace("PMingLiU", "新細明體", "88", "roman", "variable"),
    "Noto Serif CJK JP": WordFace("Yu Mincho", "游明朝", "80", "roman", "variable"),
    "Noto Serif CJK KR": WordFace("Batang", "바탕", "81", "roman", "variable"),
    "Noto Sans Mono CJK SC": WordFace("NSimSun", "新宋体", "86", "modern", "fixed"),
    "Noto Sans Mono CJK TC": WordFace("MingLiU", "細明體", "88", "modern", "fixed"),
    "Noto Sans Mono CJK JP": WordFace("MS Gothic", "ＭＳ ゴシック", "80", "modern", "fixed"),
    "Noto Sans Mono CJK KR": WordFace("GulimChe", "굴림체", "81", "modern", "fixed"),
}
#: Each Word CJK face → the Noto face it stands for (its last alternative).
NOTO_OF = {face.name: noto for noto, face in WORD_CJK.items()}
#: The Japanese serif face of Windows before Yu Mincho (and Word's older documents).
OLDER = {"Yu Mincho": "MS Mincho"}

#: The text and code faces → (the face Windows has, w:family, w:pitch).
LATIN_ALTERNATIVES = {
    "Noto Serif": ("Georgia", "roman", "variable"),
    "DejaVu Sans Mono": ("Consolas", "modern", "fixed"),
}


def east_asian(tag: str, code: bool = False) -> str:
    """The ``w:eastAsia`` face for text (or code) in the language ``tag``: Word's."""
    noto = fonts.east_asian(tag, code)
    return WORD_CJK[noto].name if noto in WORD_CJK else noto


def word_name(face: str) -> str:
    """The face Word knows for a face of the chain (itself when it is not a CJK face)."""
    return WORD_CJK[face].name if face in WORD_CJK else face


@functools.lru_cache(maxsize=64)
def covered(family: str) -> frozenset[int] | None:
    """The characters the installed ``family`` has glyphs for; None when it is not installed."""
    face = glyphs.face(family)
    if face is None:
        return None
    try:
        return glyphs.cmap(face.file, face.index)
    except Exception:  # an unreadable font file: as if it had every character
        return None


def complex_pieces(text: str) -> list[tuple[str, str | None]]:
    """``text`` in pieces, each with the face of Word's complex-script slot (``w:cs``): the
    script's face, and the text face for what that face has no glyph for (the digits and
    Latin punctuation Noto Serif Hebrew lacks; Word and LibreOffice set every character of
    a right-to-left run in its ``w:cs`` face, and LibreOffice draws nothing for a missing one)."""
    face = fonts.complex_face(text)
    has = covered(face) if face else None
    if face is None or has is None:
        return [(text, face)]
    pieces: list[tuple[str, str | None]] = []
    for char in text:
        chosen = face if ord(char) in has or char.isspace() else house.TEXT_FACE
        if pieces and pieces[-1][1] == chosen:
            pieces[-1] = (pieces[-1][0] + char, chosen)
        else:
            pieces.append((char, chosen))
    return pieces


def font_table(document: docx.document.Document) -> None:
    """Describe in the font table each face the DOCX names: its alternatives (``w:altName``)
    and, for Word's CJK faces, the character set, family and pitch."""
    complex_faces = fonts.word_alternatives()
    used: set[str] = set()
    table_part = None
    for part in document.part.package.iter_parts():
        if part.partname == "/word/fontTable.xml":
            table_part = part
        element = getattr(part, "element", None)  # the parts held as XML: document, styles, footnotes
        if element is not None:
            for faces in element.iter(qn("w:rFonts")):
                used.update(str(v) for k, v in faces.attrib.items() if k != qn("w:hint"))
    if table_part is None:
        return
    table = etree.fromstring(table_part.blob)
    known = {f.get(qn("w:name")): f for f in table.findall(qn("w:font"))}
    for name in sorted(used):
        description = _describe(name, complex_faces)
        if description is None:
            continue
        alternatives, details = description
        entry = known.get(name)
        if entry is None:
            entry = etree.SubElement(table, qn("w:font"), {qn("w:name"): name})
        for child in list(entry):
            entry.remove(child)
        etree.SubElement(entry, qn("w:altName"), {qn("w:val"): ",".join(alternatives)})
        for key, value in details:  # CT_Font: altName, panose1, charset, family, notTrueType, pitch
            etree.SubElement(entry, qn(f"w:{key}"), {qn("w:val"): value})
    table_part._blob = etree.tostring(table, xml_declaration=True, encoding="UTF-8", standalone=True)


def _describe(name: str, complex_faces: dict[str, str]) -> tuple[list[str], list[tuple[str, str]]] | None:
    """(alternative names, font-table details) of a face the DOCX names; None: not ours."""
    if name in NOTO_OF:
        face = WORD_CJK[NOTO_OF[name]]
        alternatives = [face.local, *([OLDER[name]] if name in OLDER else []), NOTO_OF[name]]
        return alternatives, [("charset", face.charset), ("family", face.family), ("pitch", face.pitch)]
    if name in LATIN_ALTERNATIVES:
        windows, family, pitch = LATIN_ALTERNATIVES[name]
        return [windows], [("charset", "00"), ("family", family), ("pitch", pitch)]
    if name in complex_faces and name not in WORD_CJK:
        return [complex_faces[name]], []
    return None
