"""``publish.toml``: the defaults of a content folder.

A file ``publish.toml`` at the root of a content folder gives every document defaults that
its front matter may override, and the build's settings::

    [defaults]                 # any front-matter key but the title
    lang = "en-GB"
    rights = "CC BY 4.0"
    publishers = [{ names = [{ text = "Small Press Collective" }] }]

    [build]
    formats = ["html", "pdf"]  # what `publish all` makes (default: all four)
    theme = "theme"            # a theme folder, relative to the content folder
    pdf-variant = "pdf/a-3a"
    paper = "A5"               # A4 (default), A5, B5, Letter or Legal
    toc = true
    reference-docx = "styles.docx"

Command-line options win over ``[build]``. An unknown table or key, a value of the wrong
kind, or a default the front matter would refuse is an error naming ``publish.toml:line``.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from publish.errors import PublishError
from publish.fastpath import FORMATS, PDF_VARIANTS

FILE = "publish.toml"
PAPERS = {"A4": (210, 297), "A5": (148, 210), "B5": (176, 250), "Letter": (215.9, 279.4), "Legal": (215.9, 355.6)}
BUILD_KEYS = {"formats", "theme", "pdf-variant", "paper", "toc", "reference-docx"}


@dataclass(frozen=True)
class Project:
    file: Path
    defaults: dict[str, Any] = field(default_factory=dict)
    formats: tuple[str, ...] = FORMATS
    theme: Path | None = None
    pdf_variant: str | None = None
    paper: str | None = None
    toc: bool | None = None
    reference_docx: Path | None = None


def _line(text: str, pattern: str) -> int | None:
    found = re.search(pattern, text, re.MULTILINE)
    return text.count("\n", 0, found.start()) + 1 if found else None


def _key_line(text: str, key: str) -> int | None:
    return _line(text, rf"^\s*{re.escape(key)}\s*=")


def load(content: Path) -> Project | None:
    """The project of a content folder, or None when it has no ``publish.toml``."""
    path = content / FILE
    if not path.is_file():
        return None
    text = path.read_text(encoding="utf-8")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"line (\d+)", str(exc))
        raise PublishError(f"invalid TOML: {exc}", path, int(found.group(1)) if found else None) from None
    for table in data:
        if table not in ("defaults", "build"):
            line = _line(text, rf"^\s*\[{re.escape(table)}\]") or _key_line(text, table)
            raise PublishError(f"unknown table or key {table!r} (known: [defaults], [build])", path, line)
    defaults = data.get("defaults", {})
    build = data.get("build", {})
    for name, table in (("defaults", defaults), ("build", build)):
        if not isinstance(table, dict):
            raise PublishError(f"{name} must be a table ([{name}])", path, _key_line(text, name))
    _check_defaults(defaults, text, path)
    for key in build:
        if key not in BUILD_KEYS:
            raise PublishError(
                f"unknown key {key!r} in [build] (known: {', '.join(sorted(BUILD_KEYS))})", path, _key_line(text, key)
            )

    def fail(key: str, message: str) -> PublishError:
        return PublishError(f"[build] {key}: {message}", path, _key_line(text, key))

    formats = build.get("formats", list(FORMATS))
    if not isinstance(formats, list) or not formats or any(f not in FORMATS for f in formats):
        raise fail("formats", f"a list of formats among {', '.join(FORMATS)}")
    variant = build.get("pdf-variant")
    if variant is not None and variant not in PDF_VARIANTS:
        raise fail("pdf-variant", f"one of {', '.join(PDF_VARIANTS)}")
    paper = build.get("paper")
    if paper is not None and paper not in PAPERS:
        raise fail("paper", f"one of {', '.join(PAPERS)}")
    toc = build.get("toc")
    if toc is not None and not isinstance(toc, bool):
        raise fail("toc", "true or false")
    paths: dict[str, Path | None] = {}
    for key in ("theme", "reference-docx"):
        value = build.get(key)
        if value is not None and not isinstance(value, str):
            raise fail(key, "a path relative to the content folder")
        target = (content / value) if value else None
        if target is not None and not target.exists():
            raise fail(key, f"{target} does not exist")
        paths[key] = target
    return Project(
        file=path,
        defaults=defaults,
        formats=tuple(formats),
        theme=paths["theme"],
        pdf_variant=variant,
        paper=paper,
        toc=toc,
        reference_docx=paths["reference-docx"],
    )


def _check_defaults(defaults: dict[str, Any], text: str, path: Path) -> None:
    """Read the defaults as front matter would be read, so a bad one is reported here, at its
    line, and not later in every document."""
    from publish import meta

    if "title" in defaults:
        raise PublishError("a title cannot be a default: every document has its own", path, _key_line(text, "title"))
    # The same lines, with TOML's "key =" read as YAML's "key:", so meta reports their lines.
    as_yaml = re.sub(r"^(\s*)([A-Za-z_][\w-]*)\s*=", r"\1\2:", text, flags=re.MULTILINE)
    try:
        meta.parse({"title": "(defaults)", **defaults}, as_yaml, path, first_line=1)
    except PublishError as exc:
        raise PublishError(exc.message.replace("front matter", "[defaults]"), path, exc.line) from None
