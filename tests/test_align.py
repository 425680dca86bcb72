"""publish.align: the unit-by-unit alignment behind the PDF and LibreOffice text checks."""

from __future__ import annotations

import itertools
import re

from hypothesis import given
from hypothesis import strategies as st

from publish import align

MARKERS = re.compile(r"[0-9.•]+")


def replay(units: list[str], actual: str, differences: list[align.Difference]) -> bool:
    """Whether the differences, and the agreeing text between them, make ``actual`` from the units."""
    expected = "".join(units)
    i = j = 0
    for d in differences:
        if expected[i : d.i1] != actual[j : d.j1] or d.i1 < i or d.j1 < j:
            return False
        i, j = d.i2, d.j2
    return expected[i:] == actual[j:]


def test_equal_texts_have_no_difference() -> None:
    units = ["Chapter1", "Itwasadarkandstormynight.", "Therainfellintorrents."]
    assert align.align(units, "".join(units)) == []


def test_a_lost_word_is_shown_to_the_character_inside_its_unit() -> None:
    units = ["Heading", "Thefirstparagraphgoeson.", "Thesecondparagraphgarneringsupportfromboth.", "Thelast."]
    actual = "HeadingThefirstparagraphgoeson.Thesecondparagraphgarneringfromboth.Thelast."
    [difference] = align.align(units, actual)
    expected = "".join(units)
    assert difference.op == "delete"
    assert expected[difference.i1 : difference.i2] == "support"
    assert expected[: difference.i1].endswith("garnering")


def test_list_markers_and_note_numbers_are_skipped_where_declared() -> None:
    units = ["first item", "second item", "a note.Afterwards"]
    actual = "•first item•second itema note.1Afterwards"
    assert align.align(units, actual, MARKERS) == []
    assert [d.op for d in align.align(units, actual)] == ["insert", "insert", "insert"]


def test_a_heading_repeated_in_a_table_of_contents_is_not_taken_for_the_heading() -> None:
    """The table of contents holds every heading: the anchor after it must be the heading
    that the text goes on from, not its entry in the contents."""
    units = ["Chapterone", "Openingwordsofthebook,longenough.", "Thesecondchapterheading", "Moretextthatfollows."]
    contents = "ContentsChapterone....1Thesecondchapterheading....2"
    actual = contents + "".join(units)
    differences = align.align(units, actual)
    assert {d.op for d in differences} == {"insert"}  # nothing of the text is missing
    assert sum(d.j2 - d.j1 for d in differences) == len(contents)


def test_a_missing_unit_among_repeated_ones_is_found_where_it_is_missing() -> None:
    chapter = ["Chapter", "Thesameparagraphineverychapter.", "Andanotherone,alsorepeated."]
    units = chapter * 5 + ["Theend."]
    actual = "".join(chapter * 3 + chapter[:1] + chapter[2:] + chapter + ["Theend."])
    [difference] = align.align(units, actual)
    expected = "".join(units)
    assert difference.op == "delete"
    assert expected[difference.i1 : difference.i2] == "Thesameparagraphineverychapter."
    assert expected.count("Chapter", 0, difference.i1) == 4  # in the fourth chapter


def test_an_edition_of_another_text_is_reported_not_aligned_forever() -> None:
    units = [f"Paragraph{n}saysonething." for n in range(2000)]
    actual = "".join(f"Entirely{n}differentwords!" for n in range(2000))
    differences = align.align(units, actual)
    assert differences and len(differences) <= align.MAX_DIFFERENCES + 1
    assert replay(units, actual, differences)


texts = st.text(alphabet="abc.1 ", max_size=12)


@given(st.lists(texts, max_size=8), st.lists(texts, max_size=8))
def test_the_differences_and_the_agreeing_text_make_the_other_text(units: list[str], other: list[str]) -> None:
    actual = "".join(other)
    assert replay(units, actual, align.align(units, actual))
    assert align.align(units, "".join(units)) == []


def test_matching_blocks_pair_the_text_across_what_the_edition_adds() -> None:
    units = ["Thefirstparagraph.", "Asecondone,withanote."]
    # A list marker and a note number skipped; a footnote's text inserted at the foot of a page.
    actual = "•Thefirstparagraph.Asecondone,1withanote.1.Thenote'sowntext,atthefoot."
    blocks = align.matching_blocks(units, actual, MARKERS)
    expected = "".join(units)
    assert all(expected[i : i + n] == actual[j : j + n] for i, j, n in blocks)
    assert sum(n for _, _, n in blocks) == len(expected)
    # Letters a footnote shares with the next paragraph are paired only when found together.
    units = ["Abc.", "qz", "Thelastparagraphofthepage."]
    actual = "Abc.Xqwznote.Thelastparagraphofthepage."
    assert align.matching_blocks(units, actual, MARKERS) == [(0, 0, 4), (4, 5, 1), (5, 7, 1), (6, 13, 26)]
    assert align.matching_blocks(units, actual, MARKERS, min_diffed=6) == [(0, 0, 4), (6, 13, 26)]


@given(st.lists(st.text("abc.", max_size=8), max_size=6), st.text("abc.•1", max_size=40))
def test_matching_blocks_agree_with_the_differences(units: list[str], actual: str) -> None:
    expected = "".join(units)
    blocks = align.matching_blocks(units, actual, MARKERS)
    assert all(expected[i : i + n] == actual[j : j + n] for i, j, n in blocks)
    assert all(b[0] >= a[0] + a[2] and b[1] >= a[1] + a[2] for a, b in itertools.pairwise(blocks))
