"""SVG images made harmless and measured: the one place that reads a user's SVG file.

An SVG is a program as much as a picture: it can hold scripts and event handlers, links to
``javascript:``, and references that make a renderer read files or fetch URLs (``<image
href>``, ``<use href>``, ``url(...)`` and ``@import`` in CSS, ``xml-stylesheet``, external
entities). :func:`clean` parses the file with a parser that loads no DTD, resolves no external
entity and fetches nothing, then builds a *new* SVG from what it allows, so that every edition
(HTML and EPUB embed it, WeasyPrint draws it into the PDF, the DOCX carries it with a PNG
rendered from it) holds the same harmless picture:

- elements: SVG's drawing elements only; ``script``, ``foreignObject`` (HTML inside),
  animation (``set`` and ``animate*`` can rewrite an ``href``), ``handler``, editors' data in
  other namespaces (Inkscape, Illustrator), ``metadata``, comments, processing instructions
  and the DOCTYPE are left out (a ``switch`` keeps its SVG fallback);
- attributes: event handlers (``on*``), ``xml:base``, ``data-*`` and attributes of other
  namespaces are left out; an ``href`` (or ``xlink:href``, which it becomes) is kept when it
  points inside the file (``#id``), or on ``<image>`` when it is a ``data:`` URL of a PNG,
  JPEG, GIF or WebP picture; any other is left out;
- CSS (``<style>``, ``style=``, presentation attributes): a declaration or attribute with a
  ``url()`` other than ``#id`` is left out, and every at-rule but ``@media``.

A file that is not well-formed XML or whose root is not ``<svg>`` raises :class:`SvgError`.
:func:`size` gives the picture's size in CSS pixels from its ``width``, ``height`` and
``viewBox``, the way browsers and WeasyPrint size an ``<img>`` of it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tinycss2
from lxml import etree

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
XML_NS = "http://www.w3.org/XML/1998/namespace"
MEDIA_TYPE = "image/svg+xml"

#: SVG 1.1 and 2 elements that draw, structure, describe or style a picture.
ELEMENTS = frozenset(
    re.split(
        r"\s+",
        """a circle clipPath defs desc ellipse feBlend feColorMatrix feComponentTransfer feComposite
        feConvolveMatrix feDiffuseLighting feDisplacementMap feDistantLight feDropShadow feFlood feFuncA
        feFuncB feFuncG feFuncR feGaussianBlur feImage feMerge feMergeNode feMorphology feOffset
        fePointLight feSpecularLighting feSpotLight feTile feTurbulence filter g image line
        linearGradient marker mask path pattern polygon polyline radialGradient rect stop style svg
        switch symbol text textPath title tspan use view""",
    )
)
#: What a ``<use>`` may draw (SVG 1.1, 5.6).
_USE_TARGETS = frozenset(
    {"svg", "symbol", "g", "a", "switch", "use", "path", "rect", "circle", "ellipse", "line", "polyline", "polygon"}
    | {"text", "image"}
)
#: Elements whose ``href`` may be a ``data:`` URL of a raster picture.
_PICTURES = frozenset({"image", "feImage"})
_DATA_PICTURE = re.compile(r"^data:image/(png|jpeg|gif|webp);base64,[A-Za-z0-9+/=\s]*$")
#: CSS functions that load something other than a reference inside the file.
_LOADING_FUNCTIONS = frozenset({"image", "image-set", "-webkit-image-set", "element", "-moz-element", "cross-fade"})
#: Attributes dropped for what they are, whatever their value.
_DROPPED = frozenset({"requiredExtensions"})
#: CSS pixels per unit (CSS Values 3; em and ex at the initial font size).
_UNITS = {
    "": 1.0,
    "px": 1.0,
    "pt": 96 / 72,
    "pc": 16.0,
    "mm": 96 / 25.4,
    "cm": 96 / 2.54,
    "q": 96 / 101.6,
    "in": 96.0,
    "em": 16.0,
    "rem": 16.0,
    "ex": 8.0,
}
_LENGTH = re.compile(r"^\s*\+?((?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)\s*([A-Za-z]*)\s*$")
#: The size of a replaced element with no intrinsic size (CSS 2, 10.3.2).
DEFAULT_SIZE = (300.0, 150.0)


class SvgError(ValueError):
    """A file that cannot be read as an SVG picture; the message says why."""


@dataclass(frozen=True)
class Svg:
    """A cleaned SVG: its bytes (UTF-8 XML) and its size in CSS pixels."""

    data: bytes
    width: float
    height: float


def read(path: Path) -> Svg:
    """The SVG file at ``path``, cleaned."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SvgError(f"cannot be read ({exc.strerror or exc})") from None
    return clean(data)


def clean(data: bytes) -> Svg:
    """``data`` (an SVG file's bytes) as a harmless SVG, with its size."""
    parser = etree.XMLParser(
        resolve_entities="internal",  # type: ignore[arg-type]  # Illustrator's &ns_svg; yes, external no
        load_dtd=False,
        no_network=True,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        error: Any = exc.error_log.last_error  # type: ignore[attr-defined]
        where = f"line {error.line} of the SVG: " if error is not None and error.line else ""
        message = error.message if error is not None else str(exc)
        raise SvgError(f"it is not well-formed XML ({where}{message})") from None
    if root is None or not isinstance(root.tag, str):
        raise SvgError("it holds no SVG element")
    name = etree.QName(root)
    if name.localname != "svg" or name.namespace not in (SVG_NS, None):
        raise SvgError(f"its root element is <{name.localname}>, not <svg>")
    nsmap: Any = {None: SVG_NS, "xlink": XLINK_NS}
    out = etree.Element(f"{{{SVG_NS}}}svg", nsmap=nsmap)
    _copy_attributes(root, out, "svg")
    _copy_children(root, out, namespace=name.namespace)
    _drop_dangling_references(out)
    width, height = size(out)
    if out.get("width") is None or out.get("height") is None:
        # Every edition then sizes the picture alike (an <img> of an SVG without them is
        # sized differently by each browser, WeasyPrint and Word).
        out.set("width", _number(width))
        out.set("height", _number(height))
    return Svg(etree.tostring(out, xml_declaration=True, encoding="UTF-8"), width, height)


def _number(value: float) -> str:
    return f"{value:.3f}".rstrip("0").rstrip(".")


def _local(element: etree._Element, namespace: str | None) -> str | None:
    """The SVG name of ``element``; None for one of another namespace (or a comment)."""
    if not isinstance(element.tag, str):
        return None
    qname = etree.QName(element)
    return qname.localname if qname.namespace == namespace else None


def _copy_children(source: etree._Element, target: etree._Element, namespace: str | None) -> None:
    target.text = source.text
    last: etree._Element | None = None
    for child in source:
        name = _local(child, namespace)
        if name is not None and name in ELEMENTS and not (name in _PICTURES and not _safe_href(child, name)):
            copy = etree.SubElement(target, f"{{{SVG_NS}}}{name}")
            _copy_attributes(child, copy, name)
            if name == "style":
                copy.text = stylesheet(child.text or "")
            else:
                _copy_children(child, copy, namespace)
            copy.tail = child.tail
            last = copy
        elif child.tail:  # the element goes, the text after it stays (inside <text>)
            if last is not None:
                last.tail = (last.tail or "") + child.tail
            else:
                target.text = (target.text or "") + child.tail


def _safe_href(element: etree._Element, name: str) -> bool:
    href = element.get(f"{{{XLINK_NS}}}href", element.get("href"))
    return href is not None and _href_allowed(href, name)


def _href_allowed(value: str, element: str) -> bool:
    value = value.strip()
    if value.startswith("#"):
        return True
    return element in _PICTURES and bool(_DATA_PICTURE.match(value))


def _drop_dangling_references(root: etree._Element) -> None:
    """References to an id the picture does not have (it may have gone with its element), and
    ``<use>`` of what it cannot draw (a gradient): renderers ignore them, EPUBCheck refuses them."""
    ids = {element.get("id"): etree.QName(element).localname for element in root.iter() if element.get("id")}
    href = f"{{{XLINK_NS}}}href"
    for element in root.iter():
        value = element.get(href)
        if value is None or not value.startswith("#"):
            continue
        target = ids.get(value[1:])
        if target is None or (etree.QName(element).localname == "use" and target not in _USE_TARGETS):
            del element.attrib[href]


def _copy_attributes(source: etree._Element, target: etree._Element, element: str) -> None:
    for key, raw in source.attrib.items():
        value = str(raw)
        qname = etree.QName(key)
        namespace, local = qname.namespace, qname.localname
        if namespace == XML_NS:
            if local in ("lang", "space"):
                target.set(key, value)
            continue
        if local == "href" and namespace in (XLINK_NS, None):
            if _href_allowed(value, element):
                target.set(f"{{{XLINK_NS}}}href", value.strip())
            continue
        if namespace is not None or local.lower().startswith(("on", "data-")) or local in _DROPPED:
            continue
        if local == "style":
            value = declarations(value)
            if value:
                target.set("style", value)
        elif "(" not in value or _safe_tokens(tinycss2.parse_component_value_list(value)):
            target.set(local, value)


# ---------------------------------------------------------------- CSS


def _safe_tokens(tokens: Iterable[Any]) -> bool:
    """No token loads anything: every ``url()`` points inside the file."""
    for token in tokens:
        kind = getattr(token, "type", "")
        if kind == "url":
            if not token.value.strip().startswith("#"):
                return False
        elif kind == "function":
            name = token.lower_name
            if name in ("url", "src"):
                args = [t for t in token.arguments if t.type not in ("whitespace", "comment")]
                if not (len(args) == 1 and args[0].type == "string" and args[0].value.strip().startswith("#")):
                    return False
            elif name in _LOADING_FUNCTIONS or name == "expression" or not _safe_tokens(token.arguments):
                return False
        elif kind in ("() block", "[] block", "{} block") and not _safe_tokens(token.content):
            return False
    return True


def declarations(text: str) -> str:
    """The declarations of a ``style`` attribute (or a rule) that load nothing."""
    kept = []
    for node in tinycss2.parse_blocks_contents(text, skip_comments=True, skip_whitespace=True):
        if node.type == "declaration" and _safe_tokens(node.value):
            value = tinycss2.serialize(node.value).strip()
            kept.append(f"{node.name}: {value}{' !important' if node.important else ''}")
    return "; ".join(kept)


def stylesheet(text: str) -> str:
    """A ``<style>`` sheet with its rules' loading declarations and at-rules (``@import``,
    ``@font-face``...) left out; ``@media`` rules are kept, cleaned the same way."""
    return "\n".join(_rules(tinycss2.parse_stylesheet(text, skip_comments=True, skip_whitespace=True)))


def _rules(nodes: Iterable[Any]) -> Iterable[str]:
    for node in nodes:
        if node.type == "qualified-rule":
            selector = tinycss2.serialize(node.prelude).strip()
            if _safe_tokens(node.prelude):
                yield f"{selector} {{ {declarations(tinycss2.serialize(node.content))} }}"
        elif node.type == "at-rule" and node.lower_at_keyword == "media" and node.content is not None:
            inner = tinycss2.parse_rule_list(node.content, skip_comments=True, skip_whitespace=True)
            condition = tinycss2.serialize(node.prelude).strip()
            if _safe_tokens(node.prelude):
                yield f"@media {condition} {{\n" + "\n".join(_rules(inner)) + "\n}"


# ---------------------------------------------------------------- size


def length(value: str | None) -> float | None:
    """An absolute length in CSS pixels; None for a missing, relative (``%``) or bad one."""
    if value is None:
        return None
    found = _LENGTH.match(value)
    if not found or found.group(2).lower() not in _UNITS:
        return None
    number = float(found.group(1)) * _UNITS[found.group(2).lower()]
    return number if math.isfinite(number) and number > 0 else None


def view_box(value: str | None) -> tuple[float, float] | None:
    """The width and height of a ``viewBox``; None when there is no usable one."""
    if value is None:
        return None
    try:
        numbers = [float(part) for part in re.split(r"[\s,]+", value.strip())]
    except ValueError:
        return None
    if len(numbers) != 4 or not all(math.isfinite(n) for n in numbers) or numbers[2] <= 0 or numbers[3] <= 0:
        return None
    return numbers[2], numbers[3]


def size(root: etree._Element) -> tuple[float, float]:
    """The size of the picture ``root`` draws, in CSS pixels: ``width`` and ``height``; one
    of them and the ``viewBox``'s proportions; the ``viewBox``; else 300 × 150."""
    width, height = length(root.get("width")), length(root.get("height"))
    box = view_box(root.get("viewBox"))
    if width and height:
        return width, height
    if box is not None:
        if width:
            return width, width * box[1] / box[0]
        if height:
            return height * box[0] / box[1], height
        return box
    return width or DEFAULT_SIZE[0], height or DEFAULT_SIZE[1]
