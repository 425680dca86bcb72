"""TeX math: read as pandoc reads it, MathML in HTML and EPUB, drawn SVG in the PDF, Word
equations in the DOCX, and every edition read back equal to the model."""

from __future__ import annotations

import dataclasses
import json
import re
import subprocess
import zipfile
from pathlib import Path

import docx
import lxml.html
import pypandoc
import pytest
from lxml import etree

import publish
from publish import check, mathtex, outline, readback, transforms, walk
from publish import model as m
from publish.check import editions
from publish.options import Options
from publish.writers.docx import equations
from tests.conftest import ROOT, write

MATHML = "{http://www.w3.org/1998/Math/MathML}"
OMML = "{http://schemas.openxmlformats.org/officeDocument/2006/math}"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
FIXTURE = ROOT / "tests" / "fixtures" / "math.md"
FAST = ["html", "epub", "docx"]
EVERY = [*FAST, pytest.param("pdf", marks=[pytest.mark.slow, pytest.mark.external])]

SOURCE = r"""---
title: Math
---

Inline $x^2$ and $$\frac{a}{b}$$ in the text; it costs $5 and $6, and \$ is a dollar.

$$
E = mc^2
$$ {#eq-energy}

$$
\begin{aligned} a &= b \\ c &= d \end{aligned}
$$

- an item with $\sqrt{x}$[^n]

[^n]: A note with $\hat{\theta}$.
"""


def formulas(doc: m.Document) -> list[m.Math]:
    return [n for n in walk.walk(doc.blocks) if isinstance(n, m.Math)]


def numbered(doc: m.Document) -> m.Document:
    """What :mod:`publish.crossref` does: the labelled equation gets its number."""

    def fn(node: walk.Node) -> walk.Node:
        return dataclasses.replace(node, number="1") if isinstance(node, m.Math) and node.attr.id else node

    return transforms.rewrite(doc, fn)


@pytest.fixture(scope="module")
def doc() -> m.Document:
    return numbered(publish.loads(SOURCE))


# ---------------------------------------------------------------- the reader


def test_dollars_read_as_pandoc_reads_them(doc: m.Document) -> None:
    found = formulas(doc)
    assert [(f.tex, f.display) for f in found] == [
        ("x^2", False),
        (r"\frac{a}{b}", True),
        ("E = mc^2", True),
        (r"\begin{aligned} a &= b \\ c &= d \end{aligned}", True),
        (r"\sqrt{x}", False),
        (r"\hat{\theta}", False),
    ]
    first = doc.blocks[0]
    assert isinstance(first, m.Paragraph)
    assert "it costs $5 and $6, and $ is a dollar." in "".join(n.text for n in first.content if isinstance(n, m.Text))
    # display math stands inside its paragraph, as pandoc's DisplayMath does
    assert isinstance(first.content[3], m.Math) and first.content[3].display


def test_an_equation_label_is_its_id_and_leaves_the_text(doc: m.Document) -> None:
    energy = formulas(doc)[2]
    assert energy.attr.id == "eq-energy" and energy.number == "1"
    assert doc.blocks[1] == m.Paragraph((energy,))
    one_line = publish.loads("---\ntitle: T\n---\n\n$$ a=b $$ {#eq-ab} and more\n")
    assert one_line.blocks[0] == m.Paragraph((m.Math("a=b", True, m.Attr(id="eq-ab"), "1"), m.Text(" and more")))
    next_line = publish.loads("---\ntitle: T\n---\n\n$$\na=b\n$$\n{#eq-ab}\n")  # one paragraph to pandoc
    assert next_line.blocks == (m.Paragraph((m.Math("a=b", True, m.Attr(id="eq-ab"), "1"),)),)


@pytest.mark.parametrize(
    ("tex", "words"),
    [
        (r"x \label{eq:x}", r"\label in math"),
        (r"x \tag{1}", r"\tag in math"),
        (r"\foo x", r"unknown TeX command(s) in math: \foo"),
        (r"\frac{a}{b", "unbalanced braces"),
    ],
)
def test_a_refused_formula_is_kept_as_its_tex_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, tex: str, words: str
) -> None:
    path = write(tmp_path, "doc.md", f"---\ntitle: T\n---\n\nSee ${tex}$ here.\n")
    doc = publish.load(path)
    assert doc.blocks[0] == m.Paragraph((m.Text("See "), m.Code(tex), m.Text(" here.")))
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert any(w.startswith(f"{path}:5: warning: ") and words in w for w in warnings), warnings


@pytest.mark.external
def test_pandoc_reads_the_labels_as_we_do(tmp_path: Path) -> None:
    path = write(tmp_path, "labels.md", "---\ntitle: T\n---\n\n$$ a=b $$ {#eq-a} and\n\n$$\nc=d\n$$\n{#eq-c}\n")
    doc = publish.load(path)
    assert [f.attr.id for f in formulas(doc)] == ["eq-a", "eq-c"]
    results = {r.label: r for r in (c.run(doc, path, Options()) for c in check.SOURCE_CHECKS)}
    assert {label: r.details for label, r in results.items()} == {"source (words)": [], "source (pandoc)": []}


def test_a_formula_in_a_heading_gives_its_id_as_pandoc_does() -> None:
    doc = publish.loads("---\ntitle: T\n---\n\n## The $x^2$ rule\n\ntext\n")
    heading = doc.blocks[0]
    assert isinstance(heading, m.Heading) and heading.attr.id == "the-x2-rule"


# ---------------------------------------------------------------- TeX → MathML


def test_mathml_is_pandocs_form_with_the_tex_annotated() -> None:
    converted = mathtex.convert(r"\frac{a}{b}", True)
    root = etree.fromstring(converted.mathml)
    assert root.tag == f"{MATHML}math" and root.get("display") == "block" and root.get("alttext") == r"\frac{a}{b}"
    semantics = root[0]
    assert semantics.tag == f"{MATHML}semantics" and [etree.QName(c).localname for c in semantics] == [
        "mrow",
        "annotation",
    ]
    assert semantics[1].get("encoding") == "application/x-tex" and semantics[1].text == r"\frac{a}{b}"


@pytest.mark.parametrize(
    "tex",
    [
        r"\begin{aligned} f(x) &= (x+1)^2 \\ &= x^2 + 2x + 1 \end{aligned}",
        r"|x| = \begin{cases} x & x \ge 0 \\ -x & \text{otherwise} \end{cases}",
        r"\begin{pmatrix} 1 & 2 \\ 3 & 4 \end{pmatrix} \begin{bmatrix} a \\ b \end{bmatrix}",
        r"\begin{matrix} 1 & 0 \\ 0 & 1 \end{matrix}",
    ],
)
def test_environments_become_tables(tex: str) -> None:
    converted = mathtex.convert(tex, True)
    assert converted.problem == ""
    assert etree.fromstring(converted.mathml).find(f".//{MATHML}mtable") is not None


def pandoc_mathml(tex: str) -> etree._Element:
    exe = pypandoc.get_pandoc_path()
    html = subprocess.run(
        [exe, "-f", "markdown", "-t", "html", "--mathml"],
        input=f"$${tex}$$",
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return etree.fromstring(re.search(r"<math.*</math>", html, re.S).group(0))  # type: ignore[union-attr]


@pytest.mark.external
@pytest.mark.parametrize(
    "tex",
    [
        r"\begin{aligned} f(x) &= (x+1)^2 \\ &= x^2 + 2x + 1 \end{aligned}",
        r"x = \frac{-b \pm \sqrt{b^2 - 4ac}}{2a}",
        r"\sum_{i=1}^{n} i = \frac{n(n+1)}{2}",
        r"\sqrt[3]{y} + \binom{n}{k} + \hat{\theta} + \operatorname{sin} x",
        r"\mathbb{R}^n \ni \alpha, \Omega",
    ],
)
def test_our_mathml_shows_what_pandocs_texmath_shows(tex: str) -> None:
    ours = mathtex.convert(tex, True)
    assert mathtex.math_text(ours.mathml) == mathtex.math_text(pandoc_mathml(tex))


def test_math_text_is_letters_and_digits_in_reading_order() -> None:
    assert mathtex.math_text(mathtex.convert(r"\sqrt[3]{y} + \mathbb{R}_i", False).mathml) == "3yRi"
    assert mathtex.visible("∑ x₂ ≤ ℝ") == "x2R"


# ---------------------------------------------------------------- HTML and EPUB


def test_html_has_mathml_with_the_tex_and_numbered_equations(doc: m.Document, tmp_path: Path) -> None:
    path = publish.build(doc, "html", tmp_path / "math.html")
    page = etree.fromstring(path.read_bytes(), etree.HTMLParser())
    maths = [el for el in page.iter() if el.tag == "math"]
    assert [el.get("display") for el in maths] == ["inline", "block", "block", "block", "inline", "inline"]
    assert [el.get("alttext") for el in maths][:3] == ["x^2", r"\frac{a}{b}", "E = mc^2"]
    equation = page.xpath("//*[@id='eq-energy']")[0]
    assert "display" in equation.get("class") and equation.xpath("string(.//*[@class='equation-number'])") == "(1)"
    assert equation.find(".//math") is not None


def test_epub_declares_mathml_on_the_items_that_have_math(doc: m.Document, tmp_path: Path) -> None:
    path = publish.build(doc, "epub", tmp_path / "math.epub")
    with zipfile.ZipFile(path) as z:
        opf = etree.fromstring(z.read(next(n for n in z.namelist() if n.endswith(".opf"))))
        items = {i.get("href"): (i.get("properties") or "").split() for i in opf.iter("{*}item")}
        texts = {h: z.read(f"EPUB/{h}").decode() for h in items if h.endswith(".xhtml")}
    for href, properties in items.items():
        if href in texts:
            assert ("mathml" in properties) == ("<math " in texts[href]), href
    assert any("mathml" in p for p in items.values())


@pytest.mark.parametrize("fmt", EVERY)
def test_every_edition_reads_back_equal(doc: m.Document, fmt: str, tmp_path: Path) -> None:
    path = publish.build(doc, fmt, tmp_path / f"math.{fmt}")
    assert readback.check(doc, fmt, path) == []
    assert editions.check_languages(doc, fmt, path).details == []


def test_a_lost_tex_annotation_is_found(doc: m.Document, tmp_path: Path) -> None:
    path = publish.build(doc, "html", tmp_path / "math.html")
    path.write_text(path.read_text().replace("E = mc^2</annotation>", "E = mc^3</annotation>"))
    problems = readback.check(doc, "html", path)
    assert problems and "math differs" in problems[-1] and "E = mc^3" in problems[-1]


def test_the_outline_shows_a_formulas_text_and_number(doc: m.Document) -> None:
    lines = outline.render(outline.outline_of(doc))
    assert lines[0].startswith("para: Inline x2 and ab in the text")
    assert lines[1] == "para: Emc2 (1)"


# ---------------------------------------------------------------- PDF


@pytest.mark.slow
@pytest.mark.external
def test_pdf_draws_math_as_tagged_figures_with_the_tex_as_alt(doc: m.Document, tmp_path: Path) -> None:
    from publish.readback import pdf as pdf_back

    path = publish.build(doc, "pdf", tmp_path / "math.pdf")
    alts = [alt for tag, alt in pdf_back.tags(path) if tag == "Figure"]
    assert sorted(alts) == sorted(f.tex for f in formulas(doc))
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "(1)" in text and "mc" not in text  # drawn: no text layer, the number is text


def test_pdf_markup_is_svg_on_the_baseline_with_a_title() -> None:
    from publish.writers import mathmarkup

    markup = mathmarkup.render(m.Math(r"\frac{a}{b}"), drawn=True)
    svg = lxml.html.fragment_fromstring(markup).find(".//svg")
    assert svg is not None and svg.find("title").text == r"\frac{a}{b}"
    assert re.search(r"vertical-align: -0\.\d+em", svg.get("style"))
    assert "<use" not in markup and "<math" not in markup
    numbered_markup = mathmarkup.render(m.Math("x", True, m.Attr(id="eq-x"), "2"), drawn=True)
    assert 'id="eq-x"' in numbered_markup and '<span class="equation-number">(2)</span>' in numbered_markup


# ---------------------------------------------------------------- DOCX


def omath(tex: str, display: bool = False) -> etree._Element:
    return equations.omath(m.Math(tex, display))


def test_word_equations_are_repaired() -> None:
    root = omath(r"\sqrt{x}")
    rad = root.find(f".//{OMML}rad")
    assert rad is not None and [etree.QName(c).localname for c in rad] == ["radPr", "deg", "e"]
    assert rad.find(f"{OMML}radPr/{OMML}degHide").get(f"{OMML}val") == "on"
    assert not root.xpath(".//m:sty[@m:val='i']", namespaces={"m": OMML[1:-1]})
    assert root.find(f".//{OMML}box") is None
    for tex, char in ((r"\hat{\theta}", "\u0302"), (r"\vec{v}", "\u20d7"), (r"\bar{x}", "\u0305")):
        acc = omath(tex).find(f".//{OMML}acc")
        assert acc is not None and acc.find(f"{OMML}accPr/{OMML}chr").get(f"{OMML}val") == char, tex
    binom = omath(r"\binom{n}{k}").find(f".//{OMML}d//{OMML}f")
    assert binom is not None and binom.find(f"{OMML}fPr/{OMML}type").get(f"{OMML}val") == "noBar"
    assert omath(r"\underbrace{a+b}_{n}").find(f".//{OMML}groupChr") is not None  # well-formed now
    assert omath(r"\begin{aligned} a &= b \\ c &= d \end{aligned}", True).find(f".//{OMML}eqArr") is not None
    assert omath(r"\lim_{x \to 0} x", True).find(f".//{OMML}limLow") is not None


def test_docx_sets_display_math_alone_and_numbers_equations(doc: m.Document, tmp_path: Path) -> None:
    path = publish.build(doc, "docx", tmp_path / "math.docx")
    body = docx.Document(str(path)).element.body
    paragraphs = list(body.iter(f"{W}p"))
    inline = [p for p in paragraphs if p.find(f"{OMML}oMath") is not None]
    assert inline and all(p.find(f"{W}r") is not None for p in inline[:1])  # in the text of its paragraph
    for p in paragraphs:
        if p.find(f"{OMML}oMathPara") is not None:  # alone in its paragraph: no text beside it
            assert not "".join(p.itertext()).strip() or p.find(f"{W}r") is None
    energy = next(p for p in paragraphs if p.find(f"{W}bookmarkStart[@{W}name='eq-energy']") is not None)
    assert energy.find(f"{W}pPr/{W}tabs") is not None
    assert "".join(t.text or "" for t in energy.iter(f"{W}t")) == "(1)"
    text = ["".join(t.text or "" for t in p.iter(f"{W}t")).strip() for p in paragraphs]
    opening = text.index("Inline  and")  # x^2 is an equation between the two words
    assert paragraphs[opening].find(f"{OMML}oMath") is not None
    assert paragraphs[opening + 1].find(f"{OMML}oMathPara") is not None and text[opening + 1] == ""
    assert text[opening + 2].startswith("in the text;")  # the paragraph goes on after the display


@pytest.mark.external
def test_pandoc_reads_our_word_equations_back_as_the_same_math(tmp_path: Path) -> None:
    doc = publish.load(FIXTURE)
    path = publish.build(doc, "docx", tmp_path / "math.docx")
    exe = pypandoc.get_pandoc_path()
    native = json.loads(
        subprocess.run([exe, "-f", "docx", "-t", "json", str(path)], capture_output=True, check=True).stdout
    )
    found: list[tuple[bool, str]] = []

    def visit(node: object) -> None:
        if isinstance(node, dict):
            if node.get("t") == "Math":
                found.append((node["c"][0]["t"] == "DisplayMath", node["c"][1]))
            for value in node.values():
                visit(value)
        elif isinstance(node, list):
            for value in node:
                visit(value)

    visit(native["blocks"])
    ours = formulas(doc)
    # a numbered equation sits between tab stops with its number (an oMath in its paragraph),
    # which pandoc reads as inline math; an unnumbered one is Word's display (oMathPara)
    assert [d for d, _ in found] == [f.display and not f.number for f in ours]
    assert any(f.number for f in ours)
    for (_, tex), formula in zip(found, ours, strict=True):
        theirs = mathtex.convert(tex, formula.display)
        assert theirs.problem == "", tex
        assert mathtex.math_text(theirs.mathml) == mathtex.math_text(mathtex.convert(formula.tex).mathml), tex


def test_split_display_sets_each_display_formula_alone(doc: m.Document) -> None:
    split = mathtex.split_display(doc)
    first = split.blocks[:3]
    assert [type(b) for b in first] == [m.Paragraph] * 3
    assert first[1] == m.Paragraph((m.Math(r"\frac{a}{b}", True),))


# ---------------------------------------------------------------- the fixture


@pytest.mark.parametrize("fmt", EVERY)
def test_the_fixture_reads_back_equal(fmt: str, tmp_path: Path) -> None:
    doc = numbered(publish.load(FIXTURE))
    path = publish.build(doc, fmt, tmp_path / f"math.{fmt}")
    assert readback.check(doc, fmt, path) == []


def test_a_split_epub_declares_mathml_per_item(tmp_path: Path) -> None:
    doc = publish.loads("---\ntitle: T\n---\n\n## One\n\nNo math here.\n\n## Two\n\nMath: $x^2$.\n")
    path = publish.build(doc, "epub", tmp_path / "split.epub", Options(epub_split_chars=1))
    with zipfile.ZipFile(path) as z:
        opf = etree.fromstring(z.read(next(n for n in z.namelist() if n.endswith(".opf"))))
    chapters = {i.get("href"): i.get("properties") for i in opf.iter("{*}item") if "chapter" in i.get("href", "")}
    assert chapters == {"chapter-01.xhtml": None, "chapter-02.xhtml": "mathml"}
    assert readback.check(doc, "epub", path) == []


def test_a_lost_word_equation_is_found(doc: m.Document, tmp_path: Path) -> None:
    path = publish.build(doc, "docx", tmp_path / "math.docx")
    broken = tmp_path / "broken.docx"
    with zipfile.ZipFile(path) as z, zipfile.ZipFile(broken, "w") as out:
        for item in z.infolist():
            data = z.read(item)
            if item.filename == "word/document.xml":
                first = rb"<m:oMath>(?:(?!</m:oMath>).)*?<m:t>x</m:t>.*?</m:oMath>"  # x^2, the first formula
                data = re.sub(first, b"", data, count=1, flags=re.S)
            out.writestr(item, data)
    problems = readback.check(doc, "docx", broken)
    assert any(p.startswith("-para: Inline x2 and") for p in problems), problems


# ---------------------------------------------------------------- macros (real lecture notes)

MACROS = r"""---
title: Macros
---

$$ \def\mc#1{\mathcal{#1}} $$
$$ \newcommand{\R}{\mathbb{R}} \DeclareMathOperator{\tr}{tr} $$

\newcommand{\tuple}[1]{\langle #1 \rangle}

\pagebreak

Let $x \in \mc{C}(F)$, $f: \R \to \R$, $\tr A$ and $\tuple{x,y}$; $a \\ \R$.

$$\frac{\mc{B}}{2}$$
"""


def _formulas(doc: m.Document) -> list[str]:
    return [n.tex for n in walk.walk(doc.blocks) if isinstance(n, m.Math)]


def test_macros_defined_in_math_or_raw_tex_are_expanded_after(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = write(tmp_path, "macros.md", MACROS)
    doc = publish.load(path)
    assert _formulas(doc) == [
        r"x \in \mathcal{C}(F)",
        r"f: \mathbb{R} \to \mathbb{R}",
        r"\operatorname{tr} A",
        r"\langle x,y \rangle",
        r"a \\ \mathbb{R}",
        r"\frac{\mathcal{B}}{2}",
    ]
    # the definitions show nothing (MathJax's reading) and say so; raw TeX is dropped with a warning
    assert not any("newcommand" in b for b in map(repr, doc.blocks)) and "pagebreak" not in repr(doc.blocks)
    assert f"{path}:5: warning: TeX macro(s) \\mc defined in math" in caplog.text
    assert f"{path}:8: warning: raw tex: its macro(s) \\tuple are applied" in caplog.text
    assert f"{path}:10: warning: a raw tex block is dropped" in caplog.text
    # pandoc's latex_macros expands the raw TeX definition as we do
    native = json.loads(pypandoc.convert_text(MACROS, "json", format="markdown"))
    assert r"\langle x,y \rangle" in json.dumps(native["blocks"]).replace("\\\\", "\\")
    for check_source in check.SOURCE_CHECKS:
        assert check_source.run(doc, path, Options()).status == "pass", check_source.against


@pytest.mark.parametrize("fmt", FAST)
def test_a_document_of_macros_reads_back_equal(fmt: str, tmp_path: Path) -> None:
    doc = publish.load(write(tmp_path, "macros.md", MACROS))
    path = publish.build(doc, fmt, tmp_path / f"macros.{fmt}")
    assert readback.check(doc, fmt, path) == []


def test_a_formula_that_only_defines_is_no_empty_math(tmp_path: Path) -> None:
    # an empty display formula crashed the PDF (WeasyPrint: a negative height)
    doc = publish.load(
        write(tmp_path, "d.md", "---\ntitle: D\n---\n\n$$\\newcommand{\\Var}{\\mathrm{Var}}$$\n\nText.\n")
    )
    assert _formulas(doc) == [] and [type(b).__name__ for b in doc.blocks] == ["Paragraph"]


def test_a_definition_that_calls_itself_ends(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    from publish import mathmacros

    expanded = mathmacros.Macros().formula(r"\def\a{\a\a} \a")
    assert len(expanded) < 20_000 and expanded.startswith(r"\a")
    doc = publish.load(write(tmp_path, "r.md", "---\ntitle: R\n---\n\n$\\def\\a{\\a\\a} \\a$\n"))
    assert "unknown TeX command" in caplog.text and not _formulas(doc)


def test_dollars_inside_braces_do_not_close_a_formula_as_in_pandoc(tmp_path: Path) -> None:
    source = "---\ntitle: B\n---\n\n$x = \\text{the $n$th root of $y$}$ and $a$, but $5 and $6.\n"
    doc = publish.load(write(tmp_path, "b.md", source))
    assert _formulas(doc) == [r"x = \text{the $n$th root of $y$}", "a"]
    native = json.loads(pypandoc.convert_text(source, "json", format="markdown"))
    theirs = [i["c"][1] for i in native["blocks"][0]["c"] if i["t"] == "Math"]
    assert theirs == _formulas(doc)
    # the math inside \text is math, as texmath sets it (not "$n$" in the text)
    assert "<mi>n</mi>" in mathtex.convert(_formulas(doc)[0]).presentation
    assert mathtex.text_of(m.Math(_formulas(doc)[0])) == "xthenthrootofy"


def test_a_math_environment_alone_is_display_math_as_pandocs_html_writer_sets_it(tmp_path: Path) -> None:
    # R Markdown (bookdown) writes equations as bare \begin{equation} environments
    source = (
        "---\ntitle: E\n---\n\nSee:\n\n\\begin{equation}\ny = \\beta_0 + \\beta_1 x\n\\end{equation}\n\n"
        "\\begin{center}\nnot math\n\\end{center}\n\n"
        "1. A list:\n\n     ```latex\n     \\begin{equation} x \\end{equation}\n     ```\n"
    )
    path = write(tmp_path, "env.md", source)
    doc = publish.load(path)
    (math,) = [n for n in walk.walk(doc.blocks) if isinstance(n, m.Math)]
    assert math.display and math.tex.startswith("\\begin{equation}")
    assert "not math" not in repr(doc.blocks)  # raw TeX, dropped with a warning
    html = pypandoc.convert_text(source, "html", format="markdown", extra_args=["--mathml"])
    assert '<math display="block"' in html and "not math" not in html
    for check_source in check.SOURCE_CHECKS:
        assert check_source.run(doc, path, Options()).status == "pass", check_source.against


def test_a_labelled_display_formula_whose_lines_start_like_a_list_stays_one_formula(tmp_path: Path) -> None:
    # Quarto's Black-Scholes example: a line inside the $$ starts with "+ "
    source = (
        "---\ntitle: L\n---\n\nSee @eq-bs.\n\n$$\n\\frac{a}{b}\n  + \\mathrm r \\mathrm S\n"
        "  - c\n$$ {#eq-bs}\n\nAfter.\n\n$$\nx\n$$ and text\n- not a list\n"
    )
    path = write(tmp_path, "bs.md", source)
    doc = publish.load(path)
    equation, inline = [n for n in walk.walk(doc.blocks) if isinstance(n, m.Math)]
    assert equation.attr.id == "eq-bs" and equation.number == "1" and "- c" in equation.tex
    assert inline.tex == "x" and not any(isinstance(b, m.BulletList) for b in doc.blocks)
    native = json.loads(pypandoc.convert_text(source, "json", format="markdown"))
    assert [b["t"] for b in native["blocks"]] == ["Para", "Para", "Para", "Para"]
    for check_source in check.SOURCE_CHECKS:
        assert check_source.run(doc, path, Options()).status == "pass", check_source.against


@pytest.mark.parametrize("text", ["$s_n$ konvergiert gegen 1", "- $s_n$ konvergiert gegen 1", "$a$ and $b$ at 12"])
def test_a_paragraph_opening_with_math_and_ending_with_a_digit_keeps_its_math(tmp_path: Path, text: str) -> None:
    # the dollarmath plugin read the paragraph's last character as the one before its opening $
    doc = publish.load(write(tmp_path, "d.md", f"---\ntitle: D\nlang: de\n---\n\n{text}\n"))
    native = json.loads(pypandoc.convert_text(text, "json", format="markdown"))
    theirs = [node["c"][1] for node in _pandoc_nodes(native["blocks"]) if node.get("t") == "Math"]  # type: ignore[index]
    assert _formulas(doc) == theirs and theirs


def _pandoc_nodes(node: object) -> list[dict[str, object]]:
    if isinstance(node, dict):
        return [node, *_pandoc_nodes(node.get("c"))]
    if isinstance(node, list):
        return [n for child in node for n in _pandoc_nodes(child)]
    return []
