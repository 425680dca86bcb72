"""The house style in print: tight and loose lists, hyphenation a typographer accepts
(patterns by region, no more than two hyphenated lines in a row, no word broken across a page
turn), the measure, and a contents list only where a document is long enough to need one."""

from __future__ import annotations

import contextlib
import random
from pathlib import Path
from typing import Any

import docx
import lxml.html
import pytest
import weasyprint
from docx.oxml.ns import qn

import publish
from publish import langs, pagedata
from publish import model as m
from publish.options import Options
from publish.readback import markup as markup_back
from publish.writers import htmlbody, pdfengine, pdfhyphens
from tests.conftest import keep_rendered, write

LISTS = "---\ntitle: Lists\n---\n\n- tight one\n- tight two\n  - nested\n\nText.\n\n1. loose one\n\n2. loose two\n"


def test_tight_and_loose_lists(tmp_path: Path) -> None:
    doc = publish.load(write(tmp_path, "lists.md", LISTS))
    tight, _, loose = doc.blocks
    assert isinstance(tight, m.BulletList) and tight.tight
    assert isinstance(loose, m.OrderedList) and not loose.tight
    html = str(htmlbody.render(doc, htmlbody.BodyOptions()).blocks)
    assert "<li>tight one</li>" in html and "<li><p>loose one</p></li>" in html  # pandoc's Plain and Para
    # read back, a tight item's text is its paragraph, as the model has it
    root = lxml.html.fromstring(f"<div>{html}</div>")
    items = list(markup_back._blocks(list(root)))
    assert [c.kind for c in items[0].children[1].children] == ["para", "bullet-list"]
    path = publish.build(doc, "docx", tmp_path / "lists.docx", Options())
    spacing = {
        p.text: p._p.find(f"{qn('w:pPr')}/{qn('w:spacing')}") for p in docx.Document(str(path)).paragraphs if p.text
    }
    assert spacing["tight one"].get(qn("w:after")) == "0" and spacing["tight two"].get(qn("w:after")) == "0"
    assert spacing["nested"] is None  # the list's last paragraph keeps the space before the text
    assert spacing["loose one"] is None and spacing["loose two"] is None


def test_html_lists_are_tight_unless_their_items_hold_paragraphs(tmp_path: Path) -> None:
    source = "---\ntitle: T\n---\n\n<ul><li>a</li><li>b</li></ul>\n\n<ol><li><p>c</p></li></ol>\n"
    first, second = publish.load(write(tmp_path, "h.md", source)).blocks
    assert isinstance(first, m.BulletList) and first.tight
    assert isinstance(second, m.OrderedList) and not second.tight


def test_hyphenation_follows_the_region() -> None:
    assert langs.hyphenation_tag("en") == "en-US" and langs.hyphenation_tag("en-GB") == "en-GB"
    assert langs.hyphenation_tag("zh-Hant") == "zh-Hant"  # a script named: left as written
    css = pagedata.hyphenation_css(["en", "en-GB", "de", "fr", "zh-Hant"])
    # en: American patterns; de: Germany's (pyphen's bare de is Austria's); the rest as they are
    assert css.splitlines() == [
        '[lang="en"] { -weasy-lang: "en-US" !important; }',
        '[lang="de"] { -weasy-lang: "de-DE" !important; }',
    ]


def test_the_pdf_hyphenates_american_english_with_american_patterns(tmp_path: Path, monkeypatch) -> None:
    rendered = keep_rendered(monkeypatch)
    doc = publish.load(write(tmp_path, "us.md", "---\ntitle: US\nlang: en\n---\n\nSome text.\n"))
    publish.build(doc, "pdf", tmp_path / "us.pdf", Options())
    paragraph = next(b for b in rendered[-1].pages[0]._page_box.descendants() if b.element_tag == "p")
    assert paragraph.style["lang"] == "en-US"
    from publish import check

    assert check.check_languages(doc, "pdf", tmp_path / "us.pdf").status == "pass"  # still en


def _long_words(tmp_path: Path, seed: int) -> m.Document:
    rng = random.Random(seed)
    words = [
        "internationalization",
        "responsibilities",
        "counterrevolutionary",
        "telecommunications",
        "characterization",
        "representatives",
        "establishment",
        "extraordinarily",
        "photosynthesis",
        "and",
        "the",
        "of",
    ]
    body = "\n\n".join(" ".join(rng.choice(words) for _ in range(90)) for _ in range(12))
    return publish.load(write(tmp_path, f"long-{seed}.md", f"---\ntitle: Long words\n---\n\n{body}\n"))


@pytest.mark.slow
def test_no_run_of_three_hyphens_and_no_word_broken_across_a_page(tmp_path: Path, monkeypatch) -> None:
    """Long words only: WeasyPrint left alone breaks words across pages and hyphenates three
    lines in a row; what is written has neither, its share of hyphenated lines is within
    ``publish check``'s, and its text is still the source's."""
    doc = _long_words(tmp_path, 3)
    rendered = keep_rendered(monkeypatch)
    monkeypatch.setattr(pdfhyphens, "MAX_PASSES", 0)
    monkeypatch.setattr(pdfhyphens, "keeping_rules", contextlib.nullcontext)
    publish.build(doc, "pdf", tmp_path / "first.pdf", Options())
    assert pdfhyphens.offending_words(rendered[-1], share=1.0)  # runs or page turns: the test can fail
    monkeypatch.undo()
    rendered = keep_rendered(monkeypatch)
    path = publish.build(doc, "pdf", tmp_path / "long.pdf", Options())
    assert pdfhyphens.offending_words(rendered[-1], share=pdfhyphens.MAX_SHARE) == set()
    from publish import readback

    assert readback.check(doc, "pdf", path, Options()) == []


@pytest.mark.slow
@pytest.mark.parametrize("seed", [3, 4, 5])
def test_the_rules_are_kept_while_the_lines_are_broken(tmp_path: Path, monkeypatch, seed: int) -> None:
    """The run, the page turn and the share are kept during the first layout: the document is
    laid out once, not again with the offending words marked."""
    doc = _long_words(tmp_path, seed)
    rendered: list[weasyprint.Document] = []
    render = pdfengine.render

    def kept(*args: Any) -> weasyprint.Document:
        rendered.append(render(*args))
        return rendered[-1]

    monkeypatch.setattr(pdfengine, "render", kept)
    publish.build(doc, "pdf", tmp_path / "long.pdf", Options())
    assert len(rendered) == 1
    assert pdfhyphens.offending_words(rendered[0], share=pdfhyphens.MAX_SHARE) == set()
    lines = [line for page in rendered[0].pages for line in pdfhyphens._lines(page)]
    assert sum(pdfhyphens._hyphenated(line) is not None for line in lines) >= 5  # it still hyphenates


def test_protect_wraps_the_words_in_the_text_only() -> None:
    page = '<html><head><title>establishment</title></head><body><p class="establishment">An establishment.</p></body>'
    out = pdfhyphens.protect(page, {"establishment"})
    assert out.count('<span class="nohyphen">establishment</span>') == 1
    assert "<title>establishment</title>" in out and 'class="establishment"' in out


def test_a_contents_list_only_where_the_document_is_long(tmp_path: Path) -> None:
    short = publish.load(write(tmp_path, "short.md", "---\ntitle: S\n---\n\n## One\n\nText.\n\n## Two\n\nText.\n"))
    assert not pagedata.wants_toc(short, Options())
    long_text = "\n\n".join(["Words " * 120] * 12)
    long = publish.load(write(tmp_path, "long.md", f"---\ntitle: L\n---\n\n## One\n\n{long_text}\n\n## Two\n\nEnd.\n"))
    assert pagedata.estimated_pages(long) > 2 and pagedata.wants_toc(long, Options())
    asked = publish.load(write(tmp_path, "asked.md", "---\ntitle: A\ntoc: true\n---\n\n## One\n\n## Two\n"))
    assert pagedata.wants_toc(asked, Options())  # pandoc's and Quarto's toc: true
    assert not pagedata.wants_toc(long, Options(toc=False))


def test_the_measure_is_a_whole_number_of_ems_centred_on_the_paper() -> None:
    assert pagedata.print_layout("A4") == {"measure": "336pt", "side_margin": "129.64pt"}
    a5 = pagedata.print_layout("A5")
    assert float(a5["measure"].removesuffix("pt")) % pagedata.TEXT_PT == 0
    assert float(a5["side_margin"].removesuffix("pt")) >= pagedata.MIN_SIDE_MM * 72 / 25.4


def test_code_in_running_text_is_never_hyphenated(tmp_path: Path, monkeypatch) -> None:
    """A hyphen the layout adds to ``multigrad`` would make another identifier: code in a
    paragraph breaks only where it has a space, in every edition's stylesheet."""
    words = " ".join(f"`multigradient{n}` and `parallelization{n}` with" for n in range(60))
    doc = publish.load(write(tmp_path, "code.md", f"---\ntitle: Code\n---\n\n{words} text.\n"))
    rendered = keep_rendered(monkeypatch)
    publish.build(doc, "pdf", tmp_path / "code.pdf", Options())
    code = [
        box
        for page in rendered[-1].pages
        for box in page._page_box.descendants()
        if box.element_tag == "code" and box.style["hyphens"] != "manual"
    ]
    assert code == []
    lines = [line for page in rendered[-1].pages for line in pdfhyphens._lines(page)]
    assert len(lines) > 20 and not any(pdfhyphens._hyphenated(line) for line in lines)
    for css in ("pdf/print.css", "html/style.css", "epub/style.css"):
        text = (Path(__file__).parent.parent / "templates" / css).read_text(encoding="utf-8")
        assert "code, kbd, samp { font-size: 0.85em; hyphens: manual;" in text
