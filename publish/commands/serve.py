"""``publish serve``: the HTML editions on 127.0.0.1, rebuilt and reloaded as you edit.

A rebuild after an edit does as little as it can (what ``publish html`` would write is what
it writes in the end): the books' chapters and books whose files have the same bytes are not
read again (:class:`publish.book.ChapterMemo`); when Markdown files were edited in place,
only the documents and books that are not recorded as built from their present bytes are
built; and an edited chapter of a book has its page written first, before the rest of the
book (its contents, its neighbours' links) is written again.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import sys
from collections.abc import Iterator
from pathlib import Path

from publish import api, book, config, freshness, layout, options, runner, serve
from publish.errors import PublishError
from publish.writers import html as html_writer


def run(args: argparse.Namespace) -> int:
    given = config.CommandLine.from_args(args)
    refused = config.refuse_out(given.out, given.content, args.force)
    if refused:
        print(f"error: {refused}", file=sys.stderr)
        return 2
    memo = book.ChapterMemo()
    book.remember_chapters(memo)  # a book's unchanged chapters are not parsed again

    def build(changes: serve.Changes | None) -> Iterator[serve.Step]:
        return build_steps(given, memo, changes)

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


def build_steps(
    given: config.CommandLine, memo: book.ChapterMemo, changes: serve.Changes | None
) -> Iterator[serve.Step]:
    """Build with publish.toml as it is now (read again at every build), in steps, after
    ``changes`` (None: anything may have changed). ``memo``: the one :func:`publish.book.remember_chapters`
    was given, forgotten when anything but Markdown changed."""
    if changes is None or not all(_markdown(path) for _, path in changes):
        memo.forget()  # a parse looked at images and bibliographies, which may have changed
    now = config.resolve(given)
    sources = config.sources(now)
    if not sources:
        yield serve.Step([], [f"no Markdown documents in {now.content}"], [])
        return
    pages = [(s.stem, layout.edition_path(now.out, s, "html")) for s in sources]
    edited = changes is not None and all(kind == "modified" and _markdown(path) for kind, path in changes)
    if edited:
        sources = _out_of_date(sources, now)  # Markdown edited in place: only its documents are read
        assert changes is not None
        yield from _chapters_first(sources, [path for _, path in changes], now)
    if not sources:
        yield serve.Step([], [], pages)
        return
    folders = [layout.edition_path(now.out, s, "html").parent for s in sources]
    before = _stats(folders)
    report = runner.build(sources, ["html"], now.out, now.options, jobs=1)
    after = _stats(folders)
    written = sorted(path for path, stat in after.items() if before.get(path) != stat)
    yield serve.Step(written, report.errors, pages)


def _chapters_first(sources: list[layout.Source], changed: list[Path], now: config.Config) -> Iterator[serve.Step]:
    """The pages of the edited chapters of each book, written before the whole book is (with
    the same options, so with the same bytes). A book that cannot be read or written now
    is left to the build, which says why."""
    edited = {path.resolve() for path in changed}
    for source in sources:
        if not isinstance(source, layout.Book):
            continue
        chapters = [c for c in source.chapters if c.resolve() in edited]
        if not chapters:
            continue
        try:
            doc = api.load_source(source, now.options)
            dest = layout.edition_path(now.out, source, "html")
            written = html_writer.write_chapter_pages(doc, now.options, dest, chapters)
        except Exception:  # the build reports it
            continue
        yield serve.Step(written)


def _stats(folders: list[Path]) -> dict[Path, tuple[int, int, int]]:
    """The files of ``folders`` (pages, images) with what tells that one was written again."""
    found = {}
    for folder in folders:
        with contextlib.suppress(OSError):
            for entry in folder.rglob("*"):
                with contextlib.suppress(OSError):
                    stat = entry.stat()
                    if entry.is_file():
                        found[entry] = (stat.st_ino, stat.st_size, stat.st_mtime_ns)
    return found


def _markdown(path: Path) -> bool:
    return path.suffix.lower() in layout.MARKDOWN_SUFFIXES


def _out_of_date(sources: list[layout.Source], now: config.Config) -> list[layout.Source]:
    """The sources whose web edition is not recorded as built from their present bytes (the
    no-op check of :mod:`publish.freshness`, which reads no Markdown), and every source that
    shares its name with another (the build reports it). Only for an edit of Markdown files
    in place: a file added or removed changes the links of other documents, an image the
    documents that show it, and neither is in a source's bytes."""
    freshness.theme_digest.cache_clear()
    contexts = {"html": freshness.context("html", now.options)}
    names = collections.Counter(source.stem for source in sources)
    return [
        source
        for source in sources
        if names[source.stem] > 1 or not freshness.up_to_date([source], ["html"], now.out, contexts)
    ]


def _log(line: str) -> None:
    print(line, flush=True)
