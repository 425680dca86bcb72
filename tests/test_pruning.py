"""Pruning: a build of a whole content folder removes the editions of its sources that are
gone, and only those the build cache records as built from that content folder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from publish import cli
from publish.options import CACHE_FILE
from tests.conftest import write


def _doc(content: Path, name: str) -> Path:
    return write(content, f"{name}.md", f"---\ntitle: {name}\n---\n\nText of {name}.\n")


def _build(content: Path, out: Path) -> None:
    assert cli.main(["html", "-q", "--content", str(content), "--out", str(out)]) == 0


def test_two_content_folders_share_one_output_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    first, second, out = tmp_path / "first", tmp_path / "second", tmp_path / "public"
    _doc(first, "alpha")
    _doc(second, "beta")
    _build(first, out)
    _build(second, out)
    _build(first, out)  # and back: neither build takes the other's editions for stale ones
    assert (out / "alpha" / "alpha.html").is_file()
    assert (out / "beta" / "beta.html").is_file()
    recorded = json.loads((out / CACHE_FILE).read_text(encoding="utf-8"))["editions"]
    assert {"alpha/alpha.html", "beta/beta.html"} <= set(recorded)


def test_a_deleted_document_still_loses_its_editions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    first, second, out = tmp_path / "first", tmp_path / "second", tmp_path / "public"
    _doc(first, "alpha")
    gone = _doc(first, "gone")
    _doc(second, "beta")
    _build(first, out)
    _build(second, out)
    gone.unlink()
    _build(second, out)  # another folder's build leaves the first folder's editions alone
    assert (out / "gone" / "gone.html").is_file()
    _build(first, out)
    assert not (out / "gone").exists()
    assert (out / "alpha" / "alpha.html").is_file() and (out / "beta" / "beta.html").is_file()
    recorded = json.loads((out / CACHE_FILE).read_text(encoding="utf-8"))["editions"]
    assert "gone/gone.html" not in recorded  # the cache forgets what was removed
    assert {"alpha/alpha.html", "beta/beta.html"} <= set(recorded)


def test_editions_the_cache_does_not_know_are_left_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    content, out = tmp_path / "content", tmp_path / "public"
    _doc(content, "keep")
    gone = _doc(content, "gone")
    _build(content, out)
    (out / CACHE_FILE).unlink()  # lost: nothing says who built out/gone
    gone.unlink()
    _build(content, out)
    assert (out / "gone" / "gone.html").is_file()
