"""A Word file (DOCX) read into our dialect: ``read(path) -> Imported``.

python-docx opens the package (its parts and relationships); the WordprocessingML underneath
is read with lxml. The front matter comes from the core and custom properties and from the
title page (paragraphs in the styles Title, Subtitle, Byline/Author, Date Line/Date,
Publisher, which our writer uses and pandoc's too); the body from the paragraphs and tables
(:mod:`.docxblocks`, their runs by :mod:`.docxruns`, equations by :mod:`.docxmath`), the
notes from the footnotes and endnotes parts (each ``[^n]``, numbered in reading order), the
pictures from their parts (written beside the source, their alt text from ``wp:docPr``).
Our DOCX's furniture — the table of contents, the title block, headers and footers — does
not become text. What is guessed (a heading from direct formatting) or lost (comments,
tracked changes resolved as accepted) is a :class:`~publish.importers.Remark` at
``file:paragraph N``.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any

import docx
from lxml import etree

from publish import langs
from publish.errors import PublishError
from publish.importers import Imported, Kind, Remark, docxblocks, docxmath, docxmeta, docxruns, docxtables, media_ref
from publish.importers import docxmd as md
from publish.importers.docxblocks import Builder, Para
from publish.importers.docxruns import Runs, W

R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
SVG_BLIP = "{http://schemas.microsoft.com/office/drawing/2016/SVG/main}svgBlip"
IMAGE_TYPES = {"png", "jpg", "jpeg", "gif", "svg"}


def open_document(path: Path) -> Any:
    """The package, or a PublishError naming the file: not a zip (a damaged file, or an
    encrypted one: Word encrypts into an OLE compound file), or no Word document inside."""
    try:
        with zipfile.ZipFile(path) as z:
            names = set(z.namelist())
            if "word/document.xml" not in names and not any(n.endswith("document.xml") for n in names):
                raise PublishError(f"{path}: not a Word document (no word/document.xml)")
        return docx.Document(str(path))
    except PublishError:
        raise
    except zipfile.BadZipFile as error:
        head = path.read_bytes()[:8]
        if head == bytes.fromhex("d0cf11e0a1b11ae1"):
            raise PublishError(
                f"{path}: encrypted or an old .doc (an OLE file, not a DOCX): cannot import it"
            ) from error
        raise PublishError(f"{path}: damaged: not a DOCX (zip) file ({error})") from error
    except (KeyError, ValueError, etree.XMLSyntaxError, OSError) as error:
        raise PublishError(f"{path}: damaged Word document: {error}") from error


class Reader:
    """One document's reading: its styles, numbering, notes, pictures and remarks."""

    def __init__(self, path: Path, document: Any):
        self.path = path
        self.document = document
        part = document.part
        self.styles = docxblocks.Styles({str(s.get(W + "styleId")): s for s in part.styles.element.iter(W + "style")})
        numbering = next((r.target_part for r in part.rels.values() if r.reltype.endswith("/numbering")), None)
        self.marked_definitions = any(
            self.styles.name(sid) == "Definition Continued" for sid in self.styles.by_id
        )  # ours: a definition's blocks after its first in a style of their own
        self.numbering = docxblocks.Numbering(etree.fromstring(numbering.blob) if numbering is not None else None)
        self.part = part  # the part being read (its relationships: links, pictures)
        self.notes: dict[str, dict[str, etree._Element]] = {"footnote": {}, "endnote": {}}
        self.note_parts: dict[str, Any] = {}
        for rel in part.rels.values():
            for kind in ("footnote", "endnote"):
                if rel.reltype.endswith(f"/{kind}s"):
                    root = etree.fromstring(rel.target_part.blob)
                    self.notes[kind] = {str(n.get(W + "id")): n for n in root.iter(W + kind)}
                    self.note_parts[kind] = rel.target_part
        self.queue: list[tuple[str, str, etree._Element]] = []  # notes referenced, in order
        self.labels: dict[tuple[str, str], str] = {}
        self.images: dict[str, bytes] = {}
        self.last_picture: tuple[str, str] = ("", "")
        self.remarks: list[Remark] = []
        self.counter = 0  # paragraphs read, for remarks
        self.lang = docxmeta.language(document, part)
        char_styles = {k: v for k, v in self.styles.by_id.items() if v.get(W + "type") == "character"}
        self.ctx = docxruns.Context(char_styles, langs.word_tag(self.lang), self.relation, self.picture, self.note)
        self.ids: dict[str, str] = {}  # bookmark → the id written in the source
        self.found: dict[str, str] = {}  # the title page's texts
        self.body = ""
        self.anchors = _anchors(document.element.body, self.notes)
        #: our own DOCX (its custom properties): its headings are all in heading styles, so
        #: none is guessed (a bold paragraph there is a details block's summary)
        self.ours = {"Identifier", "Language"} <= set(docxmeta.custom(path))

    # -- callbacks of the runs
    def relation(self, rid: str) -> str:
        rel = self.part.rels.get(rid)
        return str(rel.target_ref) if rel is not None else ""

    def note(self, kind: str, wid: str) -> str:
        key = (kind, wid)
        if key not in self.labels:
            note = self.notes[kind].get(wid)
            if note is None:
                return ""
            self.labels[key] = str(len(self.labels) + 1)
            self.queue.append((self.labels[key], kind, note))
        return md.note_ref(self.labels[key])

    def picture(self, el: etree._Element) -> str:
        doc_pr = next(el.iter(WP + "docPr"), None)
        alt = (doc_pr.get("descr") or doc_pr.get("title") or "") if doc_pr is not None else ""
        svg = next(el.iter(SVG_BLIP), None)
        blip = svg if svg is not None else next(el.iter(A + "blip"), None)
        rid = blip.get(R + "embed") if blip is not None else None
        if rid is None:
            image = next(el.iter("{urn:schemas-microsoft-com:vml}imagedata"), None)
            rid = image.get(R + "id") if image is not None else None
        rel = self.part.rels.get(rid) if rid else None
        if rel is None or rel.is_external:
            self.remark("a picture that is not in the file (linked, or a drawing) is left out", "warning")
            return md.text(alt)
        name = Path(str(rel.target_part.partname)).name
        if name.rsplit(".", 1)[-1].lower() not in IMAGE_TYPES:
            self.remark(f"a picture in a format the editions cannot show ({name}) is set as its alt text", "warning")
            return md.text(alt)
        self.images[name] = rel.target_part.blob
        self.last_picture = (alt, media_ref(name))
        return md.image(md.text(alt), media_ref(name))

    def remark(self, message: str, kind: Kind = "guessed") -> None:
        self.remarks.append(Remark(f"{self.path.name}:paragraph {self.counter}", message, kind))

    # -- paragraphs and tables
    def paragraph(self, p: etree._Element) -> Para:
        self.counter += 1
        runs = Runs(self.ctx)
        before = (self.ctx.changes, self.ctx.comments, self.ctx.text_boxes)
        try:
            runs.walk(p)
        except (ValueError, KeyError, IndexError, TypeError, AttributeError) as error:  # malformed markup
            runs = Runs(self.ctx)
            runs.add(md.text("".join(t.text or "" for t in p.iter(W + "t", f"{docxmath.M}t"))))
            self.remark(f"its markup could not be read ({type(error).__name__}): its text is kept plain", "warning")
        if self.ctx.text_boxes > before[2]:
            self.remark("a text box's text set in its paragraph", "unsure")
        if self.ctx.changes > before[0]:
            self.remark("tracked changes resolved as accepted (deletions dropped, insertions kept)", "warning")
        if self.ctx.comments > before[1]:
            self.remark("comments dropped", "warning")
        if runs.boxes:  # a task: its box opens the item
            runs.pieces.insert(0, docxruns.Piece(f"[{runs.boxes[0]}] ", text=False))
        para = docxblocks.classify(p, self.counter, self.styles, self.numbering, runs)
        for name in runs.bookmarks if para.role == "heading" else ():
            if name in self.anchors:
                para.ident = self.ids.setdefault(name, _ident(name))
        return para

    def flow(self, elements: list[etree._Element], top: bool = False) -> tuple[list[md.Block], dict[str, str]]:
        """Blocks of a body, a cell or a note; at the top, the title page's paragraphs too."""
        builder = Builder()
        builder.marked = self.marked_definitions
        found: dict[str, str] = {}
        items = _expand(elements)
        index = 0
        while index < len(items):
            el = items[index]
            index += 1
            if el.tag == W + "tbl":
                caption = builder.flow.pop() if builder.flow and builder.flow[-1].kind == "caption-pending" else None
                rows, head, aligns = docxtables.cells(el, lambda tc: self.flow(list(tc))[0])
                for row in rows[:head]:  # a header row's bold is the table's style, not the text's
                    for cell in row:
                        for block in cell.blocks:
                            block.text = _unbold(block.text) if block.kind == "para" else block.text
                table = md.Block("table", rows=rows, head=head, aligns=aligns)
                if caption is not None:
                    table.text, table.attrs = caption.text, caption.attrs
                builder.add(Para(self.counter, el, "", "table"), table)
                continue
            if el.tag != W + "p":
                continue
            para = self.paragraph(el)
            role = para.role
            if role == "spacer":  # the end of a callout
                while len(builder.flows) > 1 and builder.flows[-1][0].startswith("callout-"):
                    builder.close_flow()
                continue
            if role == "skip":
                continue
            if role.startswith("meta:"):
                if top and not builder.blocks:  # the title page, before the body
                    key = role[5:]
                    found[key] = f"{found[key]}\n{para.plain}" if found.get(key) else para.plain
                    continue
                role = para.role = "para"
            if not para.plain and not para.pieces and role != "rule":
                continue  # an empty paragraph: spacing
            if role in ("caption", "table-caption"):
                text, attrs = self.caption(para, "tbl" if role == "table-caption" else "fig")
                if role == "table-caption" or (builder.flow and builder.flow[-1].kind != "figure"):
                    builder.flow.append(md.Block("caption-pending", text, attrs=attrs))
                    if index < len(items) and items[index].tag == W + "tbl":
                        continue
                    builder.flow.pop()
                    builder.add(Para(para.index, el, "", "para"), md.Block("para", text))
                    continue
                figure = builder.flow.pop()
                figure.text, figure.attrs = md.image(text, figure.text), attrs
                alt = " ".join(self.last_picture[0].split())
                if not _told(alt, text):
                    self.remark(
                        f"the picture's alt text, {alt[:60]!r}, is not its caption: the caption is kept", "unsure"
                    )
                builder.flow.append(figure)
                continue
            if role in ("para", "figure") and _picture_only(para):
                builder.add(para, md.Block("figure", self.last_picture[1]))
                following = items[index] if index < len(items) else None
                if following is None or self._role_of(following) != "caption":
                    figure = builder.flow[-1]
                    figure.text = md.image(md.text(self.last_picture[0]), figure.text)
                continue
            equation = self.equation(para) if role == "para" else None
            if equation is not None:
                builder.add(para, equation)
                continue
            if role == "para" and top and not self.ours and not builder.lists:  # not in cells, notes
                para.role = self.guess(para)
            builder.add(para)
        return builder.blocks, found

    def _role_of(self, el: etree._Element) -> str:
        ppr = el.find(W + "pPr")
        sid = ppr.find(W + "pStyle") if ppr is not None else None
        name = self.styles.name(str(sid.get(W + "val")) if sid is not None else None).lower()
        return "caption" if name in ("caption", "image caption", "figure caption") else ""

    def caption(self, para: Para, prefix: str) -> tuple[str, str]:
        """A caption's Markdown without its label (``Figure 1: ``) when a SEQ field numbers
        it, and the id that brings the number back (its bookmark's, or ``fig-N``)."""
        el = para.el
        seq = [f for f in el.iter(W + "fldSimple") if "SEQ" in f.get(W + "instr", "")]
        seq += [i for i in el.iter(W + "instrText") if (i.text or "").strip().startswith("SEQ")]
        if not seq:
            return para.md, ""
        pieces = para.pieces
        number_at = next((i for i, p in enumerate(pieces) if re.fullmatch(r"\s*\d+\s*", p.md)), None)
        if number_at is None:
            return para.md, ""
        rest = list(pieces[number_at + 1 :])
        if rest:
            rest[0] = docxruns.Piece(re.sub(r"^\s*[:.：。–—-]?\s*", "", rest[0].md), rest[0].marks, rest[0].mono)
        name = next((b for b in (para.runs.bookmarks if para.runs else []) if b.startswith(prefix)), "")
        ident = re.sub(r"^(fig|tbl)[:_]", r"\1-", name) if name else f"{prefix}-{pieces[number_at].md.strip()}"
        if name:
            self.ids[name] = ident
        return docxruns.render(rest).strip(), f"#{ident}"

    def equation(self, para: Para) -> md.Block | None:
        """A numbered equation: a formula alone on its line with its number, "(1)", after it
        (our writer's and Word's way), as ``$$…$$ {#eq-…}``: the id of its bookmark, which
        links reach, else ``eq-`` and its number."""
        maths = [p for p in para.pieces if not p.text and p.md.startswith("$")]
        number = re.fullmatch(r"\((\d+)\)", "".join(p.md for p in para.pieces if p.text).strip())
        if len(maths) != 1 or number is None or len(para.pieces) - len(maths) > 4:
            return None
        name = next((b for b in (para.runs.bookmarks if para.runs else []) if b.lower().startswith("eq")), "")
        ident = re.sub(r"^eq[:_]", "eq-", name) if name else f"eq-{number.group(1)}"
        if name:
            self.ids[name] = ident
        tex = maths[0].md.strip("$")
        return md.Block("math", f"$${tex}$$ {{#{ident}}}")

    def guess(self, para: Para) -> str:
        """A plain paragraph's role guessed from its direct formatting: a heading (short, bold
        or larger), code (every word in a monospace face), a quote (indented from the left
        by 1 cm or more, without a hanging first line); else ``para``."""
        if self.guess_heading(para):
            return "heading"
        words = [p for p in para.pieces if p.text and p.md.strip()]
        if words and all(p.mono for p in para.pieces if p.text) and len(para.plain) > 0:
            self.remark("code guessed from a monospace font")
            return "code"
        ind = para.el.find(f"{W}pPr/{W}ind")
        if ind is not None and words:
            left = docxruns.integer(ind.get(W + "left") or ind.get(W + "start"))
            hanging = docxruns.integer(ind.get(W + "hanging"))
            if left >= 567 and not hanging:
                self.remark("a block quote guessed from an indented paragraph")
                return "quote"
        return "para"

    def guess_heading(self, para: Para) -> bool:
        """A short paragraph set bold (or larger) by direct formatting, read as a heading."""
        text = para.plain
        if not text or len(text) > 120 or text[-1] in ".,;:!?" or "\n" in text or not para.pieces:
            return False
        words = [p for p in para.pieces if p.text and p.md.strip()]
        if not words or any(not p.text for p in para.pieces):
            return False
        bold = all("strong" in p.marks for p in words)
        sizes = [docxruns.integer(s.get(W + "val")) for r in para.el.iter(W + "r") for s in r.findall(f"{W}rPr/{W}sz")]
        body = _body_size(self.styles)
        ratio = (min(sizes) / body) if sizes and body else 1.0
        if not (bold or ratio >= 1.15):
            return False
        para.depth = 1 if ratio >= 1.6 else 2 if ratio >= 1.3 else 3
        para.pieces = [docxruns.Piece(p.md, p.marks - {"strong"}, p.mono, p.text) for p in para.pieces]
        self.remark(f"a heading (level {para.depth}) guessed from direct formatting: {text[:50]!r}")
        return True


def read(path: Path) -> Imported:
    document = open_document(path)
    if document.element.body is None:
        raise PublishError(f"{path}: damaged Word document: it has no body")
    first = _pass(path, document, {})  # finds the ids headings and captions keep
    reader = _pass(path, document, first.ids)  # links to them, and only to them
    front = docxmeta.front_matter(document, reader.found, path, reader.lang, reader.remarks)
    return Imported(front, reader.body, reader.images, reader.remarks)


def _pass(path: Path, document: Any, known: dict[str, str]) -> Reader:
    reader = Reader(path, document)
    reader.ctx.known = known
    blocks, reader.found = reader.flow(list(document.element.body), top=True)
    notes: list[md.Block] = []
    done = 0
    while done < len(reader.queue):  # notes may refer to notes
        label, kind, note = reader.queue[done]
        done += 1
        reader.part = reader.note_parts[kind]
        inner, _ = reader.flow(list(note))
        notes.append(md.Block("note", label, children=inner))
    reader.body = md.render(blocks) + ("\n\n" + "\n\n".join(md.render([n]) for n in notes) if notes else "")
    return reader


def _expand(elements: list[etree._Element]) -> list[etree._Element]:
    """Body elements with content controls and custom XML opened (a table of contents'
    content control left out: it is furniture)."""
    out: list[etree._Element] = []
    for el in elements:
        if el.tag == W + "sdt":
            gallery = el.find(f"{W}sdtPr/{W}docPartObj/{W}docPartGallery")
            if gallery is not None and "contents" in str(gallery.get(W + "val", "")).lower():
                continue
            content = el.find(W + "sdtContent")
            out += _expand(list(content)) if content is not None else []
        elif el.tag == W + "customXml":
            out += _expand(list(el))
        else:
            out.append(el)
    return out


def _anchors(body: etree._Element, notes: dict[str, dict[str, etree._Element]]) -> set[str]:
    """Every bookmark an internal link reaches (``w:anchor``, a HYPERLINK field's ``\\l``)."""
    roots = [*_expand(list(body)), *(n for kind in notes.values() for n in kind.values())]
    found: set[str] = set()
    for root in roots:
        found |= {str(a) for el in root.iter(W + "hyperlink") if (a := el.get(W + "anchor"))}
        for instr in root.iter(W + "instrText"):
            hit = re.search(r'HYPERLINK\s+\\l\s+"([^"]+)"', instr.text or "")
            if hit:
                found.add(hit.group(1))
    return found


def _ident(name: str) -> str:
    """A bookmark's name as an id of the source."""
    return name if re.fullmatch(r"[A-Za-z][\w:.-]*", name) else "h" + re.sub(r"[^\w-]", "-", name)


def _body_size(styles: docxblocks.Styles) -> int:
    normal = styles.find("Normal", f"{W}rPr/{W}sz")
    return docxruns.integer(normal.get(W + "val"), 22) if normal is not None else 22


def _unbold(text: str) -> str:
    """``**text**`` as ``text`` when the whole of it is strong."""
    inner = text[2:-2]
    strong = text.startswith("**") and text.endswith("**") and len(text) > 4 and "**" not in inner
    return inner if strong and not inner.startswith("*") and not inner.endswith("*") else text


def _picture_only(para: Para) -> bool:
    """A paragraph that holds one picture and no text: a figure."""
    pictures = [p for p in para.pieces if not p.text and p.md.startswith("![")]
    return len(pictures) == 1 and not para.plain.strip() and all(p.text or p is pictures[0] for p in para.pieces)


def _told(alt: str, caption: str) -> bool:
    """Whether a picture's alt text says what its caption (Markdown) says: most of its words
    are the caption's (a formula or a cross-reference may be written otherwise)."""
    words = re.findall(r"\w+", alt.lower())
    said = set(re.findall(r"\w+", re.sub(r"\]\([^)]*\)", "]", caption).lower()))
    return not words or sum(w in said for w in words) >= 0.8 * len(words)
