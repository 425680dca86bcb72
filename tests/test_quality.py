"""Each edition at the quality a publisher ships: every point read back from the edition."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import docx
import lxml.html
import pikepdf
import pytest
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor
from lxml import etree
from weasyprint.formatting_structure import boxes as wp_boxes

import publish
from publish import check, cli, i18n, pagedata, walk
from publish import model as m
from publish.options import Options, default_theme, search_path
from publish.readback import docx as docx_back
from publish.readback import pdf as pdf_back
from publish.writers import epub as epub_writer
from tests.conftest import Built, keep_rendered, write

XHTML = "{http://www.w3.org/1999/xhtml}"
EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


# ---------------------------------------------------------------- PDF


@pytest.mark.slow
def test_pdf_is_pdf_ua_with_a_full_tag_tree(built: Built) -> None:
    path = built.edition("every-node", "pdf")
    tags = check.pdf_tags(path)
    kinds = {tag for tag, _ in tags}
    assert {"H1", "H2", "H3", "H4", "H5", "H6", "P", "L", "LI", "Table", "TH", "TD", "Figure", "Link"} <= kinds
    assert sorted(alt for tag, alt in tags if tag == "Figure") == ["A gradient used as a figure", "small gradient"]
    with pikepdf.open(path) as pdf:
        assert str(pdf.Root.Lang) == "en-GB"
        assert bool(pdf.Root.MarkInfo.Marked)
        with pdf.open_metadata() as xmp:
            assert xmp["pdfuaid:part"] == "1"


@pytest.mark.slow
def test_pdf_a_3a_on_request(built: Built, tmp_path: Path) -> None:
    path = publish.build(built.doc("every-node"), "pdf", tmp_path / "a.pdf", Options(pdf_variant="pdf/a-3a"))
    with pikepdf.open(path) as pdf, pdf.open_metadata() as xmp:
        assert (xmp["pdfaid:part"], xmp["pdfaid:conformance"]) == ("3", "A")
    assert check.pdf_tags(path)


@pytest.mark.slow
@pytest.mark.external
def test_pdf_table_of_contents_has_page_numbers(built: Built) -> None:
    stream = pdf_back.body_stream(built.edition("every-node", "pdf"), "Every Node, Once")
    headings = [h["text"] for h in publish.pagedata.context(built.doc("every-node"), Options())["headings"]]
    rest, problems = pdf_back.cut_toc(stream, "Contents", headings)
    assert problems == [] and len(rest) < len(stream)
    found = re.search(r"Contents(.*?)Headingsandinlinetext", stream)
    assert found is not None
    pages = re.findall(r"\d+", stream[found.start() : found.start() + 400])
    assert pages[:8] == sorted(pages[:8]) and pages[0] == "1"


@pytest.mark.slow
@pytest.mark.external
def test_pdf_footnotes_stand_at_the_foot_of_their_page(built: Built) -> None:
    pages = pdf_back.page_texts(built.edition("every-node", "pdf"))
    page = next(p for p in pages if "After the break, a note." in p)
    assert "The first note, with emphasis." in page
    body, notes = page.split("The first note")[0], page.split("The first note")[1]
    assert "Lists" in body and notes.rstrip().endswith("\n1")  # the note comes after the text, above the folio


@pytest.mark.slow
@pytest.mark.external
def test_pdf_hyphenates_english_not_chinese(built: Built) -> None:
    article = pdf_back.joined_text(built.edition("article", "pdf"))
    raw = "\n".join(pdf_back.page_texts(built.edition("article", "pdf")))
    assert "\u2010\n" in raw and "\u2010\n" not in article
    chinese = "\n".join(pdf_back.page_texts(built.edition("chinese", "pdf")))
    assert "\u2010" not in chinese


def test_pdf_print_css_controls_widows_orphans_and_hyphens(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The default theme's print stylesheet as the PDF edition applies it: the page WeasyPrint
    lays out (kept as the writer hands it to ``write_pdf``), box by box. Text keeps at least
    three lines at the foot and head of a page (WeasyPrint's default is two), English text is
    hyphenated and Chinese text and notes are not, and the note floats to the foot of its page."""
    assert Options().template_path == search_path() == (default_theme().resolve(),)
    source = write(
        tmp_path,
        "print.md",
        "---\ntitle: Print\n---\n\nAn English paragraph with a note.[^1]\n\n"
        "[中文的段落，包含 UN 字樣。]{lang=zh-Hant}\n\n- An item.\n\n> A quote.\n\n[^1]: The note.\n",
    )
    rendered = keep_rendered(monkeypatch)
    publish.build(publish.load(source), "pdf", tmp_path / "print.pdf")
    [page] = rendered[0].pages
    page_box = page._page_box  # WeasyPrint 70's layout tree (pinned in pyproject.toml)

    def text(box: wp_boxes.Box) -> str:
        return "".join(b.text for b in box.descendants() if isinstance(b, wp_boxes.TextBox))

    blocks = [b for b in page_box.descendants() if isinstance(b, wp_boxes.BlockBox)]
    flowing = [b for b in blocks if b.element_tag in ("p", "li", "blockquote")]
    assert len(flowing) == 6
    assert all(b.style["orphans"] >= 3 and b.style["widows"] >= 3 for b in flowing)
    runs = {text(b): b.style for b in page_box.descendants() if isinstance(b, wp_boxes.TextBox)}
    assert runs["An English paragraph with a note."]["hyphens"] == "auto"
    assert runs["An item."]["hyphens"] == runs["A quote."]["hyphens"] == "auto"
    assert runs["中文的段落，包含 UN 字樣。"]["lang"] == "zh-Hant"
    assert runs["中文的段落，包含 UN 字樣。"]["hyphens"] == "manual"
    assert runs["The note."]["hyphens"] == "manual"
    body, notes, *_ = page_box.children
    assert isinstance(notes, wp_boxes.FootnoteAreaBox) and text(notes) == "1. The note."
    assert "The note." not in text(body) and "An English paragraph with a note.1" in text(body)
    assert notes.position_y > max(b.position_y + b.height for b in flowing)


@pytest.mark.external
def test_pdf_table_longer_than_a_page_reads_back_with_its_header_once(tmp_path: Path) -> None:
    """Found by the property test: WeasyPrint repeats a table's header row on every page the
    table runs onto, as more header cells in the text layer and in the tag tree. The print
    stylesheet turns that off, so the PDF says what the source says."""
    pdf = _table_pdf(tmp_path, "| Press | Titles |", [f"| row {i} | value {i} |" for i in range(90)])
    assert [tag for tag, _ in check.pdf_tags(pdf)].count("TH") == 2


@pytest.mark.slow
@pytest.mark.external
def test_pdf_table_rows_do_not_break_across_pages(tmp_path: Path) -> None:
    """Found by the property test: a row split by a page break is read page by page (the rest
    of its first cell after the whole of its second cell); rows are kept whole."""
    tall = " ".join(f"word{i}" for i in range(60))
    _table_pdf(tmp_path, "| Long | Short |", [f"| {tall} {n} | short {n} |" for n in range(30)])


def _table_pdf(tmp_path: Path, header: str, rows: list[str]) -> Path:
    """The PDF of a document that is one table over three pages or more, read back equal."""
    from publish import readback

    body = "\n".join([header, "|---|---|", *rows])
    doc = publish.load(write(tmp_path, "table.md", f"---\ntitle: Table\n---\n\nIntro.\n\n{body}\n"))
    pdf = publish.build(doc, "pdf", tmp_path / "table.pdf")
    assert len(pikepdf.open(pdf).pages) >= 3
    assert readback.check(doc, "pdf", pdf) == []
    return pdf


@pytest.mark.slow
def test_pdf_fonts_are_embedded_subsets(built: Built) -> None:
    with pikepdf.open(built.edition("chinese", "pdf")) as pdf:
        names = [str(f.BaseFont) for page in pdf.pages for f in page.Resources.Font.values()]
    assert names and all(re.match(r"^/[A-Z]{6}\+", n) for n in names)
    assert any("CJK-TC" in n for n in names)


@pytest.mark.slow
def test_pdf_code_is_highlighted(built: Built) -> None:
    with pikepdf.open(built.edition("every-node", "pdf")) as pdf:
        colours = set()
        for page in pdf.pages:
            for operands, operator in pikepdf.parse_content_stream(page):
                if str(operator) in ("rg", "sc", "scn") and len(operands) == 3:
                    colours.add(tuple(round(float(x), 2) for x in operands))
    assert len(colours) >= 5  # text, muted title block, links and several token colours


@pytest.mark.slow
def test_pdf_metadata_in_info_and_xmp(built: Built) -> None:
    with pikepdf.open(built.edition("article", "pdf")) as pdf:
        info = pdf.docinfo
        assert str(info["/Identifier"]).startswith("urn:uuid:")
        assert "中國傳媒大學 / Communication University of China" in str(info["/Publisher"])
        with pdf.open_metadata() as xmp:
            assert "人類命運共同體研究院" in xmp["dc:publisher"]
            assert xmp["dc:identifier"] == str(info["/Identifier"])


# ---------------------------------------------------------------- EPUB


def _epub(path: Path) -> dict[str, etree._Element]:
    with zipfile.ZipFile(path) as z:
        return {
            n.removeprefix("EPUB/"): etree.fromstring(z.read(n)) for n in z.namelist() if n.endswith((".xhtml", ".opf"))
        }


def test_epub_nav_landmarks_and_cover(built: Built) -> None:
    files = _epub(built.edition("every-node", "epub"))
    nav = files["nav.xhtml"]
    navs = {n.get(EPUB_TYPE): n for n in nav.iter(f"{XHTML}nav")}
    toc_links = [a.get("href") for a in navs["toc"].iter(f"{XHTML}a")]
    assert len(toc_links) == 8  # the whole heading tree, six levels deep
    depth = max(len(list(a.iterancestors(f"{XHTML}ol"))) for a in navs["toc"].iter(f"{XHTML}a"))
    assert depth == 6
    landmarks = {a.get(EPUB_TYPE): a.get("href") for a in navs["landmarks"].iter(f"{XHTML}a")}
    assert landmarks == {"cover": "cover.xhtml", "toc": "nav.xhtml#toc", "bodymatter": "text.xhtml"}
    cover = "".join(files["cover.xhtml"].itertext())
    for text in ("Every Node, Once", "A fixture for the structure tests", "Dr Ada Editor", "Ben Writer"):
        assert text in cover
    assert "Small Press Collective" in cover
    spine = [i.get("idref") for i in files["content.opf"].iter("{http://www.idpf.org/2007/opf}itemref")]
    assert spine[0] == "cover"
    items = {i.get("href"): i for i in files["content.opf"].iter("{http://www.idpf.org/2007/opf}item")}
    assert items["cover.png"].get("properties") == "cover-image"  # drawn from the SVG below
    options = Options()
    drawing = epub_writer.cover_drawing(pagedata.context(built.doc("every-node"), options), options.template_path)
    svg = etree.fromstring(drawing.encode("utf-8"))
    words = [t.text for t in svg.iter("{http://www.w3.org/2000/svg}text")]
    assert words[:2] == ["Small Press Collective", "Every Node, Once"]
    assert words[2] == "A fixture for the structure tests"
    assert "Dr Ada Editor" in words and "Ben Writer" in words and "1st March 2025" in words


def test_epub_accessibility_metadata(built: Built) -> None:
    opf = _epub(built.edition("every-node", "epub"))["content.opf"]
    props: dict[str, list[str]] = {}
    for meta in opf.iter("{http://www.idpf.org/2007/opf}meta"):
        if meta.get("property") and not meta.get("refines"):
            props.setdefault(str(meta.get("property")), []).append(meta.text or "")
    assert props["dcterms:conformsTo"] == ["EPUB Accessibility 1.1 - WCAG 2.1 Level AA"]
    assert props["schema:accessMode"] == ["textual", "visual"]
    assert props["schema:accessModeSufficient"] == ["textual"]
    assert {"structuralNavigation", "tableOfContents", "alternativeText"} <= set(props["schema:accessibilityFeature"])
    assert props["schema:accessibilityHazard"] == ["none"]
    assert props["schema:accessibilitySummary"][0]


def test_epub_notes_are_epub3_footnotes_and_spans_have_xml_lang(built: Built) -> None:
    text = _epub(built.edition("every-node", "epub"))["text.xhtml"]
    refs = [a for a in text.iter(f"{XHTML}a") if a.get(EPUB_TYPE) == "noteref"]
    notes = [a for a in text.iter(f"{XHTML}aside") if a.get(EPUB_TYPE) == "footnote"]
    assert [r.get("href") for r in refs] == ["#fn1", "#fn2"]
    assert [n.get("id") for n in notes] == ["fn1", "fn2"]
    spans = [s for s in text.iter(f"{XHTML}span") if s.get(XML_LANG)]
    assert [(s.get(XML_LANG), s.get("lang"), s.text) for s in spans if s.text == "中文詞語"] == [
        ("zh-Hant", "zh-Hant", "中文詞語")
    ]


@pytest.mark.slow
@pytest.mark.external
def test_long_epub_is_split_into_chapters_with_working_links(built: Built, tmp_path: Path) -> None:
    doc = built.doc("every-node")
    options = Options(epub_split_chars=0)
    path = publish.build(doc, "epub", tmp_path / "split.epub", options)
    files = _epub(path)
    chapters = sorted(n for n in files if n.startswith("chapter-"))
    assert chapters == ["chapter-01.xhtml", "chapter-02.xhtml", "chapter-03.xhtml", "chapter-04.xhtml"]
    ids = {name: {el.get("id") for el in root.iter() if el.get("id")} for name, root in files.items()}
    links = 0
    for name, root in files.items():
        for a in root.iter(f"{XHTML}a"):
            href = a.get("href") or ""
            if href.startswith(("http", "mailto")) or not href:
                continue
            target, _, fragment = href.partition("#")
            target = target or name
            assert target in files, href
            assert not fragment or fragment in ids[target], f"{name}: {href}"
            links += 1
    assert links >= 15
    anchor = next(a for a in files["chapter-01.xhtml"].iter(f"{XHTML}a") if a.text == "anchor")
    assert anchor.get("href") == "chapter-02.xhtml#lists"
    assert publish.readback.check(doc, "epub", path, options) == []
    assert check.check_epubcheck(path).status == "pass"


def test_short_documents_stay_in_one_file(built: Built) -> None:
    assert [c.file for c in epub_writer.split(built.doc("article"), Options().epub_split_chars)] == ["text.xhtml"]


# ---------------------------------------------------------------- DOCX


def test_docx_table_of_contents_is_filled_in(built: Built) -> None:
    path = built.edition("every-node", "docx")
    entries = docx_back.toc_entries(path)
    headings = [n for n in walk.walk(built.doc("every-node").blocks) if isinstance(n, m.Heading)]
    assert [(e[0], e[2]) for e in entries] == [(h.level, h.attr.id) for h in headings]
    document = docx.Document(str(path))
    bookmarks = {b.get(qn("w:name")) for b in document.element.body.iter(qn("w:bookmarkStart"))}
    assert {e[2] for e in entries} <= bookmarks
    settings = document.settings.element
    assert settings.find(qn("w:updateFields")) is None  # no prompt when the file opens
    instructions = "".join(t.text or "" for t in document.element.body.iter(qn("w:instrText")))
    assert 'TOC \\o "1-6" \\h \\z \\u' in instructions and "PAGEREF inline" in instructions


def _reference(tmp_path: Path) -> Path:
    document = docx.Document()
    normal = document.styles["Normal"]
    normal.font.name = "Liberation Sans"
    normal.font.size = Pt(13)
    document.styles["Heading 1"].font.color.rgb = RGBColor(0xAA, 0x00, 0x00)
    from docx.enum.style import WD_STYLE_TYPE

    table = document.styles.add_style("Table", WD_STYLE_TYPE.TABLE)
    table.base_style = document.styles["Table Grid"]
    document.add_paragraph("This text of the reference must not appear.")
    path = tmp_path / "reference.docx"
    document.save(str(path))
    return path


def test_docx_takes_styles_from_a_reference_document(built: Built, tmp_path: Path) -> None:
    reference = _reference(tmp_path)
    doc = built.doc("every-node")
    path = publish.build(doc, "docx", tmp_path / "styled.docx", Options(reference_docx=reference))
    document = docx.Document(str(path))
    assert document.styles["Normal"].font.name == "Liberation Sans"
    assert document.styles["Normal"].font.size == Pt(13)
    assert document.styles["Heading 1"].font.color.rgb == RGBColor(0xAA, 0x00, 0x00)
    table_style = document.tables[0]._tbl.tblPr.find(qn("w:tblStyle"))
    assert table_style.get(qn("w:val")) == document.styles["Table"].style_id
    assert "must not appear" not in "".join(p.text for p in document.paragraphs)
    assert publish.readback.check(doc, "docx", path) == []


def test_cli_reference_docx(built: Built, tmp_path: Path) -> None:
    reference = _reference(tmp_path)
    source = write(tmp_path / "content", "doc.md", "---\ntitle: Styled\n---\n\nText.\n")
    out = tmp_path / "out"
    args = ["docx", str(source), "--content", str(source.parent), "--out", str(out), "--reference-docx", str(reference)]
    assert cli.main(args) == 0
    assert docx.Document(str(out / "doc" / "doc.docx")).styles["Normal"].font.name == "Liberation Sans"
    assert cli.main([*args[:-1], str(tmp_path / "missing.docx")]) == 1


def test_docx_code_is_highlighted_and_images_fit_the_page(built: Built) -> None:
    document = docx.Document(str(built.edition("every-node", "docx")))
    code = next(p for p in document.paragraphs if p.style.name == "Source Code")
    colours = {
        r._r.find(f"{qn('w:rPr')}/{qn('w:color')}").get(qn("w:val"))
        for r in code.runs
        if r._r.find(f"{qn('w:rPr')}/{qn('w:color')}") is not None
    }
    assert len(colours) >= 3
    assert code.text.replace("\n", "") == 'def greet(name: str) -> str:    return f"Hello, {name}!"'
    section = document.sections[0]
    width = section.page_width - section.left_margin - section.right_margin
    assert abs(section.page_width - docx.shared.Mm(210)) < docx.shared.Mm(0.1)
    for shape in document.inline_shapes:
        assert 0 < shape.width <= width


def test_docx_language_defaults(built: Built) -> None:
    document = docx.Document(str(built.edition("chinese", "docx")))
    rpr = document.styles.element.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")
    lang = rpr.find(qn("w:lang"))
    assert lang.get(qn("w:eastAsia")) == "zh-TW"
    assert rpr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "PMingLiU"  # Word's face for zh-Hant
    with zipfile.ZipFile(built.edition("chinese", "docx")) as z:
        custom = etree.fromstring(z.read("docProps/custom.xml"))
    names = {p.get("name"): "".join(p.itertext()) for p in custom}
    assert names["Language"] == "zh-Hant" and names["Subtitle"] == "傳媒與社會"


# ---------------------------------------------------------------- HTML


def test_html_is_semantic(built: Built) -> None:
    root = lxml.html.fromstring(built.edition("every-node", "html").read_bytes())
    body = root.find("body")
    main = body.find("main")
    article = main.find("article")
    assert article.find("header").get("class") == "title-block"
    nav = article.find("nav")
    assert nav.get("role") == "doc-toc" and len(nav.findall(".//a")) == 8
    sections = [s for s in article.findall(".//section") if s.get("class", "").startswith("level")]
    assert [s.get("aria-labelledby") for s in sections][:2] == ["inline", "lists"] and len(sections) == 8
    notes = article.find("section[@class='footnotes']")
    items = notes.findall("ol/li")
    assert [li.get("id") for li in items] == ["fn1", "fn2"]
    assert [a.get("href") for a in notes.iter("a") if a.get("class") == "footnote-back"] == ["#fnref1", "#fnref2"]


def test_html_is_responsive_printable_dark_and_highlighted(built: Built) -> None:
    html = built.edition("every-node", "html").read_text(encoding="utf-8")
    assert '<meta name="viewport" content="width=device-width, initial-scale=1" />' in html
    assert "@media (max-width:" in html and "@media print" in html
    assert "@media (prefers-color-scheme: dark)" in html
    root = lxml.html.fromstring(html)
    code = root.find(".//pre/code")
    assert code.get("class") == "language-python" and len(code.findall("span")) > 5
    assert "pre.code .k {" in html  # the token colours


def test_html_json_ld_and_open_graph(built: Built) -> None:
    root = lxml.html.fromstring(built.edition("article", "html").read_bytes())
    data = json.loads(root.find(".//script[@type='application/ld+json']").text)
    assert data["@type"] == "Article" and data["headline"] == "Justice for Western Azerbaijan Community"
    assert data["author"][0]["jobTitle"] == "Executive Director"
    assert data["datePublished"] == "2024-10-23" and data["inLanguage"] == "en"
    assert {"@value": "中國傳媒大學", "@language": "zh-Hant"} in data["publisher"][0]["name"]
    og = {m.get("property"): m.get("content") for m in root.iter("meta") if m.get("property")}
    assert og["og:type"] == "article" and og["og:title"] == data["headline"]
    assert og["og:locale"] == "en" and og["article:published_time"] == "2024-10-23"


def test_html_makes_no_external_requests(built: Built) -> None:
    for name in ("every-node", "article", "chinese"):
        root = lxml.html.fromstring(built.edition(name, "html").read_bytes())
        for el in root.iter("img", "script", "link", "iframe", "source", "video", "audio"):
            for attr in ("src", "href"):
                value = el.get(attr) or ""
                assert not re.match(r"^(https?:)?//", value), (name, el.tag, value)
        styles = "".join(s.text or "" for s in root.iter("style"))
        assert "url(" not in styles and "@import" not in styles


# ---------------------------------------------------------------- locale typography


@pytest.mark.slow
@pytest.mark.external
def test_dates_and_quotes_follow_the_language(built: Built) -> None:
    assert i18n.date_parts(built.doc("article").meta.date, "en")["text"] == "23rd October 2024"  # type: ignore[arg-type]
    chinese_html = built.edition("chinese", "html").read_text(encoding="utf-8")
    assert "2024年10月23日" in chinese_html and "「引號」" in chinese_html
    english = lxml.html.fromstring(built.edition("every-node", "html").read_bytes()).text_content()
    assert "“double” and ‘single’" in english
    for fmt in ("pdf", "docx"):
        path = built.edition("chinese", fmt)
        text = (
            pdf_back.joined_text(path)
            if fmt == "pdf"
            else "\n".join(p.text for p in docx.Document(str(path)).paragraphs)
        )
        assert "2024年10月23日" in text and "「引號」" in text


def test_cjk_latin_spacing_is_spacing_not_text(built: Built) -> None:
    """The gap between Han and Latin letters or digits is drawn, never written: the model, the
    HTML's text and the DOCX's text are what the author wrote; the HTML marks the six gaps
    with empty spans (a margin), the DOCX turns on Word's own East Asian autospacing."""
    paragraph = built.doc("chinese").blocks[1]
    assert isinstance(paragraph, m.Paragraph)
    written = "本院於2024年舉辦了3場UN相關會議"
    expected = publish.text.plain(paragraph.content)
    assert written in expected and "\u2005" not in expected
    html = lxml.html.fromstring(built.edition("chinese", "html").read_bytes())
    [p] = [p for p in html.iter("p") if "本院於" in p.text_content()]
    assert p.text_content() == f"{expected}1"
    assert len(p.find_class("autospace")) == 6
    word = docx.Document(str(built.edition("chinese", "docx")))
    assert [(p.style.name, p.text) for p in word.paragraphs if "本院於" in p.text] == [("Normal", expected)]
    defaults = word.styles.element.find(qn("w:docDefaults") + "/" + qn("w:pPrDefault") + "/" + qn("w:pPr"))
    assert {etree.QName(e).localname: e.get(qn("w:val")) for e in defaults if "autoSpace" in e.tag} == {
        "autoSpaceDE": "1",
        "autoSpaceDN": "1",
    }


@pytest.mark.slow
@pytest.mark.parametrize("name", ["every-node", "article", "chinese"])
def test_same_metadata_in_every_edition(built: Built, name: str) -> None:
    doc = built.doc(name)
    for fmt in check.FORMATS:
        result = check.check_metadata(doc, fmt, built.edition(name, fmt))
        assert result.status == "pass", (fmt, result.details)


def test_quotes_inside_a_span_follow_the_span_language(tmp_path: Path) -> None:
    source = write(
        tmp_path,
        "q.md",
        '---\ntitle: Quotes\n---\n\nHe said "hello", [she wrote "你好"]{lang=zh-Hant} and ["bonjour"]{lang=fr}.\n',
    )
    doc = publish.load(source)
    paragraph = doc.blocks[0]
    assert isinstance(paragraph, m.Paragraph)
    assert publish.text.plain(paragraph.content) == "He said “hello”, she wrote 「你好」 and «\u202fbonjour\u202f»."


def test_cover_lines_fit_the_cover() -> None:
    assert epub_writer.cover_lines("Justice for Western Azerbaijan Community", 10.5) == [
        "Justice for",
        "Western",
        "Azerbaijan",
        "Community",
    ]
    assert epub_writer.cover_lines("人類命運共同體研究院年度報告", 10.5) == ["人類命運共同體研究院", "年度報告"]
