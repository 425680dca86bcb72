"""Builds on a Dask cluster, its workers writing the editions on the shared disk or returning
them for the client to write (``?shared=no``): the same jobs as a local build, the same
bytes, the same errors, progress and summary; a lost worker's jobs run again by the engine,
and a failed job writes nothing."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest
from distributed import Client, LocalCluster

from benchmarks.catalogue import articles
from publish import cli, config, executors, readback, runner
from publish.errors import PublishError
from publish.options import Options
from tests.conftest import ROOT, write

FORMATS = ("html", "pdf", "epub", "docx")

pytestmark = pytest.mark.slow  # Dask clusters of worker processes


@contextlib.contextmanager
def _cluster() -> Iterator[LocalCluster]:
    """A LocalCluster of two worker processes on 127.0.0.1. Starting one sets variables in this
    process's environment for the workers it spawns (PYTHONHASHSEED, OMP_NUM_THREADS...); they
    are put back afterwards, so that the tests after these see the environment they started with."""
    saved = dict(os.environ)
    try:
        with LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=":0"
        ) as cluster:
            yield cluster
    finally:
        os.environ.clear()
        os.environ.update(saved)


def _spec(cluster: LocalCluster) -> str:
    return "dask://" + str(cluster.scheduler_address).removeprefix("tcp://")


@pytest.fixture(scope="module")
def cluster() -> Iterator[LocalCluster]:
    with _cluster() as running:
        yield running


def _files(out: Path) -> dict[str, bytes]:
    return {
        p.relative_to(out).as_posix(): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and not p.name.startswith(".") and p.name != "report.html"
    }


def test_a_dask_build_gives_the_same_editions_errors_and_summary_as_a_local_one(
    cluster: LocalCluster, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    content = tmp_path / "content"
    shutil.copytree(ROOT / "tests" / "books" / "field-guide", content)  # a book and a document
    articles(content / "articles", 5)
    # A document whose front matter names a language that does not exist fails as it is read
    # (what a writer alone failed on — an image without alt text, a character no font has —
    # is now degraded with a warning).
    write(content, "broken.md", "---\ntitle: Broken\nlang: qq\n---\n\nText.\n")
    outputs, errors, written = {}, {}, {}
    modes = (("local", ["-j", "2"]), ("dask", ["--executor", _spec(cluster)]))
    modes += (("returned", ["--executor", _spec(cluster) + "?shared=no"]),)
    for name, how in modes:
        out = tmp_path / name
        assert cli.main(["all", "--content", str(content), "--out", str(out), *how]) == 1
        captured = capsys.readouterr()
        outputs[name] = _files(out)
        errors[name] = sorted(line for line in captured.err.splitlines() if line.startswith("error: "))
        written[name] = sorted(line.replace(str(out), "OUT") for line in captured.out.splitlines() if "wrote" in line)
        assert "| field-guide" in captured.out and "1 error(s)" in captured.out  # the summary table
    assert outputs["local"] == outputs["dask"] == outputs["returned"] and len(outputs["dask"]) > 28
    assert errors["local"] == errors["dask"] == errors["returned"]
    assert len(errors["dask"]) == 1 and f"error: {content}/broken.md:3: " in errors["dask"][0]
    assert written["local"] == written["dask"] == written["returned"]


def test_both_dask_modes_give_the_same_bytes_on_the_fixtures(
    cluster: LocalCluster, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    settings = config.resolve(config.CommandLine(content=ROOT / "tests" / "fixtures"))
    sources, options = config.sources(settings), settings.options
    outputs = {}
    for shared in (True, False):
        out = tmp_path / f"shared-{shared}"
        with executors.open_executor(_spec(cluster)) as executor:
            report = runner.build(sources, FORMATS, out, options, executor=executor, shared_disk=shared)
        assert report.ok, report.errors
        outputs[shared] = _files(out)
    assert outputs[True] == outputs[False]
    assert len(outputs[False]) > 4 * 12 and any("/media/" in name for name in outputs[False])


def _fail_the_essays_pdf() -> None:
    """Run on each worker: the PDF of the document named essay fails there (a worker's disk
    full, say), after writing half of it."""
    from publish import jobs

    real = jobs.api.build

    def build(doc: object, fmt: str, dest: Path, options: Options) -> Path:
        if getattr(doc, "slug", "") == "essay" and fmt == "pdf":
            Path(dest).parent.mkdir(parents=True, exist_ok=True)
            Path(dest).write_bytes(b"%PDF-1.7 half")
            raise OSError("No space left on device")
        return real(doc, fmt, dest, options)  # type: ignore[arg-type]

    jobs.api.build = build  # type: ignore[assignment]


def test_a_job_that_fails_on_a_worker_writes_nothing_and_the_others_build(
    cluster: LocalCluster, tmp_path: Path
) -> None:
    content = tmp_path / "content"
    shutil.copytree(ROOT / "tests" / "books" / "field-guide", content)
    sources = [content / "essay.md", *articles(content / "articles", 2)]
    out = tmp_path / "output"
    options = Options(content_root=content.resolve(), toc_pages=False)  # no LibreOffice: not what is tested
    with Client(cluster) as client:
        client.run(_fail_the_essays_pdf)
        try:
            with executors.open_executor(_spec(cluster) + "?shared=no") as executor:
                report = runner.build(sources, FORMATS, out, options, executor=executor, shared_disk=False)
        finally:
            client.restart()  # workers as they were, for the other tests
    assert report.errors == [f"{sources[0]}: pdf: internal error: OSError: No space left on device"]
    assert len(report.built) == len(sources) * len(FORMATS) - 1
    assert not (out / "essay" / "essay.pdf").exists() and (out / "essay" / "essay.html").is_file()
    assert not [p for p in out.rglob("*") if p.name.endswith(".part") or p.name.startswith("publish-job-")]


@pytest.mark.external
@pytest.mark.parametrize("shared", [True, False], ids=["shared-disk", "returned"])
def test_a_worker_killed_in_the_middle_of_a_build_does_not_lose_an_edition(tmp_path: Path, shared: bool) -> None:
    sources = articles(tmp_path / "content", 8)
    out = tmp_path / "output"
    options = Options(content_root=(tmp_path / "content").resolve())
    killed: list[int] = []
    with _cluster() as cluster, Client(cluster) as client:
        pids = sorted(client.run(os.getpid).values())

        def kill_one(event: runner.Event) -> None:
            if event.kind == "done" and not killed:  # jobs are running on both workers
                os.kill(pids[0], signal.SIGKILL)
                killed.append(pids[0])

        with executors.open_executor(_spec(cluster)) as executor:
            report = runner.build(
                sources, FORMATS, out, options, executor=executor, on_event=kill_one, shared_disk=shared
            )
        assert killed and killed[0] not in client.run(os.getpid).values()  # the worker was replaced
    assert report.errors == [] and len(report.built) == len(sources) * len(FORMATS)
    assert not [p for p in out.rglob("*") if p.name.endswith(".part")]
    from publish import api

    for source in sources:
        doc = api.load(source)
        for fmt in FORMATS:
            assert readback.check(doc, fmt, runner.edition_path(out, source, fmt), options) == [], (source, fmt)


def test_an_unknown_or_unreachable_executor_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path / "content", "a.md", "---\ntitle: A\n---\n\nText.\n")
    monkeypatch.chdir(tmp_path)
    assert cli.main(["html", "-q", "--executor", "spark://x:1"]) == 2
    assert "'spark://x:1' is not an executor: 'local' or 'dask://HOST:PORT'" in capsys.readouterr().err
    with (
        pytest.raises(PublishError, match=r"cannot reach the Dask scheduler at 127\.0\.0\.1:9"),
        executors.open_executor("dask://127.0.0.1:9", timeout=2),
    ):
        pass
    write(tmp_path / "content", "publish.toml", '[build]\nexecutor = "dask:/nowhere"\n')
    assert cli.main(["html", "-q"]) == 2
    assert "publish.toml:2: [build] executor: 'dask:/nowhere' is not an executor" in capsys.readouterr().err
