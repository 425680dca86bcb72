"""Progress while building and the summary table: a live display on a terminal, plain lines
elsewhere, nothing but errors with --quiet."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from rich.console import Console

from publish import cli, runner
from publish.options import Options
from publish.progress import Reporter
from tests.conftest import FIXTURES

pytestmark = pytest.mark.slow  # every test builds the fixture documents in all four formats


@pytest.fixture
def content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "content"
    shutil.copytree(FIXTURES / "images", folder / "images")
    for name in ("every-node.md", "chinese.md"):
        shutil.copyfile(FIXTURES / name, folder / name)
    monkeypatch.chdir(tmp_path)
    return folder


def test_plain_lines_and_a_summary_when_not_a_terminal(content: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["all"]) == 0
    out = capsys.readouterr().out
    assert out.count("wrote output/") == 8
    summary = out[out.index("| document") :]
    assert "| chinese    | html, pdf, epub, docx |     1 |" in summary
    assert "| every-node | html, pdf, epub, docx |     2 |" in summary
    assert "8 written, 0 up to date, 0 error(s)" in summary
    assert cli.main(["all", "-q", "--rebuild"]) == 0
    assert capsys.readouterr().out == ""
    (content / "chinese.md").write_text((content / "chinese.md").read_text() + "\nOne more line.\n")
    assert cli.main(["all", "--verbose"]) == 0
    out = capsys.readouterr().out
    assert "up to date output/every-node/every-node.pdf" in out and "wrote output/chinese/chinese.pdf (" in out
    assert "4 written, 4 up to date, 0 error(s)" in out


def test_a_live_display_on_a_terminal(content: Path, tmp_path: Path) -> None:
    screen = io.StringIO()
    console = Console(file=screen, force_terminal=True, width=100, color_system=None)
    files = sorted(content.glob("*.md"))
    formats = ["html", "pdf", "epub", "docx"]
    with Reporter(files, formats, console=console) as reporter:
        report = runner.build(files, formats, tmp_path / "out", Options(content_root=content), on_event=reporter)
    reporter.summary(report)
    shown = screen.getvalue()
    assert "chinese" in shown and "every-node" in shown
    assert "html✓ pdf✓ epub✓ docx✓" in shown  # each document's formats as they are written
    assert "wrote" not in shown  # the live display replaces the plain lines
    assert "8 written, 0 up to date, 0 error(s)" in shown


def test_failures_show_in_the_summary(content: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (content / "every-node.md").write_text("---\ntitle: Broken\nlang: qq\n---\n\n![gone](images/missing.png)\n")
    assert cli.main(["all"]) == 1
    captured = capsys.readouterr()
    assert "every-node.md:3: front matter 'lang': unknown language" in captured.err
    assert "4 written, 0 up to date, 1 error(s)" in captured.out
