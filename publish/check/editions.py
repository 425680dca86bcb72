"""The checks every format has, through its read-back (:data:`publish.readback.READERS`):
``structure``, ``metadata`` and ``languages``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from publish import bibliography, pagedata, readback, walk
from publish import model as m
from publish.check.report import FAIL, PASS, Result
from publish.options import Options

#: Fields a format stores twice: each copy must agree with the model too.
_ALIASES = {
    "json-ld publishers": "publishers",
    "json-ld authors": "authors",
    "xmp identifier": "identifier",
    "xmp publishers": "publishers",
    "xmp authors": "authors",
    "created": "date",
    "json-ld citations": "citations",
}
#: Fields only some formats have a place for: not missing where a format has none.
_WHERE_STORED = {"citations"}


def expected_metadata(doc: m.Document) -> dict[str, Any]:
    meta = doc.meta
    return {
        "title": meta.title,
        "subtitle": meta.subtitle or "",
        "authors": [a.name for a in meta.authors],
        "contributors": pagedata.contributors(meta.authors),
        "date": meta.date.isoformat() if meta.date else "",
        "language": meta.lang,
        "identifier": meta.identifier,
        "publishers": sorted(n.text for org in meta.publishers for n in org.names),
        "description": meta.description or "",
        "keywords": list(meta.keywords),
        "orcids": pagedata.orcids(meta.authors),
        "citations": [e.text for e in bibliography.entries(doc.blocks)],
    }


def expected_languages(doc: m.Document) -> set[str]:
    """Languages other than the document's: spans, divs, headings, figures and publisher names."""
    marked = (m.Span, m.Div, m.Heading, m.Figure)
    found = {n.attr.lang for n in walk.walk(doc.blocks) if isinstance(n, marked) and n.attr.lang}
    found |= {n.lang for org in doc.meta.publishers for n in org.names if n.lang}
    found.discard(doc.meta.lang)
    return {x for x in found if x}


def check_structure(doc: m.Document, fmt: str, path: Path, options: Options) -> Result:
    problems = readback.check(doc, fmt, path, options)
    return Result("structure", FAIL if problems else PASS, problems, fmt)


def check_metadata(doc: m.Document, fmt: str, path: Path) -> Result:
    want = expected_metadata(doc)
    got = readback.reader(fmt).metadata(path)
    problems = []
    for key, value in got.items():
        expected = want[_ALIASES.get(key, key)]
        if key == "created" and not expected:
            continue  # no date in the source: Word's creation date is the build's
        if value != expected:
            problems.append(f"{key}: the source has {expected!r}, the {fmt.upper()} has {value!r}")
    missing = [k for k in want if k not in got and k not in _WHERE_STORED]
    problems += [f"{k}: not stored in the {fmt.upper()}" for k in missing]
    return Result("metadata", FAIL if problems else PASS, problems, fmt)


def check_languages(doc: m.Document, fmt: str, path: Path) -> Result:
    """The document language at the root, and every other language of the text marked."""
    back = readback.reader(fmt)
    roots, inner = back.languages(path)
    lang = back.lang_tag(doc.meta.lang)
    want = {back.lang_tag(x) for x in expected_languages(doc)}
    problems = []
    if lang not in roots or (back.one_root_language and len(roots) != 1):
        problems.append(f"the document language is {sorted(roots)}, the source says {lang!r}")
    for missing in sorted(want - inner):
        problems.append(f"text in {missing!r} is not marked as such")
    return Result("languages", FAIL if problems else PASS, problems, fmt)
