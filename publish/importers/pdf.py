"""A PDF becomes a source: ``read(path) -> Imported``.

Two roads. A tagged PDF (``/MarkInfo /Marked`` and a ``/StructTreeRoot``: ours, any PDF/UA
file) is read through its structure tree (:mod:`publish.importers.pdftagged`), which makes
the import exact: the same outline as the source it was made from. An untagged PDF is read
from its layout (:mod:`publish.importers.pdfplain`): text in reading order, furniture taken
away, paragraphs joined, headings and the title block guessed from the type, each guess a
remark. Both end in the same blocks, which :mod:`publish.importers.pdfmd` writes.

pdfplumber (MIT, on pdfminer.six) reads the glyphs; pikepdf opens the file first, so that a
damaged or encrypted PDF is a :class:`~publish.errors.PublishError` naming it.
"""

from __future__ import annotations

import io
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

from publish import langs
from publish.errors import PublishError
from publish.importers import Imported, Remark
from publish.importers.pdfchars import SOFT_HYPHENS, draws_spaces
from publish.importers.pdfmd import Block, Run, markdown

#: What the import of a tagged PDF may differ in from the source's outline, declared here
#: only: characters a PDF does not draw (the zero-width non-joiner of Persian, bidi
#: controls) are in no text layer, as publish.outline.ALLOWANCES["pdf"] says of the
#: read-back; :func:`undrawn` takes them out of an outline's texts.
TAGGED_ALLOWANCES: dict[str, str] = {
    "undrawn": "The zero-width non-joiner (U+200C) and the bidi controls are not drawn: not imported.",
}
_UNDRAWN = dict.fromkeys(map(ord, "\u200c\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))


def undrawn(outline: tuple[Any, ...]) -> tuple[Any, ...]:
    """An outline with the characters a PDF does not draw taken out of its texts."""
    from publish import outline as ol

    return tuple(ol.Item(i.kind, i.text.translate(_UNDRAWN), i.level, undrawn(i.children)) for i in outline)


def _open_check(path: Path) -> bool:
    """Whether the PDF is tagged; a damaged or encrypted file is an error naming it."""
    import pikepdf

    try:
        with pikepdf.open(path) as pdf:
            if pdf.is_encrypted:
                raise PublishError(f"{path}: the PDF is encrypted; import a copy without its password")
            info: Any = pdf.Root.get("/MarkInfo")
            marked = info.get("/Marked", False) if info is not None else False
            return bool(marked) and "/StructTreeRoot" in pdf.Root
    except pikepdf.PasswordError as error:
        raise PublishError(f"{path}: the PDF is encrypted; import a copy without its password") from error
    except pikepdf.PdfError as error:
        raise PublishError(f"{path}: not a readable PDF ({error})") from error


def read(path: Path) -> Imported:
    import pdfplumber

    tagged = _open_check(path)
    try:
        pdf = pdfplumber.open(path)
    except Exception as error:  # pdfminer raises many kinds on a damaged file
        raise PublishError(f"{path}: not a readable PDF ({error})") from error
    with pdf:
        if not pdf.pages:
            raise PublishError(f"{path}: the PDF has no pages")
        remarks: list[Remark] = []
        if tagged:
            try:
                return _tagged(path, pdf, remarks)
            except Exception as error:  # a structure tree we cannot follow: the layout instead
                remarks.append(
                    Remark(
                        f"{path.name}:page 1",
                        f"the structure tree could not be read ({error}); the layout was read instead",
                        "warning",
                    )
                )
        from publish.importers import pdfplain

        try:
            return pdfplain.read(path, pdf, remarks)
        except Exception as error:  # a layout we cannot follow: every page's text, plainly
            return _text_only(path, pdf, remarks, error)


def _text_only(path: Path, pdf: Any, remarks: list[Remark], error: Exception) -> Imported:
    """The last road: each page's text in paragraphs (apart at blank lines), with a warning."""
    remarks.append(
        Remark(f"{path.name}:page 1", f"the layout could not be read ({error}); the text alone was kept", "warning")
    )
    blocks: list[Block] = []
    for number, page in enumerate(pdf.pages, 1):
        try:
            text = page.extract_text() or ""
        except Exception as page_error:
            remarks.append(Remark(f"{path.name}:page {number}", f"no text could be read ({page_error})", "warning"))
            continue
        for part in re.split(r"\n\s*\n", text):
            if part.strip():
                blocks.append(Block("para", [Run(" ".join(part.split()))]))
    return Imported({"title": path.stem}, markdown(blocks), {}, remarks)


def _tagged(path: Path, pdf: Any, remarks: list[Remark]) -> Imported:
    from publish.importers import pdfids, pdfnotes, pdfstruct, pdftagged
    from publish.readback import pdf as pdfback

    info = pdfback.metadata(path)
    pages = _pages(pdf, langs.is_rtl(info.get("language") or ""))
    pages.bbox_in_css_px = "WeasyPrint" in str((pdf.metadata or {}).get("Producer", ""))
    tree = pdfstruct.read(path)
    walker = pdftagged.Walker(pages, info.get("title", ""), lambda page, image: image_bytes(pdf, page, image))
    roots = list(tree)
    pdfnotes.read_notes(walker, roots)
    walker.found.title_block = _title_block(walker, roots, info.get("title", ""))
    body = with_rules(joined(walker.blocks(roots)), pdf)
    maker = pdf.metadata or {}
    meta = _meta(info, walker, ours="publish" in f"{maker.get('Creator', '')} {maker.get('Producer', '')}")
    if walker.found.toc:
        meta["toc"] = True
    unclaimed = walker.found.notes.keys() - walker.called
    for number in sorted(unclaimed):
        remarks.append(
            Remark(
                f"{path.name}:page 1", f"note {number} is called nowhere in the text: it stands at the end", "unsure"
            )
        )
    pdfids.assign(body, pdfids.destinations(path), pdfids.targets_of(pages.links))
    body = pdfids.bibliographies(body)
    return Imported(meta, markdown(body, walker.found.notes), walker.found.images, remarks)


def _pages(pdf: Any, rtl: bool) -> Any:
    from publish.importers.pdfchars import links_of, logical
    from publish.importers.pdftagged import Pages

    chars: dict[tuple[int, int], list[dict[str, Any]]] = {}
    images: dict[tuple[int, int], dict[str, Any]] = {}
    links = []
    for page in pdf.pages:
        number = page.page_number
        for char in page.chars:
            if char.get("mcid") is not None:
                chars.setdefault((number, char["mcid"]), []).append(char)
        for image in page.images:
            if image.get("mcid") is not None:
                images[(number, image["mcid"])] = image
        links += links_of(page)
    rights: dict[int, float] = {}
    for (number, _), found in chars.items():
        rights[number] = max([rights.get(number, 0.0)] + [float(c["x1"]) for c in found])
    for key, found in chars.items():  # each piece as drawn: in visual order
        chars[key] = logical(found, rtl)
    words = {w.lower() for page in pdf.pages for text in inner_words(page) for w in re.findall(r"[^\W\d_]+", text)}
    heights = {page.page_number: float(page.height) for page in pdf.pages}
    gaps = not draws_spaces([c for found in chars.values() for c in found])
    frames = {
        page.page_number: [
            (float(r["x0"]), float(r["top"]), float(r["x1"]), float(r["bottom"]))
            for r in page.rects
            if r.get("fill") and r["x1"] - r["x0"] > 40 and r["bottom"] - r["top"] > 6
        ]
        for page in pdf.pages
    }
    return Pages(chars, images, links, heights, vocabulary=words, rights=rights, gaps=gaps, frames=frames)


def inner_words(page: Any) -> list[str]:
    """The words of a page that neither open nor end a line (a word broken at a line end is
    two pieces there, neither a word)."""
    lines: dict[int, list[dict[str, Any]]] = {}
    for word in page.extract_words():
        lines.setdefault(round(float(word["top"]) / 3), []).append(word)
    return [w["text"] for line in lines.values() for w in sorted(line, key=lambda w: w["x0"])[1:-1]]


def image_bytes(pdf: Any, page_number: int, image: dict[str, Any]) -> bytes | None:
    """An image of a page as PNG (or its JPEG as it is stored), or None when it cannot be had."""
    try:
        import pikepdf
        from pikepdf import PdfImage

        stream = image.get("stream")
        raw = stream.get_rawdata() if stream is not None else None
        filters = str(stream.attrs.get("Filter", "")) if stream is not None else ""
        if raw and "DCTDecode" in filters:
            return bytes(raw)
        with pikepdf.open(pdf.stream if hasattr(pdf, "stream") else pdf.path) as doc:
            page = doc.pages[page_number - 1]
            name = image.get("name")
            for key, xobject in page.images.items():
                if str(key).lstrip("/") == str(name):
                    pil = PdfImage(xobject).as_pil_image()  # type: ignore[arg-type]
                    out = io.BytesIO()
                    pil.save(out, format="PNG")
                    return out.getvalue()
    except Exception:
        pass
    return _render(pdf, page_number, image)


def _render(pdf: Any, page_number: int, image: dict[str, Any]) -> bytes | None:
    """The region of an image drawn from the page (an image pikepdf cannot decode)."""
    try:
        page = pdf.pages[page_number - 1]
        box = (
            max(0, image["x0"]),
            max(0, image["top"]),
            min(page.width, image["x1"]),
            min(page.height, image["bottom"]),
        )
        picture = page.crop(box).to_image(resolution=150).original
        out = io.BytesIO()
        picture.save(out, format="PNG")
        return out.getvalue()
    except Exception:
        return None


def _title_block(walker: Any, roots: list[Any], title: str) -> Any:
    """The element that holds the title heading (the first ``H1``/``Title`` whose text is the
    document's title): the title block."""
    from publish import text as txt

    seen: list[Any] = []  # the paragraphs met so far: a title set as one is among the first

    def visit(el: Any, parent: Any) -> Any:
        if el.type == "P" and len(seen) < 3:
            seen.append(el)
            text = txt.squash("".join(c["text"] for leaf, _, _ in walker.leaves(el) for c in leaf))
            if title and text.replace(" ", "") == txt.squash(title).replace(" ", ""):
                _title_lines(walker, parent, el)
                return el
            return None
        if el.type in ("H1", "Title", "H"):
            text = txt.squash("".join(c["text"] for leaf, _, _ in walker.leaves(el) for c in leaf))
            if title and text.replace(" ", "") == txt.squash(title).replace(" ", ""):
                return parent if parent is not None and parent.type not in ("Document", "Part", "Art", "Sect") else el
            return False
        for child in el.children:
            found = visit(child, el)
            if found is not None:
                return found
        return None

    for root in roots:
        found = visit(root, None)
        if found is not None:
            return found or None
    return None


def _title_lines(walker: Any, parent: Any, title: Any) -> None:
    """The lines under a title set as a paragraph (a Word file's Title style, as LibreOffice
    tags it): a byline, a date line; left out of the body, the date kept."""
    from publish.importers import pdftitle

    siblings = list(parent.children) if parent is not None else []
    after = siblings[siblings.index(title) + 1 : siblings.index(title) + 4] if title in siblings else []
    for el in after:
        text = " ".join("".join(c["text"] for leaf, _, _ in walker.leaves(el) for c in leaf).split())
        if el.type != "P" or len(text) > 80:
            break
        if date := pdftitle.date_of(text):
            walker.found.date = date
        elif pdftitle.names_only(text) or pdftitle._BY.match(text):
            walker.found.authors += pdftitle.authors_of(text)
        else:
            break
        walker.notes_read.add(id(el))


def _meta(info: dict[str, Any], walker: Any, ours: bool = True) -> dict[str, Any]:
    meta: dict[str, Any] = {"title": info.get("title") or "Untitled"}
    if info.get("subtitle"):
        meta["subtitle"] = info["subtitle"]
    if info.get("authors") or walker.found.authors:
        meta["authors"] = list(info.get("authors") or walker.found.authors)
    if walker.found.date or (ours and info.get("date")):  # another maker's is the day it was made
        meta["date"] = walker.found.date or info["date"]
    if info.get("language"):
        meta["lang"] = info["language"]
    publishers = _publishers(walker) or [{"name": p} for p in info.get("publishers", [])]
    if publishers:
        meta["publishers"] = publishers
    for key in ("description", "identifier"):
        if info.get(key):
            meta[key] = info[key]
    if info.get("keywords"):
        meta["keywords"] = list(info["keywords"])
    return meta


def _publishers(walker: Any) -> list[dict[str, Any]]:
    """The publishers as the title block shows them: one paragraph before the title each,
    its names in their languages (spans with a ``/Lang``)."""
    block = walker.found.title_block
    if block is None:
        return []
    out: list[dict[str, Any]] = []
    for el in _flat_ps(block):
        if el.type.startswith("H") or el.type == "Title":
            break
        names: list[dict[str, str]] = []
        for child in el.children:
            text = " ".join("".join(c["text"] for leaf, _, _ in walker.leaves(child) for c in leaf).split())
            if text and names and names[-1].get("lang") == child.lang:  # a name over two lines
                names[-1]["text"] += " " + text
            elif text:
                names.append({"text": text, "lang": child.lang} if child.lang else {"text": text})
        if len(names) == 1 and "lang" not in names[0]:
            out.append({"name": names[0]["text"]})
        elif names:
            out.append({"names": names})
    return out


def _flat_ps(el: Any) -> list[Any]:
    found: list[Any] = []
    for child in el.children:
        if child.type == "P" or re.match(r"^H[1-6]?$", child.type) or child.type == "Title":
            found.append(child)
        elif child.type in ("Div", "NonStruct", "Sect"):
            found += _flat_ps(child)
    return found


#: How a paragraph ends where it ends (a split paragraph's first part ends otherwise).
_ENDS = re.compile(r"[.!?:;…。！？：；)\]”’»\"'」』）]\s*$")


_SIZE = 10.0  # a body size, for the slack of word spacing


def joined(blocks: list[Block]) -> list[Block]:
    """Paragraphs split by a page break made one again: a paragraph whose last line, the last
    of its page, had no room for the first word of the paragraph that opens the next page,
    and does not end as a paragraph does (or is followed by a small letter), with that one."""
    out: list[Block] = []
    for block in blocks:
        last = out[-1] if out else None
        if (
            last is not None
            and last.kind == block.kind == "para"
            and last.pos is not None
            and block.pos is not None
            and block.pos[0] == last.pos[0] + 1
            and last.runs
            and block.runs
        ):
            tail = "".join(r.text for r in last.runs)
            head = "".join(r.text for r in block.runs).lstrip()
            display = any(r.display for r in block.runs[:1])
            cut = last.room < block.lead + 0.5 * _SIZE  # the next word did not fit (word spacing aside)
            if cut and not display and (not _ENDS.search(tail) or head[:1].islower()):
                space = [] if tail.endswith(" ") else [Run(" ")]
                if tail.endswith(SOFT_HYPHENS):  # a word hyphenated across the page break
                    space, last.runs[-1] = [], replace(last.runs[-1], text=last.runs[-1].text[:-1])
                last.runs = last.runs + space + block.runs
                last.pos = (last.pos[0], last.pos[1], 1e9)
                continue
        out.append(block)
    return out


def with_rules(blocks: list[Block], pdf: Any) -> list[Block]:
    """The blocks with a thematic break where one is drawn between two of them."""
    from publish.importers.pdfchars import rules

    out = list(blocks)
    for page, y in sorted(rules(pdf), reverse=True):
        placed = [(i, b.pos) for i, b in enumerate(out) if b.pos is not None]
        if any(p[0] == page and p[1] - 1 <= y <= p[2] + 1 for _, p in placed):
            continue  # inside a block (a table's rule, a figure's frame)
        after = [i for i, p in placed if (p[0], p[1]) > (page, y)]
        before = [i for i, p in placed if (p[0], p[1]) < (page, y)]
        if after and before:
            out.insert(after[0], Block("rule", pos=(page, y, y)))
    return out
