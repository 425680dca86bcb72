"""The document's metadata: part of the model (:mod:`publish.model` re-exports every name),
kept in a module of its own. Frozen, slotted dataclasses, like every node."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class LocalizedText:
    """One text in one language (``lang`` empty: the document's language)."""

    text: str
    lang: str = ""


@dataclass(frozen=True, slots=True)
class Person:
    name: str
    honorific: str = ""
    role: str = ""
    #: Affiliations joined with " · " (a JOSS/Quarto index resolved to its names).
    affiliation: str = ""
    #: An ORCID iD as ``0000-0002-1825-0097`` (no URL prefix).
    orcid: str = ""
    email: str = ""
    url: str = ""
    #: Author fields this model does not know, as (key, value as JSON text).
    extra: tuple[tuple[str, str], ...] = ()

    @property
    def orcid_url(self) -> str:
        return f"https://orcid.org/{self.orcid}" if self.orcid else ""


@dataclass(frozen=True, slots=True)
class Organization:
    """A publisher: one name per language, in the order the source gives them."""

    names: tuple[LocalizedText, ...]

    @property
    def name(self) -> str:
        return self.names[0].text


@dataclass(frozen=True, slots=True)
class Metadata:
    title: str
    subtitle: str = ""
    authors: tuple[Person, ...] = ()
    date: _dt.date | None = None
    lang: str = "en"
    publishers: tuple[Organization, ...] = ()
    description: str = ""
    keywords: tuple[str, ...] = ()
    identifier: str = ""
    rights: str = ""
    #: Front-matter keys this model does not know, as (key, value as JSON text).
    extra: tuple[tuple[str, str], ...] = ()
