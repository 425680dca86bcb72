"""Pictures of each document's four editions, side by side in the check's report, so a person
sees the house style at a glance: the PDF's first page (pdftoppm), the DOCX's first page as
LibreOffice lays it out (the PDF the ``libreoffice`` check converts anyway: no second
conversion), the web page's first screen and the EPUB's cover as Chromium draws them.

Each picture is a small PNG, :data:`WIDTH` pixels wide (an A4 page at about 36 dpi), written
into the folder an :class:`Album` names (``publish check`` gives ``OUT/report/``) as
``<slug>-<fmt>.png``. A tool that is missing (pdftoppm, LibreOffice, Chromium) or that fails
leaves that picture out with a note, never a failed check. Chromium draws a page a process at
a time, as many at a time as there are CPUs (about a second and a half each, almost all of it
Chromium starting).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import urllib.parse
import zipfile
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path

from publish import files
from publish.check.report import Edition, Preview
from publish.readback import epub as epub_back

#: The editions shown, left to right: each picture's caption and what it shows (its alt text).
SIDES: dict[str, tuple[str, str]] = {
    "pdf": ("PDF", "First page of the PDF edition"),
    "docx": ("DOCX in LibreOffice", "First page of the DOCX edition, as LibreOffice lays it out"),
    "html": ("HTML in Chromium", "First screen of the HTML edition, as Chromium draws it"),
    "epub": ("EPUB cover in Chromium", "Cover of the EPUB edition, as Chromium draws it"),
}
#: The pictures' width in pixels; their height follows the page (A4: 424).
WIDTH = 300
#: The screens Chromium draws on, in CSS pixels: the web page on a screen of A4's shape, the
#: EPUB's cover on a reader's (600 × 848). Drawn at the picture's scale (at least half, Chromium's
#: least), then reduced to the picture's width.
SCREENS: dict[str, tuple[int, int]] = {"html": (800, 1131), "epub": (600, 848)}
#: Seconds one picture may take.
TIMEOUT = 60

NO_PDFTOPPM = "pdftoppm is not installed (Debian package poppler-utils)"
NO_CHROMIUM = "Chromium is not installed (Debian package chromium)"


def chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def pdftoppm() -> str | None:
    return shutil.which("pdftoppm")


class Album:
    """The pictures of one check's editions: where each goes, and why any is missing."""

    def __init__(self, folder: Path, width: int = WIDTH) -> None:
        self.folder = folder
        self.width = width
        #: Picture → "" when drawn in this run, else the note saying why not.
        self.notes: dict[Path, str] = {}

    def path(self, edition: Edition) -> Path:
        return self.folder / f"{edition.doc.slug}-{edition.fmt}.png"

    def page(self, edition: Edition, pdf: Path | None, why: str = "") -> None:
        """The first page of ``pdf`` (the PDF edition, or LibreOffice's PDF of the DOCX) as the
        picture of ``edition``; without a PDF, ``why`` is its note."""
        dest = self._start(edition)
        exe = pdftoppm()
        if pdf is None or exe is None:
            self.notes[dest] = why if pdf is None else NO_PDFTOPPM
            return
        self._safely(dest, "pdftoppm could not draw it", partial(self._page, exe, pdf, dest))

    def draw(self, editions: Sequence[Edition]) -> None:
        """The pictures of ``editions`` that no check has drawn: the web pages and EPUB covers
        in Chromium and the PDFs' first pages, as many at a time as there are CPUs. (A DOCX is
        drawn by the ``libreoffice`` check, which lays it out.)"""
        exe = chromium()
        jobs: list[Callable[[], None]] = []
        for edition in sorted(editions, key=lambda e: e.fmt not in SCREENS):  # the slow ones first
            if edition.fmt in SCREENS and exe is None:
                self.notes[self._start(edition)] = NO_CHROMIUM
            elif edition.fmt in SCREENS and exe is not None:
                dest = self._start(edition)
                jobs.append(
                    partial(self._safely, dest, "Chromium could not draw it", partial(self._screen, exe, edition, dest))
                )
            elif edition.fmt == "pdf":
                jobs.append(partial(self.page, edition, edition.path))
            elif edition.fmt == "docx" and self.path(edition) not in self.notes:
                self.notes[self._start(edition)] = "LibreOffice did not lay it out"
        if jobs:
            with ThreadPoolExecutor(max_workers=min(len(jobs), os.cpu_count() or 1)) as pool:
                for done in [pool.submit(job) for job in jobs]:
                    done.result()

    def previews(self, present: dict[str, Edition], formats: Sequence[str]) -> list[Preview]:
        """A document's pictures, in the order of :data:`SIDES`, for the formats checked."""
        shown = []
        for fmt, (caption, alt) in SIDES.items():
            if fmt not in formats:
                continue
            if fmt not in present:
                shown.append(Preview(fmt, caption, alt, None, "the edition is missing"))
                continue
            dest = self.path(present[fmt])
            note = self.notes.get(dest, "not drawn")
            shown.append(Preview(fmt, caption, alt, None if note else dest, note))
        return shown

    def _start(self, edition: Edition) -> Path:
        """The picture's path, with any picture of an earlier run removed (never shown stale)."""
        dest = self.path(edition)
        dest.unlink(missing_ok=True)
        return dest

    def _safely(self, dest: Path, what: str, draw: Callable[[], str]) -> None:
        """Draw a picture (``draw`` gives "" or the note saying why not); whatever goes wrong
        is its note: a picture is never worth a failed check."""
        try:
            self.notes[dest] = draw()
        except Exception as exc:
            self.notes[dest] = f"{what}: {type(exc).__name__}: {exc}"

    def _page(self, exe: str, pdf: Path, dest: Path) -> str:
        with tempfile.TemporaryDirectory() as tmp:
            run = subprocess.run(
                [exe, "-png", "-singlefile", "-f", "1", "-l", "1", *_scaled(self.width), str(pdf), f"{tmp}/page"],
                capture_output=True,
                text=True,
                check=False,
                timeout=TIMEOUT,
            )
            return _keep(dest, Path(tmp) / "page.png", f"pdftoppm failed: {run.stderr.strip()[-200:]}")

    def _screen(self, exe: str, edition: Edition, dest: Path) -> str:
        width, height = SCREENS[edition.fmt]
        with tempfile.TemporaryDirectory() as tmp:
            page = edition.path if edition.fmt == "html" else _unpacked_cover(edition.path, Path(tmp) / "epub")
            run = subprocess.run(
                [
                    exe,
                    *_CHROMIUM_FLAGS,
                    f"--user-data-dir={tmp}/profile",
                    f"--window-size={width},{height}",
                    f"--force-device-scale-factor={max(0.5, self.width / width):.4f}",
                    f"--screenshot={tmp}/shot.png",
                    page.resolve().as_uri(),
                ],
                capture_output=True,
                text=True,
                check=False,
                timeout=TIMEOUT,
            )
            shot = Path(tmp) / "shot.png"
            if shot.is_file():
                _reduce(shot, self.width)
            return _keep(dest, shot, f"Chromium failed: {run.stderr.strip()[-200:]}")


def _keep(dest: Path, drawn: Path, failed: str) -> str:
    """The picture drawn moved into place: "", or ``failed`` when none was drawn."""
    if not (drawn.is_file() and drawn.stat().st_size):
        return failed
    files.write_bytes(dest, drawn.read_bytes())
    return ""


#: Headless, in a profile of its own (several run at once), nothing fetched but the page.
_CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--hide-scrollbars",
    "--no-first-run",
    "--disable-extensions",
    "--disable-background-networking",
    "--disable-sync",
    "--mute-audio",
    "--run-all-compositor-stages-before-draw",
    "--disable-component-update",
    "--disable-default-apps",
    "--disable-crash-reporter",
    "--disable-breakpad",
    "--disable-features=Translate,OptimizationHints,MediaRouter,DialMediaRouteProvider",
)


def _scaled(width: int) -> tuple[str, ...]:
    """pdftoppm's options for a page ``width`` pixels wide, its height in proportion."""
    return ("-scale-to-x", str(width), "-scale-to-y", "-1")


def _unpacked_cover(epub: Path, into: Path) -> Path:
    """The EPUB unpacked into ``into``; the path of its first spine page (the cover)."""
    first = epub_back.spine(epub)[0]
    with zipfile.ZipFile(epub) as z:
        z.extractall(into)  # zipfile keeps every member inside ``into``
    return into / urllib.parse.unquote(first)


def _reduce(png: Path, width: int) -> None:
    """The picture scaled to ``width`` pixels, in place."""
    from PIL import Image

    with Image.open(png) as image:
        height = round(image.height * width / image.width)
        small = image.convert("RGB").resize((width, height), Image.Resampling.LANCZOS)
    small.save(png, optimize=True)
