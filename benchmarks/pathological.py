"""cmark's pathological inputs, at cmark's sizes and at twice those sizes.

Each case goes through the reader (Markdown → model, where the super-linear traps of a
Markdown parser lie) and the HTML writer. A case passes when each run ends — with a model or
with a clear ``file:line`` refusal — within BOUND seconds, and the time per input byte
grows at most GROWTH times from n to 2n (linear, with room for noise; the "backticks" input
grows as n², so its growth is measured per byte). Prints a Markdown table; exits 1 when a
case fails. Run: ``python benchmarks/pathological.py [--write benchmarks/pathological.md]``.
"""

from __future__ import annotations

import argparse
import multiprocessing
import platform
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

BOUND = 30.0
#: Time per input byte may grow by at most this factor when the input doubles (1 is linear).
GROWTH = 1.3

#: name → input of size n (the patterns of cmark's test/pathological_tests.py), cmark's n.
CASES: dict[str, tuple[Callable[[int], str], int]] = {
    "nested strong emph": (lambda n: "*a **a " * n + "b" + " a** a*" * n, 65000),
    "many emph closers with no openers": (lambda n: "a_ " * n, 65000),
    "many emph openers with no closers": (lambda n: "_a " * n, 65000),
    "many link closers with no openers": (lambda n: "a]" * n, 65000),
    "many link openers with no closers": (lambda n: "[a" * n, 65000),
    "mismatched openers and closers": (lambda n: "*a_ " * n, 50000),
    "openers and closers multiple of 3": (lambda n: "a**b" + "c* " * n, 50000),
    "link openers and emph closers": (lambda n: "[ a_" * n, 50000),
    "nested brackets": (lambda n: "[" * n + "a" + "]" * n, 50000),
    "nested block quotes": (lambda n: "> " * n + "a", 50000),
    "deeply nested lists": (lambda n: "".join("  " * x + "* a\n" for x in range(n)), 1000),
    "U+0000 in input": (lambda n: "abc\u0000de\u0000" * n, 1),
    "backticks": (lambda n: "".join("e" + "`" * x for x in range(1, n)), 10000),
    "unclosed links A": (lambda n: "[a](<b" * n, 50000),
    "unclosed links B": (lambda n: "[a](b" * n, 50000),
    "many references": (lambda n: "".join(f"[{x}]: u\n" for x in range(1, n * 16)) + "[0] " * n, 50000),
}


def _one(name: str, n: int, queue: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    import logging

    import publish
    from publish.errors import PublishError
    from publish.options import Options

    logging.disable(logging.WARNING)  # "removed control character" for U+0000, on purpose
    body = CASES[name][0](n)
    source = f"---\ntitle: {name}\n---\n\n{body}\n"
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "case.md"
        path.write_text(source, encoding="utf-8")
        started = time.perf_counter()
        try:
            # The default cap (8 MiB) refuses "many references" and "backticks" at once; the
            # benchmark raises it to measure the parser itself.
            doc = publish.load(path, max_bytes=1024 * 1024 * 1024)
            publish.build(doc, "html", Path(tmp) / "case.html", Options())
            outcome = "model and HTML"
        except PublishError as exc:
            outcome = f"refused: {exc.message[:60]}"
        queue.put((time.perf_counter() - started, outcome, len(source.encode())))


def measure(name: str, n: int) -> tuple[float | None, str, int]:
    """(seconds or None on timeout, outcome, input bytes), in a fresh process."""
    queue: multiprocessing.Queue = multiprocessing.Queue()  # type: ignore[type-arg]
    process = multiprocessing.Process(target=_one, args=(name, n, queue))
    process.start()
    process.join(BOUND * 2)
    if process.is_alive():
        process.kill()
        process.join()
        return None, "timeout", 0
    if queue.empty():
        return None, f"crashed (exit {process.exitcode})", 0
    seconds, outcome, size = queue.get()
    return seconds, outcome, size


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", type=Path, help="also write the table to this Markdown file")
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of cmark's sizes (default 1)")
    args = parser.parse_args()
    rows = [
        f"Machine: {platform.machine()}, {multiprocessing.cpu_count()} CPUs, Python {platform.python_version()}. "
        f"Bound {BOUND:g} s per run; time per byte from n to 2n grows at most {GROWTH:g}× (1× is linear).",
        "",
        "| case | n (cmark's) | bytes at n | time at n | time at 2n | growth per byte | outcome | verdict |",
        "|---|---:|---:|---:|---:|---:|---|---|",
    ]
    failures = 0
    for name, (_, size) in CASES.items():
        n = max(1, int(size * args.scale))
        t1, outcome, nbytes = measure(name, n)
        t2, outcome2, nbytes2 = measure(name, 2 * n)
        if outcome2 != outcome:
            outcome = f"{outcome}; at 2n: {outcome2}"
        ok = t1 is not None and t2 is not None and t1 <= BOUND and t2 <= BOUND
        growth = (t2 / t1) / (nbytes2 / nbytes) if ok and t1 and t2 and t1 > 0.05 else None
        if growth is not None and growth > GROWTH:
            ok = False
        failures += not ok
        fmt = lambda t: "timeout" if t is None else f"{t:.2f} s"  # noqa: E731
        rows.append(
            f"| {name} | {n} | {nbytes} | {fmt(t1)} | {fmt(t2)} | "
            f"{'–' if growth is None else f'{growth:.2f}×'} | {outcome} | {'ok' if ok else 'FAIL'} |"
        )
        print(rows[-1], flush=True)
    table = "\n".join(rows)
    if args.write:
        args.write.write_text("# Pathological inputs\n\n" + table + "\n", encoding="utf-8")
    print(f"{len(CASES) - failures} of {len(CASES)} cases within bounds")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
