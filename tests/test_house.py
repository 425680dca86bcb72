"""The house keeps its shape: the layers hold (import-linter), each room does one job (no
module over 450 lines), and the registries of formats agree."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from publish import options, readback, writers
from tests.conftest import ROOT

MAX_LINES = 450


def test_the_import_contracts_hold() -> None:
    exe = shutil.which("lint-imports")
    if exe is None:
        pytest.fail("lint-imports is not installed (pip install -e '.[dev]'): the layers cannot be checked")
    run = subprocess.run([exe], cwd=ROOT, capture_output=True, text=True, check=False, timeout=300)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert "0 broken" in run.stdout


def test_no_module_is_over_450_lines() -> None:
    package = ROOT / "publish"
    long = {
        str(path.relative_to(ROOT)): n
        for path in package.rglob("*.py")
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}, f"split these where a room holds two jobs: {long}"


def test_every_format_has_a_writer_a_reader_and_templates() -> None:
    assert tuple(writers.REGISTRY) == options.FORMATS
    assert tuple(readback.READERS) == options.FORMATS
    theme = options.default_theme()
    for fmt in options.FORMATS:
        if fmt != "docx":  # the DOCX edition's styles are built in code (or a reference document)
            assert (theme / fmt).is_dir(), fmt


def test_the_no_op_path_imports_no_parser_no_templates_no_writer(tmp_path: Path) -> None:
    """What runs before anything is known to need building stays on the standard library."""
    code = (
        "import sys; from publish import cli, config, freshness, layout, options;"
        "heavy = {'markdown_it', 'jinja2', 'weasyprint', 'docx', 'ebooklib', 'pygments', 'lxml', 'publish.reader',"
        " 'publish.writers', 'publish.runner'};"
        "print(sorted(m for m in heavy if m in sys.modules))"
    )
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "[]"
