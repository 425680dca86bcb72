"""The notes of a source line for the ``source (words)`` check: references to notes defined
elsewhere (``[^label]``) and pandoc's inline notes (``^[text]``), in the order they are
called, which is the order the model numbers them in."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Protocol

_CALL = re.compile(r"\[\^([^\]\s]+)\]|\^\[")


class Found(Protocol):
    notes: dict[str, list[tuple[str, int]]]
    order: list[str]
    #: An inline note still open at the end of the last line: its label and bracket depth.
    inline: tuple[str, int] | None


def _close(line: str, start: int, depth: int) -> tuple[int, int]:
    """Where the brackets open at ``depth`` close in ``line`` from ``start`` (after the
    ``]``), and the depth left (0 when they close)."""
    end = start
    while end < len(line) and depth:
        depth += {"[": 1, "]": -1}.get(line[end], 0)
        end += 1
    return end, depth


def take(line: str, number: int, found: Found, words: Callable[[str], list[str]]) -> str:
    """Record the line's note calls in ``found.order``; an inline note's words go to a note
    of their own (labelled by its line and place) and leave the line, which is returned. An
    inline note may run on over the lines after (``found.inline``)."""
    out: list[str] = []
    at = 0
    if found.inline is not None:
        label, depth = found.inline
        end, depth = _close(line, 0, depth)
        found.notes[label] += [(w, number) for w in words(line[: end - 1] if not depth else line)]
        if depth:
            found.inline = (label, depth)
            return ""
        found.inline = None
        at = end
    for call in _CALL.finditer(line):
        if call.start() < at:
            continue  # inside an inline note already taken
        if call.group(1) is not None:
            if call.group(1) not in found.order:
                found.order.append(call.group(1))
            continue
        end, depth = _close(line, call.end(), 1)
        label = f"^{number}:{call.start()}"
        found.order.append(label)
        found.notes[label] = [
            (w, number) for w in words(line[call.end() : end - 1] if not depth else line[call.end() :])
        ]
        out.append(line[at : call.start()])
        at = end
        if depth:  # not closed on this line: the lines after hold the rest
            found.inline = (label, depth)
            return "".join(out)
    out.append(line[at:])
    return "".join(out)
