"""Errors that point at the user's source: ``file:line: message``."""

from __future__ import annotations

import re
from pathlib import Path


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
