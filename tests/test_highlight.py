"""Highlighted code keeps every character, in the HTML markup and in the DOCX runs."""

from __future__ import annotations

from pathlib import Path

import docx
import lxml.html
import pytest
from pygments.styles import get_style_by_name
from pygments.token import Token

import publish
from publish import highlight, readback, transforms
from publish import model as m
from publish.readback import docx as docx_back

#: A real transcript: the prompt lines are input, the rest (the last line above all) output.
CONSOLE = """$ python -m pip install publish
Collecting publish
  Downloading publish-1.0-py3-none-any.whl (41 kB)
Installing collected packages: publish
Successfully installed publish-1.0"""

SAMPLES = {
    "console": CONSOLE,
    "shell-session": "$ echo hello\nhello",
    "yaml": "title: A field guide\nauthors:\n  - name: Ada\n    orcid: 0000-0002-1825-0097\nkeywords: [one, two]",
    "toml": '[build]\nformats = ["html", "pdf"]\ntoc = true',
    "dockerfile": 'FROM python:3.11-slim\nRUN pip install publish\nCMD ["python", "-m", "publish"]',
    "diff": "--- a/guide.md\n+++ b/guide.md\n@@ -1,2 +1,2 @@\n-old line\n+new line",
}


@pytest.mark.parametrize("language", list(SAMPLES))
def test_html_markup_keeps_every_line(language: str) -> None:
    code = SAMPLES[language]
    marked = highlight.html(code, language)
    assert marked is not None
    assert lxml.html.fragment_fromstring(f"<code>{marked}</code>").text_content() == code


@pytest.mark.parametrize("language", list(SAMPLES))
def test_docx_tokens_keep_every_line(language: str) -> None:
    code = SAMPLES[language]
    assert "".join(t.text for t in highlight.tokens(code, language)) == code


def test_the_last_output_line_of_a_console_session_is_output() -> None:
    marked = str(highlight.html(CONSOLE, "console"))
    assert '<span class="go">Successfully installed publish-1.0</span>' in marked


def test_a_token_type_no_style_names_takes_its_nearest_ancestors_look() -> None:
    style = get_style_by_name(highlight.LIGHT)
    assert not style.styles_token(Token.Literal.Scalar.Plain)  # YAML's own type
    assert highlight.styled(style, Token.Literal.Scalar.Plain) is Token.Literal
    assert highlight.styled(style, Token.Keyword.Constant) is Token.Keyword.Constant
    assert highlight.styled(style, Token) is Token


def test_code_ending_in_a_newline_keeps_it() -> None:
    assert "".join(t.text for t in highlight.tokens("$ ls\nfile\n", "console")) == "$ ls\nfile\n"


def _doc() -> m.Document:
    blocks = tuple(m.CodeBlock(code, language) for language, code in SAMPLES.items())
    return transforms.apply(m.Document(m.Metadata("Code", identifier="urn:uuid:0"), blocks))


@pytest.mark.parametrize("fmt", ["html", "epub", "docx"])
def test_every_language_builds_and_reads_back(fmt: str, tmp_path: Path) -> None:
    doc = _doc()
    path = publish.build(doc, fmt, tmp_path / f"code.{fmt}")
    assert readback.check(doc, fmt, path) == []


def test_docx_code_paragraphs_hold_the_whole_code(tmp_path: Path) -> None:
    path = publish.build(_doc(), "docx", tmp_path / "code.docx")
    paragraphs = docx.Document(str(path)).paragraphs
    found = [docx_back.paragraph_text(p._p) for p in paragraphs if p.style.name == "Source Code"]
    assert found[0].endswith("Successfully installed publish-1.0")
    assert found[2].startswith("title: A field guide") and found[2].endswith("keywords: [one, two]")
