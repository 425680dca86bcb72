"""Faults: a killed build leaves every edition whole; a PDF that cannot be laid out fails its
document, in time, and the rest of the build goes on."""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from publish import runner
from publish.options import Options
from tests.conftest import FIXTURES, ROOT, write

KILLS = 30


def _tree(out: Path) -> dict[str, str]:
    return {
        p.relative_to(out).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(out.rglob("*"))
        if p.is_file() and p.name != ".publish-cache.json"  # the incremental build's notes, not an edition
    }


def _run(project: Path, out: str, epoch: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(epoch), "PYTHONPATH": str(ROOT)}  # this tree's publish
    return subprocess.Popen(
        [sys.executable, "-m", "publish", "all", "-q", "--rebuild", "--out", out],
        cwd=project,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _orphans(project: Path) -> list[int]:
    """Processes still running in the project folder (the builds' workers), by /proc."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if (entry / "cwd").resolve() == project.resolve() and b"publish" in (entry / "cmdline").read_bytes():
                found.append(int(entry.name))
        except OSError:
            continue
    return found


@pytest.mark.slow
def test_a_build_killed_at_any_moment_leaves_only_whole_editions(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(FIXTURES / "images", project / "content" / "images")
    for name in ("every-node.md", "chinese.md"):
        shutil.copyfile(FIXTURES / name, project / "content" / name)
    # The two versions every edition may have: built at time A, and at time B.
    versions: dict[str, set[str]] = {}
    durations = []
    for epoch, folder in ((1_600_000_000, "a"), (1_700_000_000, "b")):
        started = time.monotonic()
        assert _run(project, folder, epoch).wait() == 0
        durations.append(time.monotonic() - started)
        for name, digest in _tree(project / folder).items():
            versions.setdefault(name, set()).add(digest)
    assert len(versions) == 9 and all(len(v) == 2 for n, v in versions.items() if not n.endswith(".png"))
    shutil.copytree(project / "a", project / "output")
    rng = random.Random(20261127)
    longest = max(durations)
    outcomes = {"killed": 0, "finished": 0}
    for _ in range(KILLS):
        process = _run(project, "output", rng.choice((1_600_000_000, 1_700_000_000)))
        time.sleep(rng.uniform(0.0, longest))
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
            outcomes["killed"] += 1
        else:
            outcomes["finished"] += 1
        process.wait()
        for name, digest in _tree(project / "output").items():
            if name.rsplit("/", 1)[-1].startswith("."):
                continue  # a temporary file of the killed write: never an edition's name
            assert digest in versions[name], f"{name} is neither the previous nor the new edition"
        assert set(versions) <= set(_tree(project / "output"))
    assert outcomes["killed"] >= KILLS * 0.6, outcomes
    # The worker processes of the killed builds end with them (none is left waiting forever).
    deadline = time.monotonic() + 10
    while _orphans(project) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _orphans(project) == []
    # The next complete build clears what the kills left behind.
    assert _run(project, "output", 1_700_000_000).wait() == 0
    assert sorted(_tree(project / "output")) == sorted(versions)


@pytest.mark.slow
def test_a_page_break_storm_fails_in_time_and_the_build_goes_on(tmp_path: Path) -> None:
    theme = write(tmp_path / "theme", "pdf/print.css", "@page { size: A6; } p { break-after: page; }\n").parent.parent
    storm = write(tmp_path / "content", "storm.md", "---\ntitle: Storm\n---\n\n" + "Page.\n\n" * 4000)
    calm = write(tmp_path / "content", "calm.md", "---\ntitle: Calm\n---\n\nOne page.\n")
    started = time.monotonic()
    report = runner.build([storm, calm], ["pdf"], tmp_path / "out", Options(theme_dirs=(theme,), pdf_timeout=1.5))
    assert time.monotonic() - started < 20
    assert report.errors == [
        f"{storm}: the PDF took longer than 1.5 s to lay out and was abandoned (a theme's CSS forcing thousands "
        "of pages, or content nested too deep?); raise the limit with --pdf-timeout if the document is simply very long"
    ]
    assert [p.name for p in report.built] == ["calm.pdf"]
    assert not (tmp_path / "out" / "storm" / "storm.pdf").exists()


def test_absurd_css_fails_the_document_with_a_message(tmp_path: Path) -> None:
    theme = write(tmp_path / "theme", "pdf/print.css", "p { font-size: 1e30px; width: 1e30px; margin: -1e30px; }\n")
    source = write(tmp_path / "content", "absurd.md", "---\ntitle: Absurd\n---\n\nText.\n")
    other = write(tmp_path / "content", "fine.md", "---\ntitle: Fine\n---\n\nText.\n")
    options = Options(theme_dirs=(theme.parent.parent,))
    report = runner.build([source, other], ["pdf", "html"], tmp_path / "out", options)
    assert [e.split(": WeasyPrint cannot lay out this document (")[0] for e in report.errors] == [
        str(source),
        str(other),
    ]
    assert sorted(p.name for p in report.built) == ["absurd.html", "fine.html"]  # the process goes on
