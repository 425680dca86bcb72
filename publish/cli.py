"""``python -m publish``: build editions, dump the model."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from publish import __version__, freshness, layout, options, project
from publish.errors import PublishError
from publish.options import FORMATS, PAPERS, PDF_VARIANTS, Options

# The Markdown parser, the templates and the writers are imported only when there is
# something to build: a rebuild with nothing to do stops before them (publish.fastpath).

EPILOG = """\
examples:
  python -m publish all                      build every document in content/ into output/
  python -m publish pdf content/article.md   build one format of one document
  python -m publish all --content docs --out public
  python -m publish all --executor dask://scheduler:8786   the jobs on a Dask cluster
  python -m publish dump content/article.md  print the model as JSON
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
            "(a Dask cluster's workers, which must see the content and output folders at the same paths)",
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
    _edition_options(check)
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
        "--allow-remote",
        action="store_true",
        help="let the PDF engine fetch http(s) resources a theme names (refused by default)",
    )
    sub.add_argument(
        "--max-size",
        type=float,
        default=8,
        metavar="MIB",
        help="refuse source documents larger than this many MiB (default: 8)",
    )
    sub.add_argument(
        "--pdf-timeout",
        type=float,
        default=300,
        metavar="SECONDS",
        help="fail a document whose PDF takes longer than this to lay out (default: 300)",
    )


def _with_project(args: argparse.Namespace) -> project.Project | None:
    """Fill the options the command line left open from the content folder's publish.toml
    (the command line wins), and return the project."""
    found = project.load(args.content)
    if found is not None:
        if found.theme is not None:
            args.theme = [*args.theme, found.theme]
        args.toc = args.toc if args.toc is not None else found.toc
        args.pdf_variant = args.pdf_variant or found.pdf_variant
        args.paper = args.paper or found.paper
        args.reference_docx = args.reference_docx or found.reference_docx
    args.pdf_variant = args.pdf_variant or "pdf/ua-1"
    args.paper = args.paper or "A4"
    args.project = found
    return found


def _settings(args: argparse.Namespace) -> dict[str, Any]:
    """The options that decide an edition, from the command line and publish.toml."""
    found: project.Project | None = args.project
    return {
        "theme_dirs": tuple(args.theme),
        "content_root": args.content.resolve(),
        "toc": args.toc,
        "pdf_variant": args.pdf_variant,
        "reference_docx": args.reference_docx,
        "allow_remote": args.allow_remote,
        "paper": args.paper,
        "project_file": found.file if found else None,
    }


def _options(args: argparse.Namespace) -> Options:

    found: project.Project | None = args.project
    return Options(
        **_settings(args),
        max_source_bytes=int(args.max_size * 1024 * 1024),
        pdf_timeout=args.pdf_timeout,
        defaults=dict(found.defaults) if found else {},
    )


def _refuse_out(out: Path, content: Path, force: bool) -> str | None:
    """Why ``out`` must not receive editions (stale ones are deleted there), or None."""
    if force:
        return None
    real = out.resolve()
    if (real / ".git").exists():
        return f"{out} holds a .git folder; editions (and the removal of stale ones) go elsewhere, or use --force"
    project = (Path.cwd().resolve(), content.resolve().parent)
    if not any(real.is_relative_to(p) for p in project):
        return f"{out} lies outside the project ({project[0]}); use --force to write there"
    return None


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(format="%(message)s", level=logging.WARNING, stream=sys.stderr)
    if args.command == "dump":
        from publish import api, serialize

        try:
            found = project.load(args.content) if args.content.is_dir() else None
            args.project, args.files = found, [args.file]
            options = Options(content_root=args.content.resolve(), defaults=dict(found.defaults) if found else {})
            print(serialize.dumps(api.load_source(_sources(args)[0], options)))
        except PublishError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
        return 0
    if args.command == "check":
        return _check(args)
    if args.command == "new":
        return _new(args)
    if args.command == "serve":
        return _serve(args)
    try:
        found = _with_project(args)
    except PublishError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    formats = list(found.formats if found else FORMATS) if args.command == "all" else [args.command]
    refused = _refuse_out(args.out, args.content, args.force)
    if refused:
        print(f"error: {refused}", file=sys.stderr)
        return 2
    try:
        files = _sources(args)
    except PublishError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if not files:
        print(f"error: no Markdown documents in {args.content}", file=sys.stderr)
        return 1
    if not args.files:  # the whole content folder: editions of sources that are gone go too
        for stale in layout.prune(args.out, files):
            if not args.quiet:
                print(f"removed {stale} (its source is gone)")
    if not args.rebuild and _nothing_to_do(args, files, formats):
        if not args.quiet:
            print(f"{len(files) * len(formats)} edition(s) up to date")
        return 0
    from publish import executors, runner
    from publish.progress import Reporter

    options = _options(args)
    if args.verbose:
        logging.getLogger("publish").setLevel(logging.DEBUG)
    spec = args.executor or (found.executor if found else None) or executors.LOCAL
    try:
        with (
            executors.open_executor(spec) as executor,
            Reporter(files, formats, quiet=args.quiet, verbose=args.verbose) as reporter,
        ):
            report = runner.build(
                files,
                formats,
                args.out,
                options,
                executor=executor,
                jobs=args.jobs,
                incremental=not args.rebuild,
                on_event=reporter,
            )
    except PublishError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    reporter.summary(report)
    for error in report.errors:
        print(f"error: {error}", file=sys.stderr)
    if report.errors:
        print(f"{len(report.errors)} error(s); {len(report.built)} edition(s) written", file=sys.stderr)
        return 1
    return 0


def _sources(args: argparse.Namespace) -> list[layout.Source]:
    """What to build: the FILE arguments, or every document of the content folder; the
    chapters of a book (in publish.toml) stand for their book. A FILE argument may also
    name a book."""
    found: project.Project | None = args.project
    books = {b.name: b for b in found.books} if found else {}
    sources: list[layout.Source] = []
    if not args.files:
        chapters = {c.resolve() for b in books.values() for c in b.chapters}
        sources += [f for f in layout.discover(args.content) if f.resolve() not in chapters]
        return [*sources, *books.values()]
    for file in args.files:
        book = (found.chapter_of(file) if found else None) or (books.get(str(file)) if not file.exists() else None)
        source: layout.Source = book or file
        if source not in sources:
            sources.append(source)
    return sources


def _nothing_to_do(args: argparse.Namespace, files: list[layout.Source], formats: list[str]) -> bool:
    settings = Options(**_settings(args))
    contexts = {fmt: freshness.context(fmt, settings) for fmt in formats}
    return freshness.up_to_date(files, formats, args.out, contexts)


def _serve(args: argparse.Namespace) -> int:
    import contextlib
    import copy

    from publish import runner, serve

    refused = _refuse_out(args.out, args.content, args.force)
    if refused:
        print(f"error: {refused}", file=sys.stderr)
        return 2
    given = copy.copy(args)

    def resolved() -> argparse.Namespace:
        """The command line filled in from publish.toml as it is now (a copy: read again at
        every build)."""
        now = copy.copy(given)
        now.theme = list(given.theme)
        _with_project(now)
        return now

    def build() -> tuple[list[Path], list[str], list[tuple[str, Path]]]:
        now = resolved()
        sources = _sources(now)
        if not sources:
            return [], [f"no Markdown documents in {now.content}"], []
        report = runner.build(sources, ["html"], now.out, _options(now), jobs=1)
        pages = [(s.stem, layout.edition_path(now.out, s, "html")) for s in sources]
        return report.built, report.errors, pages

    watched = [args.content, *args.theme]
    with contextlib.suppress(PublishError):  # a bad publish.toml is reported by the build
        watched = [args.content, *resolved().theme]  # with the theme publish.toml names
    if not options.packaged_theme():  # a source tree: its templates may be edited
        watched.append(options.default_theme())
    try:
        server = serve.serve(build, args.out, watched, port=args.port, log=lambda line: print(line, flush=True))
    except OSError as exc:
        print(f"error: cannot serve on 127.0.0.1:{args.port}: {exc.strerror}; choose another --port", file=sys.stderr)
        return 2
    return serve.run_forever(server, log=lambda line: print(line, flush=True))


def _check(args: argparse.Namespace) -> int:
    from publish import check

    try:
        _with_project(args)
        files = _sources(args)
    except PublishError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    options = _options(args)
    report = check.run(files, args.out, options, args.project.formats if args.project else FORMATS)
    print(check.terminal(report))
    destination = args.report or args.out / "report.html"
    from publish.files import write_bytes

    write_bytes(destination, check.html_report(report, options, destination).encode("utf-8"))
    print(f"wrote {destination}")
    return report.exit_code


NEW_DOCUMENT = """\
---
title: {title}
# subtitle: A line under the title
# authors:
#   - name: Ada Editor
#     honorific: Dr
#     role: Managing Editor
#     affiliation: Small Press Collective
# date: {today}
lang: {lang}
# publishers:
#   - names:
#       - {{text: Small Press Collective}}
#       - {{text: 小出版社, lang: zh-Hant}}
# description: One sentence for catalogues and search engines.
# keywords: [one, two]
# rights: CC BY 4.0
# identifier: a stable urn:uuid is made from title, authors and date when this is left out
---

## A first heading

Write here. A footnote looks like this.[^1] A span in another language:
[中文]{{lang=zh-Hant}}.

[^1]: The footnote's text.
"""


def _new(args: argparse.Namespace) -> int:
    import datetime as dt
    import re
    import unicodedata

    from publish import langs

    problem = langs.check(args.lang)
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return 2
    ascii_name = unicodedata.normalize("NFKD", args.name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-") or "document"
    title = args.name.replace('"', '\\"')
    today = dt.date.today().isoformat()
    if args.book:
        return _new_book(args, slug, title, today)
    path = args.content / f"{slug}.md"
    if path.exists():
        print(f"error: {path} already exists", file=sys.stderr)
        return 1
    text = NEW_DOCUMENT.format(title=f'"{title}"', today=today, lang=args.lang)
    args.content.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    print(f"wrote {path}")
    return 0


NEW_BOOK = """
[books.{slug}]               # a book: one edition per format, named {slug}
title = "{title}"
# subtitle = "A line under the title"
# authors = [{{ name = "Ada Editor", role = "Managing Editor", affiliation = "Small Press Collective" }}]
# date = {today}
lang = "{lang}"
# description = "One sentence for catalogues and search engines."
# Any other front-matter key may stand here too; [defaults] fills in the rest.
# The chapters, in reading order, relative to this folder:
chapters = [{chapters}]
"""

NEW_CHAPTER = """---
# A chapter's front matter gives only its title (or leave it out and open with "# Title").
title: Chapter {number}
---

## A first section

Write here. A link to another chapter names its file, and a section in it by its id:
{link}. A footnote.[^1]

[^1]: Notes are numbered across the book.
"""


def _new_book(args: argparse.Namespace, slug: str, title: str, today: str) -> int:
    """CONTENT/SLUG/chapter-N.md and a [books.SLUG] table added to CONTENT/publish.toml."""
    folder = args.content / slug
    toml = args.content / project.FILE
    if args.chapters < 1:
        print("error: a book has at least one chapter", file=sys.stderr)
        return 2
    if folder.exists():
        print(f"error: {folder} already exists", file=sys.stderr)
        return 1
    before = toml.read_text(encoding="utf-8") if toml.is_file() else ""
    try:
        found = project.load(args.content)
    except PublishError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if found is not None and any(b.name == slug for b in found.books):
        print(f"error: {toml} already has a book {slug!r}", file=sys.stderr)
        return 1
    files = [f"chapter-{n}.md" for n in range(1, args.chapters + 1)]
    folder.mkdir(parents=True)
    for number, name in enumerate(files, 1):
        other = files[number % len(files)]
        link = f"[the next chapter]({other}#a-first-section)" if len(files) > 1 else "[this section](#a-first-section)"
        (folder / name).write_text(NEW_CHAPTER.format(number=number, link=link), encoding="utf-8")
    chapters = ", ".join(f'"{slug}/{name}"' for name in files)
    table = NEW_BOOK.format(slug=slug, title=title, today=today, lang=args.lang, chapters=chapters)
    joined = before + ("\n" if not before.endswith("\n") else "") + table if before else table.lstrip("\n")
    toml.write_text(joined, encoding="utf-8")
    try:
        project.load(args.content)
    except PublishError as exc:  # never leave a project file that does not load
        toml.write_text(before, encoding="utf-8") if before else toml.unlink()
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"wrote {folder}/ ({len(files)} chapters) and the book's table in {toml}")
    return 0
