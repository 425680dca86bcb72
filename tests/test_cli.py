"""The command line: exit codes, file:line errors, one bad document does not stop the rest."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import publish
from publish import cli, readback
from tests.conftest import FIXTURES, ROOT, write


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "publish", *args], cwd=cwd, capture_output=True, text=True, timeout=300, check=False
    )


@pytest.mark.slow
def test_all_builds_good_documents_and_reports_bad_ones(tmp_path: Path) -> None:
    content, out = tmp_path / "content", tmp_path / "output"
    write(content, "good.md", "---\ntitle: Good\n---\n\nHello *world*.\n")
    write(content, "bad.md", "---\ntitle: Bad\nlang: qq\n---\n\nFine line.\n\n<iframe src=x></iframe>\n")
    write(content, "sub/nested.md", "---\ntitle: Nested\nlang: fr\n---\n\n« Bonjour ».\n")
    write(content, "_draft.md", "not even front matter\n")
    result = run("all", "--content", str(content), "--out", str(out))
    assert result.returncode == 1
    assert f"{content / 'bad.md'}:3: front matter 'lang': unknown language" in result.stderr
    assert f"{content / 'bad.md'}:8: warning: <iframe> removed with its content" in result.stderr
    assert "_draft" not in result.stderr
    for slug in ("good", "nested"):
        assert sorted(p.name for p in (out / slug).iterdir()) == [
            f"{slug}.{f}" for f in ("docx", "epub", "html", "pdf")
        ]
    assert not (out / "bad").exists()
    assert list(out.rglob("*.part")) == []


def test_one_format_for_named_files(tmp_path: Path) -> None:
    result = run("html", str(FIXTURES / "every-node.md"), "--out", str(tmp_path), "--force")
    assert result.returncode == 0, result.stderr
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file()) == [
        ".publish-cache.json",
        "every-node/every-node.html",
        "every-node/media/gradient-" + next((tmp_path / "every-node" / "media").iterdir()).name.split("-", 1)[1],
    ]


@pytest.mark.slow
def test_all_on_the_repository_content(tmp_path: Path) -> None:
    result = run("all", "--out", str(tmp_path), "--force")
    assert result.returncode == 0, result.stderr
    slug = "justice-for-western-azerbaijan-community"
    assert sorted(p.name for p in (tmp_path / slug).iterdir()) == [
        f"{slug}.{f}" for f in ("docx", "epub", "html", "pdf")
    ]
    assert result.stderr == ""


def test_dump_prints_versioned_json() -> None:
    result = run("dump", str(FIXTURES / "chinese.md"))
    assert result.returncode == 0
    data = json.loads(result.stdout)
    assert data["publish-api-version"] == [1, 4]
    assert data["meta"]["lang"] == "zh-Hant"


def test_errors_and_usage(tmp_path: Path) -> None:
    bad = write(tmp_path, "bad.md", "---\ntitle: T\nlang: qq\n---\n\nx\n")
    result = run("dump", str(bad))
    assert result.returncode == 1 and f"{bad}:3:" in result.stderr
    assert run("all", "--content", str(tmp_path / "nowhere")).returncode == 2
    (tmp_path / "empty").mkdir()
    assert run("all", "--content", str(tmp_path / "empty")).returncode == 1
    helped = run("all", "--help")
    assert helped.returncode == 0 and "examples:" in helped.stdout
    assert run("frobnicate").returncode == 2


@pytest.mark.slow
def test_failed_edition_keeps_the_previous_good_one(tmp_path: Path) -> None:
    content, out = tmp_path / "content", tmp_path / "output"
    doc = write(content, "doc.md", "---\ntitle: Doc\n---\n\nFirst version.\n")
    assert run("pdf", "--content", str(content), "--out", str(out)).returncode == 0
    before = (out / "doc" / "doc.pdf").read_bytes()
    doc.write_text("---\ntitle: Doc\n---\n\nSecond version.\n", encoding="utf-8")
    result = run("pdf", "--content", str(content), "--out", str(out), "--pdf-timeout", "0.001")
    assert result.returncode == 1 and "longer than" in result.stderr
    assert (out / "doc" / "doc.pdf").read_bytes() == before
    assert sorted(p.name for p in (out / "doc").iterdir()) == ["doc.pdf"]


def test_theme_folder_overrides_one_template(tmp_path: Path) -> None:
    theme = tmp_path / "theme"
    write(theme, "base/dateline.html", '<time datetime="{{ date.iso }}">Dated {{ date.iso }}</time>')
    result = run("html", str(FIXTURES / "chinese.md"), "--out", str(tmp_path / "out"), "--theme", str(theme), "--force")
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "out" / "chinese" / "chinese.html").read_text(encoding="utf-8")
    assert '<p class="dateline"><time datetime="2024-10-23">Dated 2024-10-23</time></p>' in page
    assert '<h1 class="title">人類命運共同體研究院年度報告</h1>' in page  # the rest from the default theme


def test_source_date_epoch_fixes_the_build_dates(tmp_path: Path) -> None:
    import os
    import zipfile

    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}
    subprocess.run(
        [sys.executable, "-m", "publish", "epub", str(FIXTURES / "chinese.md"), "--out", str(tmp_path), "--force"],
        env=env,
        check=True,
        capture_output=True,
        timeout=120,
    )
    with zipfile.ZipFile(tmp_path / "chinese" / "chinese.epub") as z:
        assert '<meta property="dcterms:modified">2023-11-14T22:13:20Z</meta>' in z.read("EPUB/content.opf").decode()


def test_new_writes_a_document_that_builds(tmp_path: Path) -> None:
    content = tmp_path / "content"
    assert cli.main(["new", "Annual Report: 2026", "--content", str(content), "--lang", "zh-Hant"]) == 0
    source = content / "annual-report-2026.md"
    doc = publish.load(source)
    assert doc.meta.title == "Annual Report: 2026" and doc.meta.lang == "zh-Hant"
    assert "# authors:" in source.read_text(encoding="utf-8")  # every key, commented
    for fmt in ("html", "docx"):
        assert readback.check(doc, fmt, publish.build(doc, fmt, tmp_path / f"new.{fmt}")) == []
    assert cli.main(["new", "Annual Report: 2026", "--content", str(content)]) == 1  # never overwritten
    assert cli.main(["new", "Other", "--content", str(content), "--lang", "zz-bad"]) == 2


@pytest.mark.slow
def test_every_command_has_help_with_examples() -> None:
    for command in ("all", "html", "pdf", "epub", "docx", "check", "dump", "new", "serve"):
        result = run(command, "--help")
        assert result.returncode == 0 and "examples:" in result.stdout, command
