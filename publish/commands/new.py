"""``publish new``: start a document (or a book) with commented front matter."""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
import unicodedata

from publish import langs, project
from publish.errors import PublishError

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


def run(args: argparse.Namespace) -> int:
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
