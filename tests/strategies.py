"""Hypothesis strategies for whole documents (after pandoc-types' depth-capped Arbitrary).

Every node type of the model; text from many scripts — Latin with accents and combining
marks, Greek, Cyrillic, Hebrew and Arabic (right to left), Chinese — all of it covered by the
fonts the setup script installs, so the PDF can draw every character.
"""

from __future__ import annotations

import datetime as dt
import string

from hypothesis import strategies as st

from publish import model as m
from publish import transforms
from tests.conftest import FIXTURES

_SCRIPTS = [
    string.ascii_letters + string.digits,
    "àéîõüçñßøåæœ",
    "αβγδεζηθλμπσφω",
    "абвгдежзиклмнопрстуфхцчшщыэюя",
    "אבגדהוזחטיכלמנסעפצקרשת",
    "ابتثجحخدذرزسشصضطظعغفقكلمنهوي",
    "中文詞語研究院傳媒大學社會報告國際交流學術",
]
_PUNCTUATION = ",.;:!?()-–—'’“”"
LANGS = ["en", "en-GB", "fr", "de", "zh-Hant", "zh-Hans"]


@st.composite
def words(draw: st.DrawFn) -> str:
    """One to six words, each in one script, with an occasional combining accent."""
    out = []
    for _ in range(draw(st.integers(1, 6))):
        alphabet = draw(st.sampled_from(_SCRIPTS))
        word = draw(st.text(alphabet, min_size=1, max_size=8))
        if alphabet.startswith("a") and draw(st.booleans()):
            word = word[0] + "\u0301" + word[1:]  # a combining acute accent
        if draw(st.integers(0, 4)) == 0:
            word += draw(st.sampled_from(_PUNCTUATION))
        out.append(word)
    return " ".join(out)


def _plain(depth: int) -> st.SearchStrategy[m.Inline]:
    """Inlines that may stand anywhere (no notes, links or breaks), depth-capped."""
    text = words().map(m.Text)
    if depth <= 0:
        return st.one_of(text, words().map(m.Code))
    inner = st.lists(_plain(depth - 1), min_size=1, max_size=3).map(tuple)
    return st.one_of(
        text,
        text,
        words().map(m.Code),
        inner.map(m.Emphasis),
        inner.map(m.Strong),
        inner.map(m.Superscript),
        inner.map(m.Subscript),
        inner.map(m.Strikeout),
        inner.map(m.Underline),
        st.tuples(inner, st.sampled_from(LANGS)).map(lambda t: m.Span(t[0], m.Attr(values=(("lang", t[1]),)))),
        st.tuples(inner, st.sampled_from(m.SPAN_ROLES)).map(
            lambda t: m.Span(
                t[0], m.Attr(classes=(t[1],), values=(("title", "an expansion"),) if t[1] == "abbr" else ())
            )
        ),
    )


def _inlines(depth: int, notes: bool) -> st.SearchStrategy[tuple[m.Inline, ...]]:
    extras: list[st.SearchStrategy[m.Inline]] = [
        st.tuples(st.lists(_plain(depth - 1), min_size=1, max_size=2).map(tuple), st.sampled_from(["a", "b/c"])).map(
            lambda t: m.Link(t[0], f"https://example.org/{t[1]}")
        ),
        words().map(lambda alt: m.Image("images/gradient.png", alt)),
    ]
    if notes:
        extras.append(st.lists(_paragraph(0, notes=False), min_size=1, max_size=2).map(lambda b: m.Note(tuple(b))))
    head = _plain(depth).map(lambda node: (node,))
    tail = st.lists(st.one_of(_plain(depth), *extras), max_size=4).map(tuple)
    return st.tuples(head, tail).map(lambda t: t[0] + t[1])


def _paragraph(depth: int, notes: bool = True) -> st.SearchStrategy[m.Block]:
    return _inlines(max(depth, 1), notes).map(m.Paragraph)


def _items(depth: int) -> st.SearchStrategy[tuple[m.ListItem, ...]]:
    item = st.tuples(
        st.lists(_block(depth - 1), min_size=1, max_size=2), st.sampled_from([None, None, False, True])
    ).map(lambda t: m.ListItem(tuple(t[0]), t[1]))
    return st.lists(item, min_size=1, max_size=3).map(tuple)


def _div(depth: int) -> st.SearchStrategy[m.Block]:
    """A Div of every kind: plain (aligned, in a language, titled or not), details, callouts."""
    attrs = st.one_of(
        st.just(m.Attr()),
        st.sampled_from(["left", "center", "right"]).map(lambda a: m.Attr(values=(("align", a),))),
        st.sampled_from(LANGS).map(lambda lang: m.Attr(values=(("lang", lang),))),
        st.sampled_from(m.DIV_KINDS).map(lambda kind: m.Attr(classes=(kind,))),
    )
    title = st.one_of(st.just(()), st.lists(_plain(0), min_size=1, max_size=2).map(tuple))
    return st.builds(m.Div, st.lists(_block(depth - 1), max_size=3).map(tuple), attrs, title)


def _table() -> st.SearchStrategy[m.Block]:
    def build(columns: int) -> st.SearchStrategy[m.Block]:
        cell = st.lists(_plain(1), min_size=1, max_size=2).map(lambda c: m.Cell(tuple(c)))
        row = st.lists(cell, min_size=columns, max_size=columns).map(tuple)
        return st.builds(
            m.Table,
            header=row,
            rows=st.lists(row, min_size=1, max_size=3).map(tuple),
            aligns=st.lists(st.sampled_from(list(m.Align)), min_size=columns, max_size=columns).map(tuple),
            caption=st.one_of(st.just(()), st.lists(_plain(0), min_size=1, max_size=2).map(tuple)),
        )

    return st.one_of(st.integers(1, 4).flatmap(build), spanned_table())


@st.composite
def spanned_table(draw: st.DrawFn) -> m.Block:
    """A table as a grid table gives them: cells spanning rows and columns, one or two header
    rows (no span across their end), cells holding a list or two paragraphs, widths."""
    columns, count, head = draw(st.integers(2, 4)), draw(st.integers(2, 4)), draw(st.integers(0, 2))
    head = min(head, count - 1)
    covered = [0] * columns
    rows: list[tuple[m.Cell, ...]] = []
    for r in range(count):
        row: list[m.Cell] = []
        k = 0
        while k < columns:
            if covered[k]:
                covered[k] -= 1
                k += 1
                continue
            free = next((j for j in range(k, columns) if covered[j]), columns) - k
            colspan = draw(st.integers(1, min(free, 2)))
            rowspan = draw(st.integers(1, min(2, count - r)))
            if k + colspan == columns or (r < head < r + rowspan):
                rowspan = 1  # every row has a cell of its own at the end; none across the header's end
            content = tuple(draw(st.lists(_plain(1), min_size=1, max_size=2)))
            kind = draw(st.sampled_from(["inline", "inline", "list", "paragraphs"]))
            if kind == "list" and r >= head:
                items = tuple(m.ListItem((m.Paragraph(content),)) for _ in range(2))
                row.append(m.Cell((), colspan, rowspan, (m.BulletList(items, True),)))
            elif kind == "paragraphs" and r >= head:
                row.append(m.Cell((), colspan, rowspan, (m.Paragraph(content), m.Paragraph(content))))
            else:
                row.append(m.Cell(content, colspan, rowspan))
            for j in range(k, k + colspan):
                covered[j] = rowspan - 1
            k += colspan
        rows.append(tuple(row))
    widths = draw(st.one_of(st.just(()), st.just(tuple(1 / columns for _ in range(columns)))))
    return m.Table(
        rows[0] if head else (),
        tuple(rows[head:]),
        tuple(draw(st.lists(st.sampled_from(list(m.Align)), min_size=columns, max_size=columns))),
        more_header=tuple(rows[1:head]),
        widths=widths,
    )


def _block(depth: int) -> st.SearchStrategy[m.Block]:
    leaves: list[st.SearchStrategy[m.Block]] = [
        _paragraph(depth),
        _paragraph(depth),
        st.builds(m.CodeBlock, words(), st.sampled_from(["", "python", "json"])),
        st.just(m.ThematicBreak()),
        st.builds(
            m.Figure,
            words().map(lambda alt: m.Image("images/gradient.png", alt)),
            st.lists(_plain(0), min_size=1, max_size=2).map(tuple),
        ),
        _table(),
    ]
    if depth <= 0:
        return st.one_of(*leaves)
    return st.one_of(
        *leaves,
        st.lists(_block(depth - 1), min_size=1, max_size=3).map(lambda b: m.BlockQuote(tuple(b))),
        _items(depth).map(m.BulletList),
        st.tuples(_items(depth), st.integers(1, 30)).map(lambda t: m.OrderedList(t[0], t[1])),
        _div(depth),
    )


def _heading() -> st.SearchStrategy[m.Block]:
    return st.builds(m.Heading, st.integers(1, 6), st.lists(_plain(1), min_size=1, max_size=3).map(tuple))


@st.composite
def documents(draw: st.DrawFn, max_blocks: int = 6) -> m.Document:
    """A whole document, through the standard transforms (ids, note numbers, typography)."""
    blocks = draw(st.lists(st.one_of(_heading(), _block(2)), min_size=1, max_size=max_blocks))
    meta = m.Metadata(
        title=draw(words()),
        subtitle=draw(st.one_of(st.just(""), words())),
        authors=tuple(
            m.Person(name, orcid=draw(st.sampled_from(["", "0000-0002-1825-0097"])))
            for name in draw(st.lists(words(), max_size=2))
        ),
        date=draw(st.one_of(st.none(), st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31)))),
        lang=draw(st.sampled_from(LANGS)),
        identifier="urn:uuid:00000000-0000-4000-8000-000000000000",
    )
    return transforms.apply(m.Document(meta, tuple(blocks), source=FIXTURES / "generated.md"))
