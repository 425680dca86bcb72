"""``publish all`` and ``publish html|pdf|epub|docx``: build editions into the output folder."""

from __future__ import annotations

import argparse
import logging
import sys

from publish import config, freshness, layout


def run(args: argparse.Namespace) -> int:
    settings = config.resolve(config.CommandLine.from_args(args))
    formats = list(settings.formats) if args.command == "all" else [args.command]
    refused = config.refuse_out(settings.out, settings.content, args.force)
    if refused:
        print(f"error: {refused}", file=sys.stderr)
        return 2
    sources = config.sources(settings)
    if not sources:
        print(f"error: no Markdown documents in {settings.content}", file=sys.stderr)
        return 1
    if not settings.files:  # the whole content folder: editions of sources that are gone go too
        for stale in layout.prune(settings.out, sources, settings.content):
            if not args.quiet:
                print(f"removed {stale} (its source is gone)")
    if not args.rebuild and _nothing_to_do(settings, sources, formats):
        if not args.quiet:
            print(f"{len(sources) * len(formats)} edition(s) up to date")
        return 0
    # Only now the parser, the templates and the writers: there is something to build.
    from publish import executors, runner
    from publish.progress import Reporter

    if args.verbose:
        logging.getLogger("publish").setLevel(logging.DEBUG)
    with (
        executors.open_executor(settings.executor) as executor,
        Reporter(sources, formats, quiet=args.quiet, verbose=args.verbose) as reporter,
    ):
        report = runner.build(
            sources,
            formats,
            settings.out,
            settings.options,
            executor=executor,
            jobs=args.jobs,
            incremental=not args.rebuild,
            on_event=reporter,
            shared_disk=executors.shared_disk(settings.executor),
        )
    reporter.summary(report)
    for error in report.errors:
        print(f"error: {error}", file=sys.stderr)
    if report.errors:
        print(f"{len(report.errors)} error(s); {len(report.built)} edition(s) written", file=sys.stderr)
        return 1
    return 0


def _nothing_to_do(settings: config.Config, sources: list[layout.Source], formats: list[str]) -> bool:
    contexts = {fmt: freshness.context(fmt, settings.options) for fmt in formats}
    return freshness.up_to_date(sources, formats, settings.out, contexts)
