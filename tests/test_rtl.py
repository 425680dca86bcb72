"""Right-to-left documents: the direction comes from the language (document, span, block), an
explicit ``dir`` wins, and every edition carries it — HTML and EPUB ``dir``, the EPUB's page
progression, the PDF's layout, ``/ViewerPreferences`` and its text layer read back in logical
order, DOCX ``w:bidi``/``w:rtl``/``w:bidiVisual`` — and ``publish check`` passes on them.

The fixtures (``tests/fixtures/arabic.md``, ``hebrew.md``, ``persian.md``) hold real short
texts: Arabic with a Latin word, numbers in both digit forms, a note, nested lists, a quote, a
table and code; Hebrew with a Latin word, a number in brackets, a note and a table; Persian
with the zero-width non-joiner inside a word.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
import zipfile
from pathlib import Path

import babel
import docx
import pikepdf
import pytest
from babel import localedata
from docx.oxml.ns import qn
from lxml import etree

import publish
from publish import bidi, langs, pagedata, readback
from publish import check as checks
from publish import model as m
from publish.options import Options
from publish.readback import pdftext
from tests.conftest import FIXTURES, write

RTL = {name: FIXTURES / f"{name}.md" for name in ("arabic", "hebrew", "persian")}
XHTML = "{http://www.w3.org/1999/xhtml}"


class Editions:
    """Each fixture read once and each edition written once per module."""

    def __init__(self, root: Path):
        self.root = root
        self.docs: dict[str, m.Document] = {}
        self.paths: dict[tuple[str, str], Path] = {}

    def doc(self, name: str) -> m.Document:
        if name not in self.docs:
            self.docs[name] = publish.load(RTL[name])
        return self.docs[name]

    def edition(self, name: str, fmt: str) -> Path:
        if (name, fmt) not in self.paths:
            self.paths[name, fmt] = publish.build(self.doc(name), fmt, self.root / name / f"{name}.{fmt}", Options())
        return self.paths[name, fmt]


@pytest.fixture(scope="module")
def rtl(tmp_path_factory: pytest.TempPathFactory) -> Editions:
    return Editions(tmp_path_factory.mktemp("rtl"))


# ---------------------------------------------------------------- the rule, in one place


@pytest.mark.parametrize(
    ("tag", "rtl"),
    [
        ("ar", True),
        ("ar-EG", True),
        ("he", True),
        ("he-IL", True),
        ("iw", True),
        ("fa", True),
        ("fa-AF", True),
        ("ur", True),
        ("ur-IN", True),
        ("yi", True),
        ("ps", True),
        ("sd", True),
        ("ug", True),
        ("dv", True),
        ("ckb", True),
        ("syr", True),
        ("az-Arab", True),
        ("pa-Arab-PK", True),
        ("ms-Arab", True),
        ("ff-Adlm", True),
        ("en", False),
        ("az", False),
        ("az-Latn", False),
        ("pa", False),
        ("sd-Deva", False),
        ("ku", False),
        ("ku-Arab", True),
        ("ar-Latn", False),
        ("zh-Hant", False),
        ("not a tag", False),
    ],
)
def test_which_languages_are_written_right_to_left(tag: str, rtl: bool) -> None:
    assert langs.is_rtl(tag) is rtl
    assert langs.direction(tag) == ("rtl" if rtl else "ltr")


def test_the_rule_agrees_with_cldr_for_every_locale_babel_knows() -> None:
    for identifier in localedata.locale_identifiers():
        locale = babel.Locale.parse(identifier)
        tag = "-".join(p for p in (locale.language, locale.script, locale.territory) if p)
        assert langs.is_rtl(tag) is (locale.text_direction == "rtl"), tag


def test_an_explicit_direction_wins_over_the_language() -> None:
    assert langs.direction("ar", "ltr") == "ltr"
    assert langs.direction("en", "rtl") == "rtl"
    assert langs.direction(None, None, inherited="rtl") == "rtl"
    assert langs.direction("en", None, inherited="rtl") == "ltr"
    assert langs.direction("he", "auto", inherited="ltr") == "rtl"  # not a direction: the language decides
    assert langs.word_tag("ar") == "ar-SA" and langs.word_tag("he") == "he-IL" and langs.word_tag("ar-EG") == "ar-EG"


def test_the_bidi_algorithm_reads_a_visual_line_back_in_logical_order() -> None:
    logical = "בשנת 2024 פרסמה ההוצאה 12 ספרים ב־Python (גרסה 3.12)."
    visual = bidi.reorder(logical, rtl=True)
    # Characters as drawn from left to right (a bracket keeps its code; its glyph is mirrored).
    assert visual == ".)3.12 הסרג( Python־ב םירפס 12 האצוהה המסרפ 2024 תנשב"
    assert bidi.reorder(visual, rtl=True) == logical
    arabic = "نشرت الدار في عام 2024 ما مجموعه 12 كتابًا، بلغة Python."
    assert bidi.reorder(bidi.reorder(arabic, rtl=True), rtl=True) == arabic
    # A line of another paragraph's direction (code in an Arabic document) is one of the readings.
    assert "print(x)" in list(bidi.readings("print(x)", rtl=True))
    # Numbers between Latin and Hebrew letters: each may have followed either (found by fuzzing).
    assert bidi.reorder("ß ß 0, א, 0,", rtl=False) == "ß ß 0, 0 ,א,"
    assert "ß ß 0, א, 0," in list(bidi.readings("ß ß 0, 0 ,א,", rtl=False))
    assert bidi.segments("نستخدم Python 3 في", rtl=True) == [("نستخدم ", True), ("Python 3", False), (" في", True)]
    assert bidi.segments("hello שלום 12 עולם!", rtl=False) == [("hello ", False), ("שלום 12 עולם", True), ("!", False)]


# ---------------------------------------------------------------- HTML and EPUB


def test_html_carries_the_direction(rtl: Editions) -> None:
    page = etree.parse(str(rtl.edition("arabic", "html")), etree.HTMLParser()).getroot()
    assert page.get("dir") == "rtl" and page.get("lang") == "ar"
    (python,) = [s for s in page.iter("span") if s.text == "Python"]
    assert python.get("lang") == "en" and python.get("dir") == "ltr"
    (publisher,) = [s for s in page.iter("span") if s.text == "Small Press Collective"]
    assert publisher.get("dir") == "ltr"
    assert {p.get("dir") for p in page.iter("pre")} == {"ltr"}
    assert {c.get("dir") for c in page.iter("code") if c.getparent().tag != "pre"} == {"ltr"}
    hebrew = etree.parse(str(rtl.edition("hebrew", "html")), etree.HTMLParser()).getroot()
    assert hebrew.get("dir") == "rtl"
    for name in RTL:
        assert readback.check(rtl.doc(name), "html", rtl.edition(name, "html")) == []


def test_a_left_to_right_document_marks_its_right_to_left_spans(tmp_path: Path) -> None:
    source = write(
        tmp_path,
        "mixed.md",
        "---\ntitle: Greetings\n---\n\nShalom is [שלום]{lang=he}, salaam [سلام]{lang=ur}, "
        "and [this]{lang=ar dir=ltr} stays left to right; [خط]{dir=rtl} has no language.\n",
    )
    doc = publish.load(source)
    html = publish.build(doc, "html", tmp_path / "mixed.html", Options()).read_text(encoding="utf-8")
    assert '<html lang="en">' in html
    assert '<span dir="rtl" lang="he">שלום</span>' in html
    assert '<span dir="rtl" lang="ur">سلام</span>' in html
    assert '<span dir="ltr" lang="ar">this</span>' in html
    assert '<span dir="rtl">خط</span>' in html
    document = docx.Document(str(publish.build(doc, "docx", tmp_path / "mixed.docx", Options())))
    runs = {"".join(t.text for t in r.iter(qn("w:t"))): r for r in document.element.body.iter(qn("w:r"))}
    assert runs["שלום"].find(f"{qn('w:rPr')}/{qn('w:rtl')}") is not None
    assert runs["שלום"].find(f"{qn('w:rPr')}/{qn('w:lang')}").get(qn("w:bidi")) == "he-IL"
    assert runs["سلام"].find(f"{qn('w:rPr')}/{qn('w:lang')}").get(qn("w:bidi")) == "ur-PK"
    paragraph = next(p for p in document.element.body.iter(qn("w:p")) if "שלום" in "".join(p.itertext()))
    assert paragraph.find(f"{qn('w:pPr')}/{qn('w:bidi')}") is None  # the paragraph stays left to right
    assert checks.check_languages(doc, "docx", tmp_path / "mixed.docx").status == "pass"


def test_a_block_in_another_language_has_its_direction(tmp_path: Path) -> None:
    """A block whose attributes give a language (the model's headings and figures carry an
    ``Attr``) takes its direction in every edition built from the body renderer and in Word."""
    english = m.Attr(id="summary", values=(("lang", "en"),))
    doc = m.Document(
        m.Metadata(title="تقرير", lang="ar", identifier="urn:uuid:00000000-0000-4000-8000-000000000001"),
        (m.Heading(2, (m.Text("Summary"),), english), m.Paragraph((m.Text("نص عربي."),))),
        source=tmp_path / "block.md",
    )
    html = publish.build(doc, "html", tmp_path / "block.html", Options()).read_text(encoding="utf-8")
    assert '<h2 id="summary" dir="ltr" lang="en">Summary</h2>' in html
    body = docx.Document(str(publish.build(doc, "docx", tmp_path / "block.docx", Options()))).element.body
    heading = next(p for p in body.iter(qn("w:p")) if _text(p) == "Summary")
    assert heading.find(f"{qn('w:pPr')}/{qn('w:bidi')}").get(qn("w:val")) == "0"
    assert heading.find(f"{qn('w:r')}/{qn('w:rPr')}/{qn('w:rtl')}") is None


def test_epub_carries_the_direction(rtl: Editions) -> None:
    path = rtl.edition("arabic", "epub")
    with zipfile.ZipFile(path) as z:
        opf = etree.fromstring(z.read("EPUB/content.opf"))
        chapter = etree.fromstring(z.read("EPUB/text.xhtml"))
        nav = etree.fromstring(z.read("EPUB/nav.xhtml"))
    spine = opf.find("{http://www.idpf.org/2007/opf}spine")
    assert spine is not None and spine.get("page-progression-direction") == "rtl"
    assert opf.get("dir") == "rtl"
    for page in (chapter, nav):
        assert page.get("dir") == "rtl"
        body = page.find(f"{XHTML}body")
        assert body is not None and body.get("dir") == "rtl"
    (python,) = [s for s in chapter.iter(f"{XHTML}span") if s.text == "Python"]
    assert python.get("dir") == "ltr" and python.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    for name in RTL:
        assert readback.check(rtl.doc(name), "epub", rtl.edition(name, "epub")) == []


# ---------------------------------------------------------------- DOCX


def _text(element: etree._Element) -> str:
    return "".join(t.text or "" for t in element.iter(qn("w:t")))


def test_docx_carries_the_direction(rtl: Editions) -> None:
    document = docx.Document(str(rtl.edition("arabic", "docx")))
    body = document.element.body
    paragraphs = list(body.iter(qn("w:p")))
    directions = {_text(p): p.find(f"{qn('w:pPr')}/{qn('w:bidi')}") for p in paragraphs if _text(p)}
    assert all(bidi is not None for bidi in directions.values())
    code = directions["publish all --content content"]
    assert code is not None and code.get(qn("w:val")) == "0"  # code stays left to right
    assert all(
        b.get(qn("w:val")) is None for text, b in directions.items() if b is not None and "publish all" not in text
    )
    runs = {_text(r): r for r in body.iter(qn("w:r")) if _text(r)}
    arabic = next(r for text, r in runs.items() if text.startswith("نشرت الدار"))
    assert arabic.find(f"{qn('w:rPr')}/{qn('w:rtl')}") is not None
    assert arabic.find(f"{qn('w:rPr')}/{qn('w:lang')}").get(qn("w:bidi")) == "ar-SA"
    python = runs["Python"]
    assert python.find(f"{qn('w:rPr')}/{qn('w:rtl')}") is None
    assert python.find(f"{qn('w:rPr')}/{qn('w:lang')}").get(qn("w:val")) == "en"
    bold = next(r for text, r in runs.items() if text == "البند")  # a header cell: bold, also for Arabic
    assert bold.find(f"{qn('w:rPr')}/{qn('w:bCs')}") is not None
    table = body.find(qn("w:tbl"))
    assert table is not None and table.find(f"{qn('w:tblPr')}/{qn('w:bidiVisual')}") is not None
    # ":---" asks for the left of the cell: in a right-to-left paragraph Word calls that its end.
    first_cell = table.find(f"{qn('w:tr')}/{qn('w:tc')}/{qn('w:p')}/{qn('w:pPr')}/{qn('w:jc')}")
    assert first_cell is not None and first_cell.get(qn("w:val")) == "right"
    section = body.find(qn("w:sectPr"))
    assert section is not None
    assert section.find(qn("w:bidi")) is not None and section.find(qn("w:rtlGutter")) is not None
    defaults = document.styles.element.find(qn("w:docDefaults"))
    assert defaults.find(f"{qn('w:pPrDefault')}/{qn('w:pPr')}/{qn('w:bidi')}") is not None
    assert defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}").get(qn("w:bidi")) == "ar-SA"
    # Every paragraph's properties in the schema's order: w:bidi before w:jc, after w:numPr.
    order = ["pStyle", "pageBreakBefore", "numPr", "tabs", "bidi", "jc"]
    for p in paragraphs:
        names = [etree.QName(c).localname for c in p.find(qn("w:pPr"))]
        known = [n for n in names if n in order]
        assert known == sorted(known, key=order.index), names
    with zipfile.ZipFile(rtl.edition("arabic", "docx")) as z:
        notes = etree.fromstring(z.read("word/footnotes.xml"))
    assert all(p.find(f"{qn('w:pPr')}/{qn('w:bidi')}") is not None for p in notes.iter(qn("w:p")))
    for name in RTL:
        assert readback.check(rtl.doc(name), "docx", rtl.edition(name, "docx")) == []
        assert checks.check_languages(rtl.doc(name), "docx", rtl.edition(name, "docx")).status == "pass"


# ---------------------------------------------------------------- PDF


def _words(path: Path) -> list[tuple[float, float, str]]:
    out = subprocess.run(["pdftotext", "-bbox", "-f", "1", "-l", "1", str(path), "-"], capture_output=True, check=True)
    found = re.findall(
        r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">(.*?)</word>', out.stdout.decode()
    )
    return [(float(a), float(b), word) for a, b, word in found]


@pytest.mark.slow
@pytest.mark.external
def test_pdf_is_laid_out_right_to_left(rtl: Editions) -> None:
    path = rtl.edition("hebrew", "pdf")
    with pikepdf.open(path) as pdf:
        assert str(pdf.Root.Lang) == "he"
        assert pdf.Root.ViewerPreferences.Direction == pikepdf.Name("/R2L")
        assert pdf.Root.ViewerPreferences.DisplayDocTitle  # WeasyPrint's preference kept
        width = float(pdf.pages[0].MediaBox[2])
    words = _words(path)
    right_margin = width - float(pagedata.print_layout("A4")["side_margin"].removesuffix("pt"))

    def right_edge(word: str) -> float:
        (right,) = [b for _, b, w in words if word in (w, w[::-1])]  # letters as drawn: visual order
        return right

    # The title, the heading and the paragraph start at the right margin; list items are
    # indented from it, their bullets to their right.
    for first in ("דוח", "פתיחה", "בשנת"):
        assert right_edge(first) == pytest.approx(right_margin, abs=1), first
    for item in ("עריכה", "תרגום"):
        assert right_margin - 45 < right_edge(item) < right_margin - 10, item
    bullets = [a for a, _, w in words if w == "•"]
    assert len(bullets) == 2 and all(right_edge("עריכה") < x < right_margin for x in bullets)
    with pikepdf.open(rtl.edition("persian", "pdf")) as pdf:
        assert pdf.Root.ViewerPreferences.Direction == pikepdf.Name("/R2L")
    with pikepdf.open(publish.build(publish.load(FIXTURES / "chinese.md"), "pdf", rtl.root / "zh.pdf")) as pdf:
        assert "/Direction" not in pdf.Root.get("/ViewerPreferences", {})


@pytest.mark.slow
@pytest.mark.external
def test_pdf_text_layer_reads_back_in_logical_order(rtl: Editions) -> None:
    for name in RTL:
        assert readback.check(rtl.doc(name), "pdf", rtl.edition(name, "pdf")) == [], name
    path = rtl.edition("arabic", "pdf")
    order = pdftext.Order(rtl=True, known=pdftext.compact("نشرت الدار في عام 2024 ما مجموعه 12 كتابًا"), pieces=True)
    text = pdftext.compact("".join(pdftext.page_texts(path, order)))
    assert pdftext.compact("نشرت الدار في عام 2024 ما مجموعه 12 كتابًا، وكُتبت أدواتها بلغة Python.") in text


@pytest.mark.slow
@pytest.mark.external
@pytest.mark.xfail(
    strict=True,
    reason="since the merge with main's font chain Arabic is drawn in Noto Naskh Arabic, whose "
    "lam-alef is two glyphs: writers.pdfrtl's one presentation form per ligature glyph does not "
    "reach it, and poppler reads الأول as أوللا (publish check reads the pieces and passes)",
)
def test_poppler_reads_a_lam_alef_in_order(rtl: Editions) -> None:
    # poppler reverses each right-to-left word letter by letter; the lam-alef ligature is one
    # character in /ToUnicode, so it survives: الأول, not األول.
    raw = unicodedata.normalize("NFKC", "".join(pdftext.page_texts(rtl.edition("arabic", "pdf"))))
    assert "الأول" in raw and "األول" not in raw


@pytest.mark.slow
@pytest.mark.external
def test_pdf_readback_notices_right_to_left_words_out_of_order(rtl: Editions) -> None:
    """The text of a Hebrew page is compared in order, letter by letter: two words of the model
    changing places is a difference (the former check compared only the Latin letters in
    order, and so passed it)."""
    doc = rtl.doc("hebrew")
    swapped = publish.loads(
        RTL["hebrew"].read_text(encoding="utf-8").replace("פרסמה ההוצאה", "ההוצאה פרסמה"), RTL["hebrew"]
    )
    assert readback.check(doc, "pdf", rtl.edition("hebrew", "pdf")) == []
    problems = readback.check(swapped, "pdf", rtl.edition("hebrew", "pdf"))
    assert problems and "text differs" in problems[0]


@pytest.mark.slow
@pytest.mark.external
def test_publish_check_passes_on_the_right_to_left_fixtures(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    for source in RTL.values():
        shutil.copyfile(source, content / source.name)
    options = Options(content_root=content)
    docs = [publish.load(content / source.name) for source in RTL.values()]
    for doc in docs:
        for fmt in checks.FORMATS:
            publish.build(doc, fmt, tmp_path / "out" / doc.slug / f"{doc.slug}.{fmt}", options)
    report = checks.run([content / source.name for source in RTL.values()], tmp_path / "out", options)
    problems = {
        f"{d.slug} {r.label}": (r.status, r.details) for d in report.documents for r in d.results if r.status != "pass"
    }
    assert problems == {}
    assert {r.check for d in report.documents for r in d.results} >= {"structure", "glyphs", "libreoffice", "nu-html"}


def _mixed(title: str, *blocks: m.Block) -> m.Document:
    return m.Document(
        m.Metadata(title=title, identifier="urn:uuid:00000000-0000-4000-8000-000000000000"),
        blocks,
        source=FIXTURES / "generated.md",
    )


#: Documents whose PDF text the fuzz session (nox -s fuzz) once read back out of order: numbers
#: between Latin and right-to-left letters, an accent on a digit, a mirrored bracket.
MIXED = [
    _mixed("T", m.Paragraph((m.Text("ß, 0 0,"), m.Emphasis((m.Text("א, 0, 0 0, 0,"),))))),
    _mixed("0", m.BulletList((m.ListItem((m.Paragraph((m.Text("ß ß 0, א, 0,"),)),)),))),
    _mixed("0", m.Heading(1, (m.Text("א 0, 0\u0301,"),), m.Attr(id="x"))),
    _mixed("0, א 0,", m.Paragraph((m.Text("0,"),))),
    _mixed("0, א 0, 0( 0 א)", m.Heading(1, (m.Text("0,"),), m.Attr(id="section"))),
    _mixed(
        "T", m.Paragraph((m.Text("a (b) c"),)), m.Paragraph((m.Text("שלום (עולם) 12 [x] ÓDN0:رزيحعحثع 3\u03011yQ"),))
    ),
]


@pytest.mark.slow
@pytest.mark.external
@pytest.mark.parametrize("doc", MIXED, ids=range(len(MIXED)))
def test_pdf_reads_back_mixed_scripts_and_numbers(doc: m.Document, tmp_path: Path) -> None:
    options = Options(content_root=FIXTURES)
    path = publish.build(doc, "pdf", tmp_path / "mixed.pdf", options)
    assert readback.check(doc, "pdf", path, options) == []


def test_a_note_called_from_another_language_is_in_the_document_language(tmp_path: Path) -> None:
    """A note is text of the document where it is defined: called from an English span of an
    Arabic text, it is still Arabic and right to left, in the PDF's floated note and in Word."""
    source = tmp_path / "called.md"
    source.write_text(
        "---\ntitle: ملاحظة\nlang: ar\n---\n\nنص [Python[^1] code]{lang=en} عربي.\n\n[^1]: حاشية عربية.\n",
        encoding="utf-8",
    )
    doc = publish.load(source)
    from publish.writers import htmlbody

    body = str(htmlbody.render(doc, htmlbody.BodyOptions(notes="float", lang="ar")).blocks)
    assert '<span class="footnote" id="fn1" dir="rtl" lang="ar"><span class="footnote-para">حاشية' in body
    path = publish.build(doc, "docx", tmp_path / "called.docx", Options())
    with zipfile.ZipFile(path) as z:
        notes = etree.fromstring(z.read("word/footnotes.xml"))
    runs = [r for r in notes.iter(qn("w:r")) if "حاشية" in "".join(t.text or "" for t in r.iter(qn("w:t")))]
    assert runs and all(r.find(f"{qn('w:rPr')}/{qn('w:lang')}").get(qn("w:bidi")) == "ar-SA" for r in runs)
    assert all(r.find(f"{qn('w:rPr')}/{qn('w:rtl')}") is not None for r in runs)


def test_every_strong_right_to_left_character_is_in_the_blocks_looked_at_first() -> None:
    from publish import bidi

    strong = [chr(c) for c in range(0x110000) if bidi.bidi_class(chr(c)) in bidi.RTL_CLASSES]
    assert len(strong) > 1000
    assert [c for c in strong if not bidi.RTL_BLOCKS.match(c)] == []
    assert bidi.has_rtl("abc \u05d0") and not bidi.has_rtl("abc \u0591")  # a Hebrew point alone is no letter
