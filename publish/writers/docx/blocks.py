"""Paragraph-level content: paragraphs, headings, lists, quotes, code, figures, tables and
rules; and what comes before the body: the title block and the table of contents."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace

import lxml.html
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.part import Part
from docx.oxml.ns import qn
from lxml import etree

from publish import bibliography, tablegrid, walk
from publish import model as m
from publish import templates as tpl
from publish.writers.docx import captions, direction, divs, house, lists, tables
from publish.writers.docx.house import twips
from publish.writers.docx.inlines import code_runs, html_runs, run, write_inlines
from publish.writers.docx.pages import PAGE_COLUMN, PLACEHOLDER
from publish.writers.docx.pictures import picture
from publish.writers.docx.state import RunStyle, State

#: Title-block classes (from base/titleblock.html) → Word paragraph styles.
TITLE_STYLES = {
    "publisher": "Publisher",
    "title": "Title",
    "subtitle": "Subtitle",
    "byline": "Byline",
    "dateline": "Date Line",
}


def paragraph(s: State, container: etree._Element, style: str, rtl: bool | None = None) -> etree._Element:
    """A paragraph of ``style``, right to left when ``rtl`` (None: in the document's direction);
    its direction is written where it is right to left or the document is."""
    p = etree.SubElement(container, qn("w:p"))
    pPr = etree.SubElement(p, qn("w:pPr"))
    etree.SubElement(pPr, qn("w:pStyle"), {qn("w:val"): s.styles.id(style)})
    rtl = s.rtl if rtl is None else rtl
    if rtl or s.rtl:
        direction.set_bidi(pPr, rtl)
    return p


def write_blocks(
    s: State,
    container: etree._Element,
    nodes: Iterable[m.Block],
    part: Part,
    *,
    base: str = "Normal",
    lang: str | None = None,
    depth: int = 0,
    list_style: tuple[str, str] | None = None,
    more: str | None = None,
) -> None:
    """Append ``nodes``. ``base`` is the style of plain paragraphs here (Normal, Quote,
    Footnote Text, a callout's); inside a list item ``list_style`` = (first paragraph, the
    rest); ``more`` is the style of plain paragraphs after the first block (a definition's).
    Plain and ``details`` Divs are opened where they stand (:func:`.divs.opened`)."""
    first_in_item = True
    after_table = False
    for index, found in enumerate(divs.opened(nodes, lang=lang)):
        node, here = found.block, found.lang or lang
        style = RunStyle(lang=here or s.model.meta.lang)
        para_style = base if more is None or index == 0 else more
        if list_style is not None:
            para_style = list_style[0] if first_in_item else list_style[1]
        first_in_item = False
        start = len(container)
        match node:
            case m.Heading(level=level, content=c, attr=attr):
                heading_style = style.within(attr.lang, attr.get("dir"))
                p = paragraph(s, container, f"Heading {level}", heading_style.rtl)
                if "chapter" in attr.classes:  # a book's chapter starts a page (.furniture: a section)
                    etree.SubElement(p[0], qn("w:pageBreakBefore"))  # p[0] is its w:pPr
                    if s.styles.house:  # its title lower on the page than a section's
                        etree.SubElement(p[0], qn("w:spacing"), {qn("w:before"): twips(house.CHAPTER_SINK)})
                if attr.id and part is s.part:
                    _bookmark(s, p, attr.id)
                number = (m.Text(f"{node.number} "),) if node.number else ()  # numbered sections: as text
                write_inlines(s, p, (*number, *c), heading_style, part)
            case m.Paragraph(content=c):
                p = paragraph(s, container, para_style, style.rtl)
                write_inlines(s, p, c, style, part)
            case m.BlockQuote(blocks=inner):
                if list_style is None:
                    inset = int(house.twips(house.QUOTE_INDENT))
                    for block in inner:  # a quote, list or code inside the quote: in by its indent
                        at = len(container)
                        write_blocks(s, container, (block,), part, base="Quote", lang=here, depth=depth)
                        if not isinstance(block, m.Paragraph):
                            for p, own in _nested(s, list(container)[at:], lambda name: False):
                                divs.indent_by(p, own, inset)
                else:  # inside a list item the item's styles win (see outline.flatten)
                    item_styles = (para_style, list_style[1])
                    write_blocks(s, container, inner, part, base=base, lang=here, depth=depth, list_style=item_styles)
            case m.BulletList(items=items) | m.OrderedList(items=items):
                kind = "bullet" if isinstance(node, m.BulletList) else "number"
                first = s.styles.list_style(kind, depth + 1)
                rest = s.styles.list_style("continue", depth + 1)
                num_id = _restart(s, first, node.start) if isinstance(node, m.OrderedList) else None
                if isinstance(node, m.OrderedList) and lists.fancy(node):  # a., (iv)...: numbering of its own
                    num_id = lists.numbering(s, first, node)
                list_start = len(container)
                for item in items:
                    item_start = len(container)
                    write_blocks(
                        s, container, item.blocks, part, base=base, lang=here, depth=depth + 1, list_style=(first, rest)
                    )
                    if item.checked is not None:  # a task: its box opens the item's first paragraph
                        if len(container) == item_start:
                            paragraph(s, container, first)
                        indent = _list_indent(s, first) if kind == "bullet" else None
                        divs.task_box(list(container)[item_start:], item.checked, bullet_indent=indent)
                    if num_id is not None and len(container) > item_start:
                        _num(container[item_start], num_id)
                if node.tight:  # no space between the items: only after the list's last paragraph
                    for p in list(container)[list_start:-1]:
                        if p.tag == qn("w:p") and p[0].find(qn("w:spacing")) is None:
                            etree.SubElement(p[0], qn("w:spacing"), {qn("w:before"): "0", qn("w:after"): "0"})
            case m.DefinitionList(items=entries):
                term_style, definition_style, more_style = lists.definition_styles(s)
                for entry in entries:
                    write_inlines(s, paragraph(s, container, term_style, style.rtl), entry.term, style, part)
                    for blocks in entry.definitions:
                        at = len(container)
                        write_blocks(
                            s, container, blocks, part, base=definition_style, lang=here, depth=depth, more=more_style
                        )
                        inset = int(house.twips(house.DEFINITION_INDENT))  # its lists and code too
                        for p, own in _nested(s, list(container)[at:], (definition_style, more_style).__contains__):
                            divs.indent_by(p, own, inset)
            case m.CodeBlock(text=code, language=language):
                code_runs(s, paragraph(s, container, "Source Code", rtl=False), code, language, style)
            case m.Figure(image=image, caption=caption, attr=attr):
                figure_style = style.within(attr.lang, attr.get("dir"))
                p = paragraph(s, container, "Figure", figure_style.rtl)
                r = etree.SubElement(p, qn("w:r"))
                size = (attr.get("width") or "", attr.get("height") or "")
                etree.SubElement(r, qn("w:drawing")).append(picture(s, part, image.src, image.alt, size=size))
                cap = paragraph(s, container, "Caption", figure_style.rtl)
                captions.write(s, cap, "figure", node, caption, figure_style, part)
            case m.Table():
                table(s, container, node, style, part)
            case m.ThematicBreak():
                paragraph(s, container, "Thematic Break", style.rtl)
            case m.Div() if bibliography.is_references(node):
                bibliography_blocks(s, container, node, part, style)
            case m.Div():  # a callout: plain and details Divs are opened above
                callout(s, container, node, part, style)
        if isinstance(node, m.Table) and s.styles.house:
            after_table = True  # the next paragraph here keeps its distance from the table's rule
        elif after_table:
            following = container[start] if len(container) > start else None
            if (
                following is not None
                and following.tag == qn("w:p")
                and following.find(f"{qn('w:pPr')}/{qn('w:spacing')}") is None
            ):
                divs.set_ppr(following, etree.Element(qn("w:spacing"), {qn("w:before"): twips(house.AFTER_TABLE)}))
            after_table = False
        if found.align:
            divs.justify(list(container)[start:], found.align)
        first_p = next((p for el in list(container)[start:] for p in el.iter(qn("w:p"))), None)
        for anchor in found.anchors:  # a Div's id: where its first paragraph is
            if first_p is not None:
                _bookmark(s, first_p, anchor, at_start=True)


def callout(s: State, container: etree._Element, div: m.Div, part: Part, style: RunStyle) -> None:
    """A callout: its title, in bold and in the callout's colour, and its blocks, a flow of
    their own (a list inside starts at level 1), as paragraphs of the callout's style
    (:func:`.divs.callout_style`); the paragraphs of its lists, quotes and code get its bar
    and shading (:func:`.divs.inside_callout`); an empty spacer paragraph ends it."""
    kind = walk.div_kind(div.attr)
    name = divs.callout_style(s.styles, kind)
    start = len(container)
    if div.title:
        title = paragraph(s, container, name)
        divs.keep_with_next(title)
        write_inlines(s, title, div.title, replace(style, bold=True, color=divs.CALLOUT_COLORS[kind]), part)
    write_blocks(s, container, div.blocks, part, base=name, lang=style.lang)
    for p, own in _nested(s, list(container)[start:], lambda name: name.startswith("Callout")):
        if p.find(f"{qn('w:pPr')}/{qn('w:pBdr')}") is None:  # not a callout's inside this one
            divs.inside_callout(p, kind, own)
    paragraph(s, container, divs.spacer(s.styles))


def bibliography_blocks(s: State, container: etree._Element, div: m.Div, part: Part, style: RunStyle) -> None:
    """A bibliography: its blocks, a flow of its own whose paragraphs (the entries', each
    bookmarked by its id) are in the style "Bibliography", which hangs. A numeric style's
    label is followed by a tab (:func:`.inlines.write_inlines`): there the entries hang
    further, their text in a column of its own (:data:`.house.BIB_NUMERIC`)."""
    start = len(container)
    write_blocks(s, container, div.blocks, part, base=divs.bibliography_style(s.styles), lang=style.lang)
    if any(bibliography.is_label(e) for e in walk.walk(div.blocks)):
        numeric = twips(house.BIB_NUMERIC)
        for p, _ in _nested(s, list(container)[start:], lambda name: name != divs.BIBLIOGRAPHY):
            divs.set_ppr(p, etree.Element(qn("w:ind"), {qn("w:left"): numeric, qn("w:hanging"): numeric}))


def _nested(
    s: State, elements: list[etree._Element], own_style: Callable[[str], bool]
) -> Iterator[tuple[etree._Element, dict[str, str] | None]]:
    """The paragraphs among ``elements`` in a style of their own (not ``own_style``: a
    list's, code, a quote, inside a callout or a definition), each with its indents (its
    own ``w:ind``, else its style's or its numbering level's); tables are left as they are."""
    for p in elements:
        style_id = p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}") if p.tag == qn("w:p") else None
        if style_id is None:
            continue
        name = next((st.name for st in s.styles.styles if st.style_id == style_id.get(qn("w:val"))), "Normal")
        if own_style(name):
            continue
        direct = p.find(f"{qn('w:pPr')}/{qn('w:ind')}")
        own = {etree.QName(k).localname: str(v) for k, v in direct.attrib.items()} if direct is not None else None
        yield p, own or _list_indent(s, name)


def _bookmark(s: State, p: etree._Element, anchor: str, *, at_start: bool = False) -> None:
    """A bookmark around a paragraph's text (``at_start``: an empty one at its start) for the
    id ``anchor``, under its Word name (:func:`publish.bibliography.bookmark`)."""
    bid = str(s.next_id())
    start = etree.Element(qn("w:bookmarkStart"), {qn("w:id"): bid, qn("w:name"): bibliography.bookmark(anchor)})
    end = etree.Element(qn("w:bookmarkEnd"), {qn("w:id"): bid})
    ppr = p.find(qn("w:pPr"))
    at = (list(p).index(ppr) + 1 if ppr is not None else 0) if at_start else len(p)
    p.insert(at, start)
    p.insert(at + 1, end)


def _list_indent(s: State, style_name: str) -> dict[str, str] | None:
    """The indents (``w:ind`` attributes) a list style's paragraphs have from its numbering
    level, or from the style itself; None when it has neither."""
    ppr = s.styles[style_name].element.find(qn("w:pPr"))
    own = ppr.find(qn("w:ind")) if ppr is not None else None
    num_id = ppr.find(qn("w:numPr") + "/" + qn("w:numId")) if ppr is not None else None
    ilvl = ppr.find(qn("w:numPr") + "/" + qn("w:ilvl")) if ppr is not None else None
    if num_id is not None:
        numbering = s.part.numbering_part.element
        try:
            abstract = numbering.num_having_numId(int(num_id.get(qn("w:val")))).abstractNumId.val
        except KeyError:
            abstract = None
        level = ilvl.get(qn("w:val")) if ilvl is not None else "0"
        for definition in numbering.iter(qn("w:abstractNum")):
            if abstract is not None and definition.get(qn("w:abstractNumId")) == str(abstract):
                for lvl in definition.iter(qn("w:lvl")):
                    ind = lvl.find(qn("w:pPr") + "/" + qn("w:ind"))
                    if lvl.get(qn("w:ilvl")) == level and ind is not None:
                        return {etree.QName(k).localname: v for k, v in ind.attrib.items()}
    return {etree.QName(k).localname: v for k, v in own.attrib.items()} if own is not None else None


def _restart(s: State, style_name: str, start: int) -> str | None:
    """A numbering instance of the list style's numbering that starts at ``start``."""
    num_pr = s.styles[style_name].element.find(qn("w:pPr") + "/" + qn("w:numPr") + "/" + qn("w:numId"))
    if num_pr is None:
        return None
    numbering = s.part.numbering_part.element
    old = numbering.num_having_numId(int(num_pr.get(qn("w:val"))))
    num = numbering.add_num(old.abstractNumId.val)
    num.add_lvlOverride(ilvl=0).add_startOverride(start)
    return str(num.numId)


def _num(p: etree._Element, num_id: str) -> None:
    pPr = p.find(qn("w:pPr"))
    if pPr is None or p.tag != qn("w:p"):
        return
    numPr = etree.SubElement(pPr, qn("w:numPr"))
    etree.SubElement(numPr, qn("w:ilvl"), {qn("w:val"): "0"})
    etree.SubElement(numPr, qn("w:numId"), {qn("w:val"): num_id})


def table(s: State, container: etree._Element, table: m.Table, style: RunStyle, part: Part) -> None:
    """A table at its natural width, centred, ruled as the house rules tables (:mod:`.tables`)."""
    if table.caption or table.number:
        cap = paragraph(s, container, "Table Caption", style.rtl)
        captions.write(s, cap, "table", table, table.caption, style, part)
    rows = tablegrid.all_rows(table)
    grid = tablegrid.slots(rows)
    columns = max(len(table.aligns), len(grid[0]) if grid else 0)
    tbl = etree.SubElement(container, qn("w:tbl"))
    tblPr = etree.SubElement(tbl, qn("w:tblPr"))
    table_style, ours = tables.style(s.styles)
    if table_style:
        etree.SubElement(tblPr, qn("w:tblStyle"), {qn("w:val"): table_style})
    if style.rtl:  # the first column on the right
        direction.bidi_visual(tblPr)
    tables.properties(tblPr, ours, len(table.header_rows))
    widths = tables.widths(table, grid, columns, int(s.text_width / 635))  # twentieths of a point
    tables.grid(tbl, widths)
    # In a right-to-left paragraph Word reads "left" and "right" as its start and end: the
    # physical alignment the source asks for (as HTML's text-align) is the other one.
    sides = ("right", "left") if style.rtl else ("left", "right")
    jc = {m.Align.LEFT: sides[0], m.Align.CENTER: "center", m.Align.RIGHT: sides[1]}
    head = len(table.header_rows)
    for index, slots in enumerate(grid):
        tr = etree.SubElement(tbl, qn("w:tr"))
        if index < head:  # every header row repeats on the next pages
            trPr = etree.SubElement(tr, qn("w:trPr"))
            etree.SubElement(trPr, qn("w:tblHeader"))
        col = 0
        while col < columns:
            found = slots[col] if col < len(slots) else None
            span = max(1, found[0].colspan) if found else 1
            tc = etree.SubElement(tr, qn("w:tc"))
            tcPr = etree.SubElement(tc, qn("w:tcPr"))
            etree.SubElement(tcPr, qn("w:tcW"), {qn("w:w"): str(sum(widths[col : col + span])), qn("w:type"): "dxa"})
            if span > 1:  # merged across columns: one cell over the grid's columns
                etree.SubElement(tcPr, qn("w:gridSpan"), {qn("w:val"): str(span)})
            if found and found[0].rowspan > 1:  # merged down: the first cell restarts, the others continue
                etree.SubElement(tcPr, qn("w:vMerge"), {qn("w:val"): "restart"} if found[1] else {})
            if index == head - 1 and ours:
                tables.head_cell(tcPr)
            align = table.aligns[col] if col < len(table.aligns) else m.Align.DEFAULT
            if align is m.Align.DEFAULT and index < head and span > 1:
                align = m.Align.CENTER  # a heading over several columns is centred over them
            if found and found[1] and found[0].blocks:
                write_blocks(s, tc, found[0].blocks, part, base="Table Text", lang=style.lang)
            if found is None or not found[1] or not found[0].blocks or tc[-1].tag != qn("w:p"):
                p = paragraph(s, tc, "Table Text", style.rtl)
                if align in jc:
                    etree.SubElement(p[0], qn("w:jc"), {qn("w:val"): jc[align]})
                if found and found[1] and not found[0].blocks:
                    cell_style = replace(style, bold=True) if index < head else style
                    write_inlines(s, p, found[0].content, cell_style, part)
            col += span
        if index + 1 < len(grid) and any(found and not found[1] for found in grid[index + 1]):
            tables.keep_with_next(tr)  # a cell spans down into the next row


def toc(s: State, body: etree._Element) -> None:
    """A TOC field whose result is already filled in: one "toc n" paragraph per heading,
    linked to the heading's bookmark, with a PAGEREF field for its page. Word and
    LibreOffice show the entries as they are; the page numbers are filled in once the
    document is written (:mod:`.pages`)."""
    data = s.data
    if not data["show_toc"]:
        return
    levels = max(h["level"] for h in data["headings"])
    sdt = etree.SubElement(body, qn("w:sdt"))
    sdt_pr = etree.SubElement(sdt, qn("w:sdtPr"))
    part_obj = etree.SubElement(sdt_pr, qn("w:docPartObj"))
    etree.SubElement(part_obj, qn("w:docPartGallery"), {qn("w:val"): "Table of Contents"})
    etree.SubElement(part_obj, qn("w:docPartUnique"))
    content = etree.SubElement(sdt, qn("w:sdtContent"))
    title = paragraph(s, content, "TOC Heading")
    run(s, title, data["labels"]["contents"], RunStyle(lang=s.model.meta.lang))
    for index, heading in enumerate(data["headings"]):
        p = paragraph(s, content, f"toc {heading['level']}")
        tabs = etree.SubElement(p[0], qn("w:tabs"))
        position = str(int(s.text_width / 635))
        etree.SubElement(tabs, qn("w:tab"), {qn("w:val"): "right", qn("w:leader"): "dot", qn("w:pos"): position})
        # The title wraps short of a column the page number hangs in: how wide the number is
        # never changes the entry's lines, so the contents are as long as when laid out with
        # stand-in numbers (.pages).
        ind = p[0].find(qn("w:ind"))
        if ind is None:
            ind = etree.SubElement(p[0], qn("w:ind"))
        ind.set(qn("w:right"), str(PAGE_COLUMN))
        if index == 0:
            _field(p, f'TOC \\o "1-{levels}" \\h \\z \\u', "begin")
        mark = bibliography.bookmark(heading["id"])
        link = etree.SubElement(p, qn("w:hyperlink"), {qn("w:anchor"): mark, qn("w:history"): "1"})
        run(s, link, heading["text"], RunStyle(lang=s.model.meta.lang))
        etree.SubElement(etree.SubElement(link, qn("w:r")), qn("w:tab"))
        _field(link, f"PAGEREF {mark} \\h", "begin")
        etree.SubElement(etree.SubElement(link, qn("w:r")), qn("w:t")).text = PLACEHOLDER  # see .pages
        _field(link, None, "end")
    end = paragraph(s, content, "Normal")
    _field(end, None, "end")


def _field(parent: etree._Element, instruction: str | None, kind: str) -> None:
    """``begin`` writes begin, the instruction and separate (the cached result follows);
    ``end`` closes the innermost open field."""
    if kind == "begin":
        r = etree.SubElement(parent, qn("w:r"))
        etree.SubElement(r, qn("w:fldChar"), {qn("w:fldCharType"): "begin"})
        r = etree.SubElement(parent, qn("w:r"))
        instr = etree.SubElement(r, qn("w:instrText"))
        instr.text = f" {instruction} "
        instr.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        r = etree.SubElement(parent, qn("w:r"))
        etree.SubElement(r, qn("w:fldChar"), {qn("w:fldCharType"): "separate"})
    else:
        r = etree.SubElement(parent, qn("w:r"))
        etree.SubElement(r, qn("w:fldChar"), {qn("w:fldCharType"): "end"})


def title_block(s: State, body: etree._Element) -> None:
    """The theme's ``base/titleblock.html``, its classes mapped onto Word styles."""
    html = tpl.render(s.options.template_path, "base/titleblock.html", xhtml=False, **s.data)
    header = lxml.html.fragment_fromstring(html, create_parent="div")
    for element in header.iter():
        style = next((TITLE_STYLES[c] for c in element.get("class", "").split() if c in TITLE_STYLES), None)
        if style is None or element.tag not in ("p", "h1", "div"):
            continue
        p = paragraph(s, body, style)
        for text, run_style, brk, href in html_runs(element, RunStyle(lang=s.model.meta.lang)):
            if brk:
                etree.SubElement(etree.SubElement(p, qn("w:r")), qn("w:br"))
            elif text and href:
                link = etree.SubElement(p, qn("w:hyperlink"))
                link.set(qn("r:id"), s.part.relate_to(href, RT.HYPERLINK, is_external=True))
                run(s, link, text, run_style)
            elif text:
                run(s, p, text, run_style)
