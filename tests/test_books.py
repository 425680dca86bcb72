"""Books: chapters listed in publish.toml become one edition per format, faithful to the
chapters, with a table of contents over all of them and links between them that work."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import lxml.html
import pytest
from lxml import etree

from publish import check, cli, layout, project, readback, text, walk
from publish import model as m
from publish.options import Options
from tests.conftest import ROOT, write

BOOK = ROOT / "tests" / "books" / "field-guide"
FORMATS = ("html", "pdf", "epub", "docx")
CHAPTERS = ("Introduction", "Methods", "Results")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A copy of the book's content folder and the editions built from it."""
    root = tmp_path_factory.mktemp("book")
    content = root / "content"
    shutil.copytree(BOOK, content)
    out = root / "output"
    assert cli.main(["all", "-q", "--content", str(content), "--out", str(out), "-j", "1"]) == 0
    return content, out


def _book(content: Path) -> tuple[layout.Book, m.Document, Options]:
    found = project.load(content)
    assert found is not None
    options = Options(content_root=content.resolve(), defaults=found.defaults, project_file=found.file)
    from publish import api

    book = found.books[0]
    return book, api.load_source(book, options), options


@pytest.mark.slow
def test_a_book_is_one_edition_per_format_and_its_chapters_are_not_documents(built: tuple[Path, Path]) -> None:
    _, out = built
    assert sorted(p.name for p in out.iterdir() if p.is_dir()) == ["essay", "field-guide"]
    names = {p.name for p in (out / "field-guide").iterdir()}
    assert {f"field-guide.{fmt}" for fmt in FORMATS} <= names
    assert {"introduction.html", "methods.html", "results.html"} <= names


@pytest.mark.slow
def test_the_model_has_chapters_sections_unique_ids_and_internal_links(built: tuple[Path, Path]) -> None:
    content, _ = built
    _, doc, _ = _book(content)
    assert doc.slug == "field-guide" and doc.meta.title == "A Field Guide to Publishing Once"
    assert doc.meta.lang == "en-GB" and doc.meta.rights == "CC BY 4.0"  # [defaults] apply to books
    assert [c.id for c in doc.chapters] == ["introduction", "methods", "results"]
    headings = [(h.level, h.attr.id) for h in doc.blocks if isinstance(h, m.Heading)]
    assert headings == [
        (1, "introduction"),
        (2, "why-one-source"),
        (1, "methods"),
        (2, "sampling-the-catalogue"),
        (2, "why-one-source-1"),  # the same heading text in another chapter
        (1, "results"),
        (2, "summary"),
    ]
    links = [n.url for n in _walk(doc) if isinstance(n, m.Link)]
    assert links == [
        "#sampling-the-catalogue",
        "#results",
        "#introduction",
        "#summary",
        "#why-one-source",
        "#why-one-source-1",
    ]
    assert [n.number for n in _walk(doc) if isinstance(n, m.Note)] == [1, 2, 3]  # numbered across the book
    images = [n.src for n in _walk(doc) if isinstance(n, m.Image)]
    assert images == ["chapters/images/gradient.png"]  # relative to the content folder


def _walk(doc: m.Document) -> list[object]:

    return list(walk.walk(doc.blocks))


@pytest.mark.slow
@pytest.mark.parametrize("fmt", [pytest.param(f, marks=pytest.mark.external) if f == "pdf" else f for f in FORMATS])
def test_every_edition_of_the_book_equals_the_model_and_its_links_resolve(built: tuple[Path, Path], fmt: str) -> None:
    content, out = built
    _, doc, options = _book(content)
    assert readback.check(doc, fmt, out / "field-guide" / f"field-guide.{fmt}", options) == []


@pytest.mark.slow
@pytest.mark.external
def test_publish_check_passes_on_the_book(built: tuple[Path, Path]) -> None:
    content, out = built
    book, _, options = _book(content)
    report = check.run([book], out, options)
    failed = [(r.label, r.details) for d in report.documents for r in d.results if r.status == check.FAIL]
    assert failed == []
    assert {r.check for d in report.documents for r in d.results} >= {"structure", "metadata", "languages"}


@pytest.mark.slow
@pytest.mark.external
def test_the_pdf_has_a_contents_page_over_every_chapter_and_each_chapter_starts_a_page(
    built: tuple[Path, Path],
) -> None:
    _, out = built
    pdf = out / "field-guide" / "field-guide.pdf"
    pages = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True)
    texts = pages.stdout.split("\f")
    contents = texts[0]
    for title in (*CHAPTERS, "Why one source", "Sampling the catalogue", "Summary"):
        assert re.search(rf"{title} *(?:\. )+\.? *\d+", contents), title
    numbers = {t: int(re.search(rf"^\s*{t} [. ]+(\d+)", contents, re.M).group(1)) for t in CHAPTERS}  # type: ignore[union-attr]
    for title, page in numbers.items():
        body = [line.strip() for line in texts[page - 1].splitlines() if line.strip()]
        assert body[0] == title  # the chapter opens its page, with no running head over it
    assert numbers["Introduction"] < numbers["Methods"] < numbers["Results"]


@pytest.mark.slow
def test_the_epub_has_a_file_per_chapter_and_a_nav_over_all(built: tuple[Path, Path]) -> None:
    _, out = built
    with zipfile.ZipFile(out / "field-guide" / "field-guide.epub") as z:
        nav = etree.fromstring(z.read("EPUB/nav.xhtml"))
        hrefs = [a.get("href") for a in nav.iter("{http://www.w3.org/1999/xhtml}a") if a.get("href")]
        chapters = sorted(n for n in z.namelist() if re.match(r"EPUB/chapter-\d+\.xhtml", n))
        assert len(chapters) == 3
        for index, name in enumerate(chapters):
            page = etree.fromstring(z.read(name))
            h1 = [el for el in page.iter("{http://www.w3.org/1999/xhtml}h1") if "chapter" in (el.get("class") or "")]
            assert [("".join(h.itertext())) for h in h1] == [CHAPTERS[index]]
        results = z.read("EPUB/chapter-03.xhtml").decode()
        assert 'href="chapter-01.xhtml#why-one-source"' in results
        assert 'href="chapter-02.xhtml#why-one-source-1"' in results
    assert "chapter-02.xhtml#sampling-the-catalogue" in hrefs and "chapter-03.xhtml#summary" in hrefs


@pytest.mark.slow
def test_the_docx_starts_each_chapter_on_a_page_and_links_to_bookmarks(built: tuple[Path, Path]) -> None:
    _, out = built
    document = docx.Document(str(out / "field-guide" / "field-guide.docx"))
    chapters = [p for p in document.paragraphs if p.style is not None and p.style.name == "Heading 1"]
    assert [p.text for p in chapters] == list(CHAPTERS)
    body = document.element.body
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    # Each chapter starts a section (whose first page has no running head), so a page; the
    # section before it ends in the paragraph before it.
    for p in chapters:
        before = p._p.getprevious()
        ending = before.find(f"{w}pPr/{w}sectPr") if before is not None else None
        assert ending is not None and ending.find(f"{w}type") is None  # the default type: a new page
    anchors = {link.get(f"{w}anchor") for link in body.iter(f"{w}hyperlink")} - {None}
    assert {"sampling-the-catalogue", "results", "summary", "why-one-source", "why-one-source-1"} <= anchors


@pytest.mark.slow
def test_the_web_edition_is_a_site_with_an_index_and_prev_next_links(built: tuple[Path, Path]) -> None:
    _, out = built
    site = out / "field-guide"
    index = lxml.html.fromstring((site / "field-guide.html").read_bytes())
    toc = [a.get("href") for a in index.xpath('//nav[contains(@class, "toc")]//a')]
    assert toc[:2] == ["introduction.html#introduction", "introduction.html#why-one-source"]
    assert "methods.html#why-one-source-1" in toc
    order = ["field-guide.html", "introduction.html", "methods.html", "results.html"]
    for number, name in enumerate(order[1:], 1):
        page = lxml.html.fromstring((site / name).read_bytes())
        assert page.xpath('//a[@class="site-title"]')[0].get("href") == "field-guide.html"
        assert [a.get("href") for a in page.xpath('//nav[@class="pager"]/a[@rel="prev"]')] == [order[number - 1]]
        following = order[number + 1 : number + 2]
        assert [a.get("href") for a in page.xpath('//nav[@class="pager"]/a[@rel="next"]')] == following
        assert page.findtext(".//title") == f"{CHAPTERS[number - 1]} – A Field Guide to Publishing Once"
    introduction = (site / "introduction.html").read_text(encoding="utf-8")
    assert (
        'href="methods.html#sampling-the-catalogue"' in introduction and 'href="results.html#results"' in introduction
    )
    methods = (site / "methods.html").read_text(encoding="utf-8")
    assert '<ol start="2">' in methods and 'id="fn2"' in methods  # the book's note numbers, per page


@pytest.mark.slow
def test_a_broken_site_is_caught(built: tuple[Path, Path], tmp_path: Path) -> None:
    content, out = built
    _, doc, options = _book(content)
    site = tmp_path / "field-guide"
    shutil.copytree(out / "field-guide", site)
    first = site / "field-guide.html"
    methods = site / "methods.html"
    methods.write_text(methods.read_text(encoding="utf-8").replace("results.html#summary", "results.html#nowhere"))
    problems = readback.check(doc, "html", first, options)
    assert problems == ["methods.html: link to results.html#nowhere: results.html has no element with that id"]
    (site / "results.html").unlink()  # a page the contents link to is gone
    problems = readback.check(doc, "html", first, options)
    assert "+++ field-guide.html" in problems and "-heading 1: Results" in problems
    assert "field-guide.html: link to results.html#results: no such page in the edition" in problems


# ---------------------------------------------------------------- errors, incremental builds


def _small_book(tmp_path: Path, intro: str = "# One\n\nSee [two](two.md#part).\n") -> Path:
    content = tmp_path / "content"
    write(content, "publish.toml", '[books.small]\ntitle = "Small"\nchapters = ["one.md", "two.md"]\n')
    write(content, "one.md", intro)
    write(content, "two.md", "# Two\n\n## Part\n\nText.\n")
    write(content, "alone.md", "---\ntitle: Alone\n---\n\nText.\n")
    return content


def test_a_chapters_implicit_header_references_link_within_it(tmp_path: Path) -> None:
    """``[text][Heading as written]`` in a chapter links to its section, and one to the
    heading that became the chapter's title to the chapter."""
    intro = "# First Things\n\n## The `x` part\n\nSee [the part][The `x` part] and [First Things].\n"
    _, doc, _ = _book(_small_book(tmp_path, intro))
    para = next(b for b in doc.blocks if isinstance(b, m.Paragraph) and "See" in text.plain(b.content))
    links = [n for n in para.content if isinstance(n, m.Link)]
    assert [link.url for link in links] == ["#the-x-part", "#one"]  # the chapter's id: its file's name
    headings = [b for b in doc.blocks if isinstance(b, m.Heading)]
    assert all(not any(k.startswith("publish-") for k, _ in h.attr.values) for h in headings)


@pytest.mark.parametrize(
    ("intro", "message"),
    [
        ("# One\n\nSee [three](three.md).\n", "one.md:3: link to three.md, which is not a chapter of the book 'small'"),
        ("# One\n\nSee [two](two.md#nowhere).\n", "one.md:3: link to #nowhere in two.md, which has no such"),
        ("# One\n\nSee [above](#above).\n", "one.md:3: link to #above: this chapter has no such heading"),
        ("No title.\n", "one.md:1: a chapter needs a title"),
        ("---\ntitle: One\nlang: fr\n---\n\nText.\n", "one.md:3: a chapter's front matter gives only its title"),
        ("# One\n\n# Part\n\n###### Six\n\nText.\n", "one.md:5: this chapter uses '#' for its sections"),
    ],
)
def test_a_bad_chapter_fails_its_book_at_its_line_and_the_rest_builds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], intro: str, message: str
) -> None:
    content = _small_book(tmp_path, intro)
    monkeypatch.chdir(tmp_path)
    assert cli.main(["html", "-q"]) == 1
    err = capsys.readouterr().err
    assert f"error: content/{message}" in err
    assert (tmp_path / "output" / "alone" / "alone.html").is_file()
    assert not (tmp_path / "output" / "small").exists()
    assert not list(content.rglob("*.part"))


def test_a_missing_chapter_is_an_error_at_its_line_in_publish_toml(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    content = _small_book(tmp_path)
    (content / "two.md").unlink()
    monkeypatch.chdir(tmp_path)
    assert cli.main(["html", "-q"]) == 1
    assert (
        "error: content/publish.toml:3: [books.small] chapter content/two.md does not exist" in capsys.readouterr().err
    )
    assert (tmp_path / "output" / "alone" / "alone.html").is_file()


def test_a_book_rebuilds_when_a_chapter_changes_and_only_then(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    content = _small_book(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert cli.main(["html", "-q"]) == 0
    assert cli.main(["html"]) == 0
    assert "2 edition(s) up to date" in capsys.readouterr().out  # the fast no-op check knows books
    (content / "two.md").write_text("# Two\n\n## Part\n\nNew text.\n", encoding="utf-8")
    assert cli.main(["html", "-v"]) == 0
    out = capsys.readouterr().out
    assert "small.html" in out and "wrote output/alone" not in out
    assert "New text." in (tmp_path / "output" / "small" / "two.html").read_text(encoding="utf-8")


def test_a_chapter_page_removed_or_edited_by_hand_is_written_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _small_book(tmp_path)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # the same page, byte for byte
    assert cli.main(["html", "-q"]) == 0
    page = tmp_path / "output" / "small" / "two.html"
    built = page.read_text(encoding="utf-8")
    page.unlink()
    assert cli.main(["html", "-q"]) == 0
    assert page.read_text(encoding="utf-8") == built
    page.write_text("edited by hand", encoding="utf-8")
    assert cli.main(["html", "-q"]) == 0
    assert page.read_text(encoding="utf-8") == built
    assert cli.main(["html"]) == 0
    assert "2 edition(s) up to date" in capsys.readouterr().out


def test_naming_a_chapter_or_a_book_builds_the_book(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _small_book(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert cli.main(["html", "-q", "content/two.md"]) == 0
    assert sorted(p.name for p in (tmp_path / "output").iterdir() if p.is_dir()) == ["small"]
    shutil.rmtree(tmp_path / "output")
    assert cli.main(["html", "-q", "small"]) == 0
    assert (tmp_path / "output" / "small" / "small.html").is_file()


def test_a_chapter_taken_out_of_the_book_loses_its_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    content = _small_book(tmp_path, "# One\n\nText.\n")
    write(content, "two.md", "---\ntitle: Two\n---\n\n## Part\n\nText.\n")  # a title either way
    monkeypatch.chdir(tmp_path)
    assert cli.main(["html", "-q"]) == 0
    assert (tmp_path / "output" / "small" / "two.html").is_file()
    (content / "publish.toml").write_text('[books.small]\ntitle = "Small"\nchapters = ["one.md"]\n')
    assert cli.main(["html", "-q"]) == 0
    assert not (tmp_path / "output" / "small" / "two.html").exists()
    assert (tmp_path / "output" / "two" / "two.html").is_file()  # a document of its own now


def test_new_book_writes_chapters_and_its_table_and_it_builds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    content = tmp_path / "content"
    write(content, "publish.toml", '[defaults]\nrights = "CC BY 4.0"\n')
    monkeypatch.chdir(tmp_path)
    assert cli.main(["new", "Field Notes", "--book", "--chapters", "2", "--lang", "fr"]) == 0
    assert sorted(p.name for p in (content / "field-notes").iterdir()) == ["chapter-1.md", "chapter-2.md"]
    found = project.load(content)
    assert found is not None and found.defaults == {"rights": "CC BY 4.0"}  # the file was added to
    assert [b.name for b in found.books] == ["field-notes"]
    assert cli.main(["html", "-q"]) == 0
    _, doc, options = _book(content)
    assert doc.meta.lang == "fr" and [c.id for c in doc.chapters] == ["chapter-1", "chapter-2"]
    assert readback.check(doc, "html", tmp_path / "output" / "field-notes" / "field-notes.html", options) == []
    assert cli.main(["new", "Field Notes", "--book"]) == 1  # never overwritten
    assert "already exists" in capsys.readouterr().err


def test_dump_prints_a_book_by_its_name_or_a_chapter(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    _small_book(tmp_path)
    monkeypatch.chdir(tmp_path)
    for name in ("small", "content/one.md"):
        assert cli.main(["dump", name]) == 0
        data = json.loads(capsys.readouterr().out)
        assert data["name"] == "small" and [c["id"] for c in data["chapters"]] == ["one", "two"]
