"""Build documents into editions: discovery, one job per (document, format), error reports.

A failure in one document (bad input) or one edition (a writer's error) is reported as
``file:line: message`` and the rest of the build goes on.
"""

from __future__ import annotations

import logging
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
            doc = api.load(file)
        except PublishError as exc:
            report.errors.append(str(exc))
            continue
        except Exception as exc:
            log.debug("%s", traceback.format_exc())
            report.errors.append(f"{file}: internal error while reading: {type(exc).__name__}: {exc}")
            continue
        for fmt in formats:
            dest = edition_path(out, file, fmt)
            try:
                api.build(doc, fmt, dest, options)
            except PublishError as exc:
                report.errors.append(str(exc) if exc.file else f"{file}: {fmt}: {exc}")
            except Exception as exc:
                log.debug("%s", traceback.format_exc())
                report.errors.append(f"{file}: {fmt}: internal error: {type(exc).__name__}: {exc}")
            else:
                report.built.append(dest)
    return report
