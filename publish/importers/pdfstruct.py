"""A PDF's structure tree, read with pikepdf: each element with its kids in order, each piece
of marked content with the page it is on.

pdfplumber's tree (``pdfplumber.structure``) keeps an element's MCIDs apart from its child
elements and without their pages: an element whose content runs over a page break (as
LibreOffice tags a paragraph) would read the second page's MCIDs off the first page, and the
order of text and children inside an element is lost. This reader keeps both: a kid is an
:class:`Element` or a ``(page, MCID)`` pair, in the order of ``/K``. Role-mapped types are
taken to their standard type; ``/A`` attributes (``ColSpan``, ``RowSpan``, ``BBox``) are
merged into one dict.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Element:
    type: str
    page_number: int | None = None
    lang: str = ""
    alt_text: str = ""
    attributes: dict[str, Any] = field(default_factory=dict)
    kids: list[Element | tuple[int, int]] = field(default_factory=list)

    @property
    def children(self) -> list[Element]:
        return [k for k in self.kids if isinstance(k, Element)]

    @property
    def mcrs(self) -> list[tuple[int, int]]:
        """This element's own marked content: (page, MCID), in order."""
        return [k for k in self.kids if isinstance(k, tuple)]


def _value(value: Any) -> Any:
    import pikepdf

    if isinstance(value, pikepdf.Array):
        return [_value(v) for v in value]
    if isinstance(value, pikepdf.Name):
        return str(value)[1:]
    if isinstance(value, pikepdf.String):
        return str(value)
    try:
        return float(value) if not isinstance(value, bool) else value
    except (TypeError, ValueError):
        return value


def read(path: Any) -> list[Element]:
    """The root's elements (the kids of ``/StructTreeRoot``), or none."""
    import pikepdf

    with pikepdf.open(path) as pdf:
        root: Any = pdf.Root.get("/StructTreeRoot")
        if root is None:
            return []
        pages: dict[Any, int] = {page.objgen: number for number, page in enumerate(pdf.pages, 1)}
        roles: dict[str, str] = {}
        role_map: Any = root.get("/RoleMap")
        if isinstance(role_map, pikepdf.Dictionary):
            roles = {str(k)[1:]: str(v)[1:] for k, v in role_map.items() if isinstance(v, pikepdf.Name)}
        seen: set[tuple[int, int]] = set()

        def standard(kind: str) -> str:
            for _ in range(8):  # a role maps to a role, at most a few steps
                if kind not in roles or roles[kind] == kind:
                    break
                kind = roles[kind]
            return kind

        def page_of(node: Any, inherited: int | None) -> int | None:
            ref: Any = node.get("/Pg")
            return pages.get(ref.objgen, inherited) if isinstance(ref, pikepdf.Dictionary) else inherited

        def element(node: Any, inherited: int | None) -> Element | None:
            key = node.objgen
            if key != (0, 0):
                if key in seen:
                    return None
                seen.add(key)
            page = page_of(node, inherited)
            attributes: dict[str, Any] = {}
            raw: Any = node.get("/A")
            for group in raw if isinstance(raw, pikepdf.Array) else [raw] if raw is not None else []:
                if isinstance(group, pikepdf.Dictionary):
                    attributes.update({str(k)[1:]: _value(v) for k, v in group.items()})
            found = Element(
                standard(str(node.get("/S", "/NonStruct"))[1:]),
                page,
                str(node.get("/Lang", "")),
                str(node.get("/Alt", "")),
                attributes,
            )
            kids: Any = node.get("/K")
            for kid in kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []:
                if isinstance(kid, int) and page is not None:
                    found.kids.append((page, int(kid)))
                elif isinstance(kid, pikepdf.Dictionary):
                    if "/MCID" in kid:  # a marked-content reference, on its own page
                        mcr_page = page_of(kid, page)
                        if mcr_page is not None:
                            found.kids.append((mcr_page, int(kid.MCID)))
                    elif "/S" in kid:
                        child = element(kid, page)
                        if child is not None:
                            found.kids.append(child)
            return found

        top: Any = root.get("/K")
        out = []
        for node in top if isinstance(top, pikepdf.Array) else [top] if top is not None else []:
            if isinstance(node, pikepdf.Dictionary) and "/S" in node:
                made = element(node, None)
                if made is not None:
                    out.append(made)
        return out
