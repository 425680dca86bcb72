"""``publish serve``'s rebuilds, without the server: after an edit they write what a cold
``publish html`` writes, read only what changed, and write an edited chapter's page first."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from publish import api, book, cli, config, serve
from publish.commands import serve as command
from publish.serve import Changes
from tests.conftest import FIXTURES, write

pytestmark = pytest.mark.usefixtures("fixed_time")

CHAPTER_TWO = "# Two\n\n## Part\n\nThe chapter's text.\n\nSee [one](one.md).\n"


@pytest.fixture
def fixed_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # every build stamps the same time


@pytest.fixture
def memo() -> Iterator[book.ChapterMemo]:
    kept = book.ChapterMemo()
    book.remember_chapters(kept)
    yield kept
    book.remember_chapters(None)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    content = tmp_path / "content"
    write(content, "note.md", "---\ntitle: A note\n---\n\nThe first paragraph.\n\n![A figure](images/missing.png)\n")
    write(content, "other.md", "---\ntitle: Another\n---\n\nIts text.\n")
    write(content, "publish.toml", '[books.guide]\ntitle = "Guide"\nchapters = ["one.md", "two.md", "three.md"]\n')
    write(content, "one.md", "# One\n\nSee [two](two.md#part).[^1]\n\n[^1]: A note.\n")
    write(content, "two.md", CHAPTER_TWO)
    write(content, "three.md", "# Three\n\nThe end.[^1]\n\n[^1]: Another note.\n")
    return content


def _given(content: Path, out: Path) -> config.CommandLine:
    return config.CommandLine(content=content, out=out)


def _run(content: Path, out: Path, memo: book.ChapterMemo, changes: Changes | None) -> list[serve.Step]:
    return list(command.build_steps(_given(content, out), memo, changes))


def _edit(path: Path, old: str, new: str) -> Changes:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    return (("modified", path),)


def _files(out: Path) -> dict[str, bytes]:
    return {
        p.relative_to(out).as_posix(): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and p.name != ".publish-cache.json"
    }


def _stats(out: Path) -> dict[str, tuple[int, int]]:
    return {name: (os.stat(out / name).st_ino, os.stat(out / name).st_mtime_ns) for name in _files(out)}


def test_a_rebuild_after_edits_writes_what_a_cold_publish_html_writes(
    project: Path, tmp_path: Path, memo: book.ChapterMemo
) -> None:
    out = tmp_path / "output"
    assert not _run(project, out, memo, None)[-1].errors
    edits = [
        _edit(project / "two.md", "The chapter's text.", "The chapter, rewritten."),
        _edit(project / "one.md", "# One", "# One, retitled"),  # the contents and the neighbours change
        _edit(project / "note.md", "The first paragraph.", "An edited paragraph."),
        _edit(project / "three.md", "[^1]: Another note.", "[^1]: Another note, longer."),
    ]
    for changes in edits:
        assert not _run(project, out, memo, changes)[-1].errors
    cold = tmp_path / "cold"
    assert cli.main(["html", "--content", str(project), "--out", str(cold)]) == 0
    served, expected = _files(out), _files(cold)
    assert served.keys() == expected.keys()
    assert "guide/two.html" in served and "One, retitled" in served["guide/two.html"].decode()
    for name in expected:
        assert served[name] == expected[name], name


def test_an_edited_chapter_s_page_is_written_first_and_once(
    project: Path, tmp_path: Path, memo: book.ChapterMemo
) -> None:
    out = tmp_path / "output"
    _run(project, out, memo, None)
    steps = _run(project, out, memo, _edit(project / "two.md", "The chapter's text.", "The chapter, rewritten."))
    assert [p.relative_to(out).as_posix() for p in steps[0].written] == ["guide/two.html"]
    assert "The chapter, rewritten." in (out / "guide" / "two.html").read_text(encoding="utf-8")
    assert steps[0].errors is None  # the build goes on
    later = [p.relative_to(out).as_posix() for step in steps[1:] for p in step.written]
    assert "guide/two.html" not in later  # the same bytes: not written (nor reloaded) again
    assert steps[-1].errors == [] and steps[-1].pages is not None


def test_an_edit_reads_only_its_own_document_and_chapter(
    project: Path, tmp_path: Path, memo: book.ChapterMemo, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "output"
    _run(project, out, memo, None)
    before = _stats(out)
    loaded: list[str] = []
    parsed: list[str] = []
    load_source, read_chapter = api.load_source, book.read_chapter
    monkeypatch.setattr(api, "load_source", lambda source, *a: loaded.append(source.stem) or load_source(source, *a))
    monkeypatch.setattr(book, "read_chapter", lambda path, *a: parsed.append(path.name) or read_chapter(path, *a))
    _run(project, out, memo, _edit(project / "note.md", "The first paragraph.", "An edited paragraph."))
    assert loaded == ["note"] and parsed == []
    changed = {name for name, stat in _stats(out).items() if before.get(name) != stat}
    assert changed == {"note/note.html"}
    loaded.clear()
    _run(project, out, memo, _edit(project / "three.md", "The end.", "The very end."))
    assert set(loaded) == {"guide"} and parsed == ["three.md"]  # the other chapters are kept in memory
    assert "The very end." in (out / "guide" / "three.html").read_text(encoding="utf-8")


def test_an_image_added_is_shown_though_its_document_did_not_change(
    project: Path, tmp_path: Path, memo: book.ChapterMemo
) -> None:
    out = tmp_path / "output"
    _run(project, out, memo, None)
    assert "<img" not in (out / "note" / "note.html").read_text(encoding="utf-8")
    image = project / "images" / "missing.png"
    image.parent.mkdir()
    image.write_bytes((FIXTURES / "images" / "gradient.png").read_bytes())
    _run(project, out, memo, (("added", image),))
    assert "<img" in (out / "note" / "note.html").read_text(encoding="utf-8")


def test_a_chapter_image_added_is_read_again(project: Path, tmp_path: Path, memo: book.ChapterMemo) -> None:
    out = tmp_path / "output"
    _edit(project / "three.md", "The end.", "The end.\n\n![A chart](chart.png)")
    _run(project, out, memo, None)
    assert "<img" not in (out / "guide" / "three.html").read_text(encoding="utf-8")
    image = project / "chart.png"
    image.write_bytes((FIXTURES / "images" / "gradient.png").read_bytes())
    _run(project, out, memo, (("added", image),))
    assert "<img" in (out / "guide" / "three.html").read_text(encoding="utf-8")


def test_an_error_stays_reported_until_it_is_fixed(project: Path, tmp_path: Path, memo: book.ChapterMemo) -> None:
    out = tmp_path / "output"
    _run(project, out, memo, None)
    broken = _run(project, out, memo, _edit(project / "two.md", "See [one](one.md).", "See [four](four.md)."))
    assert any("four.md" in error for error in broken[-1].errors or [])
    still = _run(project, out, memo, _edit(project / "note.md", "The first paragraph.", "Elsewhere."))
    assert any("four.md" in error for error in still[-1].errors or [])  # the book is read again: not up to date
    fixed = _run(project, out, memo, _edit(project / "two.md", "See [four](four.md).", "See [one](one.md)."))
    assert fixed[-1].errors == []


def test_the_memo_gives_the_chapter_read_for_the_same_bytes_only(tmp_path: Path) -> None:
    memo = book.ChapterMemo()
    chapter = write(tmp_path, "one.md", "# One\n\nText.\n")
    resolver = book.resources.Resolver.for_document(chapter, tmp_path)
    first = memo.prepare(chapter, resolver, "en")
    assert memo.prepare(chapter, resolver, "en") is first
    assert memo.prepare(chapter, resolver, "de") is not first  # read in another language
    chapter.write_text("# One\n\nOther text.\n", encoding="utf-8")
    again = memo.prepare(chapter, resolver, "en")
    assert again is not first and "Other text." in str(again[1])
    memo.forget()
    assert len(memo) == 0 and memo.prepare(chapter, resolver, "en") is not again


def test_a_page_reloads_only_when_its_own_file_was_rewritten() -> None:
    state = serve.State()
    state.publish(["/guide/two.html"], None)
    state.publish(["/guide/one.html", "/guide/guide.html"], [])
    snapshot = state.snapshot()
    assert snapshot == {
        "generation": 2,
        "errors": [],
        "pages": {"/guide/two.html": 1, "/guide/one.html": 2, "/guide/guide.html": 2},
    }
    state.publish([], ["an error"])  # nothing written: no new generation, the errors shown
    assert state.snapshot()["generation"] == 2 and state.snapshot()["errors"] == ["an error"]
    page = serve.inject(b"<html><body><p>x</p></body></html>", 2, "/guide/two.html").decode()
    assert 'path = "/guide/two.html"' in page and "var generation = 2" in page
    assert "path = null" in serve.inject(b"<body></body>", 0).decode()  # the index: any rewrite
    assert "</script>.html" not in serve.inject(b"<body></body>", 0, "/a</script>.html").decode()


def test_an_image_rewritten_reloads_the_pages_of_its_edition(tmp_path: Path) -> None:
    out = tmp_path / "output"
    for name in ("guide/guide.html", "guide/one.html", "guide/images/chart.png", "note/note.html"):
        write(out, name, "x")
    assert serve._rewritten(out, [out / "guide" / "one.html"]) == ["/guide/one.html"]
    assert serve._rewritten(out, [out / "guide" / "images" / "chart.png"]) == [
        "/guide/guide.html",
        "/guide/images/chart.png",
        "/guide/one.html",
    ]


def test_an_image_changed_is_written_again_and_its_pages_reload(
    project: Path, tmp_path: Path, memo: book.ChapterMemo
) -> None:
    out = tmp_path / "output"
    image = project / "images" / "missing.png"
    image.parent.mkdir()
    image.write_bytes((FIXTURES / "images" / "gradient.png").read_bytes())
    _run(project, out, memo, None)
    image.write_bytes(image.read_bytes() + b"\0")  # other bytes, the same page
    steps = _run(project, out, memo, (("modified", image),))
    written = [p for step in steps for p in step.written]
    copied = [p for p in written if p.suffix == ".png"]
    assert copied and copied[0].read_bytes() == image.read_bytes()
    assert "/note/note.html" in serve._rewritten(out, written)
