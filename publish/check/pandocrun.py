"""pandoc run as the ``source (pandoc)`` check's reader: the binary, its reading of a
source (with its own ``--citeproc`` when the document cites), and what of a book stays out
of the comparison (DIALECT "citations" of :mod:`publish.check.pandoc`)."""

from __future__ import annotations

import json
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from publish import model as m
from publish import text as txt
from publish.citestyles import pandoc as pandoc


def read(exe: str, body: str, citeproc: dict[str, Any] | None = None) -> dict[str, Any]:
    """pandoc's reading of ``body``; with ``citeproc`` (front matter: DIALECT "citations")
    its citations printed and its bibliography placed by its own citeproc."""
    with tempfile.TemporaryDirectory(prefix="publish-") as folder:
        args: list[str] = []
        if citeproc is not None:
            meta = Path(folder) / "citeproc.yaml"
            meta.write_text(json.dumps(citeproc), encoding="utf-8")
            args = ["--citeproc", f"--metadata-file={meta}"]
        run = subprocess.run(
            [exe, "-f", "markdown", "-t", "json", *args],
            input=body,
            capture_output=True,
            text=True,
            check=True,
            timeout=600,
        )
    data: dict[str, Any] = json.loads(run.stdout)
    return data


def without_refs(blocks: tuple[m.Block, ...], title: str) -> tuple[m.Block, ...]:
    """A book's blocks without its bibliographies (and the headings ``title`` over them)."""
    out: list[m.Block] = []
    for block in blocks:
        if isinstance(block, m.Div) and "csl-bib-body" in block.attr.classes:
            if out and isinstance(out[-1], m.Heading) and txt.plain(out[-1].content) == title:
                out.pop()
            continue
        out.append(block)
    return tuple(out)
