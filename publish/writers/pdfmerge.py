"""The PDFs of a document's parts merged into one (:mod:`publish.writers.pdfparts`).

The front's PDF, which carries the document's metadata (XMP, information dictionary,
language, viewer preferences), receives every other part's pages, and with them:

- the structure tree: each part's ``Document`` element's children become children of the
  front's, and the parent tree is renumbered (a part's pages' ``/StructParents`` and its
  annotations' ``/StructParent`` keys move past the keys already taken), so the merged file has
  one PDF/UA tag tree, as WeasyPrint would have written for the whole document;
- the named destinations (every ``id`` of the page), in one name tree;
- the bookmarks, nested again across the parts from their heading levels (a chapter's ``h2``
  under the front's ``h1``, as in a document laid out whole);
- the links between parts (``publish-part:ID``), made links to the named destination ``ID``;
- the stamp: the running heads and page numbers, laid out for the whole document on pages of
  their own, drawn over each page as an artifact (a form XObject inside ``/Artifact BMC``).
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pikepdf

from publish.writers import pdfparts


@dataclass(frozen=True)
class Laid:
    """A part laid out: its PDF, its page count, the page (0-based, in the part) of each of its
    anchors, and its bookmarks' levels in the order WeasyPrint wrote them."""

    pdf: bytes
    pages: int
    anchors: dict[str, int]
    levels: tuple[int, ...]


class MergeError(Exception):
    """A part's PDF is not as WeasyPrint writes them (the document is then laid out whole)."""


@dataclass
class _Mark:
    title: str
    dest: Any
    closed: bool
    level: int
    children: list[_Mark] = field(default_factory=list)


def _copy(base: pikepdf.Pdf, source: pikepdf.Pdf, obj: Any) -> Any:
    """``obj`` of ``source`` copied into ``base`` (its pages mapped to their copies)."""
    if source is base:
        return obj
    return base.copy_foreign(obj if obj.is_indirect else source.make_indirect(obj))


def _walk(item: Any) -> Iterator[Any]:
    child = item.get("/First")
    while child is not None:
        yield child
        yield from _walk(child)
        child = child.get("/Next")


def _marks(pdf: pikepdf.Pdf, base: pikepdf.Pdf, levels: Sequence[int]) -> list[_Mark]:
    """The bookmarks of ``pdf`` in document order, their destinations copied into ``base``."""
    outlines = pdf.Root.get("/Outlines")
    items = list(_walk(outlines)) if outlines is not None else []
    if len(items) != len(levels):
        raise MergeError(f"{len(items)} bookmarks for {len(levels)} headings")
    marks = []
    for item, level in zip(items, levels, strict=True):
        dest = item.get("/Dest")
        if dest is None:
            raise MergeError("a bookmark without a destination")
        count = int(item.get("/Count", 0))
        marks.append(_Mark(str(item.Title), _copy(base, pdf, dest), count < 0, level))
    return marks


def _nest(marks: list[_Mark]) -> list[_Mark]:
    root: list[_Mark] = []
    stack: list[tuple[int, list[_Mark]]] = [(0, root)]
    for mark in marks:
        while stack[-1][0] >= mark.level and len(stack) > 1:
            stack.pop()
        stack[-1][1].append(mark)
        stack.append((mark.level, mark.children))
    return root


def _visible(marks: list[_Mark]) -> int:
    return sum(1 + (0 if m.closed else _visible(m.children)) for m in marks)


def _write_outline(base: pikepdf.Pdf, marks: list[_Mark]) -> None:
    if not marks:
        if "/Outlines" in base.Root:
            del base.Root.Outlines
        return
    top = base.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Outlines))

    def write(parent: Any, children: list[_Mark]) -> None:
        made = []
        for mark in children:
            item = base.make_indirect(
                pikepdf.Dictionary(Title=pikepdf.String(mark.title), Parent=parent, Dest=mark.dest)
            )
            made.append(item)
            if mark.children:
                write(item, mark.children)
                inner = _visible(mark.children)
                item.Count = -len(mark.children) if mark.closed else inner
        for before, after in itertools.pairwise(made):
            before.Next, after.Prev = after, before
        parent.First, parent.Last = made[0], made[-1]

    write(top, marks)
    top.Count = _visible(marks)
    base.Root.Outlines = top


def _dests(pdf: pikepdf.Pdf) -> Iterator[tuple[str, Any]]:
    names = pdf.Root.get("/Names")
    if names is None or "/Dests" not in names:
        return
    yield from pikepdf.NameTree(names.Dests).items()


def _pairs(tree: Any) -> list[tuple[int, Any]]:
    if "/Kids" in tree:
        raise MergeError("a parent tree with kids")
    nums = list(tree.get("/Nums", []))
    return [(int(nums[i]), nums[i + 1]) for i in range(0, len(nums), 2)]


def _document_element(pdf: pikepdf.Pdf) -> Any:
    tree = pdf.Root.get("/StructTreeRoot")
    if tree is None:
        raise MergeError("an untagged part")
    top = tree.K
    elements = list(top) if isinstance(top, pikepdf.Array) else [top]
    if len(elements) != 1 or elements[0].get("/S") != "/Document":
        raise MergeError("a structure tree without one Document element")
    return elements[0]


def _relink(base: pikepdf.Pdf) -> None:
    """Every ``publish-part:`` link made a link to its named destination."""
    for page in base.pages:
        for annot in page.obj.get("/Annots", []):
            action = annot.get("/A")
            if action is None or action.get("/S") != "/URI":
                continue
            target = pdfparts.part_link(str(action.URI))
            if target is None:
                continue
            del annot.A
            annot.Dest = pikepdf.String(target)
            if "/Contents" in annot:
                annot.Contents = pikepdf.String(target)


def _stamp(base: pikepdf.Pdf, stamps: Sequence[bytes]) -> None:
    pages = iter(base.pages)
    for data in stamps:
        stamp = pikepdf.open(io.BytesIO(data))
        for source in stamp.pages:
            page = next(pages, None)
            if page is None:
                raise MergeError("more stamped pages than pages")
            form = base.copy_foreign(source.as_form_xobject())
            name = page.add_resource(form, pikepdf.Name.XObject, prefix="Stamp")
            page.contents_add(pikepdf.Stream(base, b"q\n"), prepend=True)
            page.contents_add(pikepdf.Stream(base, b"\nQ\n/Artifact BMC\nq\n" + str(name).encode() + b" Do\nQ\nEMC\n"))
    if next(pages, None) is not None:
        raise MergeError("fewer stamped pages than pages")


def _retime(base: pikepdf.Pdf, laid: dt.datetime, now: dt.datetime) -> None:
    """The modification time ``laid`` replaced with ``now`` in the information dictionary and
    the XMP (where WeasyPrint writes it as ``xmp:ModifyDate`` and ``xmp:MetadataDate``)."""
    w3c = "%Y-%m-%dT%H:%M:%SZ"
    old, new = laid.strftime(w3c), now.strftime(w3c)
    if "/ModDate" in base.docinfo:
        base.docinfo.ModDate = pikepdf.String(
            str(base.docinfo.ModDate).replace(laid.strftime("%Y%m%d%H%M%S"), now.strftime("%Y%m%d%H%M%S"))
        )
    if "/Metadata" in base.Root:
        base.Root.Metadata.write(base.Root.Metadata.read_bytes().replace(old.encode(), new.encode()))


def merge(
    front: Laid,
    parts: Sequence[Laid],
    stamps: Sequence[bytes],
    dest: Path,
    *,
    rtl: bool = False,
    times: tuple[dt.datetime, dt.datetime] | None = None,
) -> None:
    """Write the merged PDF of ``front`` and ``parts`` (in reading order) to ``dest``.

    ``rtl``: ask viewers for right-to-left reading order (as
    :func:`publish.writers.pdfrtl.viewer_direction`); ``times``: the modification time the front
    was laid out with, and the one to write instead."""
    base = pikepdf.open(io.BytesIO(front.pdf))
    document = _document_element(base)
    tree = base.Root.StructTreeRoot
    nums = _pairs(tree.ParentTree)
    next_key = max((key for key, _ in nums), default=-1) + 1
    marks = _marks(base, base, front.levels)
    dests = dict(_dests(base))
    for part in parts:
        source = pikepdf.open(io.BytesIO(part.pdf))
        first = len(base.pages)
        with warnings.catch_warnings():
            # pikepdf warns that pages.extend() leaves the named destinations behind: this
            # module carries them itself (below), which tests/test_pdfparts.py proves by
            # following every link of a merged file, with warnings as errors.
            warnings.simplefilter("ignore", pikepdf.PageCopyWarning)
            base.pages.extend(source.pages)
        offset = next_key
        for page in base.pages[first:]:
            if "/StructParents" in page.obj:
                page.obj.StructParents = int(page.obj.StructParents) + offset
            for annot in page.obj.get("/Annots", []):
                if "/StructParent" in annot:
                    annot.StructParent = int(annot.StructParent) + offset
        theirs = _pairs(_copy(base, source, source.Root.StructTreeRoot.ParentTree))
        nums.extend((key + offset, value) for key, value in theirs)
        next_key = offset + max((key for key, _ in theirs), default=-1) + 1
        for kid in _copy(base, source, _document_element(source)).K:
            kid.P = document
            document.K.append(kid)
        marks.extend(_marks(source, base, part.levels))
        for name, target in _dests(source):
            dests[name] = _copy(base, source, target)
    tree.ParentTree = base.make_indirect(pikepdf.Dictionary(Nums=pikepdf.Array([x for pair in nums for x in pair])))
    tree.ParentTreeNextKey = next_key
    names = sorted(dests, key=lambda n: bytes(pikepdf.String(n)))
    if names:
        if "/Names" not in base.Root:
            base.Root.Names = pikepdf.Dictionary()
        flat = pikepdf.Array([x for n in names for x in (pikepdf.String(n), dests[n])])
        base.Root.Names.Dests = base.make_indirect(pikepdf.Dictionary(Names=flat))
    _write_outline(base, _nest(marks))
    _relink(base)
    _stamp(base, stamps)
    if times is not None:
        _retime(base, *times)
    if rtl:
        preferences = base.Root.get("/ViewerPreferences") or pikepdf.Dictionary()
        preferences.Direction = pikepdf.Name.R2L
        base.Root.ViewerPreferences = preferences
    base.save(dest, deterministic_id=True)
