"""pandoc's simple, multiline and grid tables: read as pandoc 3.9 reads them, written with
their spans, header rows, widths and block cells in all four editions, and read back."""

from __future__ import annotations

import json
import subprocess
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from lxml import etree

import publish
from publish import model as m
from publish import readback, tablegrid, text
from publish.check.pandoc import pandoc
from publish.options import Options
from tests.conftest import FIXTURES, FORMATS
from tests.strategies import spanned_table

FIXTURE = FIXTURES / "tables.md"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _tables(path: Path = FIXTURE) -> list[m.Table]:
    return [b for b in publish.load(path).blocks if isinstance(b, m.Table)]


def _ours(table: m.Table) -> list[list[tuple[str, int, int]]]:
    return [[(tablegrid.cell_text(c), c.rowspan, c.colspan) for c in row] for row in tablegrid.all_rows(table)]


def _text(node: Any) -> str:
    if isinstance(node, list):
        return " ".join(_text(n) for n in node)
    if isinstance(node, dict):
        if node.get("t") == "Str":
            return str(node["c"])
        return _text(node.get("c", []))
    return ""


def _pandoc_tables(path: Path) -> list[dict[str, Any]]:
    run = subprocess.run(
        [pandoc(), "-f", "markdown", "-t", "json", str(path)], capture_output=True, text=True, check=True
    )
    return [b for b in json.loads(run.stdout)["blocks"] if b["t"] == "Table"]


def _theirs(table: dict[str, Any]) -> list[list[tuple[str, int, int]]]:
    c = table["c"]
    rows = [*c[3][1], *(r for body in c[4] for r in body[3]), *c[5][1]]
    return [[(" ".join(_text(cell[4]).split()), cell[2], cell[3]) for cell in row[1]] for row in rows]


def _aligns(table: dict[str, Any]) -> list[str]:
    return [a[0]["t"][5:].lower() for a in table["c"][2]]


def test_every_table_of_the_fixture_is_read_as_pandoc_reads_it() -> None:
    ours, theirs = _tables(), _pandoc_tables(FIXTURE)
    assert len(ours) == len(theirs) == 6
    for mine, other in zip(ours, theirs, strict=True):
        assert [[(t.replace("’", "'"), r, c) for t, r, c in row] for row in _ours(mine)] == [
            [(t.replace("’", "'").replace("“", '"'), r, c) for t, r, c in row] for row in _theirs(other)
        ]
        assert [a.value for a in mine.aligns] == _aligns(other)
        assert len(mine.header_rows) == len(other["c"][3][1])


def test_simple_table_alignments_and_the_headerless_form() -> None:
    simple, headless = _tables()[:2]
    assert [a.value for a in simple.aligns] == ["right", "left", "center", "default"]
    assert simple.caption and simple.widths == ()
    assert headless.header == () and [a.value for a in headless.aligns] == ["right", "left", "center", "right"]


def test_multiline_cells_are_joined_and_widths_come_from_the_dashes() -> None:
    table = _tables()[2]
    assert tablegrid.cell_text(table.header[0]) == "Centered Header"
    assert tablegrid.cell_text(table.rows[0][3]) == "Example of a row that spans multiple lines."
    assert len(table.widths) == 4 and abs(sum(table.widths) - 1) < 1e-9
    assert table.widths[3] > table.widths[2] > table.widths[0] > table.widths[1]  # 25, 15, 11, 7 dashes


def test_grid_table_spans_header_rows_and_block_cells() -> None:
    table = _tables()[3]
    assert len(table.header_rows) == 2 and table.header[0].colspan == 2
    assert table.rows[0][0].rowspan == 3 and tablegrid.cell_text(table.rows[0][0]) == "Temperature 1961-1990"
    notes, sources = table.rows[3][1], table.rows[4][1]
    assert notes.content == () and isinstance(notes.blocks[0], m.BulletList)
    assert [type(b) for b in sources.blocks] == [m.Paragraph, m.Paragraph]
    assert any(isinstance(n, m.Emphasis) for n in sources.blocks[1].content)  # inline Markdown in a cell


def test_a_grid_table_whose_lines_do_not_line_up_is_kept_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "bad.md"
    path.write_text("---\ntitle: T\n---\n\n+---+---+\n| a | b |\n+---+--+\n", encoding="utf-8")
    blocks = publish.load(path).blocks
    assert isinstance(blocks[0], m.CodeBlock)
    assert "do not line up" in caplog.text


def test_a_grid_foot_becomes_the_last_rows_with_a_warning(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "foot.md"
    grid = "+---+---+\n| a | b |\n+===+===+\n| c | d |\n+===+===+\n| e | f |\n+===+===+\n"
    path.write_text("---\ntitle: T\n---\n\n" + grid, encoding="utf-8")
    (table,) = _tables(path)
    assert _ours(table) == _theirs(_pandoc_tables(path)[0])
    assert [tablegrid.cell_text(c) for c in table.rows[-1]] == ["e", "f"]
    assert "foot" in caplog.text


def test_html_has_spans_header_rows_colgroup_and_block_cells(tmp_path: Path) -> None:
    path = publish.build(publish.load(FIXTURE), "html", tmp_path / "t.html", Options())
    html = path.read_text(encoding="utf-8")
    tree = etree.HTML(html)
    grid = tree.xpath("//table")[3]
    assert len(grid.xpath("thead/tr")) == 2
    assert grid.xpath("thead/tr[1]/th[1]/@colspan") == ["2"]
    assert grid.xpath("tbody/tr[1]/td[1]/@rowspan") == ["3"]
    assert grid.xpath("tbody/tr[4]/td[2]/ul/li")
    assert len(grid.xpath("tbody/tr[5]/td[2]/p")) == 2
    assert len(grid.xpath("colgroup/col")) == 3
    assert not tree.xpath("//table")[1].xpath("thead")  # headerless


def test_docx_merges_cells_and_repeats_every_header_row(tmp_path: Path) -> None:
    path = publish.build(publish.load(FIXTURE), "docx", tmp_path / "t.docx", Options())
    with zipfile.ZipFile(path) as z:
        body = etree.fromstring(z.read("word/document.xml"))
    grid = body.findall(f".//{W}tbl")[3]
    rows = grid.findall(f"{W}tr")
    assert [r.find(f"{W}trPr/{W}tblHeader") is not None for r in rows[:3]] == [True, True, False]
    assert rows[0].find(f"{W}tc/{W}tcPr/{W}gridSpan").get(f"{W}val") == "2"
    merges = [tc.find(f"{W}tcPr/{W}vMerge") for tc in (r.findall(f"{W}tc")[0] for r in rows[2:5])]
    assert [x.get(f"{W}val") if x is not None else None for x in merges] == ["restart", None, None]
    assert all(x is not None for x in merges)
    # pandoc's DOCX reader sees the spans
    run = subprocess.run([pandoc(), "-f", "docx", "-t", "json", str(path)], capture_output=True, text=True, check=True)
    tables = [b for b in json.loads(run.stdout)["blocks"] if b["t"] == "Table"]
    spans = [(c[2], c[3]) for row in _theirs_rows(tables[3]) for c in row if (c[2], c[3]) != (1, 1)]
    assert spans == [(1, 2), (3, 1), (1, 2), (1, 2)]


def _theirs_rows(table: dict[str, Any]) -> list[list[Any]]:
    c = table["c"]
    return [row[1] for row in [*c[3][1], *(r for body in c[4] for r in body[3])]]


@pytest.mark.slow
@pytest.mark.parametrize("fmt", FORMATS)
def test_every_edition_reads_back_as_the_model(tmp_path: Path, fmt: str) -> None:
    doc = publish.load(FIXTURE)
    path = publish.build(doc, fmt, tmp_path / f"t.{fmt}", Options())
    assert readback.check(doc, fmt, path, Options()) == []


def test_a_lost_span_is_caught(tmp_path: Path) -> None:
    doc = publish.load(FIXTURE)
    path = publish.build(doc, "html", tmp_path / "t.html", Options())
    path.write_text(path.read_text(encoding="utf-8").replace(' rowspan="3"', ""), encoding="utf-8")
    assert readback.check(doc, "html", path, Options()) != []


RAW = """<table>
<thead>
<tr><th colspan="2">Wide</th></tr>
<tr><th>a</th><th>b</th></tr>
</thead>
<tbody>
<tr><td rowspan="2">tall</td><td>x</td></tr>
<tr><td>y</td></tr>
</tbody>
</table>
"""


def test_a_raw_html_table_keeps_its_spans_and_header_rows(tmp_path: Path) -> None:
    path = tmp_path / "raw.md"
    path.write_text("---\ntitle: T\n---\n\n" + RAW, encoding="utf-8")
    (table,) = _tables(path)
    assert _ours(table) == [[("Wide", 1, 2)], [("a", 1, 1), ("b", 1, 1)], [("tall", 2, 1), ("x", 1, 1)], [("y", 1, 1)]]
    assert len(table.header_rows) == 2 and len(table.aligns) == 2


def test_raw_html_spans_past_the_limit_are_dropped_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "huge.md"
    rows = '<tr><td colspan="1000" rowspan="1000">a</td></tr>\n' * 200
    path.write_text(f"---\ntitle: T\n---\n\n<table>\n{rows}</table>\n", encoding="utf-8")
    (table,) = _tables(path)
    assert all(c.colspan == c.rowspan == 1 for c in tablegrid.cells(table))
    assert "spans dropped" in caplog.text


def test_the_pandoc_check_compares_spans() -> None:
    from publish.check.pandoc import _texts, pandoc_outline
    from publish.check.source import source_texts
    from publish.outline import render

    (text,) = source_texts(FIXTURE, Options())
    theirs = _texts(render(pandoc_outline(pandoc(), text)))
    assert theirs.count("span: colspan=2 rowspan=1") == 3 and theirs.count("span: colspan=1 rowspan=3") == 1


@pytest.mark.slow
@pytest.mark.external
@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True)
@given(spanned_table())
def test_any_spanned_table_reads_back_equal_in_every_format(table: m.Table) -> None:
    doc = m.Document(
        m.Metadata(title="Spans", identifier="urn:uuid:00000000-0000-4000-8000-000000000001"),
        (m.Paragraph((m.Text("Before."),)), table),
        source=FIXTURES / "generated.md",
    )
    options = Options(content_root=FIXTURES)
    with tempfile.TemporaryDirectory() as tmp:
        for fmt in FORMATS:
            path = publish.build(doc, fmt, Path(tmp) / f"generated.{fmt}", options)
            assert readback.check(doc, fmt, path, options) == [], fmt


@pytest.mark.parametrize(
    "source",
    [
        "# Heading\n-----  -----\n",  # a heading, then a rule
        "Head1  Head2\n-----  -----\n\nAfter.\n",  # a header without rows is no table
        "A paragraph\n+---+---+\n| a | b |\n+---+---+\n",  # no table inside a paragraph
    ],
)
def test_what_pandoc_does_not_read_as_a_table_is_no_table(tmp_path: Path, source: str) -> None:
    path = tmp_path / "none.md"
    path.write_text("---\ntitle: T\n---\n\n" + source, encoding="utf-8")
    assert _tables(path) == [] and _pandoc_tables(path) == []


def test_wide_characters_take_two_columns_as_in_pandoc(tmp_path: Path) -> None:
    path = tmp_path / "cjk.md"
    path.write_text(
        "---\ntitle: T\n---\n\n+------+------+\n| 漢字 | カナ |\n+======+======+\n| 中   | 文   |\n+------+------+\n"
    )
    (table,) = _tables(path)
    assert (
        _ours(table)
        == _theirs(_pandoc_tables(path)[0])
        == [[("漢字", 1, 1), ("カナ", 1, 1)], [("中", 1, 1), ("文", 1, 1)]]
    )


def test_the_words_check_finds_a_grid_cell_word_the_model_lost() -> None:
    import dataclasses

    from publish.check.report import FAIL, PASS
    from publish.check.sourcewords import check_words

    doc = publish.load(FIXTURE)
    assert check_words(doc, FIXTURE, Options()).status == PASS
    grid = next(b for b in doc.blocks if isinstance(b, m.Table) and len(b.header_rows) == 2)
    first, *rest = grid.rows
    lost = dataclasses.replace(first[0], content=(m.Text("Temperature"),))  # "1961-1990" lost
    blocks = tuple(dataclasses.replace(b, rows=((lost, *first[1:]), *rest)) if b is grid else b for b in doc.blocks)
    result = check_words(dataclasses.replace(doc, blocks=blocks), FIXTURE, Options())
    assert result.status == FAIL and any("1961" in d for d in result.details)


GRIDS = [
    "+---+\n| a |\n+===+\n| f |\n+===+\n",  # a header and a foot
    "+---+\n| h |\n+===+\n| b |\n+---+\n| f |\n+===+\n",  # the foot: every row after the header
    "+---+\n| h |\n+===+\n| b |\n+===+\n| f |\n+===+\n",  # header, body, foot
    "+---+\n| b |\n+===+\n",  # a "=" bottom border alone: every row is a header row
    "+---+---+\n| a | b |\n+---+   +\n| c |   |\n+---+---+\n",  # headerless, a cell spanning rows
    "+:--+--:+\n| l | r |\n+---+---+\n",  # headerless alignments from the top border
    "+---+---+---+\n| a     | b |\n+===+===+===+\n| c | d     |\n+---+---+---+\n",  # column spans
    # a grid table in a cell (after a border never closed, which is no table)
    "+--+\n|a\n\nText.\n\n+---------------+------+\n| +---+---+     | x    |\n| | a | b |     |      |\n"
    "| +---+---+     |      |\n+---------------+------+\n",
]


@pytest.mark.parametrize("grid", GRIDS)
def test_grid_tables_read_as_pandoc_reads_them(tmp_path: Path, grid: str) -> None:
    path = tmp_path / "grid.md"
    path.write_text("---\ntitle: T\n---\n\n" + grid, encoding="utf-8")
    (table,) = _tables(path)
    (theirs,) = _pandoc_tables(path)
    assert _ours(table) == _theirs(theirs)
    assert len(table.header_rows) == len(theirs["c"][3][1])
    assert [a.value for a in table.aligns] == _aligns(theirs)


INDENTED = [
    "    Right     Left\n  -------     ------\n       12     12\n",  # a right-aligned header stands in
    "     Right     Left\n   -------   ------\n         12   12\n",
]


@pytest.mark.parametrize("source", INDENTED)
def test_a_simple_table_header_indented_past_its_dashes_is_a_table_as_in_pandoc(tmp_path: Path, source: str) -> None:
    path = tmp_path / "indented.md"
    path.write_text("---\ntitle: T\n---\n\nText.\n\n" + source, encoding="utf-8")
    (table,) = _tables(path)
    (theirs,) = _pandoc_tables(path)
    assert _ours(table) == _theirs(theirs) == [[("Right", 1, 1), ("Left", 1, 1)], [("12", 1, 1), ("12", 1, 1)]]


def test_a_table_indented_four_columns_dashes_and_all_is_code_as_in_pandoc(tmp_path: Path) -> None:
    path = tmp_path / "code.md"
    path.write_text("---\ntitle: T\n---\n\nText.\n\n    Right   Left\n    -----   ----\n       12   12\n")
    assert _tables(path) == [] == _pandoc_tables(path)
    assert any(isinstance(b, m.CodeBlock) for b in publish.load(path).blocks)


def _caption(path: Path) -> list[str]:
    return [" ".join(_text(t["c"][1][1]).split()) for t in _pandoc_tables(path)]


@pytest.mark.parametrize("table", ["| a | b |\n|---|---|\n| 1 | 2 |\n", "-------\n a   b\n--- ---\n 1   2\n-------\n"])
def test_a_caption_before_a_table_after_a_paragraph_is_no_definition(tmp_path: Path, table: str) -> None:
    # "Term" / blank / ": caption" / blank / a table: pandoc's paragraph and captioned table
    path = tmp_path / "caption.md"
    path.write_text(f"---\ntitle: T\n---\n\nMultiline table with caption:\n\n:  The caption.\nOn two lines.\n\n{table}")
    blocks = publish.load(path).blocks
    assert [type(b).__name__ for b in blocks] == ["Paragraph", "Table"]
    assert isinstance(blocks[1], m.Table) and text.plain(blocks[1].caption) == "The caption. On two lines."
    assert _caption(path) == ["The caption. On two lines."]


@pytest.mark.parametrize(
    "source",
    [
        "Term\n\n~ Def.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",  # ~ marks no caption
        "Term\n: Def.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",  # a tight definition
        "Term\n\n: Def.\n\n    More.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",  # a definition of two paragraphs
    ],
)
def test_a_definition_before_a_table_stays_one_where_pandoc_keeps_it(tmp_path: Path, source: str) -> None:
    path = tmp_path / "definition.md"
    path.write_text("---\ntitle: T\n---\n\n" + source, encoding="utf-8")
    blocks = publish.load(path).blocks
    assert isinstance(blocks[0], m.DefinitionList) and isinstance(blocks[1], m.Table) and not blocks[1].caption
    assert _caption(path) == [""]


def test_a_pipe_inside_a_formula_or_code_in_a_pipe_table_stays_in_its_cell_as_in_pandoc(tmp_path: Path) -> None:
    # lecture notes write kets |uud⟩ and norms |x| in table cells: pandoc keeps each formula whole
    path = tmp_path / "kets.md"
    path.write_text(
        "---\ntitle: K\n---\n\n| State | Expression |\n|---|---|\n"
        "| S | $\\frac{1}{\\sqrt{2}}( |uud\\rangle - |udu\\rangle )$ |\n"
        "| `a|b` | $\\|v\\|$ and a \\| pipe |\n| $5 | $6 |\n"
    )
    (table,) = _tables(path)
    (theirs,) = _pandoc_tables(path)
    assert [len(r) for r in tablegrid.all_rows(table)] == [len(r[1]) for r in theirs["c"][3][1] + theirs["c"][4][0][3]]
    formulas = [n.tex for c in tablegrid.cells(table) for n in c.content if isinstance(n, m.Math)]
    assert formulas == ["\\frac{1}{\\sqrt{2}}( |uud\\rangle - |udu\\rangle )", "\\|v\\|"]
    assert tablegrid.cell_text(table.rows[1][0]) == "a|b"
    assert [tablegrid.cell_text(c) for c in table.rows[2]] == ["$5", "$6"]
