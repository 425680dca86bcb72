"""nox sessions: tests, lint, typecheck, publish (build content/ into output/)."""

from __future__ import annotations

import nox

nox.options.sessions = ["lint", "typecheck", "tests"]
nox.options.reuse_existing_virtualenvs = True


@nox.session
def tests(session: nox.Session) -> None:
    """The test suite (needs the Debian packages of scripts/setup.sh --test)."""
    session.install("-e", ".[test]")
    session.run("pytest", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    session.install("ruff")
    session.run("ruff", "check", "publish", "tests", "noxfile.py")


@nox.session
def typecheck(session: nox.Session) -> None:
    session.install("-e", ".", "mypy", "types-PyYAML", "lxml-stubs")
    session.run("mypy", "publish")


@nox.session
def publish(session: nox.Session) -> None:
    """Build every document in content/ into output/."""
    session.install("-e", ".")
    session.run("python", "-m", "publish", "all", *session.posargs)
