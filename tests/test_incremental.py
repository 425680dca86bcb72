"""Parallel and incremental builds: jobs through an Executor, only changed editions rebuilt."""

from __future__ import annotations

import datetime as dt
import shutil
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path

import pytest

from publish import runner
from publish.options import Options
from tests.conftest import FIXTURES, write

NOW = dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
FORMATS = ["html", "pdf", "epub", "docx"]


@pytest.fixture
def content(tmp_path: Path) -> Path:
    folder = tmp_path / "content"
    shutil.copytree(FIXTURES / "images", folder / "images")
    for name in ("every-node.md", "chinese.md"):
        shutil.copyfile(FIXTURES / name, folder / name)
    return folder


def _files(content: Path) -> list[Path]:
    return sorted(content.glob("*.md"))


def _names(paths: list[Path]) -> list[str]:
    return sorted(p.name for p in paths)


@pytest.mark.slow
def test_a_no_op_rebuild_builds_nothing(content: Path, tmp_path: Path) -> None:
    out, options = tmp_path / "out", Options(content_root=content, now=NOW)
    first = runner.build(_files(content), FORMATS, out, options)
    assert first.errors == [] and len(first.built) == 8 and first.skipped == []
    again = runner.build(_files(content), FORMATS, out, options)
    assert again.built == [] and len(again.skipped) == 8
    forced = runner.build(_files(content), FORMATS, out, options, incremental=False)
    assert len(forced.built) == 8


@pytest.mark.slow
def test_an_edited_paragraph_rebuilds_only_its_document(content: Path, tmp_path: Path) -> None:
    out, options = tmp_path / "out", Options(content_root=content, now=NOW)
    runner.build(_files(content), FORMATS, out, options)
    source = content / "chinese.md"
    source.write_text(source.read_text(encoding="utf-8").replace("學術研究", "學術研究與教學"), encoding="utf-8")
    report = runner.build(_files(content), FORMATS, out, options)
    assert _names(report.built) == ["chinese.docx", "chinese.epub", "chinese.html", "chinese.pdf"]
    assert len(report.skipped) == 4
    # A change that leaves the model as it was (a wrapped line) rebuilds nothing.
    source.write_text(source.read_text(encoding="utf-8").replace("## 主要工作", "## 主要工作  "), encoding="utf-8")
    assert runner.build(_files(content), FORMATS, out, options).built == []


@pytest.mark.slow
def test_templates_options_images_and_hand_edits_rebuild(content: Path, tmp_path: Path) -> None:
    out, options = tmp_path / "out", Options(content_root=content, now=NOW)
    runner.build(_files(content), FORMATS, out, options)
    theme = write(tmp_path / "theme", "base/dateline.html", "{{ date.iso }}{#- -#}").parent.parent
    themed = Options(content_root=content, now=NOW, theme_dirs=(theme,))
    assert len(runner.build(_files(content), FORMATS, out, themed).built) == 8
    assert runner.build(_files(content), FORMATS, out, themed).built == []
    (theme / "base" / "dateline.html").write_text("{{ date.text }}{#- -#}")  # a theme file edited
    assert len(runner.build(_files(content), FORMATS, out, themed).built) == 8
    no_toc = Options(content_root=content, now=NOW, theme_dirs=(theme,), toc=False)
    assert len(runner.build(_files(content), FORMATS, out, no_toc).built) == 8
    image = content / "images" / "gradient.png"
    image.write_bytes(image.read_bytes() + b"\0")  # the image changed: only the document using it
    assert _names(runner.build(_files(content), FORMATS, out, no_toc).built) == [
        "every-node.docx",
        "every-node.epub",
        "every-node.html",
        "every-node.pdf",
    ]
    edition = out / "chinese" / "chinese.html"
    edition.write_text("replaced by hand")
    assert _names(runner.build(_files(content), FORMATS, out, no_toc).built) == ["chinese.html"]
    assert "replaced by hand" not in edition.read_text(encoding="utf-8")


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["process", "thread"])
def test_any_executor_gives_the_same_editions(content: Path, tmp_path: Path, kind: str) -> None:
    options = Options(content_root=content, now=NOW)
    inline = runner.build(_files(content), FORMATS, tmp_path / "inline", options, jobs=1)
    pool = ProcessPoolExecutor(max_workers=2) if kind == "process" else ThreadPoolExecutor(max_workers=2)
    with pool:
        parallel = runner.build(_files(content), FORMATS, tmp_path / kind, options, executor=pool)
    assert inline.errors == parallel.errors == []
    for path in inline.built:
        twin = tmp_path / kind / path.relative_to(tmp_path / "inline")
        assert twin.read_bytes() == path.read_bytes(), twin


def test_errors_from_workers_keep_their_file_and_line(tmp_path: Path) -> None:
    good = write(tmp_path / "content", "good.md", "---\ntitle: Good\n---\n\nText.\n")
    theme = write(tmp_path / "theme", "base/byline.html", "{{ nothing_here }}").parent.parent
    bad = write(tmp_path / "content", "bad.md", "---\ntitle: Bad\nauthors: [A]\n---\n\nText.\n")
    report = runner.build([good, bad], FORMATS, tmp_path / "out", Options(theme_dirs=(theme,)), jobs=2)
    assert len(report.built) == 4 + 0
    assert all("'nothing_here' is undefined" in e and str(bad) in e for e in report.errors)
    assert len(report.errors) == 4


@pytest.mark.slow
def test_a_no_op_rebuild_stops_before_the_parser_and_the_writers(content: Path, tmp_path: Path) -> None:
    import subprocess
    import sys

    from tests.conftest import ROOT

    out = tmp_path / "out"
    args = ["all", "--content", str(content), "--out", str(out), "--force"]
    probe = (
        "import sys; from publish import cli; code = cli.main(sys.argv[1:]);"
        "print(code, sorted(m for m in ('publish.reader', 'publish.writers.common', 'markdown_it', 'weasyprint')"
        " if m in sys.modules))"
    )

    def run() -> str:
        done = subprocess.run(
            [sys.executable, "-c", probe, *args], capture_output=True, text=True, cwd=ROOT, check=True
        )
        return done.stdout.strip().splitlines()[-1]

    assert run().startswith("0 [")  # the first build imports what it needs
    assert run() == "0 []"  # nothing changed: nothing imported
    source = content / "chinese.md"
    source.write_text(source.read_text(encoding="utf-8") + "\n", encoding="utf-8")  # new bytes, same model
    assert run() != "0 []"  # the bytes changed: the model is read and compared
    assert run() == "0 []"  # and recorded again
    (content / "images" / "gradient.png").write_bytes((content / "images" / "gradient.png").read_bytes() + b"\0")
    assert run() != "0 []"
