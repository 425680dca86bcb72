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

from publish.importers import Imported, Remark, media_ref, pdfcolumns, pdfids, pdfpage, pdfplaintables
from publish.importers import pdftitle as title_block
from publish.importers.pdfchars import (
    SOFT_HYPHENS,
    body_size,
    code_text,
    draws_spaces,
    in_logical_order,
    is_mono,
    lead_and_room,
    links_of,
    mark_shifts,
    marks_of,
    runs_of,
)
from publish.importers.pdfmd import Block, Run, markdown, tidy

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
        "What the layout does not show is not read: a table without any rule is its rows as "
        "paragraphs, and in a table of rules only a cell over several lines is several rows; a "
        "quote inside a quote is one quote; headings of one size are one level (h4-h6 of the body's "
        "size); a hard line break that ends a sentence ends a paragraph; a definition list is "
        "headings and quotes. The outline is compared (loosen) where the layout shows it all: "
        "headings, paragraphs, lists, quotes, the title block."
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
    pdfpage.furniture(pages, pdf)
    for page in pages:
        remarks += [Remark(f"{path.name}:page {page['number']}", text, "warning") for text in page["remarks"]]
    meta = {"title": info.get("title") or ""}
    meta.update(title_block.take(pages, lang, path, remarks, float(pdf.pages[0].width)))
    meta["title"] = meta.get("title") or info.get("title") or path.stem
    if lang:
        meta["lang"] = lang
    for page in pages[1:]:  # the running head: the title, at the top of a page
        page["lines"] = [
            x for x in page["lines"] if not (x["top"] < 0.09 * page["height"] and x["text"].strip() == meta["title"])
        ]
    if pdfpage.toc(pages):
        meta["toc"] = True
    lines = [line for page in pages for line in page["lines"]]
    size = body_size([c for line in lines for c in line.get("chars", [])])
    notes = pdfpage.notes(pages, size)
    vocabulary = {w.lower() for line in lines for w in re.findall(r"[^\W\d_]+", line["text"])}
    links = [link for page in pdf.pages for link in links_of(page)]
    reader = _Reader(size, vocabulary, links, remarks, path.name, notes)
    reader.lang = lang
    reader.gaps = not draws_spaces([c for line in lines for c in line.get("chars", [])])
    body = reader.blocks(pages)
    images: dict[str, bytes] = {}
    from publish.importers.pdf import image_bytes, joined, with_rules

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
    body = with_rules(joined(body), pdf)
    found = {n: [Block("para", r)] for n, r in notes.items()}
    if not found:  # endnotes, as pandoc's HTML sets them: a last list whose items point back
        body, found = pdfpage.endnotes(body)
    pdfids.assign(body, pdfids.destinations(path), {link.target[1:] for link in links if link.target.startswith("#")})
    if not any(page.chars for page in pdf.pages):
        remarks.append(
            Remark(f"{path.name}:page 1", "the PDF has no text (a scan?): it is not read (no OCR)", "warning")
        )
    return Imported(meta, markdown(body, found), images, remarks)


def _info(path: Path) -> dict[str, Any]:
    try:
        from publish.readback import pdf as pdfback

        return pdfback.metadata(path)
    except Exception:
        return {}


def _page(page: Any) -> dict[str, Any]:
    page_remarks: list[str] = []
    tables = pdfplaintables.find(page)
    boxes = [t.bbox for t in tables]

    def outside(obj: Any) -> bool:
        if obj.get("object_type") != "char":
            return True
        cx, cy = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
        return not any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in boxes)

    flow = page.filter(outside) if boxes else page
    lines = pdfcolumns.lines(flow)
    for line in lines:
        line["page"] = page.page_number
        in_logical_order(line)
        mark_shifts(line.get("chars", []))
    items: list[Line] = list(lines)
    for table in tables:
        items.append(
            {
                "table": table,
                "top": table.bbox[1],
                "bottom": table.bbox[3],
                "page": page.page_number,
                "x0": table.bbox[0],
                "text": "",
            }
        )
    for index, image in enumerate(page.images):
        beside = [x for x in lines if x["top"] < image["bottom"] - 2 and x["bottom"] > image["top"] + 2]
        if beside:
            page_remarks.append(f"an image inside a line of text ({beside[0]['text'][:40]!r}) is left out")
            continue
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
    placed = [x for x in items if "chars" in x]  # the lines, in reading order (columns)
    for item in [x for x in items if "chars" not in x]:  # a table, an image: before the first line
        after = next(  # below it, in its column
            (
                i
                for i, x in enumerate(placed)
                if x["top"] >= item["top"] and abs(x["x0"] - item["x0"]) < 0.5 * float(page.width)
            ),
            len(placed),
        )
        placed.insert(after, item)
    items = placed
    return {
        "lines": items,
        "height": float(page.height),
        "width": float(page.width),
        "number": page.page_number,
        "remarks": page_remarks,
    }


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
        self.left: dict[int, float] = {}
        self.right = 0.0
        self.gaps = True
        self.lang = "en"

    def runs(self, chars: list[Any]) -> list[Run]:
        langs = None
        if self.lang.split("-")[0] not in ("zh", "ja", "ko"):  # CJK text in another language's
            # document: the language its face is cut for (an untagged PDF says no more)
            langs = [title_block.script_lang(c["text"], "", str(c.get("fontname", ""))) for c in chars]
        runs = runs_of(chars, self.links, langs, frozenset(), self.vocabulary, self.gaps)
        out = []
        for run in tidy(runs):
            text = run.text.strip()
            waiting = set(self.notes) - self.called
            if "sup" in run.marks and text.isdigit() and waiting and int(text) == min(waiting):
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
        text = line["text"].strip()
        if pdfpage.bold(line) and len(text) < 80 and not _ENDS.search(text) and not _NUMBER.match(text):
            return "heading"  # a short bold line of its own
        if _BULLET.match(line["text"]) or _NUMBER.match(line["text"]):
            return "item"
        return "text"

    def blocks(self, pages: list[dict[str, Any]]) -> list[Block]:
        items = [x for page in pages for x in page["lines"]]
        sizes = sorted(
            {self._rank_size(x) for x in items if x.get("chars") and self.kind(x) == "heading"},
            reverse=True,
        )
        self.heading_sizes = sizes
        text = [x for x in items if x.get("chars") and self.kind(x) == "text"]
        starts = Counter(round(float(x["x0"])) for x in text)  # the text's left edge: where most lines start
        left = float(starts.most_common(1)[0][0]) if starts else 0.0
        # the text block's width: ragged lines do not reach its right edge, so the margins
        # are taken to be equal (a centred line is centred on the page)
        width = max((float(page["width"]) for page in pages), default=0.0) - 2 * left
        self.right = max([width] + [float(x["x1"]) - left for x in text])
        for page in pages:
            self.left[page["number"]] = left
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
        return self._lists(pdfpage.captions(out))

    def _continues(self, group: list[Line], nxt: Line, kind: str) -> bool:
        prev = group[-1]
        if kind in ("table", "image") or self.kind(nxt) != (kind if kind != "item" else "text"):
            return kind == "code" and self.kind(nxt) == "code" and nxt["page"] == prev["page"]
        if nxt["page"] != prev["page"]:
            return False
        if nxt.get("column", 0) == prev.get("column", 0) + 1 and kind == "text" and self.kind(nxt) == "text":
            # the paragraph goes on at the top of the next column if its last line had no room
            # for the next line's first word
            room, _ = lead_and_room(prev["chars"], float(prev.get("left", 0.0)) + self.column_width(prev))
            _, lead = lead_and_room(nxt["chars"], 0.0)
            if prev["text"].rstrip().endswith(SOFT_HYPHENS):
                return True  # a word hyphenated across the columns
            return bool(
                room < lead + 0.5 * self.size and not (_ENDS.search(prev["text"]) and nxt["text"][:1].isupper())
            )
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
            return [pdfplaintables.block(first["table"], pos)]
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
            level = self.heading_sizes.index(self._rank_size(first)) + 1 if self.heading_sizes else 1
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
            rest = pdfpage.after(chars, found.end(), first["text"])
            marker = found.group(1)
            inner = float(rest[0]["x0"]) - float(first.get("left", self.left.get(first["page"], 0.0))) if rest else 0.0
            return [Block("item", self.runs(rest), text=marker, pos=pos, indent=self.indent(first), inner=inner)]
        indent = self.indent(first)
        centred = (
            indent > self.size
            and abs(indent - (self.right - (float(first["x1"]) - self.left.get(first["page"], 0.0)))) < self.size
        )
        room, lead = lead_and_room(chars, self.left.get(first["page"], 0.0) + self.right)
        return [Block("para", self.runs(chars), pos=pos, indent=indent, centred=centred, room=room, lead=lead)]

    def _rank_size(self, line: Line) -> float:
        """A heading line's size for ranking: a bold line of the body's size ranks below
        every larger heading."""
        size = round(body_size(line.get("chars", [])) * 2) / 2
        return size if size >= 1.12 * self.size else size - 0.25

    def column_width(self, line: Line) -> float:
        return float(line.get("width", self.right))

    def indent(self, line: Line) -> float:
        """How far a line stands in from the text's left edge (its column's, in columns)."""
        return float(line["x0"]) - float(line.get("left", self.left.get(line["page"], 0.0)))

    def _lists(self, blocks: list[Block]) -> list[Block]:
        """Items made lists, nested by the indent of their markers (ordered when the markers
        are numbers); a paragraph indented as an item's text is that item's; a paragraph
        indented from the text's left edge is a block quote (and a list indented so, after
        it, is the quote's)."""
        from publish.importers.pdfshapes import numbering

        out: list[Block] = []
        stack: list[Block] = []  # the open lists, outermost first
        labels: dict[int, list[str]] = {}
        step = 0.8 * self.size

        def open_list(block: Block, into: list[Block]) -> None:
            new = Block(
                "list", items=[[Block("para", block.runs)]], pos=block.pos, indent=block.indent, inner=block.inner
            )
            new.ordered = not _BULLET.match(block.text + " ")
            labels[id(new)] = [block.text]
            into.append(new)
            stack.append(new)

        for block in blocks:
            if block.kind == "item":
                while stack and stack[-1].indent > block.indent + step:
                    stack.pop()
                top = stack[-1] if stack else None
                same = top is not None and abs(top.indent - block.indent) <= step
                if top is not None and same and top.ordered != bool(_BULLET.match(block.text + " ")):
                    top.items.append([Block("para", block.runs)])
                    top.inner = block.inner
                    labels[id(top)].append(block.text)
                    continue
                if top is not None and same:
                    stack.pop()
                if stack:
                    open_list(block, stack[-1].items[-1])
                elif block.indent > step and out and out[-1].kind == "quote":
                    open_list(block, out[-1].children)
                else:
                    open_list(block, out)
                continue
            if block.kind == "para" and stack:
                owner = next((s for s in reversed(stack) if abs(s.inner - block.indent) <= step), None)
                if owner is not None:
                    while stack[-1] is not owner:
                        stack.pop()
                    owner.items[-1].append(block)
                    continue
            stack.clear()
            if block.kind == "para" and block.indent > step and not block.centred:
                if out and out[-1].kind == "quote":
                    out[-1].children.append(block)
                else:
                    out.append(Block("quote", children=[block], pos=block.pos))
                continue
            out.append(block)
        for found in pdfpage.all_lists(out):
            numbering(found, labels.get(id(found), []))
        return out
