"""Errors that point at the user's source: ``file:line: message``."""

from __future__ import annotations

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
