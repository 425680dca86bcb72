"""``publish check``: prove the editions in the output folder faithful; writes a report."""

from __future__ import annotations

import argparse
import sys

from publish import check, config, files


def run(args: argparse.Namespace) -> int:
    settings = config.resolve(config.CommandLine.from_args(args))
    progress = _silent if args.quiet else _to_stderr
    destination = args.report or settings.out / "report.html"
    # The editions side by side, in a folder named after the report (OUT/report/).
    folder = destination.with_suffix("") if destination.suffix else destination.parent / f"{destination.name}-pictures"
    pictures = None if args.no_pictures else folder
    sources = config.sources(settings)
    report = check.run(sources, settings.out, settings.options, settings.formats, progress, pictures)
    print(check.terminal(report))
    files.write_bytes(destination, check.html_report(report, settings.options, destination).encode("utf-8"))
    print(f"wrote {destination}")
    return report.exit_code


def _to_stderr(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def _silent(line: str) -> None:
    pass
