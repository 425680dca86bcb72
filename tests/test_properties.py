"""Property tests: any document goes through all four writers and reads back equal to its model.

The default run tries a few dozen documents; ``nox -s fuzz`` runs the same test with the
``fuzz`` profile (HYPOTHESIS_PROFILE=fuzz) and many more.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, example, given, settings

import publish
from publish import model as m
from publish import readback
from publish.options import Options
from tests.conftest import FIXTURES
from tests.strategies import documents

# Dozens of documents, each in all four formats and read back (the PDF's with poppler's pdftotext).
pytestmark = [pytest.mark.slow, pytest.mark.external]

settings.register_profile(
    "default", max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)
settings.register_profile("fuzz", max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile(  # while working on a failure: no shrinking
    "quick", max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow], phases=[Phase.generate]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


#: Documents the fuzz session once found failing, kept as regression examples.
FOUND = [
    # A right-to-left title: the note's only left-to-right letter also opens the paragraph.
    m.Document(
        m.Metadata(title="א,", identifier="urn:uuid:00000000-0000-4000-8000-000000000000"),
        (
            m.Heading(5, (m.Text("0,"), m.Text("0,"), m.Text("0,")), m.Attr(id="section")),
            m.BulletList(
                (
                    m.ListItem(
                        (
                            m.Paragraph(
                                (m.Text("ß“ 詞術 àçåàçñøü ß"), m.Note((m.Paragraph((m.Text("ß, 0, 0 0,"),)),), "", 1))
                            ),
                        )
                    ),
                )
            ),
        ),
        source=FIXTURES / "generated.md",
    ),
]


@given(documents())
@example(FOUND[0])
def test_any_document_reads_back_equal_in_every_format(doc: m.Document) -> None:
    options = Options(content_root=FIXTURES, epub_split_chars=200)
    with tempfile.TemporaryDirectory() as tmp:
        for fmt in ("html", "epub", "docx", "pdf"):
            path = publish.build(doc, fmt, Path(tmp) / f"generated.{fmt}", options)
            problems = readback.check(doc, fmt, path, options)
            assert problems == [], "\n".join([fmt, *problems])
