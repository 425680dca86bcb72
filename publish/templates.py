"""The Jinja environment: a search path of theme folders, user's first, default theme last.

As MkDocs' theme ``custom_dir``: a user's folder may override any single template and the
default theme in ``templates/`` fills in the rest. Undefined variables are errors, every
markup template (HTML, XHTML, XML, OPF, SVG) is autoescaped, and every template renders in
Jinja's sandbox: a theme from somewhere else cannot reach Python's internals through the
template data (``{{ x.__class__ }}`` and the like fail with an error).
"""

from __future__ import annotations

import functools
from pathlib import Path

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from publish.errors import PublishError


@functools.lru_cache(maxsize=8)
def environment(path: tuple[Path, ...]) -> jinja2.Environment:
    env = SandboxedEnvironment(
        loader=jinja2.FileSystemLoader([str(p) for p in path]),
        autoescape=jinja2.select_autoescape(
            enabled_extensions=("html", "xhtml", "xml", "opf", "htm", "svg"),
            default_for_string=True,
        ),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env


def find_file(path: tuple[Path, ...], name: str) -> Path | None:
    """The first theme file called ``name`` on the search path (for non-template assets)."""
    for folder in path:
        candidate = folder / name
        if candidate.is_file():
            return candidate
    return None


def render(path: tuple[Path, ...], name: str, **context: object) -> str:
    try:
        return environment(path).get_template(name).render(**context)
    except jinja2.TemplateError as exc:
        where = getattr(exc, "filename", None) or name
        line = getattr(exc, "lineno", None)
        raise PublishError(f"template error: {exc}", Path(where), line) from None
