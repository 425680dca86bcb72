"""The ``source`` check: the reader is proven too, not only the writers.

Every other check compares an edition with the model; a loss in the reader (a line that never
reaches the model) would pass them all. This one reads the source files again, with rules of
its own that share nothing with the reader, and proves two things:

``source (words)``
    Every word of the source's text is in the model, in order; where one goes missing, its
    ``file:line``. A *word* is a run of letters and digits (an underscore separates words);
    a Han, kana or Hangul character is a word by itself (no spaces between them, and the
    model may space them from Latin letters). Compared after NFC. What is *not* text:

    - the front matter: each field is checked against the model's field of that name (or,
      for a key the model does not know, the value it keeps in ``extra``), its words as a
      set; ``date`` and ``lang`` are values, not words (the metadata check proves them);
    - link and image destinations and titles (``[text](url "title")`` keeps ``text``;
      ``![alt](src)`` keeps ``alt``), link reference definitions, footnote labels;
    - HTML tags and comments (the text between tags is text), ``{#id .class key=value}``
      attribute blocks, the numbers and letters of ordered-list markers (``3.``, ``(iv)``,
      ``B)``), entities (decoded first);
    - Markdown punctuation, which is not made of letters or digits anyway.

    Code (fenced, indented or inline) is text, as written; raw HTML in code (``{=html}``)
    is read as HTML, raw code of another format (``{=latex}``…) is not text. A footnote's text is compared with
    the model's notes, in the order the notes are referenced. The model side is every text
    of the document in order: the title and subtitle first (a heading the reader makes the
    title is still there), headings, paragraphs, alt texts, code, table captions (before and
    after the cells, where the source may have put them) and cells. The model may have more
    words (numbers of its own); it may not have fewer.

``source (pandoc)``
    pandoc's reading of the same file (:mod:`publish.check.pandoc`), as a second opinion on
    the structure: the same units (headings with their levels, paragraphs, lists, code,
    figures, tables, notes), in the same order, with the same text, once the differences our
    dialect declares (:data:`publish.check.pandoc.DIALECT`) are applied. Without pandoc:
    not checked.

What the reader is declared to do is tolerated, and nothing else, in two places:

- rules of the dialect, always: :data:`DECLARED` (words) and
  :data:`publish.check.pandoc.DIALECT` (pandoc);
- a construct the reader degrades and says so: every warning it logs at a ``file:line`` (:func:`reader_warnings`:
  a remote image becomes its alt text...) makes a difference at that line tolerated, listed with the warning.
"""

from __future__ import annotations

import bisect
import dataclasses
import html
import logging
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from publish import align, crossref, layout, mathmacros, rawformats, rawhtml, sourcefile, walk
from publish import model as m
from publish.check import sourcenotes, sourcetables
from publish.check.report import FAIL, PASS, Result
from publish.options import MAX_SOURCE_BYTES, Options

#: A citation as written: in brackets (``[see @a, p. 3; @b]``), or a key with the suffix
#: in brackets after it (``@key [p. 3]``).
CITATION = re.compile(
    r"\[[^\[\]]*?(?<![\w\\])-?@[^\[\]]*\](?![(\[{])"
    r"|(?<![\w\\])-?@(?:\{[^{}\s]*\}|[\w*](?:\w|[:.#$%&\-+?<>~/](?=\w))*)(?:[ \t]*\n?[ \t]*\[[^\[\]]*\](?![(\[{]))?"
)
#: What the reader changes in the source's text before words are compared: (what, pattern, replacement).
DECLARED: tuple[tuple[str, re.Pattern[str], str], ...] = (
    (
        "a task list's box is the item's box, not its words",
        re.compile(r"^(\s*(?:[-*+]|\d+[.)])\s+)\[[ xX]\]", re.M),
        r"\1",
    ),
    ("a fenced div's fence and attributes are not words", re.compile(r"^[ \t>]*:{3,}.*$"), ""),
    ("a table caption's Table: is not a word", re.compile(sourcetables.CAPTION_PREFIX, re.M), ""),
    (
        "a code fence's language is not a word",
        re.compile(r"^([ \t>]*(?:[-*+]|\d+[.)])?[ \t]*)(?:`{3,}|~{3,})[^`]*$"),
        r"\1",
    ),
    ("a raw span's format is not a word", re.compile(r"\{=[\w+-]+\}"), " "),
    (
        "a list's letter, roman or parenthesised number (a., (iv), B), (1)...) is not a word",
        re.compile(r"^((?:[ \t]*>)*[ \t]*)\(?(?:[a-zA-Z]|[ivxlcdm]+|[IVXLCDM]+|[0-9]{1,9}|#)[.)](?=[ \t]|$)"),
        r"\1",
    ),
    (
        "a GitHub alert's marker is its callout's kind",
        re.compile(r"\[!(?:NOTE|TIP|IMPORTANT|WARNING|CAUTION)\]", re.I),
        " ",
    ),
    ("a cross-reference (@fig-x) is its label and number", crossref.REFERENCE, " "),
    ("an example's label, (@label), is its number", re.compile(r"\(@[\w-]*\)"), " "),
    (
        "a citation ([see @key, p. 3], @key [p. 3], [-@key]) is the text its style prints: its keys, "
        "locators and words around them in brackets are not the source's words (in a document with a "
        "bibliography, a citation over several lines too: a note style moves its words to a note)",
        CITATION,
        " ",
    ),
)


@dataclass(frozen=True)
class SourceText:
    """One file of a document as the check reads it: its lines after the front matter."""

    path: Path
    text: str
    #: The front matter's fields and YAML text (empty when it has none), and the number of
    #: lines before the body.
    front: dict[str, object]
    yaml: str
    offset: int
    #: A book's chapter: its front matter's ``title`` is the chapter's heading.
    chapter: bool = False


def source_texts(source: layout.Source, options: Options) -> list[SourceText]:
    """The Markdown files a document or a book is read from, in order."""
    files = list(source.chapters) if isinstance(source, layout.Book) else [source]
    out = []
    for path in files:
        text = sourcefile.clean(sourcefile.decode(path, options.max_source_bytes or MAX_SOURCE_BYTES), path)
        front = sourcefile.split_front_matter(text, path)
        out.append(SourceText(path, front.body, front.data, front.text, front.offset, isinstance(source, layout.Book)))
    return out


# ---------------------------------------------------------------- what the reader declares

_WARNING = re.compile(r"^(?P<file>.+?):(?P<line>\d+): (?P<message>.+)$", re.S)


def reader_warnings(source: layout.Source, options: Options) -> dict[tuple[str, int], str]:
    """What the reader declared while reading: each warning it logs at a ``file:line`` (it
    degraded a construct there and said so). A difference at such a line is tolerated, and
    listed with the warning, in both halves of the check; any other is a failure."""
    from publish import api

    found: dict[tuple[str, int], str] = {}

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            match = _WARNING.match(record.getMessage())
            if record.levelno >= logging.WARNING and match:
                found[(str(Path(match["file"])), int(match["line"]))] = match["message"]

    handler = Collect()
    logger = logging.getLogger("publish")
    logger.addHandler(handler)
    try:
        api.load_source(source, options)
    finally:
        logger.removeHandler(handler)
    return found


def tolerate(problems: list[str], declared: dict[tuple[str, int], str]) -> tuple[list[str], list[str]]:
    """(problems at no declared line, those the reader declared — each with its warning)."""
    kept, tolerated = [], []
    for problem in problems:
        match = re.match(r"^(.+?):(\d+): ", problem)
        warning = declared.get((str(Path(match[1])), int(match[2]))) if match else None
        if warning is None:
            kept.append(problem)
        else:
            tolerated.append(f"{problem} (declared by the reader: {warning})")
    return kept, tolerated


# ---------------------------------------------------------------- words

_CJK = re.compile(r"([\u1100-\u11ff\u2e80-\u9fff\ua960-\ua97f\uac00-\ud7ff\uf900-\ufaff\U00020000-\U0003ffff])")
_WORD = re.compile(r"[^\W_]+")


def words(text: str) -> list[str]:
    """The words of a text (see the module's rules)."""
    text = unicodedata.normalize("NFC", text)
    return [piece for word in _WORD.findall(text) for piece in _CJK.split(word) if piece]


_FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})")  # indented too: a fence in a list item
_COMMENT = re.compile(r"<!--.*?-->", re.S)
#: An element the reader drops with its content (and says so): :data:`publish.rawhtml.DROPPED`.
_DROPPED = re.compile(rf"<({'|'.join(sorted(rawhtml.DROPPED))})\b[^<>]*>.*?</\1\s*>", re.S | re.I)
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")
_ATTRS = re.compile(r"\{\s*(?:(?:[#.][\w:-]+|[\w-]+=(?:\"[^\"]*\"|'[^']*'|[^\s}]*)|-)\s*)+\}")
_DESTINATION = re.compile(
    r"\]\(\s*<?[^()\s>]*(?:\([^()\s]*\)[^()\s>]*)*>?(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^)]*\)))?\s*\)"
)
_REFERENCE_LINK = re.compile(r"\]\[[^\]]*\]")
#: A reference's label with a code span in it; one over two lines (the body's, line breaks kept).
_CODED_LABEL = re.compile(r"\]\[[^\]`]*`[^`]+`[^\]]*\]")
_BROKEN_LABEL = re.compile(r"\]\[[^\]\[\n]*\n[^\]\[\n]*\]")
_DEFINITION = re.compile(r"^ {0,3}\[(?!\^)[^\]]+\]:\s*\S.*$")
#: A line that opens a list item or a definition, whose indented blocks are not code.
_ITEM = re.compile(r"^[ \t>]*(?:[-*+:~]|\(?[0-9a-zA-Z#]{1,9}[.)])(?:[ \t]|$)")
#: A link reference definition whose destination is on the next line.
_DEFINITION_OPEN = re.compile(r"^ {0,3}\[(?!\^)[^\]]+\]:\s*$")
_NOTE_DEFINITION = re.compile(r"^ {0,3}\[\^([^\]\s]+)\]:[ \t]?")
_NOTE_REFERENCE = re.compile(r"\[\^([^\]\s]+)\]")
_LIST_NUMBER = re.compile(r"^((?:[ \t]*>)*[ \t]*)\d{1,9}[.)](?=[ \t]|$)")
_CODE_SPAN = re.compile(r"(`+)(.+?)\1", re.S)
_RAW_FORMAT = re.compile(r"[ \t]*\{=([\w+-]+)\}")


@dataclass
class Words:
    """Source words with their lines: the body, and each footnote by label."""

    body: list[tuple[str, int]] = dataclasses.field(default_factory=list)
    notes: dict[str, list[tuple[str, int]]] = dataclasses.field(default_factory=dict)
    #: Note labels in the order of their first reference.
    order: list[str] = dataclasses.field(default_factory=list)
    #: An inline note (``^[…]``) still open at the end of the line read last.
    inline: tuple[str, int] | None = None


def _prose(line: str) -> str:
    """A line of Markdown text without what is not text; code spans kept as written."""
    line = _CODED_LABEL.sub("] ", line)  # [text][Extension: `styles`]: the label is no text
    parts = []
    last = 0
    for found in _CODE_SPAN.finditer(line):
        parts.append(_strip(line[last : found.start()]))
        parts.append(" " + _raw(found.group(2), _RAW_FORMAT.match(line, found.end())) + " ")
        last = found.end()
    parts.append(_strip(line[last:]))
    return "".join(parts)


def _raw(code: str, raw: re.Match[str] | None) -> str:
    """Code as written; raw HTML (``{=html}``) its text; raw text of another format none
    (the reader drops it and says so)."""
    if raw is None:
        return code
    return _strip(code) if raw.group(1).lower() in rawformats.HTML_FORMATS else ""


def _strip(text: str) -> str:
    text = _DESTINATION.sub("] ", text)
    text = _REFERENCE_LINK.sub("] ", text)
    text = _NOTE_REFERENCE.sub(" ", text)
    text = _TAG.sub(" ", text)
    text = _ATTRS.sub(" ", text)
    text = html.unescape(text)
    for _what, pattern, replacement in DECLARED:
        text = pattern.sub(replacement, text)
    return text


def source_words(source: SourceText) -> Words:
    """The words of one file's body, each with its line (see the module's rules)."""
    found = Words()
    body = _COMMENT.sub(lambda c: "\n" * c.group().count("\n"), source.text)
    body = _DROPPED.sub(lambda c: "\n" * c.group().count("\n"), body)
    if source.front.get("bibliography") or source.front.get("references"):  # a citation over several lines
        body = CITATION.sub(lambda c: " " + "\n" * c.group().count("\n"), body)
    if defined_macros := mathmacros.parse(body)[0]:  # the math shows a macro's body, not its name
        uses = re.compile(r"\\(?:" + "|".join(map(re.escape, defined_macros)) + r")(?![A-Za-z])")
        body = uses.sub(" ", body)
    body = _BROKEN_LABEL.sub(lambda label: "] " + "\n" * label.group().count("\n"), body)
    fence = ""
    raw: re.Match[str] | None = None  # the fence's raw format (```{=html})
    note: str | None = None
    blank = True  # the line before was blank
    definition = False  # the line before opened a link reference definition
    last = ""  # the last line that was not blank
    code = False  # in an indented code block
    for number, line in enumerate(body.split("\n"), source.offset + 1):
        after_blank, blank = blank, not line.strip()
        if definition and line.strip():
            definition = False
            continue  # the definition's destination
        indented = line.startswith(("    ", "\t"))
        code = (code and (blank or indented)) or (
            not fence and after_blank and indented and note is None and not last.startswith((" ", "\t"))
            and not _ITEM.match(last)
        )  # fmt: skip
        last = line if not blank else last
        if code:  # its text as written: no notes, links nor markup in it
            found.body.extend((w, number) for w in words(line))
            continue
        target = found.body
        if fence:
            if re.match(rf"^[ \t]*{fence[0]}{{{len(fence)},}}\s*$", line):
                fence = ""
            else:
                target = found.notes[note] if note is not None and line.startswith("    ") else found.body
                target += [(w, number) for w in words(_raw(line, raw))]
            continue
        opened = _FENCE.match(line)
        if opened:
            fence = opened.group(1)
            raw = _RAW_FORMAT.match(line, opened.end())
            continue
        defined = _NOTE_DEFINITION.match(line)
        if defined:
            note = defined.group(1)
            found.notes.setdefault(note, [])
            line = line[defined.end() :]
        elif note is not None and line.strip() and after_blank and not line.startswith(("    ", "\t")):
            note = None  # (a line right after the note's runs its paragraph on, indented or not)
        if note is not None:
            target = found.notes[note]
        elif _DEFINITION.match(line):
            continue
        elif _DEFINITION_OPEN.match(line):
            definition = True
            continue
        line = sourcenotes.take(line, number, found, lambda t: words(_prose(t)))
        line = _LIST_NUMBER.sub(r"\1", line)
        target += [(w, number) for w in words(_prose(line))]
    return found


def model_words(doc: m.Document) -> tuple[list[str], list[str]]:
    """The words of the model in reading order: (the body, the notes in number order)."""
    body: list[str] = words(doc.meta.title) + words(doc.meta.subtitle)
    for block in crossref.labelled(doc).blocks:  # captions with their labels
        body += words(" ".join(_block_texts(block)))
    notes = [w for note in walk.notes(doc.blocks) for b in note.blocks for w in words(" ".join(_block_texts(b)))]
    return body, notes


def _block_texts(block: m.Block) -> Iterator[str]:
    match block:
        case m.Heading(content=content) | m.Paragraph(content=content):
            yield _inline_text(content)
        case m.BlockQuote(blocks=inner):
            for b in inner:
                yield from _block_texts(b)
        case m.BulletList(items=items) | m.OrderedList(items=items):
            for item in items:
                for b in item.blocks:
                    yield from _block_texts(b)
        case m.CodeBlock(text=code):
            yield code
        case m.DefinitionList(items=entries):
            for entry in entries:
                yield _inline_text(entry.term)
                yield from (text for blocks in entry.definitions for b in blocks for text in _block_texts(b))
        case m.Div(blocks=inner, title=title):
            yield _inline_text(title)
            for b in inner:
                yield from _block_texts(b)
        case m.Figure(image=image, caption=caption):
            yield image.alt
            yield _inline_text(caption)
        case m.Table(caption=caption):
            yield _inline_text(caption)
            yield from sourcetables.texts(block, _inline_text, _block_texts)
            yield _inline_text(caption)
        case _:
            pass


def _inline_text(inlines: Iterable[m.Inline]) -> str:
    """The text of inlines with images' alt texts, notes left out (they are compared apart)."""
    out: list[str] = []
    for node in inlines:
        match node:
            case m.Text(text=t) | m.Code(text=t) | m.Math(tex=t):
                out.append(t)
            case m.Image(alt=alt):
                out.append(f" {alt} ")
            case m.LineBreak():
                out.append(" ")
            case m.Note():
                out.append(" ")
            case (
                m.Emphasis(content=c)
                | m.Strong(content=c)
                | m.Superscript(content=c)
                | m.Subscript(content=c)
                | m.Strikeout(content=c)
                | m.Underline(content=c)
                | m.Link(content=c)
                | m.Span(content=c)
            ):
                out.append(_inline_text(c))
    return "".join(out)


@dataclass(frozen=True)
class Line:
    """A line of the source as compared: its words, where it stands."""

    words: tuple[str, ...]
    path: Path
    number: int


def missing(source: list[Line], model: list[str], what: str = "") -> list[str]:
    """Where words of the source are not in the model, in order: ``file:line: ...``.

    Compared as the letters and digits of the words, line by line (the units of
    :func:`publish.align.align`, linear in the length): so ``H~2~O`` and ``23<sup>rd</sup>``
    are the model's ``H2O`` and ``23rd`` whatever the markup between their letters. The
    model may have more; an ``insert`` is not a problem."""
    units = ["".join(line.words) for line in source]
    starts, position = [], 0
    for unit in units:
        starts.append(position)
        position += len(unit)
    problems = []
    for difference in align.align(units, "".join(model)):
        if difference.op == "insert":
            continue
        first = bisect.bisect_right(starts, difference.i1) - 1
        line = source[first]
        lost = _words_at(source, starts, difference.i1, difference.i2)
        shown = " ".join(lost[:12]) + (" …" if len(lost) > 12 else "")
        problems.append(f"{line.path}:{line.number}: {what}not in the model: {shown!r}")
    return problems


def _words_at(source: list[Line], starts: list[int], i1: int, i2: int) -> list[str]:
    """The source's words that hold the characters ``i1:i2`` of the compared text."""
    out: list[str] = []
    index = bisect.bisect_right(starts, i1) - 1
    while index < len(source) and starts[index] < max(i2, i1 + 1):
        position = starts[index]
        for word in source[index].words:
            if (position < i2 and position + len(word) > i1) or (i1 == i2 and position <= i1 < position + len(word)):
                out.append(word)
            position += len(word)
        index += 1
    return out


def declared_result(against: str, problems: list[str], declared: dict[tuple[str, int], str]) -> Result:
    """A fail for any problem the reader did not declare; the declared ones listed after."""
    kept, tolerated = tolerate(problems, declared)
    return Result("source", FAIL if kept else PASS, kept + tolerated, against)


def _lines(located: list[tuple[str, int]], path: Path) -> list[Line]:
    by_line: dict[int, list[str]] = {}
    for word, number in located:
        by_line.setdefault(number, []).append(word)
    return [Line(tuple(found), path, number) for number, found in by_line.items()]
