"""TeX math → MathML, once per formula: the one conversion every edition starts from.

latex2mathml does the work; this module makes its output safe to use. It refuses what the
project does otherwise (``\\label``, ``\\tag``: equations are numbered with ``{#eq-x}``),
commands latex2mathml does not know (it passes them silently as ``<mi>\\foo</mi>``) and output
that is not well-formed XML; it rewrites ``aligned`` (latex2mathml gives a bare ``&``) to
``align*``, which it turns into a table, as pandoc's texmath does. The result is pandoc's form:
``<math display="…" alttext="TeX"><semantics>…<annotation encoding="application/x-tex">``.

:func:`math_text` is "the text of a formula" that read-backs compare: the letters and digits
its MathML shows (operators, fences and accents left out, which Word keeps in attributes).
:func:`split_display` sets display math in paragraphs of its own (the DOCX form, pandoc's).
"""

from __future__ import annotations

import dataclasses
import functools
import re
import unicodedata
from collections.abc import Sequence

from latex2mathml.converter import convert as _latex2mathml
from lxml import etree

from publish import mathshape, transforms, walk
from publish import model as m

MATHML_NS = "http://www.w3.org/1998/Math/MathML"
TEX_ENCODING = "application/x-tex"
_REFUSED = re.compile(r"\\(label|tag)\b\*?")
_UNKNOWN = re.compile(r"<m[io]>(\\[A-Za-z]+)")
#: Environments latex2mathml mangles → one it turns into the same table.
_REWRITES = {"aligned": "align*", "align": "align*", "alignat": "align*", "alignedat": "align*"}
_ENVIRONMENT = re.compile(r"\\(begin|end)\{(aligned|align|alignat|alignedat)\}(\{\d+\})?")
#: ``\text{the $n$th}``: math inside text (pandoc's texmath sets it as math).
_TEXT_MATH = re.compile(r"\\(text|textrm|mbox)\{((?:[^{}$]*(?<!\\)\$[^{}$]*(?<!\\)\$)+[^{}$]*)\}")
#: An equation's label after its closing ``$$`` (Quarto's and pandoc-crossref's spelling).
_LABEL = re.compile(r"^[ \t]*\{#((?:eq)[-:][\w:.-]+)\}")


@dataclasses.dataclass(frozen=True)
class Converted:
    """A formula's MathML (``<math>`` with the TeX as annotation and ``alttext``), its bare
    presentation MathML (for SVG), or why it was refused (``problem``, then both empty)."""

    mathml: str = ""
    presentation: str = ""
    problem: str = ""


def _rewrite(tex: str) -> str:
    def one(found: re.Match[str]) -> str:
        return f"\\{found.group(1)}{{{_REWRITES[found.group(2)]}}}"

    def text(found: re.Match[str]) -> str:  # math inside \text{…}: the text around it, it as math
        pieces = re.split(r"(?<!\\)\$", found.group(2))
        return "".join(p if n % 2 else f"\\{found.group(1)}{{{p}}}" for n, p in enumerate(pieces) if p)

    return _TEXT_MATH.sub(text, _ENVIRONMENT.sub(one, tex))


@functools.lru_cache(maxsize=4096)
def convert(tex: str, display: bool = False) -> Converted:
    """``tex`` (as written between the dollars) as MathML, or the reason it is refused."""
    refused = _REFUSED.search(tex)
    if refused:
        return Converted(
            problem=f"\\{refused.group(1)} in math: equations are numbered by the project; "
            "write $$…$$ {#eq-name} and refer to it as @eq-name"
        )
    depth = 0
    for brace in re.findall(r"\\.|[{}]", tex):
        depth += {"{": 1, "}": -1}.get(brace, 0)
        if depth < 0:
            break
    if depth:
        return Converted(problem="unbalanced braces { } in math")
    try:
        raw = _latex2mathml(_rewrite(tex), display="block" if display else "inline")
    except Exception as exc:  # latex2mathml raises bare exceptions of many kinds on bad TeX
        return Converted(problem=f"math that cannot be read as TeX ({type(exc).__name__}: {exc})")
    unknown = sorted(set(_UNKNOWN.findall(raw)))
    if unknown:
        return Converted(problem=f"unknown TeX command(s) in math: {', '.join(unknown)}")
    try:
        root = etree.fromstring(raw)
    except etree.XMLSyntaxError as exc:
        return Converted(problem=f"math that does not convert to well-formed MathML ({exc})")
    mathshape.apply(root)
    _column_styles(root)
    presentation = etree.tostring(root, encoding="unicode")
    return Converted(_semantic(root, tex), presentation)


def _column_styles(root: etree._Element) -> None:
    """A table's column alignment also as CSS, as pandoc writes it: browsers (MathML Core)
    ignore ``columnalign``; an alignment's columns (``aligned``) meet without padding."""
    for table in root.iter(f"{{{MATHML_NS}}}mtable"):
        joined = (table.get("columnspacing") or "").startswith("0em")
        for cell in table.iter(f"{{{MATHML_NS}}}mtd"):
            align = cell.get("columnalign")
            if align in ("left", "right", "center"):
                padding = f"; padding-{'right' if align == 'right' else 'left'}: 0" if joined else ""
                cell.set("style", f"text-align: {align}{padding}")


def _semantic(root: etree._Element, tex: str) -> str:
    """pandoc's form: the presentation in one ``mrow`` beside the TeX annotation."""
    ns = f"{{{MATHML_NS}}}"
    math = etree.Element(f"{ns}math", nsmap={None: MATHML_NS})  # type: ignore[dict-item]
    math.set("display", root.get("display", "inline"))
    math.set("alttext", tex)
    semantics = etree.SubElement(math, f"{ns}semantics")
    children = list(root)
    if len(children) == 1 and etree.QName(children[0]).localname == "mrow":
        semantics.append(children[0])
    else:
        row = etree.SubElement(semantics, f"{ns}mrow")
        row.extend(children)
    annotation = etree.SubElement(semantics, f"{ns}annotation", encoding=TEX_ENCODING)
    annotation.text = tex
    return etree.tostring(math, encoding="unicode")


def problem(tex: str, display: bool = False) -> str:
    """Why the reader refuses ``tex`` (empty: it is accepted)."""
    return convert(tex, display).problem


def visible(chars: str) -> str:
    """The letters and digits of a formula's characters (compatibility forms folded: ℝ → R)."""
    return "".join(c for c in unicodedata.normalize("NFKC", chars) if unicodedata.category(c)[0] in "LN")


def math_text(mathml: str | etree._Element) -> str:
    """The text a formula shows, as read-backs compare it: :func:`visible` of its MathML's
    characters, the TeX annotation left out."""
    root = etree.fromstring(mathml) if isinstance(mathml, str) else mathml
    parts: list[str] = []

    def visit(el: etree._Element) -> None:
        if not isinstance(el.tag, str) or etree.QName(el).localname in ("annotation", "annotation-xml"):
            return
        parts.append(el.text or "")
        children = list(el)
        if etree.QName(el).localname == "mroot":  # its index first, as TeX and Word write it
            children.reverse()
        for child in children:
            visit(child)

    visit(root)
    return visible("".join(parts))


def text_of(node: m.Math) -> str:
    """The outline's text of a formula: its :func:`math_text`, then its number "(n)"."""
    converted = convert(node.tex, node.display)
    shown = math_text(converted.mathml) if converted.mathml else visible(node.tex)
    return f"{shown} ({node.number})" if node.number else shown


def take_label(content: list[m.Inline], text: str) -> str:
    """``text`` after a display formula (the last of ``content``): a label ``{#eq-x}`` at its
    start becomes the formula's id and is taken out of the text."""
    if not content or not isinstance(content[-1], m.Math) or not content[-1].display or content[-1].attr.id:
        return text
    found = _LABEL.match(text)
    if not found:
        return text
    content[-1] = dataclasses.replace(content[-1], attr=m.Attr(id=found.group(1)))
    return text[found.end() :]


def attach_labels(blocks: list[m.Block]) -> list[m.Block]:
    """A display formula alone in its paragraph followed by a paragraph that is only its label
    (``$$…$$`` then ``{#eq-x}`` on the next line: one paragraph to pandoc) takes the label."""
    out: list[m.Block] = []
    for block in blocks:
        previous = out[-1] if out else None
        if (
            isinstance(block, m.Paragraph)
            and len(block.content) == 1
            and isinstance(block.content[0], m.Text)
            and isinstance(previous, m.Paragraph)
            and len(previous.content) == 1
        ):
            content: list[m.Inline] = list(previous.content)
            rest = take_label(content, block.content[0].text)
            if not rest.strip() and content[0] != previous.content[0]:
                out[-1] = m.Paragraph(tuple(content))
                continue
        out.append(block)
    return out


# ---------------------------------------------------------------- display math on its own


def _split(blocks: Sequence[m.Block]) -> tuple[m.Block, ...]:
    out: list[m.Block] = []
    for block in blocks:
        if not isinstance(block, m.Paragraph) or not any(_is_display(n) for n in block.content):
            out.append(block)
            continue
        after = False  # the run follows a formula
        run: list[m.Inline] = []
        for node in block.content:
            if _is_display(node):
                if _shown(run):
                    out.append(m.Paragraph(_trim(run, lead=after, trail=True)))
                out.append(m.Paragraph((node,)))
                run, after = [], True
            else:
                run.append(node)
        if _shown(run):
            out.append(m.Paragraph(_trim(run, lead=after, trail=False)))
    return tuple(out)


def _trim(run: list[m.Inline], lead: bool, trail: bool) -> tuple[m.Inline, ...]:
    """A run of text beside display math without its spaces at the formula's side (the line
    break before ``$$``, the space after it: a paragraph would open with a space)."""
    nodes = list(run)
    if lead and nodes and isinstance(nodes[0], m.Text):
        nodes[0] = m.Text(nodes[0].text.lstrip())
    if trail and nodes and isinstance(nodes[-1], m.Text):
        nodes[-1] = m.Text(nodes[-1].text.rstrip())
    return tuple(n for n in nodes if not isinstance(n, m.Text) or n.text)


def _is_display(node: m.Inline) -> bool:
    return isinstance(node, m.Math) and node.display


def _shown(run: Sequence[m.Inline]) -> bool:
    return any(not isinstance(n, m.Text) or n.text.strip() for n in run)


def split_display(doc: m.Document) -> m.Document:
    """Every paragraph with display math split around it: the formula in a paragraph of its
    own (how pandoc writes it in DOCX, where ``m:oMathPara`` stands alone in its ``w:p``)."""

    def fn(node: walk.Node) -> walk.Node:
        if isinstance(node, m.BlockQuote | m.ListItem | m.Note | m.Div):
            return dataclasses.replace(node, blocks=_split(node.blocks))
        if isinstance(node, m.Cell) and node.blocks:
            return dataclasses.replace(node, blocks=_split(node.blocks))
        if isinstance(node, m.DefinitionItem):
            return dataclasses.replace(node, definitions=tuple(_split(d) for d in node.definitions))
        return node

    return transforms.rewrite(dataclasses.replace(doc, blocks=_split(doc.blocks)), fn)
