"""``python -m publish``: parse the command line and hand it to a command.

The commands live in :mod:`publish.commands` (one module each). This module only parses
arguments, sets up logging, dispatches, and turns a :class:`publish.errors.PublishError`
that a command lets through into ``error: file:line: message`` and an exit status.

Nothing heavy is imported here: a rebuild with nothing to do stops before the Markdown
parser, the templates and the writers (:mod:`publish.freshness`).
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from publish.errors import PublishError
from publish.options import FORMATS, MAX_SOURCE_MIB, PAPERS, PDF_TIMEOUT, PDF_VARIANTS
from publish.version import __version__

EPILOG = """\
examples:
  python -m publish all                      build every document in content/ into output/
  python -m publish pdf content/article.md   build one format of one document
  python -m publish all --content docs --out public
  python -m publish all --executor dask://scheduler:8786   the jobs on a Dask cluster
  python -m publish all --executor 'dask://scheduler:8786?shared=no'   workers with no shared disk
  python -m publish dump content/article.md  print the model as JSON
  python -m publish import report.pdf        a PDF (or a .docx) becomes content/<slug>.md
"""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m publish",
        description="One Markdown source, four faithful editions: HTML, PDF, EPUB 3, DOCX.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"publish {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in ("all", *FORMATS):
        help_text = "build every format" if name == "all" else f"build the {name.upper()} edition"
        sub = commands.add_parser(
            name,
            help=help_text,
            description=help_text,
            epilog=EPILOG,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        sub.add_argument(
            "files",
            nargs="*",
            type=Path,
            metavar="FILE",
            help="Markdown files or book names (default: every document and book of the content folder)",
        )
        sub.add_argument("--content", type=Path, default=Path("content"), help="content folder (default: content)")
        sub.add_argument("--out", type=Path, default=Path("output"), help="output folder (default: output)")
        _edition_options(sub)
        sub.add_argument(
            "--force",
            action="store_true",
            help="write to an output folder that holds .git or lies outside the project",
        )
        sub.add_argument(
            "-j",
            "--jobs",
            type=int,
            default=None,
            metavar="N",
            help="editions built at once, in worker processes (default: one per CPU)",
        )
        sub.add_argument(
            "--executor",
            metavar="URL",
            help="where the jobs run: local (a process pool, the default) or dask://HOST:PORT "
            "(a Dask cluster's workers, which must see the content and output folders at the same paths); "
            "dask://HOST:PORT?shared=no: no shared disk, each job carries its sources, images and theme, "
            "and the workers return each edition's bytes for this machine to write (a worker needs only "
            "publish and its fonts)",
        )
        sub.add_argument(
            "--rebuild",
            action="store_true",
            help="rebuild every edition, even those whose inputs have not changed",
        )
        sub.add_argument("-q", "--quiet", action="store_true", help="print errors only")
        sub.add_argument(
            "-v", "--verbose", action="store_true", help="also list the editions up to date, and each one's time"
        )
    check = commands.add_parser(
        "check",
        help="prove the editions faithful: structure, metadata, languages, glyphs, validators",
        description=(
            "Check the editions in the output folder against their sources and run the validators "
            "(EPUBCheck, the Nu HTML Checker, LibreOffice). Writes OUT/report.html. Exit status: 0 all "
            "passed, 1 a check failed, 3 nothing failed but some checks did not run (a tool is missing)."
        ),
        epilog="examples:\n  python -m publish all && python -m publish check\n  python -m publish check --out public",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    check.add_argument("files", nargs="*", type=Path, metavar="FILE", help="Markdown files (default: all)")
    check.add_argument("--content", type=Path, default=Path("content"), help="content folder (default: content)")
    check.add_argument("--out", type=Path, default=Path("output"), help="output folder (default: output)")
    check.add_argument("--report", type=Path, help="where to write the HTML report (default: OUT/report.html)")
    check.add_argument(
        "--no-pictures",
        action="store_true",
        help="no pictures of the editions side by side in the report (they are drawn beside it, in OUT/report/; "
        "Chromium takes about two seconds a document)",
    )
    check.add_argument(
        "-q", "--quiet", action="store_true", help="no progress lines on stderr (a line per document and per check)"
    )
    _edition_options(check)
    imp = commands.add_parser(
        "import",
        help="turn a Word file or a PDF into a source in the content folder",
        description=(
            "Read a manuscript (DOCX or PDF) and write CONTENT/<slug>.md — front matter and body in "
            "publish's Markdown — with its images in CONTENT/<slug>-media/. Prints what it guessed and "
            "where it was unsure (file:page or file:paragraph). Never replaces a source without --force."
        ),
        epilog="examples:\n  python -m publish import report.pdf\n  python -m publish import draft.docx --content docs",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    imp.add_argument("file", type=Path, metavar="FILE", help="the manuscript: a .docx or a .pdf")
    imp.add_argument("--content", type=Path, default=Path("content"), help="content folder (default: content)")
    imp.add_argument("--slug", help="the source's name (default: from its title)")
    imp.add_argument("--force", action="store_true", help="replace an existing source of that name")
    serve = commands.add_parser(
        "serve",
        help="preview the HTML editions in a browser, rebuilt and reloaded as you edit",
        description=(
            "Build the HTML edition of every document and book, serve the output folder on 127.0.0.1, and "
            "rebuild when a file of the content folder, a theme or publish.toml changes: the open pages "
            "reload, and a build error is shown in the page until it is fixed. Ctrl-C stops."
        ),
        epilog=(
            "examples:\n  python -m publish serve                  then open http://127.0.0.1:8000/\n"
            "  python -m publish serve --port 9000 --theme mytheme"
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    serve.add_argument("files", nargs="*", type=Path, metavar="FILE", help="Markdown files or books (default: all)")
    serve.add_argument("--content", type=Path, default=Path("content"), help="content folder (default: content)")
    serve.add_argument("--out", type=Path, default=Path("output"), help="output folder (default: output)")
    serve.add_argument("--port", type=int, default=8000, help="the port on 127.0.0.1 (default: 8000; 0: any free one)")
    serve.add_argument("--force", action="store_true", help="write to an output folder outside the project")
    _edition_options(serve)
    dump = commands.add_parser(
        "dump",
        help="print the model of a document or a book as versioned JSON",
        description=(
            "Print the model of a document or a book (after the transforms, with publish.toml's defaults) "
            "as versioned JSON, like pandoc -t json."
        ),
        epilog=(
            "examples:\n  python -m publish dump content/article.md > article.json\n"
            "  python -m publish dump field-guide          a book, by its name in publish.toml"
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    dump.add_argument("file", type=Path, metavar="FILE", help="a Markdown file, a chapter or a book's name")
    dump.add_argument("--content", type=Path, default=Path("content"), help="content folder (default: content)")
    new = commands.add_parser(
        "new",
        help="start a new document with commented front matter",
        description="Write CONTENT/NAME.md: front matter with every key publish reads, commented, and a first heading.",
        epilog=(
            "examples:\n  python -m publish new annual-report\n"
            '  python -m publish new "Notes from Taipei" --lang zh-Hant\n'
            '  python -m publish new "A Field Guide" --book --chapters 4'
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    new.add_argument("name", metavar="NAME", help="the document's title; its file name is made from it")
    new.add_argument("--content", type=Path, default=Path("content"), help="content folder (default: content)")
    new.add_argument("--lang", default="en", help="the document's language, a BCP 47 tag (default: en)")
    new.add_argument(
        "--book",
        action="store_true",
        help="a book: CONTENT/NAME/ with chapter files, and its table in CONTENT/publish.toml",
    )
    new.add_argument(
        "--chapters", type=int, default=3, metavar="N", help="how many chapters a new book has (default: 3)"
    )
    return parser


def _edition_options(sub: argparse.ArgumentParser) -> None:
    sub.add_argument(
        "--theme",
        type=Path,
        action="append",
        default=[],
        help="a theme folder searched before the default templates (repeatable)",
    )
    toc = sub.add_mutually_exclusive_group()
    toc.add_argument("--toc", dest="toc", action="store_true", default=None, help="always add a table of contents")
    toc.add_argument("--no-toc", dest="toc", action="store_false", help="never add a table of contents")
    sub.add_argument(
        "--pdf-variant",
        choices=PDF_VARIANTS,
        default=None,
        help="tagged accessible PDF/UA-1 (default), tagged archival PDF/A-3a, or an untagged PDF",
    )
    sub.add_argument(
        "--paper",
        choices=sorted(PAPERS),
        default=None,
        help="the page size of the PDF and the DOCX (default: A4, or publish.toml's)",
    )
    sub.add_argument(
        "--reference-docx",
        type=Path,
        metavar="FILE",
        help="a Word document whose styles the DOCX edition uses (as pandoc's --reference-doc)",
    )
    sub.add_argument(
        "--no-toc-pages",
        dest="toc_pages",
        action="store_false",
        default=True,
        help="do not lay the DOCX out with LibreOffice to number its table of contents "
        "(about 2 s a document; Word numbers it when it opens the file)",
    )
    sub.add_argument(
        "--allow-remote",
        action="store_true",
        help="let the PDF engine fetch http(s) resources a theme names (refused by default)",
    )
    sub.add_argument(
        "--strict",
        action="store_true",
        default=None,
        help="fail a document on any warning (a remote image, an unsupported HTML tag…) instead of degrading it",
    )
    sub.add_argument(
        "--max-size",
        type=float,
        default=MAX_SOURCE_MIB,
        metavar="MIB",
        help="refuse source documents larger than this many MiB (default: 8)",
    )
    sub.add_argument(
        "--pdf-timeout",
        type=float,
        default=PDF_TIMEOUT,
        metavar="SECONDS",
        help="fail a document whose PDF takes longer than this to lay out (default: 300)",
    )
    sub.add_argument(
        "--pdf-parts",
        choices=("auto", "on", "off"),
        default="auto",
        help="lay the PDF out in parts, in parallel, each part again only when it changed: "
        "auto (default: a long document, its top-level sections each opening a page), "
        "on (any document of several top-level sections) or off (the whole document at once)",
    )


#: The module of :mod:`publish.commands` that runs each command.
COMMANDS = {
    **dict.fromkeys(("all", *FORMATS), "build"),
    "check": "check",
    "serve": "serve",
    "dump": "dump",
    "new": "new",
    "import": "imports",
}
#: The exit status of a command stopped by bad input before it could start (a bad
#: publish.toml, an output folder it may not write to): 2, a usage error, except where
#: the command's own contract says 1.
STOPPED = {"dump": 1, "new": 1, "import": 1}


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(format="%(message)s", level=logging.WARNING, stream=sys.stderr)
    command = importlib.import_module(f"publish.commands.{COMMANDS[args.command]}")
    try:
        status: int = command.run(args)
    except PublishError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return STOPPED.get(args.command, 2)
    return status
