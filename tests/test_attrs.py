"""Languages and directions written on the text: kept on every node that carries them
(spans, headings, figures, divs, in Markdown and in raw HTML), checked, and degraded with a
warning at ``file:line`` when no edition could carry them."""

from __future__ import annotations

from pathlib import Path

import pytest

import publish
from publish import model as m
from publish.options import Options
from publish.walk import walk

SOURCE = """\
---
title: Attributes
lang: ar
---

## Summary {#summary lang=en}

![A chart](chart.png){#chart lang=en dir=ltr}

نص [word]{lang=xx-notatag} آخر [كلمة]{dir=sideways}.

::: {lang=en dir=auto}
First strong letter decides.
:::

<p dir="auto">مرحبا بالعالم</p>

<h3 lang="he" dir="RTL">כותרת</h3>

<div dir="auto">
123 — 456
</div>
"""


def read(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> tuple[m.Document, list[str]]:
    from PIL import Image

    Image.new("RGB", (4, 4)).save(tmp_path / "chart.png")
    path = tmp_path / "attrs.md"
    path.write_text(SOURCE, encoding="utf-8")
    doc = publish.load(path)
    return doc, [f"{r.getMessage()}" for r in caplog.records if r.levelname == "WARNING"]


def test_headings_and_figures_keep_language_and_direction(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    doc, _ = read(tmp_path, caplog)
    headings = [n for n in walk(doc.blocks) if isinstance(n, m.Heading)]
    assert headings[0].attr.id == "summary" and headings[0].attr.lang == "en"
    assert headings[1].attr.lang == "he" and headings[1].attr.get("dir") == "rtl"  # HTML's RTL, lower-cased
    figure = next(n for n in walk(doc.blocks) if isinstance(n, m.Figure))
    assert figure.attr.id == "chart" and figure.attr.lang == "en" and figure.attr.get("dir") == "ltr"


def test_a_bad_language_or_direction_is_left_out_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    doc, warnings = read(tmp_path, caplog)
    spans = [n for n in walk(doc.blocks) if isinstance(n, m.Span)]
    assert [s.attr.values for s in spans] == [(), ()]
    where = f"{tmp_path / 'attrs.md'}:10: warning: "
    assert any(w.startswith(where) and "'xx'" in w and "left out" in w for w in warnings), warnings
    assert any(w.startswith(where) and "dir='sideways'" in w for w in warnings), warnings


def test_dir_auto_is_resolved_by_the_first_strong_letter(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    doc, warnings = read(tmp_path, caplog)
    divs = [n for n in walk(doc.blocks) if isinstance(n, m.Div)]
    assert [d.attr.get("dir") for d in divs] == ["ltr", "rtl"]
    # no letter to decide by: the direction around it, and the <div> with nothing left goes
    assert isinstance(doc.blocks[-1], m.Paragraph)
    assert divs[0].attr.lang == "en"
    assert all(":10: warning:" in w for w in warnings)  # the bad span line only


def test_the_languages_of_headings_and_figures_are_checked_in_every_edition(tmp_path: Path) -> None:
    from publish import check

    path = tmp_path / "mixed.md"
    path.write_text("---\ntitle: Mixed\nlang: en\n---\n\n## Zusammenfassung {lang=de}\n\nText.\n", encoding="utf-8")
    doc = publish.load(path)
    assert check.expected_languages(doc) == {"de"}
    for fmt in ("html", "epub", "docx"):
        out = publish.build(doc, fmt, tmp_path / f"mixed.{fmt}", Options())
        assert check.check_languages(doc, fmt, out).status == "pass", fmt
