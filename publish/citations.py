"""Citations and the bibliography, printed by pandoc's citeproc.

The engine is pandoc's (``--citeproc``, the binary of ``pypandoc-binary``): measured against
citeproc-py on our stack (see the README), it is the one that prints every style exactly,
and the faster. It runs once per document (or book), on every citation in document order
(note styles and "ibid." depend on it): each citation as pandoc's ``Cite``, in a note of its
own where it stands in one of ours, every note of ours in its place (a style counts notes),
then ``::: {#refs}``. What comes back replaces each :class:`publish.model.Cite`:

- a citation: a Span of class ``citation`` (``cites``: its keys) holding the style's text,
  each part linked to its entry (``#ref-KEY``) unless ``link-citations: false``;
- in a note style, a citation in the text becomes a note (its punctuation before the note
  call, as pandoc's ``notes-after-punctuation``);
- the bibliography: a Div ``#refs`` (classes ``references csl-bib-body``) of one Div per
  entry (``#ref-KEY``, class ``csl-entry``) holding its paragraph; in a numeric style the
  paragraph is a Span ``csl-left-margin`` (the label) and a Span ``csl-right-inline``. It
  stands where the document has a Div ``#refs``, else at its end, under a heading when
  ``reference-section-title`` gives one.

Front matter, as pandoc's: ``bibliography`` (files: .bib, .json, .yaml, .ris…),
``references`` (entries in CSL YAML), ``csl`` (a file or a bundled style's name; default
Chicago author-date), ``lang`` (the style's locale), ``link-citations`` (default true),
``link-bibliography``, ``reference-section-title``, ``nocite``, ``suppress-bibliography``.
An unknown key, a missing file, a malformed entry and an unknown style are errors at
``file:line``.
"""

from __future__ import annotations

import dataclasses
import json
import re
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from publish import citehosts as hosts
from publish import citestyles, transforms, walk
from publish import model as m
from publish import pandocast as ast
from publish import text as txt
from publish.errors import Diagnostics, MissingToolError, PublishError

Json = dict[str, Any]
KEYS = (
    "bibliography",
    "references",
    "csl",
    "link-citations",
    "link-bibliography",
    "reference-section-title",
    "nocite",
    "suppress-bibliography",
    "section-bibs-level",
)


@dataclass(frozen=True)
class Settings:
    """The front matter's citation keys, read."""

    files: tuple[Path, ...] = ()
    references: tuple[Any, ...] = ()
    style: Path | None = None
    link_citations: bool = True
    link_bibliography: bool = True
    section_title: str = ""
    nocite: tuple[str, ...] = ()
    suppress: bool = False

    @property
    def any(self) -> bool:
        return bool(self.files or self.references)


def _values(meta: m.Metadata) -> dict[str, Any]:
    return {k: json.loads(v) for k, v in meta.extra if k in KEYS}


def settings(meta: m.Metadata, base: Path, line: Callable[[str], int | None], diagnostics: Diagnostics) -> Settings:
    """The citation settings of ``meta`` (paths relative to ``base``); each problem an error
    at its key's line."""
    data = _values(meta)
    found = Settings()

    def fail(key: str, exc: PublishError) -> None:
        diagnostics.error(exc.message, line(key))

    raw = data.get("bibliography", [])
    files = []
    for name in raw if isinstance(raw, list) else [raw]:
        try:
            files.append(citestyles.bibliography_file(str(name), base))
        except PublishError as exc:
            fail("bibliography", exc)
    refs = data.get("references", [])
    if not isinstance(refs, list) or not all(isinstance(r, dict) and r.get("id") for r in refs):
        diagnostics.error("references: a list of entries, each with an 'id'", line("references"))
        refs = []
    style = None
    if data.get("csl"):
        try:
            style = citestyles.style_file(str(data["csl"]), base)
        except PublishError as exc:
            fail("csl", exc)
    nocite = data.get("nocite", "")
    keys = re.findall(
        r"@(\*|[\w*](?:\w|[:.#$%&\-+?<>~/](?=\w))*)",
        " ".join(map(str, nocite)) if isinstance(nocite, list) else str(nocite),
    )
    return dataclasses.replace(
        found,
        files=tuple(files),
        references=tuple(refs),
        style=style,
        link_citations=data.get("link-citations", True) is not False,
        link_bibliography=data.get("link-bibliography", True) is not False,
        section_title=str(data.get("reference-section-title") or ""),
        nocite=tuple(keys),
        suppress=data.get("suppress-bibliography") is True,
    )


def files(doc: m.Document) -> list[Path]:
    """The files a document's citations are printed from (bibliographies and its style)."""
    data = _values(doc.meta)
    raw = data.get("bibliography", [])
    names = [str(n) for n in (raw if isinstance(raw, list) else [raw])]
    if data.get("csl") and str(data["csl"]).endswith(".csl"):
        names.append(str(data["csl"]))
    return [(doc.base_dir / Path(n).expanduser()).resolve() for n in names]


# ---------------------------------------------------------------- pandoc


def _meta_value(value: Any) -> Json:
    if isinstance(value, bool):
        return {"t": "MetaBool", "c": value}
    if isinstance(value, dict):
        return {"t": "MetaMap", "c": {str(k): _meta_value(v) for k, v in value.items()}}
    if isinstance(value, list):
        return {"t": "MetaList", "c": [_meta_value(v) for v in value]}
    return {"t": "MetaString", "c": "" if value is None else str(value)}


def _input(pandoc_blocks: list[Json], settings: Settings, lang: str) -> Json:
    meta: Json = {
        "lang": _meta_value(lang),
        "link-citations": _meta_value(settings.link_citations),
        "link-bibliography": _meta_value(settings.link_bibliography),
    }
    if settings.files:
        meta["bibliography"] = _meta_value([str(p) for p in settings.files])
    if settings.references:
        meta["references"] = _meta_value(list(settings.references))
    if settings.style is not None:
        meta["csl"] = _meta_value(str(settings.style))
    if settings.nocite:
        nocite = m.Cite(tuple(m.CiteItem(k) for k in settings.nocite))
        meta["nocite"] = {"t": "MetaInlines", "c": [hosts.pandoc_cite(nocite)]}
    refs = {"t": "Div", "c": [["refs", [], []], []]}
    return {"pandoc-api-version": citestyles.api_version(), "meta": meta, "blocks": [*pandoc_blocks, refs]}


def _run(document: Json, settings: Settings) -> tuple[Json, list[str]]:
    """pandoc's citeproc over ``document``: its output, and its warnings."""
    run = subprocess.run(
        [citestyles.pandoc(), "-f", "json", "-t", "json", "--citeproc"],
        input=json.dumps(document),
        capture_output=True,
        text=True,
        timeout=600,
    )
    if run.returncode != 0:
        message = run.stderr.strip() or f"pandoc stopped with code {run.returncode}"
        found = citestyles.read_error(message, list(settings.files))
        if found is not None:
            raise found
        raise PublishError(f"the citations cannot be printed: {' '.join(message.split())}")
    return json.loads(run.stdout), [w for w in run.stderr.splitlines() if w.strip()]


# ---------------------------------------------------------------- back into the model


def _bibliography(refs: Json | None, settings: Settings, lang: str) -> list[m.Block]:
    if refs is None or settings.suppress:
        return []
    entries: list[m.Block] = []
    for entry in refs["c"][1]:
        ident, classes = entry["c"][0][:2]
        if entry["t"] != "Div" or "csl-entry" not in classes:
            continue
        parts = entry["c"][1]
        margin = [p for p in parts if p["t"] == "Div" and "csl-left-margin" in p["c"][0][1]]
        if margin:
            label = ast.blocks_from_pandoc(margin, lang)
            body = ast.blocks_from_pandoc([p for p in parts if p not in margin], lang)
            content: tuple[m.Inline, ...] = (
                m.Span(_inlines(label), m.Attr(classes=("csl-left-margin",))),
                m.Span(_inlines(body), m.Attr(classes=("csl-right-inline",))),
            )
        else:
            content = _inlines(ast.blocks_from_pandoc(parts, lang))
        entries.append(m.Div((m.Paragraph(content),), m.Attr(id=ident, classes=("csl-entry",))))
    if not entries:
        return []
    return [m.Div(tuple(entries), m.Attr(id="refs", classes=("references", "csl-bib-body")))]


def _inlines(blocks: tuple[m.Block, ...]) -> tuple[m.Inline, ...]:
    out: list[m.Inline] = []
    for block in blocks:
        if isinstance(block, m.Paragraph):
            out += [m.Text(" ")] * bool(out) + list(block.content)
    content = txt.merge(out)
    if content and isinstance(content[-1], m.Text):  # pandoc's label "[1] " keeps a space
        content = (*content[:-1], m.Text(content[-1].text.rstrip()))
    return txt.merge(list(content))


# ---------------------------------------------------------------- the pass


def resolve(doc: m.Document, diagnostics: Diagnostics, line: Callable[[str], int | None]) -> m.Document:
    """Every :class:`publish.model.Cite` left by :mod:`publish.crossref` printed, and the
    bibliography placed; ``line``: a front-matter key's line (for errors). Without a
    bibliography a citation stays as written, with a warning. A book whose metadata says
    ``section-bibs-level: 1`` (the name pandoc's section-bibliographies filter gives it) has
    one bibliography per chapter, at the chapter's end, its ids ``ref-CHAPTER-KEY``."""
    per_chapter = _values(doc.meta).get("section-bibs-level")
    if not doc.is_book or per_chapter is None:
        return _resolve(doc, diagnostics, line)
    if per_chapter != 1:
        diagnostics.warn("section-bibs-level: only 1 (a bibliography per chapter) is supported", line(KEYS[-1]))
    starts = [
        n for n, b in enumerate(doc.blocks) if isinstance(b, m.Heading) and b.attr.id in {c.id for c in doc.chapters}
    ]
    blocks: list[m.Block] = list(doc.blocks[: starts[0]] if starts else doc.blocks)
    for chapter, start, end in zip(doc.chapters, starts, [*starts[1:], len(doc.blocks)], strict=False):
        part = dataclasses.replace(doc, blocks=doc.blocks[start:end], chapters=(chapter,))
        blocks += _renamed(_resolve(part, diagnostics, line).blocks, chapter.id)
    return dataclasses.replace(doc, blocks=tuple(blocks))


def _renamed(blocks: tuple[m.Block, ...], chapter: str) -> tuple[m.Block, ...]:
    """A chapter's bibliography and the links to its entries under ids of the chapter."""

    def fn(node: walk.Node) -> walk.Node:
        if isinstance(node, m.Div) and "csl-entry" in node.attr.classes and node.attr.id.startswith("ref-"):
            return dataclasses.replace(
                node, attr=dataclasses.replace(node.attr, id=f"ref-{chapter}-{node.attr.id[4:]}")
            )
        if isinstance(node, m.Div) and node.attr.id == "refs":
            return dataclasses.replace(node, attr=dataclasses.replace(node.attr, id=f"refs-{chapter}"))
        if isinstance(node, m.Link) and node.url.startswith("#ref-"):
            return dataclasses.replace(node, url=f"#ref-{chapter}-{node.url[5:]}")
        return node

    return transforms.rewrite_blocks(blocks, fn)


def _resolve(doc: m.Document, diagnostics: Diagnostics, line: Callable[[str], int | None]) -> m.Document:
    found = hosts.collect(doc.blocks)
    cites = found.cites()
    files = _files_of(doc)
    conf = settings(doc.meta, doc.base_dir, line, diagnostics)
    if not cites and not conf.any:
        return doc
    as_written: dict[int, list[m.Inline]] = {id(c): [m.Text(c.text)] for c in cites}
    if diagnostics.errors:  # a bibliography or a style in error: no warning that there is none
        return _replaced(doc, as_written)
    if not conf.any:
        for cite in cites:
            keys = ", ".join("@" + item.key for item in cite.items)
            diagnostics.warn(
                f"{keys}: no bibliography to cite from (bibliography: or references:): kept as written",
                cite.line or None,
                files.get(id(cite)),
            )
        return _replaced(doc, as_written)
    lang = doc.meta.lang
    held: list[m.Inline] = []
    try:
        output, warnings = _run(_input(hosts.blocks(found, held), conf, lang), conf)
    except (PublishError, MissingToolError) as exc:
        if exc.file is not None and not exc.line:  # a file without a line: at the document's bibliography:
            diagnostics.error(f"{exc.file.name}: {exc.message}", line("bibliography"))
        else:
            diagnostics.error(exc.message, exc.line or line("bibliography") or line("references"), exc.file)
        return _replaced(doc, as_written)
    _report(warnings, cites, files, diagnostics, line)
    cited = {item.key for cite in cites for item in cite.items} | set(conf.nocite)
    for path in conf.files:
        for key, at, first in citestyles.duplicate_keys(path):
            if key in cited or "*" in cited:
                diagnostics.warn(
                    f"the key {key!r} is also at line {first}: the last entry of a key is printed", at, path
                )
    printed = hosts.answer(found, output["blocks"], held, lang)
    refs = next((b for b in output["blocks"] if b["t"] == "Div" and b["c"][0][0] == "refs"), None)
    return _placed(_rehosted(doc, printed), _bibliography(refs, conf, lang), conf.section_title, doc.is_book)


_NOT_FOUND = re.compile(r"citation (\S+) not found")


def _report(
    warnings: list[str],
    cites: list[m.Cite],
    files: dict[int, Path],
    diagnostics: Diagnostics,
    line: Callable[[str], int | None],
) -> None:
    for warning in warnings:
        missing = _NOT_FOUND.search(warning)
        if missing is None:
            diagnostics.warn(f"citeproc: {warning.removeprefix('[WARNING] ')}", line("bibliography"))
            continue
        key = missing.group(1)
        where = [c for c in cites if any(i.key == key for i in c.items)]
        for cite in where or [m.Cite(())]:
            diagnostics.error(
                f"unknown citation @{key}: no entry of the bibliography has this key",
                cite.line or None,
                files.get(id(cite)),
            )


def _files_of(doc: m.Document) -> dict[int, Path]:
    """In a book, each citation's chapter file (for messages)."""
    chapters = {c.id: c.source for c in doc.chapters}
    out: dict[int, Path] = {}
    current: Path | None = None
    for block in doc.blocks:
        if isinstance(block, m.Heading) and block.attr.id in chapters:
            current = chapters[block.attr.id]
        if current is not None:
            for node in walk.walk([block]):
                if isinstance(node, m.Cite):
                    out[id(node)] = current
    return out


def _replaced(doc: m.Document, cites: dict[int, list[m.Inline]]) -> m.Document:
    """Each Cite (by ``id``) replaced."""

    def fn(node: walk.Node) -> walk.Node:
        changes = {
            name: txt.merge([x for v in value for x in cites.get(id(v), [v])])
            for name in hosts.FIELDS
            if isinstance(value := getattr(node, name, None), tuple) and any(isinstance(v, m.Cite) for v in value)
        }
        return dataclasses.replace(node, **changes) if changes else node  # type: ignore[type-var, arg-type]

    return transforms.rewrite(doc, fn)


def _rehosted(doc: m.Document, printed: dict[int, hosts.Host]) -> m.Document:
    """Each host (by ``id``) replaced by the one pandoc printed."""

    def fn(node: walk.Node) -> walk.Node:
        changes = {
            name: printed[id(value)]
            for name in hosts.FIELDS
            if isinstance(value := getattr(node, name, None), tuple) and id(value) in printed
        }
        if (
            isinstance(node, m.Figure)
            and "caption" in changes
            and node.image.alt == txt.squash(txt.plain(node.caption))
        ):
            alt = txt.squash(txt.plain(changes["caption"]))  # alt text the caption gave: the caption as printed
            return dataclasses.replace(node, caption=changes["caption"], image=dataclasses.replace(node.image, alt=alt))
        return dataclasses.replace(node, **changes) if changes else node  # type: ignore[type-var, arg-type]

    return transforms.rewrite(doc, fn)


def _placed(doc: m.Document, bibliography: list[m.Block], title: str, book: bool) -> m.Document:
    """The bibliography in the Div ``#refs`` the document has, else at its end (under
    ``title``, a heading of the document's top level; of level 2 in a book)."""
    if not bibliography:
        return doc
    refs = bibliography[0]
    assert isinstance(refs, m.Div)
    placed = [False]

    def fn(node: walk.Node) -> walk.Node:
        if isinstance(node, m.Div) and node.attr.id == "refs" and not placed[0]:
            placed[0] = True
            classes = (*node.attr.classes, *(c for c in refs.attr.classes if c not in node.attr.classes))
            return m.Div((*node.blocks, *refs.blocks), dataclasses.replace(node.attr, classes=classes), node.title)
        return node

    doc = transforms.rewrite(doc, fn)
    if placed[0]:
        return doc
    heading: list[m.Block] = []
    if title:
        levels = [h.level for h in walk.headings(doc.blocks)]
        level = 2 if book else min(levels, default=1)
        heading = [m.Heading(level, (m.Text(title),), m.Attr(classes=("unnumbered",)))]
    return dataclasses.replace(doc, blocks=(*doc.blocks, *heading, refs))


def pandoc_metadata(doc: m.Document) -> dict[str, Any] | None:
    """The front matter pandoc's own ``--citeproc`` is to be given for ``doc`` (files and
    the style as absolute paths; a book's bibliography left out: its chapters are read
    one by one), or None when it cites nothing."""
    data = _values(doc.meta)
    if not (data.get("bibliography") or data.get("references")):
        return None
    base = doc.base_dir
    raw = data.get("bibliography", [])
    data["bibliography"] = [
        str((base / Path(str(n)).expanduser()).resolve()) for n in (raw if isinstance(raw, list) else [raw])
    ]
    data["csl"] = str(citestyles.style_file(str(data["csl"]), base)) if data.get("csl") else None
    data = {k: v for k, v in data.items() if v is not None}
    data.setdefault("link-citations", True)
    data["lang"] = doc.meta.lang
    if doc.is_book:
        data["suppress-bibliography"] = True
    return data
