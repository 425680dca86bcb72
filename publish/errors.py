"""Errors that point at the user's source: ``file:line: message``."""

from __future__ import annotations

import logging
import re
from pathlib import Path

_log = logging.getLogger("publish")


class PublishError(Exception):
    """A problem with the user's input or setup, reported as ``file:line: message``."""

    def __init__(self, message: str, file: Path | str | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.file = Path(file) if file is not None else None
        self.line = line

    def __str__(self) -> str:
        where = ""
        if self.file is not None:
            where = f"{self.file}:{self.line}: " if self.line else f"{self.file}: "
        return f"{where}{self.message}"


class MissingToolError(PublishError):
    """An external program or system package that a step needs is not installed."""


def line_of(text: str, pattern: str, first_line: int = 1) -> int | None:
    """The line where the regular expression ``pattern`` first matches in ``text`` (``^``
    matches at every line), counted from ``first_line``; None when it does not match."""
    found = re.search(pattern, text, re.MULTILINE)
    return first_line + text.count("\n", 0, found.start()) if found else None


def key_line(text: str, key: str, first_line: int = 1, *, sep: str = ":") -> int | None:
    """The line of ``key`` in YAML (``sep`` ``:``) or TOML (``sep`` ``=``) text."""
    return line_of(text, rf"^[ \t]*{re.escape(str(key))}\s*{re.escape(sep)}", first_line)


class PublishErrors(PublishError):
    """Every error found in one document, reported together (one ``file:line: message``
    a line), so an author fixes them in one pass instead of one run each."""

    def __init__(self, errors: list[PublishError]):
        first = errors[0]
        super().__init__(first.message, first.file, first.line)
        self.errors = tuple(errors)

    def __str__(self) -> str:
        return "\n".join(str(error) for error in self.errors)


class Diagnostics:
    """The problems found while reading one document.

    An error makes the document fail once reading is over (:meth:`done` raises every error
    together); a warning is said at once (``file:line: warning: message``) and the document
    builds with what the warning says was done. ``strict`` (``--strict``, ``[build] strict``)
    turns every warning into an error."""

    def __init__(self, file: Path | None, strict: bool = False):
        self.file = file
        self.strict = strict
        self.errors: list[PublishError] = []
        self.warnings: list[PublishError] = []

    def error(self, message: str, line: int | None = None, file: Path | None = None) -> None:
        self.errors.append(PublishError(message, file or self.file, line))

    def warn(self, message: str, line: int | None = None, file: Path | None = None) -> None:
        if self.strict:
            self.error(f"{message} (an error with --strict)", line, file)
            return
        problem = PublishError(message, file or self.file, line)
        self.warnings.append(problem)
        _log.warning("%s", _warning_text(problem))

    def done(self) -> None:
        """Raise every error found, in the order of their lines."""
        if self.errors:
            ordered = sorted(self.errors, key=lambda e: (str(e.file), e.line or 0))
            raise ordered[0] if len(ordered) == 1 else PublishErrors(ordered)


def _warning_text(problem: PublishError) -> str:
    where = str(problem)[: -len(problem.message)]
    return f"{where}warning: {problem.message}"
