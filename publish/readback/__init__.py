"""Read finished editions back and compare them with the model.

:func:`check` returns a list of problems in words (empty: the edition is faithful).
Each format's reader lives in its own module; the allowances for what a format cannot
carry are declared once, in :data:`publish.outline.ALLOWANCES`.
"""

from __future__ import annotations

from pathlib import Path

from publish import i18n, pagedata
from publish import model as m
from publish import outline as ol
from publish.options import Options


def title_block(options: Options, ctx: dict[str, object]) -> str:
    """The text of the title block as the theme renders it (what opens a PDF's first page)."""
    import lxml.html

    from publish import templates as tpl

    markup = tpl.render(options.template_path, "base/titleblock.html", xhtml=False, **ctx)
    return str(lxml.html.fragment_fromstring(markup, create_parent="div").text_content())


def check(doc: m.Document, fmt: str, path: Path | str, options: Options | None = None) -> list[str]:
    """Problems of one edition, in words; ``options`` are those it was built with."""
    path = Path(path)
    options = options or Options()
    expected = ol.outline_of(doc)
    if fmt == "html":
        from publish.readback import html

        site = html.load_site(path)
        return ol.diff(expected, html.read_html(path, site), name=path.name) + html.link_problems(path, site)
    if fmt == "epub":
        from publish.readback import html

        return ol.diff(expected, html.read_epub(path), name=path.name)
    if fmt == "docx":
        from publish.readback import docx

        return ol.flat_diff(ol.flatten(expected), docx.read(path), name=path.name) + docx.link_problems(path)
    if fmt == "pdf":
        from publish.readback import pdf

        ctx = pagedata.context(doc, options)
        toc = None
        if pagedata.wants_toc(doc, options):
            headings = [h["text"] for h in ctx["headings"]]
            toc = (i18n.labels(doc.meta.lang)["contents"], headings) if headings else None
        return pdf.compare(doc, expected, path, toc, title_block(options, ctx)) + pdf.link_problems(path)
    raise ValueError(f"unknown format {fmt!r}")
