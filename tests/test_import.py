"""``python -m publish import``: a manuscript becomes ``content/<slug>.md`` and its images
``content/<slug>-media/``; an existing source is not overwritten without ``--force``; a
damaged file is an error (non-zero exit, nothing written); the remarks are printed at
``file:paragraph N``."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import docx
import pytest

import publish
from tests.conftest import ROOT, Built


def run(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "publish", "import", *map(str, args)]
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


def test_import_writes_the_source_and_its_images(built: Built, tmp_path: Path) -> None:
    manuscript = built.edition("every-node", "docx")
    done = run(manuscript, "--content", "content", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    source = tmp_path / "content" / "every-node-once.md"  # the slug of its title
    assert source.is_file()
    media = sorted(p.name for p in (tmp_path / "content" / "every-node-once-media").iterdir())
    assert media == ["image1.png"]
    text = source.read_text(encoding="utf-8")
    assert text.startswith("---\ntitle: Every Node, Once\n")
    assert "](every-node-once-media/image1.png)" in text
    assert f"-> {Path('content') / 'every-node-once.md'}" in done.stderr
    doc = publish.load(source)  # our reader takes what the importer wrote, images and all
    assert doc.meta.title == "Every Node, Once"


def test_import_does_not_overwrite_without_force(built: Built, tmp_path: Path) -> None:
    manuscript = built.edition("chinese", "docx")
    assert run(manuscript, "--content", "c", "--slug", "report", cwd=tmp_path).returncode == 0
    source = tmp_path / "c" / "report.md"
    source.write_text("my edits\n", encoding="utf-8")
    again = run(manuscript, "--content", "c", "--slug", "report", cwd=tmp_path)
    assert again.returncode != 0
    assert "exists; give --force" in again.stderr
    assert source.read_text(encoding="utf-8") == "my edits\n"
    forced = run(manuscript, "--content", "c", "--slug", "report", "--force", cwd=tmp_path)
    assert forced.returncode == 0, forced.stderr
    assert source.read_text(encoding="utf-8").startswith("---\n")


@pytest.mark.parametrize(
    "data",
    [b"not a zip at all", b"PK\x03\x04broken", bytes.fromhex("d0cf11e0a1b11ae1") + bytes(504)],
    ids=["text", "broken-zip", "encrypted"],
)
def test_a_bad_file_fails_and_writes_nothing(data: bytes, tmp_path: Path) -> None:
    (tmp_path / "bad.docx").write_bytes(data)
    done = run("bad.docx", "--content", "content", cwd=tmp_path)
    assert done.returncode != 0
    assert "bad.docx" in done.stderr
    assert not (tmp_path / "content").exists()


def test_a_zip_that_is_not_word_fails(tmp_path: Path) -> None:
    import zipfile

    with zipfile.ZipFile(tmp_path / "other.docx", "w") as z:
        z.writestr("hello.txt", "hello")
    done = run("other.docx", "--content", "content", cwd=tmp_path)
    assert done.returncode != 0 and "other.docx: not a Word document" in done.stderr
    assert not (tmp_path / "content").exists()


def test_remarks_are_printed_where_they_are(tmp_path: Path) -> None:
    """A heading guessed from direct formatting is a remark at its paragraph."""
    document = docx.Document()
    document.core_properties.title = "Notes"
    document.add_paragraph("An opening paragraph of text.")
    heading = document.add_paragraph()
    heading.add_run("Results").bold = True
    document.add_paragraph("What we found.")
    document.save(str(tmp_path / "notes.docx"))
    done = run("notes.docx", "--content", "content", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "notes.docx:paragraph 2: guessed: a heading (level 3) guessed from direct formatting" in done.stderr
    assert "(0 images; 1 guesses to review)" in done.stderr
    assert "\n### Results\n" in (tmp_path / "content" / "notes.md").read_text(encoding="utf-8")
