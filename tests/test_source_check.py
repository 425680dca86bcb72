"""The ``source`` check proves the reader: every word of the source in the model, and pandoc's
reading of the same file as a second opinion. It passes on every document we ship, and fails
(at the source's ``file:line``) when the reader loses or mangles text."""

from __future__ import annotations

import dataclasses
import logging
import re
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

import publish
from publish import api, check, layout, transforms, walk
from publish import model as m
from publish.check import pandoc as pandoc_check
from publish.check import source
from publish.options import Options
from tests.conftest import DOCUMENTS, ROOT, write

BOOK = ROOT / "tests" / "books" / "field-guide"


def run_source(path: Path) -> dict[str, check.Result]:
    doc = publish.load(path)
    return {r.label: r for r in (c.run(doc, path, Options()) for c in check.SOURCE_CHECKS)}


def lossy(fn: Callable[[m.Document], m.Document], monkeypatch: pytest.MonkeyPatch) -> None:
    """The reader made to lose something: every document it loads goes through ``fn``."""
    load = api.load
    monkeypatch.setattr(api, "load", lambda *args, **kwargs: fn(load(*args, **kwargs)))


# ---------------------------------------------------------------- it passes where nothing is lost


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_every_document_we_ship_passes(name: str) -> None:
    results = run_source(DOCUMENTS[name])
    assert {label: (r.status, r.details) for label, r in results.items()} == {
        "source (words)": ("pass", []),
        "source (pandoc)": ("pass", []),
    }


def test_the_book_passes_chapter_by_chapter() -> None:
    [book] = [s for s in layout_sources(BOOK) if isinstance(s, layout.Book)]
    doc = api.load_source(book, Options(content_root=BOOK))
    for c in check.SOURCE_CHECKS:
        result = c.run(doc, book, Options(content_root=BOOK))
        assert (result.label, result.status, result.details) == (f"source ({c.against})", "pass", [])


def layout_sources(content: Path) -> list[layout.Source]:
    from publish import config

    settings = config.resolve(config.CommandLine(content=content, out=content / "_out"))
    return config.sources(settings)


# ---------------------------------------------------------------- it fails where the reader loses text

CONSOLE = """---
title: Install
---

Run these two commands:

```console
$ pip install publish
$ publish all
```

Then open the output.
"""


def drop_last_code_line(doc: m.Document) -> m.Document:
    def fn(node: m.Block | m.Inline) -> m.Block | m.Inline:
        if isinstance(node, m.CodeBlock):
            return dataclasses.replace(node, text="\n".join(node.text.split("\n")[:-1]))
        return node

    return transforms.rewrite(doc, fn)  # type: ignore[arg-type]


def test_a_dropped_last_line_of_a_console_block_is_found_at_its_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path, "install.md", CONSOLE)
    assert run_source(path)["source (words)"].status == "pass"
    lossy(drop_last_code_line, monkeypatch)
    results = run_source(path)
    assert results["source (words)"].status == "fail"
    assert results["source (words)"].details == [f"{path}:9: not in the model: 'publish all'"]
    pandoc_result = results["source (pandoc)"]
    assert pandoc_result.details == [
        f"{path}:8: publish reads 'code: $ pip install publish', "
        "pandoc reads 'code: $ pip install publish $ publish all'"
    ]


MATH = """---
title: Squares
---

The area is $x^2$ and the volume $y^3$, both in metres.
"""


def math_as_written(doc: m.Document) -> m.Document:
    """What a reader without math does: ``$x^2$`` kept as the text written."""

    def fn(node: m.Block | m.Inline) -> m.Block | m.Inline:
        return m.Text(f"${node.tex}$") if isinstance(node, m.Math) else node

    return transforms.rewrite(doc, fn)  # type: ignore[arg-type]


def test_math_as_text_keeps_its_words_but_pandoc_sees_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, "math.md", MATH)
    assert {r.status for r in run_source(path).values()} == {"pass"}  # a formula shows what pandoc's does
    lossy(math_as_written, monkeypatch)
    results = run_source(path)
    assert results["source (words)"].status == "pass"  # not a word is lost...
    assert results["source (pandoc)"].details == [  # ...but the formulas are not formulas
        f"{path}:5: publish reads 'text: The area is $x^2$ and the volume $y^3$, both in metres.', "
        "pandoc reads 'text: The area is x2 and the volume y3, both in metres.'"
    ]


def test_a_lost_word_a_lost_note_and_a_lost_field_each_at_their_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(
        tmp_path,
        "doc.md",
        "---\ntitle: Plain\nsubtitle: A subtitle kept\n---\n\nFirst paragraph.\n\n"
        "Second paragraph with a note.[^n] Its last words.\n\n[^n]: The note's own text.\n",
    )

    def lose(doc: m.Document) -> m.Document:
        def fn(node: m.Block | m.Inline) -> m.Block | m.Inline:
            if isinstance(node, m.Text):
                return m.Text(node.text.replace(" Its last words.", "").replace("own ", ""))
            return node

        doc = transforms.rewrite(doc, fn)  # type: ignore[arg-type]
        return dataclasses.replace(doc, meta=dataclasses.replace(doc.meta, subtitle="A subtitle"))

    lossy(lose, monkeypatch)
    assert run_source(path)["source (words)"].details == [
        f"{path}:3: subtitle: word(s) not in the model: 'kept'",
        f"{path}:8: not in the model: 'Its last words'",
        f"{path}:10: in a note: not in the model: 'own'",
    ]


def test_an_inline_note_over_several_lines_is_a_note_and_its_words_are_checked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(
        tmp_path,
        "doc.md",
        "---\ntitle: T\n---\n\n- An item with a note^[Its first line,\n  its [second] line\n"
        "  and its third.] and after.\n",
    )
    assert run_source(path)["source (words)"].status == "pass"

    def lose(doc: m.Document) -> m.Document:
        def fn(node: m.Block | m.Inline) -> m.Block | m.Inline:
            return m.Text(node.text.replace("second", "")) if isinstance(node, m.Text) else node

        return transforms.rewrite(doc, fn)  # type: ignore[arg-type]

    lossy(lose, monkeypatch)
    assert run_source(path)["source (words)"].details == [f"{path}:6: in a note: not in the model: 'second'"]


# ---------------------------------------------------------------- what is text and what is not


def test_markup_aside_the_words_are_the_text(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "doc.md",
        "---\ntitle: T\n---\n\n"
        "# Heading {#custom .wide}\n\n"
        'A [link](https://example.org/path "Its title") and ![alt words](images/x.png), '
        "H~2~O, 23<sup>rd</sup>, `code_span`, [中文]{lang=zh-Hant} &amp; (c) 2024.\n\n"
        "3. third\n4. fourth\n\n"
        "[ref]: https://example.org/unused\n",
    )
    [text] = source.source_texts(path, Options())
    found = [w for w, _ in source.source_words(text).body]
    assert found == [
        *("Heading", "A", "link", "and", "alt", "words", "H", "2", "O", "23", "rd"),
        *("code", "span", "中", "文", "c", "2024", "third", "fourth"),
    ]


def test_the_typographer_s_replacements_are_declared(tmp_path: Path) -> None:
    path = write(tmp_path, "doc.md", "---\ntitle: T\n---\n\nCopyright (c) 2024, a +- b, Brand(tm) -- etc...\n")
    # pandoc's smart typography: dashes and ellipses, never (c), +- or (tm)
    assert publish.load(path).blocks[0] == m.Paragraph((m.Text("Copyright (c) 2024, a +- b, Brand(tm) – etc…"),))
    assert {r.status for r in run_source(path).values()} == {"pass"}


def test_code_in_a_grid_tables_cells_is_read_alike_and_its_fence_language_is_no_word(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """pandoc's manual: fenced code with quotes in a grid table's cells."""
    table = (
        "+----------------------------------+---------------------------------+\n"
        "| command line                     | defaults file                   |\n"
        "+==================================+=================================+\n"
        "| ```                              | ``` yaml                        |\n"
        "| --default-image-extension \".jpg\" | default-image-extension: '.jpg' |\n"
        "| ```                              | ```                             |\n"
        "+----------------------------------+---------------------------------+\n"
    )
    path = write(tmp_path, "doc.md", f"---\ntitle: T\n---\n\n{table}")
    assert {label: (r.status, r.details) for label, r in run_source(path).items()} == {
        "source (words)": ("pass", []),
        "source (pandoc)": ("pass", []),
    }

    def lose(doc: m.Document) -> m.Document:  # a word of the code lost
        def fn(node: walk.Node) -> walk.Node:
            return (
                dataclasses.replace(node, text=node.text.replace("extension:", ""))
                if isinstance(node, m.CodeBlock)
                else node
            )

        return transforms.rewrite(doc, fn)

    lossy(lose, monkeypatch)
    results = run_source(path)
    assert results["source (pandoc)"].status == "fail"  # (the words of a grid's lines are looked for anywhere)


def test_pandoc_manual_constructs_are_read_alike_and_their_words_found(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What pandoc's manual writes: a label with code in it and one over two lines, a
    definition's destination on the next line, a note's line run on without indentation, an
    indented code block holding note syntax, and a definition marker indented as code."""
    text = (
        "---\ntitle: T\n---\n\n## Extension: `styles` ##\n\n"
        "See [the styles][Extension: `styles`] and an [HTML-like markup][CSL\nmarkup specs].\n\n"
        "Noted.[^1] The syntax is as follows:\n\n"
        "    Here is an inline note.^[Inline notes are easier to write.]\n\n"
        "Grid tables look like this:\n\n    : Sample grid table.\n\n"
        "[^1]: I have been influenced by the suggestions of [David\n  Wheeler](https://example.org/).\n\n"
        "[CSL markup specs]:\n  https://example.org/specs\n"
    )
    path = write(tmp_path, "doc.md", text)
    blocks = publish.load(path).blocks
    assert [type(b).__name__ for b in blocks] == [
        "Heading",
        "Paragraph",
        "Paragraph",
        "CodeBlock",
        "Paragraph",
        "CodeBlock",
    ]
    assert {label: (r.status, r.details) for label, r in run_source(path).items()} == {
        "source (words)": ("pass", []),
        "source (pandoc)": ("pass", []),
    }

    def lose(doc: m.Document) -> m.Document:  # the note's second line lost
        def fn(node: walk.Node) -> walk.Node:
            return m.Text(node.text.replace("Wheeler", "")) if isinstance(node, m.Text) else node

        return transforms.rewrite(doc, fn)

    lossy(lose, monkeypatch)
    result = run_source(path)["source (words)"]
    assert result.status == "fail" and result.details == [f"{path}:19: in a note: not in the model: 'Wheeler'"]


def test_a_fence_with_words_after_its_language_is_code_on_both_sides(tmp_path: Path) -> None:
    """VitePress's ```js twoslash: CommonMark's code; pandoc reads no fence there, and is
    given it as ```js (DIALECT "cells")."""
    path = write(tmp_path, "doc.md", "---\ntitle: T\n---\n\n```js twoslash\nimport x from 'y'\n```\n")
    assert publish.load(path).blocks == (m.CodeBlock("import x from 'y'", "js"),)
    assert {r.status for r in run_source(path).values()} == {"pass"}


def test_a_script_is_no_words_and_a_difference_is_placed_by_whole_words(tmp_path: Path) -> None:
    """Vite's guide: a ``<script setup>`` the reader drops (and says so) holds no words, and
    the component after it, which pandoc reads as text, is placed at its own line (not at
    the script's, which has "images" and "graph.svg" in it), where the reader warned."""
    text = (
        "---\ntitle: T\n---\n\nText with graphs.\n\n<script setup>\n"
        "import graphSvg from '../images/graph.svg?raw'\n</script>\n<svg-image :svg=\"graphSvg\" />\n\nAfter.\n"
    )
    path = write(tmp_path, "doc.md", text)
    results = run_source(path)
    assert (results["source (words)"].status, results["source (words)"].details) == ("pass", [])
    pandoc = results["source (pandoc)"]
    assert pandoc.status == "pass"
    (detail,) = pandoc.details
    assert detail.startswith(f"{path}:10: publish reads 'nothing'") and "declared by the reader" in detail


def test_what_our_dialect_does_not_read_is_reported_by_pandoc(tmp_path: Path) -> None:
    path = write(tmp_path, "doc.md", "---\ntitle: T\n---\n\nThis is ~~struck~~ text.\n# A heading to CommonMark\n")
    result = run_source(path)["source (pandoc)"]
    # pandoc's blank_before_header: a heading right after a paragraph is not one; our dialect
    # (CommonMark's) reads it as one, and says nothing: the difference is reported
    assert result.status == "fail"
    assert result.details == [
        f"{path}:5: publish reads 'text: This is struck text.; heading: A heading to CommonMark', "
        "pandoc reads 'text: This is struck text. # A heading to CommonMark'"
    ]


def test_without_pandoc_the_second_opinion_is_not_checked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pypandoc", None)  # import pypandoc fails
    monkeypatch.setenv("PATH", str(tmp_path))  # and no pandoc on the PATH
    report = check.run([DOCUMENTS["every-node"]], tmp_path, Options(), formats=())
    results = {r.label: r for r in report.documents[0].results}
    assert results["source (words)"].status == "pass"
    assert results["source (pandoc)"].status == "not checked"
    assert results["source (pandoc)"].details == ["pandoc is not installed (the pypandoc-binary package)"]
    assert report.exit_code == 3


def test_the_dialect_is_declared_in_one_place() -> None:
    assert set(pandoc_check.DIALECT) >= {"quotes", "typographer", "math", "raw html", "title", "book"}
    assert all(isinstance(pattern, re.Pattern) for _, pattern, _ in source.DECLARED)


def test_a_loss_the_reader_declares_with_a_warning_is_tolerated_and_listed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A reader that degrades a construct says so at its line; there, and only there, the
    difference is not a failure (it is listed with the warning)."""
    path = write(tmp_path, "doc.md", "---\ntitle: T\n---\n\nKept text.\n\nDegraded text.\n")

    def degrade(doc: m.Document, warn: bool) -> m.Document:
        if warn:
            logging.getLogger("publish").warning("%s:%d: unsupported HTML tag <blink>: dropped", path, 7)
        return dataclasses.replace(doc, blocks=doc.blocks[:1])

    load = api.load
    monkeypatch.setattr(api, "load", lambda *a, **k: degrade(load(*a, **k), warn=False))
    assert run_source(path)["source (words)"].details == [f"{path}:7: not in the model: 'Degraded text'"]
    monkeypatch.setattr(api, "load", lambda *a, **k: degrade(load(*a, **k), warn=True))
    results = run_source(path)
    assert results["source (words)"].status == "pass"
    assert results["source (words)"].details == [
        f"{path}:7: not in the model: 'Degraded text' (declared by the reader: unsupported HTML tag <blink>: dropped)"
    ]
    assert results["source (pandoc)"].status == "pass"
    assert results["source (pandoc)"].details[0].startswith(f"{path}:7: publish reads 'nothing'")
