"""Build documents into editions: discovery, one job per (document, format), error reports.

A failure in one document (bad input) or one edition (a writer's error) is reported as
``file:line: message`` and the rest of the build goes on.
"""

from __future__ import annotations

import logging
import shutil
import traceback
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from publish import api
from publish.errors import PublishError
from publish.writers.common import Options

log = logging.getLogger("publish")


@dataclass
class Report:
    built: list[Path] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def discover(content: Path) -> list[Path]:
    """Every Markdown document under ``content``, sorted; hidden and ``_`` files skipped."""
    if not content.is_dir():
        raise PublishError(f"content folder {content} does not exist")
    return sorted(
        p
        for p in content.rglob("*.md")
        if p.is_file() and not any(part.startswith((".", "_")) for part in p.relative_to(content).parts)
    )


def edition_path(out: Path, source: Path, fmt: str) -> Path:
    return out / source.stem / f"{source.stem}.{fmt}"


def _is_edition_folder(folder: Path) -> bool:
    """A folder publish wrote: ``<slug>.<fmt>`` files, temporary parts and ``media/`` only."""
    slug = folder.name
    for entry in folder.iterdir():
        if entry.is_dir() and not entry.is_symlink():
            if entry.name != "media":
                return False
        elif not (
            entry.name in {f"{slug}.{fmt}" for fmt in api.FORMATS}
            or (entry.name.startswith(f".{slug}.") and entry.name.endswith(".part"))
        ):
            return False
    return True


def prune(out: Path, sources: Iterable[Path]) -> list[Path]:
    """Remove the edition folders of documents whose source is gone; folders that hold
    anything publish does not write are left alone."""
    if not out.is_dir():
        return []
    keep = {s.stem for s in sources}
    removed = []
    for folder in sorted(out.iterdir()):
        candidate = folder.is_dir() and not folder.is_symlink() and not folder.name.startswith(".")
        if candidate and folder.name not in keep and _is_edition_folder(folder):
            shutil.rmtree(folder)
            removed.append(folder)
    return removed


def clear_parts(folder: Path) -> None:
    """Temporary files a killed build left behind (a finished write never leaves one)."""
    if folder.is_dir():
        for part in folder.glob(".*.part"):
            part.unlink(missing_ok=True)


def build(files: Iterable[Path], formats: Sequence[str], out: Path, options: Options) -> Report:
    report = Report()
    seen: dict[str, Path] = {}
    for file in files:
        if file.stem in seen:
            report.errors.append(
                str(PublishError(f"another document already uses the name {file.stem!r} ({seen[file.stem]})", file))
            )
            continue
        seen[file.stem] = file
        try:
            doc = api.load(file, options.content_root, options.max_source_bytes)
        except PublishError as exc:
            report.errors.append(str(exc))
            continue
        except Exception as exc:
            log.debug("%s", traceback.format_exc())
            report.errors.append(f"{file}: internal error while reading: {type(exc).__name__}: {exc}")
            continue
        clear_parts(edition_path(out, file, "html").parent)
        for fmt in formats:
            dest = edition_path(out, file, fmt)
            try:
                api.build(doc, fmt, dest, options)
            except PublishError as exc:
                if not exc.file:
                    report.errors.append(f"{file}: {fmt}: {exc}")
                elif Path(exc.file).resolve() != file.resolve():  # a template's or a theme's error
                    report.errors.append(f"{exc} (while building the {fmt.upper()} of {file})")
                else:
                    report.errors.append(str(exc))
            except Exception as exc:
                log.debug("%s", traceback.format_exc())
                report.errors.append(f"{file}: {fmt}: internal error: {type(exc).__name__}: {exc}")
            else:
                report.built.append(dest)
    return report
