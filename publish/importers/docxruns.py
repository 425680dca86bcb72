"""A Word paragraph's inline content as Markdown (:mod:`publish.importers.docxmd`): runs with
their emphasis, strong, super/subscript, small caps, strike and language (against the
document's), code (a code character style or a monospace font), hyperlinks (external, and
internal ``#id`` links to bookmarks), complex and simple fields (a ``HYPERLINK`` field is a
link, any other shows its result), footnote and endnote references, pictures, equations
(:mod:`publish.importers.docxmath`), check boxes; tracked changes resolved as accepted
(deletions dropped, insertions kept), comments dropped."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from lxml import etree

from publish import langs
from publish.importers import docxmath
from publish.importers import docxmd as md

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
M = "{http://schemas.openxmlformats.org/officeDocument/2006/math}"
W14 = "{http://schemas.microsoft.com/office/word/2010/wordml}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
#: The order marks nest in, outermost first.
ORDER = ("lang", "smallcaps", "strike", "strong", "em", "sup", "sub")
MONO = re.compile(r"mono|courier|consolas|menlo|monaco|typewriter|code|fixed|lucida console|inconsolata", re.I)
CODE_STYLES = re.compile(r"verbatim|code|source|monospace|html (code|typewriter|keyboard)", re.I)
CJK = re.compile(r"[\u1100-\u11ff\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]")
RTL = re.compile(r"[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")
#: Word's region tags → the BCP 47 tag a source names (the inverse of publish.langs' maps).
FROM_WORD = {v.lower(): k for k, v in langs.WORD_BIDI.items() if k != "iw"}
FROM_WORD.update({"zh-tw": "zh-Hant", "zh-cn": "zh-Hans", "ja-jp": "ja", "ko-kr": "ko"})


def integer(value: object, default: int = 0) -> int:
    """An attribute's whole number (``12``, ``12pt``, ``-2``); ``default`` when it has none:
    a malformed value degrades, it does not stop the import."""
    found = re.match(r"\s*(-?\d+)", str(value)) if value is not None else None
    return int(found.group(1)) if found else default


@dataclass
class Context:
    """What reading runs needs from the whole document."""

    char_styles: dict[str, etree._Element]  # style id → its w:style (character styles)
    lang: str  # the document language as Word tags it (en-US, zh-TW…)
    relation: Callable[[str], str]  # r:id → target (external link)
    picture: Callable[[etree._Element], str]  # a w:drawing → its Markdown, or ""
    note: Callable[[str, str], str]  # ("footnote"|"endnote", w:id) → its Markdown reference
    changes: int = 0  # tracked changes resolved, for a warning
    comments: int = 0
    text_boxes: int = 0
    anchors: set[str] = field(default_factory=set)  # internal link targets
    #: bookmark → the id the source gives it (headings, figures, tables): an internal link to
    #: any other bookmark is set as its text
    known: dict[str, str] = field(default_factory=dict)


@dataclass
class Piece:
    md: str
    marks: frozenset[str] = frozenset()
    mono: bool = False  # text in a monospace face or code style
    text: bool = True  # plain words (not a note, a picture, a formula)


def _on(rpr: etree._Element | None, name: str) -> bool | None:
    el = rpr.find(W + name) if rpr is not None else None
    if el is None:
        return None
    return el.get(W + "val", "true").lower() not in ("0", "false", "off", "none")


def run_marks(r: etree._Element, ctx: Context) -> tuple[frozenset[str], bool]:
    """A run's marks (its character style's, then its own) and whether it is code."""
    rpr = r.find(W + "rPr")
    marks: set[str] = set()
    mono = False
    chain: list[etree._Element | None] = []
    style = rpr.find(W + "rStyle") if rpr is not None else None
    if style is not None:
        sid = str(style.get(W + "val"))
        element = ctx.char_styles.get(sid)
        name_el = element.find(W + "name") if element is not None else None
        name = str(name_el.get(W + "val", "")) if name_el is not None else sid
        if CODE_STYLES.search(name) or CODE_STYLES.search(sid):
            mono = True
        seen = 0
        while element is not None and seen < 8:
            chain.insert(0, element.find(W + "rPr"))
            based = element.find(W + "basedOn")
            element = ctx.char_styles.get(str(based.get(W + "val"))) if based is not None else None
            seen += 1
    chain.append(rpr)
    flags: dict[str, bool] = {}
    vert = None
    for props in chain:
        for name, mark in (
            ("b", "strong"),
            ("i", "em"),
            ("smallCaps", "smallcaps"),
            ("strike", "strike"),
            ("dstrike", "strike"),
        ):
            value = _on(props, name)
            if value is not None:
                flags[mark] = value
        va = props.find(W + "vertAlign") if props is not None else None
        if va is not None:
            vert = va.get(W + "val")
        position = props.find(W + "position") if props is not None else None
        if position is not None and va is None:  # raised or lowered (LibreOffice's HTML import)
            raised = integer(position.get(W + "val"))
            vert = "superscript" if raised > 0 else "subscript" if raised < 0 else vert
        fonts = props.find(W + "rFonts") if props is not None else None
        if fonts is not None and MONO.search(fonts.get(W + "ascii", "") + " " + fonts.get(W + "hAnsi", "")):
            mono = True
    marks = {k for k, v in flags.items() if v}
    if vert == "superscript":
        marks.add("sup")
    elif vert == "subscript":
        marks.add("sub")
    return frozenset(marks), mono


def run_lang(r: etree._Element, text: str, ctx: Context) -> str | None:
    """The language of a run's text when it is not the document's: ``lang=xx``; else None."""
    rpr = r.find(W + "rPr")
    lang = rpr.find(W + "lang") if rpr is not None else None
    if lang is None or not text.strip():
        return None
    if RTL.search(text) and lang.get(W + "bidi"):
        tag = lang.get(W + "bidi", "")
    elif CJK.search(text) and lang.get(W + "eastAsia"):
        tag = lang.get(W + "eastAsia", "")
    else:
        tag = lang.get(W + "val", "")
    if not tag or tag.lower() in NO_LANGUAGE or same_language(tag, ctx.lang):
        return None
    return FROM_WORD.get(tag.lower(), tag)


#: Tags that name no language: "no linguistic content" (LibreOffice's "[None]", set on code),
#: Word's "x-none", "undetermined". Such a run is in the language around it.
NO_LANGUAGE = frozenset({"zxx", "x-none", "und"})


def same_language(tag: str, document: str) -> bool:
    """Whether a run's Word tag is the document's language: the same tag, or the document's
    language without a region and the run's in one of its regions (``en-US`` in ``en``)."""
    tag, document = tag.lower(), document.lower()
    return tag == document or ("-" not in document and tag.split("-")[0] == document)


class Runs:
    """Collects the pieces of one paragraph (or of a link inside it)."""

    def __init__(self, ctx: Context):
        self.ctx = ctx
        self.pieces: list[Piece] = []
        self.fields: list[dict[str, object]] = []  # open complex fields
        self.bookmarks: list[str] = []
        self.boxes: list[str] = []

    def visible(self) -> bool:
        """Whether text now reaches the paragraph (not a field's instruction)."""
        return all(f["phase"] == "result" for f in self.fields)

    def add(self, md: str, marks: frozenset[str] = frozenset(), mono: bool = False, text: bool = True) -> None:
        if self.visible() and md:
            self.pieces.append(Piece(md, marks, mono, text))

    def walk(self, parent: etree._Element) -> None:
        for el in parent:
            tag = el.tag
            if tag == W + "r":
                self.run(el)
            elif tag in (W + "hyperlink",):
                self.hyperlink(el)
            elif tag in (W + "ins", W + "moveTo"):
                self.ctx.changes += 1
                self.walk(el)
            elif tag in (W + "del", W + "moveFrom"):
                self.ctx.changes += 1
            elif tag in (W + "smartTag", W + "customXml", W + "fldSimple", W + "dir", W + "bdo"):
                instr = el.get(W + "instr", "")
                if tag == W + "fldSimple" and instr.split()[:1] == ["HYPERLINK"]:
                    self.link_field(instr, el)
                else:
                    self.walk(el)
            elif tag == W + "sdt":
                box = el.find(f"{W}sdtPr/{W14}checkbox")
                if box is not None:
                    checked = box.find(W14 + "checked")
                    self.boxes.append("x" if checked is not None and checked.get(W14 + "val") in ("1", "true") else " ")
                else:
                    content = el.find(W + "sdtContent")
                    if content is not None:
                        self.walk(content)
            elif tag == W + "bookmarkStart":
                self.bookmarks.append(str(el.get(W + "name", "")))
            elif tag in (M + "oMath", M + "oMathPara"):
                display = tag == M + "oMathPara"
                for math in [el] if not display else el.iter(M + "oMath"):
                    self.add(md.math(docxmath.tex(math), display), text=False)
            elif tag == W + "commentRangeStart":
                self.ctx.comments += 1

    def run(self, r: etree._Element, children: list[etree._Element] | None = None) -> None:
        marks, mono = run_marks(r, self.ctx)
        for el in r if children is None else children:
            tag = el.tag
            if tag == W + "t":
                value = el.text or ""
                lang = run_lang(r, value, self.ctx)
                self.add(md.text(value), marks | ({f"lang={lang}"} if lang else set()), mono)
            elif tag in (W + "tab", W + "ptab"):
                self.add(" ", marks, mono)
            elif tag in (W + "br", W + "cr"):
                if el.get(W + "type") not in ("page", "column"):
                    self.add("\\\n", marks, mono)
            elif tag == W + "noBreakHyphen":
                self.add("-", marks, mono)
            elif tag == W + "sym":
                code = str(el.get(W + "char", ""))
                if re.fullmatch(r"[0-9A-Fa-f]{1,6}", code):
                    point = int(code, 16)
                    point = point - 0xF000 if point >= 0xF000 else point  # a symbol font's private area
                    self.add(md.text(chr(point) if 0 < point < 0x110000 else ""), marks, mono)
            elif tag in (W + "footnoteReference", W + "endnoteReference"):
                kind = "footnote" if tag == W + "footnoteReference" else "endnote"
                self.add(self.ctx.note(kind, str(el.get(W + "id"))), text=False)
            elif tag in (W + "drawing", W + "pict", "{urn:schemas-microsoft-com:office:office}object"):
                boxes = list(el.iter(W + "txbxContent"))
                if boxes:  # a text box: its text where it stands, never lost
                    self.ctx.text_boxes += 1
                    for box in boxes[:1]:
                        for p in box.iter(W + "p"):
                            self.walk(p)
                            self.add(" ", text=True)
                else:
                    self.add(self.ctx.picture(el), text=False)
            elif tag == MC + "AlternateContent":  # its first choice (the fallback repeats it)
                choice = next(iter(el), None)
                if choice is not None:
                    self.run(r, list(choice))
            elif tag == W + "ruby":  # the base text (the reading above it is left out)
                base = el.find(W + "rubyBase")
                if base is not None:
                    self.walk(base)
            elif tag == W + "fldChar":
                self.field_char(str(el.get(W + "fldCharType")))
            elif tag == W + "instrText" and self.fields:
                self.fields[-1]["instr"] = str(self.fields[-1]["instr"]) + (el.text or "")
            elif tag == W + "commentReference":
                self.ctx.comments += 1
            elif tag in (W + "delText",):
                self.ctx.changes += 1

    def field_char(self, kind: str) -> None:
        if kind == "begin":
            self.fields.append({"phase": "instr", "instr": "", "start": len(self.pieces)})
        elif kind == "separate" and self.fields:
            self.fields[-1]["phase"] = "result"
            self.fields[-1]["start"] = len(self.pieces)
        elif kind == "end" and self.fields:
            found = self.fields.pop()
            instr = str(found["instr"]).strip()
            start = int(str(found["start"]))
            if instr.split()[:1] == ["HYPERLINK"] and found["phase"] == "result":
                inner = self.pieces[start:]
                del self.pieces[start:]
                self.add(self.link(render(inner), _field_target(instr)), text=False)

    def link_field(self, instr: str, el: etree._Element) -> None:
        inner = Runs(self.ctx)
        inner.walk(el)
        self.add(self.link(render(inner.pieces), _field_target(instr)), text=False)

    def hyperlink(self, el: etree._Element) -> None:
        inner = Runs(self.ctx)
        inner.walk(el)
        self.bookmarks += inner.bookmarks
        anchor = el.get(W + "anchor")
        rid = el.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")
        if anchor:
            self.ctx.anchors.add(anchor)
            target = "#" + anchor
        elif rid:
            target = self.ctx.relation(rid)
        else:
            target = ""
        shown = render(inner.pieces)
        self.add(self.link(shown, target) if target else shown, text=False)

    def link(self, inner: str, target: str) -> str:
        """A link; an internal one only to a bookmark the source keeps as an id."""
        if not inner.strip() or not target:
            return inner
        if target.startswith("#"):
            ident = self.ctx.known.get(target[1:])
            return md.link(inner, "#" + ident) if ident else inner
        return md.link(inner, target)


def _field_target(instr: str) -> str:
    """The target of a ``HYPERLINK "url"`` or ``HYPERLINK \\l "bookmark"`` field."""
    found = re.search(r'\\l\s+"([^"]+)"', instr)
    if found:
        return "#" + found.group(1)
    found = re.search(r'HYPERLINK\s+"([^"]+)"', instr) or re.search(r"HYPERLINK\s+(\S+)", instr)
    return found.group(1) if found else ""


def render(pieces: list[Piece], opened: frozenset[str] = frozenset()) -> str:
    """The pieces as Markdown, marks nested (the outermost first, :data:`ORDER`), code
    stretches as code spans."""
    out: list[str] = []
    index = 0
    while index < len(pieces):
        piece = pieces[index]
        todo = sorted(piece.marks - opened, key=_rank)
        if todo:
            mark = todo[0]
            end = index
            while end < len(pieces) and mark in pieces[end].marks:
                end += 1
            inner = render(pieces[index:end], opened | {mark})
            out.append(md.wrap(_wrap_name(mark), inner))
            index = end
        elif piece.mono and piece.text:
            end = index
            while end < len(pieces) and pieces[end].mono and pieces[end].text and not (pieces[end].marks - opened):
                end += 1
            out.append(_code(pieces[index:end]))
            index = end
        else:
            out.append(piece.md)
            index += 1
    return "".join(out)


def _code(pieces: list[Piece]) -> str:
    raw = "".join(_unescape(p.md) for p in pieces)
    if not raw.strip():
        return "".join(p.md for p in pieces)
    lead = raw[: len(raw) - len(raw.lstrip(" "))]
    trail = raw[len(raw.rstrip(" ")) :]
    return lead + md.code(raw.strip(" ")) + trail


def _unescape(s: str) -> str:
    return re.sub(r"\\(.)", r"\1", s.replace("\\\n", " "), flags=re.S)


def _rank(mark: str) -> int:
    return 0 if mark.startswith("lang=") else ORDER.index(mark) if mark in ORDER else len(ORDER)


def _wrap_name(mark: str) -> str:
    if mark.startswith("lang="):
        return mark
    return ".smallcaps" if mark == "smallcaps" else mark


def plain(pieces: list[Piece], lines: bool = False) -> str:
    """The words of some pieces (their Markdown unescaped): what the heuristics look at;
    with ``lines``, line breaks kept (code)."""
    return "".join(_unescape(p.md.replace("\\\n", "\ue004") if lines else p.md) for p in pieces if p.text).replace(
        "\ue004", "\n"
    )
