"""Definition lists, pandoc's fancy lists (``a.``, ``(iv)``, ``B)``, ``#.``, start numbers),
raw blocks and spans (``{=html}``, ``{=latex}``…) and DOCX callouts as bordered paragraph
styles: the reader against pandoc's reading, each edition's markup, and the read-backs."""

from __future__ import annotations

import json
import logging
import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import docx
import lxml.html
import pytest
from docx.oxml.ns import qn

import publish
from publish import model as m
from publish import outline as ol
from publish import readback
from publish import text as txt
from publish.check import pandoc as pandoc_check
from publish.options import Options
from publish.readback import docx as docx_back
from publish.readback import pdflabels
from tests.conftest import FIXTURES, write

HEAD = "---\ntitle: T\n---\n\n"
FIXTURE = FIXTURES / "blocks.md"
FAST = ["html", "epub", "docx"]
EVERY = [*FAST, pytest.param("pdf", marks=[pytest.mark.slow, pytest.mark.external])]


def load(tmp_path: Path, body: str) -> m.Document:
    return publish.load(write(tmp_path, "d.md", HEAD + body))


# ---------------------------------------------------------------- the reader, with pandoc as the second opinion

_STYLES = {"LowerAlpha": "lower-alpha", "UpperAlpha": "upper-alpha", "LowerRoman": "lower-roman"}
_STYLES |= {"UpperRoman": "upper-roman", "Decimal": "decimal", "DefaultStyle": "decimal", "Example": "decimal"}
_DELIMS = {"Period": "period", "DefaultDelim": "period", "OneParen": "one-paren", "TwoParens": "two-parens"}


def _theirs(blocks: list[dict[str, Any]]) -> list[Any]:
    """pandoc's blocks in the form of :func:`_ours` (Plain and Para alike: a paragraph)."""
    out: list[Any] = []
    for block in blocks:
        kind, c = block["t"], block.get("c")
        if kind in ("Para", "Plain"):
            out.append(("p", _pandoc_text(c)))
        elif kind == "OrderedList":
            attrs = (c[0][0], _STYLES[c[0][1]["t"]], _DELIMS[c[0][2]["t"]])
            out.append(("ol", *attrs, [_theirs(item) for item in c[1]]))
        elif kind == "BulletList":
            out.append(("ul", [_theirs(item) for item in c]))
        elif kind == "DefinitionList":
            out.append(("dl", [(_pandoc_text(term), [_theirs(d) for d in defs]) for term, defs in c]))
        elif kind == "CodeBlock":
            out.append(("code", c[1]))
        elif kind != "RawBlock":
            out.append((kind,))
    return out


def _pandoc_text(inlines: list[dict[str, Any]]) -> str:
    parts = []
    for node in inlines:
        if node["t"] == "Str":
            parts.append(node["c"])
        elif node["t"] in ("Space", "SoftBreak"):
            parts.append(" ")
        elif node["t"] in ("Emph", "Strong"):
            parts.append(_pandoc_text(node["c"]))
    return "".join(parts).replace("'", "’")


def _ours(blocks: tuple[m.Block, ...]) -> list[Any]:
    out: list[Any] = []
    for block in blocks:
        if isinstance(block, m.Paragraph):
            out.append(("p", txt.plain(block.content)))
        elif isinstance(block, m.OrderedList):
            out.append(("ol", block.start, block.style, block.delim, [_ours(i.blocks) for i in block.items]))
        elif isinstance(block, m.BulletList):
            out.append(("ul", [_ours(i.blocks) for i in block.items]))
        elif isinstance(block, m.DefinitionList):
            out.append(("dl", [(txt.plain(i.term), [_ours(d) for d in i.definitions]) for i in block.items]))
        elif isinstance(block, m.CodeBlock):
            out.append(("code", block.text))
        else:
            out.append((type(block).__name__,))
    return out


CASES = {
    "lower-alpha": "a. one\nb. two\n",
    "start at c": "c. one\nd. two\n",
    "upper-alpha needs two spaces": "A.  one\nB.  two\n",
    "one space: a sentence": "A. one\nB. two\n",
    "a sentence": "B. Russell was\n",
    "lower-roman": "i. one\nii. two\n",
    "roman from iv": "iv. one\nv. two\n",
    "lone i is roman, j starts another": "i. one\nj. two\n",
    "lone v is a letter": "v. one\nw. two\n",
    "upper-roman II": "II. one\nIII. two\n",
    "two parentheses": "(a) one\n(b) two\n",
    "one parenthesis": "a) one\nb) two\n",
    "decimal in parentheses": "(1) one\n(2) two\n",
    "default numbering": "#. one\n#. two\n",
    "default numbering with parentheses": "(#) one\n(#) two\n",
    "#) goes on with 2)": "#) one\n2) two\n",
    "nested right after an item's line": "- a\n  b. x\n",
    "a lazy line nests in an item": "a. one\nb. two\n   c. three\n",
    "in a quote": "> a. one\n> b. two\n",
    "definition in a list item": "1. outer\n\n    Term\n    :   def inside a list\n",
    "#. goes on with 2.": "#. one\n2. two\n",
    "decimal with a parenthesis": "3) one\n4) two\n",
    "a change of style starts a list": "1. one\n2. two\na. three\n",
    "a change of delimiter starts a list": "1. one\n2. two\n(3) three\n",
    "nested": "1. one\n\n   a) sub\n   b) sub2\n2. two\n",
    "nested in parentheses": "(a) first\n\n    (i) inner one\n    (ii) inner two\n\n(b) second\n",
    "no interrupting a paragraph": "para\na. one\nb. two\n",
    "ends an outer item": "- x\n- y\na. three\n",
    "a tab after A.": "A.\tone\n",
    "an empty item": "B.\n",
    "bullets inside": "a. one\n   - bullet\n   - bullet\nb. two\n",
    "loose": "a. one\n\nb. two\n",
    "definition": "Term\n: def\n",
    "several definitions and ~": "Term 1\n:   Def 1a\n:   Def 1b\n\nTerm 2\n~   Def 2\n",
    "blocks in a definition": "Term\n\n:   Loose def\n\n    - a\n    - b\n\n        code\n",
    "examples numbered through the document": "(@) one\n(@a) two\n\ntext\n\n(@) three\n\nAs (@a) shows.\n",
    "an example referred to before it": "See (@b).\n\n(@) one\n(@b) two\n",
    "examples then numbers: two lists": "(@) one\n(1) two\n",
    "@. and @label. markers, and a lone @key. line": "@. item\n@good. item2\n\n@fig-plot.\n",
}


@pytest.mark.parametrize("source", CASES.values(), ids=list(CASES))
def test_the_reader_reads_as_pandoc_does(source: str, tmp_path: Path) -> None:
    exe = pandoc_check.pandoc()
    run = subprocess.run([exe, "-f", "markdown", "-t", "json"], input=source, capture_output=True, text=True)
    assert _ours(load(tmp_path, source).blocks) == _theirs(json.loads(run.stdout)["blocks"])


def test_definition_lists_are_tight_as_pandoc_sets_them(tmp_path: Path) -> None:
    doc = load(tmp_path, "Apple\n:   red\n:   green\n\nPear\n~   yellow\n\nText.\n\nSerif\n\n:   A stroke.\n")
    tight, loose = [b for b in doc.blocks if isinstance(b, m.DefinitionList)]
    assert tight.tight and not loose.tight
    assert [(txt.plain(i.term), len(i.definitions)) for i in tight.items] == [("Apple", 2), ("Pear", 1)]


def test_no_degradation_warnings_remain(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="publish"):
        load(tmp_path, "Term\n: def\n\ni. one\nii. two\n\n(a) x\n(b) y\n")
    assert caplog.messages == []


def test_raw_html_reaches_the_model_and_other_formats_are_dropped_at_their_line(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    body = (
        "```{=html}\n<p>Raw <b>bold</b> &amp; more.</p>\n```\n\n"
        "Text `<sup>2</sup>`{=html} and `\\LaTeX`{=latex} and `x`{=tex}.\n\n"
        "```{=latex}\n\\newpage\n```\n\n``` {=openxml}\n<w:p/>\n```\n\n```{=typst}\n#pagebreak()\n```\n"
    )
    with caplog.at_level(logging.WARNING, logger="publish"):
        doc = load(tmp_path, body)
    raw, text = doc.blocks
    assert raw == m.Paragraph((m.Text("Raw "), m.Strong((m.Text("bold"),)), m.Text(" & more.")))
    assert text == m.Paragraph((m.Text("Text "), m.Superscript((m.Text("2"),)), m.Text(" and  and .")))
    where = [re.sub(r"^.*?d\.md:", "", w) for w in caplog.messages]
    assert where == [
        "9: warning: raw latex text is dropped: only raw HTML reaches the editions",
        "9: warning: raw tex text is dropped: only raw HTML reaches the editions",
        "11: warning: a raw latex block is dropped: only raw HTML reaches the editions",
        "15: warning: a raw openxml block is dropped: only raw HTML reaches the editions",
        "19: warning: a raw typst block is dropped: only raw HTML reaches the editions",
    ]


def test_raw_html_goes_through_the_allow_list(tmp_path: Path) -> None:
    doc = load(tmp_path, '```{=html}\n<p onclick="x()">Hi <script>alert(1)</script></p>\n```\n')
    assert "alert" not in repr(doc.blocks) and "onclick" not in repr(doc.blocks)
    assert txt.plain(doc.blocks[0].content).strip() == "Hi"  # type: ignore[union-attr]


# ---------------------------------------------------------------- the editions


@pytest.fixture(scope="module")
def fixture(tmp_path_factory: pytest.TempPathFactory) -> tuple[m.Document, dict[str, Path]]:
    doc = publish.load(FIXTURE)
    root = tmp_path_factory.mktemp("blocks")
    return doc, {fmt: root / f"blocks.{fmt}" for fmt in ("html", "epub", "docx", "pdf")}


def edition(fixture: tuple[m.Document, dict[str, Path]], fmt: str) -> Path:
    doc, paths = fixture
    if not paths[fmt].exists():
        publish.build(doc, fmt, paths[fmt])
    return paths[fmt]


@pytest.mark.parametrize("fmt", EVERY)
def test_every_edition_reads_back_equal(fixture: tuple[m.Document, dict[str, Path]], fmt: str) -> None:
    assert readback.check(fixture[0], fmt, edition(fixture, fmt)) == []


def test_html_numbers_lists_and_defines_terms(fixture: tuple[m.Document, dict[str, Path]]) -> None:
    root = lxml.html.parse(str(edition(fixture, "html"))).getroot()
    lists = [(o.get("type"), o.get("start"), o.get("class"), o.get("style")) for o in root.iter("ol")]
    assert lists[:2] == [("a", None, "lower-alpha", None), ("a", "3", "lower-alpha", "counter-reset: list-item 2")]
    assert ("i", "4", "lower-roman one-paren", "counter-reset: list-item 3") in lists
    assert (None, "3", "two-parens", "counter-reset: list-item 2") in lists
    dl = next(root.iter("dl"))
    assert [c.tag for c in dl] == ["dt", "dd", "dd", "dt", "dd"]
    assert dl[1].text == "The fruit of the apple tree." and not len(dl[1])  # tight: no <p>
    loose = list(root.iter("dl"))[1]
    assert [c.tag for c in loose[1]] == ["p", "p", "ul"]
    css = edition(fixture, "html").read_text(encoding="utf-8")
    assert "@counter-style lower-roman-one-paren" in css and "dt { font-weight: bold;" in css


def test_html_read_back_sees_a_wrong_numbering(fixture: tuple[m.Document, dict[str, Path]], tmp_path: Path) -> None:
    broken = tmp_path / "blocks.html"
    text = edition(fixture, "html").read_text(encoding="utf-8")
    broken.write_text(text.replace('<ol type="i" start="4"', '<ol type="I" start="4"', 1), encoding="utf-8")
    problems = readback.check(fixture[0], "html", broken)
    assert "-ordered-list 4: lower-roman one-paren" in problems and "+ordered-list 4: upper-roman one-paren" in problems


def _xml(path: Path, name: str) -> str:
    with zipfile.ZipFile(path) as z:
        return z.read(name).decode("utf-8")


def test_docx_numbering_definitions(fixture: tuple[m.Document, dict[str, Path]]) -> None:
    numbering = _xml(edition(fixture, "docx"), "word/numbering.xml")
    levels = set(
        re.findall(r'<w:start w:val="(\d+)"/><w:numFmt w:val="(\w+)"/>.*?<w:lvlText w:val="([^"]*)"/>', numbering)
    )
    for wanted in [("1", "lowerLetter", "%1."), ("3", "lowerLetter", "%1."), ("1", "upperLetter", "%1.")]:
        assert wanted in levels
    assert {("4", "lowerRoman", "%1)"), ("1", "upperRoman", "%1."), ("1", "lowerLetter", "(%1)")} <= levels
    assert {("3", "decimal", "(%1)"), ("7", "decimal", "%1)")} <= levels
    flat = docx_back.read(edition(fixture, "docx"))
    assert ("number1", "iv) Starting at four, with a parenthesis") in flat and (
        "number2",
        "(2) its second item",
    ) in flat


def test_docx_read_back_sees_a_wrong_numbering(fixture: tuple[m.Document, dict[str, Path]], tmp_path: Path) -> None:
    broken = tmp_path / "blocks.docx"
    path = edition(fixture, "docx")
    shutil.copyfile(path, broken)
    with zipfile.ZipFile(path) as z, zipfile.ZipFile(broken, "w") as out:
        for item in z.infolist():
            data = z.read(item.filename)
            if item.filename == "word/numbering.xml":
                data = data.replace(b'w:val="lowerRoman"/>', b'w:val="upperRoman"/>')
            out.writestr(item, data)
    problems = readback.check(fixture[0], "docx", broken)
    assert "-number1: i. Roman numerals" in problems and "+number1: I. Roman numerals" in problems


def test_docx_definitions_and_callouts_are_paragraph_styles(fixture: tuple[m.Document, dict[str, Path]]) -> None:
    document = docx.Document(str(edition(fixture, "docx")))
    styles = [(p.style.name, p.text) for p in document.paragraphs]
    assert ("Definition Term", "Apple") in styles and ("Definition", "The fruit of the apple tree.") in styles
    assert document.styles["Definition Term"].font.bold
    assert not document.tables  # callouts are paragraphs, not one-cell tables
    for kind, color in (("Note", "0969DA"), ("Tip", "1A7F37"), ("Important", "8250DF"), ("Caution", "CF222E")):
        ppr = document.styles[f"Callout {kind}"].element.find(qn("w:pPr"))
        assert ppr.find(f"{qn('w:pBdr')}/{qn('w:left')}").get(qn("w:color")) == color
        assert ppr.find(qn("w:shd")).get(qn("w:fill")) == "F6F8FA"
    title = next(p for p in document.paragraphs if p.text == "Danger")
    assert title.style.name == "Callout Caution" and all(r.bold for r in title.runs)
    # a list inside a callout keeps its style, with the callout's bar and shading, aligned with it
    inner = next(p for p in document.paragraphs if p.text == "one item")._p.find(qn("w:pPr"))
    assert inner.find(f"{qn('w:pBdr')}/{qn('w:left')}").get(qn("w:color")) == "0969DA"
    assert inner.find(qn("w:shd")).get(qn("w:fill")) == "F6F8FA"
    flat = docx_back.read(edition(fixture, "docx"))
    assert ("callout-note", "A note") in flat and ("bullet1", "one item") in flat
    assert ("term", "Apple") in flat and ("definition", "The fruit of the apple tree.") in flat


def test_docx_read_back_sees_a_list_outside_its_callout(
    fixture: tuple[m.Document, dict[str, Path]], tmp_path: Path
) -> None:
    broken = tmp_path / "blocks.docx"
    path = edition(fixture, "docx")
    with zipfile.ZipFile(path) as z, zipfile.ZipFile(broken, "w") as out:
        for item in z.infolist():
            data = z.read(item.filename)
            if item.filename == "word/document.xml":  # the first bar of a list in a callout taken away
                data = re.sub(rb'<w:pBdr><w:left [^>]*w:color="0969DA"/></w:pBdr>', b"", data, count=1)
            out.writestr(item, data)
    problems = readback.check(fixture[0], "docx", broken)
    assert problems == ["'one item' (List Bullet) in a 'Callout Note' callout has not its bar"]


def test_pdf_labels_are_compared_in_order() -> None:
    doc = publish.load(FIXTURE)
    labels = pdflabels.expected(ol.outline_of(doc))
    assert labels[:7] == ["a.", "b.", "c.", "c.", "d.", "A.", "B."]
    assert "iv)" in labels and "(ii)" not in labels and "(2)" in labels and "7)" in labels


@pytest.mark.slow
@pytest.mark.external
def test_pdf_read_back_sees_a_wrong_label(fixture: tuple[m.Document, dict[str, Path]]) -> None:
    doc = fixture[0]
    outline = ol.outline_of(doc)
    assert pdflabels.problems(outline, edition(fixture, "pdf")) == []
    wrong = tuple(
        ol.Item(i.kind, "upper-roman period" if i.text == "lower-roman period" else i.text, i.level, i.children)
        for i in outline
    )
    assert pdflabels.problems(wrong, edition(fixture, "pdf")) != []


def test_pandoc_reads_the_fixture_as_we_do() -> None:
    result = pandoc_check.check_pandoc(publish.load(FIXTURE), FIXTURE, Options())
    assert result.status == "pass", result.details


def test_a_raw_html_definition_list_is_a_definition_list(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    doc = load(tmp_path, "<dl>\n<dt>Term</dt>\n<dd>Its <em>definition</em>.</dd>\n<dd><p>A second.</p></dd>\n</dl>\n")
    (dl,) = doc.blocks
    assert isinstance(dl, m.DefinitionList) and not dl.tight
    (item,) = dl.items
    assert txt.plain(item.term) == "Term"
    assert [txt.plain(b.content) for d in item.definitions for b in d if isinstance(b, m.Paragraph)] == [
        "Its definition.",
        "A second.",
    ]
    assert "definition" not in caplog.text


def test_a_raw_pre_block_is_code_to_the_pandoc_check_as_to_us(tmp_path: Path) -> None:
    # pandoc keeps <pre> as a raw block, our reader makes it a code block (real lecture notes)
    from publish.check.report import PASS

    path = tmp_path / "pre.md"
    path.write_text("---\ntitle: P\n---\n\nThe pseudocode:\n<pre>\nvar N = \\(6^2\\)\nfor i = 1 to N\n</pre>\n")
    doc = publish.load(path)
    assert [type(b).__name__ for b in doc.blocks] == ["Paragraph", "CodeBlock"]
    assert pandoc_check.check_pandoc(doc, path, Options()).status == PASS


def test_links_in_a_definition_list_are_resolved_as_anywhere(tmp_path: Path) -> None:
    doc = load(tmp_path, "# Lists\n\nTerm [Lists]\n:   See [the lists][Lists] and [nothing](#nowhere).\n")
    (dl,) = [b for b in doc.blocks if isinstance(b, m.DefinitionList)]
    (item,) = dl.items
    (para,) = item.definitions[0]
    assert [n.url for n in item.term if isinstance(n, m.Link)] == ["#lists"]
    assert [n.url for n in para.content if isinstance(n, m.Link)] == ["#lists"]  # type: ignore[union-attr]
    assert "nothing" in txt.plain(para.content)  # type: ignore[union-attr]
