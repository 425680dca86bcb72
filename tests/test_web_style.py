"""The house style of the web and EPUB editions (issue 14): the stylesheets as parsed, the
package's cover, and the pages as Debian's Chromium lays them out at a phone's, a tablet's
and a desktop's width — the title the largest element at every width, a measure of 60-75
characters, superscripts that leave the lines alone, no slanted CJK, the page printed on A4
with page numbers, an EPUB cover whole and centred on any screen, a contents page without
numbers, code at 0.85 of the text."""

from __future__ import annotations

import io
import statistics
import subprocess
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import lxml.html
import pypdf
import pytest
import tinycss2
from lxml import etree
from PIL import Image

import publish
from publish import pagedata
from publish.options import Options
from publish.writers import epub as epub_writer
from tests.conftest import FIXTURES, Built, write

CHROMIUM = "/usr/bin/chromium"  # Debian's chromium (scripts/setup.sh --test installs it)
WIDTHS = (360, 768, 1280)
OPF = "{http://www.idpf.org/2007/opf}"
XHTML = "{http://www.w3.org/1999/xhtml}"
SVG = "{http://www.w3.org/2000/svg}"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"


# ---------------------------------------------------------------- the stylesheets as parsed


def _page_css(path: Path) -> str:
    return "\n".join(s.text or "" for s in lxml.html.parse(str(path)).getroot().iter("style"))


def _declarations(tokens: list[Any]) -> dict[str, str]:
    items = tinycss2.parse_blocks_contents(tokens, skip_comments=True, skip_whitespace=True)
    return {d.lower_name: tinycss2.serialize(d.value).strip() for d in items if d.type == "declaration"}


def _at_rules(tokens: list[Any], name: str) -> list[Any]:
    items = tinycss2.parse_blocks_contents(tokens, skip_comments=True, skip_whitespace=True)
    return [r for r in items if r.type == "at-rule" and r.lower_at_keyword == name]


def _page_rules(css: str) -> dict[str, Any]:
    """The @page rules of a stylesheet by their selector ('' for every page)."""
    rules = tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)
    return {
        tinycss2.serialize(r.prelude).strip(): r for r in rules if r.type == "at-rule" and r.lower_at_keyword == "page"
    }


def _style_rules(css: str) -> dict[str, dict[str, str]]:
    """Every qualified rule at the top level of a stylesheet: selector -> declarations."""
    out: dict[str, dict[str, str]] = {}
    for rule in tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True):
        if rule.type == "qualified-rule":
            for selector in tinycss2.serialize(rule.prelude).split(","):
                out.setdefault(" ".join(selector.split()), {}).update(_declarations(rule.content))
    return out


def test_printing_the_web_page_gives_a4_with_the_house_margins_and_page_numbers(built: Built) -> None:
    pages = _page_rules(_page_css(built.edition("article", "html")))
    every, first = pages[""], pages[":first"]
    assert _declarations(every.content)["size"] == "A4"
    assert _declarations(every.content)["margin"] == "25mm 45mm 30mm 45mm"  # a 120 mm measure
    [footer] = _at_rules(every.content, "bottom-center")
    assert "counter(page)" in _declarations(footer.content)["content"]
    [head] = _at_rules(every.content, "top-center")
    assert _declarations(head.content)["content"] == '"Justice for Western Azerbaijan Community"'
    [no_head] = _at_rules(first.content, "top-center")
    assert _declarations(no_head.content)["content"] == "none"


def test_the_running_head_holds_any_title_as_a_css_string(tmp_path: Path) -> None:
    title = 'Quotes " and \\ back</style><p>slash'
    source = write(tmp_path, "odd.md", f"---\ntitle: '{title}'\n---\n\nText.\n")
    page = publish.build(publish.load(source), "html", tmp_path / "out" / "odd.html")
    root = lxml.html.parse(str(page)).getroot()
    assert [p.text for p in root.iter("p")] == ["Text."]  # the title did not end the stylesheet
    [head] = _at_rules(_page_rules(_page_css(page))[""].content, "top-center")
    [content] = [d for d in tinycss2.parse_blocks_contents(head.content) if getattr(d, "name", "") == "content"]
    [string] = [t for t in content.value if t.type == "string"]
    assert string.value == title


def test_headings_balance_and_paragraphs_avoid_short_last_lines_through_custom_properties(built: Built) -> None:
    """text-wrap goes through var(): the Nu HTML Checker publish check runs does not know the
    property, and leaves a declaration with var() alone."""
    rules = _style_rules(_page_css(built.edition("every-node", "html")))
    assert rules[":root"]["--wrap-headings"] == "balance" and rules[":root"]["--wrap-text"] == "pretty"
    for selector in ("h1", "h2", "h6", ".title"):
        assert rules[selector]["text-wrap"] == "var(--wrap-headings)"
    assert rules["p"]["text-wrap"] == "var(--wrap-text)"


def _epub(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n.removeprefix("EPUB/"): z.read(n) for n in z.namelist()}


def test_epub_cover_is_a_png_declared_as_the_cover_image_shown_through_a_scaling_svg(built: Built) -> None:
    files = _epub(built.edition("every-node", "epub"))
    opf = etree.fromstring(files["content.opf"])
    items = {i.get("href"): i for i in opf.iter(f"{OPF}item")}
    cover = items["cover.png"]
    assert cover.get("properties") == "cover-image" and cover.get("media-type") == "image/png"
    assert [m.get("content") for m in opf.iter(f"{OPF}meta") if m.get("name") == "cover"] == [cover.get("id")]
    assert "svg" in (items["cover.xhtml"].get("properties") or "").split()
    assert "cover.svg" not in files  # the drawing is the PNG's source, not part of the book
    image = Image.open(io.BytesIO(files["cover.png"]))
    assert image.size == (1200, 1800)  # twice the 600 × 900 drawing: sharp on a tablet
    assert len(image.convert("L").getcolors(maxcolors=4096) or range(4097)) > 16  # drawn, not blank
    page = etree.fromstring(files["cover.xhtml"])
    [svg] = page.iter(f"{SVG}svg")
    assert svg.get("viewBox") == "0 0 600 900" and svg.get("preserveAspectRatio") == "xMidYMid meet"
    assert svg.get("width") == svg.get("height") == "100%"
    [picture] = svg.iter(f"{SVG}image")
    assert picture.get(XLINK_HREF) == "cover.png"
    words = "".join(page.find(f".//{XHTML}div[@class='cover-text']").itertext())
    assert "Every Node, Once" in words  # the cover's words stay in the page, for assistive technology


def test_cover_date_is_upright_where_the_script_has_no_italics(built: Built) -> None:
    options = Options()
    docs = {
        "chinese": built.doc("chinese"),
        "arabic": publish.load(FIXTURES / "arabic.md"),
        "english": built.doc("article"),
    }
    for name, doc in docs.items():
        drawing = epub_writer.cover_drawing(pagedata.context(doc, options), options.template_path)
        [date] = [t for t in etree.fromstring(drawing.encode()).iter(f"{SVG}text") if t.get("y") == "830"]
        assert date.get("font-style") == ("italic" if name == "english" else None), name


def test_epub_contents_page_lists_without_numbers(built: Built) -> None:
    rules = _style_rules(_epub(built.edition("every-node", "epub"))["style.css"].decode())
    assert rules["nav#toc ol"]["list-style"] == "none"
    assert rules["code"]["font-size"] == rules["pre.code"]["font-size"] == "0.85em"


# ---------------------------------------------------------------- as Chromium lays them out


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).is_file(), "Debian's chromium is missing: bash scripts/setup.sh --test"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        yield browser
        browser.close()


def _open(chromium: Any, path: Path, width: int, height: int = 900) -> Any:
    page = chromium.new_page(viewport={"width": width, "height": height})
    page.goto(path.as_uri())
    return page


SIZES = """() => {
  const size = e => parseFloat(getComputedStyle(e).fontSize);
  const headings = [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')].filter(e => !e.matches('.title'));
  const title = document.querySelector('.title');
  return {title: title ? size(title) : null, headings: headings.map(size)};
}"""

#: The number of characters on each line of the body's paragraphs but their last.
LINES = """() => {
  const counts = [];
  for (const p of document.querySelectorAll('main section > p')) {
    const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
    const lines = new Map();
    let node;
    while ((node = walker.nextNode())) {
      for (let i = 0; i < node.data.length; i++) {
        const range = document.createRange();
        range.setStart(node, i);
        range.setEnd(node, i + 1);
        const rect = range.getClientRects()[0];
        if (rect) lines.set(Math.round(rect.bottom / 4), (lines.get(Math.round(rect.bottom / 4)) || 0) + 1);
      }
    }
    counts.push(...[...lines.values()].slice(0, -1));
  }
  return counts;
}"""


@pytest.mark.parametrize("name", ["article", "every-node", "chinese"])
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.slow
@pytest.mark.browser
def test_the_title_is_the_largest_element_at_every_width(built: Built, chromium: Any, name: str, width: int) -> None:
    page = _open(chromium, built.edition(name, "html"), width)
    sizes = page.evaluate(SIZES)
    page.close()
    assert sizes["headings"], "no headings to compare"
    assert sizes["title"] >= 1.25 * max(sizes["headings"]), sizes


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.slow
@pytest.mark.browser
def test_measure_and_leading(built: Built, chromium: Any, width: int) -> None:
    page = _open(chromium, built.edition("article", "html"), width)
    counts = page.evaluate(LINES)
    style = page.evaluate(
        "() => { const s = getComputedStyle(document.querySelector('main section > p')); "
        "return [parseFloat(s.fontSize), parseFloat(s.lineHeight), s.textWrap] }"
    )
    page.close()
    size, leading, wrap = style
    assert 1.4 <= leading / size <= 1.5
    assert "pretty" in wrap
    if width >= 768:  # a phone's line is as long as the phone
        assert 60 <= statistics.median(counts) <= 75, counts
        assert max(counts) <= 80, counts


@pytest.mark.slow
@pytest.mark.browser
def test_headings_are_balanced(built: Built, chromium: Any) -> None:
    page = _open(chromium, built.edition("every-node", "html"), 360)
    wraps = page.evaluate("() => [...document.querySelectorAll('h1, h2, h3')].map(e => getComputedStyle(e).textWrap)")
    page.close()
    assert wraps and all("balance" in w for w in wraps), wraps


@pytest.mark.slow
@pytest.mark.browser
def test_superscripts_and_note_calls_leave_the_line_height_alone(tmp_path: Path, chromium: Any) -> None:
    words = " ".join(f"word{i}^{i}^ and H~2~O, a call[^{i}]" for i in range(1, 40))
    notes = "\n".join(f"[^{i}]: Note {i}." for i in range(1, 40))
    source = write(tmp_path, "sup.md", f"---\ntitle: Superscripts\ndate: 2024-10-23\n---\n\n{words}\n\n{notes}\n")
    path = publish.build(publish.load(source), "html", tmp_path / "out" / "sup.html")
    for width in WIDTHS:
        page = _open(chromium, path, width)
        # Each paragraph's height as set, then with its superscripts and subscripts put on the
        # baseline (same widths, so the same lines): raised or lowered, they must add nothing.
        heights = page.evaluate(
            """() => [...document.querySelectorAll('main p')].filter(p => p.querySelector('sup')).map(p => {
              const set = p.getBoundingClientRect().height;
              p.querySelectorAll('sup, sub').forEach(e => { e.style.verticalAlign = 'baseline'; });
              const flat = p.getBoundingClientRect().height;
              return [set, flat, parseFloat(getComputedStyle(p).lineHeight)];
            })"""
        )
        page.close()
        assert len(heights) == 2  # the dateline's ordinal, and the paragraph
        assert max(set / leading for set, _, leading in heights) > 5  # several lines
        for set, flat, _ in heights:
            assert set == pytest.approx(flat, abs=0.5), (width, heights)


@pytest.mark.slow
@pytest.mark.browser
def test_cjk_is_never_slanted_and_emphasis_takes_its_marks(built: Built, chromium: Any) -> None:
    page = _open(chromium, built.edition("chinese", "html"), 768)
    styles = page.evaluate(
        """() => [...document.querySelectorAll('body *')].filter(e => e.matches(':lang(zh)')).map(e => {
          const s = getComputedStyle(e);
          return [e.tagName, e.className, s.fontStyle, s.fontSynthesisStyle,
                  s.textEmphasisStyle, s.textEmphasisPosition];
        })"""
    )
    page.close()
    slanted = [s for s in styles if s[2] != "normal" and s[3] != "none"]
    assert slanted == []
    assert [s[1] for s in styles if s[1] == "dateline" and s[2] == "normal"] == ["dateline"]
    emphasis = [s for s in styles if s[0] == "EM"]
    assert emphasis and all(s[4] == "dot" and s[5].startswith("under") for s in emphasis), emphasis


@pytest.mark.slow
@pytest.mark.browser
def test_tables_quotes_figures_and_notes_in_the_house_style(built: Built, chromium: Any) -> None:
    page = _open(chromium, built.edition("every-node", "html"), 1280)
    got = page.evaluate(
        """() => {
          const s = sel => getComputedStyle(document.querySelector(sel));
          const box = sel => document.querySelector(sel).getBoundingClientRect();
          const text = parseFloat(s('main section > p').fontSize);
          const cells = [...document.querySelectorAll('th, td')].map(c => getComputedStyle(c));
          return {
            text,
            table: [box('table').left - box('article').left, box('article').right - box('table').right,
                    box('table').width, box('article').width],
            rules: [s('table').borderTopWidth, s('thead').borderBottomWidth,
                    s('table').borderBottomWidth, s('tbody td').borderBottomWidth],
            vertical: cells.map(c => parseFloat(c.borderLeftWidth) + parseFloat(c.borderRightWidth)),
            numbers: s('table').fontVariantNumeric,
            caption: s('caption').textAlign,
            quote: [parseFloat(s('blockquote').marginLeft), parseFloat(s('blockquote').marginRight),
                    s('blockquote').fontStyle],
            figure: [s('figcaption').textAlign, s('figcaption').fontStyle, parseFloat(s('figcaption').fontSize)],
            notes: parseFloat(s('.footnotes li').fontSize),
          };
        }"""
    )
    page.close()
    text = got["text"]
    left, right, width, column = got["table"]
    assert width < column / 2 and abs(left - right) < 1  # natural width, centred
    top, header, bottom, rows = (float(v.removesuffix("px")) for v in got["rules"])
    assert top == bottom == 2 * header > 0
    assert rows == 0 and set(got["vertical"]) == {0}
    assert "tabular-nums" in got["numbers"] and "lining-nums" in got["numbers"]
    assert got["caption"] == "center"
    assert got["quote"] == [pytest.approx(1.5 * text, abs=0.5), pytest.approx(1.5 * text, abs=0.5), "normal"]
    assert got["figure"][:2] == ["center", "italic"] and got["figure"][2] == pytest.approx(9 / 10.5 * text, abs=0.5)
    assert got["notes"] == pytest.approx(8.5 / 10.5 * text, abs=0.5)


MM = 72 / 25.4  # PDF points in a millimetre


def _words(pdf: Path) -> list[list[tuple[str, float, float, float, float]]]:
    """Each page's words with their boxes in points (x0, y0 from the top, x1, y1), as poppler's
    pdftotext reads them."""
    done = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, check=True)
    root = lxml.html.fromstring(done.stdout)
    return [
        [(w.text_content(), *(float(w.get(k)) for k in ("xmin", "ymin", "xmax", "ymax"))) for w in page.iter("word")]
        for page in root.iter("page")
    ]


@pytest.mark.slow
@pytest.mark.browser
def test_printing_the_web_page(built: Built, chromium: Any, tmp_path: Path) -> None:
    page = _open(chromium, built.edition("article", "html"), 1280)
    (tmp_path / "print.pdf").write_bytes(page.pdf(prefer_css_page_size=True))
    page.close()
    pdf = pypdf.PdfReader(tmp_path / "print.pdf")
    assert len(pdf.pages) >= 2
    for sheet in pdf.pages:
        assert (round(float(sheet.mediabox.width)), round(float(sheet.mediabox.height))) == (595, 842)  # A4
    for number, words in enumerate(_words(tmp_path / "print.pdf"), 1):
        head = [w[0] for w in words if w[4] < 25 * MM]
        foot = [w[0] for w in words if w[2] > 842 - 30 * MM]
        body = [w for w in words if w[2] >= 25 * MM and w[4] <= 842 - 30 * MM]
        assert foot == [str(number)]  # the page number, in the footer
        assert head == ([] if number == 1 else ["Justice", "for", "Western", "Azerbaijan", "Community"])  # running head
        assert min(w[1] for w in body) >= 44 * MM and max(w[3] for w in body) <= 595 - 44 * MM  # 45 mm margins
        assert max(w[3] for w in body) - min(w[1] for w in body) >= 110 * MM  # the measure is used


def _unpacked(path: Path, folder: Path) -> Path:
    with zipfile.ZipFile(path) as z:
        z.extractall(folder)
    return folder / "EPUB"


@pytest.mark.slow
@pytest.mark.browser
def test_epub_cover_is_whole_and_centred_on_any_screen(built: Built, chromium: Any, tmp_path: Path) -> None:
    book = _unpacked(built.edition("article", "epub"), tmp_path)
    for width, height in ((600, 900), (758, 1024), (1024, 600), (360, 740)):
        page = _open(chromium, book / "cover.xhtml", width, height)
        got = page.evaluate(
            """() => { const r = document.querySelector('svg.cover-image image').getBoundingClientRect();
               const d = document.documentElement;
               return [r.left, r.top, r.right, r.bottom, d.scrollWidth, d.scrollHeight]; }"""
        )
        page.close()
        left, top, right, bottom, scroll_width, scroll_height = got
        assert scroll_width <= width and scroll_height <= height, (width, height, got)  # nothing cut off
        assert left >= -0.5 and top >= -0.5 and right <= width + 0.5 and bottom <= height + 0.5
        assert abs(left - (width - right)) < 1 and abs(top - (height - bottom)) < 1  # centred
        assert (right - left) / (bottom - top) == pytest.approx(600 / 900, rel=0.01)
        assert max((right - left) / width, (bottom - top) / height) == pytest.approx(1, abs=0.01)  # as large as fits


@pytest.mark.slow
@pytest.mark.browser
def test_epub_contents_without_numbers_and_code_at_085(built: Built, chromium: Any, tmp_path: Path) -> None:
    book = _unpacked(built.edition("every-node", "epub"), tmp_path)
    page = _open(chromium, book / "nav.xhtml", 600)
    markers = page.evaluate(
        "() => [...document.querySelectorAll('#toc li')].map(li => getComputedStyle(li).listStyleType)"
    )
    page.close()
    assert len(markers) == 8 and set(markers) == {"none"}
    page = _open(chromium, book / "text.xhtml", 600)
    sizes = page.evaluate(
        """() => { const size = sel => parseFloat(getComputedStyle(document.querySelector(sel)).fontSize);
           return [size('main section > p'), size('p code'), size('pre.code code')]; }"""
    )
    page.close()
    text, inline, block = sizes
    assert inline / text == pytest.approx(0.85, abs=0.01) and block / text == pytest.approx(0.85, abs=0.01)
