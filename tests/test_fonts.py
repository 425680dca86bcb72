"""The font chain: every script of a real document reaches the PDF with a glyph and comes back
from its text layer; a character no installed font has is a warning at its source line naming
the package that would cover it; code is monospace in Chinese too; the Han/Latin gap is
spacing, never text. The document is tests/scripts/scripts.md (emoji, Malayalam, Kannada,
Hebrew with points, Arabic, Chinese with code and mixed Latin and digits, a private-use
character and a CJK Extension B character that no installed font has)."""

from __future__ import annotations

import collections
import logging
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import lxml.html
import pypdf
import pytest
from docx.oxml.ns import qn
from lxml import etree

import publish
from publish import check, fonts, glyphs, walk
from publish import model as m
from publish.options import Options

SOURCE = Path(__file__).resolve().parent / "scripts" / "scripts.md"
HEBREW = "שָׁלוֹם עֲלֵיכֶם"


class Scripts:
    def __init__(self, root: Path):
        self.doc = publish.load(SOURCE)
        self.root = root
        self.warnings: list[str] = []

    def edition(self, fmt: str) -> Path:
        return self.root / f"scripts.{fmt}"


@pytest.fixture(scope="module")
def scripts(tmp_path_factory: pytest.TempPathFactory) -> Scripts:
    """The four editions, built once; the warnings of the build kept."""
    built = Scripts(tmp_path_factory.mktemp("scripts"))
    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    keep = Keep(logging.WARNING)
    for name in ("publish", "weasyprint"):
        logging.getLogger(name).addHandler(keep)
    try:
        for fmt in ("pdf", "html", "epub", "docx"):
            publish.build(built.doc, fmt, built.edition(fmt))
    finally:
        for name in ("publish", "weasyprint"):
            logging.getLogger(name).removeHandler(keep)
    assert all(r.name == "publish" for r in records), [r.getMessage() for r in records]
    built.warnings = [r.getMessage() for r in records]
    return built


def pdftotext(path: Path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext is needed (Debian poppler-utils); run scripts/setup.sh")
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


# ---------------------------------------------------------------- the PDF


@pytest.mark.external
def test_every_script_comes_back_from_the_pdf_text(scripts: Scripts) -> None:
    text = pdftotext(scripts.edition("pdf"))
    for phrase in ("Emoji ✨🐛🔧 in a sentence.", "മലയാളം ഭാഷ", "ಕನ್ನಡ ಭಾಷೆ", "مرحبا بالعالم", 'print("你好，world")'):
        assert phrase in text
    # Hebrew: every letter and point is in the text layer (the order of a right-to-left text
    # layer is the direction work's, not the fonts').
    got = collections.Counter(text)
    assert all(got[c] >= n for c, n in collections.Counter(HEBREW.replace(" ", "")).items())
    # the two characters no font has are boxes, and still their own characters in the text
    assert "私用区字符：\ue000（没有字体）" in text and "扩展B区汉字：\U0002a6a5（" in text


def test_uncovered_characters_warn_at_their_lines_naming_a_package(scripts: Scripts) -> None:
    assert scripts.warnings == [
        f"{SOURCE}:29: no installed font has a glyph for U+E000 (a private-use character has no standard "
        "glyph: only a font of a theme can give it one); the PDF shows a box instead",
        f"{SOURCE}:31: no installed font has a glyph for U+2A6A5 CJK UNIFIED IDEOGRAPH-2A6A5 (the Debian "
        "package fonts-hanazono would cover it); the PDF shows a box instead",
    ]
    assert scripts.edition("pdf").stat().st_size > 0


def _fonts_of(path: Path) -> dict[str, set[str]]:
    """Each run of text the PDF draws → the base names of the fonts that draw it."""
    drawn: dict[str, set[str]] = collections.defaultdict(set)
    for page in pypdf.PdfReader(path).pages:

        def visit(text: str, cm: object, tm: object, font: dict | None, size: float) -> None:  # type: ignore[type-arg]
            if font is not None and text.strip():
                drawn[text.strip()].add(str(font.get("/BaseFont", "")).split("+")[-1])

        page.extract_text(visitor_text=visit)
    return drawn


def test_chinese_code_is_monospace_in_the_pdf(scripts: Scripts) -> None:
    """The Chinese of the code block (its comment, its string) and of inline code is set in
    the CJK monospace face, its Latin in DejaVu Sans Mono; the title, in the CJK serif."""
    drawn = _fonts_of(scripts.edition("pdf"))
    assert drawn["打印问候"] == {"Noto-Sans-Mono-CJK-SC-Oblique"}  # a comment: italic
    assert drawn["你好，"] == drawn["你好"] == drawn["打印"] == {"Noto-Sans-Mono-CJK-SC"}
    assert drawn["print"] == drawn["None"] == {"DejaVu-Sans-Mono"}
    assert drawn["多文种排版测试"] == {"Noto-Serif-CJK-SC-Bold"}


@pytest.mark.external
def test_copied_text_has_no_inserted_space(scripts: Scripts) -> None:
    written = "输出42个结果，使用Python 3.12运行。"
    assert written in pdftotext(scripts.edition("pdf"))
    html = lxml.html.fromstring(scripts.edition("html").read_bytes())
    [paragraph] = [p for p in html.iter("p") if "输出" in p.text_content()]
    assert paragraph.text_content().startswith(written)
    assert len(paragraph.find_class("autospace")) == 4  # 出|42|个, 用|Python, 3.12|运
    with zipfile.ZipFile(scripts.edition("epub")) as epub:
        chapter = next(n for n in epub.namelist() if n.endswith(".xhtml") and "输出".encode() in epub.read(n))
        assert written in lxml.html.fromstring(epub.read(chapter)).text_content()
    assert any(p.text.startswith(written) for p in docx.Document(str(scripts.edition("docx"))).paragraphs)
    model_text = "".join(n.text for n in walk.walk(scripts.doc.blocks) if isinstance(n, m.Text))
    assert written in model_text and "\u2005" not in model_text


def test_glyph_check_reads_the_faces_the_pdf_uses(scripts: Scripts) -> None:
    result = check.check_glyphs(scripts.doc, scripts.edition("pdf"), Options())
    assert result.status == "pass"
    # the two characters no installed font has are listed, as the declared degradation
    assert [d.split(": ", 1)[0] for d in result.details] == [f"{SOURCE}:29", f"{SOURCE}:31"]
    assert all("shown as a box" in d for d in result.details)


def test_an_embedded_font_is_matched_to_its_own_face() -> None:
    """DejaVu Sans is its Book face (whose cmap has Hebrew and Arabic), not the first file
    fontconfig lists for the family (DejaVuSans-ExtraLight, which has neither)."""
    face = glyphs.pdf_face("DejaVu-Sans")
    assert face is not None and face.file.name == "DejaVuSans.ttf"
    assert {0x05D0, 0x05B8, 0x0627} <= glyphs.cmap(face.file, face.index)
    bold = glyphs.pdf_face("DejaVu-Sans-Bold-Oblique")
    assert bold is not None and bold.file.name == "DejaVuSans-BoldOblique.ttf"
    cjk = glyphs.pdf_face("Noto-Serif-CJK-TC-Bold")
    assert cjk is not None and cjk.file.name == "NotoSerifCJK-Bold.ttc" and cjk.family == "Noto Serif CJK TC"


def test_cmaps_are_read_as_fonttools_reads_them() -> None:
    """Every face of the chain: the code points read from the raw ``cmap`` (formats 4 and 12,
    without glyph names) are fontTools' ``getBestCmap``'s, and none fell back to fontTools."""
    from fontTools.ttLib import TTFont

    faces = {(f.file, f.index) for f in map(glyphs.face, fonts.chain()) if f is not None}
    assert any("CJK" in file.name for file, _ in faces)  # a format-12 face with 65k glyphs
    for file, index in sorted(faces):
        with TTFont(str(file), fontNumber=index, lazy=True) as font:
            raw = glyphs._best_cmap(font.reader["cmap"])
            assert raw is not None, file
            assert raw == frozenset(font.getBestCmap()), file
            assert glyphs.cmap(file, index) == raw


def test_an_irregular_cmap_is_left_to_fonttools() -> None:
    """A format-12 subtable whose groups overlap, or one cut short, is not read here."""
    import struct

    def table(groups: list[tuple[int, int, int]], cut: int = 0) -> bytes:
        sub = struct.pack(">HHLLL", 12, 0, 16 + 12 * len(groups), 0, len(groups))
        sub += b"".join(struct.pack(">LLL", *g) for g in groups)
        return (struct.pack(">HHHHL", 0, 1, 3, 10, 12) + sub)[: len(sub) + 12 - cut]

    assert glyphs._best_cmap(table([(0x41, 0x43, 1), (0x4E00, 0x4E01, 4)])) == {0x41, 0x42, 0x43, 0x4E00, 0x4E01}
    assert glyphs._best_cmap(table([(0x40, 0x41, 0)])) == {0x41}  # glyph 0 draws nothing
    assert glyphs._best_cmap(table([(0x41, 0x43, 1), (0x42, 0x44, 4)])) is None
    assert glyphs._best_cmap(table([(0x41, 0x43, 1)], cut=4)) is None


# ---------------------------------------------------------------- the chain and its table


def test_every_face_of_the_chain_is_installed() -> None:
    """scripts/setup.sh installs every family the stylesheets and the DOCX name (Georgia is
    only for web readers without DejaVu)."""
    missing = [f for f in fonts.chain() if f != "Georgia" and glyphs.face(f) is None]
    assert missing == []


@pytest.mark.parametrize(
    ("char", "package"),
    [
        ("中", "fonts-noto-cjk"),
        ("가", "fonts-noto-cjk"),
        ("🐛", "fonts-noto-color-emoji"),
        ("മ", "fonts-noto-core"),
        ("ש", "fonts-noto-core"),
        ("\U0002a6a5", "fonts-hanazono"),
        ("\ue000", None),
        ("\U000f0001", None),
    ],
)
def test_package_table(char: str, package: str | None) -> None:
    assert glyphs.package_for(char) == package


def test_the_chain_covers_the_scripts_real_documents_use() -> None:
    sample = "Aé Ωψ Жы שָׁ مر ܐ ދ Ա ქ ሀ क ক ਕ ક କ க క ಕ മ ක ก ກ ក က ཀ 中あア한 ∑ → ✓ ★ ⚙ ✨🐛🔧😀"
    assert glyphs.uncovered(glyphs.drawn(sample)) == set()


# ---------------------------------------------------------------- HTML, EPUB and DOCX


def test_stylesheets_name_the_chain_and_code_outranks_the_language(scripts: Scripts) -> None:
    html = scripts.edition("html").read_text(encoding="utf-8")
    assert f"body {{ font-family: {fonts.css(fonts.text_chain(), 'serif')}; }}" in html
    assert "code:lang(zh-Hans), code :lang(zh-Hans)" in html
    assert f"{{ font-family: {fonts.css(fonts.code_chain('SC'), 'monospace')}; }}" in html
    with zipfile.ZipFile(scripts.edition("epub")) as epub:
        css = next(epub.read(n).decode() for n in epub.namelist() if n.endswith("style.css"))
    assert '"Noto Serif Malayalam"' in css and "pre:lang(zh-Hans)" in css


def test_docx_names_the_faces_for_each_slot(scripts: Scripts) -> None:
    word = docx.Document(str(scripts.edition("docx")))
    faces = [dict(f.attrib) for f in word.element.body.iter(qn("w:rFonts"))]
    assert {qn("w:cs"): "Noto Serif Hebrew"} in faces and {qn("w:cs"): "Noto Serif Malayalam"} in faces
    assert {qn("w:cs"): "Noto Naskh Arabic"} in faces
    assert {qn("w:eastAsia"): "NSimSun"} in faces  # code: monospace wins, in the face Word has
    with zipfile.ZipFile(scripts.edition("docx")) as package:
        table = etree.fromstring(package.read("word/fontTable.xml"))
    alternatives = {
        f.get(qn("w:name")): f.find(qn("w:altName")).get(qn("w:val"))
        for f in table.findall(qn("w:font"))
        if f.find(qn("w:altName")) is not None
    }
    assert alternatives["Noto Serif Malayalam"] == "Kartika"
    assert alternatives["NSimSun"].split(",")[-1] == "Noto Sans Mono CJK SC"  # Word's face, then the house's
