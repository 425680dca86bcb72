"""``publish dump``: the model of a document or a book as versioned JSON (like pandoc -t json)."""

from __future__ import annotations

import argparse

from publish import api, config, serialize


def run(args: argparse.Namespace) -> int:
    settings = config.resolve(config.CommandLine.from_args(args))
    print(serialize.dumps(api.load_source(config.sources(settings)[0], settings.options)))
    return 0
