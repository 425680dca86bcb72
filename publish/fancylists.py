"""pandoc's ``fancy_lists`` and ``startnum``: ordered lists numbered ``a.``, ``A.``, ``i.``,
``I.``, ``(a)``, ``a)``, ``(1)``, ``#.``…, as a markdown-it block rule.

markdown-it reads ``1.`` and ``1)`` itself; this rule reads every other marker pandoc reads,
the way pandoc reads it (checked against ``pandoc -f markdown -t native``):

- the first marker gives the list's style, delimiter and start number (``c.`` starts at 3,
  ``iv.`` at 4); a lone ``i``/``I`` is roman, any other lone letter alphabetic (``v.`` is
  the 22nd letter), several roman letters roman; ``#.``, ``#)``, ``(#)`` number in decimals
  from 1 (and go on with numbers);
- the following items must have the same style and delimiter (their numbers are not read):
  any other marker starts a new list;
- an upper-case letter with a period (``A.``, ``I.``, ``V.``…) must be followed by two
  spaces or a tab (``B. Russell`` is a sentence, not a list);
- such a list does not interrupt a paragraph, except inside a list item (a list nested in
  an item may follow its first line directly); a marker outdented from the paragraph's item
  ends that item, as in any list.

The tokens are markdown-it's own (``ordered_list_open``, ``list_item_open``…), with the
style and delimiter in the list's ``meta`` (:data:`publish.model.LIST_STYLES`,
:data:`publish.model.LIST_DELIMS`); nested content is read by the block parser as in any list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markdown_it.rules_block import StateBlock
from markdown_it.rules_block.list import markTightParagraphs
from markdown_it.rules_core import StateCore

_ROMAN = re.compile(r"^M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$")
_MARKER = re.compile(r"(\()?(#|[0-9]{1,9}|[a-zA-Z]+|@[\w-]*)([.)])")
#: pandoc's example lists: ``(@)`` and ``(@label)`` items numbered through the document, and
#: a ``(@label)`` in the text is the label's number. Their count and labels live in the
#: parser's env under these keys.
EXAMPLES, EXAMPLE_LABELS = "publish.examples", "publish.example_labels"
_EXAMPLE_REFERENCE = re.compile(r"\(@([\w-]+)\)")
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
#: Delimiter → the character that ends its marker.
DELIM_OF = {".": "period", ")": "one-paren"}


@dataclass(frozen=True)
class Marker:
    style: str
    delim: str
    number: int
    end: int  # the position after the marker and its delimiter
    #: ``#.``: pandoc's default numbering (decimal, from 1).
    default: bool = False
    #: ``(@label)``: an example, with its label (empty for ``(@)``); None: not an example.
    example: str | None = None


def roman(text: str) -> int | None:
    """A roman numeral's value (upper or lower case); None when it is not one."""
    upper = text.upper()
    if not upper or not _ROMAN.match(upper):
        return None
    total = 0
    for index, char in enumerate(upper):
        value = _ROMAN_VALUES[char]
        following = _ROMAN_VALUES[upper[index + 1]] if index + 1 < len(upper) else 0
        total += -value if value < following else value
    return total


def _styles(body: str) -> list[tuple[str, int]]:
    """The styles a marker's body can be read in, with its number in each, first the one a
    list's first marker takes (pandoc's order: a lone i or I roman, another lone letter
    alphabetic, then roman)."""
    if body == "#" or body.startswith("@"):
        return [("decimal", 1)]
    if body.isdigit():
        return [("decimal", int(body))]
    found: list[tuple[str, int]] = []
    case = "lower" if body.islower() else "upper" if body.isupper() else ""
    if not case:
        return []
    value = roman(body)
    if body in ("i", "I"):
        found.append((f"{case}-roman", 1))
    if len(body) == 1:
        found.append((f"{case}-alpha", ord(body.lower()) - ord("a") + 1))
    if value is not None and body not in ("i", "I"):
        found.append((f"{case}-roman", value))
    return found


def marker(state: StateBlock, line: int, style: str | None = None, delim: str | None = None) -> Marker | None:
    """The list marker that opens ``line`` (in ``style`` and ``delim``, when a list is
    already open), else None."""
    pos = state.bMarks[line] + state.tShift[line]
    maximum = state.eMarks[line]
    found = _MARKER.match(state.src, pos, maximum)
    if found is None:
        return None
    paren, body, close = found.groups()
    if paren:
        if close != ")":
            return None
        kind = "two-parens"
    else:
        kind = DELIM_OF[close]
    end = found.end()
    after = state.src[end:maximum]
    if after and after[0] not in " \t":
        return None
    for name, number in _styles(body):
        if style is not None and (name != style or kind != delim):
            continue
        upper_letter = name == "upper-alpha" or (name == "upper-roman" and number in _ROMAN_VALUES.values())
        if kind == "period" and upper_letter and after and not (after.startswith("\t") or after.startswith("  ")):
            continue  # pandoc: "B. Russell" is a sentence
        example = body[1:] if body.startswith("@") else None
        return Marker(name, kind, number, end, body == "#", example)
    return None


def fancy_list(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    """The block rule (markdown-it's list rule, for ordered lists with pandoc's markers)."""
    if state.is_code_block(start_line):
        return False
    indent_count = state.sCount[start_line]
    if state.listIndent >= 0 and indent_count - state.listIndent >= 4 and indent_count < state.blkIndent:
        return False  # markdown-it's "a paragraph continuation", as in its list rule
    found = marker(state, start_line)
    if found is None:
        return False
    if found.style == "decimal" and found.delim != "two-parens" and not found.default and found.example is None:
        return False  # 1. and 1): markdown-it's own list rule
    interrupting = silent and state.parentType == "paragraph" and state.sCount[start_line] >= state.blkIndent
    if interrupting and state.listIndent < 0:
        return False  # pandoc's lists do not interrupt a paragraph, but in a list item
    if silent:
        return True
    style, delim = found.style, found.delim
    list_index = len(state.tokens)
    token = state.push("ordered_list_open", "ol", 1)
    first = _example_number(state, found) if found.example is not None else found.number
    if first != 1:
        token.attrs = {"start": first}
    token.meta = {"style": style, "delim": delim}
    token.markup = state.src[found.end - 1]
    token.map = list_lines = [start_line, 0]
    tight = True
    prev_empty_end = False
    next_line = start_line
    old_parent = state.parentType
    state.parentType = "list"  # type: ignore[assignment]
    current: Marker | None = found
    while next_line < end_line and current is not None:
        pos = current.end
        maximum = state.eMarks[next_line]
        initial = offset = state.sCount[next_line] + pos - (state.bMarks[next_line] + state.tShift[next_line])
        while pos < maximum:
            char = state.src[pos]
            if char == "\t":
                offset += 4 - (offset + state.bsCount[next_line]) % 4
            elif char == " ":
                offset += 1
            else:
                break
            pos += 1
        content_start = pos
        after_marker = 1 if content_start >= maximum else offset - initial
        if after_marker > 4:
            after_marker = 1
        indent = initial + after_marker
        item = state.push("list_item_open", "li", 1)
        item.markup = token.markup
        item.map = item_lines = [next_line, 0]
        old_tight, old_tshift, old_scount = state.tight, state.tShift[next_line], state.sCount[next_line]
        old_list_indent = state.listIndent
        state.listIndent = state.blkIndent
        state.blkIndent = indent
        state.tight = True
        state.tShift[next_line] = content_start - state.bMarks[next_line]
        state.sCount[next_line] = offset
        if content_start >= maximum and state.isEmpty(next_line + 1):
            state.line = min(state.line + 2, end_line)
        else:
            state.md.block.tokenize(state, next_line, end_line)
        if not state.tight or prev_empty_end:
            tight = False
        prev_empty_end = (state.line - next_line) > 1 and state.isEmpty(state.line - 1)
        state.blkIndent = state.listIndent
        state.listIndent = old_list_indent
        state.tShift[next_line], state.sCount[next_line] = old_tshift, old_scount
        state.tight = old_tight
        state.push("list_item_close", "li", -1).markup = token.markup
        next_line = state.line
        item_lines[1] = next_line
        if next_line >= end_line or state.sCount[next_line] < state.blkIndent or state.is_code_block(next_line):
            break
        current = marker(state, next_line, style, delim)  # "#." lists go on with "2." too
        if current is not None and (current.example is None) != (found.example is None):
            break  # examples and numbers are lists of their own
        if current is not None and current.example is not None:
            _example_number(state, current)
    state.push("ordered_list_close", "ol", -1).markup = token.markup
    list_lines[1] = next_line
    state.line = next_line
    state.parentType = old_parent
    if tight:
        markTightParagraphs(state, list_index)
    return True


def _example_number(state: StateBlock, found: Marker) -> int:
    """The next example's number (its label's, from now on)."""
    env = state.env if isinstance(state.env, dict) else {}
    number: int = env.get(EXAMPLES, 0) + 1
    env[EXAMPLES] = number
    if found.example:
        env.setdefault(EXAMPLE_LABELS, {}).setdefault(found.example, number)
    return number


def example_references(state: StateCore) -> None:
    """Core rule (before inline): a ``(@label)`` of an example in the text is its number."""
    labels = state.env.get(EXAMPLE_LABELS) if isinstance(state.env, dict) else None
    if not labels:
        return

    def number(found: re.Match[str]) -> str:
        return f"({labels[found.group(1)]})" if found.group(1) in labels else found.group()

    for token in state.tokens:
        if token.type == "inline" and "(@" in token.content:
            token.content = _EXAMPLE_REFERENCE.sub(number, token.content)


# ---------------------------------------------------------------- numbering, as the editions show it

_ALPHA = "abcdefghijklmnopqrstuvwxyz"
_NUMERALS: tuple[tuple[int, str], ...] = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"))
_NUMERALS += ((90, "xc"), (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))
#: A delimiter → what stands before and after the number.
AROUND = {"period": ("", "."), "one-paren": ("", ")"), "two-parens": ("(", ")")}


def numbering(style: str, delim: str) -> str:
    """How the outline names a list's numbering: empty for ``1.`` (decimal, period), else
    its style and delimiter (``lower-alpha one-paren``)."""
    return "" if (style, delim) == ("decimal", "period") else f"{style} {delim}"


def number_text(style: str, number: int) -> str:
    """``number`` written in ``style`` (CSS's names: 3 → ``c``, ``iii``, ``C``, ``III``)."""
    if style.endswith("alpha") and number > 0:
        letters = ""
        while number > 0:
            number, rest = divmod(number - 1, 26)
            letters = _ALPHA[rest] + letters
        text = letters
    elif style.endswith("roman") and 0 < number < 4000:
        text = ""
        for value, numeral in _NUMERALS:
            while number >= value:
                text, number = text + numeral, number - value
    else:
        text = str(number)
    return text.upper() if style.startswith("upper") else text


def label(style: str, delim: str, number: int) -> str:
    """An item's label as an edition shows it: ``c)``, ``(iv)``, ``B.``."""
    before, after = AROUND.get(delim, ("", "."))
    return f"{before}{number_text(style, number)}{after}"
