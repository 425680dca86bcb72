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
from publish.errors import Diagnostics, PublishError, line_of
from publish.model import LocalizedText, Metadata, Organization, Person
from publish.options import build_time

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
PERSON_KEYS = {"name", "honorific", "role", "affiliation", "affiliations", "orcid", "email", "url"}
ORCID = re.compile(r"\d{4}-\d{4}-\d{4}-\d{3}[\dXx]")
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

    def __init__(self, data: Mapping[str, Any], text: str, file: Path, first_line: int, sep: str = ":"):
        self.data, self.text, self.file, self.first_line, self.sep = data, text, file, first_line, sep

    def line(self, key: str) -> int:
        found = line_of(self.text, rf"^{re.escape(key)}\s*{re.escape(self.sep)}", self.first_line)
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

    def person(self, key: str, value: Any, affiliations: Mapping[str, str]) -> Person:
        if isinstance(value, str):
            return Person(name=self.string(key, value))
        if not isinstance(value, Mapping):
            raise self.fail(key, "an author is a name or a mapping with name, affiliation, orcid, email, url…")
        name = value.get("name")
        if isinstance(name, Mapping):  # Quarto: name: {given: …, family: …} or {literal: …}
            name = name.get("literal") or " ".join(str(name[k]) for k in ("given", "family") if name.get(k))
        name = self.string(key, name)
        if not name:
            raise self.fail(key, "an author needs a name")
        orcid = self.string(key, value.get("orcid"))
        found = ORCID.search(orcid)
        if orcid and not found:
            raise self.fail(key, f"{orcid!r} is not an ORCID iD (0000-0000-0000-000X)")
        return Person(
            name=name,
            honorific=self.string(key, value.get("honorific")),
            role=self.string(key, value.get("role")),
            affiliation=self.affiliation(key, value.get("affiliation", value.get("affiliations")), affiliations),
            orcid=found.group(0).upper() if found else "",
            email=self.string(key, value.get("email")),
            url=self.string(key, value.get("url")),
            extra=tuple((str(k), _json(v)) for k, v in value.items() if k not in PERSON_KEYS),
        )

    def affiliation(self, key: str, value: Any, affiliations: Mapping[str, str]) -> str:
        """Names, or JOSS's ``affiliation: "1, 2"`` / Quarto's ``- ref: id`` indexes into
        the top-level ``affiliations``, joined with " · " (a semicolon separates people in
        the PDF's and the DOCX's contributors field)."""
        items = value if isinstance(value, list) else [value] if value is not None else []
        names: list[str] = []
        for item in items:
            if isinstance(item, Mapping):
                ref = item.get("ref", item.get("id"))
                if ref is not None and str(ref) in affiliations and "name" not in item:
                    names.append(affiliations[str(ref)])
                else:
                    names.append(self.string(key, item.get("name")))
                continue
            text = self.string(key, item)
            parts = [p.strip() for p in text.split(",")]
            if affiliations and all(p in affiliations for p in parts):
                names += [affiliations[p] for p in parts]
            else:
                names.append(text)
        return " · ".join(n for n in names if n)

    def affiliations(self) -> dict[str, str]:
        """The top-level ``affiliations`` list (JOSS ``index``, Quarto ``id``) by index."""
        table: dict[str, str] = {}
        for n, item in enumerate(self.many("affiliations"), start=1):
            if isinstance(item, Mapping):
                index = item.get("index", item.get("id", n))
                table[str(index)] = self.string("affiliations", item.get("name"))
            else:
                table[str(n)] = self.string("affiliations", item)
        return table

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


_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_WRITTEN_DATES = (
    # 22 March 2019, 22nd of March 2019, 22. März → only English month names
    re.compile(r"(?P<d>\d{1,2})(?:st|nd|rd|th)?\.?\s+(?:of\s+)?(?P<m>[A-Za-z]+)\.?,?\s+(?P<y>\d{4})"),
    # March 22, 2019 / Mar. 22nd 2019
    re.compile(r"(?P<m>[A-Za-z]+)\.?\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y>\d{4})"),
    # 2019/03/22, 2019.03.22
    re.compile(r"(?P<y>\d{4})[/.](?P<m>\d{1,2})[/.](?P<d>\d{1,2})"),
)


def parse_date(text: str) -> dt.date | None:
    """A date as ISO 8601 (a time after it is ignored) or as people write it in English
    ("22 March 2019", "March 22, 2019", "2019/03/22"); None when it is none of these."""
    text = " ".join(text.split())
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        pass
    try:
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        pass
    for pattern in _WRITTEN_DATES:
        found = pattern.fullmatch(text)
        if not found:
            continue
        month = found.group("m")
        number = int(month) if month.isdigit() else _MONTHS.get(month.lower(), 0)
        try:
            return dt.date(int(found.group("y")), number, int(found.group("d")))
        except ValueError:
            return None
    return None


def _date(fields: _Fields, diagnostics: Diagnostics) -> dt.date | None:
    value = fields.data.get("date")
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        if value.strip().lower() in ("today", "now", "last-modified"):  # Quarto's
            return build_time().date()
        found = parse_date(value)
        if found is not None:
            return found
    diagnostics.warn(
        f"front matter 'date': {value!r} is not a date publish can read (YYYY-MM-DD or '22 March 2019'); "
        "the editions carry no date",
        fields.line("date"),
    )
    return None


def _json(value: Any) -> str:
    return json.dumps(value, default=str, ensure_ascii=False, sort_keys=True)


def derive_identifier(title: str, authors: tuple[Person, ...], date: dt.date | None) -> str:
    """A stable ``urn:uuid:`` for the work: same title, authors and date, same identifier."""
    key = "\x1f".join([title, *(a.name for a in authors), date.isoformat() if date else ""])
    return f"urn:uuid:{uuid.uuid5(ID_NAMESPACE, key)}"


def parse(
    data: Mapping[str, Any],
    text: str,
    file: Path,
    first_line: int,
    diagnostics: Diagnostics | None = None,
    sep: str = ":",
) -> Metadata:
    """Typed metadata. With ``diagnostics`` every problem is recorded there (the caller
    reports them all) and a missing title is left empty for the reader to find one;
    without, the first problem raises, and a title is required."""
    problems = diagnostics or Diagnostics(file)
    fields = _Fields(data, text, file, first_line, sep)

    def read(key: str, read_value: Any, default: Any) -> Any:
        try:
            return read_value()
        except PublishError as exc:
            problems.error(exc.message, exc.line, exc.file)
            return default

    title = read("title", lambda: fields.string("title"), "")
    if not title and diagnostics is None:
        raise PublishError("front matter needs a title (title: ...)", file, first_line)
    table = read("affiliations", fields.affiliations, {})
    author_key = "authors" if "authors" in data else "author"
    authors = tuple(
        person
        for v in fields.many(author_key)
        if v != "" and (person := read(author_key, lambda v=v: fields.person(author_key, v, table), None))
    )  # Quarto's templates leave author: '' (no author)
    publisher_key = "publishers" if "publishers" in data else "publisher"
    publishers = tuple(
        org
        for v in fields.many(publisher_key)
        if (org := read(publisher_key, lambda v=v: fields.organization(publisher_key, v), None))
    )
    keywords_raw = data.get("keywords", data.get("tags"))
    keywords_key = "keywords" if "keywords" in data else "tags"
    if isinstance(keywords_raw, str):
        keywords = tuple(k.strip() for k in keywords_raw.split(",") if k.strip())
    else:
        keywords = tuple(
            read(keywords_key, lambda k=k: fields.string(keywords_key, k), "") for k in fields.many(keywords_key)
        )
    date = _date(fields, problems)
    lang = read("lang", lambda: fields.lang("lang", data.get("lang")), "") or "en"
    identifier = read("identifier", lambda: fields.string("identifier"), "") or derive_identifier(title, authors, date)
    description_key = "description" if "description" in data else "abstract"
    metadata = Metadata(
        title=title,
        subtitle=read("subtitle", lambda: fields.string("subtitle"), ""),
        authors=authors,
        date=date,
        lang=lang,
        publishers=publishers,
        description=read(description_key, lambda: fields.string(description_key), ""),
        keywords=tuple(k for k in keywords if k),
        identifier=identifier,
        rights=read("rights", lambda: fields.string("rights", data.get("rights", data.get("license"))), ""),
        extra=tuple((str(k), _json(v)) for k, v in data.items() if k not in KNOWN),
    )
    if diagnostics is None:
        problems.done()
    return metadata
