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


def take(line: str, number: int, found: Found, words: Callable[[str], list[str]]) -> str:
    """Record the line's note calls in ``found.order``; an inline note's words go to a note
    of their own (labelled by its line and place) and leave the line, which is returned."""
    out: list[str] = []
    at = 0
    for call in _CALL.finditer(line):
        if call.start() < at:
            continue  # inside an inline note already taken
        if call.group(1) is not None:
            if call.group(1) not in found.order:
                found.order.append(call.group(1))
            continue
        depth, end = 1, call.end()
        while end < len(line) and depth:
            depth += {"[": 1, "]": -1}.get(line[end], 0)
            end += 1
        if depth:
            break  # not closed on this line: its words stay the line's
        label = f"^{number}:{call.start()}"
        found.order.append(label)
        found.notes[label] = [(w, number) for w in words(line[call.end() : end - 1])]
        out.append(line[at : call.start()])
        at = end
    out.append(line[at:])
    return "".join(out)
