"""What every writer shares: options, template data, media names, atomic output."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import tempfile
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from markupsafe import Markup

from publish import __version__, fastpath, highlight, i18n, langs, resources, text, transforms
from publish import model as m
from publish.errors import PublishError

#: The PDF variants offered: PDF/UA-1 (tagged, accessible) by default, PDF/A-3a (tagged
#: archival) on request, or an untagged PDF.
PDF_VARIANTS = fastpath.PDF_VARIANTS


@dataclass(frozen=True)
class Options:
    #: Theme folders searched before the default theme (first wins).
    theme_dirs: tuple[Path, ...] = ()
    #: The folder the user's sources live in: the only place images may come from.
    content_root: Path | None = None
    #: The build's timestamp for "modified"/"created" dates (SOURCE_DATE_EPOCH when set).
    now: dt.datetime = field(default_factory=lambda: build_time())
    #: A table of contents: True, False, or None for "when the document has two headings or more".
    toc: bool | None = None
    #: See :data:`PDF_VARIANTS`.
    pdf_variant: str = "pdf/ua-1"
    #: A Word document whose styles the DOCX edition uses (like pandoc's --reference-doc).
    reference_docx: Path | None = None
    #: EPUB: split into one file per top-level section when the text is at least this long.
    epub_split_chars: int = fastpath.EPUB_SPLIT_CHARS
    #: Let the PDF engine fetch http(s) resources a theme names (never needed by default).
    allow_remote: bool = False
    #: The largest source document read (bytes).
    max_source_bytes: int = 8 * 1024 * 1024
    #: Seconds WeasyPrint may take to lay out one PDF before the document fails.
    pdf_timeout: float = 300.0
    #: The page size of the PDF and the DOCX (a key of publish.project.PAPERS).
    paper: str = "A4"
    #: Front-matter defaults (publish.toml's [defaults]) and the file they came from.
    defaults: dict[str, Any] = field(default_factory=dict, hash=False)
    project_file: Path | None = None

    def __post_init__(self) -> None:
        if self.pdf_variant not in PDF_VARIANTS:
            raise ValueError(f"unknown PDF variant {self.pdf_variant!r}: choose one of {', '.join(PDF_VARIANTS)}")

    @property
    def template_path(self) -> tuple[Path, ...]:
        return fastpath.search_path(self.theme_dirs)


def build_time() -> dt.datetime:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC)
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def person_display(person: m.Person) -> str:
    return " ".join(p for p in (person.honorific, person.name) if p)


def wants_toc(doc: m.Document, options: Options) -> bool:
    if options.toc is not None:
        return options.toc
    return sum(1 for n in transforms.walk(doc.blocks) if isinstance(n, m.Heading)) >= 2


def context(doc: m.Document, options: Options) -> dict[str, Any]:
    """Plain data for the templates (never the tree)."""
    meta = doc.meta
    headings = [
        {"level": h.level, "id": h.attr.id, "text": _heading_text(h)}
        for h in transforms.walk(doc.blocks)
        if isinstance(h, m.Heading)
    ]
    data: dict[str, Any] = {
        "lang": meta.lang,
        "title": meta.title,
        "subtitle": meta.subtitle,
        "authors": [
            {
                "name": a.name,
                "honorific": a.honorific,
                "role": a.role,
                "affiliation": a.affiliation,
                "display": person_display(a),
            }
            for a in meta.authors
        ],
        "author_names": ", ".join(a.name for a in meta.authors),
        "publishers": [{"names": [{"text": n.text, "lang": n.lang} for n in org.names]} for org in meta.publishers],
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
    }
    data["jsonld"] = Markup(json_ld(meta, str(data["modified"])))
    return data


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


def _heading_text(heading: m.Heading) -> str:
    return text.squash(text.plain(heading.content))


def images(doc: m.Document) -> list[m.Image]:
    """Every image of the document (figures and inline), each source path once."""
    seen: dict[str, m.Image] = {}
    for node in transforms.walk(doc.blocks):
        if isinstance(node, m.Image):
            seen.setdefault(node.src, node)
    return list(seen.values())


def resolver(doc: m.Document, options: Options, *, themes: bool = False) -> resources.Resolver:
    """What ``doc`` may use: its content folder (or its own folder), and with ``themes`` the
    theme folders (for the PDF engine, which also fetches the theme's files)."""
    extra = options.template_path if themes else ()
    return resources.Resolver.for_document(doc.source, options.content_root, extra, options.allow_remote)


def image_path(doc: m.Document, src: str, options: Options) -> Path:
    """The real path of an image of ``doc``, checked again at writing time (a symlink could
    have been swapped since the document was read)."""
    try:
        return resolver(doc, options).local(src, doc.base_dir)
    except resources.Refused as exc:
        raise PublishError(f"image refused: {exc}", doc.source) from None


def media_name(doc: m.Document, src: str, options: Options) -> str:
    """A collision-free name for an image inside an edition: ``media/<stem>-<hash><ext>``."""
    path = image_path(doc, src, options)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:10]
    return f"media/{path.stem}-{digest}{path.suffix.lower()}"


@contextlib.contextmanager
def atomic_path(dest: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``dest``; on success it replaces ``dest`` in one step,
    on failure it is removed and ``dest`` keeps its previous content."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".part", dir=dest.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        os.chmod(tmp, 0o644)
        os.replace(tmp, dest)
    finally:
        tmp.unlink(missing_ok=True)


def normalize_zip(path: Path, when: dt.datetime, first: str | None = None) -> None:
    """Rewrite a zip (EPUB, DOCX) so that the same content gives the same bytes: every entry
    dated ``when`` (the build time: SOURCE_DATE_EPOCH when set), the same permissions and
    system, entries in their original order with ``first`` (EPUB's ``mimetype``) first and
    stored uncompressed, the others deflated at one fixed level."""
    stamp = max(when.astimezone(dt.UTC).replace(tzinfo=None), dt.datetime(1980, 1, 1)).timetuple()[:6]
    with zipfile.ZipFile(path) as src:
        entries = [(info.filename, src.read(info)) for info in src.infolist()]
    entries.sort(key=lambda entry: entry[0] != first)  # stable: only ``first`` moves
    tmp = path.with_name(path.name + ".zip.part")  # removed by runner.clear_parts if a kill strands it
    with zipfile.ZipFile(tmp, "w") as dst:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.create_system = 3
            info.external_attr = 0o100644 << 16
            if name == first:
                info.compress_type = zipfile.ZIP_STORED
                dst.writestr(info, data)
            else:
                info.compress_type = zipfile.ZIP_DEFLATED
                dst.writestr(info, data, compresslevel=6)
    os.replace(tmp, path)


def write_bytes(dest: Path, data: bytes) -> None:
    with atomic_path(dest) as tmp:
        tmp.write_bytes(data)


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
    return info
