"""Hyphenation a typographer accepts, where CSS cannot ask for it.

The print stylesheet lets WeasyPrint hyphenate words of six letters or more, three letters on
either side, outside the last part of the line. Two rules remain that CSS has
(``hyphenate-limit-lines``, ``hyphenate-limit-last``) and WeasyPrint does not: no more than
two hyphenated lines in a row, and no word broken across a page turn; and a share of
hyphenated lines no greater than a typographer allows (:data:`MAX_SHARE`), which WeasyPrint's
greedy line breaking cannot promise at any one setting. :func:`offending_words` finds them in
a laid-out document; :func:`protect` marks those words in the page's markup
(``<span class="nohyphen">``, ``hyphens: manual``) so that the next layout keeps them whole.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import weasyprint
from weasyprint.formatting_structure import boxes

#: More hyphenated lines in a row than this, and the next one is laid out again.
MAX_RUN = 2
#: At most this share of the lines of hyphenated text end in a hyphen (``publish check``'s
#: typography check allows 12 %; the writer aims below it). The breaks with the shortest
#: part on either side of the hyphen, the worst, go first.
MAX_SHARE = 0.10
#: How many times a document is laid out again at most (each lay-out removes every offence
#: it found; what a new layout brings is rarer each time).
MAX_PASSES = 3
_BODY = re.compile(r"<body\b")
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


def offending_words(document: weasyprint.Document) -> set[str]:
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
    excess = len(others) + len(words) - int(MAX_SHARE * hyphenated_text)
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
