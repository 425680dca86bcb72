"""A versioned JSON form of the model (``python -m publish dump FILE``), like pandoc's ``-t json``.

Every node is an object ``{"t": "<NodeName>", <field>: <value>, ...}``; tuples are arrays;
:class:`~publish.model.Align` is its string value; dates are ISO strings. :func:`loads`
reads it back into an equal :class:`~publish.model.Document`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import sys
import types
import typing
from pathlib import Path
from typing import Any

from publish import model as m

API_VERSION = (1, 4)
_CLASSES: dict[str, type] = {
    cls.__name__: cls
    for cls in (
        *m.INLINE_TYPES,
        *m.BLOCK_TYPES,
        m.ListItem,
        m.Cell,
        m.CiteItem,
        m.DefinitionItem,
        m.Attr,
        m.Metadata,
        m.Person,
        m.Organization,
        m.LocalizedText,
        m.Chapter,
        m.Document,
    )
}


def to_data(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out: dict[str, Any] = {"t": type(value).__name__}
        for f in dataclasses.fields(value):
            out[f.name] = to_data(getattr(value, f.name))
        return out
    if isinstance(value, tuple):
        return [to_data(v) for v in value]
    if isinstance(value, m.Align):
        return value.value
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Path):
        return str(value)
    return value


def _from(hint: Any, data: Any) -> Any:
    origin = typing.get_origin(hint)
    if data is None:
        return None
    if hint is m.Align:
        return m.Align(data)
    if hint is dt.date or (origin in (typing.Union, types.UnionType) and dt.date in typing.get_args(hint)):
        return dt.date.fromisoformat(data)
    if hint is Path or (origin is not None and Path in typing.get_args(hint)):
        return Path(data)
    if isinstance(data, dict) and "t" in data:
        return from_data(data)
    if isinstance(data, list):
        args = typing.get_args(hint)
        inner = args[0] if args else Any
        return tuple(_from(inner, v) for v in data)
    return data


def from_data(data: dict[str, Any]) -> Any:
    cls = _CLASSES.get(data.get("t", ""))
    if cls is None:
        raise ValueError(f"unknown node type {data.get('t')!r}")
    hints = typing.get_type_hints(cls, {**vars(sys.modules[cls.__module__]), **vars(m)})
    kwargs = {f.name: _from(hints[f.name], data[f.name]) for f in dataclasses.fields(cls) if f.name in data}
    return cls(**kwargs)


def dumps(doc: m.Document, *, indent: int | None = 2) -> str:
    payload = {"publish-api-version": list(API_VERSION), **to_data(doc)}
    return json.dumps(payload, ensure_ascii=False, indent=indent)


def loads(text: str) -> m.Document:
    data = json.loads(text)
    version = tuple(data.pop("publish-api-version", (0,)))
    if version[:1] != API_VERSION[:1]:
        raise ValueError(f"unsupported model version {version}; this is {API_VERSION}")
    doc = from_data(data)
    assert isinstance(doc, m.Document)
    return doc
