"""HTML5 edition: one standalone page, its CSS inline, images copied beside it."""

from __future__ import annotations

import shutil
from pathlib import Path

from publish import htmlbody, i18n
from publish import model as m
from publish import templates as tpl
from publish.writers import common


def page(doc: m.Document, options: common.Options, template: str, body_options: htmlbody.BodyOptions) -> str:
    body = htmlbody.render(doc, body_options)
    ctx = common.context(doc, options)
    return tpl.render(options.template_path, template, body=body.blocks, notes=body.notes, xhtml=False, **ctx)


def write(doc: m.Document, options: common.Options, dest: Path) -> Path:
    names = {img.src: common.media_name(doc, img.src, options) for img in common.images(doc)}
    body_options = htmlbody.BodyOptions(
        image_url=lambda src: names[src], lang=doc.meta.lang, notes_label=i18n.labels(doc.meta.lang)["notes"]
    )
    html = page(doc, options, "html/document.html", body_options)
    for src, name in names.items():
        target = dest.parent / name
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            with common.atomic_path(target) as tmp:
                shutil.copyfile(common.image_path(doc, src, options), tmp)
    common.write_bytes(dest, html.encode("utf-8"))
    return dest
