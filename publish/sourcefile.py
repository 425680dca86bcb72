"""A source file as text: read within the size limit, decoded, its control characters
removed (once, for every writer), its front matter split off. Used by the Markdown reader
and by the book's chapters."""

from __future__ import annotations

import logging
import re
from pathlib import Path

from publish import meta
from publish import text as txt
from publish.errors import PublishError

log = logging.getLogger("publish")

FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)^(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S | re.M)


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


def split_front_matter(source: str, file: Path) -> tuple[dict[str, object], str, str, int]:
    """Return (data, yaml text, Markdown body, number of lines before the body)."""
    found = FRONT_MATTER.match(source)
    if not found:
        raise PublishError("missing YAML front matter (a '---' block with at least a title)", file, 1)
    yaml_text = found.group(1)
    data = meta.load_yaml(yaml_text, file, first_line=2)
    offset = source.count("\n", 0, found.end())
    return data, yaml_text, source[found.end() :], offset
