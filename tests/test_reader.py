"""Markdown → model: every construct of the dialect, and file:line errors for bad input."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

import publish
from publish import model as m
from publish import serialize, text, walk
from publish.errors import PublishError
from tests.conftest import ARTICLE, FIXTURES, write

HEAD = "---\ntitle: T\n---\n"


def body(tmp_path: Path, text: str, head: str = HEAD) -> tuple[m.Block, ...]:
    return publish.load(write(tmp_path, "doc.md", head + text)).blocks


def test_inline_constructs(tmp_path: Path) -> None:
    (para,) = body(tmp_path, 'a *e* **s** ^p^ ~b~ `c` [l](http://x.org "t") [中]{lang=zh-Hant} 2<sup>nd</sup>\\\nz')
    assert isinstance(para, m.Paragraph)
    assert para.content == (
        m.Text("a "),
        m.Emphasis((m.Text("e"),)),
        m.Text(" "),
        m.Strong((m.Text("s"),)),
        m.Text(" "),
        m.Superscript((m.Text("p"),)),
        m.Text(" "),
        m.Subscript((m.Text("b"),)),
        m.Text(" "),
        m.Code("c"),
        m.Text(" "),
        m.Link((m.Text("l"),), "http://x.org", "t"),
        m.Text(" "),
        m.Span((m.Text("中"),), m.Attr(values=(("lang", "zh-Hant"),))),
        m.Text(" 2"),
        m.Superscript((m.Text("nd"),)),
        m.LineBreak(),
        m.Text("z"),
    )


def test_headings_ids_explicit_and_derived(tmp_path: Path) -> None:
    blocks = body(tmp_path, "# One {#first .x}\n\n## Two words!\n\n## Two words!\n")
    assert [(b.level, b.attr.id) for b in blocks if isinstance(b, m.Heading)] == [
        (1, "first"),
        (2, "two-words"),
        (2, "two-words-1"),
    ]
    assert blocks[0].attr.classes == ("x",)  # type: ignore[union-attr]


def test_closing_hashes_go_before_a_headings_attributes(tmp_path: Path) -> None:
    """pandoc's ``### Heading ### {#id}``; ``C#`` keeps its hash (no space before it)."""
    blocks = body(tmp_path, "### Extension: `styles` ### {#ext-styles}\n\n## C# {#cs}\n\n## Plain ##\n")
    assert [(text.plain(b.content), b.attr.id) for b in blocks if isinstance(b, m.Heading)] == [
        ("Extension: styles", "ext-styles"),
        ("C#", "cs"),
        ("Plain", "plain"),
    ]


def test_implicit_header_references_take_the_heading_as_written(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """pandoc's implicit header references: the label is the heading's text as written, code
    spans and all; a definition of the label wins; of two headings of one text, the first;
    a heading no reference names keeps no mark."""
    source = (
        "## Extension: `yaml_metadata_block` ##\n\n## Twice\n\n## Twice\n\n## Defined\n\n"
        "See the [YAML metadata block][Extension: `yaml_metadata_block`],\n"
        "[`Extension: yaml`][extension:   `YAML_metadata_block`], [Twice] and [Defined][].\n\n"
        "[defined]: https://example.org/defined\n"
    )
    blocks = body(tmp_path, source)
    links = [n for n in walk.walk(blocks) if isinstance(n, m.Link)]
    assert [link.url for link in links] == [
        "#extension-yaml_metadata_block",
        "#extension-yaml_metadata_block",
        "#twice",
        "https://example.org/defined",
    ]
    assert all(b.attr.values == () for b in blocks if isinstance(b, m.Heading))
    assert "warning" not in caplog.text


def test_a_reference_nothing_defines_is_kept_as_written_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    source = "Intro.\n\nSee [the guide][nowhere] and\n[the extension][Extension: `styles`] and [here][].\n"
    (_, second) = body(tmp_path, source)
    assert text.plain(second.content) == "See [the guide][nowhere] and [the extension][Extension: styles] and [here][]."  # type: ignore[union-attr]
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert [w.split(": warning: ")[0].rsplit(":", 1)[1] for w in warnings] == ["6", "7", "7"]
    assert [w.split(": warning: ")[1].split(":")[0] for w in warnings] == ["[nowhere]", "[Extension", "[here]"]


def test_a_reference_to_the_heading_that_became_the_title_is_text_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    blocks = publish.load(write(tmp_path, "doc.md", "# The Title\n\nBack to [The Title].\n")).blocks
    assert blocks == (m.Paragraph((m.Text("Back to The Title."),)),)
    assert "doc.md:3: warning: a reference to the heading that became the document's title" in caplog.text


def test_lists_quotes_code_rule(tmp_path: Path) -> None:
    blocks = body(tmp_path, "- a\n  1. b\n\n3. c\n\n> q\n\n```py\nx = 1\n```\n\n---\n")
    bullet, ordered, quote, code, rule = blocks
    assert isinstance(bullet, m.BulletList) and isinstance(bullet.items[0].blocks[1], m.OrderedList)
    assert isinstance(ordered, m.OrderedList) and ordered.start == 3
    assert quote == m.BlockQuote((m.Paragraph((m.Text("q"),)),))
    assert code == m.CodeBlock("x = 1", "py")
    assert rule == m.ThematicBreak()


def test_lone_image_is_figure_with_caption_from_alt(tmp_path: Path) -> None:
    (tmp_path / "img").mkdir()
    (tmp_path / "img" / "p.png").write_bytes((FIXTURES / "images" / "gradient.png").read_bytes())
    (figure,) = body(tmp_path, "![A *fine* picture](img/p.png)\n")
    assert figure == m.Figure(
        m.Image("img/p.png", "A fine picture"), (m.Text("A "), m.Emphasis((m.Text("fine"),)), m.Text(" picture"))
    )


def test_table_with_alignment_and_caption(tmp_path: Path) -> None:
    (table,) = body(tmp_path, "| a | b | c |\n|:--|:-:|--:|\n| 1 | 2 | 3 |\n\n: Caption here\n")
    assert isinstance(table, m.Table)
    assert table.aligns == (m.Align.LEFT, m.Align.CENTER, m.Align.RIGHT)
    assert table.caption == (m.Text("Caption here"),)
    assert [c.content for c in table.rows[0]] == [(m.Text("1"),), (m.Text("2"),), (m.Text("3"),)]


def test_footnotes_hold_their_blocks_and_are_numbered(tmp_path: Path) -> None:
    doc = publish.load(write(tmp_path, "d.md", HEAD + "x[^b] y[^a]\n\n[^a]: A.\n\n[^b]: Bee.\n\n    B2.\n"))
    notes = walk.notes(doc.blocks)
    assert [(n.number, n.label) for n in notes] == [(1, "b"), (2, "a")]
    assert notes[0].blocks == (m.Paragraph((m.Text("Bee."),)), m.Paragraph((m.Text("B2."),)))  # "B." is a list


def test_smart_quotes_and_dashes_follow_the_language(tmp_path: Path) -> None:
    (en,) = body(tmp_path, "\"a\" 'b' -- ---\n")
    assert en == m.Paragraph((m.Text("“a” ‘b’ – —"),))
    (zh,) = body(tmp_path, '說 "甲" 了\n', head="---\ntitle: T\nlang: zh-Hant\n---\n")
    assert zh == m.Paragraph((m.Text("說 「甲」 了"),))


def test_metadata_is_typed(tmp_path: Path) -> None:
    meta = publish.load(ARTICLE).meta
    assert meta.title == "Justice for Western Azerbaijan Community"
    assert meta.date == dt.date(2024, 10, 23)
    assert meta.lang == "en"
    assert meta.authors == (
        m.Person(
            "Khalid Taimur Akram",
            "Mr.",
            "Executive Director",
            "Pakistan Research Center for a Community with Shared Future (PRCCSF), Islamabad",
        ),
    )
    assert [[(n.text, n.lang) for n in org.names] for org in meta.publishers] == [
        [("中國傳媒大學", "zh-Hant"), ("Communication University of China", "en")],
        [("Institute for a Community with Shared Future", "en"), ("人類命運共同體研究院", "zh-Hant")],
    ]
    assert meta.identifier.startswith("urn:uuid:")
    assert publish.load(ARTICLE).meta.identifier == meta.identifier  # stable


def test_unknown_keys_are_kept_as_extra(tmp_path: Path) -> None:
    doc = publish.load(FIXTURES / "every-node.md")
    assert doc.meta.extra == (("toc", "true"), ("series", '"Test fixtures"'))


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("---\ntitle: [unclosed\n---\n\nx\n", 3, "invalid YAML"),
        ("---\ntitle: T\nlang: xx-Nope-123456789\n---\n\nx\n", 3, "language tag"),
        ("---\ntitle: T\nlang: qq\n---\n\nx\n", 3, "unknown language"),
        ("---\ntitle: &a T\nsubtitle: *a\n---\n\nx\n", 3, "aliases"),
        ("---\ntitle: T\n---\n\n", 4, "no text"),
        ("+++\ntitle = 'T'\ndate = \n+++\n\nx\n", 3, "invalid TOML"),
        ("---\ntitle: T\nauthors:\n  - name: A\n    orcid: 12\n---\n\nx\n", 3, "not an ORCID"),
    ],
)
def test_bad_input_is_reported_with_file_and_line(tmp_path: Path, text: str, line: int, words: str) -> None:
    path = write(tmp_path, "doc.md", text)
    with pytest.raises(PublishError) as info:
        publish.load(path)
    assert info.value.file == path and info.value.line == line
    assert words in str(info.value)
    assert str(info.value).startswith(f"{path}:{line}: ")


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("---\ntitle: T\n---\n\nok\n\n<div>x</div>\n", 7, None),
        ("---\ntitle: T\n---\n\nok <script>x</script>\n", 5, "<script> removed with its content"),
        ("---\ntitle: T\n---\n\nline\nsee [^nope]\n", 6, "footnote [^nope] is referenced but not defined"),
        ("---\ntitle: T\n---\n\n![x](missing.png)\n", 5, "not found"),
        ("---\ntitle: T\n---\n\n![x](doc.md)\n", 5, "not an image"),
        ("---\ntitle: T\n---\n\n![x](http://169.254.169.254/a.png)\n", 5, "remote image"),
        ("---\nauthor: A\n---\n\nx\n", 1, "no title"),
        ("---\ntitle: T\ndate: 23 Oct\n---\n\nx\n", 3, "not a date"),
        ("no front matter\n", 1, "no title"),
        ("---\ntitle: T\n---\n\nx <sup>open\n", 5, "never closed"),
        ("---\ntitle: T\n---\n\nsee [here](#nowhere)\n", 5, "no such heading"),
        ("---\ntitle: T\n---\n\nsee [the guide](guide.md)\n", 5, "set as text"),
        ("---\ntitle: T\n---\n\n<blink>hi</blink>\n", 5, "<blink> is not an HTML element"),
    ],
)
def test_degraded_input_builds_with_a_warning_at_file_and_line(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, text: str, line: int, words: str | None
) -> None:
    path = write(tmp_path, "doc.md", text)
    doc = publish.load(path)
    assert doc.meta.title
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    if words is None:
        assert warnings == []
        return
    assert any(w.startswith(f"{path}:{line}: warning: ") and words in w for w in warnings), warnings
    with pytest.raises(PublishError, match="with --strict"):
        publish.api.load(path, strict=True)


def test_every_error_of_a_document_is_reported_in_one_run(tmp_path: Path) -> None:
    path = write(tmp_path, "doc.md", "---\ntitle: T\nlang: qq\nauthors:\n  - name: A\n    orcid: 1\n---\n\nx\n")
    with pytest.raises(PublishError) as info:
        publish.load(path)
    lines = str(info.value).splitlines()
    assert [line.split(": ", 1)[0] for line in lines] == [f"{path}:3", f"{path}:4"]


def test_deep_nesting_is_refused_not_silently_dropped(tmp_path: Path) -> None:
    path = write(tmp_path, "doc.md", HEAD + "\n" + ">" * 60 + " deep text\n")
    with pytest.raises(PublishError, match="nested"):
        publish.load(path)


def test_control_characters_are_removed_once_at_ingest(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    (para,) = body(tmp_path, "a\x00b\x1bc\n")
    assert para == m.Paragraph((m.Text("abc"),))
    assert "U+0000" in caplog.text


def test_json_dump_round_trips(tmp_path: Path) -> None:
    for path in (FIXTURES / "every-node.md", FIXTURES / "chinese.md", ARTICLE):
        doc = publish.load(path)
        text = serialize.dumps(doc)
        assert '"publish-api-version": [\n    1,\n    4\n  ]' in text
        assert serialize.loads(text) == doc


def test_model_is_immutable() -> None:
    doc = publish.load(ARTICLE)
    with pytest.raises(AttributeError):
        doc.meta.title = "x"  # type: ignore[misc]
    assert isinstance(doc.blocks, tuple)


def test_pandoc_reads_the_same_structure() -> None:
    """A second opinion: pandoc's Markdown reader finds the same headings and notes."""
    import json

    import pypandoc

    for path in (FIXTURES / "every-node.md", ARTICLE):
        ast = json.loads(pypandoc.convert_file(str(path), "json", format="markdown"))
        theirs = [(b["c"][0], b["c"][1][0]) for b in ast["blocks"] if b["t"] == "Header"]
        doc = publish.load(path)
        ours = [(b.level, b.attr.id) for b in doc.blocks if isinstance(b, m.Heading)]
        assert ours == theirs
        their_notes = json.dumps(ast).count('"t": "Note"')
        assert their_notes == len(walk.notes(doc.blocks))


def test_straight_quotes_in_chinese_text_become_corner_brackets(tmp_path: Path) -> None:
    head = "---\ntitle: T\nlang: zh-Hant\n---\n"
    (para,) = body(tmp_path, '他說"你好"然後[說"再見"]{lang=zh-Hans}。\n', head=head)
    assert txt_of(para) == "他說「你好」然後說“再見”。"


def txt_of(block: m.Block) -> str:
    assert isinstance(block, m.Paragraph)
    return text.plain(block.content)


@pytest.mark.external
def test_lone_surrogates_and_controls_are_cleaned_once_for_every_writer(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    source = "---\ntitle: Dirty\n---\n\nwire\ud800 copy\x07 from a PDF\ufffe extraction.\n"
    doc = publish.loads(source, tmp_path / "dirty.md")
    assert doc.blocks == (m.Paragraph((m.Text("wire copy from a PDF extraction."),)),)
    assert caplog.text.count("removed control character") == 3 and "dirty.md:5" in caplog.text
    from publish import readback

    for fmt in ("html", "pdf", "epub", "docx"):
        path = publish.build(doc, fmt, tmp_path / f"dirty.{fmt}")
        assert readback.check(doc, fmt, path) == []
