"""The ``typography`` check of the PDF edition: each measure fails on an edition broken on
purpose by a theme's ``pdf/print.css``, with the figure that breaks it, and a house measure
passes; the thresholds come from one place, which a theme's ``typography.toml`` may relax."""

from __future__ import annotations

import contextlib
import functools
from pathlib import Path
from unittest import mock

import pytest

import publish
from publish import check
from publish.check import typeset, typography
from publish.check.report import NOT_CHECKED, guard
from publish.errors import PublishError
from publish.options import Options, default_theme
from publish.readback import pdflines, pdftext
from publish.writers import pdfhyphens
from tests.conftest import ARTICLE, FIXTURES, write

#: The house measure is the default print stylesheet's: nothing added.
HOUSE = ""
WORDS = (
    "internationalization representativeness incomprehensibility counterrevolutionaries telecommunications "
    "disproportionately electroencephalography uncharacteristically institutionalization"
)
LONG_WORDS = " ".join([WORDS] * 12)
WIDOWS_AND_ORPHANS = """---
title: Widows and orphans
---

::: {.orphan}
The first line of a paragraph\\
its second line\\
its third line
:::

::: {.widow}
Line one\\
line two\\
line three\\
line four\\
line five\\
line six\\
line seven\\
line eight\\
line nine
:::
"""
#: Runs of punctuation no line may start with (？！) or end with (「): nowhere to break but
#: inside them, which ``overflow-wrap: anywhere`` does.
CJK = "---\ntitle: 標點\nlang: zh-Hant\n---\n\n我們說中文。真的嗎" + "？！" * 30 + "是的。他說" + "「" * 30 + "好」。\n"


class Editions:
    """Each broken edition built once per session: (document, theme CSS added to the default
    print stylesheet) → the measures of its PDF."""

    def __init__(self, root: Path):
        self.root = root

    @functools.cache  # noqa: B019 (one instance per session)
    def pdf(self, source: Path, css: str, repair: bool = True) -> tuple[publish.Document, Path, Options]:
        """``repair=False``: without the PDF writer's hyphenation rules, kept during the
        layout and checked after it (:mod:`publish.writers.pdfhyphens`), to see what the
        stylesheet alone does."""
        name = f"{source.stem}-{abs(hash(css))}-{repair}"
        theme = self.root / name / "theme"
        default = (default_theme() / "pdf" / "print.css").read_text(encoding="utf-8")
        write(theme, "pdf/print.css", default + css)
        options = Options(theme_dirs=(theme,))
        doc = publish.load(source)
        rules = pdfhyphens.keeping_rules if repair else (lambda share: contextlib.nullcontext())
        with (
            mock.patch.object(pdfhyphens, "MAX_PASSES", pdfhyphens.MAX_PASSES if repair else 0),
            mock.patch.object(pdfhyphens, "keeping_rules", rules),
        ):
            return doc, publish.build(doc, "pdf", self.root / name / f"{source.stem}.pdf", options), options

    def measures(self, source: Path, css: str, repair: bool = True) -> dict[str, typography.Measure]:
        doc, path, options = self.pdf(source, css, repair)
        layout = typeset.place(doc, path, options)
        return {m.name: m for m in typography.measures(layout, typography.thresholds(options))}


@pytest.fixture(scope="session")
def editions(tmp_path_factory: pytest.TempPathFactory) -> Editions:
    return Editions(tmp_path_factory.mktemp("typography"))


@pytest.fixture(scope="session")
def sources(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("typography-sources")
    return {
        "long-words": write(root, "long-words.md", f"---\ntitle: Long words\nlang: en-US\n---\n\n{LONG_WORDS}\n"),
        "widows": write(root, "widows.md", WIDOWS_AND_ORPHANS),
        "cjk": write(root, "cjk.md", CJK),
    }


def failing(measures: dict[str, typography.Measure]) -> set[str]:
    return {name for name, m in measures.items() if not m.ok}


# ---------------------------------------------------------------- a house measure passes


@pytest.mark.slow
def test_the_house_measure_passes(editions: Editions) -> None:
    doc, path, options = editions.pdf(ARTICLE, HOUSE)
    result = typography.check_typography(doc, path, options)
    assert result.status == "pass", result.details
    measures = editions.measures(ARTICLE, HOUSE)
    figure = measures["characters per line"].figure
    median = int(figure.split("median ")[1].split(" ")[0])
    assert 60 <= median <= 75
    assert measures["hyphenated lines"].ok and measures["hyphens in a row"].ok
    assert measures["title size"].figure.startswith("title 24.0 pt, 1.60 × the largest heading (15.0 pt")


# ---------------------------------------------------------------- each measure broken on purpose


@pytest.mark.slow
def test_a_wide_measure_fails(editions: Editions) -> None:
    measures = editions.measures(ARTICLE, HOUSE + "@page { margin: 25mm 12mm; }")
    assert failing(measures) == {"characters per line"}
    measure = measures["characters per line"]
    median = int(measure.figure.split("median ")[1].split(" ")[0])
    longest = int(measure.figure.split("longest ")[1].split(" ")[0])
    assert median > 75 and longest > 85
    assert measure.places[0] == f"the median full line sets {median} characters"
    assert measure.places[1].startswith("page ") and measure.places[1].endswith(f"({longest} characters)")


#: Hyphenation with the loosest limits, in a narrow column, on pages of a few lines.
HYPHENATED = """
@page { size: A6; margin: 15mm 30mm; }
p { hyphens: auto; hyphenate-limit-chars: 2 1 1; text-align: left; widows: 1; orphans: 1; }
"""


@pytest.mark.slow
def test_many_hyphenated_lines_fail(editions: Editions, sources: dict[str, Path]) -> None:
    measure = editions.measures(sources["long-words"], HYPHENATED, repair=False)["hyphenated lines"]
    share = float(measure.figure.split("%")[0])
    assert not measure.ok and share > 50
    assert all(place.endswith("\u2010'") for place in measure.places)


@pytest.mark.slow
def test_hyphenated_lines_in_a_row_fail(editions: Editions, sources: dict[str, Path]) -> None:
    measure = editions.measures(sources["long-words"], HYPHENATED, repair=False)["hyphens in a row"]
    longest = int(measure.figure.split("the longest run: ")[1].split(" ")[0])
    assert not measure.ok and longest > 2
    assert any(place.endswith(f"({longest} in a row)") for place in measure.places)


@pytest.mark.slow
def test_a_word_broken_across_a_page_turn_fails(editions: Editions, sources: dict[str, Path]) -> None:
    doc, path, _ = editions.pdf(sources["long-words"], HYPHENATED, repair=False)
    measure = editions.measures(sources["long-words"], HYPHENATED, repair=False)["words broken across pages"]
    assert not measure.ok
    assert measure.figure.startswith(f"{len(measure.places)} word(s) broken across a page turn")
    # Each place is the last line of its page, and the word it breaks is the source's.
    pages = pdflines.content_lines(pdflines.read(path), doc.meta.title)
    for place in measure.places:
        number = int(place.split(" ")[1].rstrip(":"))
        last = pages[number - 1].lines[-1].text
        assert last.endswith("\u2010") and last[-20:] in place
        head = last.split(" ")[-1].rstrip("\u2010")
        tail = place.split("continued on page ")[1].split("'")[1]
        assert head + tail in LONG_WORDS.split()


@pytest.mark.slow
def test_wide_word_spaces_fail(editions: Editions) -> None:
    measures = editions.measures(ARTICLE, HOUSE + "@page { margin: 25mm 65mm; } p { text-align: justify; }")
    measure = measures["word spaces"]
    widest = float(measure.figure.split("widest word space ")[1].split(" ")[0])
    assert not measure.ok and widest > 0.5
    assert measure.places[0].endswith(f"({widest:.2f} em)")
    # The same column set ragged keeps the face's own spaces.
    assert editions.measures(ARTICLE, HOUSE + "@page { margin: 25mm 65mm; }")["word spaces"].ok


@pytest.mark.slow
def test_a_heading_at_the_foot_of_a_page_fails(editions: Editions) -> None:
    measure = editions.measures(ARTICLE, HOUSE + "h2 + p { break-before: page; }")["headings at a page's foot"]
    assert not measure.ok
    assert measure.figure.startswith("2 heading(s) stranded")
    assert measure.places[0].endswith("'The Torch Bearer of Hope: Ambassador Ramil Hasan' (the page's last line)")


LIST_UNDER_A_HEADING = (
    "---\ntitle: A list under a heading\nlang: en\n---\n\n::: filler\nFiller.\n:::\n\n### tls-version\n\n"
    "+ The lowest TLS version.\n+ Default: empty.\n+ Values: 1.0, 1.1, 1.2.\n\nAfter the list.\n"
)


@pytest.mark.slow
def test_a_list_under_a_heading_keeps_two_items_with_it(editions: Editions, tmp_path: Path) -> None:
    """A list of one-line items has no orphans to keep the heading company: the house keeps
    the first item with the next (TiDB's configuration page stranded a heading so)."""
    source = write(tmp_path, "list.md", LIST_UNDER_A_HEADING)
    without = ":is(h1, h2, h3, h4, h5, h6) + :is(ul, ol, dl) > :first-child { break-after: auto; }"
    for height in (204, 206):  # the heading and one item at the page's foot, the rest on the next
        css = f"div.filler {{ height: {height}mm; }}"
        assert not editions.measures(source, css + without)["headings at a page's foot"].ok
        assert editions.measures(source, css)["headings at a page's foot"].ok


@pytest.mark.slow
def test_widows_and_orphans_fail(editions: Editions, sources: dict[str, Path]) -> None:
    css = """
    @page { size: 120mm 80mm; margin: 10mm; }
    p { line-height: 20pt; margin: 0; widows: 1; orphans: 1; }
    .orphan p { break-before: page; padding-top: 150pt; }  /* room for one line */
    .widow p { break-before: page; }  /* eight lines a page, nine lines */
    """
    measures = editions.measures(sources["widows"], css)
    assert failing(measures) == {"widows", "orphans"}
    assert measures["orphans"].places == ("page 2: 'The first line of a paragraph' (alone at the foot of the page)",)
    assert measures["widows"].places == ("page 5: 'line nine' (alone at the head of the page)",)


@pytest.mark.slow
def test_cjk_lines_that_start_or_end_with_forbidden_punctuation_fail(
    editions: Editions, sources: dict[str, Path]
) -> None:
    css = "@page { margin: 25mm 80mm; } p { overflow-wrap: anywhere; }"
    measure = editions.measures(sources["cjk"], css)["CJK line breaks"]
    assert not measure.ok
    assert any(place.endswith("(starts with ？)") or place.endswith("(starts with ！)") for place in measure.places)
    assert any(place.endswith("(ends with 「)") for place in measure.places)
    # Chinese prose in the same column: no line starts or ends so.
    prose = editions.measures(FIXTURES / "chinese.md", css)["CJK line breaks"]
    assert prose.ok and int(prose.figure.split(", ")[-1].split(" ")[0]) > 20


@pytest.mark.slow
def test_a_title_smaller_than_a_heading_fails(editions: Editions) -> None:
    measure = editions.measures(ARTICLE, HOUSE + ".title { font-size: 12pt; }")["title size"]
    assert not measure.ok
    # 12 pt against h2's 15 pt.
    assert measure.figure == "title 12.0 pt, 0.80 × the largest heading (15.0 pt; at least 1.2 ×)"
    assert measure.places[0].startswith("page 2: 'The Torch Bearer of Hope")


# ---------------------------------------------------------------- thresholds, verdict, registration


@pytest.mark.slow
def test_a_theme_relaxes_the_thresholds_and_the_verdict(editions: Editions, tmp_path: Path) -> None:
    doc, path, options = editions.pdf(ARTICLE, HOUSE + "@page { margin: 25mm 12mm; }")
    assert typography.check_typography(doc, path, options).status == "fail"
    relaxed = write(tmp_path / "relaxed", "typography.toml", "measure = [60, 110]\nlongest-line = 120\n").parent
    result = typography.check_typography(doc, path, Options(theme_dirs=(relaxed, *options.theme_dirs)))
    assert result.status == "pass" and result.details[0].startswith("ok: characters per line: median ")
    reported = write(tmp_path / "reported", "typography.toml", 'verdict = "report"\n').parent
    result = typography.check_typography(doc, path, Options(theme_dirs=(reported, *options.theme_dirs)))
    assert result.status == "pass"
    assert result.details[0].startswith('verdict = "report"')
    assert result.details[1].startswith("FAIL: characters per line: median ")


def test_thresholds_live_in_one_place_and_a_theme_file_is_read_strictly(tmp_path: Path) -> None:
    assert typography.thresholds(Options()) == typography.Thresholds()
    assert typography.Thresholds().measure == (60, 75) and typography.Thresholds().hyphenated_share == 0.12
    theme = write(tmp_path / "a", "typography.toml", "hyphenated-share = 0.2\nword-space = 0.6\n").parent
    limits = typography.thresholds(Options(theme_dirs=(theme,)))
    assert (limits.hyphenated_share, limits.word_space, limits.hyphen_run) == (0.2, 0.6, 2)
    for text, message in [
        ("measures = [60, 75]\n", "unknown key 'measures'"),
        ('word-space = "wide"\n', "word-space = 'wide' is not a value for it"),
        ("measure = 70\n", "measure = 70 is not a value for it"),
        ('verdict = "warn"\n', "verdict = 'warn' is not a value for it"),
        ("widows = \n", "cannot be read"),
    ]:
        bad = write(tmp_path / "bad", "typography.toml", text).parent
        with pytest.raises(PublishError, match=message):
            typography.thresholds(Options(theme_dirs=(bad,)))


def test_the_check_is_declared_for_the_pdf_edition() -> None:
    declared = {c.name: c.formats for c in check.CHECKS}
    assert declared["typography"] == ("pdf",)


def test_without_pdftotext_it_is_not_checked(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(pdftext.shutil, "which", lambda name: None)
    doc = publish.load(FIXTURES / "every-node.md")
    path = tmp_path / "every-node.pdf"
    result = guard("typography", "pdf", lambda: typography.check_typography(doc, path, Options()))
    assert result.status == NOT_CHECKED and "pdftotext" in result.details[0]


def test_the_model_tells_body_text_from_the_rest() -> None:
    doc = publish.load(FIXTURES / "every-node.md")
    roles = [(u.role, u.text) for u in typeset.units(doc, Options())]
    kinds = {role for role, _ in roles}
    assert {"front", "title", "heading", "para", "item", "quote", "code", "caption", "cell", "note"} <= kinds
    assert ("title", "EveryNode,Once") in roles
    assert ("item", "firstbullet") in roles and ("quote", "Aquotedparagraph.") in roles
    # A forced line break ends a line as a paragraph's end does.
    broken = next(u for u in typeset.units(doc, Options()) if u.breaks)
    assert broken.role == "para" and broken.text[: min(broken.breaks)].endswith("Ahardlinebreakfollows.")


def test_a_cjk_character_counts_as_two() -> None:
    def line(*words: tuple[str, float, float]) -> typeset.Placed:
        found = tuple(pdflines.Word(text, left, 0, right, 10, 10.0) for text, left, right in words)
        return typeset.Placed(pdflines.Line(1, found, " ".join(w.text for w in found)), 0, shown=(True,) * len(found))

    assert typography.characters(line(("中文字", 0, 30))) == 6
    # A word space is a gap of at least 0.15 em; a note call or a superscript close by is not.
    assert typography.characters(line(("one", 0, 15), ("two", 17, 32))) == 7
    assert typography.characters(line(("one", 0, 15), ("2", 15.5, 18))) == 4


def test_poppler_output_with_encoded_surrogates_is_read() -> None:
    """poppler writes an emoji of the PDF's title as two encoded UTF-16 surrogates (CESU-8) in
    the -bbox page's <title>: read as the character, not a UnicodeDecodeError."""
    assert (
        pdftext.decode(b"<title>\xed\xa0\xbd\xed\xba\x80 Quick Start</title>")
        == "<title>\U0001f680 Quick Start</title>"
    )
    assert pdftext.decode(b"a \xff b") == "a \ufffd b"  # any other bad byte: replaced, never a crash
    assert pdftext.decode("صفحه".encode()) == "صفحه"


def test_a_docx_laid_out_by_libreoffice_loses_its_header_and_folio(monkeypatch: pytest.MonkeyPatch) -> None:
    """LibreOffice draws the DOCX's header (the running title) first on a page and the footer's
    page number last; both are furniture, the first page has no header."""
    pages = ["Title\nA paragraph\n1", "Title\ngoes on here.\n2", "Title\nTitle\n3"]
    monkeypatch.setattr(pdftext, "page_texts", lambda path, order=None: pages)
    lines = pdftext.page_lines(Path("x.pdf"), "Title", head_first=True)
    assert lines == [["Title", "A paragraph"], ["goes on here."], ["Title"]]  # a paragraph reading like it stays
    assert pdftext.page_lines(Path("x.pdf"), "Title")[1] == ["Title", "goes on here."]  # WeasyPrint's: head last


def test_a_gap_where_a_formula_is_drawn_is_known() -> None:
    expected = f"If {typeset.FORMULA} satisfies {typeset.FORMULA}, then so"

    def at(word: str) -> list[int]:  # a word's characters mapped to their offsets in the model's text
        return list(range(expected.index(word), expected.index(word) + len(word)))

    assert typeset._formulas(expected, [at("If"), at("satisfies"), at("then")]) == (True, True)
    assert typeset._formulas(expected, [at("then"), at("so")]) == (False,)
    assert typeset._formulas(expected, [at("If"), [-1, -1], at("then")]) == (False, False)  # a word not placed


@pytest.mark.slow
def test_inline_formulas_on_a_full_line_are_no_wide_word_spaces(tmp_path: Path) -> None:
    # lecture notes: "If $A \in \mathcal{B}$ satisfies $F(A) = 0$, then $F_n(A) \to F(A)$" on full lines
    text = " ".join(
        f"If $A_{i} \\in \\mathcal{{B}}(\\mathbb{{R}})$ satisfies $F_0(\\partial A) = 0$, then" for i in range(40)
    )
    path = write(tmp_path, "dense.md", f"---\ntitle: Dense\n---\n\n{text} we are done.\n")
    doc = publish.load(path)
    pdf = publish.build(doc, "pdf", tmp_path / "dense.pdf")
    result = typography.check_typography(doc, pdf, Options())
    assert any(d.startswith("ok: word spaces") for d in result.details), result.details


def _placed(page: int, text: str, unit: int | None, role: str = "", last: bool = True) -> typeset.Placed:
    return typeset.Placed(pdflines.Line(page, (), text), unit, role, last=last)


def test_a_heading_followed_by_what_the_lines_do_not_show_is_not_stranded() -> None:
    units = (
        typeset.Unit("heading", "Definitions", 1),
        typeset.Unit("heading", "Tables", 1),
        typeset.Unit("caption", "A table."),
        typeset.Unit("heading", "Sub", 2),
        typeset.Unit("para", "Text."),
    )
    limits = typography.Thresholds()
    # a definition list (not set as lines) follows the heading; the next section opens the
    # next page (its heading not found in the lines, as at the top of a page of a table)
    lines = (_placed(3, "Definitions", 0, "heading"), _placed(4, "A table.", 2, "caption"))
    assert typography.stranded(typeset.Layout(units, lines), limits).ok
    # a figure follows it: its caption is on the page
    lines = (_placed(3, "Tables", 1, "heading"), _placed(3, "A table.", 2, "caption"), _placed(4, "Text.", 4, "para"))
    assert typography.stranded(typeset.Layout(units, lines), limits).ok
    # a short last section: its heading and its one line, the next section on the next page
    short = (typeset.Unit("heading", "Tables", 1), typeset.Unit("para", "Text."), typeset.Unit("heading", "Next", 1))
    lines = (_placed(3, "Tables", 0, "heading"), _placed(3, "Text.", 1, "para"), _placed(4, "Next", 2, "heading"))
    assert typography.stranded(typeset.Layout(short, lines), limits).ok
    # a heading whose own text goes over the page is stranded: the heading between is lower
    lines = (_placed(3, "Tables", 1, "heading"), _placed(4, "Sub", 3, "heading"), _placed(4, "Text.", 4, "para"))
    measure = typography.stranded(typeset.Layout(units, lines), limits)
    assert not measure.ok and measure.places == ("page 3: 'Tables' (the page's last line)",)
