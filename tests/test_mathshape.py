"""TeX's conventions made explicit in the MathML (publish.mathshape), and how the PDF places a
numbered formula's number (publish.writers.mathmarkup)."""

from __future__ import annotations

import pytest
from lxml import etree

from publish import mathtex
from publish import model as m
from publish.writers import mathmarkup

NS = {"m": "http://www.w3.org/1998/Math/MathML"}


def _tree(tex: str, display: bool = False) -> etree._Element:
    converted = mathtex.convert(tex, display)
    assert not converted.problem
    return etree.fromstring(converted.presentation)


def _mo(tree: etree._Element, text: str) -> list[etree._Element]:
    return [el for el in tree.iterfind(".//m:mo", NS) if el.text == text]


def test_a_sign_after_a_relation_fence_or_comma_is_unary_between_two_terms_binary() -> None:
    tree = _tree(r"x = -y, (-1), a - b, \le +c")
    minus = _mo(tree, "−")
    assert [el.get("form") for el in minus] == ["prefix", "prefix", None]
    assert _mo(tree, "+")[0].get("form") == "prefix"


def test_a_sign_after_a_relation_in_an_aligned_row_is_unary() -> None:
    tree = _tree("\\begin{aligned} a &= -b \\\\ c &= d - e \\end{aligned}", True)
    assert [el.get("form") for el in _mo(tree, "−")] == ["prefix", None]


def test_bars_keep_their_size_outside_left_right_and_beside_a_matrix_they_stretch() -> None:
    tree = _tree(r"\lvert x \rvert + \lVert A \rVert_1 + \left| y \right|")
    assert [el.get("stretchy") for el in _mo(tree, "|")] == ["false", "false", "true", "true"]
    assert [el.get("stretchy") for el in _mo(tree, "‖")] == ["false", "false"]
    matrix = _tree(r"\begin{vmatrix} a & b \\ c & d \end{vmatrix}", True)
    assert [el.get("stretchy") for el in _mo(matrix, "|")] == [None, None]


def test_primes_stand_beside_their_base_not_above_it() -> None:
    tree = _tree("f'(x) + g''")
    assert not tree.findall(".//m:msup", NS)
    rows = [row for row in tree.iterfind(".//m:mrow", NS) if row.find("m:mo", NS) is not None]
    assert [[c.text for c in row] for row in rows if len(row) == 2] == [["f", "′"], ["g", "″"]]
    assert tree.findall(".//m:msup", NS) == []
    squared = _tree("x'^2")  # a prime with an exponent stays a superscript
    assert squared.findall(".//m:msup", NS)


def test_capital_greek_is_upright_small_greek_and_latin_stay_italic() -> None:
    tree = _tree(r"\Delta x + \alpha + \Omega")
    variants = {el.text: el.get("mathvariant") for el in tree.iterfind(".//m:mi", NS)}
    assert variants == {"Δ": "normal", "x": None, "α": None, "Ω": "normal"}


def test_a_slash_is_spaced_as_an_ordinary_symbol_and_matrix_columns_a_quad_apart() -> None:
    slash = _mo(_tree("k/n"), "/")[0]
    assert (slash.get("lspace"), slash.get("rspace")) == ("0em", "0em")
    matrix = _tree(r"\begin{pmatrix} 1 & 2 \end{pmatrix}", True)
    assert matrix.find(".//m:mtable", NS).get("columnspacing") == "1em"
    aligned = _tree("\\begin{aligned} a &= b \\end{aligned}", True)
    assert aligned.find(".//m:mtable", NS).get("columnspacing") == "0em 2em"  # its own


@pytest.mark.parametrize(
    ("tex", "kind"),
    [
        (r"x = \frac{-b \pm \sqrt{b^2 - 4ac}}{2a}", ""),
        (r"a + b + c + d + e + f + g + h + i + j + k + l + m + n + o", " shifted"),
        (r"a + b + c + d + e + f + g + h + i + j + k + l + m + n + o + p + q", " wide"),
    ],
)
def test_a_numbered_formula_too_wide_for_its_box_moves_over_or_puts_its_number_under_it(tex: str, kind: str) -> None:
    markup = mathmarkup.render(m.Math(tex, display=True, number="1"), drawn=True)
    assert markup.startswith(f'<span class="math display numbered{kind}"')
    assert markup.endswith('<span class="equation-number">(1)</span></span>')


def test_an_operator_name_is_one_upright_name_and_an_inline_binomial_is_text_sized() -> None:
    tree = _tree(r"\operatorname{arg\,max}_x f(x)")
    names = [(el.text, el.get("mathvariant")) for el in tree.iterfind(".//m:mi", NS)]
    assert names[0] == ("arg max", "normal")
    assert not [el for el in tree.iterfind(".//m:mo", NS) if not (el.text or "").strip()]
    inline = _mo(_tree(r"\binom{n}{k}"), "(")[0]
    assert (inline.get("minsize"), inline.get("maxsize")) == ("1.2em", "1.2em")
    display = _mo(_tree(r"\binom{n}{k}", True), "(")[0]
    assert display.get("minsize") == "2.047em"
