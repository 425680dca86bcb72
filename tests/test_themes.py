"""The README's worked theme example restyles the title block and stays faithful."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from publish import api, check
from publish.options import Options, default_theme
from tests.conftest import ARTICLE, ROOT

# The article in all four formats, its PDF's text read with poppler's pdftotext.
pytestmark = [pytest.mark.slow, pytest.mark.external]


def test_the_readme_theme_example_restyles_and_stays_faithful(tmp_path: Path) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    found = re.search(r"`mytheme/base/titleblock.html`:\n\n```html\+jinja\n(.*?)```", readme, re.S)
    assert found is not None
    theme = tmp_path / "mytheme"
    (theme / "base").mkdir(parents=True)
    (theme / "html").mkdir()
    (theme / "base" / "titleblock.html").write_text(found.group(1), encoding="utf-8")
    css = (default_theme() / "html" / "style.css").read_text(encoding="utf-8")
    css += '.title { font-family: "DejaVu Sans", sans-serif; }\n'
    css += ".dateline { font-weight: bold; font-style: normal; letter-spacing: 0.05em; }\n"
    (theme / "html" / "style.css").write_text(css, encoding="utf-8")
    options = Options(theme_dirs=(theme,))
    doc = api.load(ARTICLE)
    for fmt in ("html", "pdf", "epub", "docx"):
        path = api.build(doc, fmt, tmp_path / "out" / f"article.{fmt}", options)
        for result in (
            check.check_structure(doc, fmt, path, options),
            check.check_languages(doc, fmt, path),
        ):
            assert result.status == "pass", (fmt, result.details)
    html = (tmp_path / "out" / "article.html").read_text(encoding="utf-8")
    assert html.index('class="dateline"') < html.index('class="title"')  # the date now comes first
    assert "中國傳媒大學</span> · <span" in html
    assert check.check_glyphs(doc, tmp_path / "out" / "article.pdf", options).status == "pass"
