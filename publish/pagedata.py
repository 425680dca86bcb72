"""The plain data templates receive (never the tree), and the metadata every edition
stores under the same names: derived from the model and the options, read by the writers,
the read-back and ``publish check`` alike."""

from __future__ import annotations

import json
import re
import urllib.parse
from collections.abc import Iterable
from typing import Any

from markupsafe import Markup

from publish import bibliography, fonts, highlight, i18n, langs, text
from publish import model as m
from publish.options import PAPERS, Options
from publish.version import __version__
from publish.walk import headings as all_headings
from publish.walk import walk


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


#: The print text size (pt) and the widest measure, in its ems (some 65–70 characters of the
#: house face; a whole number of ems, which Chinese and Japanese lines fill exactly).
TEXT_PT = 10.5
MEASURE_EMS = 32
#: The narrowest side margin (mm) a smaller paper keeps, the measure giving way.
MIN_SIDE_MM = 18.0
#: The lines of text on a page of the house's A4, and its measure in average characters: what
#: :func:`estimated_pages` counts with.
LINES_PER_PAGE = 46
LINE_CHARACTERS = 67


def print_layout(paper: str) -> dict[str, str]:
    """The print measure and the side margins that centre it on ``paper`` (PDF and DOCX)."""
    width_pt = PAPERS[paper][0] * 72 / 25.4
    ems = min(MEASURE_EMS, int((width_pt - 2 * MIN_SIDE_MM * 72 / 25.4) // TEXT_PT))
    measure = ems * TEXT_PT
    return {"measure": f"{measure:g}pt", "side_margin": f"{(width_pt - measure) / 2:.2f}pt"}


def hyphenation_css(tags: Iterable[str]) -> str:
    """Rules giving each language the hyphenation patterns of its likeliest region where they
    differ from those WeasyPrint would pick (``en`` gets pyphen's British patterns, American
    spelling needs ``en-US``); the ``lang`` attributes, and so every check, stay as written.
    ``!important``: the PDF engine reads the page's stylesheet in the user origin
    (:func:`publish.writers.pdfengine.render`), below the language WeasyPrint takes from the
    attribute in the author origin."""
    import pyphen

    rules = []
    for tag in dict.fromkeys(tags):
        chosen = langs.hyphenation_tag(tag)
        patterns = pyphen.language_fallback(chosen.replace("-", "_"))
        if patterns and pyphen.LANGUAGES[patterns] != pyphen.LANGUAGES.get(pyphen.language_fallback(tag) or ""):
            rules.append(f'[lang="{tag}"] {{ -weasy-lang: "{chosen}" !important; }}')
    return "\n".join(rules)


def span_languages(doc: m.Document) -> list[str]:
    marked = (m.Span, m.Div, m.Heading, m.Figure)
    return [n.attr.lang for n in walk(doc.blocks) if isinstance(n, marked) and n.attr.lang]


#: A Chinese or Japanese character (and the other wide forms): a whole em, two of the others.
_WIDE = re.compile("[\u2e80-\uffef]")


def estimated_pages(doc: m.Document) -> float:
    """Pages of the house's A4 the text fills, roughly: an average character of the house face
    is about half an em, a Chinese or Japanese one a whole em; a paragraph's last line counts
    whole; headings and other blocks a line or two."""
    lines = 0.0
    for node in walk(doc.blocks):
        if isinstance(node, m.Paragraph | m.Heading):
            plain = text.plain(node.content)
            width = len(plain) + len(_WIDE.findall(plain))
            lines += -(-width // LINE_CHARACTERS) + (2 if isinstance(node, m.Heading) else 0.4)
        elif isinstance(node, m.CodeBlock):
            lines += node.text.count("\n") + 2
        elif isinstance(node, m.Table):
            lines += len(node.rows) + 3
        elif isinstance(node, m.Figure):
            lines += 12
    return lines / LINES_PER_PAGE


def wants_toc(doc: m.Document, options: Options) -> bool:
    """A contents list where it helps: in a book, and in a text of more than two pages with two
    headings or more (none on a one- or two-page notice, where every entry would point to
    page 1 or 2)."""
    if options.toc is not None:
        return options.toc
    given = dict(doc.meta.extra).get("toc")  # pandoc's and Quarto's front-matter key
    if given in ("true", "false"):
        return given == "true"
    if len(doc.chapters) > 1:
        return True  # a book's contents list its chapters, however short
    return len(all_headings(doc.blocks)) >= 2 and estimated_pages(doc) > 2


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
        "byline": {
            "by": i18n.byline_prefix(meta.lang),
            "joiners": i18n.list_joiners(meta.lang, len(meta.authors)),
            "comma": i18n.comma(meta.lang),
            # with a role or an affiliation, one author a line, what they do set smaller
            "lines": any(a.role or a.affiliation for a in meta.authors) and len(meta.authors) > 1,
        },
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
        **print_layout(options.paper),
        "hyphenation_css": Markup(hyphenation_css([meta.lang, *span_languages(doc)])),
        "fonts": fonts.template_data(),
    }
    data["jsonld"] = Markup(json_ld(meta, str(data["modified"]), bibliography.entries(doc.blocks)))
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


def json_ld(meta: m.Metadata, modified: str, entries: Iterable[bibliography.Entry] = ()) -> str:
    """schema.org ``Article`` for the HTML edition, safe inside ``<script>``; the entries of
    its bibliography are its ``citation``s (:func:`cited_work`)."""

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
    if cited := [cited_work(e) for e in entries]:
        data["citation"] = cited
    text_ = json.dumps(data, ensure_ascii=False, indent=1)
    return text_.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def cited_work(entry: bibliography.Entry) -> dict[str, Any]:
    """A bibliography entry as schema.org has it: a ``CreativeWork`` named by the entry's
    text; its DOI (``https://doi.org/…``) is ``sameAs``, another address its ``url``."""
    work: dict[str, Any] = {"@type": "CreativeWork", "name": entry.text}
    dois = [u for u in entry.urls if urllib.parse.urlsplit(u).hostname in ("doi.org", "dx.doi.org")]
    urls = [u for u in entry.urls if u not in dois and web_url(u)]
    if dois:
        work["sameAs"] = dois[0] if len(dois) == 1 else dois
    if urls:
        work["url"] = urls[0]
    return work


def heading_text(heading: m.Heading) -> str:
    """A heading's text as the contents list it, its section number first."""
    return text.squash(f"{heading.number} {text.plain(heading.content)}")


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
