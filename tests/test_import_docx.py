"""The DOCX importer: our own DOCX of every fixture imported gives the model's outline back;
Word files we did not write (pandoc's, LibreOffice's, one made here with python-docx the way
Word writes) import with every word; what it cannot read is a remark, never lost text."""

from __future__ import annotations

import collections
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import docx
import pypandoc
import pytest
from docx.oxml.ns import qn
from lxml import etree

import publish
from publish import mathtex, walk
from publish import model as m
from publish import outline as ol
from publish.errors import PublishError
from publish.importers import Imported, docxmd, write
from publish.importers import docx as docx_importer
from publish.options import Options
from tests.conftest import ARTICLE, FIXTURES, ROOT, Built
from tests.conftest import write as write_source

REAL = ROOT / "tests" / "real"
SOURCES = [*sorted(FIXTURES.glob("*.md")), ARTICLE, *sorted(REAL.glob("*.md"))]
#: What Word's flat paragraphs cannot tell apart, so that the import cannot be exact there:
#: a ``details`` block is its summary, a bold paragraph, then its blocks, with no end. (A
#: definition's second paragraph and a term's second definition are told apart: the writer
#: sets a definition's blocks after its first in "Definition Continued"; a quote, list or code
#: inside a quote is indented by the quote's indent, and read back by it.)
NOT_EXACT = {"readme": "details"}
BUILT_ALREADY = {"every-node": "every-node", "chinese": "chinese", ARTICLE.stem: "article"}


@pytest.fixture(scope="module")
def editions(built: Built, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Our DOCX of every fixture: the session's where it built one, else built here (without
    LibreOffice's page numbers for the contents, which the import leaves out anyway)."""
    out = tmp_path_factory.mktemp("docx-in")
    paths = {}
    for source in SOURCES:
        if source.stem in BUILT_ALREADY:
            paths[source.stem] = built.edition(BUILT_ALREADY[source.stem], "docx")
        else:
            dest = out / f"{source.stem}.docx"
            paths[source.stem] = publish.build(publish.load(source), "docx", dest, Options(toc_pages=False))
    return paths


def imported_model(imported: Imported, content: Path, slug: str) -> m.Document:
    return publish.load(write(imported, content, slug))


def loosened(outline: ol.Outline) -> ol.Outline:
    """The outline with what :data:`NOT_EXACT` names undone on both sides: a term's
    definitions as one, a quote's nested quotes and lists opened after it, a ``details``
    block as its summary and its blocks where it stands."""

    def visit(items: tuple[ol.Item, ...]) -> list[ol.Item]:
        out: list[ol.Item] = []
        for item in items:
            if item.kind == "details":
                out.append(ol.Item("para", item.text))
                out.extend(visit(item.children))
            elif item.kind == "quote":
                paras: list[ol.Item] = []
                rest: list[ol.Item] = []
                for child in visit(item.children):
                    if child.kind == "quote":  # an inner quote, already opened: its paragraphs join
                        paras.extend(child.children)
                    else:
                        (paras if child.kind == "para" and not rest else rest).append(child)
                out.append(ol.Item("quote", children=tuple(paras)))
                out.extend(rest)
            elif item.kind == "definition-list":
                merged: list[ol.Item] = []
                for child in item.children:
                    if child.kind == "definition" and merged and merged[-1].kind == "definition":
                        merged[-1] = ol.Item("definition", children=merged[-1].children + tuple(visit(child.children)))
                    else:
                        merged.append(ol.Item(child.kind, child.text, child.level, tuple(visit(child.children))))
                out.append(ol.Item("definition-list", children=tuple(merged)))
            else:
                out.append(ol.Item(item.kind, item.text, item.level, tuple(visit(item.children))))
        return out

    return tuple(visit(outline))


def aligns(doc: m.Document) -> list[tuple[m.Align, ...]]:
    return [node.aligns for node in walk.walk(doc.blocks) if isinstance(node, m.Table)]


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_our_docx_imports_to_the_same_outline(source: Path, editions: dict[str, Path], tmp_path: Path) -> None:
    original = publish.load(source)
    imported = docx_importer.read(editions[source.stem])
    model = imported_model(imported, tmp_path, source.stem)
    expected = ol.outline_of(mathtex.split_display(original))  # display math alone, as Word holds it
    found = ol.outline_of(model)
    if source.stem in NOT_EXACT:
        assert ol.diff(expected, found), f"{source.stem} imports exactly now: take it out of NOT_EXACT"
        assert ol.diff(loosened(expected), loosened(found), name="imported") == []
    else:
        assert ol.diff(expected, found, name="imported") == []
    assert aligns(model) == aligns(original)  # the tables' columns keep their alignment
    assert model.meta.title == original.meta.title
    assert model.meta.lang.split("-")[0] == original.meta.lang.split("-")[0]
    assert [a.name for a in model.meta.authors] == [a.name for a in original.meta.authors]
    assert model.meta.date == original.meta.date
    assert not [r for r in imported.remarks if r.kind == "warning"]


@pytest.mark.parametrize("name", ["every-node", "math", "tables", "blocks", "paper"])
def test_importing_again_changes_nothing(name: str, editions: dict[str, Path], tmp_path: Path) -> None:
    """The source an import writes, built into DOCX and imported again, is the same source
    (but for the spaces between a formula's runs, which Word does not keep)."""
    first = docx_importer.read(editions[name])
    again = publish.build(
        imported_model(first, tmp_path, name), "docx", tmp_path / "again.docx", Options(toc_pages=False)
    )
    second = docx_importer.read(again)
    assert "".join(second.body.split()) == "".join(first.body.split())
    assert second.meta == first.meta


def test_the_furniture_is_not_text(editions: dict[str, Path]) -> None:
    """The title block, the table of contents and the running heads stay out of the body."""
    imported = docx_importer.read(editions["every-node"])
    assert "Contents" not in imported.body.split("\n# ")[0]
    assert imported.body.lstrip().startswith("# Headings and inline text")
    assert imported.meta["subtitle"] == "A fixture for the structure tests"
    assert imported.meta["publishers"] == ["Small Press Collective"]
    assert len(imported.images) == 1 and "](every-node-media/" not in imported.body  # the slug comes later


def _words(text: str) -> collections.Counter[str]:
    text = re.sub(r"\^\(([^)]*)\)", r"\1", unicodedata.normalize("NFKC", text))  # pandoc's 1^(st)
    return collections.Counter(re.findall(r"\w+", text))


def _plain(path: Path, fmt: str) -> str:
    pandoc = pypandoc.get_pandoc_path()
    args = [pandoc, "-f", fmt, str(path), "-t", "plain", "--wrap=none"]  # the body (the front matter: above)
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def _missing(docx_path: Path, tmp_path: Path) -> collections.Counter[str]:
    """The words pandoc reads in the DOCX that it does not read in our import of it (but the
    title of pandoc's table of contents, furniture the import leaves out)."""
    imported = docx_importer.read(docx_path)
    source = write(imported, tmp_path, docx_path.stem)
    publish.load(source)  # our reader takes it
    reference = _plain(docx_path, "docx").replace("Table of Contents", "", 1)
    return _words(reference) - _words(_plain(source, "markdown"))


#: Fixtures whose text is mostly formulas are left out: pandoc's plain text writes a formula
#: as its TeX, which differs in form (``\begin{pmatrix}`` or ``\left(`` ``\begin{matrix}``)
#: between pandoc's OMML reader and ours, not in what it shows (the round trip above checks that).
WORDS = [s for s in SOURCES if s.stem not in ("math", "paper", "diffopt", "math-notes", "pandoc-crossref")]


@pytest.mark.slow
def test_pandoc_docx_imports_with_every_word(tmp_path: Path) -> None:
    pandoc = pypandoc.get_pandoc_path()
    for source in WORDS:
        made = tmp_path / f"{source.stem}.docx"
        subprocess.run([pandoc, source.name, "-o", str(made)], cwd=source.parent, check=True, capture_output=True)
        assert _missing(made, tmp_path / source.stem) == collections.Counter(), source.stem


@pytest.mark.slow
def test_pandoc_equations_import_as_tex(tmp_path: Path) -> None:
    """Word equations as pandoc writes them (OMML from its own TeX reader) come back as TeX
    our reader takes, showing the same letters and digits as the source's formulas (but the
    one the project refuses, which pandoc writes as text)."""
    source = FIXTURES / "math.md"
    made = tmp_path / "math.docx"
    subprocess.run([pypandoc.get_pandoc_path(), source.name, "-o", str(made)], cwd=FIXTURES, check=True)
    model = imported_model(docx_importer.read(made), tmp_path, "math")

    def kept(outline: ol.Outline) -> list[str]:
        return [line for line in ol.render(outline) if "refuses" not in line]

    assert kept(ol.outline_of(model)) == kept(ol.outline_of(mathtex.split_display(publish.load(source))))
    assert any(isinstance(node, m.Math) for node in walk.walk(model.blocks))


@pytest.mark.slow
def test_libreoffice_docx_imports_with_every_word(built: Built, tmp_path: Path) -> None:
    """LibreOffice's DOCX of our HTML editions: its own styles ("Text Body", "Quotations",
    "Preformatted Text"), numbering, character styles, raised and lowered text."""
    soffice = shutil.which("soffice")
    assert soffice, "LibreOffice (scripts/setup.sh --test) is needed"
    pages = []
    for name in ("every-node", "article"):
        page = tmp_path / f"{name}.html"
        shutil.copyfile(built.edition(name, "html"), page)
        pages.append(str(page))
    args = [soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile"]
    subprocess.run(
        [*args, "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(tmp_path), *pages],
        check=True,
        capture_output=True,
    )
    for name in ("every-node", "article"):
        assert _missing(tmp_path / f"{name}.docx", tmp_path / name) == collections.Counter(), name


# ---------------------------------------------------------------- a Word file as Word writes it

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"


def _run(p: etree._Element, text: str, **props: str) -> etree._Element:
    r = etree.SubElement(p, qn("w:r"))
    if props:
        rpr = etree.SubElement(r, qn("w:rPr"))
        for name, value in props.items():
            etree.SubElement(rpr, qn(f"w:{name}"), {qn("w:val"): value} if value else {})
    t = etree.SubElement(r, qn("w:t"))
    t.text = text
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return r


def word_file(path: Path) -> Path:
    """A manuscript as an author makes one in Word: direct formatting for a heading, an
    outline level, Word's own numbering (lowerLetter, from 3), a monospace font, a span in
    French, a tracked insertion and deletion, a comment, a HYPERLINK field, an endnote,
    escapable text."""
    document = docx.Document()
    document.core_properties.title = "A Manuscript"
    document.core_properties.author = "Jane Author; John Author"
    document.core_properties.language = "en-US"
    big = document.add_paragraph()
    _run(big._p, "Background", b="", sz="36")  # 18 pt bold over an 11 pt text
    p = document.add_paragraph()
    _run(p._p, "Prices rose by *3* [sic] and 1. was # not a list; ")
    _run(p._p, "bonjour", lang="")
    p._p[-1].find(qn("w:rPr")).find(qn("w:lang")).set(qn("w:val"), "fr-FR")
    ins = etree.SubElement(p._p, qn("w:ins"), {qn("w:id"): "1", qn("w:author"): "Ed"})
    _run(ins, " inserted")
    dele = etree.SubElement(p._p, qn("w:del"), {qn("w:id"): "2", qn("w:author"): "Ed"})
    r = etree.SubElement(dele, qn("w:r"))
    etree.SubElement(r, qn("w:delText")).text = " deleted"
    etree.SubElement(p._p, qn("w:commentRangeStart"), {qn("w:id"): "0"})
    _run(p._p, " and ")
    _run(p._p, "code()", rFonts="")
    p._p[-1].find(qn("w:rPr")).find(qn("w:rFonts")).set(qn("w:ascii"), "Courier New")
    heading = document.add_paragraph()
    ppr = heading._p.get_or_add_pPr()
    etree.SubElement(ppr, qn("w:outlineLvl"), {qn("w:val"): "1"})
    _run(heading._p, "An outline level")
    for text in ("third", "fourth"):
        item = document.add_paragraph()
        num = etree.SubElement(item._p.get_or_add_pPr(), qn("w:numPr"))
        etree.SubElement(num, qn("w:ilvl"), {qn("w:val"): "0"})
        etree.SubElement(num, qn("w:numId"), {qn("w:val"): "97"})
        _run(item._p, text)
    link = document.add_paragraph()
    _run(link._p, "See ")
    for kind, text in (("begin", None), (None, ' HYPERLINK "https://example.org/" '), ("separate", None)):
        r = etree.SubElement(link._p, qn("w:r"))
        if kind:
            etree.SubElement(r, qn("w:fldChar"), {qn("w:fldCharType"): kind})
        else:
            etree.SubElement(r, qn("w:instrText")).text = text
    _run(link._p, "the site")
    etree.SubElement(etree.SubElement(link._p, qn("w:r")), qn("w:fldChar"), {qn("w:fldCharType"): "end"})
    _run(link._p, ".")
    quoted = document.add_paragraph("Indented by hand, as a quotation.")
    etree.SubElement(quoted._p.get_or_add_pPr(), qn("w:ind"), {qn("w:left"): "720", qn("w:right"): "720"})
    mono = document.add_paragraph()
    _run(mono._p, "x = [1, 2]", rFonts="")
    mono._p[-1].find(qn("w:rPr")).find(qn("w:rFonts")).set(qn("w:ascii"), "Consolas")
    document.add_picture(str(FIXTURES / "images" / "gradient.png"))  # a figure, its caption after it
    next(document.paragraphs[-1]._p.iter(f"{{{WP}}}docPr")).set("descr", "A picture containing a rectangle")
    document.add_paragraph("A gradient, from light to dark", style="Caption")
    extra = document.add_paragraph()  # a text box and ruby: their words stay
    v = "urn:schemas-microsoft-com:vml"
    pict = etree.SubElement(etree.SubElement(extra._p, qn("w:r")), qn("w:pict"))
    box = etree.SubElement(
        etree.SubElement(etree.SubElement(pict, f"{{{v}}}shape"), f"{{{v}}}textbox"), qn("w:txbxContent")
    )
    _run(etree.SubElement(box, qn("w:p")), "Boxed words")
    ruby = etree.SubElement(etree.SubElement(extra._p, qn("w:r")), qn("w:ruby"))
    _run(etree.SubElement(ruby, qn("w:rt")), "かん")
    _run(etree.SubElement(ruby, qn("w:rubyBase")), "漢")
    etree.SubElement(etree.SubElement(link._p, qn("w:r")), qn("w:endnoteReference"), {qn("w:id"): "1"})
    document.save(str(path))
    _add_numbering(path)
    return path


def _add_numbering(path: Path) -> None:
    """numbering.xml with numId 97 (lower-case letters with a parenthesis, from 3), and an
    endnotes part."""
    import zipfile

    numbering = (
        f'<w:numbering xmlns:w="{W_NS}"><w:abstractNum w:abstractNumId="90"><w:lvl w:ilvl="0">'
        '<w:start w:val="3"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%1)"/></w:lvl></w:abstractNum>'
        '<w:num w:numId="97"><w:abstractNumId w:val="90"/></w:num></w:numbering>'
    )
    with zipfile.ZipFile(path) as z:
        items = {n: z.read(n) for n in z.namelist()}
    if "word/numbering.xml" in items:
        root = etree.fromstring(items["word/numbering.xml"])
        extra = etree.fromstring(numbering)
        for child in extra:
            (root.insert(0, child) if child.tag == qn("w:abstractNum") else root.append(child))
        items["word/numbering.xml"] = etree.tostring(root)
    else:  # pragma: no cover - python-docx's template has a numbering part
        raise AssertionError("python-docx's template has no numbering part")
    items["word/endnotes.xml"] = (
        f'<w:endnotes xmlns:w="{W_NS}"><w:endnote w:type="separator" w:id="-1"><w:p/></w:endnote>'
        '<w:endnote w:id="1"><w:p><w:r><w:endnoteRef/></w:r><w:r><w:t xml:space="preserve"> An endnote.</w:t>'
        "</w:r></w:p></w:endnote></w:endnotes>"
    ).encode()
    rel = (
        '<Relationship Id="rIdEnd" Target="endnotes.xml" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/endnotes"/></Relationships>'
    )
    items["word/_rels/document.xml.rels"] = items["word/_rels/document.xml.rels"].replace(
        b"</Relationships>", rel.encode()
    )
    override = (
        '<Override PartName="/word/endnotes.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.wordprocessingml.endnotes+xml"/></Types>'
    )
    items["[Content_Types].xml"] = items["[Content_Types].xml"].replace(b"</Types>", override.encode())
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in items.items():
            z.writestr(name, data)


def test_a_word_file_as_word_writes_it(tmp_path: Path) -> None:
    path = word_file(tmp_path / "manuscript.docx")
    imported = docx_importer.read(path)
    model = imported_model(imported, tmp_path, "manuscript")
    outline = ol.render(ol.outline_of(model))
    assert model.meta.title == "A Manuscript"
    assert [a.name for a in model.meta.authors] == ["Jane Author", "John Author"]
    assert outline == [
        "heading 1: Background",  # guessed from its size
        "para: Prices rose by *3* [sic] and 1. was # not a list; bonjour inserted and code()",
        "heading 2: An outline level",
        "ordered-list 3: lower-alpha one-paren",
        "  item",
        "    para: third",
        "  item",
        "    para: fourth",
        "para: See the site.",
        "quote",
        "  para: Indented by hand, as a quotation.",
        "code: x = [1, 2]",
        "figure: A gradient, from light to dark",
        "  alt: A gradient, from light to dark",
        "para: Boxed words 漢",
        "note 1",
        "  para: An endnote.",
    ]
    assert list(imported.images) == ["image1.png"]
    assert "](manuscript-media/image1.png)" in (tmp_path / "manuscript.md").read_text(encoding="utf-8")
    assert "](https://example.org/)" in imported.body and "[bonjour]{lang=fr-FR}" in imported.body
    assert "`code()`" in imported.body and "deleted" not in imported.body
    kinds = {(r.kind, r.message.split(" (")[0]) for r in imported.remarks}
    assert ("warning", "tracked changes resolved as accepted") in kinds
    assert ("warning", "comments dropped") in kinds
    assert ("unsure", "a text box's text set in its paragraph") in kinds
    assert any(
        "alt text, 'A picture containing a rectangle', is not its caption" in r.message for r in imported.remarks
    )
    assert any(r.kind == "guessed" and r.where == "manuscript.docx:paragraph 1" for r in imported.remarks)


@pytest.mark.parametrize(
    "text",
    [
        "*not em* _nor this_ `tick` [brackets](x) <b>tag</b> $5 and $6 @key ^up^ ~down~ {.cls}",
        "# not a heading",
        "1. not a list",
        "B. Russell",
        "(a) not a list",
        "- not a bullet",
        "> not a quote",
        "\"straight\" and 'single' quotes, -- and ... as typed",
        "a | pipe & an &amp; entity \\ backslash",
        ": not a definition",
    ],
)
def test_text_stays_text(text: str, tmp_path: Path) -> None:
    """The emitter escapes in one place: a manuscript's characters come back as they were."""
    body = docxmd.render([docxmd.Block("para", docxmd.text(text))])
    model = publish.loads(f"---\ntitle: T\n---\n\n{body}\n", tmp_path / "t.md")
    assert ol.render(ol.outline_of(model)) == [f"para: {text}"]


def test_a_damaged_or_encrypted_file_is_an_error(tmp_path: Path) -> None:
    damaged = tmp_path / "damaged.docx"
    damaged.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(PublishError, match=r"damaged\.docx"):
        docx_importer.read(damaged)
    encrypted = tmp_path / "encrypted.docx"
    encrypted.write_bytes(bytes.fromhex("d0cf11e0a1b11ae1") + b"\0" * 512)
    with pytest.raises(PublishError, match=r"encrypted\.docx: encrypted"):
        docx_importer.read(encrypted)


def test_the_language_follows_the_text(tmp_path: Path) -> None:
    """Without a language in the core properties, a text mostly in Chinese takes the East
    Asian default of the styles (``w:eastAsia``), not the Latin one."""
    document = docx.Document()
    document.core_properties.language = ""
    document.add_paragraph("本報告介紹研究院的工作。")
    lang = document.styles.element.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}")
    assert lang is not None
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-TW")
    document.save(str(tmp_path / "zh.docx"))
    assert docx_importer.read(tmp_path / "zh.docx").meta["lang"] == "zh-Hant"


def test_damaged_markup_degrades_and_does_not_crash(editions: dict[str, Path], tmp_path: Path) -> None:
    """Word files with attributes dropped or garbled and elements cut out (seeded, so the
    same every run) import or fail with a PublishError naming the file: never a crash."""
    import random
    import zipfile

    rng = random.Random(18)
    sources = [editions[name] for name in ("every-node", "paper", "tables", "blocks", "arabic")]
    for attempt in range(40):
        with zipfile.ZipFile(rng.choice(sources)) as z:
            parts = {name: z.read(name) for name in z.namelist()}
        target = rng.choice(sorted(n for n in parts if n.startswith("word/") and n.endswith(".xml")))
        root = etree.fromstring(parts[target])
        elements = list(root.iter())
        for _ in range(rng.randint(1, 20)):
            el = rng.choice(elements)
            names = sorted(el.attrib)
            roll = rng.random()
            if roll < 0.4 and names:
                del el.attrib[rng.choice(names)]
            elif roll < 0.6 and names:
                el.set(rng.choice(names), rng.choice(["", "x", "-1", "999999", "%1)"]))
            elif roll < 0.8 and el.getparent() is not None:
                el.getparent().remove(el)
            else:
                el.text = rng.choice(["", "*", "1.", "\\", "$"])
        parts[target] = etree.tostring(root)
        damaged = tmp_path / f"damaged-{attempt}.docx"
        with zipfile.ZipFile(damaged, "w") as z:
            for name, data in parts.items():
                z.writestr(name, data)
        try:
            docx_importer.read(damaged)
        except PublishError as error:
            assert damaged.name in str(error)


@pytest.mark.parametrize(("tag", "expected"), [("zxx", None), ("x-none", None), ("en-GB", None), ("fr-FR", "fr-FR")])
def test_a_run_tagged_with_no_language_is_in_the_language_around_it(tag: str, expected: str | None) -> None:
    """LibreOffice tags code "zxx" (no linguistic content), Word some runs "x-none": no span."""
    from publish.importers import docxruns

    r = etree.Element(qn("w:r"))
    etree.SubElement(etree.SubElement(r, qn("w:rPr")), qn("w:lang"), {qn("w:val"): tag})
    ctx = docxruns.Context({}, "en", str, lambda _: "", lambda *_: "")
    assert docxruns.run_lang(r, "x = 1", ctx) == expected


def test_a_terms_second_definition_is_not_a_definitions_second_paragraph(tmp_path: Path) -> None:
    """Both were "Definition" paragraphs; a definition's blocks after its first are now
    "Definition Continued" (the look of "Definition"), in the edition and in its read-back."""
    from publish import readback

    doc = publish.load(
        write_source(
            tmp_path,
            "terms.md",
            "---\ntitle: Terms\n---\n\nApple\n\n:   The fruit.\n\n:   A company.\n\n"
            "Serif\n\n:   A stroke.\n\n    Set in books:\n\n    - Noto Serif\n\n    Most of them.\n",
        )
    )
    path = publish.build(doc, "docx", tmp_path / "terms.docx", Options(toc_pages=False))
    styles = [p.style.name for p in docx.Document(str(path)).paragraphs if p.style.name.startswith("Definition")]
    assert (
        styles
        == ["Definition Term", "Definition", "Definition", "Definition Term", "Definition"]
        + ["Definition Continued"] * 2
    )
    model = imported_model(docx_importer.read(path), tmp_path, "imported")
    assert ol.diff(ol.outline_of(doc), ol.outline_of(model), name="imported") == []
    assert readback.check(doc, "docx", path, Options(toc_pages=False)) == []
