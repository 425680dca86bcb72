"""A long PDF laid out in parts and merged (publish.writers.pdfparts, pdfassemble, pdfmerge):
the cut, the parts' pages, and the merged file read back — one tag tree, page numbers and
running heads continuous, the contents' page numbers true, bookmarks nested across parts,
links between parts, notes numbered on — and the parts kept from build to build."""

from __future__ import annotations

import concurrent.futures
import dataclasses
import logging
import re
import subprocess
import threading
import time
from pathlib import Path

import pikepdf
import pytest

from publish import api, resources
from publish.check import editions
from publish.check import pdf as pdfcheck
from publish.options import Options
from publish.writers import pdf, pdfassemble, pdfmerge, pdfparts

HEAD = '<html><head><meta name="dcterms.modified" content="2026-01-01T00:00:00Z" />\n<style>{css}</style></head>'
HOUSE = (
    "@page { @bottom-center { content: counter(page); } } "
    "nav.toc a::after { content: target-counter(attr(href url), page); }"
)


def page(body: str, css: str = HOUSE) -> str:
    return HEAD.format(css=css) + f"<body><main><article>{body}</article></main></body></html>"


def test_the_page_is_cut_at_the_top_level_sections():
    body = (
        '<header class="title-block"><h1 class="title">T</h1></header><nav><a href="#b">B</a></nav>'
        '<section id="a"><h2>A</h2><section id="a1"><h3>A1</h3></section></section>between'
        '<section id="b"><h2>B</h2></section>'
    )
    cut = pdfparts.split(page(body))
    assert cut is not None
    assert cut.front.startswith('<header class="title-block">') and cut.front.endswith("</nav>")
    assert cut.parts == (
        '<section id="a"><h2>A</h2><section id="a1"><h3>A1</h3></section></section>between',
        '<section id="b"><h2>B</h2></section>',
    )
    assert cut.ids(cut.parts[0]) == {"a", "a1"}
    assert pdfparts.split(page("<section><section></section>")) is None  # unbalanced
    assert pdfparts.split(page("<p>no section</p>")) is None


def test_a_part_links_out_numbers_its_notes_on_and_draws_no_margin_box():
    body = (
        '<section id="a"><p><a href="#b">to b</a> <a href="#a">here</a><span class="footnote">n</span></p></section>'
        '<section id="b"></section>'
    )
    cut = pdfparts.split(page(body))
    assert cut is not None
    first = pdfparts.part_page(cut, 0, 7)
    assert '<a href="publish-part:b">to b</a>' in first and '<a href="#a">here</a>' in first
    assert "counter-reset: footnote 7" in first
    assert "@bottom-center { content: none !important; }" in first
    assert "dcterms.modified" not in first  # the build time would change every part's key
    assert pdfparts.notes_before(cut) == [0, 1]
    front = pdfparts.front_page(pdfparts.split(page('<nav><a href="#b">B</a></nav>' + body)), {"b": 12})  # type: ignore[arg-type]
    assert '<a data-publish-page="12" href="publish-part:b">B</a>' in front
    assert "content: attr(data-publish-page)" in front and "target-counter" not in front
    assert "dcterms.modified" not in front  # the merged file gets the build time (pdfmerge.merge)
    assert pdfparts.part_link("publish-part:%E4%B8%AD") == "中"


def test_the_pool_gets_its_first_tasks_before_this_process_lays_anything_out(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The pool forks its workers at its first task; were that done while this process's own
    layout held fontconfig's lock, a worker would wait for it for ever (a build that hung)."""
    events: list[str] = []
    here = threading.get_ident()

    def lay_out(task: pdfassemble.Task) -> str:
        events.append("here" if threading.get_ident() == here else "pool")
        return task.markup

    class Pool(concurrent.futures.ThreadPoolExecutor):
        def submit(self, fn, /, *args, **kwargs):  # type: ignore[no-untyped-def]
            time.sleep(0.05)  # a fork takes a while: this process must not lay out meanwhile
            events.append("submit")
            return super().submit(fn, *args, **kwargs)

    monkeypatch.setattr(pdfassemble, "lay_out", lay_out)
    tasks = [pdfassemble.Task(f"part {n}", "", None, None, 1.0) for n in range(6)]  # type: ignore[arg-type]
    with Pool(max_workers=1) as pool:
        outcomes = pdfassemble._shared(pool, 1, tasks, list(range(6)))
    assert events[0] == "submit" and sorted(outcomes) == list(range(6))
    assert outcomes == {n: f"part {n}" for n in range(6)}


def test_a_front_laid_out_for_its_page_count_is_not_drawn(tmp_path: Path) -> None:
    """A first build lays the front out with stand-in numbers only to count its pages: no PDF
    is written for it (which costs as much as its layout), and nothing is kept of it."""
    body = '<nav class="toc"><a href="#b">B</a></nav>' + "<p>Text of the front, long enough.</p>" * 60
    resolver = resources.Resolver.for_document(tmp_path / "doc.md", None)
    task = pdfassemble.Task(page(body), tmp_path.as_uri() + "/", resolver, "pdf/ua-1", 60.0, drawn=False)
    counted = pdfassemble.lay_out(task).laid
    drawn = pdfassemble.lay_out(dataclasses.replace(task, drawn=True)).laid
    assert counted.pdf == b"" and drawn.pdf.startswith(b"%PDF")
    assert (counted.pages, counted.anchors) == (drawn.pages, drawn.anchors) and counted.pages > 1
    store = pdfassemble._Store(tmp_path / "out" / "doc.pdf", "code")
    with pdfassemble._Layouts(store) as layouts:
        layouts.run([task])
    assert not store.folder.exists() and store.key(task) != store.key(dataclasses.replace(task, drawn=True))


@pytest.mark.parametrize(
    ("css", "why"),
    [
        ("@page :left { margin-left: 3cm }", "@page :left"),
        ("@page { @bottom-right { content: counter(page) ' of ' counter(pages) } }", "counts the pages"),
        ("h2 { string-set: chapter content() }", "running string from h2"),
        ("a::after { content: target-text(attr(href url)) }", "quotes its targets"),
    ],
)
def test_a_theme_that_pages_depend_on_more_is_laid_out_whole(css, why):
    assert pdfparts.unsafe_theme(page("<section></section>", HOUSE)) is None
    reason = pdfparts.unsafe_theme(page("<section></section>", HOUSE + css))
    assert reason is not None and why in reason
    linked = page("<section></section>").replace("</head>", '<link rel="stylesheet" href="x.css"></head>')
    assert pdfparts.unsafe_theme(linked) == "the theme links a stylesheet"


def test_the_stamp_is_cut_at_whole_parts():
    assert pdfassemble._chunks([3, 10, 10, 1, 10], 2) == [(0, 3), (3, 5)]
    assert pdfassemble._chunks([5], 2) == [(0, 1)]
    assert pdfassemble._chunks([1, 1, 1, 1], 1) == [(0, 4)]


def test_bookmarks_nest_across_parts_by_their_levels():
    marks = [
        pdfmerge._Mark(t, None, False, level)
        for t, level in [("T", 1), ("A", 2), ("A1", 3), ("B", 2), ("C", 4), ("D", 1)]
    ]
    tree = pdfmerge._nest(marks)
    assert [m.title for m in tree] == ["T", "D"]
    assert [m.title for m in tree[0].children] == ["A", "B"]
    assert [m.title for m in tree[0].children[1].children] == ["C"]
    assert pdfmerge._visible(tree) == 6


def _source(chapters: int, extra: dict[int, str] | None = None) -> str:
    lines = ["---", "title: A book in parts", "author: Ada Writer", "lang: en", "date: 2025-03-01", "---", ""]
    for n in range(1, chapters + 1):
        lines += [f"## Chapter {n}", ""]
        lines += [
            f"Paragraph {n}.{p} of chapter {n}, " + "with words enough to fill a line or two of the page. " * 6
            for p in range(8)
        ]
        lines += ["", f"A note here.[^n{n}] See [the next chapter](#chapter-{n % chapters + 1}).", ""]
        lines += [f"### Section {n}.1", "", "Text of the section, in [中文]{lang=zh} too.", ""]
        lines += [(extra or {}).get(n, ""), "", f"[^n{n}]: Note of chapter {n}.", ""]
    return "\n".join(lines)


def _build(tmp_path: Path, text: str, caplog: pytest.LogCaptureFixture) -> tuple[Path, str]:
    source = tmp_path / "book.md"
    source.write_text(text, encoding="utf-8")
    doc = api.load(source)
    dest = tmp_path / "out" / "book.pdf"
    caplog.clear()
    with caplog.at_level(logging.DEBUG, logger="publish"):
        pdf.write(doc, Options(pdf_parts="on"), dest)
    said = [r.getMessage() for r in caplog.records if "in parts:" in r.getMessage()]
    assert len(said) == 1, said
    return dest, said[0]


def _pages_text(path: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return text.split("\f")[:-1]


@pytest.mark.slow
@pytest.mark.filterwarnings("error")
def test_a_book_in_parts_reads_back_as_one_pdf(tmp_path, caplog):
    dest, said = _build(tmp_path, _source(5), caplog)
    assert "5 of 5 parts laid out" in said
    doc = api.load(tmp_path / "book.md")
    for check in (
        pdfcheck.check_pdf_tags(doc, dest, Options()),
        editions.check_structure(doc, "pdf", dest, Options()),
        editions.check_metadata(doc, "pdf", dest),
        editions.check_languages(doc, "pdf", dest),
    ):
        assert check.status == "pass", check
    pages = _pages_text(dest)
    with pikepdf.open(dest) as merged:
        assert len(merged.pages) == len(pages)
        index = {page.objgen: n for n, page in enumerate(merged.pages)}
        dests = dict(pikepdf.NameTree(merged.Root.Names.Dests).items())
        # one Document element, every page's and annotation's parent-tree key present
        tree = merged.Root.StructTreeRoot
        assert len(tree.K) == 1 and tree.K[0].S == "/Document"
        keys = {int(k) for k in list(tree.ParentTree.Nums)[::2]}
        used = [int(p.obj.StructParents) for p in merged.pages]
        used += [int(a.StructParent) for p in merged.pages for a in p.obj.get("/Annots", []) if "/StructParent" in a]
        assert len(used) == len(set(used)) and set(used) <= keys and int(tree.ParentTreeNextKey) > max(keys)
        # links between parts point at named destinations that exist
        links = [a for p in merged.pages for a in p.obj.get("/Annots", []) if a.get("/Subtype") == "/Link"]
        assert not [a for a in links if "/A" in a and str(a.A.get("/URI", "")).startswith("publish-part:")]
        for link in links:
            if "/Dest" in link:
                assert str(link.Dest) in dests
        # bookmarks: the title, the chapters under it, each chapter's section under it
        with merged.open_outline() as outline:
            (title,) = outline.root
            assert title.title == "A book in parts"
            assert [c.title for c in title.children] == [f"Chapter {n}" for n in range(1, 6)]
            assert [s.title for s in title.children[2].children] == ["Section 3.1"]
        where = {name: index[target[0].objgen] + 1 for name, target in dests.items()}
    # page numbers continuous in the footer; no running head on a part's first page
    for n, text in enumerate(pages, start=1):
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        assert lines[-1] == str(n), (n, lines[-3:])
    openings = {where[f"chapter-{n}"] for n in range(1, 6)}
    assert pages[0].strip().splitlines()[0].strip() == "A book in parts"  # the title itself, not a running head
    assert pages[0].count("A book in parts") == 1
    for n, text in enumerate(pages[1:], start=2):
        head = text.strip().splitlines()[0].strip()
        assert (head == "A book in parts") == (n not in openings), (n, head)
    # the contents show the page each chapter opens on
    contents = pages[0]
    for n in range(1, 6):
        found = re.search(rf"Chapter {n}\b[ .]*?(\d+)\s*$", contents, re.M)
        assert found and int(found.group(1)) == where[f"chapter-{n}"], n
    # notes numbered on across the parts
    notes = [int(x) for x in re.findall(r"^\s*(\d+)\. Note of chapter", "\n".join(pages), re.M)]
    assert notes == [1, 2, 3, 4, 5]


@pytest.mark.slow
def test_an_edit_lays_out_its_part_alone(tmp_path, caplog):
    dest, said = _build(tmp_path, _source(6), caplog)
    assert "6 of 6 parts laid out" in said
    before = len(_pages_text(dest))
    _, said = _build(tmp_path, _source(6).replace("Paragraph 3.2 of", "Paragraph 3.2, edited, of"), caplog)
    assert "1 of 6 parts laid out, the front and the stamp 0 times" in said
    # a part that grows by pages moves the page numbers after it: the front's contents and
    # the stamp are laid out again, the other parts are not
    more = "\n\n".join(f"More text {n}. " * 40 for n in range(30))
    longer = _source(6, {2: more}).replace("Paragraph 3.2 of", "Paragraph 3.2, edited, of")
    dest, said = _build(tmp_path, longer, caplog)
    assert re.search(r"1 of 6 parts laid out, the front and the stamp [1-9] times", said), said
    pages = _pages_text(dest)
    assert len(pages) > before
    assert all(text.strip().splitlines()[-1].strip() == str(n) for n, text in enumerate(pages, start=1))
    # what the build did not use is gone from the store
    kept = list((dest.parent / pdfassemble.CACHE / "book").glob("*.pdf"))
    assert len(kept) <= 6 + 1 + 2


@pytest.mark.slow
def test_a_theme_that_cannot_be_cut_is_laid_out_whole(tmp_path, caplog):
    theme = tmp_path / "theme" / "pdf"
    theme.mkdir(parents=True)
    house = Path(pdf.__file__).resolve().parents[2] / "templates" / "pdf" / "print.css"
    (theme / "print.css").write_text(house.read_text() + "\n@page :left { margin-left: 30mm; }\n")
    source = tmp_path / "book.md"
    source.write_text(_source(4), encoding="utf-8")
    options = dataclasses.replace(Options(pdf_parts="on"), theme_dirs=(tmp_path / "theme",))
    with caplog.at_level(logging.DEBUG, logger="publish"):
        pdf.write(api.load(source), options, tmp_path / "book.pdf")
    messages = [r.getMessage() for r in caplog.records]
    assert any("laid out whole, not in parts: the theme styles @page :left" in m for m in messages)
    assert not any(" in parts: " in m and "laid out whole" not in m for m in messages)


@pytest.mark.slow
def test_on_a_dask_cluster_the_parts_are_laid_out_by_its_workers(tmp_path):
    from publish import cli
    from tests.test_dask import _cluster, _spec

    content = tmp_path / "content"
    content.mkdir()
    (content / "book.md").write_text(_source(5), encoding="utf-8")
    out = tmp_path / "out"
    with _cluster() as cluster:
        args = ["pdf", "--content", str(content), "--out", str(out), "--executor", _spec(cluster), "--pdf-parts", "on"]
        assert cli.main(args) == 0
    dest = out / "book" / "book.pdf"
    doc = api.load(content / "book.md")
    # the languages in the tag tree: WeasyPrint adapted (publish.writers.pdf) in the workers too
    for check in (pdfcheck.check_pdf_tags(doc, dest, Options()), editions.check_languages(doc, "pdf", dest)):
        assert check.status == "pass", check
    assert len(list((out / "book" / pdfassemble.CACHE / "book").glob("*.pdf"))) == 5 + 1 + 2
