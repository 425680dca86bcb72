"""Citation syntax (as pandoc reads it), numbers and cross-references (as Quarto writes them):
the reader, each edition's markup, the read-back, the source checks, books and errors."""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import publish
from publish import crossref, outline, readback, reader
from publish import model as m
from publish.check import pandoc as pandoc_check
from publish.errors import PublishError
from publish.walk import walk
from tests.conftest import FIXTURES, write

FIXTURE = FIXTURES / "xref.md"
FAST = ["html", "epub", "docx"]
EVERY = [*FAST, pytest.param("pdf", marks=[pytest.mark.slow, pytest.mark.external])]


def cites(text: str, tmp_path: Path) -> list[m.Cite]:
    """The Cites of a paragraph as read, before resolution (pandoc's reading)."""
    from publish import errors, resources, tokens

    path = write(tmp_path, "c.md", text)
    diagnostics = errors.Diagnostics(path)
    r = tokens.Reader(path, 0, resources.Resolver.for_document(path, None), "en", diagnostics)
    blocks = reader.parse_with(r, text)
    return [n for n in walk(blocks) if isinstance(n, m.Cite)]


def items(cite: m.Cite) -> list[tuple[str, str, str, str]]:
    from publish import text as txt

    return [(i.key, i.mode, txt.plain(i.prefix), txt.plain(i.suffix)) for i in cite.items]


# ---------------------------------------------------------------- syntax


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("@key", [("key", "author-in-text", "", "")]),
        ("@key [p. 5]", [("key", "author-in-text", "", "p. 5")]),
        ("@key[p. 5]", [("key", "author-in-text", "", "p. 5")]),
        ("[@key]", [("key", "normal", "", "")]),
        ("[@a; @b]", [("a", "normal", "", ""), ("b", "normal", "", "")]),
        ("[see @a, p. 3; also @b]", [("a", "normal", "see", ", p. 3"), ("b", "normal", "also", "")]),
        ("[-@key]", [("key", "suppress-author", "", "")]),
        ("-@key", [("key", "suppress-author", "", "")]),
        ("@Fig-x", [("Fig-x", "author-in-text", "", "")]),
        ("@{foo_bar.baz}", [("foo_bar.baz", "author-in-text", "", "")]),
        ("@fig:x.y", [("fig:x.y", "author-in-text", "", "")]),
        ("@a_b-c.d.", [("a_b-c.d", "author-in-text", "", "")]),
        ("@a [@b]", [("a", "author-in-text", "", ""), ("b", "normal", "", "")]),
        ("(@a)", [("a", "author-in-text", "", "")]),
    ],
)
def test_citations_read_as_pandoc_reads_them(source: str, expected: list[tuple[str, ...]], tmp_path: Path) -> None:
    found = cites(f"Text {source} text.\n", tmp_path)
    assert len(found) == 1
    assert items(found[0]) == expected
    assert found[0].text == source.rstrip(".").strip("()")
    assert found[0].line == 1


@pytest.mark.parametrize(
    "source",
    [
        "a@b.com",
        "user@example.org",
        r"\@key",
        "`@key`",
        "[link @key](http://example.org)",
        "[@key](http://example.org)",
        "@{weird key}",  # pandoc 3.9: a braced key holds no space
    ],
)
def test_what_is_not_a_citation(source: str, tmp_path: Path) -> None:
    assert cites(f"Text {source} text.\n", tmp_path) == []


def test_a_citation_nested_in_a_suffix_and_prefixes_with_markup(tmp_path: Path) -> None:
    (cite,) = cites("[**see** @a, *p.* 3] and [@a and @b]\n", tmp_path)[:1]
    assert isinstance(cite.items[0].prefix[0], m.Strong)
    found = cites("[@a and @b]\n", tmp_path)
    assert [i.key for c in found for i in c.items] == ["a", "b"]  # @b inside @a's suffix


def test_pandoc_agrees_on_the_keys(tmp_path: Path) -> None:
    text = "[see @fig-a, p. 3; -@tbl:b] and @Sec-c [left] and a@b.com and [@key](http://x).\n"
    ours = [(i.key, i.mode) for c in cites(text, tmp_path) for i in c.items]
    tree = pandoc_check.read(pandoc_check.pandoc(), text)
    modes = {"NormalCitation": "normal", "SuppressAuthor": "suppress-author", "AuthorInText": "author-in-text"}
    theirs = [
        (c["citationId"], modes[c["citationMode"]["t"]])
        for node in tree["blocks"][0]["c"]
        if node["t"] == "Cite"
        for c in node["c"][0]
    ]
    assert ours == theirs  # pandoc reads the cite inside the link text too; the brief keeps links whole
    assert theirs == [("fig-a", "normal"), ("tbl:b", "suppress-author"), ("Sec-c", "author-in-text")]


# ---------------------------------------------------------------- numbering and references


@pytest.fixture(scope="module")
def doc() -> m.Document:
    return publish.load(FIXTURE)


def numbered(doc: m.Document) -> dict[str, str]:
    return {n.attr.id: n.number for n in walk(doc.blocks) if isinstance(n, m.Heading | m.Figure | m.Table) and n.number}


def links(doc: m.Document) -> list[tuple[str, str]]:
    from publish import text as txt

    return [(txt.plain(n.content), n.url) for n in walk(doc.blocks) if isinstance(n, m.Link)]


def test_numbers_in_document_order(doc: m.Document) -> None:
    assert numbered(doc) == {
        "sec-intro": "1",
        "fig-gradient": "1",
        "sec-method": "2",
        "tbl-sales": "1",
        "sec-detail": "2.1",
        "fig-second": "2",  # pandoc-crossref's fig:second, written fig-second
        "tbl-costs": "2",  # a caption before its table
    }
    appendix = next(n for n in walk(doc.blocks) if isinstance(n, m.Heading) and n.attr.id == "appendix")
    assert appendix.number == ""  # {.unnumbered}
    figure = next(n for n in walk(doc.blocks) if isinstance(n, m.Figure))
    assert figure.attr.get("width") == "50%"
    assert not any(isinstance(n, m.Cite) for n in walk(doc.blocks))


def test_references_become_links(doc: m.Document) -> None:
    found = links(doc)
    nb = "\u00a0"
    assert (f"Figure{nb}1", "#fig-gradient") in found
    assert (f"Table{nb}1", "#tbl-sales") in found
    assert (f"Figure{nb}2", "#fig-second") in found
    assert ("1", "#fig-gradient") in found  # [-@fig-gradient]
    assert ("2.1", "#sec-detail") in found  # [-@sec-detail]
    assert (f"Section{nb}2", "#sec-method") in found
    first = next(b for b in doc.blocks if isinstance(b, m.Paragraph))
    from publish import text as txt

    plain = txt.squash(txt.plain(first.content))
    assert "Both figures together: Figure 1, Figure 2." in plain
    assert "With words around: see Figure 1, left, and Table 1." in plain
    assert "Figure 1 opens a sentence" in plain


def test_references_in_notes_and_captions(doc: m.Document) -> None:
    note = next(n for n in walk(doc.blocks) if isinstance(n, m.Note))
    assert any(isinstance(n, m.Link) and n.url == "#tbl-sales" for n in walk(note.blocks))
    second = next(n for n in walk(doc.blocks) if isinstance(n, m.Figure) and n.attr.id == "fig-second")
    assert any(isinstance(n, m.Link) and n.url == "#fig-gradient" for n in second.caption)
    assert second.image.alt == "A second look, after Figure 1"


def test_escaped_and_email_stay_text(doc: m.Document) -> None:
    from publish import text as txt

    texts = [txt.plain(b.content) for b in doc.blocks if isinstance(b, m.Paragraph)]
    assert any("user@example.org stays text, and so does @fig-gradient." in t for t in texts)


def test_sections_without_numbers_link_with_the_heading_text(tmp_path: Path) -> None:
    path = write(tmp_path, "s.md", "---\ntitle: S\n---\n\n## Intro {#sec-intro}\n\nSee @sec-intro.\n")
    doc = publish.load(path)
    assert ("Intro", "#sec-intro") in links(doc)
    assert all(not n.number for n in walk(doc.blocks) if isinstance(n, m.Heading))


def test_labels_in_the_document_language(tmp_path: Path) -> None:
    path = write(
        tmp_path, "de.md", "---\ntitle: D\nlang: de\n---\n\n![Bild](x.png){#fig-x}\n\nSiehe @fig-x und @Fig-x.\n"
    )
    write(tmp_path, "x.png", "")
    (tmp_path / "x.png").write_bytes((FIXTURES / "images" / "gradient.png").read_bytes())
    doc = publish.load(path)
    assert [t for t, _ in links(doc)] == ["Abbildung\u00a01", "Abbildung\u00a01"]
    assert crossref.caption_label("table", "3", "fr") == "Tableau\u00a03"
    assert crossref.caption_label("figure", "2", "zh-Hant") == "圖\u00a02"


def test_an_unknown_reference_is_an_error_at_its_line(tmp_path: Path) -> None:
    path = write(tmp_path, "bad.md", "---\ntitle: Bad\n---\n\nFine.\n\nSee @fig-nope and\n[@tbl:gone].\n")
    with pytest.raises(PublishError) as caught:
        publish.load(path)
    text = str(caught.value)
    assert f"{path}:7: unknown cross-reference @fig-nope" in text
    assert f"{path}:8: unknown cross-reference @tbl:gone" in text


def test_the_cli_fails_on_an_unknown_reference_and_builds_the_rest(tmp_path: Path) -> None:
    content = tmp_path / "content"
    write(content, "bad.md", "---\ntitle: Bad\n---\n\nSee @fig-nope.\n")
    write(content, "good.md", "---\ntitle: Good\n---\n\nFine.\n")
    out = tmp_path / "out"
    run = subprocess.run(
        [sys.executable, "-m", "publish", "html", "--content", str(content), "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode != 0
    assert "bad.md:5: unknown cross-reference @fig-nope" in run.stdout + run.stderr
    assert (out / "good" / "good.html").is_file()


# ---------------------------------------------------------------- editions


def build(doc: m.Document, fmt: str, root: Path) -> Path:
    return publish.build(doc, fmt, root / doc.slug / f"{doc.slug}.{fmt}")


@pytest.mark.parametrize("fmt", EVERY)
def test_every_edition_reads_back_equal(doc: m.Document, fmt: str, tmp_path: Path) -> None:
    path = build(doc, fmt, tmp_path)
    assert readback.check(doc, fmt, path) == []


def test_the_outline_shows_labels_and_numbers(doc: m.Document) -> None:
    lines = outline.render(outline.outline_of(doc))
    assert "heading 2: 1 Introduction" in lines and "heading 3: 2.1 Detail" in lines
    assert "figure: Figure 1: A gradient from light to dark" in lines
    assert "table: Table 1: Sales by region" in lines
    assert "heading 2: Appendix" in lines
    plain = outline.render(outline.outline_of(doc, labels=False))
    assert "heading 2: Introduction" in plain and "table: Sales by region" in plain


def test_html_captions_ids_and_numbers(doc: m.Document, tmp_path: Path) -> None:
    html = build(doc, "html", tmp_path).read_text(encoding="utf-8")
    assert '<h2 id="sec-intro"><span class="header-section-number">1</span> Introduction</h2>' in html
    assert re.search(r'<figure id="fig-gradient">\s*<img [^>]*style="width: 50%"', html)
    assert '<figcaption><span class="caption-label">Figure&nbsp;1</span>: A gradient' in html.replace(
        "\u00a0", "&nbsp;"
    )
    assert '<table id="tbl-sales">' in html
    assert '<caption><span class="caption-label">Table\u00a01</span>: Sales by region</caption>' in html
    assert '<a href="#fig-gradient">Figure\u00a01</a>' in html
    assert '<a href="#sec-detail">2.1</a>' in html


def test_epub_links_reach_figures_and_tables_across_files(doc: m.Document, tmp_path: Path) -> None:
    path = build(doc, "epub", tmp_path)
    with zipfile.ZipFile(path) as z:
        pages = {n: z.read(n).decode() for n in z.namelist() if n.endswith(".xhtml") and "nav" not in n}
    ids = {i: n for n, text in pages.items() for i in re.findall(r'\sid="([^"]+)"', text)}
    for text in pages.values():
        for href in re.findall(r'href="([^"]*#(?:fig|tbl|sec)-[^"]+)"', text):
            file, _, fragment = href.partition("#")
            assert fragment in ids
            assert not file or Path(ids[fragment]).name == Path(file).name


def test_docx_captions_are_seq_fields_in_bookmarks(doc: m.Document, tmp_path: Path) -> None:
    path = build(doc, "docx", tmp_path)
    with zipfile.ZipFile(path) as z:
        xml = z.read("word/document.xml").decode()
    assert re.search(
        r'<w:bookmarkStart w:id="\d+" w:name="fig-gradient"/><w:fldSimple w:instr=" SEQ Figure \\\* ARABIC ">'
        r"<w:r>(?:<w:rPr>.*?</w:rPr>)?<w:t[^>]*>1</w:t></w:r></w:fldSimple><w:bookmarkEnd",
        xml,
    )
    assert 'w:instr=" SEQ Table \\* ARABIC "' in xml
    table_caption = xml.index('w:name="tbl-sales"')
    assert xml.rfind("TableCaption", 0, table_caption) > xml.rfind("<w:tbl>", 0, table_caption)  # before its table
    assert '<w:hyperlink w:anchor="fig-gradient"' in xml
    assert re.search(r'w:name="sec-detail"/>.*?<w:t xml:space="preserve">2\.1 </w:t>', xml)


# ---------------------------------------------------------------- the source checks


def test_source_checks_accept_cross_references(doc: m.Document) -> None:
    from publish.check.sourcewords import check_words
    from publish.options import Options

    source = FIXTURE
    assert check_words(doc, source, Options()).details == []
    assert pandoc_check.check_pandoc(doc, source, Options()).details == []


def test_the_pandoc_check_still_sees_a_wrong_number(doc: m.Document) -> None:
    import dataclasses

    from publish import transforms
    from publish.options import Options

    def renumber(node: m.Block | m.Inline) -> m.Block | m.Inline:  # type: ignore[return]
        if isinstance(node, m.Link) and node.url == "#tbl-sales":
            return dataclasses.replace(node, content=(m.Text("Table 9"),))
        return node

    broken = transforms.rewrite(doc, renumber)  # type: ignore[arg-type]
    result = pandoc_check.check_pandoc(broken, FIXTURE, Options())
    assert any("Table 9" in line for line in result.details)


# ---------------------------------------------------------------- books


BOOK = """[books.guide]
title = "Guide"
lang = "en"
number-sections = true
chapters = ["ch/one.md", "ch/two.md"]
"""


def make_book(tmp_path: Path, two: str = "") -> Path:
    (tmp_path / "ch").mkdir(parents=True)
    (tmp_path / "ch" / "gradient.png").write_bytes((FIXTURES / "images" / "gradient.png").read_bytes())
    write(tmp_path, "publish.toml", BOOK)
    write(
        tmp_path,
        "ch/one.md",
        "# One\n\n## Start {#sec-start}\n\nText.\n\n![First](gradient.png){#fig-a}\n\n"
        "See @fig-a and @fig-b, and @sec-later.\n",
    )
    write(
        tmp_path,
        "ch/two.md",
        "# Two\n\n![Second](gradient.png){#fig-b}\n\n## Later {#sec-later}\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n"
        ": A table {#tbl-t}\n\nBack to @fig-a, @tbl-t and @sec-start." + two + "\n",
    )
    return tmp_path


def load_book(root: Path) -> m.Document:
    from publish import api, project
    from publish.options import Options

    found = project.load(root)
    assert found is not None
    options = Options(content_root=root.resolve(), defaults=found.defaults, project_file=found.file)
    return api.load_source(found.books[0], options)


def test_a_book_numbers_per_chapter_and_refers_across_chapters(tmp_path: Path) -> None:
    doc = load_book(make_book(tmp_path))
    assert numbered(doc) == {
        "one": "1",
        "sec-start": "1.1",
        "fig-a": "1.1",
        "two": "2",
        "fig-b": "2.1",
        "sec-later": "2.1",
        "tbl-t": "2.1",
    }
    found = links(doc)
    assert ("Figure\u00a02.1", "#fig-b") in found and ("Figure\u00a01.1", "#fig-a") in found
    assert ("Section\u00a01.1", "#sec-start") in found and ("Table\u00a02.1", "#tbl-t") in found


def test_a_chapter_is_referred_to_by_the_label_on_its_heading(tmp_path: Path) -> None:
    root = make_book(tmp_path, two=" And [-@sec-one], @sec-two.")
    one = (root / "ch" / "one.md").read_text(encoding="utf-8")
    (root / "ch" / "one.md").write_text(one.replace("# One\n", "# One {#sec-one}\n"), encoding="utf-8")
    two = (root / "ch" / "two.md").read_text(encoding="utf-8")
    (root / "ch" / "two.md").write_text(two.replace("# Two\n", "# Two {#sec-two}\n"), encoding="utf-8")
    found = links(load_book(root))
    assert ("1", "#one") in found and ("Section\u00a02", "#two") in found


def test_a_book_reports_an_unknown_reference_in_its_chapter(tmp_path: Path) -> None:
    root = make_book(tmp_path, two="\n\nAnd @fig-missing.")
    with pytest.raises(PublishError) as caught:
        load_book(root)
    assert f"{root / 'ch' / 'two.md'}:15: unknown cross-reference @fig-missing" in str(caught.value)


def test_dump_has_no_cite(doc: m.Document) -> None:
    from publish import serialize

    assert "Cite" not in serialize.dumps(doc) and '"number": "2.1"' in serialize.dumps(doc)


def test_equations_are_numbered_and_referred_to() -> None:
    from publish.errors import Diagnostics

    eq = m.Math("a=b", display=True, attr=m.Attr(id="eq-ab"))
    other = m.Math("c", display=True)  # no label: no number
    refs = m.Cite((m.CiteItem("eq-ab", "normal"),), "[@eq-ab]", 3)
    suppressed = m.Cite((m.CiteItem("eq:ab", "suppress-author"),), "[-@eq:ab]", 3)
    doc = m.Document(m.Metadata(title="E", lang="fr"), (m.Paragraph((eq, other)), m.Paragraph((refs, suppressed))))
    diagnostics = Diagnostics(None)
    resolved = crossref.resolve(doc, diagnostics)
    assert diagnostics.errors == []
    maths = [n for n in walk(resolved.blocks) if isinstance(n, m.Math)]
    assert [x.number for x in maths] == ["1", ""]
    assert links(resolved) == [("Équation\u00a01", "#eq-ab"), ("1", "#eq-ab")]


def test_a_written_link_reaches_a_table_or_a_figure(tmp_path: Path) -> None:
    (tmp_path / "g.png").write_bytes((FIXTURES / "images" / "gradient.png").read_bytes())
    text = (
        "---\ntitle: L\n---\n\n![G](g.png){#fig:g}\n\n| a |\n|---|\n| 1 |\n\n: T {#tbl-t}\n\n"
        "[the table](#tbl-t), [the figure](#fig:g)\n"
    )
    doc = publish.load(write(tmp_path, "l.md", text))
    assert [url for _, url in links(doc)] == ["#tbl-t", "#fig-g"]


@pytest.mark.slow
@pytest.mark.external
def test_pdf_references_are_internal_links(doc: m.Document, tmp_path: Path) -> None:
    import pikepdf

    path = build(doc, "pdf", tmp_path)
    with pikepdf.open(path) as pdf:
        names = set(pikepdf.NameTree(pdf.Root.Names.Dests).keys())
        dests = [
            str(a.get("/Dest") or a.get("/A", {}).get("/D"))
            for page in pdf.pages
            for a in page.get("/Annots", [])
            if a.get("/Subtype") == "/Link"
        ]
    assert {"fig-gradient", "fig-second", "tbl-sales", "tbl-costs", "sec-detail"} <= names
    assert dests.count("fig-gradient") >= 5 and set(dests) <= names


@pytest.mark.parametrize("text", ["[" * 20000, "[@a " * 5000, "@a [" * 5000, "[x " * 10000 + "]"])
def test_many_brackets_cost_linear_time(text: str) -> None:
    import time

    from publish import markdown

    started = time.monotonic()
    markdown.parser("en").parse(text)
    assert time.monotonic() - started < 10  # a minute each when every bracket was scanned to the end


def test_a_book_epub_links_across_chapter_files(tmp_path: Path) -> None:
    doc = load_book(make_book(tmp_path / "book"))
    path = publish.build(doc, "epub", tmp_path / "out" / "guide.epub")
    with zipfile.ZipFile(path) as z:
        one = z.read("EPUB/chapter-01.xhtml").decode()
        two = z.read("EPUB/chapter-02.xhtml").decode()
    assert '<a href="chapter-02.xhtml#fig-b">Figure\u00a02.1</a>' in one
    assert '<a href="chapter-01.xhtml#fig-a">Figure\u00a01.1</a>' in two
    assert 'id="fig-b"' in two and 'id="tbl-t"' in two
    assert '<span class="header-section-number">2.1</span> Later' in two


# ---------------------------------------------------------------- real documents' cases


def test_a_figure_whose_image_is_missing_keeps_its_label_and_number(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # pandoc-crossref's demo refers to figures whose images the reader does not have
    (tmp_path / "x.png").write_bytes((FIXTURES / "images" / "gradient.png").read_bytes())
    path = write(
        tmp_path,
        "lost.md",
        "---\ntitle: L\n---\n\nSee @fig:lost, [-@fig-here].\n\n![Lost one](nope.png){#fig:lost}\n\n"
        "![Here](x.png){#fig-here}\n",
    )
    doc = publish.load(path)
    assert links(doc) == [("Figure\u00a01", "#fig-lost"), ("2", "#fig-here")]
    lost = next(n for n in walk(doc.blocks) if isinstance(n, m.Div))
    assert lost.attr.id == "fig-lost" and isinstance(lost.blocks[0], m.Paragraph)
    assert f"{path}:7" in caplog.text and "not found" in caplog.text
    from publish.check.report import PASS
    from publish.options import Options

    assert pandoc_check.check_pandoc(doc, path, Options()).status == PASS


def test_a_reference_to_a_div_of_a_label_is_kept_as_written_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (tmp_path / "x.png").write_bytes((FIXTURES / "images" / "gradient.png").read_bytes())
    path = write(
        tmp_path,
        "panel.md",
        "---\ntitle: P\n---\n\n::: {#fig-panel}\n![A](x.png){#fig-a}\n\nPanel\n:::\n\nSee @fig-panel and @fig-a.\n",
    )
    doc = publish.load(path)  # not an error: the label names something, a div
    from publish import text as txt

    assert "See @fig-panel and Figure\u00a01." in [
        txt.plain(b.content) for b in doc.blocks if isinstance(b, m.Paragraph)
    ]
    assert f"{path}:11" in caplog.text and "names a div, not a figure" in caplog.text


def test_pandoc_crossrefs_auto_section_labels(tmp_path: Path) -> None:
    text = "## Wrapping div\n\nSee @sec:wrapping-div.\n"
    path = write(tmp_path, "auto.md", "---\ntitle: A\nautoSectionLabels: True\n---\n\n" + text)
    assert links(publish.load(path)) == [("Wrapping div", "#wrapping-div")]
    with pytest.raises(PublishError, match="unknown cross-reference @sec:wrapping-div"):
        publish.load(write(tmp_path, "plain.md", "---\ntitle: P\n---\n\n" + text))


def test_a_reference_to_a_quarto_cells_output_is_kept_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    cell = "```{python}\n#| label: fig-plot\n#| fig-cap: A plot\nplot()\n```\n"
    path = write(tmp_path, "cell.md", f"---\ntitle: C\n---\n\n@fig-plot shows it.\n\n{cell}")
    doc = publish.load(path)  # the cell is not run: no figure, but no error
    from publish import text as txt
    from publish.check.report import PASS
    from publish.options import Options

    assert txt.plain(doc.blocks[0].content) == "@fig-plot shows it."  # type: ignore[union-attr]
    assert f"{path}:5" in caplog.text and "code cell, which is not run" in caplog.text
    assert pandoc_check.check_pandoc(doc, path, Options()).status == PASS  # pandoc: the cell is inline code
    with pytest.raises(PublishError, match="unknown cross-reference @fig-plot"):
        publish.load(write(tmp_path, "none.md", "---\ntitle: N\n---\n\nSee @fig-plot.\n\n```python\nplot()\n```\n"))


def test_the_pandoc_check_reads_cells_as_code_but_not_inside_another_fence(tmp_path: Path) -> None:
    from publish.check.report import PASS
    from publish.options import Options

    text = (
        "```{python}\n#| label: tbl-x\n\nimport x\n```\n\n"  # a blank line inside the cell
        '~~~markdown\nSee @fig-cars\n\n```{r cars, fig.cap="A"}\nplot(cars)\n```\n~~~\n'  # a cell shown as code
    )
    path = write(tmp_path, "cells.md", "---\ntitle: C\n---\n\n" + text)
    assert pandoc_check.check_pandoc(publish.load(path), path, Options()).status == PASS
    assert "```{r cars" in pandoc_check._cells_as_fences(text) and "```python" in pandoc_check._cells_as_fences(text)
