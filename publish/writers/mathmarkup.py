"""A formula in the body markup: MathML (HTML, EPUB) or an SVG drawing of it (PDF).

WeasyPrint has no MathML (it would draw ``<math>`` as flat text, silently), so the PDF gets
ziamath's outlines as an inline ``<svg>``: sized in ``em`` (it follows the text around it),
its baseline on the text's, its ``<title>`` the TeX (WeasyPrint's tag tree makes it the
``/Alt`` of a ``/Figure``). Display math is a block of its own inside the paragraph (pandoc's
DisplayMath), centred; a numbered equation carries its id and its number "(n)" at the right.
Every conversion is cached per formula: the editions of one build share it.
"""

from __future__ import annotations

import functools
import warnings
from types import ModuleType

from lxml import etree
from markupsafe import escape

from publish import mathtex
from publish import model as m

#: The size ziamath draws at, in px; the SVG is then scaled to the text's em.
_SIZE = 16.0
#: The drawing's size against the text's: STIX Two Math's x-height is 0.473 em, Noto Serif's
#: 0.536 em (its capitals 0.657 against 0.714), so a formula at 1 em looks a size smaller than
#: the words around it. MathJax matches the x-heights the same way.
_SCALE = 1.1


@functools.cache
def _ziamath() -> ModuleType:
    """ziamath, imported on first use (only the PDF draws math). Its import calls the
    deprecated ``importlib.resources.path`` (ziamath 0.13): that one warning is its own."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "path is deprecated", DeprecationWarning)
        import ziamath
    ziamath.config.svg2 = False  # type: ignore[attr-defined]  # plain paths, no SVG 2 <symbol>/<use href>
    return ziamath


#: A numbered formula's box is 84 % of a text block of 32 em, between two of 8 % (the number's
#: and a pad). One wider than that box (em) takes the pad's room too, which puts it a little
#: left of the centre (as TeX sets it); one wider still leaves no room for its number beside
#: it: the number goes under it, at the right.
_SHIFTED, _WIDE = 26.8, 29.0


def svg(tex: str, display: bool) -> str:
    """The formula drawn as an SVG whose width, height and baseline are in em."""
    return _drawing(tex, display)[0]


@functools.lru_cache(maxsize=4096)
def _drawing(tex: str, display: bool) -> tuple[str, float]:
    """:func:`svg`, and its width in em."""
    converted = mathtex.convert(tex, display)
    drawing = _ziamath().Math(converted.presentation, size=_SIZE, title=tex)
    root = etree.fromstring(drawing.svg().encode())
    _, y, width, height = (float(v) for v in root.get("viewBox", "0 0 0 0").split())
    below = y + height  # the drawing's bottom under its baseline (y = 0)
    em = _SCALE / _SIZE
    for name in ("width", "height"):
        del root.attrib[name]
    root.set("class", "math-svg")
    root.set("role", "img")
    root.set(
        "style",
        f"width: {width * em:.3f}em; height: {height * em:.3f}em; vertical-align: {-below * em:.3f}em",
    )
    return etree.tostring(root, encoding="unicode"), width * em


def render(node: m.Math, drawn: bool) -> str:
    """The markup of ``node``: MathML, or (``drawn``) an SVG drawing."""
    converted = mathtex.convert(node.tex, node.display)
    if not converted.mathml:  # refused by the reader already; not reached from a read document
        return f"<code>{escape(node.tex)}</code>"
    inner = svg(node.tex, node.display) if drawn else converted.mathml
    if not node.display:
        return f'<span class="math inline">{inner}</span>' if drawn else inner
    ident = f' id="{escape(node.attr.id)}"' if node.attr.id else ""
    number = f' <span class="equation-number">({escape(node.number)})</span>' if node.number else ""
    numbered = " numbered" if node.number else ""
    if drawn and node.number:  # three boxes on one line: the formula centred, its number at the right
        body = f'<span class="equation-pad"></span><span class="equation-body">{inner}</span>'
        width = _drawing(node.tex, node.display)[1]
        numbered += " wide" if width > _WIDE else " shifted" if width > _SHIFTED else ""
        return f'<span class="math display{numbered}"{ident}>{body}{number.strip()}</span>'
    return f'<span class="math display{numbered}"{ident}>{inner}{number}</span>'
