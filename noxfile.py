"""nox sessions: tests (every test, as CI runs them), fast (the tests not marked slow), lint,
typecheck, publish (build content/ into output/), check, editions (the README's picture of the
article's four editions), fuzz, pathological, bench (against pandoc), catalogue (one process,
the local pool, Dask), bench-serve (publish serve: from an edit to the page in the browser),
profile (where a build's time goes)."""

from __future__ import annotations

import nox

nox.options.sessions = ["lint", "typecheck", "tests"]
nox.options.reuse_existing_virtualenvs = True

#: pytest's exit status when a tier passed: 0 only. 5 (no test collected, or every test
#: deselected by -m/-k) is a failure, so that a tier that selects nothing cannot pass.
PYTEST_PASSED = [0]


@nox.session
def tests(session: nox.Session) -> None:
    """The test suite (needs the Debian packages of scripts/setup.sh --test)."""
    session.install("-e", ".[test]")
    session.run("pytest", *session.posargs, success_codes=PYTEST_PASSED)


@nox.session
def fast(session: nox.Session) -> None:
    """The fast tier, for every edit: the tests not marked slow (no PDF of a whole document or
    book, no validator, browser, Dask cluster or killed build), in well under a minute on two
    cores. `nox -s tests` (and CI) still runs every test. More pytest options after `--`."""
    session.install("-e", ".[test]")
    session.run("pytest", "-m", "not slow", *session.posargs, success_codes=PYTEST_PASSED)


@nox.session
def lint(session: nox.Session) -> None:
    """ruff, and the house's import contracts (import-linter, pyproject.toml)."""
    session.install("ruff", "-e", ".", "import-linter")
    session.run("ruff", "check", "publish", "tests", "benchmarks", "scripts", "noxfile.py")
    session.run("lint-imports")


@nox.session
def typecheck(session: nox.Session) -> None:
    session.install("-e", ".[dask]", "mypy", "types-PyYAML", "types-Pygments", "lxml-stubs")
    session.run("mypy", "publish")


@nox.session
def publish(session: nox.Session) -> None:
    """Build every document in content/ into output/."""
    session.install("-e", ".")
    session.run("python", "-m", "publish", "all", *session.posargs)


@nox.session
def check(session: nox.Session) -> None:
    """Build content/ and prove the editions faithful (needs scripts/setup.sh --check)."""
    session.install("-e", ".[check]")
    session.run("python", "-m", "publish", "all", "-q")
    session.run("python", "-m", "publish", "check", *session.posargs)


@nox.session
def editions(session: nox.Session) -> None:
    """docs/editions.png: the article's four editions side by side, as the README shows them
    (needs pdftoppm, LibreOffice and Chromium: scripts/setup.sh --test)."""
    session.install("-e", ".")
    session.run("python", "scripts/editions.py", *session.posargs)


@nox.session
def fuzz(session: nox.Session) -> None:
    """The property tests with many more generated documents (HYPOTHESIS_PROFILE=fuzz)."""
    session.install("-e", ".[test]")
    session.run("pytest", "tests/test_properties.py", *session.posargs, env={"HYPOTHESIS_PROFILE": "fuzz"})


@nox.session
def pathological(session: nox.Session) -> None:
    """cmark's pathological inputs at cmark's sizes and twice: bounds and linear growth."""
    session.install("-e", ".")
    session.run("python", "benchmarks/pathological.py", "--write", "benchmarks/pathological.md", *session.posargs)


@nox.session
def bench(session: nox.Session) -> None:
    """publish against pandoc (pypandoc-binary) in one run: every target of issue 17 (the
    article, the 25× and 100× books, their growth, the 100× book's peak memory and a one-word
    edit in it, a no-op rebuild, a folder of documents), each beside pandoc's figure and the
    target; writes its section of benchmarks/results.md (several minutes).
    `nox -s bench -- --full` adds the 400× book; `-- --no-write` only prints."""
    session.install("-e", ".[test]")
    session.run("python", "benchmarks/bench.py", *session.posargs)


@nox.session
def catalogue(session: nox.Session) -> None:
    """Editions per second of 200 generated articles: one process, the local pool, Dask (shared
    disk, and bytes returned)."""
    session.install("-e", ".[dask]")
    session.run("python", "benchmarks/catalogue.py", "--write", "benchmarks/results.md", *session.posargs)


@nox.session(name="bench-citations")
def bench_citations(session: nox.Session) -> None:
    """A paper of 500 citations read by publish and by pandoc --citeproc, in three styles;
    writes its section of benchmarks/results.md."""
    session.install("-e", ".")
    session.run("python", "benchmarks/citations.py", "--write", "benchmarks/results.md", *session.posargs)


@nox.session(name="bench-serve")
def bench_serve(session: nox.Session) -> None:
    """publish serve driven like a browser: from one edited paragraph to the event and the
    page served with it (the article, a 100× book as one file and as 100 chapter files);
    writes its section of benchmarks/results.md."""
    session.install("-e", ".")
    session.run("python", "benchmarks/serve.py", "--write", "benchmarks/results.md", *session.posargs)


@nox.session
def profile(session: nox.Session) -> None:
    """Where a cold build's time goes, phase by phase: the article's PDF, the 10×–100× books'
    (how each phase grows), the other editions of the 100× book; writes its section of
    benchmarks/results.md (benchmarks/profile.md explains it). `-- --cprofile` adds cProfile's
    hottest functions."""
    session.install("-e", ".[test]")
    session.run("python", "benchmarks/profile.py", *session.posargs)
