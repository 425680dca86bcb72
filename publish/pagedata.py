"""The plain data templates receive (never the tree), and the metadata every edition
stores under the same names: derived from the model and the options, read by the writers,
the read-back and ``publish check`` alike."""

from __future__ import annotations

import json
import urllib.parse
from collections.abc import Iterable
from typing import Any

from markupsafe import Markup

from publish import fonts, highlight, i18n, langs, text
from publish import model as m
from publish.options import Options
from publish.version import __version__
from publish.walk import headings as all_headings


def person_display(person: m.Person) -> str:
    return " ".join(p for p in (person.honorific, person.name) if p)


def web_url(url: str) -> str:
    """``url`` when it is a web address a byline may link to (http or https), else empty."""
    return url if url.startswith(("https://", "http://")) and not any(c.isspace() for c in url) else ""


def mailto(email: str) -> str:
    """A ``mailto:`` link for an address that looks like one (``name@host``), else empty."""
    name, at, host = email.partition("@")
    if not (name and at and "." in host) or any(c.isspace() or c in '<>"' for c in email):
        return ""
    return "mailto:" + urllib.parse.quote(email, safe="@.+-_")


def orcids(authors: Iterable[m.Person]) -> list[str]:
    """The ORCID iDs of the authors who have one, as URLs, in author order."""
    return [a.orcid_url for a in authors if a.orcid]


def wants_toc(doc: m.Document, options: Options) -> bool:
    if options.toc is not None:
        return options.toc
    return len(all_headings(doc.blocks)) >= 2


def context(doc: m.Document, options: Options) -> dict[str, Any]:
    """Plain data for the templates (never the tree)."""
    meta = doc.meta
    headings = [{"level": h.level, "id": h.attr.id, "text": heading_text(h)} for h in all_headings(doc.blocks)]
    data: dict[str, Any] = {
        "lang": meta.lang,
        "dir": langs.direction(meta.lang),
        "title": meta.title,
        "subtitle": meta.subtitle,
        "authors": [
            {
                "name": a.name,
                "honorific": a.honorific,
                "role": a.role,
                "affiliation": a.affiliation,
                "display": person_display(a),
                "orcid": a.orcid,
                "orcid_url": a.orcid_url,
                "url": web_url(a.url),
                "mailto": mailto(a.email),
            }
            for a in meta.authors
        ],
        "author_names": ", ".join(a.name for a in meta.authors),
        "publishers": [
            {"names": [{"text": n.text, "lang": n.lang, "dir": other_direction(n.lang, meta.lang)} for n in org.names]}
            for org in meta.publishers
        ],
        "date": i18n.date_parts(meta.date, meta.lang) if meta.date else None,
        "description": meta.description,
        "keywords": list(meta.keywords),
        "identifier": meta.identifier,
        "rights": meta.rights,
        "labels": i18n.labels(meta.lang),
        "generator": f"publish {__version__}",
        "modified": options.now.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "headings": headings,
        "toc": heading_tree(headings),
        "show_toc": wants_toc(doc, options) and bool(headings),
        "highlight_css": Markup(highlight.css(highlight.LIGHT)),
        "highlight_dark_css": Markup(highlight.css(highlight.DARK)),
        "og_locale": og_locale(meta.lang),
        "paper": options.paper,
        "fonts": fonts.template_data(),
    }
    data["jsonld"] = Markup(json_ld(meta, str(data["modified"])))
    return data


def other_direction(lang: str, doc_lang: str) -> str:
    """``dir`` for text in ``lang`` inside a document in ``doc_lang``: its direction where the
    two differ, else empty."""
    doc_dir = langs.direction(doc_lang)
    direction = langs.direction(lang, inherited=doc_dir)
    return direction if direction != doc_dir else ""


def og_locale(tag: str) -> str:
    """Open Graph's ``language_TERRITORY`` form of a BCP 47 tag (zh-Hant → zh_TW)."""
    loc = langs.locale(tag)
    territory = loc.territory or ("TW" if langs.is_traditional_chinese(tag) else None)
    return f"{loc.language}_{territory}" if territory else loc.language


def json_ld(meta: m.Metadata, modified: str) -> str:
    """schema.org ``Article`` for the HTML edition, safe inside ``<script>``."""

    def person(p: m.Person) -> dict[str, Any]:
        out: dict[str, Any] = {"@type": "Person", "name": p.name}
        if p.honorific:
            out["honorificPrefix"] = p.honorific
        if p.role:
            out["jobTitle"] = p.role
        if p.affiliation:
            out["affiliation"] = {"@type": "Organization", "name": p.affiliation}
        if p.orcid:
            out["sameAs"] = [p.orcid_url]
        if web_url(p.url):
            out["url"] = p.url
        return out

    def org(o: m.Organization) -> dict[str, Any]:
        names = [{"@value": n.text, "@language": n.lang} if n.lang else n.text for n in o.names]
        return {"@type": "Organization", "name": names[0] if len(names) == 1 else names}

    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": meta.title,
        "inLanguage": meta.lang,
        "identifier": meta.identifier,
        "dateModified": modified,
    }
    if meta.subtitle:
        data["alternativeHeadline"] = meta.subtitle
    if meta.authors:
        data["author"] = [person(a) for a in meta.authors]
    if meta.publishers:
        data["publisher"] = [org(o) for o in meta.publishers]
    if meta.date:
        data["datePublished"] = meta.date.isoformat()
    if meta.description:
        data["description"] = meta.description
    if meta.keywords:
        data["keywords"] = list(meta.keywords)
    if meta.rights:
        data["license"] = meta.rights
    text_ = json.dumps(data, ensure_ascii=False, indent=1)
    return text_.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def heading_text(heading: m.Heading) -> str:
    return text.squash(text.plain(heading.content))


def heading_tree(headings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Nest flat headings by level: [{id, text, level, children: [...]}, ...]."""
    root: list[dict[str, Any]] = []
    stack: list[tuple[int, list[dict[str, Any]]]] = [(0, root)]
    for h in headings:
        node = {**h, "children": []}
        while stack[-1][0] >= h["level"]:
            stack.pop()
        stack[-1][1].append(node)
        stack.append((h["level"], node["children"]))
    return root


def contributors(authors: Iterable[m.Person]) -> list[str]:
    """ "name, role, affiliation" of each author who has a role or an affiliation."""
    return [", ".join(p for p in (a.name, a.role, a.affiliation) if p) for a in authors if a.role or a.affiliation]


def custom_properties(meta: m.Metadata) -> dict[str, str]:
    """Metadata beyond the standard fields of each format, under one set of names: the PDF's
    document information and the DOCX custom properties carry the same entries."""
    info = {"Identifier": meta.identifier, "Language": meta.lang}
    if meta.subtitle:
        info["Subtitle"] = meta.subtitle
    if meta.publishers:
        info["Publisher"] = "; ".join(" / ".join(n.text for n in org.names) for org in meta.publishers)
    if meta.date:
        info["Date"] = meta.date.isoformat()
    if meta.rights:
        info["Rights"] = meta.rights
    roles = contributors(meta.authors)
    if roles:
        info["Contributors"] = "; ".join(roles)
    if orcids(meta.authors):
        info["ORCID"] = "; ".join(f"{a.name} ({a.orcid_url})" for a in meta.authors if a.orcid)
    return info
