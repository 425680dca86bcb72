"""The DOCX in the house style: faces, the type scale, colour and spacing in its styles; the A4
page and its text block; the running head and page numbers; the table of contents numbered
from LibreOffice's layout; tables ruled as a book's; Word's own CJK faces. Each point is read
back from the written file's structure (never its bytes)."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pypdf
import pytest
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from lxml import etree

import publish
from publish import api, cli, config, project, readback
from publish import model as m
from publish import text as txt
from publish.options import Options
from publish.writers.docx import office, pages
from tests.conftest import ROOT, Built, write

W14 = "{http://schemas.microsoft.com/office/word/2010/wordml}"
BOOK = ROOT / "tests" / "books" / "field-guide"
needs_libreoffice = pytest.mark.skipif(office.soffice() is None, reason="LibreOffice is not installed")


def _style(document: docx.document.Document, name: str) -> etree._Element:
    return document.styles[name].element


def _prop(style: etree._Element, path: str, attr: str = "val") -> str | None:
    found = style.find(path.replace("w:", "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"))
    return None if found is None else found.get(qn(f"w:{attr}"))


def _on(style: etree._Element, path: str) -> bool:
    """Whether a toggle property (``w:b``, ``w:i``) is set: present, and not ``w:val="0"``."""
    found = style.find(path.replace("w:", "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"))
    return found is not None and found.get(qn("w:val"), "1") not in ("0", "false")


def _half_points(document: docx.document.Document, name: str) -> int:
    return int(_prop(_style(document, name), "w:rPr/w:sz") or 0)


def _toc_numbers(document: docx.document.Document) -> list[tuple[str, str]]:
    return [(name, result.text or "") for name, result in pages.references(document)]


def _book(tmp: Path) -> tuple[m.Document, Options]:
    content = tmp / "book"
    shutil.copytree(BOOK, content)
    found = project.load(content)
    assert found is not None
    options = Options(content_root=content.resolve(), defaults=found.defaults, project_file=found.file)
    return api.load_source(found.books[0], options), options


# ---------------------------------------------------------------- the styles


def test_styles_carry_the_house_faces_sizes_and_colour(built: Built) -> None:
    document = docx.Document(str(built.edition("every-node", "docx")))
    defaults = document.styles.element.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")
    faces = defaults.find(qn("w:rFonts"))
    assert {faces.get(qn(f"w:{slot}")) for slot in ("ascii", "hAnsi", "cs")} == {"Noto Serif"}
    assert faces.get(qn("w:asciiTheme")) is None  # not the theme's Calibri
    assert defaults.find(qn("w:sz")).get(qn("w:val")) == "21"  # 10.5 pt
    normal = _style(document, "Normal")
    # 1.4 × 10.5 pt = 14.7 pt, the PDF's line: Word's multiple is of Noto Serif's own 1.362 em
    assert _prop(normal, "w:pPr/w:spacing", "line") == str(round(1.4 / 1.362 * 240))
    assert _prop(normal, "w:pPr/w:spacing", "after") == "100"  # 5 pt
    assert _prop(normal, "w:rPr/w:color") == "1A1A1A"
    # The type scale: the title largest, then h1 > h2 > h3 > h4 = body.
    sizes = [_half_points(document, n) for n in ("Title", *(f"Heading {i}" for i in range(1, 5)))]
    assert sizes == [48, 36, 30, 25, 21]
    assert _half_points(document, "Subtitle") == 28
    for name in ("Title", "Heading 1", "Heading 2", "Heading 3", "Heading 6"):
        style = _style(document, name)
        assert _prop(style, "w:rPr/w:rFonts", "ascii") == "Noto Serif"
        assert (
            _prop(style, "w:rPr/w:color") == "1A1A1A"
            and style.find(f".//{qn('w:color')}[@{qn('w:themeColor')}]") is None
        )
        assert style.find(f"{qn('w:rPr')}/{qn('w:b')}") is not None
        assert style.find(f"{qn('w:pPr')}/{qn('w:suppressAutoHyphens')}") is not None
    for level in range(1, 7):
        heading = _style(document, f"Heading {level}")
        assert heading.find(f"{qn('w:pPr')}/{qn('w:keepNext')}") is not None
        size = _half_points(document, f"Heading {level}") / 2
        assert int(_prop(heading, "w:pPr/w:spacing", "before") or 0) == pytest.approx(1.4 * size * 20, abs=2)
        assert _prop(heading, "w:pPr/w:outlineLvl") == str(level - 1)  # still a heading to Word
    title, subtitle = _style(document, "Title"), _style(document, "Subtitle")
    assert title.find(f"{qn('w:pPr')}/{qn('w:pBdr')}") is None  # no blue rule under the title
    assert subtitle.find(f"{qn('w:rPr')}/{qn('w:spacing')}") is None  # not letter-spaced
    assert not _on(subtitle, "w:rPr/w:i") and _prop(subtitle, "w:rPr/w:color") == "1A1A1A"
    code = _style(document, "Source Code")
    assert _prop(code, "w:rPr/w:rFonts", "ascii") == "DejaVu Sans Mono" and _half_points(document, "Source Code") == 18
    assert _prop(_style(document, "Hyperlink"), "w:rPr/w:color") == "1F4E79"
    assert _half_points(document, "Footnote Text") == 17  # 8.5 pt
    with zipfile.ZipFile(built.edition("every-node", "docx")) as package:
        assert "word/stylesWithEffects.xml" not in package.namelist()  # Word 2010's copy of the old styles
        theme = package.read("word/theme/theme1.xml").decode()
        assert 'typeface="Calibri"' not in theme and 'typeface="Noto Serif"' in theme
        settings = etree.fromstring(package.read("word/settings.xml"))
    assert settings.find(qn("w:autoHyphenation")).get(qn("w:val")) == "true"
    assert settings.find(qn("w:consecutiveHyphenLimit")).get(qn("w:val")) == "2"


def test_quotes_captions_and_figures(built: Built) -> None:
    document = docx.Document(str(built.edition("every-node", "docx")))
    quote = _style(document, "Quote")
    assert not _on(quote, "w:rPr/w:i")  # regular, not only italic
    assert _prop(quote, "w:pPr/w:ind", "left") == _prop(quote, "w:pPr/w:ind", "right") == "315"  # 1.5 em
    for name in ("Caption", "Table Caption", "Figure"):
        assert _prop(_style(document, name), "w:pPr/w:jc") == "center"
    assert _on(_style(document, "Caption"), "w:rPr/w:i") and _half_points(document, "Caption") == 18
    quoted = [p for p in document.paragraphs if p.style.name == "Quote"]
    assert quoted and all(p.style.font.italic is False for p in quoted)


def test_page_is_a4_with_a_centred_text_block_of_120_mm(built: Built) -> None:
    document = docx.Document(str(built.edition("article", "docx")))
    section = document.sections[-1]
    near = Mm(0.1)  # Word keeps twentieths of a point
    assert section.page_width == pytest.approx(Mm(210), abs=near)
    assert section.page_height == pytest.approx(Mm(297), abs=near)
    assert section.left_margin == section.right_margin
    width = section.page_width - section.left_margin - section.right_margin
    assert width == pytest.approx(Mm(120), abs=Mm(1))
    assert section.top_margin == pytest.approx(Mm(25), abs=near)
    assert section.bottom_margin == pytest.approx(Mm(30), abs=near)


# ---------------------------------------------------------------- header and footer


def _furniture(path: Path) -> dict[str, etree._Element]:
    """Each header and footer part of the first section, by kind ("header default", ...)."""
    document = docx.Document(str(path))
    sect = document.element.body.iter(qn("w:sectPr"))
    first = next(sect)
    found = {}
    for ref in first:
        if ref.tag in (qn("w:headerReference"), qn("w:footerReference")):
            kind = "header" if ref.tag == qn("w:headerReference") else "footer"
            part = document.part.related_parts[ref.get(qn("r:id"))]
            found[f"{kind} {ref.get(qn('w:type'))}"] = part.element
    return found


def _text(element: etree._Element) -> str:
    return "".join(t.text or "" for t in element.iter(qn("w:t")))


def _instructions(element: etree._Element) -> str:
    return "".join(t.text or "" for t in element.iter(qn("w:instrText")))


def test_running_head_and_page_numbers_but_not_on_the_first_page(built: Built) -> None:
    path = built.edition("article", "docx")
    parts = _furniture(path)
    assert _text(parts["header default"]) == "Justice for Western Azerbaijan Community"
    assert _instructions(parts["footer default"]).strip() == "PAGE"
    header_p = parts["header default"].find(qn("w:p"))
    assert _prop(header_p, "w:pPr/w:jc") is None  # the "Header" style centres it
    document = docx.Document(str(path))
    assert _half_points(document, "Header") == 17 and _prop(_style(document, "Footer"), "w:pPr/w:jc") == "center"
    assert document.sections[0].different_first_page_header_footer  # w:titlePg
    assert _text(parts["header first"]) == _text(parts["footer first"]) == ""
    assert _instructions(parts["footer first"]) == ""


def test_running_head_in_right_to_left_documents(tmp_path: Path) -> None:
    for name in ("arabic", "hebrew"):
        doc = publish.load(ROOT / "tests" / "fixtures" / f"{name}.md")
        path = publish.build(doc, "docx", tmp_path / f"{name}.docx", Options(toc_pages=False))
        parts = _furniture(path)
        assert _text(parts["header default"]) == doc.meta.title
        header_p = parts["header default"].find(qn("w:p"))
        assert header_p.find(f"{qn('w:pPr')}/{qn('w:bidi')}") is not None  # laid out right to left
        assert any(r.find(f"{qn('w:rPr')}/{qn('w:rtl')}") is not None for r in header_p.iter(qn("w:r")))
        assert _instructions(parts["footer default"]).strip() == "PAGE"
        sect = docx.Document(str(path)).element.body.find(qn("w:sectPr"))
        assert sect.find(qn("w:bidi")) is not None and sect.find(qn("w:titlePg")) is not None


def test_each_chapter_of_a_book_opens_a_section_without_furniture(tmp_path: Path) -> None:
    doc, options = _book(tmp_path)
    path = publish.build(doc, "docx", tmp_path / "book.docx", Options(**{**options.__dict__, "toc_pages": False}))
    document = docx.Document(str(path))
    body = document.element.body
    chapters = [n for n in doc.blocks if isinstance(n, m.Heading) and "chapter" in n.attr.classes]
    closing = [p for p in body.iter(qn("w:p")) if p.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None]
    assert len(closing) == len(chapters)  # the title page's section, then one per chapter
    sections = [p.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") for p in closing] + [body.find(qn("w:sectPr"))]
    for index, sect in enumerate(sections):
        assert sect.find(qn("w:titlePg")) is not None  # a chapter's opening page has no furniture
        refs = sect.findall(qn("w:headerReference")) + sect.findall(qn("w:footerReference"))
        assert len(refs) == (4 if index == 0 else 0)  # the later sections inherit the first's
        assert sect.find(qn("w:pgNumType")) is None  # page numbers run on
    names = {s.style_id: s.name for s in document.styles}
    for p, chapter in zip(closing, chapters, strict=True):
        heading = p.getnext()
        style = names[heading.find(f"{qn('w:pPr')}/{qn('w:pStyle')}").get(qn("w:val"))]
        assert style == "Heading 1" and _text(heading) == txt.plain(chapter.content)
        assert heading.find(f"{qn('w:pPr')}/{qn('w:pageBreakBefore')}") is None  # the section starts the page
    # A chapter's title is the h1 size, clearly larger than its sections'.
    assert _half_points(document, "Heading 1") >= 1.2 * _half_points(document, "Heading 2")
    assert readback.check(doc, "docx", path, options) == []


# ---------------------------------------------------------------- the table of contents


def test_without_layout_word_numbers_the_contents_when_it_opens(built: Built, tmp_path: Path) -> None:
    path = publish.build(built.doc("every-node"), "docx", tmp_path / "x.docx", Options(toc_pages=False))
    document = docx.Document(str(path))
    numbers = _toc_numbers(document)
    assert numbers and all(text == "" for _, text in numbers)  # no false numbers
    assert document.settings.element.find(qn("w:updateFields")).get(qn("w:val")) == "true"
    instructions = _instructions(document.element.body)
    assert "TOC \\o" in instructions and instructions.count("PAGEREF") == len(numbers)


def test_a_document_without_contents_needs_no_layout(tmp_path: Path) -> None:
    doc = api.loads("---\ntitle: Short\n---\n\nOne paragraph.\n")
    document = docx.Document(str(publish.build(doc, "docx", tmp_path / "short.docx")))
    assert _toc_numbers(document) == []
    assert document.settings.element.find(qn("w:updateFields")) is None


def test_the_no_toc_pages_option(tmp_path: Path) -> None:
    source = write(tmp_path / "content", "doc.md", "---\ntitle: T\ntoc: true\n---\n\n# A\n\nText.\n\n# B\n\nText.\n")
    args = ["docx", str(source), "--content", str(source.parent), "--out", str(tmp_path / "out"), "--no-toc-pages"]
    parsed = cli._parser().parse_args(args)
    assert config.resolve(config.CommandLine.from_args(parsed)).options.toc_pages is False
    assert cli.main(args) == 0
    document = docx.Document(str(tmp_path / "out" / "doc" / "doc.docx"))
    assert [text for _, text in _toc_numbers(document)] == ["", ""]


def _libreoffice_pdf(path: Path, tmp_path: Path) -> Path:
    """The DOCX at ``path`` laid out by LibreOffice, as a PDF in ``tmp_path``."""
    profile = tmp_path / "profile"
    subprocess.run(
        [str(office.soffice()), f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(path)],
        capture_output=True, check=True, timeout=300,
    )  # fmt: skip
    return tmp_path / f"{path.stem}.pdf"


def _outline_pages(pdf: Path) -> list[tuple[str, int]]:
    """(title, page from 1) of each entry of a PDF's outline, in order."""
    reader = pypdf.PdfReader(str(pdf))
    found: list[tuple[str, int]] = []

    def walk(items: list) -> None:  # type: ignore[type-arg]
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                found.append((str(item.title), reader.get_destination_page_number(item) + 1))

    walk(reader.outline)
    return found


@pytest.mark.slow
@needs_libreoffice
@pytest.mark.parametrize("name", ["every-node", "article"])
def test_contents_numbers_are_the_pages_libreoffice_lays_the_headings_on(
    built: Built, name: str, tmp_path: Path
) -> None:
    path = built.edition(name, "docx")
    document = docx.Document(str(path))
    numbers = _toc_numbers(document)
    assert numbers and all(text.isdigit() for _, text in numbers)
    assert document.settings.element.find(qn("w:updateFields")) is None
    # An independent layout: LibreOffice's PDF outline (its headings and their pages).
    _libreoffice_pdf(path, tmp_path)
    outline = _outline_pages(tmp_path / f"{path.stem}.pdf")
    headings = built.doc(name).blocks
    titles = [txt.plain(h.content) for h in headings if isinstance(h, m.Heading)]
    assert [t for t, _ in outline] == titles
    assert [int(text) for _, text in numbers] == [page for _, page in outline]
    if name == "article":  # the contents page first: the contents do not all point at page 1
        assert max(page for _, page in outline) > 1


@pytest.mark.slow
@needs_libreoffice
def test_book_contents_number_each_chapter_on_its_own_page(tmp_path: Path) -> None:
    doc, options = _book(tmp_path)
    path = publish.build(doc, "docx", tmp_path / "book.docx", options)
    numbers = _toc_numbers(docx.Document(str(path)))
    chapters = [n.attr.id for n in doc.blocks if isinstance(n, m.Heading) and "chapter" in n.attr.classes]
    by_id = dict(numbers)
    chapter_pages = [int(by_id[c]) for c in chapters]
    assert chapter_pages == list(range(2, 2 + len(chapters)))  # the title page, then a page each
    assert [int(text) for _, text in numbers] == sorted(int(text) for _, text in numbers)


# ---------------------------------------------------------------- tables


def test_tables_are_ruled_at_natural_width_and_centred(built: Built) -> None:
    document = docx.Document(str(built.edition("every-node", "docx")))
    (table,) = [t._tbl for t in document.tables]
    tblPr = table.find(qn("w:tblPr"))
    assert _prop(tblPr, "w:tblW", "type") == "auto" and _prop(tblPr, "w:jc") == "center"
    borders = tblPr.find(qn("w:tblBorders"))
    assert _prop(borders, "w:top", "sz") == _prop(borders, "w:bottom", "sz") == "8"  # 1 pt
    for side in ("left", "right", "insideH", "insideV"):
        assert _prop(borders, f"w:{side}") == "nil"  # no vertical rules, none between rows
    rows = table.findall(qn("w:tr"))
    assert rows[0].find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None
    for cell in rows[0].findall(qn("w:tc")):
        assert _prop(cell, "w:tcPr/w:tcBorders/w:bottom", "sz") == "4"  # 0.5 pt under the header
    for row in rows[1:]:
        assert all(cell.find(f"{qn('w:tcPr')}/{qn('w:tcBorders')}") is None for cell in row.findall(qn("w:tc")))
    grid = [int(c.get(qn("w:w"))) for c in table.iter(qn("w:gridCol"))]
    section = document.sections[-1]
    text_width = (section.page_width - section.left_margin - section.right_margin) / 635
    assert sum(grid) < text_width / 2  # four short columns: narrow, not stretched to the measure
    style = document.styles[table.find(f"{qn('w:tblPr')}/{qn('w:tblStyle')}").get(qn("w:val"))]
    assert style.name == "Table"
    cells = [p for p in table.iter(qn("w:p"))]
    assert {document.styles.element.get_by_id(_prop(p, "w:pPr/w:pStyle")).name_val for p in cells} == {"Table Text"}
    figures = _style(document, "Table Text").find(qn("w:rPr"))
    assert figures.find(f"{W14}numForm").get(f"{W14}val") == "lining"
    assert figures.find(f"{W14}numSpacing").get(f"{W14}val") == "tabular"


def test_a_wide_table_never_hangs_into_the_margin(tmp_path: Path) -> None:
    long = " ".join(["words"] * 60)
    doc = api.loads(f"---\ntitle: Wide\n---\n\n| A | B |\n|---|---|\n| {long} | {long} |\n| x | y |\n")
    document = docx.Document(str(publish.build(doc, "docx", tmp_path / "wide.docx")))
    grid = [int(c.get(qn("w:w"))) for c in document.element.body.iter(qn("w:gridCol"))]
    section = document.sections[-1]
    text_width = (section.page_width - section.left_margin - section.right_margin) / 635
    assert text_width * 0.95 <= sum(grid) <= text_width
    assert grid[0] == pytest.approx(grid[1], rel=0.05)


# ---------------------------------------------------------------- CJK faces


@pytest.mark.parametrize(
    ("lang", "face", "noto"),
    [
        ("zh-Hans", "SimSun", "Noto Serif CJK SC"),
        ("zh-Hant", "PMingLiU", "Noto Serif CJK TC"),
        ("ja", "Yu Mincho", "Noto Serif CJK JP"),
        ("ko", "Batang", "Noto Serif CJK KR"),
    ],
)
def test_cjk_text_names_the_face_word_has(tmp_path: Path, lang: str, face: str, noto: str) -> None:
    doc = api.loads(f"---\ntitle: 文\nlang: {lang}\n---\n\n中文 text 漢字。\n")
    path = publish.build(doc, "docx", tmp_path / f"{lang}.docx")
    document = docx.Document(str(path))
    east = {f.get(qn("w:eastAsia")) for f in document.element.body.iter(qn("w:rFonts")) if f.get(qn("w:eastAsia"))}
    assert east == {face}
    defaults = document.styles.element.find(
        f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:rFonts')}"
    )
    assert defaults.get(qn("w:eastAsia")) == face
    with zipfile.ZipFile(path) as package:
        table = etree.fromstring(package.read("word/fontTable.xml"))
    entry = next(f for f in table.findall(qn("w:font")) if f.get(qn("w:name")) == face)
    alternatives = _prop(entry, "w:altName").split(",")
    assert alternatives[-1] == noto  # the house's face where Word's is missing
    assert _prop(entry, "w:charset") in {"86", "88", "80", "81"}


@pytest.mark.slow
@needs_libreoffice
def test_libreoffice_lays_cjk_out_in_real_glyphs(built: Built, tmp_path: Path) -> None:
    path = built.edition("chinese", "docx")
    _libreoffice_pdf(path, tmp_path)
    pdf = tmp_path / f"{path.stem}.pdf"
    listing = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "CJK" in listing  # an installed CJK face drew them
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "人類命運共同體研究院年度報告" in text.replace("\n", "")


# ---------------------------------------------------------------- a reference document wins


def test_a_reference_documents_styles_and_page_stay_its_own(built: Built, tmp_path: Path) -> None:
    reference = tmp_path / "reference.docx"
    template = docx.Document()  # python-docx's template, Word 2010's look, on US Letter
    template.styles["Normal"].font.size = Pt(12)
    template.save(str(reference))
    options = Options(reference_docx=reference, toc_pages=False)
    path = publish.build(built.doc("every-node"), "docx", tmp_path / "ref.docx", options)
    document = docx.Document(str(path))
    assert _style(document, "Title").find(f"{qn('w:pPr')}/{qn('w:pBdr')}") is not None  # its ruled title
    assert (
        _half_points(document, "Heading 1") == 28 and _prop(_style(document, "Heading 1"), "w:rPr/w:color") == "365F91"
    )
    assert document.styles["Normal"].font.size == Pt(12)
    assert document.sections[-1].page_width == template.sections[-1].page_width
    made = _style(document, "Source Code")  # a style the reference lacks: the house's, in its colour
    assert _prop(made, "w:rPr/w:rFonts", "ascii") == "DejaVu Sans Mono" and _prop(made, "w:rPr/w:color") is None
    assert _furniture(path)["footer default"] is not None  # page numbers all the same
    assert readback.check(built.doc("every-node"), "docx", path) == []


@pytest.mark.parametrize("exe", [None, "/bin/false"])
def test_without_a_working_libreoffice_word_numbers_the_contents(
    built: Built, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, exe: str | None
) -> None:
    monkeypatch.setattr(office, "soffice", lambda: exe)  # missing, or failing to convert
    path = publish.build(built.doc("every-node"), "docx", tmp_path / "x.docx")
    document = docx.Document(str(path))
    assert [text for _, text in _toc_numbers(document)] == [""] * len(_toc_numbers(document))
    assert document.settings.element.find(qn("w:updateFields")).get(qn("w:val")) == "true"


def test_the_faces_own_lines_are_the_installed_faces() -> None:
    from fontTools.ttLib import TTFont

    from publish.writers.docx import house

    for face, natural in house.NATURAL_LINE.items():
        path = subprocess.run(["fc-match", "-f", "%{file}", face], capture_output=True, text=True, check=True).stdout
        font = TTFont(path, fontNumber=0)
        os2 = font["OS/2"]
        assert (os2.usWinAscent + os2.usWinDescent) / font["head"].unitsPerEm == pytest.approx(natural, abs=1e-4)
