"""A source file as text: read within the size limit, decoded, its control characters
removed (once, for every writer), its front matter split off. Used by the Markdown reader
and by the book's chapters."""

from __future__ import annotations

import datetime as dt
import logging
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from publish import meta
from publish import text as txt
from publish.errors import PublishError

log = logging.getLogger("publish")

FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(?![ \t]*\r?\n)(.*?)^(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S | re.M)
#: Hugo's and Zola's TOML front matter.
TOML_FRONT_MATTER = re.compile(r"\A\+\+\+[ \t]*\r?\n(.*?)^\+\+\+[ \t]*(?:\r?\n|\Z)", re.S | re.M)
#: pandoc's title block: up to three ``%`` lines (and their indented continuations).
PANDOC_TITLE_BLOCK = re.compile(r"\A(?:%[^\n]*(?:\n|\Z)(?:[ \t]+\S[^\n]*(?:\n|\Z))*){1,3}")


def decode(path: Path, max_bytes: int) -> str:
    try:
        with path.open("rb") as handle:
            raw = handle.read(max_bytes + 1)
    except OSError as exc:
        raise PublishError(f"cannot read: {exc.strerror}", path) from None
    if len(raw) > max_bytes:
        raise PublishError(
            f"the document is larger than {max_bytes // 1024} KiB; raise the limit with --max-size if it is meant",
            path,
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise PublishError("the file is not valid UTF-8", path, line) from None


def clean(source: str, file: Path) -> str:
    for line, char in txt.find_forbidden(source):
        log.warning("%s:%d: removed control character U+%04X", file, line, ord(char))
    return txt.clean(source.replace("\r\n", "\n"))


@dataclass(frozen=True)
class FrontMatter:
    """A source's front matter, split off its Markdown body."""

    data: dict[str, Any]
    #: The front matter's own text (for the line of a key) and the line its text starts on.
    text: str = ""
    first_line: int = 1
    #: ``yaml`` (``---``), ``toml`` (``+++``, Hugo/Zola), ``pandoc`` (``%`` lines) or ``none``.
    syntax: str = "none"
    #: The Markdown after the front matter, and the number of lines before it.
    body: str = ""
    offset: int = 0

    @property
    def sep(self) -> str:
        """What follows a key in :attr:`text` (for :func:`publish.errors.key_line`)."""
        return "=" if self.syntax == "toml" else ":"


def split_front_matter(source: str, file: Path) -> FrontMatter:
    """The front matter of ``source`` in any of the forms authors use, or none at all."""
    found = FRONT_MATTER.match(source)
    if found:
        yaml_text = found.group(1)
        offset = source.count("\n", 0, found.end())
        data = meta.load_yaml(yaml_text, file, first_line=2)
        return FrontMatter(data, yaml_text, 2, "yaml", source[found.end() :], offset)
    found = TOML_FRONT_MATTER.match(source)
    if found:
        toml_text = found.group(1)
        offset = source.count("\n", 0, found.end())
        return FrontMatter(_load_toml(toml_text, file), toml_text, 2, "toml", source[found.end() :], offset)
    found = PANDOC_TITLE_BLOCK.match(source)
    if found:
        offset = source.count("\n", 0, found.end())
        return FrontMatter(
            _pandoc_title_block(found.group(0)), found.group(0), 1, "pandoc", source[found.end() :], offset
        )
    return FrontMatter({}, body=source)


def _load_toml(text: str, file: Path) -> dict[str, Any]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        where = re.search(r"\(at line (\d+)", str(exc))
        line = 1 + (int(where.group(1)) if where else 1)
        raise PublishError(f"invalid TOML front matter: {str(exc).split(' (at ')[0]}", file, line) from None
    return {key: (value.isoformat() if isinstance(value, dt.time) else value) for key, value in data.items()}


def _pandoc_title_block(block: str) -> dict[str, Any]:
    """pandoc's title block: ``% title``, ``% author; author``, ``% date``; a line that
    starts with a space continues the one before (pandoc's rule)."""
    fields: list[str] = []
    for line in block.splitlines():
        if line.startswith("%"):
            fields.append(line[1:].strip())
        elif fields and line.strip():
            fields[-1] += "\n" + line.strip()
    data: dict[str, Any] = {}
    title, authors, date = [*fields, "", "", ""][:3]
    if title:
        data["title"] = " ".join(title.split())
    names = [" ".join(n.split()) for n in re.split(r"[;\n]", authors) if n.strip()]
    if names:
        data["author"] = names
    if date:
        data["date"] = " ".join(date.split())
    return data
