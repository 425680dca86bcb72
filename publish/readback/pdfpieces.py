"""A PDF's text as it is drawn: piece by piece, glyph by glyph, from its content streams.

``pdftotext`` joins what is drawn side by side into one line. For left-to-right text that is
the text; for right-to-left text it is not enough: WeasyPrint draws each piece of a line (the
text of one element on one line) as Pango laid it out, in visual order, and the bidi algorithm
ran on that piece alone, so reading it back in logical order needs the piece's bounds. A
piece here is what one text object draws from one text position (``BT``/``Tm``/``Td`` to the
next), as a list of glyphs, each with its text from the font's ``/ToUnicode`` (a ligature
keeps its letters together). Form XObjects are read where they are drawn.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

#: Operators that place the text position anew: what follows is another piece.
_MOVES = {"BT", "ET", "Tm", "Td", "TD", "T*"}
_HEX_PAIR = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")
_HEX_RANGE = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(<[0-9A-Fa-f]+>|\[[^\]]*\])")


def _utf16(hex_text: bytes) -> str:
    return bytes.fromhex(hex_text.decode("ascii")).decode("utf-16-be", errors="replace")


def _cmap(font: Any) -> tuple[int, dict[bytes, str]]:
    """(bytes per character code, code → text) of a font, from its ``/ToUnicode`` CMap."""
    import pikepdf

    width = 2 if font.get("/Subtype") == "/Type0" else 1
    table: dict[bytes, str] = {}
    stream = font.get("/ToUnicode")
    if not isinstance(stream, pikepdf.Stream):
        return width, table
    data = stream.read_bytes()
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S):
        for code, text in _HEX_PAIR.findall(block):
            table[bytes.fromhex(code.decode("ascii"))] = _utf16(text)
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", data, re.S):
        for low, high, target in _HEX_RANGE.findall(block):
            first, last = int(low, 16), int(high, 16)
            size = len(low) // 2
            targets = re.findall(rb"<([0-9A-Fa-f]+)>", target)
            for offset, code in enumerate(range(first, last + 1)):
                if target.startswith(b"["):
                    text = _utf16(targets[offset]) if offset < len(targets) else ""
                else:
                    start = _utf16(targets[0])
                    text = start[:-1] + chr(ord(start[-1]) + offset) if start else ""
                table[code.to_bytes(size, "big")] = text
    return width, table


def _pieces(content: Any, resources: Any, out: list[list[str]], depth: int = 0) -> None:
    import pikepdf

    fonts: dict[str, tuple[int, dict[bytes, str]]] = {}
    font_dict = resources.get("/Font", {}) if resources is not None else {}
    xobjects = resources.get("/XObject", {}) if resources is not None else {}
    width, table = 1, dict[bytes, str]()
    piece: list[str] = []

    def show(string: Any) -> None:
        raw = bytes(string)
        for index in range(0, len(raw) - width + 1, width):
            piece.append(table.get(raw[index : index + width], ""))

    for instruction in pikepdf.parse_content_stream(content):
        if not isinstance(instruction, pikepdf.ContentStreamInstruction):
            continue  # an inline image
        operands, name = instruction.operands, str(instruction.operator)
        if name in _MOVES:
            if piece:
                out.append(piece)
            piece = []
        elif name == "Tf":
            key = str(operands[0])
            if key not in fonts:
                fonts[key] = _cmap(font_dict.get(key, {})) if key in font_dict else (1, {})
            width, table = fonts[key]
        elif name in ("Tj", "'", '"'):
            show(operands[-1])
        elif name == "TJ":
            for item in operands[0]:
                if isinstance(item, pikepdf.String):
                    show(item)
        elif name == "Do" and depth < 8:
            xobject = xobjects.get(str(operands[0]))
            if xobject is not None and xobject.get("/Subtype") == "/Form":
                if piece:
                    out.append(piece)
                piece = []
                _pieces(xobject, xobject.get("/Resources", resources), out, depth + 1)
    if piece:
        out.append(piece)


def page_pieces(path: Path) -> list[list[list[str]]]:
    """Each page's pieces of text in the order they are drawn, each a list of glyph texts."""
    import pikepdf

    pages: list[list[list[str]]] = []
    with pikepdf.open(path) as pdf:
        for page in pdf.pages:
            found: list[list[str]] = []
            _pieces(page, page.resources, found)
            pages.append(found)
    return pages
