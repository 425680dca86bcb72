"""Strikeout, Underline, span roles, anchors, Divs (plain, details, callouts) and task lists:
each edition renders them natively, and reads back equal to the model."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import docx
import lxml.html
import pytest
from docx.oxml.ns import qn
from lxml import etree

import publish
from publish import model as m
from publish import outline, readback
from publish.check import editions
from publish.readback import docx as docx_back
from publish.readback import html as html_back
from tests.richdocs import edge_doc, rich_doc

FAST = ["html", "epub", "docx"]
EVERY = [*FAST, pytest.param("pdf", marks=[pytest.mark.slow, pytest.mark.external])]
XHTML = "{http://www.w3.org/1999/xhtml}"
W14 = "{http://schemas.microsoft.com/office/word/2010/wordml}"
DOCS = {"rich": rich_doc, "edges": edge_doc}


def build(name: str, fmt: str, root: Path) -> tuple[m.Document, Path]:
    doc = DOCS[name]()
    return doc, publish.build(doc, fmt, root / name / f"{name}.{fmt}")


@pytest.mark.parametrize("fmt", EVERY)
@pytest.mark.parametrize("name", list(DOCS))
def test_every_edition_reads_back_equal(name: str, fmt: str, tmp_path: Path) -> None:
    doc, path = build(name, fmt, tmp_path)
    assert readback.check(doc, fmt, path) == []
    assert editions.check_languages(doc, fmt, path).details == []
    assert editions.check_metadata(doc, fmt, path).details == []


def test_the_outline_names_divs_and_boxes() -> None:
    lines = outline.render(outline.outline_of(rich_doc()))
    assert "details: More" in lines and "  para: Hidden text." in lines
    assert "callout-note: Note" in lines and "callout-warning: Warning" in lines
    assert lines.count("  item: [x]") == 1 and lines.count("  item: [ ]") == 1 and lines.count("  item") == 1
    assert "    item: [x]" in lines and "      para: noted" in lines  # in the note
    # A plain Div has no item of its own: its title is a paragraph, its blocks stand in its place.
    edges = outline.render(outline.outline_of(edge_doc()))
    assert edges[edges.index("para: Titled") + 1] == "para: A plain div with a title."
    assert "Strikeout" not in " ".join(lines) and "para: Press Ctrl+C to copy; old and inserted." in " ".join(lines)


# ---------------------------------------------------------------- HTML and EPUB


def _body(html: str) -> str:
    return html[html.index("<article>") :]


def test_html_has_the_elements_of_html(tmp_path: Path) -> None:
    _, path = build("rich", "html", tmp_path)
    body = _body(path.read_text(encoding="utf-8"))
    assert "<kbd>Ctrl</kbd>+<kbd>C</kbd>" in body
    assert "<del>old</del> and <u>inserted</u>" in body
    assert '<abbr title="HyperText Markup Language">HTML</abbr>' in body
    assert "<dfn>markup language</dfn>" in body and "<small>(fine print)</small>" in body
    assert "<mark>highlights</mark>" in body and '<span id="here"></span>' in body
    root = lxml.html.fromstring(path.read_bytes())
    (details,) = root.iter("details")
    assert details[0].tag == "summary" and details[0].text == "More"
    note = next(d for d in root.iter("div") if "callout-note" in (d.get("class") or ""))
    assert note.get("class") == "callout callout-note" and note.get("role") == "note"
    assert note[0].get("class") == "callout-title" and note[0].text == "Note"
    centred = root.get_element_by_id("centred")
    assert centred.get("style") == "text-align: center"
    assert next(d for d in root.iter("div") if d.get("lang") == "fr").text_content().strip() == "Bonjour."
    tasks = [li for li in root.iter("li") if li.get("class") == "task"]
    assert [li.text_content() for li in tasks] == ["\u2612 Write", "\u2610 Test", "\u2612 noted"]
    assert all(li.find("p/span").get("class") == "task-box" for li in tasks)


def test_epub_has_the_same_elements_in_xhtml(tmp_path: Path) -> None:
    _, path = build("rich", "epub", tmp_path)
    with zipfile.ZipFile(path) as z:
        root = etree.fromstring(z.read("EPUB/text.xhtml"))
    names = {etree.QName(el).localname for el in root.iter() if isinstance(el.tag, str)}
    assert {"kbd", "del", "u", "abbr", "dfn", "small", "mark", "details", "summary"} <= names
    (abbr,) = root.iter(f"{XHTML}abbr")
    assert abbr.get("title") == "HyperText Markup Language"
    french = next(el for el in root.iter(f"{XHTML}div") if el.get("lang") == "fr")
    assert french.get("{http://www.w3.org/XML/1998/namespace}lang") == "fr"
    tip = next(el for el in root.iter(f"{XHTML}aside") if el.get("id") == "fn1")
    assert any("callout-tip" in (d.get("class") or "") for d in tip.iter(f"{XHTML}div"))


def test_html_readback_notices_a_lost_box_summary_and_title(tmp_path: Path) -> None:
    doc, path = build("rich", "html", tmp_path)
    page = path.read_text(encoding="utf-8")
    broken = tmp_path / "broken.html"
    broken.write_text(
        page.replace("\u2612</span>", "\u2610</span>")
        .replace("<summary>More</summary>", "")
        .replace('<p class="callout-title">Warning</p>', ""),
        encoding="utf-8",
    )
    diff = outline.diff(outline.outline_of(doc), html_back.read_html(broken))
    assert "-  item: [x]" in diff and "+  item: [ ]" in diff
    assert "-details: More" in diff and "+details" in diff
    assert "-callout-warning: Warning" in diff


def test_a_note_ending_in_a_div_keeps_its_back_link_out_of_the_outline(tmp_path: Path) -> None:
    _, path = build("rich", "html", tmp_path)
    root = lxml.html.fromstring(path.read_bytes())
    note = root.get_element_by_id("fn1")
    assert note[-1].tag == "p" and note[-1][0].get("class") == "footnote-back"


# ---------------------------------------------------------------- DOCX


def _runs(document: docx.document.Document, text: str) -> list[docx.text.run.Run]:
    return [r for p in document.paragraphs for r in p.runs if r.text == text]


def test_docx_runs_carry_word_properties(tmp_path: Path) -> None:
    _, path = build("rich", "docx", tmp_path)
    document = docx.Document(str(path))
    (old,) = _runs(document, "old")
    (inserted,) = _runs(document, "inserted")
    assert old.font.strike and inserted.font.underline
    assert [r.style.name for r in _runs(document, "Ctrl")] == ["Keyboard"]
    keyboard = document.styles["Keyboard"].element.find(qn("w:rPr"))
    assert keyboard.find(qn("w:bdr")) is not None and keyboard.find(qn("w:shd")) is not None
    (dfn,) = _runs(document, "markup language")
    assert dfn.italic
    (small,) = _runs(document, "(fine print)")
    assert small.font.size is not None and small.font.size.pt < 11
    (marked,) = _runs(document, "highlights")
    assert marked._r.find(f"{qn('w:rPr')}/{qn('w:highlight')}").get(qn("w:val")) == "yellow"
    (abbr,) = _runs(document, "HTML")  # Word has no abbreviation: plain text
    assert not (abbr.bold or abbr.italic or abbr.font.strike or abbr.style.name != "Default Paragraph Font")


def test_docx_anchors_and_divs_are_bookmarks_alignment_and_language(tmp_path: Path) -> None:
    _, path = build("rich", "docx", tmp_path)
    document = docx.Document(str(path))
    marks = {b.get(qn("w:name")) for b in document.element.body.iter(qn("w:bookmarkStart"))}
    assert {"here", "centred"} <= marks
    (centred,) = [p for p in document.paragraphs if p.text == "Centred text."]
    assert centred.alignment == 1  # WD_ALIGN_PARAGRAPH.CENTER
    (french,) = [p for p in document.paragraphs if p.text == "Bonjour."]
    assert {el.get(qn("w:val")) for el in french._p.iter(qn("w:lang"))} == {"fr"}
    assert docx_back.link_problems(path) == []


def test_docx_details_and_callouts(tmp_path: Path) -> None:
    _, path = build("rich", "docx", tmp_path)
    document = docx.Document(str(path))
    (more,) = [p for p in document.paragraphs if p.text == "More"]
    assert all(r.bold for r in more.runs) and more.style.name == "Normal"
    assert not [t for t in document.tables if t.style is not None and t.style.name == "Callout Box"]
    titles = [p for p in document.paragraphs if p.style.name.startswith("Callout ") and p.text in ("Note", "Warning")]
    assert [p.text for p in titles] == ["Note", "Warning"]  # callouts are paragraphs, not one-cell tables
    title = titles[1]
    assert title.style.name == "Callout Warning" and all(r.bold for r in title.runs)
    assert title.runs[0].font.color.rgb == docx.shared.RGBColor.from_string("9A6700")
    note = document.styles["Callout Note"].element.find(qn("w:pPr"))
    assert note.find(f"{qn('w:pBdr')}/{qn('w:left')}").get(qn("w:color")) == "0969DA"
    assert note.find(qn("w:shd")).get(qn("w:fill")) == "F6F8FA"


def test_docx_task_boxes_are_word_check_boxes(tmp_path: Path) -> None:
    _, path = build("rich", "docx", tmp_path)
    body = docx.Document(str(path)).element.body
    boxes = [sdt for sdt in body.iter(qn("w:sdt")) if sdt.find(f"{qn('w:sdtPr')}/{W14}checkbox") is not None]
    assert [b.find(f".//{W14}checked").get(f"{W14}val") for b in boxes] == ["1", "0"]
    assert ["".join(t.text for t in b.iter(qn("w:t"))) for b in boxes] == ["\u2612", "\u2610"]
    flat = docx_back.read(path)
    assert ("bullet1", "[x] Write") in flat and ("bullet1", "[ ] Test") in flat and ("bullet1", "Plain") in flat


def test_docx_readback_notices_a_flipped_box(tmp_path: Path) -> None:
    doc, path = build("rich", "docx", tmp_path)
    broken = tmp_path / "broken.docx"
    shutil.copyfile(path, broken)
    with zipfile.ZipFile(path) as z, zipfile.ZipFile(broken, "w") as out:
        for item in z.infolist():
            data = z.read(item.filename)
            if item.filename == "word/document.xml":
                data = data.replace(b'<w14:checked w14:val="1"/>', b'<w14:checked w14:val="0"/>')
            out.writestr(item, data)
    problems = readback.check(doc, "docx", broken)
    assert "-bullet1: [x] Write" in problems and "+bullet1: [ ] Write" in problems


@pytest.mark.parametrize("fmt", ["html", "docx"])
def test_every_div_id_is_a_link_target(fmt: str, tmp_path: Path) -> None:
    _, path = build("edges", fmt, tmp_path)
    if fmt == "html":
        ids = {el.get("id") for el in lxml.html.fromstring(path.read_bytes()).iter() if el.get("id")}
        assert html_back.link_problems(path) == []
    else:
        body = docx.Document(str(path)).element.body
        ids = {b.get(qn("w:name")) for b in body.iter(qn("w:bookmarkStart"))}
        assert docx_back.link_problems(path) == []
    assert {"tip-box", "outer", "inner", "titled"} <= ids


def test_docx_flat_form_of_the_edges(tmp_path: Path) -> None:
    doc, path = build("edges", "docx", tmp_path)
    flat = docx_back.read(path)
    assert flat == outline.flatten(outline.outline_of(doc))
    assert flat[1:4] == (
        ("callout-caution", "[ ] Caution"),
        ("callout-caution", "A callout opens this task."),
        ("code", "[x] make test"),
    )
    assert ("number1", "[ ]") in flat  # an empty task: its box alone


# ---------------------------------------------------------------- PDF


@pytest.mark.slow
@pytest.mark.external
def test_pdf_abbreviations_anchors_and_boxes(tmp_path: Path) -> None:
    import pikepdf

    from publish import check
    from publish.options import Options
    from publish.readback import pdf as pdf_back

    doc, path = build("rich", "pdf", tmp_path)
    with pikepdf.open(path) as pdf:
        expansions = [str(el.E) for el in pdf_back.struct_elements(pdf.Root.StructTreeRoot) if "/E" in el]
        dests = {str(k) for k, _ in pikepdf.NameTree(pdf.Root.Names.Dests).items()}
    assert expansions == ["HyperText Markup Language"]
    # the tag tree holds the body's lists; the task list in the note is lines of a footnote
    assert check.check_pdf_tags(doc, path, Options()).details == []
    assert check.check_glyphs(doc, path, Options()).details == []
    assert {"here", "centred"} <= dests
    text = pdf_back.joined_text(path, doc.meta.title)
    assert re.search(r"\u2612\s*Write\s*\u2610\s*Test", text)
    assert re.search(r"More\s*Hidden text\.", text)  # a details is printed open


@pytest.mark.slow
@pytest.mark.external
def test_validators_accept_the_new_nodes(tmp_path: Path) -> None:
    from publish import check

    for name in DOCS:
        paths = {fmt: build(name, fmt, tmp_path)[1] for fmt in ("html", "epub", "docx")}
        assert check.check_epubcheck(paths["epub"]).details == []
        assert check.nu_html([paths["html"]])[paths["html"]].details == []
        converted = check.libreoffice_pdfs([paths["docx"]], tmp_path / f"lo-{name}")
        assert not isinstance(converted, str), converted
        from publish.options import Options

        result = check.check_libreoffice(DOCS[name](), converted[paths["docx"]], Options())
        assert result.details == []
