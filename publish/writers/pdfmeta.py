"""The PDF's metadata beyond what WeasyPrint writes from the page's ``<title>`` and ``<meta>``:
the document information entries of :func:`publish.pagedata.custom_properties` and Dublin Core
in the XMP (:func:`xmp_description`)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from lxml import etree
from weasyprint.pdf.metadata import DocumentMetadata

from publish import model as m
from publish import pagedata

_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_DC = "http://purl.org/dc/elements/1.1/"


class Metadata(DocumentMetadata):  # type: ignore[misc]
    """WeasyPrint's metadata (from the page's ``<title>`` and ``<meta>``), plus the document
    information entries of :func:`pagedata.custom_properties` and the XMP of :func:`xmp_description`, inside
    the one ``rdf:RDF`` that XMP allows."""

    def __init__(self, meta: m.Metadata, base: DocumentMetadata):
        super().__init__(**vars(base))
        self.custom = pagedata.custom_properties(meta)  # not every <meta> of the page: ours, named as in DOCX
        self.publish_meta = meta

    def generate_rdf_metadata(self, variant: Any, version: Any, conformance: Any) -> bytes:
        rdf = etree.fromstring(super().generate_rdf_metadata(variant, version, conformance))
        rdf.append(xmp_description(self.publish_meta))
        return bytes(etree.tostring(rdf, encoding="utf-8"))


def xmp_description(meta: m.Metadata) -> etree._Element:
    """Dublin Core beyond what WeasyPrint writes (title, creator, description, keywords,
    dates): publishers in every language, identifier, language, date, rights."""
    desc = etree.Element(f"{{{_RDF}}}Description", {f"{{{_RDF}}}about": ""}, nsmap={"rdf": _RDF, "dc": _DC})

    def bag(name: str, kind: str, values: list[tuple[str, str | None]]) -> None:
        holder = etree.SubElement(etree.SubElement(desc, f"{{{_DC}}}{name}"), f"{{{_RDF}}}{kind}")
        for value, lang in values:
            li = etree.SubElement(holder, f"{{{_RDF}}}li")
            li.text = value
            if lang:
                li.set("{http://www.w3.org/XML/1998/namespace}lang", lang)

    if meta.publishers:
        bag("publisher", "Bag", [(n.text, n.lang) for org in meta.publishers for n in org.names])
    etree.SubElement(desc, f"{{{_DC}}}identifier").text = meta.identifier
    bag("language", "Bag", [(meta.lang, None)])
    if meta.date:
        bag("date", "Seq", [(meta.date.isoformat(), None)])
    if meta.rights:
        bag("rights", "Alt", [(meta.rights, "x-default")])
    return desc


def apply(document: Any, meta: m.Metadata, now: dt.datetime) -> None:
    """Give the laid-out ``document`` the build's dates and our metadata."""
    document.metadata.modified = now.strftime("%Y-%m-%dT%H:%M:%SZ")
    if meta.date:
        document.metadata.created = meta.date.isoformat()
    document.metadata = Metadata(meta, document.metadata)


def fingerprint(meta: m.Metadata) -> str:
    """What of ``meta`` this module writes, as text (a key of the PDF laid out with it)."""
    custom = json.dumps(pagedata.custom_properties(meta), sort_keys=True, default=str)
    return custom + etree.tostring(xmp_description(meta), encoding="unicode")
