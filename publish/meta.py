"""YAML front matter → typed :class:`publish.model.Metadata`.

Accepted shapes (pandoc-compatible where pandoc has a convention)::

    title: Justice for Western Azerbaijan Community     # required
    subtitle: ...
    author: Jane Doe                                    # or authors: [...]
    authors:
      - name: Khalid Taimur Akram
        honorific: Mr.
        role: Executive Director
        affiliation: Pakistan Research Center ...
    date: 2024-10-23                                    # ISO 8601 date
    lang: en                                            # BCP 47, default en
    publishers:
      - name: Communication University of China         # one name, or
      - names:                                          # one name per language
          - {text: 中國傳媒大學, lang: zh-Hant}
          - {text: Communication University of China, lang: en}
    description: ...
    keywords: [a, b]                                    # or "a, b"
    identifier: urn:isbn:...                            # derived when absent
    rights: ...

Every other key is kept, unchanged, in ``Metadata.extra``.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from publish import langs
from publish.errors import PublishError, line_of
from publish.model import LocalizedText, Metadata, Organization, Person

#: Namespace of the identifiers derived for documents that do not declare one.
ID_NAMESPACE = uuid.UUID("6f1c8d52-52a7-5b5e-9d0c-3f1b2a7e4c10")
KNOWN = {
    "title",
    "subtitle",
    "author",
    "authors",
    "date",
    "lang",
    "publisher",
    "publishers",
    "description",
    "keywords",
    "identifier",
    "rights",
}
MAX_FRONT_MATTER = 64 * 1024
_FROM_KEY = object()


class _Loader(yaml.SafeLoader):
    """safe_load that refuses aliases (no billion-laughs expansion)."""

    def compose_node(self, parent: Any, index: Any) -> Any:  # type: ignore[override]
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise yaml.MarkedYAMLError(None, None, "YAML aliases are not allowed in front matter", event.start_mark)
        return super().compose_node(parent, index)


def load_yaml(text: str, file: Path, first_line: int) -> dict[str, Any]:
    """Parse front matter; errors name ``file:line`` (``first_line`` = line of its text)."""
    if len(text.encode()) > MAX_FRONT_MATTER:
        raise PublishError(f"front matter is larger than {MAX_FRONT_MATTER} bytes", file, first_line)
    try:
        data = yaml.load(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = first_line + (mark.line if mark else 0)
        raise PublishError(f"invalid YAML front matter: {exc.problem or exc}", file, line) from None
    except yaml.YAMLError as exc:
        raise PublishError(f"invalid YAML front matter: {exc}", file, first_line) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise PublishError("front matter must be a mapping of keys to values", file, first_line)
    return data


class _Fields:
    """Reads typed values and reports errors at the line of their key."""

    def __init__(self, data: Mapping[str, Any], text: str, file: Path, first_line: int):
        self.data, self.text, self.file, self.first_line = data, text, file, first_line

    def line(self, key: str) -> int:
        found = line_of(self.text, rf"^{re.escape(key)}\s*:", self.first_line)
        return found if found is not None else self.first_line

    def fail(self, key: str, message: str) -> PublishError:
        return PublishError(f"front matter '{key}': {message}", self.file, self.line(key))

    def string(self, key: str, value: Any = _FROM_KEY) -> str:
        value = self.data.get(key) if value is _FROM_KEY else value
        if value is None:
            return ""
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            return " ".join(str(value).split())
        raise self.fail(key, f"expected text, got {type(value).__name__}")

    def lang(self, key: str, value: Any) -> str:
        tag = self.string(key, value)
        if not tag:
            return ""
        problem = langs.check(tag)
        if problem:
            raise self.fail(key, problem)
        return tag

    def person(self, key: str, value: Any) -> Person:
        if isinstance(value, str):
            return Person(name=self.string(key, value))
        if isinstance(value, Mapping):
            unknown = set(value) - {"name", "honorific", "role", "affiliation"}
            if unknown:
                raise self.fail(key, f"unknown author field(s): {', '.join(sorted(unknown))}")
            name = self.string(key, value.get("name"))
            if not name:
                raise self.fail(key, "an author needs a name")
            return Person(
                name=name,
                honorific=self.string(key, value.get("honorific")),
                role=self.string(key, value.get("role")),
                affiliation=self.string(key, value.get("affiliation")),
            )
        raise self.fail(key, "an author is a name or a mapping with name/honorific/role/affiliation")

    def organization(self, key: str, value: Any) -> Organization:
        if isinstance(value, str):
            return Organization((LocalizedText(self.string(key, value)),))
        if not isinstance(value, Mapping):
            raise self.fail(key, "a publisher is a name or a mapping with name or names")
        raw = value.get("names", value.get("name"))
        if isinstance(raw, str):
            raw = [{"text": raw, "lang": value.get("lang", "")}]
        if isinstance(raw, Mapping):  # {en: ..., zh-Hant: ...}
            raw = [{"text": text, "lang": tag} for tag, text in raw.items()]
        if not isinstance(raw, list) or not raw:
            raise self.fail(key, "a publisher needs name: TEXT or names: [{text, lang}, ...]")
        names = []
        for entry in raw:
            if isinstance(entry, str):
                entry = {"text": entry}
            if not isinstance(entry, Mapping) or not self.string(key, entry.get("text")):
                raise self.fail(key, "each publisher name needs text (and optionally lang)")
            names.append(LocalizedText(self.string(key, entry["text"]), self.lang(key, entry.get("lang"))))
        return Organization(tuple(names))

    def many(self, key: str) -> list[Any]:
        value = self.data.get(key)
        if value is None:
            return []
        return value if isinstance(value, list) else [value]


def _date(fields: _Fields) -> dt.date | None:
    value = fields.data.get("date")
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise fields.fail("date", f"{value!r} is not a date in the form YYYY-MM-DD")


def _json(value: Any) -> str:
    return json.dumps(value, default=str, ensure_ascii=False, sort_keys=True)


def derive_identifier(title: str, authors: tuple[Person, ...], date: dt.date | None) -> str:
    """A stable ``urn:uuid:`` for the work: same title, authors and date, same identifier."""
    key = "\x1f".join([title, *(a.name for a in authors), date.isoformat() if date else ""])
    return f"urn:uuid:{uuid.uuid5(ID_NAMESPACE, key)}"


def parse(data: Mapping[str, Any], text: str, file: Path, first_line: int) -> Metadata:
    fields = _Fields(data, text, file, first_line)
    title = fields.string("title")
    if not title:
        raise PublishError("front matter needs a title (title: ...)", file, first_line)
    author_key = "authors" if "authors" in data else "author"
    authors = tuple(fields.person(author_key, v) for v in fields.many(author_key))
    publisher_key = "publishers" if "publishers" in data else "publisher"
    publishers = tuple(fields.organization(publisher_key, v) for v in fields.many(publisher_key))
    keywords_raw = data.get("keywords")
    if isinstance(keywords_raw, str):
        keywords = tuple(k.strip() for k in keywords_raw.split(",") if k.strip())
    else:
        keywords = tuple(fields.string("keywords", k) for k in fields.many("keywords"))
    date = _date(fields)
    lang = fields.lang("lang", data.get("lang")) or "en"
    identifier = fields.string("identifier") or derive_identifier(title, authors, date)
    return Metadata(
        title=title,
        subtitle=fields.string("subtitle"),
        authors=authors,
        date=date,
        lang=lang,
        publishers=publishers,
        description=fields.string("description"),
        keywords=keywords,
        identifier=identifier,
        rights=fields.string("rights"),
        extra=tuple((str(k), _json(v)) for k, v in data.items() if k not in KNOWN),
    )
