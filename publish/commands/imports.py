"""``publish import``: a Word file or a PDF becomes a source in the content folder."""

from __future__ import annotations

import argparse
import sys

from publish import importers


def run(args: argparse.Namespace) -> int:
    imported = importers.read(args.file)
    slug = args.slug or importers.slug_of(args.file, imported)
    dest = importers.write(imported, args.content, slug, force=args.force)
    for remark in imported.remarks:
        print(remark, file=sys.stderr)
    guesses = sum(1 for remark in imported.remarks if remark.kind != "warning")
    print(f"{args.file} -> {dest} ({len(imported.images)} images; {guesses} guesses to review)", file=sys.stderr)
    return 0
