"""Citations and bibliographies in every edition (issue 16, the editions' part): the model's
shape as the citation engine leaves it (publish.bibliography), how each edition writes it,
how each read-back sees it, and ``publish check`` failing when an entry or a citation's
target is lost."""

from __future__ import annotations

import json
import re
import urllib.parse
import zipfile
from pathlib import Path

import docx
import lxml.html
import pytest
from docx.oxml.ns import qn
from lxml import etree

import publish
from publish import bibliography, outline, readback
from publish import model as m
from publish.check import editions
from publish.readback import docx as docx_back
from publish.readback import pdf as pdf_back

FAST = ["html", "epub", "docx"]
EVERY = [*FAST, pytest.param("pdf", marks=[pytest.mark.slow, pytest.mark.external])]
XHTML = "{http://www.w3.org/1999/xhtml}"
EPUB_NS = "{http://www.idpf.org/2007/ops}"
FIXTURES = Path(__file__).resolve().parent / "fixtures"

#: A key of every character a citation key may have, longer than a Word bookmark name.
ODD = "okafor-varga:2025/heat.diffusion&numerics+press~long?<key>#$%"
KEYS = ("knuth84", "who20", ODD)
DOI = "https://doi.org/10.1093/comjnl/27.2.97"
WHO = "https://www.who.int/publications/reading-report"


def T(text: str) -> m.Text:
    return m.Text(text)


def cite(keys: tuple[str, ...], texts: tuple[str, ...], before: str = "(", after: str = ")") -> m.Span:
    """A citation as pandoc's citeproc writes one: the style's text, a link to each entry."""
    content: list[m.Inline] = [T(before)]
    for index, (key, text) in enumerate(zip(keys, texts, strict=True)):
        content += [T("; ")] if index else []
        content.append(m.Link((T(text),), f"#ref-{key}"))
    content.append(T(after))
    attr = m.Attr(classes=("citation",), values=(("cites", " ".join(keys)),))
    return m.Span(tuple(content), attr)


AUTHOR_DATE = {
    "knuth84": (
        T("Knuth, Donald E. 1984. “Literate Programming.” "),
        m.Emphasis((T("The Computer Journal"),)),
        T(" 27 (2): 97–111. "),
        m.Link((T(DOI),), DOI),
        T("."),
    ),
    "who20": (T("World Health Organization. 2020. “Report on Reading.” "), m.Link((T(WHO),), WHO), T(".")),
    ODD: (T("Okafor, Ines, and Tomás Varga. 2025. "), m.Emphasis((T("Heat, Mass and Measure"),)), T(".")),
}


def entry(key: str, numeric: int = 0) -> m.Div:
    text = AUTHOR_DATE[key]
    if numeric:  # IEEE's shape: the label, then the text, each a span
        label = m.Span((T(f"[{numeric}]"), T(" ")), m.Attr(classes=("csl-left-margin",)))
        text = (label, m.Span(text, m.Attr(classes=("csl-right-inline",))))
    return m.Div((m.Paragraph(text),), m.Attr(f"ref-{key}", ("csl-entry",)))


def bib_doc(numeric: bool = False, keys: tuple[str, ...] = KEYS, link_to: str = "") -> m.Document:
    """A paper citing three works (one by a key of every odd character), its bibliography
    after a "References" heading; ``link_to``: the last citation links there instead."""
    names = ("[1]", "[2]", "[3]") if numeric else ("Knuth 1984, 33", "World Health Organization 2020", "Okafor 2025")
    last = m.Span(
        (T("("), m.Link((T(names[2]),), link_to or f"#ref-{ODD}"), T(")")),
        m.Attr(classes=("citation",), values=(("cites", ODD),)),
    )
    blocks: tuple[m.Block, ...] = (
        m.Heading(1, (T("Introduction"),), m.Attr("introduction")),
        m.Paragraph(
            (
                T("Programs are read by people "),
                cite(("knuth84", "who20"), names[:2]),
                T(", and so are reports "),
                last,
                T("."),
            )
        ),
        m.Heading(1, (T("References"),), m.Attr("references", ("unnumbered",))),
        m.Div(
            tuple(entry(k, i if numeric else 0) for i, k in enumerate(keys, 1)),
            m.Attr("refs", ("references", "csl-bib-body")),
        ),
    )
    meta = m.Metadata(title="Literate Sources", lang="en", identifier="urn:uuid:5f1c3a52-8d6e-4c3b-9a57-0c1f3b2d4e6a")
    return m.Document(meta, blocks)


def build(doc: m.Document, fmt: str, root: Path, name: str = "paper") -> Path:
    return publish.build(doc, fmt, root / name / f"{name}.{fmt}")


# ---------------------------------------------------------------- the model and the outline


def test_the_outline_has_the_bibliography_and_its_entries() -> None:
    lines = outline.render(outline.outline_of(bib_doc()))
    at = lines.index("references")
    assert lines[at - 1] == "heading 1: References"
    assert lines[at + 1].startswith("  para: Knuth, Donald E. 1984. “Literate Programming.” The Computer Journal")
    assert [line[:20] for line in lines[at + 1 :]] == [
        "  para: Knuth, Donal",
        "  para: World Health",
        "  para: Okafor, Ines",
    ]
    flat = outline.flatten(outline.outline_of(bib_doc(numeric=True)))
    assert [role for role, _ in flat][-3:] == ["bibliography"] * 3
    assert flat[-3][1].startswith("[1] Knuth, Donald E.")


def test_entries_citations_and_their_problems() -> None:
    found = bibliography.entries(bib_doc(numeric=True).blocks)
    assert [e.id for e in found] == [f"ref-{k}" for k in KEYS]
    assert found[0].text.startswith("Knuth, Donald E. 1984.")  # the label left out
    assert found[0].urls == (DOI,) and found[1].urls == (WHO,) and found[2].urls == ()
    assert bibliography.problems(bib_doc()) == []
    assert bibliography.problems(bib_doc(link_to="#introduction")) == [
        "the citation '(Okafor 2025)' links to #introduction, which is no bibliography entry"
    ]


def test_word_bookmark_names() -> None:
    kept = ["refs", "ref-knuth84", "fig-gradient", "eq-energy", "x" * 40, "été"]
    assert [bibliography.bookmark(a) for a in kept] == kept
    odd = ["ref-" + ODD, "x" * 41, "1-introduction", "_hidden", "ref_knuth84_0123abcd", "a b"]
    names = [bibliography.bookmark(a) for a in odd]
    for name in names:
        assert len(name) <= 40 and name[0].isalpha() and re.fullmatch(r"[A-Za-z0-9_]+_[0-9a-f]{8}", name)
    assert names[0].startswith("ref_okafor_varga_2025_heat")
    assert len(set(names)) == len(names) and names == [bibliography.bookmark(a) for a in odd]  # unique, stable
    assert bibliography.bookmark_ids(odd) == dict(zip(names, odd, strict=True))


# ---------------------------------------------------------------- every edition


@pytest.mark.parametrize("fmt", EVERY)
@pytest.mark.parametrize("numeric", [False, True], ids=["author-date", "numeric"])
def test_every_edition_reads_back_equal(fmt: str, numeric: bool, tmp_path: Path) -> None:
    doc = bib_doc(numeric)
    path = build(doc, fmt, tmp_path)
    assert readback.check(doc, fmt, path) == []
    assert editions.check_metadata(doc, fmt, path).details == []


@pytest.mark.parametrize("fmt", FAST)
def test_a_titled_bibliography_with_other_blocks_reads_back_equal(fmt: str, tmp_path: Path) -> None:
    """A bibliography as a Div may hold anything (a title, a list, a note) and stand in a list."""
    doc = bib_doc()
    refs = doc.blocks[-1]
    assert isinstance(refs, m.Div)
    extra = (
        m.BulletList((m.ListItem((m.Paragraph((T("listed"),)),)),)),
        m.Paragraph((T("A remark"), m.Note((m.Paragraph((T("noted"),)),), number=1))),
    )
    titled = m.Div(refs.blocks + extra, refs.attr, (T("Works cited"),))
    inside = m.BulletList(
        (m.ListItem((m.Paragraph((T("first"),)), m.Div(refs.blocks[:1], m.Attr("", ("references",))))),)
    )
    doc = m.Document(doc.meta, (*doc.blocks[:-1], titled, inside))
    lines = outline.render(outline.outline_of(doc))
    assert "references: Works cited" in lines and "  bullet-list" in lines
    path = build(doc, fmt, tmp_path)
    assert readback.check(doc, fmt, path) == []


def _html(tmp_path: Path, numeric: bool = False) -> etree._Element:
    return lxml.html.fromstring(build(bib_doc(numeric), "html", tmp_path).read_bytes())


def test_html_writes_them_as_pandoc_does(tmp_path: Path) -> None:
    root = _html(tmp_path)
    spans = root.xpath("//span[@class='citation']")
    assert [s.get("data-cites") for s in spans] == ["knuth84 who20", ODD]
    links = [a for s in spans for a in s.iter("a")]
    assert [urllib.parse.unquote(a.get("href")) for a in links] == ["#ref-knuth84", "#ref-who20", f"#ref-{ODD}"]
    assert {a.get("role") for a in links} == {"doc-biblioref"}
    (refs,) = root.xpath("//div[@id='refs']")
    assert refs.get("class") == "references csl-bib-body" and refs.get("role") == "list"
    assert [(d.get("id"), d.get("class"), d.get("role")) for d in refs] == [
        (f"ref-{k}", "csl-entry", "listitem") for k in KEYS
    ]
    assert [a.get("href") for a in refs.iter("a")] == [DOI, WHO]
    assert all(a.get("role") is None for a in refs.iter("a"))  # an entry's address is no citation


def test_html_numeric_labels_and_the_stylesheet(tmp_path: Path) -> None:
    root = _html(tmp_path, numeric=True)
    (first,) = root.xpath("//div[@id='ref-knuth84']/p")
    assert [c.get("class") for c in first] == ["csl-left-margin", "csl-right-inline"]
    assert first[0].text == "[1] "
    css = "".join(s.text or "" for s in root.iter("style"))
    assert re.search(r"\.csl-entry > p \{[^}]*padding-left: 1\.5em; text-indent: -1\.5em", css)
    assert re.search(r"\.csl-left-margin \{[^}]*display: inline-block; min-width: 2\.5em", css)
    assert re.search(r"\.csl-entry a \{[^}]*hyphens: manual; overflow-wrap: anywhere", css)


def test_html_json_ld_cites_each_entry(tmp_path: Path) -> None:
    root = _html(tmp_path, numeric=True)
    (script,) = root.xpath("//script[@type='application/ld+json']")
    cited = json.loads(script.text)["citation"]
    assert [c["@type"] for c in cited] == ["CreativeWork"] * 3
    assert cited[0]["name"].startswith("Knuth, Donald E. 1984.")  # the label [1] is no part of the work
    assert cited[0]["sameAs"] == DOI and "url" not in cited[0]
    assert cited[1]["url"] == WHO and "sameAs" not in cited[1]
    assert set(cited[2]) == {"@type", "name"}


def test_html_metadata_check_notices_a_lost_citation(tmp_path: Path) -> None:
    doc = bib_doc()
    path = build(doc, "html", tmp_path)
    html = path.read_text(encoding="utf-8")
    path.write_text(html.replace('"CreativeWork"', '"Thing"', 1).replace('"name": "Knuth', '"nom": "Knuth'))
    details = editions.check_metadata(doc, "html", path).details
    assert len(details) == 1 and details[0].startswith("json-ld citations: the source has ['Knuth, Donald E. 1984.")


def test_epub_bibliography_is_a_landmark(tmp_path: Path) -> None:
    path = build(bib_doc(), "epub", tmp_path)
    with zipfile.ZipFile(path) as z:
        nav = etree.fromstring(z.read("EPUB/nav.xhtml"))
        text = etree.fromstring(z.read("EPUB/text.xhtml"))
    landmarks = next(n for n in nav.iter(f"{XHTML}nav") if n.get(f"{EPUB_NS}type") == "landmarks")
    types = {a.get(f"{EPUB_NS}type"): a.get("href") for a in landmarks.iter(f"{XHTML}a")}
    assert types["bibliography"] == "text.xhtml#refs"
    assert list(types) == ["cover", "toc", "bodymatter", "bibliography"]
    toc = next(n for n in nav.iter(f"{XHTML}nav") if n.get(f"{EPUB_NS}type") == "toc")
    assert [a.text for a in toc.iter(f"{XHTML}a")] == ["Introduction", "References"]  # the nav otherwise as before
    (refs,) = [d for d in text.iter(f"{XHTML}div") if d.get("id") == "refs"]
    assert refs.get("role") == "doc-bibliography" and refs.get(f"{EPUB_NS}type") == "bibliography"
    assert [(d.get(f"{EPUB_NS}type"), d.get("role")) for d in refs] == [("biblioentry", None)] * 3


def test_epub_without_a_bibliography_has_no_such_landmark(tmp_path: Path) -> None:
    doc = bib_doc()
    doc = m.Document(doc.meta, doc.blocks[:2])
    with zipfile.ZipFile(build(doc, "epub", tmp_path)) as z:
        assert b'epub:type="bibliography"' not in z.read("EPUB/nav.xhtml")


def _docx(path: Path) -> tuple[docx.document.Document, dict[str, str]]:
    document = docx.Document(str(path))
    return document, {s.style_id: s.name for s in document.styles}


def _style(p: etree._Element, names: dict[str, str]) -> str:
    style = p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
    return names.get(str(style.get(qn("w:val"))), "") if style is not None else ""


def test_docx_bibliography_style_bookmarks_and_hyperlinks(tmp_path: Path) -> None:
    document, names = _docx(build(bib_doc(), "docx", tmp_path))
    style = document.styles["Bibliography"]
    ind = style.element.find(f"{qn('w:pPr')}/{qn('w:ind')}")
    assert ind.get(qn("w:left")) == ind.get(qn("w:hanging")) == "315"  # 1.5 em of 10.5 pt, hanging
    body = document.element.body
    entries = [p for p in body.iter(qn("w:p")) if _style(p, names) == "Bibliography"]
    assert len(entries) == 3
    marks = [[b.get(qn("w:name")) for b in p.iter(qn("w:bookmarkStart"))] for p in entries]
    assert marks == [["refs", "ref-knuth84"], ["ref-who20"], [bibliography.bookmark(f"ref-{ODD}")]]
    assert all(len(name) <= 40 and name[0].isalpha() for p in marks for name in p)
    anchors = [h.get(qn("w:anchor")) for h in body.iter(qn("w:hyperlink")) if h.get(qn("w:anchor"))]
    assert anchors == ["ref-knuth84", "ref-who20", bibliography.bookmark(f"ref-{ODD}")]
    external = [h for p in entries for h in p.iter(qn("w:hyperlink"))]
    targets = [document.part.rels[h.get(qn("r:id"))].target_ref for h in external]
    assert targets == [DOI, WHO]


def test_docx_numeric_label_then_a_tab(tmp_path: Path) -> None:
    document, names = _docx(build(bib_doc(numeric=True), "docx", tmp_path))
    entries = [p for p in document.element.body.iter(qn("w:p")) if _style(p, names) == "Bibliography"]
    first = entries[0]
    runs = list(first.iter(qn("w:r")))
    tab_at = next(i for i, r in enumerate(runs) if r.find(qn("w:tab")) is not None)
    assert "".join(t.text or "" for r in runs[:tab_at] for t in r.iter(qn("w:t"))) == "[1] "
    ind = first.find(f"{qn('w:pPr')}/{qn('w:ind')}")
    assert ind.get(qn("w:left")) == ind.get(qn("w:hanging")) == "525"  # the label's column: 2.5 em
    assert docx_back.read(document_path(tmp_path))[-3] == ("bibliography", f"[1] {bib_text('knuth84')}")


def document_path(tmp_path: Path) -> Path:
    return tmp_path / "paper" / "paper.docx"


def bib_text(key: str) -> str:
    return next(e.text for e in bibliography.entries(bib_doc().blocks) if e.id == f"ref-{key}")


def test_docx_every_bookmark_and_internal_link_has_a_word_name(tmp_path: Path) -> None:
    """Headings (and the table of contents' links and page references to them) take the one
    naming function too: a heading id of 60 characters is a bookmark of at most 40."""
    long_id = "a-heading-whose-identifier-is-far-longer-than-word-allows-it"
    blocks = tuple(m.Heading(1, (T(f"Section {n}"),), m.Attr(f"{long_id}-{n}")) for n in range(3)) + bib_doc().blocks
    doc = m.Document(m.Metadata(title="Long", lang="en", identifier="urn:uuid:long", extra=(("toc", "true"),)), blocks)
    path = build(doc, "docx", tmp_path)
    document, _ = _docx(path)
    xml = etree.tostring(document.element).decode()
    names = set(re.findall(r'w:name="([^"]+)"', xml))
    assert {bibliography.bookmark(f"{long_id}-{n}") for n in range(3)} <= names
    assert all(len(n) <= 40 for n in names)
    assert [a for a in re.findall(r'w:anchor="([^"]+)"', xml) if a.startswith("a_heading")] == [
        bibliography.bookmark(f"{long_id}-{n}") for n in range(3)
    ]
    assert [f.split()[1] for f in re.findall(r"PAGEREF [^<]+", xml)] == [
        *(bibliography.bookmark(f"{long_id}-{n}") for n in range(3)),
        "introduction",
        "references",
    ]
    assert docx_back.link_problems(path, doc) == []


# ---------------------------------------------------------------- what publish check notices


def test_an_entry_lost_from_an_edition_fails(tmp_path: Path) -> None:
    doc = bib_doc()
    html = build(doc, "html", tmp_path)
    page = html.read_text(encoding="utf-8")
    html.write_text(re.sub(r'<div id="ref-who20".*?</div>\n', "", page, flags=re.S), encoding="utf-8")
    problems = readback.check(doc, "html", html)
    assert "-  para: World Health Organization. 2020. “Report on Reading.” " + WHO + "." in problems
    assert any("a citation's link to #ref-who20 reaches no entry" in p for p in problems)

    path = build(doc, "docx", tmp_path)
    document, names = _docx(path)
    lost = [p for p in document.element.body.iter(qn("w:p")) if _style(p, names) == "Bibliography"][1]
    lost.getparent().remove(lost)
    document.save(str(path))
    problems = readback.check(doc, "docx", path)
    assert any(p.startswith("-bibliography: World Health Organization. 2020.") for p in problems)
    assert "a link to 'ref-who20', which has no bookmark" in problems  # named by its id, not its bookmark


@pytest.mark.parametrize("fmt", FAST)
def test_a_citation_that_reaches_no_entry_fails(fmt: str, tmp_path: Path) -> None:
    doc = bib_doc(link_to="#introduction")  # a heading: a target, but no entry
    problems = readback.check(doc, fmt, build(doc, fmt, tmp_path))
    expected = {
        "html": "paper.html: a citation's link to #introduction reaches no entry of a bibliography",
        "epub": "text.xhtml: a citation's link to #introduction reaches no entry of a bibliography",
        "docx": "a citation's link to 'introduction' reaches no entry of a bibliography",
    }
    assert problems == [expected[fmt]]


def test_a_dangling_citation_fails_in_docx(tmp_path: Path) -> None:
    doc = bib_doc(keys=KEYS[:2])  # the third work cited, not in the bibliography
    problems = readback.check(doc, "docx", build(doc, "docx", tmp_path))
    assert f"a link to 'ref-{ODD}', which has no bookmark" in problems


@pytest.mark.slow
@pytest.mark.external
def test_pdf_citations_are_links_to_their_entries(tmp_path: Path) -> None:
    import pikepdf

    doc = bib_doc(numeric=True)
    path = build(doc, "pdf", tmp_path)
    with pikepdf.open(path) as pdf:
        dests = {str(k) for k, _ in pikepdf.NameTree(pdf.Root.Names.Dests).items()}
        links = [
            str(a.get("/Dest") or a.A.D)
            for page in pdf.pages
            for a in page.get("/Annots", [])
            if a.Subtype == "/Link" and ("/Dest" in a or a.A.S == "/GoTo")
        ]
    assert links == ["ref-knuth84", "ref-who20", f"ref-{ODD}"]
    assert {e.id for e in bibliography.entries(doc.blocks)} <= dests
    assert pdf_back.link_problems(path, doc) == []
    wrong = bib_doc(numeric=True, link_to="#introduction")
    assert pdf_back.link_problems(build(wrong, "pdf", tmp_path, "wrong"), wrong) == [
        "a citation's link to 'introduction' reaches no entry of a bibliography"
    ]


def test_links_to_odd_keys_are_percent_encoded(tmp_path: Path) -> None:
    (link,) = [a for a in _html(tmp_path).iter("a") if a.text == "Okafor 2025"]
    assert link.get("href") == "#ref-okafor-varga:2025/heat.diffusion&numerics+press~long?%3Ckey%3E%23$%25"


@pytest.mark.slow
@pytest.mark.external
@pytest.mark.parametrize("numeric", [True], ids=["numeric"])  # the author-date markup is a subset
def test_validators_accept_odd_keys(numeric: bool, tmp_path: Path) -> None:
    """The Nu HTML Checker (a fragment may not hold ``<``, ``#``, a bare ``%``) and EPUBCheck
    (every fragment an id; the landmark; the DPUB-ARIA roles)."""
    from publish.check import validators

    html = build(bib_doc(numeric), "html", tmp_path)
    assert validators.nu_html([html])[html].details == []
    result = validators.check_epubcheck(build(bib_doc(numeric), "epub", tmp_path))
    assert (result.status, result.details) == ("pass", [])
