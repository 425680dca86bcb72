"""The DOCX edition read back with python-docx: the flat (role, text) form of
:func:`publish.outline.flatten`, the table of contents, links, properties and languages."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any

import docx
from docx.oxml.ns import qn
from lxml import etree

from publish import bibliography, langs, mathtex
from publish import model as m
from publish import outline as ol
from publish import text as txt
from publish.options import Options
from publish.outline import Flat
from publish.readback import ORCID, Languages, Reader, docxtables, split
from publish.readback.docxlists import Labels

TITLE_BLOCK = {"Title", "Subtitle", "Publisher", "Byline", "Date Line"}
#: Paragraphs that hold no text of the document: the space after a callout, and the
#: paragraph that closes a book chapter's section where the chapter ends with no paragraph.
SPACERS = {"Callout Spacer", "Section Break"}
_ROLES = [
    (re.compile(r"^Heading ([1-6])$"), "heading{0}"),
    (re.compile(r"^List Bullet(?: (\d+))?$"), "bullet{0}"),
    (re.compile(r"^List Number(?: (\d+))?$"), "number{0}"),
    (re.compile(r"^List Continue(?: (\d+))?$"), "continue{0}"),
    (re.compile(r"^Callout (Note|Tip|Important|Warning|Caution)$"), "callout-{0}"),
]
_FIXED = {
    "Normal": "para",
    "Footnote Text": "para",
    "Quote": "quote",
    "Source Code": "code",
    "Figure": "figure",
    "Caption": "caption",
    "Table Caption": "table-caption",
    "Thematic Break": "rule",
    "Definition Term": "term",
    "Definition": "definition",
    "Definition Continued": "definition",
    "Bibliography": "bibliography",
}


_W14 = "{http://schemas.microsoft.com/office/word/2010/wordml}"


def check_box(sdt: etree._Element) -> str | None:
    """A Word check box content control's state as the outline writes a task's box
    (:data:`publish.outline.TASK_BOX`); None for any other content control."""
    box = sdt.find(f"{qn('w:sdtPr')}/{_W14}checkbox")
    if box is None:
        return None
    checked = box.find(f"{_W14}checked")
    return ol.task_text(checked is not None and checked.get(f"{_W14}val") in ("1", "true"))


_OMATH = "{http://schemas.openxmlformats.org/officeDocument/2006/math}oMath"
_MATH_TEXT = "{http://schemas.openxmlformats.org/officeDocument/2006/math}t"


def paragraph_text(p: etree._Element, tab: str = "\t") -> str:
    """The text of a paragraph; a check box (a task's box) as its state, ``[ ]`` or ``[x]``;
    a tab as ``tab`` (in a bibliography none: it follows a numeric style's label)."""
    parts: list[str] = []
    boxes: set[etree._Element] = set()
    for el in p.iter(qn("w:t"), qn("w:br"), qn("w:tab"), qn("w:sdt"), _OMATH):
        if el.tag == _OMATH:  # a Word equation: the text it shows (publish.mathtex.math_text)
            runs = list(el.iter(_MATH_TEXT))
            parts.append(mathtex.visible("".join(t.text or "" for t in runs)))
            boxes |= set(runs)
        elif el.tag == qn("w:sdt"):
            state = check_box(el)
            if state is not None:
                parts.append(state)
                boxes |= set(el.iter(qn("w:t")))
        elif el in boxes:
            continue
        elif el.tag == qn("w:t"):
            parts.append(el.text or "")
        else:
            parts.append("\n" if el.tag == qn("w:br") else tab)
    return txt.squash("".join(parts))


def _boxes(p: etree._Element) -> str:
    """Only the check boxes of a paragraph (one whose text is not read: a figure, a rule)."""
    return " ".join(state for sdt in p.iter(qn("w:sdt")) if (state := check_box(sdt)) is not None)


def role_of(style_name: str) -> str:
    if style_name in _FIXED:
        return _FIXED[style_name]
    for pattern, template in _ROLES:
        found = pattern.match(style_name)
        if found:
            return template.format((found.group(1) or "1").lower())
    return f"unknown style {style_name!r}"


def _blocks(elements: list[etree._Element], names: dict[str, str], out: list[tuple[str, str]], labels: Labels) -> None:
    for el in elements:
        if el.tag == qn("w:sdt"):
            continue  # the table of contents (see toc_entries)
        if el.tag == qn("w:p"):
            style = el.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
            name = names.get(str(style.get(qn("w:val"))) if style is not None else "", "Normal")
            if name in TITLE_BLOCK or name in SPACERS:
                continue
            role = role_of(name)
            if role == "figure":
                doc_pr = next(
                    el.iter("{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"), None
                )
                alt = txt.squash(doc_pr.get("descr", "")) if doc_pr is not None else ""
                out.append(("figure", f"{_boxes(el)} {alt}".strip()))
                continue
            text = _boxes(el) if role == "rule" else paragraph_text(el, "" if role == "bibliography" else "\t")
            out.append((role, f"{labels.label(el)} {text}".strip()))  # an item's label: c), (iv)...
        elif el.tag == qn("w:tbl"):
            out.extend(docxtables.cells(el, paragraph_text))


def read(path: Path) -> Flat:
    document = docx.Document(str(path))
    names = {s.style_id: s.name for s in document.styles}
    out: list[tuple[str, str]] = []
    labels = Labels(document.part.numbering_part.element if _has_numbering(document) else None)
    _blocks(list(document.element.body), names, out, labels)
    for rel in document.part.rels.values():
        if rel.reltype.endswith("/footnotes"):
            root = etree.fromstring(rel.target_part.blob)
            for note in root.iter(qn("w:footnote")):
                number = int(note.get(qn("w:id"), "0"))
                if number <= 0 or note.get(qn("w:type")) in ("separator", "continuationSeparator"):
                    continue
                out.append((f"note{number}", ""))
                _blocks(list(note), names, out, labels)
    return tuple(out)


def _has_numbering(document: Any) -> bool:
    return any(rel.reltype.endswith("/numbering") for rel in document.part.rels.values())


def toc_entries(path: Path) -> list[tuple[int, str, str]]:
    """The filled-in table of contents: (level, text, bookmark it links to) per entry."""
    document = docx.Document(str(path))
    names = {s.style_id: s.name for s in document.styles}
    out: list[tuple[int, str, str]] = []
    for sdt in document.element.body.iter(qn("w:sdt")):
        for p in sdt.iter(qn("w:p")):
            style = p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
            name = names.get(str(style.get(qn("w:val"))) if style is not None else "", "")
            found = re.match(r"^toc (\d)$", name, re.IGNORECASE)
            if found:
                link = p.find(qn("w:hyperlink"))
                anchor = link.get(qn("w:anchor"), "") if link is not None else ""
                out.append((int(found.group(1)), paragraph_text(p), anchor))
    return out


def link_problems(path: Path, doc: m.Document | None = None) -> list[str]:
    """Every internal hyperlink (``w:anchor``) of the body reaches a bookmark it defines (in
    the body or in a footnote), named as Word allows (:func:`publish.bibliography.bookmark`);
    given the model, a bookmark is named by the id it stands for, and a citation's link
    reaches its entry: a bookmark in a paragraph of the style "Bibliography"."""
    document = docx.Document(str(path))
    body = document.element.body
    found = list(body.iter(qn("w:bookmarkStart")))
    for rel in document.part.rels.values():
        if rel.reltype.endswith("/footnotes"):
            found += etree.fromstring(rel.target_part.blob).iter(qn("w:bookmarkStart"))
    marks = {str(b.get(qn("w:name"))) for b in found}
    ids = bibliography.bookmark_ids(bibliography.anchors(doc)) if doc is not None else {}
    names = {s.style_id: s.name for s in document.styles}
    entries = {str(b.get(qn("w:name"))) for b in found if _style_of(b.getparent(), names) == "Bibliography"}
    problems = [f"a bookmark named {name!r}, which Word does not allow" for name in marks if not _word_name(name)]
    for link in body.iter(qn("w:hyperlink")):
        anchor = link.get(qn("w:anchor"))
        if anchor and anchor not in marks:
            problems.append(f"a link to {ids.get(anchor, anchor)!r}, which has no bookmark")
    if doc is not None:
        for span in bibliography.citations(doc.blocks):
            for target in bibliography.cited(span):
                if bibliography.bookmark(target) not in entries:
                    problems.append(f"a citation's link to {target!r} reaches no entry of a bibliography")
    return problems


def _style_of(p: etree._Element | None, names: dict[str, str]) -> str:
    style = p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}") if p is not None and p.tag == qn("w:p") else None
    return names.get(str(style.get(qn("w:val"))), "") if style is not None else ""


def _word_name(name: str) -> bool:
    """A bookmark name Word keeps: at most 40 characters, a letter first (``_GoBack`` and
    the other names Word gives hidden bookmarks start with ``_``)."""
    return len(name) <= bibliography.BOOKMARK_LENGTH and (name[:1].isalpha() or name.startswith("_"))


def callout_problems(path: Path) -> list[str]:
    """Every paragraph of a callout is drawn inside its box: from a callout's first paragraph
    (in its style, "Callout Note"…) to the spacer that ends it, the paragraphs in other
    styles (its lists, quotes, code) have a bar (``w:pBdr``) in the callout's colour."""
    document = docx.Document(str(path))
    names = {s.style_id: s.name for s in document.styles}
    colors: dict[str, str] = {}
    for style in document.styles:
        bar = style.element.find(f"{qn('w:pPr')}/{qn('w:pBdr')}/{qn('w:left')}")
        if style.name and style.name.startswith("Callout ") and bar is not None:
            colors[style.name] = str(bar.get(qn("w:color")))
    problems: list[str] = []
    inside: str | None = None  # the style of the callout the paragraphs belong to
    for p in document.element.body.iterchildren(qn("w:p")):
        style_id = p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
        name = names.get(str(style_id.get(qn("w:val"))) if style_id is not None else "", "Normal")
        if name in colors:
            inside = name
        elif name in SPACERS:
            inside = None
        elif inside is not None:
            bar = p.find(f"{qn('w:pPr')}/{qn('w:pBdr')}/{qn('w:left')}")
            if bar is None or bar.get(qn("w:color")) != colors[inside]:
                problems.append(f"{paragraph_text(p)[:60]!r} ({name}) in a {inside!r} callout has not its bar")
    return problems


def structure(doc: m.Document, path: Path, options: Options) -> list[str]:
    flat = ol.flat_diff(ol.flatten(ol.outline_of(mathtex.split_display(doc))), read(path), name=path.name)
    return flat + callout_problems(path) + link_problems(path, doc)


def metadata(path: Path) -> dict[str, Any]:
    """The core properties and the custom ones (``docProps/custom.xml``)."""
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
        "authors": split(core.author or "", ";"),
        "contributors": split(custom.get("Contributors", ""), ";"),
        "date": custom.get("Date", ""),
        "language": core.language or "",
        "identifier": core.identifier or "",
        "publishers": sorted(p for org in split(custom.get("Publisher", ""), ";") for p in split(org, " / ")),
        "description": core.comments or "",
        "keywords": split(core.keywords or "", ","),
        "created": core.created.date().isoformat() if core.created else "",
        "orcids": ORCID.findall(custom.get("ORCID", "")),
    }


def languages(path: Path) -> Languages:
    """The document defaults (``w:val`` for Latin text, ``w:eastAsia``, ``w:bidi`` for
    right-to-left text) and every ``w:lang`` of the body."""
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    with zipfile.ZipFile(path) as z:
        styles = etree.fromstring(z.read("word/styles.xml"))
        document = etree.fromstring(z.read("word/document.xml"))
    default = styles.find(f"{w}docDefaults/{w}rPrDefault/{w}rPr/{w}lang")
    kinds = ("val", "eastAsia", "bidi")
    roots = {str(default.get(f"{w}{a}")) for a in kinds if default.get(f"{w}{a}")} if default is not None else set()
    inner: set[str] = set()
    for el in document.iter(f"{w}lang"):
        inner |= {str(v) for v in (el.get(f"{w}{a}") for a in kinds) if v}
    return Languages(roots, inner)


def word_tag(tag: str) -> str:
    """A BCP 47 tag as Word writes it (``zh-TW`` for ``zh-Hant``, ``ar-SA`` for ``ar``)."""
    return langs.word_tag(tag)


READER = Reader(structure=structure, metadata=metadata, languages=languages, lang_tag=word_tag, one_root_language=False)
