"""publish.toml: defaults for every document, build settings, errors at their line."""

from __future__ import annotations

from pathlib import Path

import pikepdf
import pytest

import publish
from publish import cli
from tests.conftest import write

TOML = """\
[defaults]
lang = "fr"
rights = "CC BY 4.0"
publishers = [{ names = [{ text = "Presses de l'Atelier" }, { text = "Atelier Press", lang = "en" }] }]

[build]
formats = ["html", "pdf"]
paper = "A5"
pdf-variant = "pdf/a-3a"
theme = "theme"
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    content = tmp_path / "content"
    write(content, "publish.toml", TOML)
    write(content, "theme/base/dateline.html", '<time datetime="{{ date.iso }}">le {{ date.text }}</time>{#- -#}')
    write(content, "plain.md", "---\ntitle: Sans langue\ndate: 2024-10-23\n---\n\n« Bonjour ».\n")
    write(content, "english.md", "---\ntitle: In English\nlang: en\nrights: All rights reserved\n---\n\nHello.\n")
    monkeypatch.chdir(tmp_path)
    return content


def test_defaults_apply_and_front_matter_wins(project: Path) -> None:
    assert cli.main(["all", "-q"]) == 0
    out = project.parent / "output"
    assert sorted(p.name for p in (out / "plain").iterdir()) == ["plain.html", "plain.pdf"]  # [build] formats
    plain = (out / "plain" / "plain.html").read_text(encoding="utf-8")
    assert '<html lang="fr">' in plain and "Presses de l&#39;Atelier" in plain and "CC BY 4.0" in plain
    assert "le 23 octobre 2024" in plain  # the theme named in publish.toml
    english = (out / "english" / "english.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in english and "All rights reserved" in english and "CC BY" not in english
    with pikepdf.open(out / "plain" / "plain.pdf") as pdf:
        width, height = (float(v) for v in pdf.pages[0].MediaBox[2:])
        assert (round(width), round(height)) == (420, 595)  # A5
        with pdf.open_metadata() as xmp:
            assert xmp["pdfaid:part"] == "3"


def test_the_command_line_wins_over_publish_toml(project: Path) -> None:
    assert cli.main(["pdf", "-q", "--pdf-variant", "plain", "--paper", "A4"]) == 0
    with pikepdf.open(project.parent / "output" / "plain" / "plain.pdf") as pdf:
        assert "/StructTreeRoot" not in pdf.Root
        assert round(float(pdf.pages[0].MediaBox[3])) == 842


def test_editing_publish_toml_rebuilds(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["all", "-q"]) == 0
    assert cli.main(["all"]) == 0
    assert "4 edition(s) up to date" in capsys.readouterr().out
    toml = project / "publish.toml"
    toml.write_text(toml.read_text().replace('rights = "CC BY 4.0"', 'rights = "CC BY-SA 4.0"'))
    assert cli.main(["all"]) == 0
    assert "wrote" in capsys.readouterr().out
    assert "CC BY-SA 4.0" in (project.parent / "output" / "plain" / "plain.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[build]\nformat = ["html"]\n', "publish.toml:2: unknown key 'format' in [build]"),
        ("[site]\nname = 1\n", "publish.toml:1: unknown table or key 'site'"),
        ("[defaults]\nrights = 'x'\nlang = \"xx-nonsense-tag\"\n", "publish.toml:3: [defaults] 'lang'"),
        ('[defaults]\ntitle = "One for all"\n', "publish.toml:2: a title cannot be a default"),
        ('[build]\npaper = "A3"\n', "publish.toml:2: [build] paper: one of A4, A5, B5, Letter, Legal"),
        ('[build]\ntheme = "nowhere"\n', "publish.toml:2: [build] theme:"),
        ("[build\nformats = 1\n", "publish.toml:1: invalid TOML"),
        ('[defaults]\nlang = "fr"\n\nlicence = "CC0"\n', "publish.toml:4: [defaults]: unknown key 'licence'"),
        ('[books.b]\ntitle = "B"\n', "publish.toml:1: [books.b] chapters: a list of the chapters"),
        ('[books.b]\ntitle = "B"\nchapters = ["../x.md"]\n', "publish.toml:3: [books.b] chapters: '../x.md' is not"),
        ('[books.b]\ntitle = "B"\nchapter = ["plain.md"]\n', "publish.toml:1: [books.b] chapters:"),
        ('[books.b]\nchapters = ["plain.md"]\n', "publish.toml:2: [books.b] needs a title"),
        (
            '[books.b]\ntitle = "B"\nchapters = ["plain.md"]\nsubtitel = "x"\n',
            "publish.toml:4: [books.b]: unknown key 'subtitel'",
        ),
        (
            '[books.a]\ntitle = "A"\nchapters = ["plain.md"]\n[books.b]\ntitle = "B"\nchapters = ["plain.md"]\n',
            "publish.toml:6: [books.b] chapters: plain.md is already a chapter of 'a'",
        ),
        ('[books."a b"]\ntitle = "B"\nchapters = ["plain.md"]\n', "publish.toml:1: book name 'a b'"),
    ],
)
def test_bad_publish_toml_is_an_error_at_its_line(
    project: Path, capsys: pytest.CaptureFixture[str], text: str, message: str
) -> None:
    (project / "publish.toml").write_text(text)
    assert cli.main(["all", "-q"]) == 2
    assert f"error: content/{message}" in capsys.readouterr().err


def test_the_library_takes_defaults(tmp_path: Path) -> None:
    source = write(tmp_path, "doc.md", "---\ntitle: T\n---\n\nText.\n")
    doc = publish.load(source, defaults={"lang": "de", "keywords": ["a", "b"]})
    assert doc.meta.lang == "de" and doc.meta.keywords == ("a", "b")
