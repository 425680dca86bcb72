"""docs/editions.png: the article's four editions side by side, as the README shows them.

    python scripts/editions.py            (or: nox -s editions)

Builds the article (content/) into a temporary folder, draws its editions as ``publish check``
draws them for its report (publish.check.previews: the PDF's first page, the DOCX's first page
as LibreOffice lays it out, the web page's first screen and the EPUB's cover in Chromium), at a
larger size, and sets them in one row with captions. Needs pdftoppm, LibreOffice and Chromium
(bash scripts/setup.sh --test); stops with a message naming what is missing.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

import publish
from publish.check import previews
from publish.check.report import Edition
from publish.check.validators import libreoffice_pdfs
from publish.options import Options

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = ROOT / "content" / "justice-for-western-azerbaijan-community.md"
#: Each edition's width in the picture, the margins and gaps around them, the caption's size.
WIDTH, GAP, CAPTION = 400, 28, 22
ORDER = ("pdf", "docx", "html", "epub")


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    found = subprocess.run(["fc-match", "-f", "%{file}", "DejaVu Sans"], capture_output=True, text=True, check=False)
    if found.returncode == 0 and found.stdout:
        return ImageFont.truetype(found.stdout, size)
    return ImageFont.load_default(size)


def draw(source: Path, work: Path, width: int = WIDTH) -> dict[str, Path]:
    """The four pictures of ``source``'s editions, built and drawn in ``work``."""
    options = Options()
    doc = publish.load(source)
    editions = {
        fmt: Edition(doc, fmt, publish.build(doc, fmt, work / doc.slug / f"{doc.slug}.{fmt}", options), options)
        for fmt in ORDER
    }
    album = previews.Album(work / "pictures", width)
    laid_out = libreoffice_pdfs([editions["docx"].path], work / "libreoffice")
    if isinstance(laid_out, str):
        sys.exit(laid_out)
    album.page(editions["docx"], laid_out.get(editions["docx"].path), "LibreOffice could not convert the DOCX")
    album.draw([editions[fmt] for fmt in ORDER if fmt != "docx"])
    shown = album.previews(editions, ORDER)
    missing = [f"{p.fmt}: {p.note}" for p in shown if p.src is None]
    if missing:
        sys.exit("cannot draw every edition: " + "; ".join(missing))
    return {p.fmt: p.src for p in shown if p.src is not None}


def compose(pictures: dict[str, Path], dest: Path) -> None:
    """The pictures in one row on white, each framed, its caption under it."""
    images = [Image.open(pictures[fmt]).convert("RGB") for fmt in ORDER]
    height = max(image.height for image in images)
    font = _font(CAPTION)
    total = (len(images) * (WIDTH + GAP) + GAP, GAP + height + CAPTION * 2 + GAP)
    sheet = Image.new("RGB", total, "white")
    pen = ImageDraw.Draw(sheet)
    for i, (fmt, image) in enumerate(zip(ORDER, images, strict=True)):
        x = GAP + i * (WIDTH + GAP)
        sheet.paste(image, (x, GAP))
        pen.rectangle((x - 1, GAP - 1, x + image.width, GAP + image.height), outline="#c8c8ce")
        caption = previews.SIDES[fmt][0]
        left = x + (WIDTH - pen.textlength(caption, font=font)) / 2
        pen.text((left, GAP + height + CAPTION // 2), caption, fill="#1a1a1a", font=font)
    dest.parent.mkdir(parents=True, exist_ok=True)
    # 256 colours: the pages are mostly text on white; the file stays small for the README.
    sheet.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(dest, optimize=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--source", type=Path, default=ARTICLE, help="the document (default: the article)")
    parser.add_argument("--dest", type=Path, default=ROOT / "docs" / "editions.png", help="the picture to write")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        compose(draw(args.source, Path(tmp)), args.dest)
    print(f"wrote {args.dest} ({args.dest.stat().st_size // 1024} KB)")


if __name__ == "__main__":
    main()
