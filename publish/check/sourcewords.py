"""``source (words)``: every word of the source is in the model (see :mod:`publish.check.source`
for the rules), the front matter's fields included."""

from __future__ import annotations

import dataclasses
import datetime
import json

from publish import layout
from publish import model as m
from publish.check import sourcetables
from publish.check.report import Result
from publish.check.source import (
    Line,
    SourceText,
    _inline_text,
    _lines,
    declared_result,
    missing,
    model_words,
    reader_warnings,
    source_texts,
    source_words,
    words,
)
from publish.errors import key_line
from publish.options import Options


def _field_words(value: object) -> set[str]:
    if isinstance(value, bool):
        return {str(value).lower()}
    if isinstance(value, str):
        return set(words(value))
    if isinstance(value, dict):
        return {w for v in value.values() for w in _field_words(v)}
    if isinstance(value, list | tuple):
        return {w for v in value for w in _field_words(v)}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {w for f in dataclasses.fields(value) for w in _field_words(getattr(value, f.name))}
    if isinstance(value, datetime.date | int | float):
        return set(words(str(value)))
    return set()


#: Front-matter keys whose value is a value, not words (the metadata check proves them).
VALUES = {"date", "lang"}
#: Front-matter keys the model keeps under another name (pandoc's, Quarto's, Hugo's).
ALIASES = {
    "author": "authors",
    "publisher": "publishers",
    "tags": "keywords",
    "abstract": "description",
    "license": "rights",
}


def front_matter_problems(source: SourceText, doc: m.Document) -> list[str]:
    """Each front-matter field's words are in the model's field of that name (or ``extra``)."""
    problems = []
    fields = {f.name for f in dataclasses.fields(m.Metadata)} - {"extra"}
    extra = dict(doc.meta.extra)
    for key, value in source.front.items():
        if key in VALUES:
            continue
        if source.chapter and key == "title":
            kept = _field_words([_inline_text(b.content) for b in doc.blocks if isinstance(b, m.Heading)])
        elif key in fields or ALIASES.get(key) in fields:
            kept = _field_words(getattr(doc.meta, key if key in fields else ALIASES[key]))
            if key in ("author", "authors"):  # JSON text of the fields kept; affiliation indexes
                kept |= {w for p in doc.meta.authors for _, v in p.extra for w in _field_words(json.loads(v))}
                kept |= _field_words(source.front.get("affiliations"))
        elif key in extra:
            kept = _field_words(json.loads(extra[key]))
        else:
            kept = set()
        lost = sorted(_field_words(value) - kept)
        if lost:
            line = key_line(source.yaml, str(key), 2) or 1
            problems.append(f"{source.path}:{line}: {key}: word(s) not in the model: {' '.join(lost[:12])!r}")
    return problems


def check_words(doc: m.Document, source: layout.Source, options: Options) -> Result:
    """``source (words)``: the front matter's fields, the body's words and the notes' words."""
    body, notes = model_words(doc)
    problems: list[str] = []
    lines: list[Line] = []
    note_lines: list[Line] = []
    for text in source_texts(source, options):
        problems += front_matter_problems(text, doc)
        found = source_words(text)
        lines += sourcetables.ordered(_lines(found.body, text.path), text.text, text.offset, body, problems)
        for label in found.order:
            note_lines += _lines(found.notes.get(label, []), text.path)
    problems += missing(lines, body)
    problems += missing(note_lines, notes, "in a note: ")
    return declared_result("words", problems, reader_warnings(source, options) if problems else {})
