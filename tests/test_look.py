"""How the scholarly apparatus looks: a heading cell over several columns centred over them
and its columns wide enough for it (DOCX, HTML), a table's caption kept with its table
(PDF), the column alignment of an aligned formula in Chromium (HTML, EPUB)."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from lxml import etree

import publish
from publish import model as m
from publish.options import Options
from publish.writers import htmltables
from publish.writers.docx import tables as docx_tables
from tests.conftest import FIXTURES

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
GRID = """\
+-----------------+---------------------------+
| Resolution      | Maximum error of the run  |
|                 +-------------+-------------+
|                 | a           | b           |
+=================+=============+=============+
| 50              | 1           | 2           |
+-----------------+-------------+-------------+
| A foot line that is longer than the three columns together. |
+-------------------------------------------------------------+
"""


def test_docx_centres_a_heading_over_several_columns_and_makes_room_for_it(tmp_path: Path) -> None:
    source = tmp_path / "t.md"
    source.write_text("---\ntitle: T\n---\n\n" + GRID.split("| A foot")[0].rstrip("|\n") + "\n")
    path = publish.build(publish.load(source), "docx", tmp_path / "t.docx", Options())
    body = etree.fromstring(zipfile.ZipFile(path).read("word/document.xml"))
    rows = body.findall(f".//{W}tbl/{W}tr")
    spanning = [tc for tc in rows[0].findall(f"{W}tc") if tc.find(f"{W}tcPr/{W}gridSpan") is not None]
    assert len(spanning) == 1
    assert spanning[0].find(f".//{W}p/{W}pPr/{W}jc").get(f"{W}val") == "center"
    single = rows[1].findall(f"{W}tc")[1]
    assert single.find(f".//{W}p/{W}pPr/{W}jc") is None  # a cell of one column keeps its alignment
    widths = [int(c.get(f"{W}w")) for c in body.iterfind(f".//{W}tblGrid/{W}gridCol")]
    heading = docx_tables.measure("Maximum error of the run", 10.5, bold=True)
    assert widths[1] + widths[2] > heading  # the heading fits on one line over its two columns


def test_html_natural_width_makes_room_for_a_cell_spanning_columns() -> None:
    table = [b for b in publish.load(FIXTURES / "paper.md").blocks if isinstance(b, m.Table)][1]
    share = re.search(r'<table id="tbl-error" style="width: (\d+)%"', _html_table(table))
    assert share is not None
    # the foot line spanning the three columns ("Both converge as …, see Section 2.") is
    # counted, its formula by its letters (not its TeX): wider than the cells alone, not full
    assert 50 <= int(share.group(1)) < 80


def _html_table(table: m.Table) -> str:
    class Writer:
        def inlines(self, nodes: object) -> str:
            return "x"

        def blocks(self, nodes: object) -> str:
            return "x"

        def caption(self, node: object, caption: object) -> str:
            return "c"

    return htmltables.table(Writer(), table)


def test_print_keeps_a_caption_with_its_table_and_screen_aligns_formula_columns() -> None:
    templates = Path(publish.__file__).parent.parent / "templates"
    print_css = (templates / "pdf" / "print.css").read_text()
    assert re.search(r"^caption \{[^}]*break-after: avoid", print_css, re.M)
    for sheet in (templates / "html" / "screen.css", templates / "epub" / "style.css"):
        assert 'mtd[columnalign="right"] { text-align: -webkit-right !important; }' in sheet.read_text()
    assert "-webkit-right" not in (templates / "html" / "style.css").read_text()  # WeasyPrint reads it


def test_a_pages_list_markers_all_together_are_skipped_as_added() -> None:
    from publish import align
    from publish.readback import pdflabels

    units = ["Default1212", "A multiline table."]
    actual = "Default1212" + "1.2.(1)(2)A)B)iv.v.••" + "A multiline table."
    assert align.align(units, actual, pdflabels.ADDABLE) == []


def test_docx_math_keeps_its_spaces_as_pandoc_writes_them() -> None:
    from publish.writers.docx import equations

    omml = etree.fromstring(equations._omml(r"a \qquad b \quad c \, d", False))
    texts = [t.text for t in omml.iter("{http://schemas.openxmlformats.org/officeDocument/2006/math}t")]
    assert texts == ["a", "\u2003\u2003", "b", "\u2003", "c", "\u2009", "d"]
    assert omml.find(".//{http://schemas.openxmlformats.org/officeDocument/2006/math}rPr") is None


def test_text_beside_display_math_split_off_for_word_keeps_no_space_at_the_formulas_side() -> None:
    from publish import mathtex

    para = m.Paragraph((m.Text("Before it,\n"), m.Math("x", display=True), m.Text(" and after it.")))
    doc = mathtex.split_display(m.Document(meta=m.Metadata(title="T"), blocks=(para,)))
    texts = [b.content[0].text for b in doc.blocks if isinstance(b.content[0], m.Text)]
    assert texts == ["Before it,", "and after it."]


def test_docx_figure_takes_its_width_attribute_as_pandoc_does(tmp_path: Path) -> None:
    path = publish.build(publish.load(FIXTURES / "xref.md"), "docx", tmp_path / "x.docx", Options())
    body = etree.fromstring(zipfile.ZipFile(path).read("word/document.xml"))
    sect = body.find(f".//{W}sectPr")
    size, margins = sect.find(f"{W}pgSz"), sect.find(f"{W}pgMar")
    text_width = (int(size.get(f"{W}w")) - int(margins.get(f"{W}left")) - int(margins.get(f"{W}right"))) * 635
    wp = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
    widths = [int(e.get("cx")) for e in body.iter(f"{wp}extent")]
    # fig-gradient has width="50%" of the text block; fig:second is at its own small size
    assert abs(widths[0] - text_width / 2) < text_width * 0.01
    assert widths[1] < widths[0] / 2
