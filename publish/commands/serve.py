"""``publish serve``: the HTML editions on 127.0.0.1, rebuilt and reloaded as you edit."""

from __future__ import annotations

import argparse
import contextlib
import sys
from pathlib import Path

from publish import config, layout, options, runner, serve
from publish.errors import PublishError


def run(args: argparse.Namespace) -> int:
    given = config.CommandLine.from_args(args)
    refused = config.refuse_out(given.out, given.content, args.force)
    if refused:
        print(f"error: {refused}", file=sys.stderr)
        return 2

    def build() -> tuple[list[Path], list[str], list[tuple[str, Path]]]:
        """Build with publish.toml as it is now: read again at every build."""
        now = config.resolve(given)
        sources = config.sources(now)
        if not sources:
            return [], [f"no Markdown documents in {now.content}"], []
        report = runner.build(sources, ["html"], now.out, now.options, jobs=1)
        pages = [(s.stem, layout.edition_path(now.out, s, "html")) for s in sources]
        return report.built, report.errors, pages

    watched = [given.content, *given.theme]
    with contextlib.suppress(PublishError):  # a bad publish.toml is reported by the build
        watched = [given.content, *config.resolve(given).options.theme_dirs]  # with the theme publish.toml names
    if not options.packaged_theme():  # a source tree: its templates may be edited
        watched.append(options.default_theme())
    try:
        server = serve.serve(build, given.out, watched, port=args.port, log=_log)
    except OSError as exc:
        print(f"error: cannot serve on 127.0.0.1:{args.port}: {exc.strerror}; choose another --port", file=sys.stderr)
        return 2
    return serve.run_forever(server, log=_log)


def _log(line: str) -> None:
    print(line, flush=True)
