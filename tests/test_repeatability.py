"""Two builds of the same sources are byte-identical in all four formats."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pikepdf
import pytest

from tests.conftest import FIXTURES, ROOT

pytestmark = pytest.mark.slow  # the content and the fixtures built four times, in subprocesses


def _build(out: Path, tz: str, seed: str) -> dict[str, bytes]:
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000", "TZ": tz, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT)}
    for content in (ROOT / "content", FIXTURES):  # one output folder each: a build prunes what is not its own
        target = out / content.name
        subprocess.run(
            [sys.executable, "-m", "publish", "all", "-q", "--content", str(content), "--out", str(target), "--force"],
            check=True,
            env=env,
            cwd=ROOT,
        )
    return {
        p.relative_to(out).as_posix(): p.read_bytes()
        for p in sorted(out.rglob("*"))
        # not the notes of the incremental build (with file times), nor what a writer keeps for
        # the next build (the parts of a long PDF)
        if p.is_file() and p.name != ".publish-cache.json" and ".publish-parts" not in p.parts
    }


def test_two_builds_are_byte_identical_across_time_zones_and_hash_seeds(tmp_path: Path) -> None:
    first = _build(tmp_path / "a", "UTC", "1")
    second = _build(tmp_path / "b", "Asia/Taipei", "2")
    documents = len(list((ROOT / "content").glob("*.md"))) + len(list(FIXTURES.glob("*.md")))
    assert len([name for name in first if not name.endswith(".png")]) == 4 * documents
    assert first.keys() == second.keys()
    assert [name for name in first if first[name] != second[name]] == []
    # The dates inside come from SOURCE_DATE_EPOCH (2023-11-14T22:13:20Z), not from the clock.
    with zipfile.ZipFile(tmp_path / "a" / "fixtures" / "chinese" / "chinese.epub") as z:
        assert z.infolist()[0].filename == "mimetype" and z.infolist()[0].compress_type == zipfile.ZIP_STORED
        assert {i.date_time for i in z.infolist()} == {(2023, 11, 14, 22, 13, 20)}
        assert b"2023-11-14T22:13:20Z" in z.read("EPUB/content.opf")
    with zipfile.ZipFile(tmp_path / "a" / "fixtures" / "chinese" / "chinese.docx") as z:
        assert {i.date_time for i in z.infolist()} == {(2023, 11, 14, 22, 13, 20)}
        assert b"2023-11-14T22:13:20Z" in z.read("docProps/core.xml")
    with pikepdf.open(tmp_path / "a" / "fixtures" / "chinese" / "chinese.pdf") as pdf:
        assert str(pdf.docinfo["/ModDate"]).startswith("D:20231114221320")
