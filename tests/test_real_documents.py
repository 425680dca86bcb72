"""The documents people already have: READMEs with badges and HTML, pandoc Markdown, Hugo
pages, JOSS papers. Each is read as found, degraded with a warning at ``file:line`` where
the model cannot carry something yet, never refused and never mangled silently."""

from __future__ import annotations

from pathlib import Path

import pytest

import publish
from publish import model as m
from publish import text as txt
from publish.walk import walk

REAL = Path(__file__).parent / "real"


def load(name: str, caplog: pytest.LogCaptureFixture) -> tuple[m.Document, list[str]]:
    caplog.clear()
    doc = publish.load(REAL / name)
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    return doc, warnings


def nodes(doc: m.Document, kind: type) -> list:
    return [n for n in walk(doc.blocks) if isinstance(n, kind)]


def warned(warnings: list[str], name: str, line: int, words: str) -> bool:
    return any(w.startswith(f"{REAL / name}:{line}: warning: ") and words in w for w in warnings)


def test_a_readme_with_badges_and_html(caplog: pytest.LogCaptureFixture) -> None:
    doc, warnings = load("readme.md", caplog)
    assert doc.meta.title == "Skyline"  # the <h1> in the centred <div>, taken out of the text
    assert not [h for h in nodes(doc, m.Heading) if h.level == 1]
    centred = doc.blocks[0]
    assert isinstance(centred, m.Div) and centred.attr.get("align") == "center"
    assert isinstance(centred.blocks[0], m.Figure) and centred.blocks[0].image.src == "logo.png"
    # badges: never fetched, their alt text inside their links
    assert warned(warnings, "readme.md", 7, "remote image") and warned(warnings, "readme.md", 8, "remote image")
    links = {txt.plain(n.content): n.url for n in nodes(doc, m.Link)}
    assert links["Build"] == "https://ci.example.org/skyline"
    # HTML phrase elements, GFM strikethrough, a GitHub slug rewritten to our id
    assert [n.attr.classes for n in nodes(doc, m.Span) if n.attr.classes] == [("kbd",), ("kbd",), ("abbr",)]
    assert [txt.plain(n.content) for n in nodes(doc, m.Strikeout)] == ["and 8081"]
    assert links["Install & Run"] == "#install-run" and links["the options"] == "#options"
    # the GFM alert, <details>, task list, HTML table
    kinds = {(d.attr.classes, txt.plain(d.title)) for d in nodes(doc, m.Div)}
    assert (("callout-note",), "Note") in kinds and (("details",), "Advanced settings") in kinds
    assert [i.checked for i in nodes(doc, m.ListItem)] == [True, False]
    (table,) = nodes(doc, m.Table)
    assert [txt.plain(c.content) for c in table.header] == ["Flag", "Meaning"]
    assert table.rows[0][0].content == (m.Code("-p"),)
    # the console block keeps its last line; the script is gone, with a warning
    console = next(n for n in nodes(doc, m.CodeBlock) if n.language == "console")
    assert console.text.endswith("Successfully installed skyline-1.0")
    assert warned(warnings, "readme.md", 45, "<script> removed")
    assert "alert" not in repr(doc.blocks)
    assert txt.plain(doc.blocks[-1].blocks[0].content) == "Made with ✨ in Lisbon"  # type: ignore[union-attr]


def test_pandoc_markdown_is_kept_whole(caplog: pytest.LogCaptureFixture) -> None:
    doc, warnings = load("pandoc.md", caplog)
    assert doc.meta.title == "Field Methods"
    assert [a.name for a in doc.meta.authors] == ["Ana Lima", "Bo Chen"]
    assert doc.meta.date is not None and doc.meta.date.isoformat() == "2019-03-22"
    first = txt.plain(doc.blocks[0].content)  # type: ignore[union-attr]
    # TeX is math, money is not math, "+-" is not "±", dashes and ellipses are smart
    assert first == "Intro with x^2 and money: $5 and $6 – fine… +- 3."
    assert m.Math("x^2") in doc.blocks[0].content  # type: ignore[union-attr]
    assert not any(w.startswith(f"{REAL / 'pandoc.md'}:5:") for w in warnings)
    simple, grid = [n for n in nodes(doc, m.Table)]  # pandoc's tables are tables
    assert [a.value for a in simple.aligns] == ["right", "left"] and txt.plain(simple.rows[1][0].content) == "123"
    assert txt.plain(grid.header[1].content) == "b" and txt.plain(grid.rows[0][1].content) == "2"
    assert not any("table" in w.split(": warning: ", 1)[-1] for w in warnings)
    callout, box = nodes(doc, m.Div)
    assert callout.attr.classes == ("callout-tip",) and txt.plain(callout.title) == "Remember"
    assert box.attr == m.Attr("box", ("aside",), (("lang", "fr"),))
    limerick = next(b for b in doc.blocks if isinstance(b, m.Paragraph) and m.LineBreak() in b.content)
    assert txt.plain(limerick.content).endswith("\u00a0\u00a0\u00a0Into space that is quite economical.")
    (terms,) = nodes(doc, m.DefinitionList)
    assert [(txt.plain(i.term), len(i.definitions)) for i in terms.items] == [("Term", 1)]
    (roman,) = nodes(doc, m.OrderedList)
    assert (roman.style, roman.delim, len(roman.items)) == ("lower-roman", "period", 2)
    assert not warned(warnings, "pandoc.md", 30, "definition") and not warned(warnings, "pandoc.md", 33, "numbering")
    (implicit,) = [n for n in nodes(doc, m.Link)]
    assert implicit.url == "#intro-section"


def test_hugo_toml_front_matter(caplog: pytest.LogCaptureFixture) -> None:
    doc, warnings = load("hugo.md", caplog)
    assert (doc.meta.title, doc.meta.date and doc.meta.date.isoformat()) == ("Release notes", "2024-05-01")
    assert doc.meta.keywords == ("release", "notes") and warnings == []


def test_a_joss_paper(caplog: pytest.LogCaptureFixture) -> None:
    doc, warnings = load("joss.md", caplog)
    first, second = doc.meta.authors
    assert first.orcid == "0000-0000-0000-0000" and first.orcid_url == "https://orcid.org/0000-0000-0000-0000"
    assert first.affiliation == "Lyman Spitzer, Jr. Fellow, Princeton University, USA · Institution Name, Country"
    assert second.affiliation == "Institution Name, Country"
    assert ("equal-contrib", "true") in first.extra
    assert doc.meta.date is not None and doc.meta.date.isoformat() == "2017-08-13"
    assert dict(doc.meta.extra)["bibliography"] == '"paper.bib"'
    assert warnings == []


@pytest.mark.parametrize(
    ("written", "iso"),
    [
        ("22 March 2019", "2019-03-22"),
        ("March 22, 2019", "2019-03-22"),
        ("Mar. 22nd 2019", "2019-03-22"),
        ("2019/03/22", "2019-03-22"),
        ("2019-03-22T10:00:00Z", "2019-03-22"),
    ],
)
def test_dates_as_people_write_them(written: str, iso: str) -> None:
    from publish import meta

    found = meta.parse_date(written)
    assert found is not None and found.isoformat() == iso


def test_a_title_that_repeats_the_first_heading_is_shown_once(tmp_path: Path) -> None:
    path = tmp_path / "doc.md"
    path.write_text("---\ntitle: Annual Report\n---\n\n# Annual report\n\nText.\n", encoding="utf-8")
    doc = publish.load(path)
    assert doc.meta.title == "Annual Report" and not nodes(doc, m.Heading)


def test_a_document_with_neither_front_matter_nor_heading_is_named_after_its_file(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "release-notes.md"
    path.write_text("Just text.\n", encoding="utf-8")
    doc = publish.load(path)
    assert doc.meta.title == "release notes"
    assert any(r.getMessage().startswith(f"{path}:1: warning: the document has no title") for r in caplog.records)


def test_ids_and_urls_that_editions_would_refuse_are_made_valid(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "doc.md"
    path.write_text(
        "---\ntitle: T\n---\n\n# One {#intro}\n\n## Two {#intro}\n\n"
        "[spec](#user-content-intro), [room](https://matrix.to/#/#helix:matrix.org)\n",
        encoding="utf-8",
    )
    doc = publish.load(path)
    assert [h.attr.id for h in nodes(doc, m.Heading)] == ["intro", "intro-1"]
    assert any(r.getMessage().startswith(f"{path}:7: warning: the id 'intro' is given twice") for r in caplog.records)
    assert [link.url for link in nodes(doc, m.Link)] == ["#intro", "https://matrix.to/#/%23helix:matrix.org"]


def test_bare_urls_are_links_as_github_ends_them(tmp_path: Path) -> None:
    path = tmp_path / "doc.md"
    path.write_text(
        "---\ntitle: T\n---\n\nSee www.example.com, https://x.org/a_(b) and (https://y.org/p). "
        "Not in code: `https://code.example`.\n",
        encoding="utf-8",
    )
    doc = publish.load(path)
    assert [n.url for n in nodes(doc, m.Link)] == ["http://www.example.com", "https://x.org/a_(b)", "https://y.org/p"]
    assert m.Code("https://code.example") in doc.blocks[0].content  # type: ignore[union-attr]


def test_pandoc_crossrefs_demo(caplog: pytest.LogCaptureFixture) -> None:
    doc, warnings = load("pandoc-crossref.md", caplog)
    links = [(txt.plain(n.content), n.url) for n in nodes(doc, m.Link)]
    # img3.jpg is missing: its figure keeps its label and number (a div of its id), with a warning
    assert ("Figure\u00a01", "#fig-figure0") in links and ("Figure\u00a04", "#fig-figure3") in links
    assert [f.number for f in nodes(doc, m.Figure)] == ["1", "2", "3", ""]  # the last one unlabelled
    assert [d.attr.id for d in nodes(doc, m.Div)] == ["fig-figure3"] and warned(
        warnings, "pandoc-crossref.md", 51, "img3"
    )
    assert ("Figure\u00a02", "#fig-figure1") in links and ("Table\u00a01", "#tbl-table1") in links
    assert ("Equation\u00a01", "#eq-eqn1") in links
    # autoSectionLabels: True makes every heading sec:its-id; {-} leaves a chapter unnumbered
    assert ("Wrapping div", "#wrapping-div") in links
    equations = [n for n in nodes(doc, m.Math) if n.display]
    assert [(e.attr.id, e.number) for e in equations] == [("eq-eqn1", "1"), ("eq-quadr", "2"), ("eq-eqn2", "3")]
    # listings are not numbered yet: kept as written, with a warning at their line
    assert warned(warnings, "pandoc-crossref.md", 35, "@lst:captionAttr") and "@lst:tableCaption" in repr(doc.blocks)
    # raw TeX (\pagebreak, \listoffigures) is dropped with a warning, not printed
    assert "pagebreak" not in repr(doc.blocks) and warned(warnings, "pandoc-crossref.md", 122, "raw tex")


def test_quartos_guide_to_cross_references(caplog: pytest.LogCaptureFixture) -> None:
    doc, warnings = load("quarto.md", caplog)
    (equation,) = [n for n in nodes(doc, m.Math) if n.display and n.attr.id]
    # a line of the formula starts with "+": still one labelled equation, referred to before it
    assert equation.attr.id == "eq-black-scholes" and "+ \\mathrm r" in equation.tex
    assert ("Equation\u00a01", "#eq-black-scholes") in [(txt.plain(n.content), n.url) for n in nodes(doc, m.Link)]
    kinds = [d.attr.classes[0] for d in nodes(doc, m.Div) if d.attr.classes]
    assert kinds == ["callout-note", "callout-important", "callout-note"]
    cell = next(c for c in nodes(doc, m.CodeBlock) if "tbl-planets" in c.text)
    assert cell.language == "python"
    (prefixes, syntax) = [t for t in nodes(doc, m.Table)]
    assert txt.plain(prefixes.rows[0][1].content) == "Theorem"
    assert [c.content for c in syntax.rows[3][1:2]] == [(m.Code("[-@fig-elephant]"),)]
    assert warned(warnings, "quarto.md", 25, "not found")


def test_lecture_notes_with_macros(caplog: pytest.LogCaptureFixture) -> None:
    doc, warnings = load("math-notes.md", caplog)
    formulas = [n.tex for n in nodes(doc, m.Math)]
    # \def and \newcommand in math: expanded in the formulas after them, the definitions show nothing
    assert "x \\in \\mathcal{C}(F_0)" in formulas and not any("\\mc" in f or "newcommand" in f for f in formulas)
    assert warned(warnings, "math-notes.md", 12, "TeX macro(s) \\mc defined in math")
    # \label is refused: the formula kept as its TeX, with a warning
    assert warned(warnings, "math-notes.md", 38, "\\label in math")
    # the grid table's cells hold lists; the money in it is no math
    (grid,) = nodes(doc, m.Table)
    assert isinstance(grid.rows[0][2].blocks[0], m.BulletList) and txt.plain(grid.rows[0][1].content) == "$1.34"
    # <pre> is code; pandoc's example list (@fundam): its formula numbered (1), and its
    # reference "(@fundam)" in the text is that number, as pandoc reads them
    assert any("var N = \\(6^2\\)" in c.text for c in nodes(doc, m.CodeBlock))
    (example,) = [n for n in nodes(doc, m.OrderedList) if n.delim == "two-parens"]
    assert example.start == 1 and isinstance(example.items[0].blocks[0].content[0], m.Math)  # type: ignore[union-attr]
    assert any("Equation (1) shows" in txt.plain(p.content) for p in nodes(doc, m.Paragraph))
    assert not warned(warnings, "math-notes.md", 43, "@fundam")
