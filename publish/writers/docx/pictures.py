"""Pictures: raster images as python-docx adds them, SVG images as Word (2016 and later) holds
them, and decorative images marked as such.

An SVG goes in a part of its own (``image/svg+xml``), named by an ``asvg:svgBlip`` extension
of the picture's ``a:blip``, whose own ``r:embed`` is a PNG rendered from the same cleaned SVG
(:mod:`publish.svg`) by librsvg (:mod:`publish.writers.librsvg`): Word draws the
vector picture, and Word 2013, LibreOffice and other readers show the PNG. The picture's size
comes from the SVG's ``width``, ``height`` and ``viewBox``, as in the other editions.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.part import Part
from docx.oxml.ns import qn
from docx.oxml.shape import CT_Inline
from docx.shared import Emu
from lxml import etree

from publish import svg
from publish.errors import PublishError
from publish.writers.docx.state import State

#: The ``a:ext`` URIs Word writes for an SVG picture and for a decorative one.
SVG_EXTENSION = "{96DAC541-7B7A-43D3-8B79-37D633B846F1}"
DECORATIVE_EXTENSION = "{C183D7F6-B498-43B3-948B-1728B52AA6E4}"
ASVG_NS = "http://schemas.microsoft.com/office/drawing/2016/SVG/main"
ADEC_NS = "http://schemas.microsoft.com/office/drawing/2017/decorative"
EMU_PER_PX = 9525


#: A length of pandoc's ``{width=… height=…}`` and its unit in EMU (a bare number is pixels;
#: em at the body's size; ``%`` of the text area, handled apart).
_LENGTH = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(%|px|em|rem|cm|mm|in|pt)?\s*$")
_EMU = {"": EMU_PER_PX, "px": EMU_PER_PX, "in": 914400, "cm": 360000, "mm": 36000, "pt": 12700}


def _length(value: str, whole: int) -> int | None:
    found = _LENGTH.match(value)
    if not found:
        return None
    number, unit = float(found.group(1)), found.group(2) or ""
    if unit == "%":
        return round(whole * number / 100)
    return round(number * _EMU.get(unit, 10.5 * 12700))


def sized(s: State, cx: int, cy: int, width: str = "", height: str = "") -> tuple[int, int]:
    """A picture's size after a figure's ``width``/``height`` (as pandoc reads them: a
    percentage of the text area; one of the two keeps the picture's proportions)."""
    w, h = _length(width, s.text_width), _length(height, s.text_height)
    if w and h:
        return w, h
    if w:
        return w, round(cy * w / cx) if cx else cy
    if h:
        return round(cx * h / cy) if cy else cx, h
    return cx, cy


def picture(
    s: State, part: Part, src: str, alt: str, max_height: int | None = None, size: tuple[str, str] = ("", "")
) -> CT_Inline:
    """An inline picture at its ``size`` (a figure's width and height, when given), scaled
    down to fit the text area (never enlarged past it)."""
    svg_rid = None
    if s.media.is_svg(src):
        image = s.media.picture(src)
        image_part = s.part.package.get_or_add_image_part(io.BytesIO(s.media.png(src)))
        cx, cy = Emu(round(image.width * EMU_PER_PX)), Emu(round(image.height * EMU_PER_PX))
        svg_rid = part.relate_to(_svg_part(s, image.data), RT.IMAGE)
    else:
        path = s.media.path(src)
        try:
            image_part = s.part.package.get_or_add_image_part(str(path))
        except Exception as exc:  # python-docx raises its own UnrecognizedImageError
            raise PublishError(f"image {src!r} cannot go into a DOCX: {exc}", *s.media.where(src)) from None
        cx, cy = image_part.image.width, image_part.image.height
    width, height = sized(s, cx, cy, *size)
    cx, cy = Emu(width), Emu(height)
    rid = part.relate_to(image_part, RT.IMAGE)
    limit = max_height if max_height is not None else int(s.text_height * 0.8)
    scale = min(1.0, s.text_width / cx, limit / cy)
    inline = CT_Inline.new_pic_inline(s.next_id(), rid, Path(src).name, Emu(int(cx * scale)), Emu(int(cy * scale)))
    if svg_rid is not None:
        _svg_blip(inline, svg_rid)
    inline.docPr.set("descr", alt)
    inline.docPr.set("title", alt)
    if not alt.strip():
        _decorative(inline.docPr)
    return inline


def _svg_part(s: State, data: bytes) -> Part:
    """The package's part holding ``data`` (an SVG used twice is stored once), or a new one."""
    package = s.part.package
    for existing in package.iter_parts():
        if existing.content_type == svg.MEDIA_TYPE and existing.blob == data:
            found: Part = existing
            return found
    return Part(package.next_partname("/word/media/image%d.svg"), svg.MEDIA_TYPE, data, package)


def _extension(parent: etree._Element, uri: str) -> etree._Element:
    """A new ``a:ext`` with ``uri`` in the ``a:extLst`` of ``parent``."""
    holder = parent.find(qn("a:extLst"))
    if holder is None:
        holder = etree.SubElement(parent, qn("a:extLst"))
    return etree.SubElement(holder, qn("a:ext"), {"uri": uri})


def _svg_blip(inline: CT_Inline, svg_rid: str) -> None:
    blip = inline.find(f".//{qn('a:blip')}")
    assert blip is not None
    ext = _extension(blip, SVG_EXTENSION)
    etree.SubElement(ext, f"{{{ASVG_NS}}}svgBlip", {qn("r:embed"): svg_rid}, nsmap={"asvg": ASVG_NS})


def _decorative(doc_pr: etree._Element) -> None:
    """Word's mark of a decorative picture (its accessibility checker asks no alt text of it)."""
    ext = _extension(doc_pr, DECORATIVE_EXTENSION)
    etree.SubElement(ext, f"{{{ADEC_NS}}}decorative", {"val": "1"}, nsmap={"adec": ADEC_NS})
