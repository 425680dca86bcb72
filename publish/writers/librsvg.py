"""SVG pictures drawn by librsvg's ``rsvg-convert`` (Debian's ``librsvg2-bin``), for the
editions that cannot take an SVG as it is:

- the DOCX carries, beside the SVG, a PNG that Word 2013, LibreOffice and other readers show;
- the PDF draws the SVG with its text turned into outlines (cairo's SVG output, text laid
  out by Pango with the system's font fallback): WeasyPrint would draw a picture's words as
  text, and a PDF's text layer is the document's text (what ``publish check`` proves, what a
  search finds and a screen reader reads); the picture's alt text speaks for it.

Only an SVG already cleaned (:func:`publish.svg.clean`) is given to it, on its standard
input, so it has no folder to read files from either.
"""

from __future__ import annotations

import shutil
import subprocess

from publish import svg
from publish.errors import MissingToolError

#: The PNG is rendered at twice the picture's CSS size (192 dpi), its longer side at most
#: this many pixels.
PNG_SCALE = 2.0
PNG_MAX_SIDE = 4096
TIMEOUT = 60.0


def _convert(image: svg.Svg, fmt: str, width: float, height: float, lang: str) -> bytes:
    exe = shutil.which("rsvg-convert")
    if exe is None:
        raise MissingToolError(
            "an SVG image is drawn for this edition by rsvg-convert: install the Debian package "
            "librsvg2-bin (bash scripts/setup.sh does)"
        )
    args = [exe, f"--format={fmt}", f"--width={width:g}", f"--height={height:g}", f"--accept-language={lang}"]
    try:
        done = subprocess.run(args, input=image.data, capture_output=True, timeout=TIMEOUT, check=False)
    except subprocess.TimeoutExpired:
        raise svg.SvgError(f"drawing it took longer than {TIMEOUT:g} s") from None
    if done.returncode != 0 or not done.stdout:
        reason = done.stderr.decode("utf-8", "replace").strip() or f"exit status {done.returncode}"
        raise svg.SvgError(f"librsvg cannot draw it ({reason})")
    return done.stdout


def png(image: svg.Svg, lang: str = "en") -> bytes:
    """A PNG of ``image`` at :data:`PNG_SCALE` times its size."""
    factor = min(PNG_SCALE, PNG_MAX_SIDE / max(image.width, image.height))
    width, height = max(1, round(image.width * factor)), max(1, round(image.height * factor))
    data = _convert(image, "png", width, height, lang)
    if not data.startswith(b"\x89PNG"):
        raise svg.SvgError("librsvg gave no PNG for it")
    return data


def outlined(image: svg.Svg, lang: str = "en") -> svg.Svg:
    """``image`` as an SVG of the same size whose text is drawn as outlines, cleaned again."""
    drawn = svg.clean(_convert(image, "svg", image.width, image.height, lang))
    return svg.Svg(drawn.data, image.width, image.height)
