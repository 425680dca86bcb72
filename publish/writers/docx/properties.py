"""The document's properties: docProps/core.xml from the metadata, and docProps/custom.xml."""

from __future__ import annotations

import datetime as dt

import docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from lxml import etree

from publish import model as m
from publish import pagedata
from publish.writers.docx.state import XmlPart

CUSTOM_CT = "application/vnd.openxmlformats-officedocument.custom-properties+xml"


def core_properties(document: docx.document.Document, meta: m.Metadata, now: dt.datetime) -> None:
    props = document.core_properties
    props.title = meta.title
    props.subject = meta.subtitle or meta.description
    props.author = "; ".join(a.name for a in meta.authors)
    props.keywords = ", ".join(meta.keywords)
    props.comments = meta.description
    props.language = meta.lang
    props.identifier = meta.identifier
    custom_properties(document, meta)
    props.category = ""
    props.last_modified_by = "; ".join(a.name for a in meta.authors) or "publish"
    props.revision = 1
    now = now.replace(tzinfo=None)
    props.created = dt.datetime.combine(meta.date, dt.time()) if meta.date else now
    props.modified = now
    element = props._element  # the template's 2013 lastPrinted date must not survive
    for child in list(element):
        if str(child.tag).endswith("}lastPrinted"):
            element.remove(child)
    props.content_status = ""
    props.version = ""


def custom_properties(document: docx.document.Document, meta: m.Metadata) -> None:
    """docProps/custom.xml: the entries of :func:`pagedata.custom_properties` (as the PDF)."""
    ns = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
    vt = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
    root = etree.Element(f"{{{ns}}}Properties", nsmap={None: ns, "vt": vt})  # type: ignore[dict-item]
    fmtid = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"
    for pid, (name, value) in enumerate(pagedata.custom_properties(meta).items(), start=2):
        prop = etree.SubElement(root, f"{{{ns}}}property", {"fmtid": fmtid, "pid": str(pid), "name": name})
        etree.SubElement(prop, f"{{{vt}}}lpwstr").text = value
    package = document.part.package
    for rel in list(package.rels.values()):
        # A reference document's own custom properties, and the template's thumbnail
        # (a picture of another document).
        if rel.reltype in (RT.CUSTOM_PROPERTIES, RT.THUMBNAIL):
            package.rels.pop(rel.rId)
    part = XmlPart(PackURI("/docProps/custom.xml"), CUSTOM_CT, root, package)
    package.relate_to(part, RT.CUSTOM_PROPERTIES)
