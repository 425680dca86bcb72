"""The road of an untagged PDF: blocks guessed from the layout.

Each page's text lines (pdfplumber), less the furniture — a line repeated at the same place
on several pages (running heads and feet, numbers counted as one), a bare number at the top or
foot of a page — and less the tables its ruling lines draw (pdfplumber's table finder: a
table block). Page 1's largest text is the title, and the title block around it goes into
front matter (:mod:`publish.importers.pdftitle`); a table of contents (lines ending in
leaders and a page number) is left out. The footnotes are the small lines at a page's foot
that open with a number; the raised number in the text that matches is the call. The rest
is read in order: a line larger than the body, or a bold line standing alone, is a heading
(its level the rank of its size), a line opening with a bullet or a number an item of a
list, monospace lines code, an image a figure (with the small or italic line under it as
its caption); the other lines are joined into paragraphs, apart where the space between
lines grows or a short line ends a sentence, and across page breaks. A hyphen at a line end
goes where the word stands whole elsewhere in the document. Each guess is a remark.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

from publish.importers import Imported, Remark, media_ref
from publish.importers import pdftitle as title_block
from publish.importers.pdfchars import body_size, code_text, is_mono, links_of, mark_shifts, marks_of, runs_of
from publish.importers.pdfmd import Block, Cell, Run, markdown, tidy

Line = dict[str, Any]

#: What an untagged PDF's import may differ in from the source's outline, declared here only
#: (the tests apply :func:`loosen` and the word comparison, nothing else).
ALLOWANCES: dict[str, str] = {
    "levels": (
        "A heading's level is the rank of its size among the headings' sizes (the largest is 1): "
        "an untagged PDF does not say that its first level is ##. loosen() compares headings "
        "by their order of levels, not the levels themselves."
    ),
    "words": (
        "A superscript or subscript is set apart from its word in the layout (H2O reads H 2 O), "
        "so words are compared with letters and digits apart; an image's caption made from a line "
        "under it may add words; nothing of the source's text may be missing."
    ),
    "blocks": (
        "What the layout does not show is not read: a table without ruling lines is its rows as "
        "paragraphs, a block quote is paragraphs, a nested list is flat, a definition list is "
        "paragraphs. The outline is compared (loosen) only where the layout shows it all: headings, "
        "paragraphs, lists of one level."
    ),
}


def loosen(outline: tuple[Any, ...]) -> tuple[Any, ...]:
    """An outline with each heading's level replaced by its rank among the levels used."""
    from publish import outline as ol

    levels = sorted({item.level for item in outline if item.kind == "heading"})
    return tuple(
        ol.Item(item.kind, item.text, levels.index(item.level) + 1, item.children) if item.kind == "heading" else item
        for item in outline
    )


_BULLET = re.compile(r"^\s*([•◦▪‣●○■□\-–*·])\s+")
_NUMBER = re.compile(r"^\s*(\(?([0-9]{1,3}|[a-z]|[ivx]{1,5})[.)])\s+")
_LEADERS = re.compile(r"(\.\s*){4,}\s*\d+\s*$|\s\d+$")
_NOTE = re.compile(r"^\s*(\d{1,3})[.)]?\s+")
_ENDS = re.compile(r"[.!?:;…。！？：；)\]”’»\"'」』）]\s*$")


def read(path: Path, pdf: Any, remarks: list[Remark]) -> Imported:
    info = _info(path)
    lang = info.get("language") or "en"
    pages = [_page(page) for page in pdf.pages]
    _furniture(pages, pdf)
    meta = {"title": info.get("title") or ""}
    meta.update(_title(pages, lang, path, remarks, float(pdf.pages[0].width)))
    meta["title"] = meta.get("title") or info.get("title") or path.stem
    if lang:
        meta["lang"] = lang
    for page in pages[1:]:  # the running head: the title, at the top of a page
        page["lines"] = [
            x for x in page["lines"] if not (x["top"] < 0.09 * page["height"] and x["text"].strip() == meta["title"])
        ]
    if _toc(pages):
        meta["toc"] = True
    lines = [line for page in pages for line in page["lines"]]
    size = body_size([c for line in lines for c in line.get("chars", [])])
    notes = _notes(pages, size)
    vocabulary = {w.lower() for line in lines for w in re.findall(r"[^\W\d_]+", line["text"])}
    links = [link for page in pdf.pages for link in links_of(page)]
    reader = _Reader(size, vocabulary, links, remarks, path.name, notes)
    body = reader.blocks(pages)
    images: dict[str, bytes] = {}
    from publish.importers.pdf import image_bytes, joined

    for block in body:
        if block.kind == "figure" and block.src.startswith("\0"):
            page_number, index = (int(x) for x in block.src[1:].split(":"))
            data = image_bytes(pdf, page_number, pdf.pages[page_number - 1].images[index])
            name = f"image-{len(images) + 1}.png"
            if data:
                images[name] = data
                block.src = media_ref(name)
            else:
                remarks.append(Remark(f"{path.name}:page {page_number}", "an image could not be extracted", "warning"))
                block.kind, block.runs = "para", block.runs or [Run(block.alt or "")]
    body = joined(body)
    return Imported(meta, markdown(body, {n: [Block("para", r)] for n, r in notes.items()}), images, remarks)


def _info(path: Path) -> dict[str, Any]:
    try:
        from publish.readback import pdf as pdfback

        return pdfback.metadata(path)
    except Exception:
        return {}


def _page(page: Any) -> dict[str, Any]:
    tables = [t for t in page.find_tables() if len(t.rows) >= 2 and len(t.rows[0].cells) >= 2]
    boxes = [t.bbox for t in tables]

    def outside(obj: Any) -> bool:
        if obj.get("object_type") != "char":
            return True
        cx, cy = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
        return not any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in boxes)

    flow = page.filter(outside) if boxes else page
    lines = [line for line in flow.extract_text_lines(return_chars=True, strip=True) if line["text"].strip()]
    for line in lines:
        line["page"] = page.page_number
        mark_shifts(line.get("chars", []))
    items: list[Line] = list(lines)
    for table in tables:
        items.append({"table": table, "top": table.bbox[1], "page": page.page_number, "x0": table.bbox[0], "text": ""})
    for index, image in enumerate(page.images):
        if image["x1"] - image["x0"] > 16 and image["bottom"] - image["top"] > 16:
            items.append(
                {
                    "image": index,
                    "top": image["top"],
                    "bottom": image["bottom"],
                    "page": page.page_number,
                    "x0": image["x0"],
                    "text": "",
                }
            )
    items.sort(key=lambda item: (item["top"], item["x0"]))
    return {"lines": items, "height": float(page.height), "width": float(page.width), "number": page.page_number}


def _furniture(pages: list[dict[str, Any]], pdf: Any) -> None:
    """Running heads and feet (the same line, its numbers aside, at the same height on
    several pages) and page numbers (a bare number near the top or the foot) taken away."""

    def key(line: Line) -> tuple[str, int]:
        return (re.sub(r"\d+", "#", line["text"].strip()), round(line["top"] / 6))

    seen = Counter(key(line) for page in pages for line in {key(x): x for x in page["lines"] if x["text"]}.values())
    repeated = 2 if len(pages) >= 2 else 99
    for page in pages:
        height = page["height"]
        kept = []
        for line in page["lines"]:
            text = line["text"].strip()
            near_edge = line["top"] < 0.09 * height or line["top"] > 0.88 * height
            if text and seen[key(line)] >= repeated and near_edge:
                continue
            if near_edge and re.fullmatch(r"[-–—]?\s*\d{1,4}\s*[-–—]?|[ivxlc]{1,6}", text, re.I):
                continue
            kept.append(line)
        page["lines"] = kept


def _title(pages: list[dict[str, Any]], lang: str, path: Path, remarks: list[Remark], width: float) -> dict[str, Any]:
    """The title block of page 1 (see :mod:`publish.importers.pdftitle`), taken out of its lines."""
    lines = [x for x in pages[0]["lines"] if x["text"]]
    if not lines:
        return {}
    biggest = max(body_size(x.get("chars", [])) for x in lines)
    size = body_size([c for page in pages for x in page["lines"] if x["text"] for c in x["chars"]])
    if biggest < 1.3 * size:
        return {}
    where = f"{path.name}:page 1"
    first = next(i for i, x in enumerate(lines) if body_size(x["chars"]) == biggest)
    end = first
    while end + 1 < len(lines) and body_size(lines[end + 1]["chars"]) == biggest:
        end += 1
    meta: dict[str, Any] = {"title": " ".join(x["text"].strip() for x in lines[first : end + 1])}
    remarks.append(Remark(where, f"the title is the largest text of page 1: {meta['title']!r}"))
    taken = lines[: end + 1]
    if first:
        meta["publishers"] = title_block.publishers_of(lines[:first], lang, width)
        remarks.append(Remark(where, "the publishers are the lines above the title"))
    rest = lines[end + 1 : end + 8]
    index = 0
    if rest and body_size(rest[0]["chars"]) > 1.15 * size and not _bold(rest[0]):
        meta["subtitle"] = rest[0]["text"].strip()
        index = 1
    byline: list[Line] = []
    while (
        index < len(rest)
        and (byline or title_block._BY.match(rest[index]["text"]))
        and not title_block.date_of(rest[index]["text"])
    ):
        if byline and rest[index]["top"] - byline[-1]["bottom"] > 0.8 * size:
            break
        byline.append(rest[index])
        index += 1
    if byline:
        meta["authors"] = title_block.authors_of(" ".join(x["text"].strip() for x in byline))
        remarks.append(Remark(where, f"the byline: {', '.join(meta['authors'])}"))
    if index < len(rest) and len(rest[index]["text"]) < 80 and (date := title_block.date_of(rest[index]["text"])):
        meta["date"] = date
        remarks.append(Remark(where, f"the date line: {date}"))
        index += 1
    taken += rest[:index]
    pages[0]["lines"] = [x for x in pages[0]["lines"] if not any(x is t for t in taken)]
    return meta


def _bold(line: Line) -> bool:
    chars = [c for c in line.get("chars", []) if c["text"].strip()]
    return bool(chars) and all("strong" in marks_of(c, float(c["size"])) for c in chars)


def _toc(pages: list[dict[str, Any]]) -> bool:
    """Lines ending in leaders and a page number, and the heading above them, taken away."""
    found = False
    for page in pages[:3]:
        lines = page["lines"]
        marked = [i for i, x in enumerate(lines) if x["text"] and re.search(r"(\.\s*){4,}\s*\d+\s*$", x["text"])]
        if len(marked) < 2:
            continue
        start, end = marked[0], marked[-1]
        if start > 0 and len(lines[start - 1]["text"]) < 40:
            start -= 1
        page["lines"] = lines[:start] + lines[end + 1 :]
        found = True
    return found


def _notes(pages: list[dict[str, Any]], size: float) -> dict[int, list[Run]]:
    """The footnotes: small lines at a page's foot, the first opening with a number."""
    notes: dict[int, list[Run]] = {}
    for page in pages:
        lines = page["lines"]
        start = len(lines)
        while start > 0 and lines[start - 1]["text"] and body_size(lines[start - 1]["chars"]) < 0.92 * size:
            start -= 1
        while start < len(lines) and not _NOTE.match(lines[start]["text"]):
            start += 1
        if start == len(lines):
            continue
        current: list[Any] = []
        number = 0
        for line in lines[start:]:
            found = _NOTE.match(line["text"])
            if found:
                if current:
                    notes[number] = runs_of(current)
                number, current = int(found.group(1)), _after(line.get("chars", []), found.end(), line["text"])
            else:
                current += line.get("chars", [])
        if current:
            notes[number] = runs_of(current)
        page["lines"] = lines[:start]
    return notes


def _after(chars: list[Any], cut: int, text: str) -> list[Any]:
    """The glyphs of a line after its first ``cut`` characters of text (spaces not drawn)."""
    visible = len(text[:cut].replace(" ", ""))
    return [c for c in chars if c["text"].strip() or visible <= 0][visible:] if visible else chars


class _Reader:
    def __init__(
        self,
        size: float,
        vocabulary: set[str],
        links: list[Any],
        remarks: list[Remark],
        name: str,
        notes: dict[int, list[Run]],
    ):
        self.size, self.vocabulary, self.links = size, vocabulary, links
        self.remarks, self.name, self.notes = remarks, name, notes
        self.called: set[int] = set()
        self.heading_sizes: list[float] = []

    def runs(self, chars: list[Any]) -> list[Run]:
        runs = runs_of(chars, self.links, None, frozenset(), self.vocabulary)
        out = []
        for run in tidy(runs):
            text = run.text.strip()
            if "sup" in run.marks and text.isdigit() and int(text) in self.notes and int(text) not in self.called:
                self.called.add(int(text))
                out.append(Run("", note=int(text)))
            else:
                out.append(run)
        return out

    def kind(self, line: Line) -> str:
        if "table" in line:
            return "table"
        if "image" in line:
            return "image"
        chars = [c for c in line.get("chars", []) if c["text"].strip()]
        if chars and all(is_mono(c) for c in chars):
            return "code"
        if body_size(chars) >= 1.12 * self.size:
            return "heading"
        if _BULLET.match(line["text"]) or _NUMBER.match(line["text"]):
            return "item"
        return "text"

    def blocks(self, pages: list[dict[str, Any]]) -> list[Block]:
        items = [x for page in pages for x in page["lines"]]
        sizes = sorted(
            {round(body_size(x["chars"]) * 2) / 2 for x in items if x.get("chars") and self.kind(x) == "heading"},
            reverse=True,
        )
        self.heading_sizes = sizes
        out: list[Block] = []
        index = 0
        while index < len(items):
            line = items[index]
            kind = self.kind(line)
            group = [line]
            while index + len(group) < len(items) and self._continues(group, items[index + len(group)], kind):
                group.append(items[index + len(group)])
            index += len(group)
            out += self.block(kind, group, items[index] if index < len(items) else None)
        return self._lists(out)

    def _continues(self, group: list[Line], nxt: Line, kind: str) -> bool:
        prev = group[-1]
        if kind in ("table", "image") or self.kind(nxt) != (kind if kind != "item" else "text"):
            return kind == "code" and self.kind(nxt) == "code" and nxt["page"] == prev["page"]
        if nxt["page"] != prev["page"]:
            return False
        gap = nxt["top"] - prev["bottom"]
        size = body_size(prev["chars"])
        if kind == "heading":
            return abs(body_size(nxt["chars"]) - size) < 0.5 and gap < 0.8 * size
        if gap > 0.75 * size or abs(body_size(nxt["chars"]) - size) > 0.5:
            return False
        if kind == "item" and nxt["x0"] < group[0]["x0"] + 2:
            return False
        right = max(x["x1"] for x in group)
        return not (prev["x1"] < right - 4 * size and _ENDS.search(prev["text"]))

    def block(self, kind: str, group: list[Line], following: Line | None) -> list[Block]:
        first = group[0]
        pos: tuple[int, float, float] = (
            int(first["page"]),
            float(first["top"]),
            float(group[-1].get("bottom") or first["top"]),
        )
        chars = [c for x in group for c in x.get("chars", [])]
        if kind == "table":
            return [self.table(first["table"], pos)]
        if kind == "image":
            caption: list[Run] = []
            if following is not None and following.get("chars") and following["page"] == first["page"]:
                fchars = [c for c in following["chars"] if c["text"].strip()]
                small = body_size(fchars) < 0.95 * self.size or all("em" in marks_of(c, self.size) for c in fchars)
                if small and following["top"] - first["bottom"] < 2 * self.size:
                    caption = self.runs(following["chars"])
                    following["chars"], following["text"] = [], ""
            alt = "".join(r.text for r in caption)
            return [Block("figure", caption, src=f"\0{first['page']}:{first['image']}", alt=alt, pos=pos)]
        if not chars:
            return []
        if kind == "code":
            return [Block("code", text=code_text(chars), pos=pos)]
        if kind == "heading":
            level = self.heading_sizes.index(round(body_size(chars) * 2) / 2) + 1 if self.heading_sizes else 1
            runs = [Run(r.text, r.marks - {"strong"}, r.link, r.lang) for r in self.runs(chars)]
            self.remarks.append(
                Remark(
                    f"{self.name}:page {first['page']}",
                    f"heading (level {level}, from its size): {''.join(r.text for r in runs)[:60]!r}",
                )
            )
            return [Block("heading", runs, level=min(level, 6), pos=pos)]
        if kind == "item":
            found = _BULLET.match(first["text"]) or _NUMBER.match(first["text"])
            assert found is not None
            rest = _after(chars, found.end(), first["text"])
            marker = found.group(1)
            return [Block("item", self.runs(rest), text=marker, pos=pos)]
        return [Block("para", self.runs(chars), pos=pos)]

    def table(self, table: Any, pos: tuple[int, float, float]) -> Block:
        rows: list[list[Cell]] = []
        for row in table.extract():
            cells: list[Cell] = []
            for text in row:
                if text is None and cells:
                    cells[-1].colspan += 1
                else:
                    cells.append(Cell([Run(" ".join((text or "").split()))]))
            rows.append(cells)
        return Block("table", rows=rows, head=1, pos=pos)

    def _lists(self, blocks: list[Block]) -> list[Block]:
        """Items next to each other made lists (ordered when their markers are numbers)."""
        from publish.importers.pdftagged import numbering

        out: list[Block] = []
        for block in blocks:
            if block.kind != "item":
                out.append(block)
                continue
            bullet = bool(_BULLET.match(block.text + " "))
            last = out[-1] if out else None
            if last is not None and last.kind == "list" and last.ordered != bullet:
                last.items.append([Block("para", block.runs)])
                last.children.append(Block("item", text=block.text))
                continue
            new = Block(
                "list", items=[[Block("para", block.runs)]], children=[Block("item", text=block.text)], pos=block.pos
            )
            new.ordered = not bullet
            out.append(new)
        for block in out:
            if block.kind == "list":
                labels = [c.text for c in block.children]
                block.children = []
                numbering(block, labels)
        return out
