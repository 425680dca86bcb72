"""``publish check``: prove the editions in the output folder faithful; writes a report."""

from __future__ import annotations

import argparse
import sys

from publish import check, config, files


def run(args: argparse.Namespace) -> int:
    settings = config.resolve(config.CommandLine.from_args(args))
    progress = _silent if args.quiet else _to_stderr
    report = check.run(config.sources(settings), settings.out, settings.options, settings.formats, progress)
    print(check.terminal(report))
    destination = args.report or settings.out / "report.html"
    files.write_bytes(destination, check.html_report(report, settings.options, destination).encode("utf-8"))
    print(f"wrote {destination}")
    return report.exit_code


def _to_stderr(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def _silent(line: str) -> None:
    pass
