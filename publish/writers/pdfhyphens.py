"""Hyphenation a typographer accepts, where CSS cannot ask for it.

The print stylesheet lets WeasyPrint hyphenate words of six letters or more, three letters on
either side, outside the last part of the line. Two rules remain that CSS has
(``hyphenate-limit-lines``, ``hyphenate-limit-last``) and WeasyPrint does not: no more than
two hyphenated lines in a row, and no word broken across a page turn; and a share of
hyphenated lines no greater than a typographer allows (:data:`MAX_SHARE`), which WeasyPrint's
greedy line breaking cannot promise at any one setting.

The rules are kept while WeasyPrint lays the text out (:func:`keeping_rules`): its line breaker
is told, line by line, not to hyphenate the line after two hyphenated ones, the last line
that fits on a page, or any line while the share of hyphenated lines so far is at
:data:`MAX_SHARE`. What that cannot foresee (the page break moved up by a paragraph's widows
or by a heading kept with the next one) :func:`offending_words` finds in the laid-out document,
and :func:`protect` marks those words in the page's markup (``<span class="nohyphen">``,
``hyphens: manual``) so that another layout keeps them whole — a second layout that keeping
the rules during the first makes rare.
"""

from __future__ import annotations

import contextlib
import contextvars
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import weasyprint
import weasyprint.layout.block
import weasyprint.layout.inline
from weasyprint.formatting_structure import boxes

#: More hyphenated lines in a row than this, and the next one is laid out again.
MAX_RUN = 2
#: At most this share of the lines of hyphenated text end in a hyphen (``publish check``'s
#: typography check allows 12 %; the writer aims below it). The layout keeps to it as it goes;
#: should the laid-out document still exceed it (the lines WeasyPrint lays out and throws
#: away, looking ahead for widows, count in the layout's share), the breaks with the shortest
#: part on either side of the hyphen, the worst, are taken back.
MAX_SHARE = 0.10
#: How many times a document is laid out again at most (each lay-out removes every offence
#: it found; what a new layout brings is rarer each time).
MAX_PASSES = 3
_BODY = re.compile(r"<body\b")


def share(attempt: int) -> float:
    """The share kept to during the layout: lower at each new attempt, so that the breaks
    taken back are not given to other lines."""
    return MAX_SHARE * 0.8**attempt


#: The last two words of the title or a heading (a Chinese or Japanese one's last two
#: characters), where no tag stands between them and the element's end.
_LAST_WORDS = re.compile(
    r"([^\s<>]+ [^\s<>]+|[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]{2}[、。，！？」』）]?)"
    r"(</h[1-6]>)"
)
_TEXT = re.compile(r">([^<]+)<")


def _lines(page: weasyprint.Page) -> Iterator[boxes.LineBox]:
    """The lines of a page's text, in order: not its notes' or its margins' (running head)."""
    flow = page._page_box.children[0]  # WeasyPrint 70's layout tree (pinned in pyproject.toml)
    for box in flow.descendants():
        if isinstance(box, boxes.LineBox):
            yield box


def _hyphenated(line: boxes.LineBox) -> tuple[str, str] | None:
    """(the word's first part, the hyphen) where the layout broke the line's last word."""
    texts = [b for b in line.descendants() if isinstance(b, boxes.TextBox)]
    if not texts:
        return None
    last = texts[-1]
    hyphen = last.style["hyphenate_character"]
    if last.style["hyphens"] == "manual" or not hyphen or not last.text.endswith(hyphen):
        return None
    found = re.search(r"(\w+)$", last.text[: -len(hyphen)])
    return (found.group(1), hyphen) if found else None


def _hyphenates(line: boxes.LineBox) -> bool:
    return any(b.style["hyphens"] == "auto" for b in line.descendants() if isinstance(b, boxes.TextBox))


def _first_word(line: boxes.LineBox) -> str:
    text = "".join(b.text for b in line.descendants() if isinstance(b, boxes.TextBox))
    found = re.match(r"\s*(\w+)", text)
    return found.group(1) if found else ""


def offending_words(document: weasyprint.Document, share: float = MAX_SHARE) -> set[str]:
    """The words broken across a page turn, and those that make a run of more than
    :data:`MAX_RUN` hyphenated lines, whole (the first part joined to the next line's)."""
    pages = [list(_lines(page)) for page in document.pages]
    ordered = [(line, index == len(lines) - 1) for lines in pages for index, line in enumerate(lines)]
    words: set[str] = set()
    others: list[tuple[int, str]] = []  # (the shorter part, the word) of every other break
    run = 0
    for position, (line, last_on_page) in enumerate(ordered):
        broken = _hyphenated(line)
        run = run + 1 if broken else 0
        rest = _first_word(ordered[position + 1][0]) if broken and position + 1 < len(ordered) else ""
        if broken and rest and (run > MAX_RUN or last_on_page):
            words.add(broken[0] + rest)
            run = 0  # the word kept whole moves this line's break: count afresh
        elif broken and rest:
            others.append((min(len(broken[0]), len(rest)), broken[0] + rest))
    hyphenated_text = sum(1 for line, _ in ordered if _hyphenates(line))
    excess = len(others) + len(words) - int(share * hyphenated_text)
    words |= {word for _, word in sorted(others)[: max(excess, 0)]}
    return words


def protect(markup: str, words: set[str]) -> str:
    """``markup`` with each of ``words`` in the page's text wrapped so it is not hyphenated."""
    if not words:
        return markup
    pattern = re.compile(r"\b(" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + r")\b")
    start = _BODY.search(markup)
    head, body = (markup[: start.start()], markup[start.start() :]) if start else ("", markup)

    def text(found: re.Match[str]) -> str:
        return ">" + pattern.sub(r'<span class="nohyphen">\1</span>', found.group(1)) + "<"

    return head + _TEXT.sub(text, body)


def keep_last_words(markup: str) -> str:
    """A heading's last two words kept on one line (``<span class="nobreak">``), so that no
    title or heading ends on one word alone, which WeasyPrint, without ``text-wrap: balance``,
    leaves wherever the line ran out."""
    return _LAST_WORDS.sub(r'<span class="nobreak">\1</span>\2', markup)


@dataclass
class _Rules:
    """The state of one layout (one :func:`keeping_rules` block)."""

    share: float = MAX_SHARE  # the share of hyphenated lines kept to
    lines: int = 0  # lines of hyphenated text laid out so far
    hyphenated: int = 0  # those that end in a hyphen
    forbid: bool = False  # the line being broken now may not be hyphenated
    manual: dict[int, tuple[Any, Any]] = field(default_factory=dict)  # id(style) → (style, its copy)

    def over_share(self) -> bool:
        return self.hyphenated + 1 > self.share * (self.lines + 1)

    def without_hyphens(self, style: Any) -> Any:
        """``style`` with ``hyphens: manual`` (made once per style of the layout)."""
        kept = self.manual.get(id(style))
        if kept is None:
            copy = style.copy()
            copy["hyphens"] = "manual"
            kept = self.manual[id(style)] = (style, copy)
        return kept[1]


_RULES: contextvars.ContextVar[_Rules | None] = contextvars.ContextVar("publish_hyphen_rules", default=None)
_SPLIT = weasyprint.layout.inline.split_first_line
_LINES = weasyprint.layout.block.iter_line_boxes


def _split_first_line(text: str, style: Any, *args: Any, **kwargs: Any) -> Any:
    rules = _RULES.get()
    if rules is not None and rules.forbid and style["hyphens"] == "auto":
        style = rules.without_hyphens(style)
    return _SPLIT(text, style, *args, **kwargs)


def _iter_line_boxes(
    context: Any, box: Any, position_y: float, bottom_space: float, *args: Any
) -> Iterator[tuple[boxes.LineBox, Any]]:
    """WeasyPrint's lines of a paragraph, each broken knowing the rules: not hyphenated after
    :data:`MAX_RUN` hyphenated lines, nor when the next line would not fit on the page (the
    height of the line before taken for the next one's), nor above the share."""
    lines = _LINES(context, box, position_y, bottom_space, *args)
    rules = _RULES.get()
    if rules is None:
        yield from lines
        return
    run, top, height, kept = 0, position_y, 0.0, True
    while True:
        outer = rules.forbid
        rules.forbid = (
            run >= MAX_RUN
            or rules.over_share()
            or (height > 0 and context.overflows_page(bottom_space, top + 2 * height))
        )
        try:
            line, resume_at = next(lines)
        except StopIteration:
            return
        finally:
            rules.forbid = outer
        top, height = line.position_y + line.height, line.height
        # a line that does not fit, and those WeasyPrint lays out after it to look for widows,
        # are laid out again on the next page: the share counts them there
        kept = kept and not context.overflows_page(bottom_space, top)
        if _hyphenates(line):
            broken = _hyphenated(line) is not None
            rules.lines += kept
            rules.hyphenated += broken and kept
            run = run + 1 if broken else 0
        else:
            run = 0
        yield line, resume_at


@contextlib.contextmanager
def keeping_rules(share: float = MAX_SHARE) -> Iterator[None]:
    """WeasyPrint's layouts in this block keep the rules as they break lines, and at most
    ``share`` of the lines hyphenated."""
    weasyprint.layout.inline.split_first_line = _split_first_line
    weasyprint.layout.block.iter_line_boxes = _iter_line_boxes
    token = _RULES.set(_Rules(share))
    try:
        yield
    finally:
        _RULES.reset(token)
