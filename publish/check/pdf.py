"""The checks only a PDF has: ``pdf-tags`` (the tag tree and the bookmarks), ``glyphs`` (every
character in an embedded font), and the thumbnails of its first pages for the report."""

from __future__ import annotations

import base64
import collections
import contextlib
import functools
import re
import shutil
import subprocess
import tempfile
import unicodedata
from pathlib import Path

from publish import model as m
from publish import outline as ol
from publish import pagedata, text, walk
from publish.check.report import FAIL, NOT_CHECKED, PASS, Result
from publish.options import Options
from publish.readback import pdf as pdf_back


def check_pdf_tags(doc: m.Document, path: Path, options: Options) -> Result:
    """The tag tree (what assistive technology reads) and the bookmarks (what a reader
    navigates by) against the model."""
    if options.pdf_variant == "plain":
        return Result("pdf-tags", NOT_CHECKED, ["an untagged PDF was asked for (--pdf-variant plain)"], "pdf")
    tags = pdf_back.tags(path)
    if not tags:
        return Result("pdf-tags", FAIL, ["the PDF has no tag tree", *pdf_back.bookmark_problems(doc, path)], "pdf")
    count = collections.Counter(tag for tag, _ in tags)
    nodes = list(walk.walk(doc.blocks))
    problems = pdf_back.bookmark_problems(doc, path)
    want_h = collections.Counter(f"H{n.level}" for n in nodes if isinstance(n, m.Heading))
    want_h["H1"] += 1  # the title
    for level, n in sorted(want_h.items()):
        if count[level] < n:
            problems.append(f"{n} {level} heading(s) in the source, {count[level]} tagged")
    in_notes = sum(1 for n in walk.walk(walk.notes(doc.blocks)) if isinstance(n, m.Paragraph))
    paragraphs = sum(1 for n in nodes if isinstance(n, m.Paragraph)) - in_notes  # footnotes are not P
    if count["P"] < paragraphs:
        problems.append(f"{paragraphs} paragraphs in the source, {count['P']} tagged P")
    lists = sum(1 for n in nodes if isinstance(n, m.BulletList | m.OrderedList))
    if count["L"] < lists:
        problems.append(f"{lists} lists in the source, {count['L']} tagged L")
    tables = sum(1 for n in nodes if isinstance(n, m.Table))
    if count["Table"] != tables:
        problems.append(f"{tables} tables in the source, {count['Table']} tagged")
    links = sum(1 for n in nodes if isinstance(n, m.Link))
    if count["Link"] < links:
        problems.append(f"{links} links in the source, {count['Link']} tagged")
    alts = [n.alt for n in nodes if isinstance(n, m.Image)]
    tagged = [alt for tag, alt in tags if tag == "Figure"]
    if sorted(text.squash(a) for a in alts) != sorted(text.squash(a) for a in tagged):
        problems.append(f"figures and their alt text differ: source {alts}, tagged {tagged}")
    return Result("pdf-tags", FAIL if problems else PASS, problems, "pdf")


@functools.lru_cache(maxsize=1)
def installed_fonts() -> dict[str, Path]:
    """PostScript name or family name (letters and digits only, lower case) → a font file,
    from fontconfig. A PDF names its fonts by PostScript name (``DejaVuSans-Bold``), which
    is one file; a family's first file may be a face that covers less (DejaVu Sans
    ExtraLight has no Arabic), so it is only the fallback."""
    exe = shutil.which("fc-list")
    if exe is None:
        return {}
    out = subprocess.run(
        [exe, "--format", "%{postscriptname}|%{family}|%{file}\n"], capture_output=True, text=True, check=False
    )
    by_name: dict[str, Path] = {}
    by_family: dict[str, Path] = {}
    for line in out.stdout.splitlines():
        name, families, file = [*line.split("|", 2), "", ""][:3]
        if name:
            by_name.setdefault(_font_key(name), Path(file))
        for family in families.split(","):
            by_family.setdefault(_font_key(family), Path(file))
    return {**by_family, **by_name}


def _font_key(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


@functools.lru_cache(maxsize=64)
def _coverage(file: Path) -> frozenset[int]:
    from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

    with TTFont(str(file), fontNumber=0, lazy=True) as font:
        return frozenset(font.getBestCmap() or {})


def _visible_text(doc: m.Document, options: Options) -> str:
    ctx = pagedata.context(doc, options)
    parts = [doc.meta.title, doc.meta.subtitle or "", *(a["display"] for a in ctx["authors"])]
    parts += [a.role or "" for a in doc.meta.authors] + [a.affiliation or "" for a in doc.meta.authors]
    parts += [n.text for org in doc.meta.publishers for n in org.names]
    parts += [ctx["date"]["text"] if ctx["date"] else "", *ctx["labels"].values()]
    parts.append(ol.text_stream(ol.outline_of(doc)))
    return "".join(parts)


def check_glyphs(doc: m.Document, path: Path, options: Options) -> Result:
    fonts = installed_fonts()
    if not fonts:
        return Result("glyphs", NOT_CHECKED, ["fontconfig's fc-list is not installed"], "pdf")
    covered: set[int] = set()
    unknown = []
    for name in pdf_back.embedded_fonts(path):
        key = _font_key(name)
        family = max((f for f in fonts if key.startswith(f)), key=len, default=None)
        if family is None:
            unknown.append(name)
            continue
        covered |= _coverage(fonts[family])
    if unknown:
        return Result("glyphs", NOT_CHECKED, [f"embedded fonts not installed here: {', '.join(unknown)}"], "pdf")
    missing = sorted(
        {c for c in _visible_text(doc, options) if not c.isspace() and unicodedata.category(c) != "Cf"}
        - {chr(c) for c in covered}
    )
    problems = [f"{where(doc, c)}: U+{ord(c):04X} {c!r} is in no font embedded in the PDF" for c in missing]
    return Result("glyphs", FAIL if problems else PASS, problems, "pdf")


def where(doc: m.Document, char: str) -> str:
    """``file:line`` of the first place a character stands in the source (a book's chapters)."""
    if doc.source is None:
        return "the document"
    for source in [c.source for c in doc.chapters] or [doc.source]:
        with contextlib.suppress(OSError):
            for number, line in enumerate(source.read_text(encoding="utf-8").splitlines(), 1):
                if char in unicodedata.normalize("NFC", line):
                    return f"{source}:{number}"
    return str(doc.source)


def thumbnails(path: Path, pages: int = 2) -> list[str]:
    exe = shutil.which("pdftoppm")
    if exe is None:
        return []
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [exe, "-png", "-r", "36", "-f", "1", "-l", str(pages), str(path), f"{tmp}/page"],
            check=False,
            capture_output=True,
        )
        return [
            "data:image/png;base64," + base64.b64encode(p.read_bytes()).decode("ascii")
            for p in sorted(Path(tmp).glob("page*.png"))
        ]
