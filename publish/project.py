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
    strict = true              # every warning of the reader fails the document
    reference-docx = "styles.docx"
    executor = "dask://scheduler.example:8786"   # default: local (a process pool)

    [books.field-guide]        # a book: one edition per format, named field-guide
    title = "A Field Guide"    # and any other front-matter key, over [defaults]
    chapters = ["guide/intro.md", "guide/methods.md", "guide/results.md"]

Command-line options win over ``[build]``. An unknown table or key, a value of the wrong
kind, or a default the front matter would refuse is an error naming ``publish.toml:line``.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from publish.errors import PublishError, key_line, line_of
from publish.layout import Book
from publish.options import FORMATS, PAPERS, PDF_VARIANTS, PROJECT_FILE, executor_problem

FILE = PROJECT_FILE
BUILD_KEYS = {"formats", "theme", "pdf-variant", "paper", "toc", "reference-docx", "executor", "strict"}


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
    executor: str | None = None
    strict: bool | None = None
    books: tuple[Book, ...] = ()

    def chapter_of(self, path: Path) -> Book | None:
        """The book a Markdown file is a chapter of, if any."""
        real = path.resolve()
        return next((b for b in self.books if any(c.resolve() == real for c in b.chapters)), None)


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
        if table not in ("defaults", "build", "books"):
            line = line_of(text, rf"^[ \t]*\[{re.escape(table)}\]") or key_line(text, table, sep="=")
            raise PublishError(f"unknown table or key {table!r} (known: [defaults], [build], [books.NAME])", path, line)
    defaults = data.get("defaults", {})
    build = data.get("build", {})
    for name, table in (("defaults", defaults), ("build", build)):
        if not isinstance(table, dict):
            raise PublishError(f"{name} must be a table ([{name}])", path, key_line(text, name, sep="="))
    _check_defaults(defaults, text, path)
    for key in build:
        if key not in BUILD_KEYS:
            raise PublishError(
                f"unknown key {key!r} in [build] (known: {', '.join(sorted(BUILD_KEYS))})",
                path,
                key_line(text, key, sep="="),
            )

    def fail(key: str, message: str) -> PublishError:
        return PublishError(f"[build] {key}: {message}", path, key_line(text, key, sep="="))

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
    strict = build.get("strict")
    if strict is not None and not isinstance(strict, bool):
        raise fail("strict", "true or false")
    executor = build.get("executor")
    if executor is not None:
        problem = executor_problem(executor) if isinstance(executor, str) else "'local' or 'dask://HOST:PORT'"
        if problem:
            raise fail("executor", problem)
    paths: dict[str, Path | None] = {}
    for key in ("theme", "reference-docx"):
        value = build.get(key)
        if value is not None and not isinstance(value, str):
            raise fail(key, "a path relative to the content folder")
        target = (content / value) if value else None
        if target is not None and not target.exists():
            raise fail(key, f"{target} does not exist")
        paths[key] = target
    books = _books(data.get("books", {}), defaults, content, text, path)
    return Project(
        file=path,
        books=books,
        defaults=defaults,
        formats=tuple(formats),
        theme=paths["theme"],
        pdf_variant=variant,
        paper=paper,
        toc=toc,
        reference_docx=paths["reference-docx"],
        executor=executor,
        strict=strict,
    )


_BOOK_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*\Z")


def _table_line(text: str, name: str) -> int | None:
    quoted = rf"(?:{re.escape(name)}|\"{re.escape(name)}\"|'{re.escape(name)}')"
    return line_of(text, rf"^[ \t]*\[\s*books\s*\.\s*{quoted}\s*\]")


def section(text: str, line: int) -> str:
    """The lines of the table that starts at ``line`` (1-based), up to the next table."""
    lines = text.splitlines(keepends=True)
    end = next((i for i in range(line, len(lines)) if re.match(r"^[ \t]*\[", lines[i])), len(lines))
    return "".join(lines[line:end])


def _books(tables: Any, defaults: dict[str, Any], content: Path, text: str, path: Path) -> tuple[Book, ...]:
    """``[books.NAME]`` tables: each a list of chapter files and the book's front matter."""
    if not isinstance(tables, dict):
        raise PublishError("books must be tables: [books.NAME]", path, key_line(text, "books", sep="="))
    books: list[Book] = []
    owner: dict[Path, str] = {}
    for name, table in tables.items():
        line = _table_line(text, name) or key_line(text, "books", sep="=") or 1
        if not isinstance(table, dict):
            raise PublishError(f"books.{name} must be a table: [books.{name}]", path, line)
        if not _BOOK_NAME.match(name):
            raise PublishError(f"book name {name!r}: letters, digits, '-' and '_' only (it names files)", path, line)
        table_text = section(text, line)

        def fail(
            key: str, message: str, table_text: str = table_text, line: int = line, name: str = name
        ) -> PublishError:
            found = key_line(table_text, key, sep="=")
            return PublishError(f"[books.{name}] {key}: {message}", path, line + found if found else line)

        chapters = table.get("chapters")
        if not isinstance(chapters, list) or not chapters or not all(isinstance(c, str) for c in chapters):
            raise fail("chapters", "a list of the chapters' Markdown files, relative to the content folder")
        files: list[Path] = []
        for chapter in chapters:
            relative = Path(chapter)
            if relative.is_absolute() or ".." in relative.parts or relative.suffix != ".md":
                raise fail("chapters", f"{chapter!r} is not a .md file inside the content folder")
            file = content / relative
            if file.resolve() in owner:
                other = owner[file.resolve()]
                where = "twice in this book" if other == name else f"already a chapter of {other!r}"
                raise fail("chapters", f"{chapter} is {where}")
            owner[file.resolve()] = name
            files.append(file)
        book_meta = {k: v for k, v in table.items() if k != "chapters"}
        _check_front_matter({**defaults, **book_meta}, table_text, path, line + 1, f"[books.{name}]")
        chapters_line = line + (key_line(table_text, "chapters", sep="=") or 0)
        books.append(Book(name, tuple(files), path, line, book_meta, table_text, chapters_line))
    return tuple(books)


def as_yaml(text: str) -> str:
    """TOML's "key =" read as YAML's "key:", so meta reports the lines of the keys."""
    return re.sub(r"^(\s*)([A-Za-z_][\w-]*)\s*=", r"\1\2:", text, flags=re.MULTILINE)


def _check_front_matter(data: dict[str, Any], text: str, path: Path, first_line: int, where: str) -> None:
    """Read the keys as front matter would be, so a bad value is reported here, at its line.
    Unlike a document's front matter, publish.toml takes only the keys publish reads: a typo
    is an error, not an extra field."""
    from publish import citations, crossref, meta

    known = meta.KNOWN | crossref.OPTIONS | set(citations.KEYS)
    for key in data:
        if key not in known:
            found = key_line(text, key, sep="=")
            raise PublishError(
                f"{where}: unknown key {key!r} (known: {', '.join(sorted(known - {'title'}))}"
                + (", title, chapters)" if where.startswith("[books") else ")"),
                path,
                first_line - 1 + found if found else first_line,
            )
    try:
        meta.parse(data, as_yaml(text), path, first_line=first_line)
    except PublishError as exc:
        raise PublishError(exc.message.replace("front matter", where), path, exc.line) from None


def _check_defaults(defaults: dict[str, Any], text: str, path: Path) -> None:
    """Read the defaults as front matter would be read, so a bad one is reported here, at its
    line, and not later in every document."""
    if "title" in defaults:
        raise PublishError(
            "a title cannot be a default: every document has its own", path, key_line(text, "title", sep="=")
        )
    _check_front_matter({"title": "(defaults)", **defaults}, text, path, 1, "[defaults]")
