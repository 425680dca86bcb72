from __future__ import annotations

from pathlib import Path

import pytest
import weasyprint

import publish
from publish import model as m
from publish.options import Options

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
ARTICLE = ROOT / "content" / "justice-for-western-azerbaijan-community.md"
# The text the article was extracted from (a PDF extraction, kept as the reference).
SEED = FIXTURES / "article-extracted.txt"
DOCUMENTS = {
    "every-node": FIXTURES / "every-node.md",
    "chinese": FIXTURES / "chinese.md",
    "article": ARTICLE,
}
FORMATS = ("html", "pdf", "epub", "docx")


class Built:
    """Each document is read once and each edition written once per test session."""

    def __init__(self, root: Path):
        self.root = root
        self.docs: dict[str, m.Document] = {}
        self.paths: dict[tuple[str, str], Path] = {}

    def doc(self, name: str) -> m.Document:
        if name not in self.docs:
            self.docs[name] = publish.load(DOCUMENTS[name])
        return self.docs[name]

    def edition(self, name: str, fmt: str) -> Path:
        key = (name, fmt)
        if key not in self.paths:
            slug = self.doc(name).slug  # the layout of `publish all`: OUT/<slug>/<slug>.<fmt>
            dest = self.root / slug / f"{slug}.{fmt}"
            self.paths[key] = publish.build(self.doc(name), fmt, dest, Options())
        return self.paths[key]


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return Built(tmp_path_factory.mktemp("editions"))


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def copy_editions(built: Built, name: str, out: Path) -> dict[str, Path]:
    """A private copy of one document's editions, in the output layout, to break in a test."""
    import shutil

    slug = built.doc(name).slug
    (out / slug).mkdir(parents=True, exist_ok=True)
    paths = {}
    for fmt in FORMATS:
        paths[fmt] = out / slug / f"{slug}.{fmt}"
        shutil.copyfile(built.edition(name, fmt), paths[fmt])
    media = built.edition(name, "html").parent / "media"
    if media.is_dir() and not (out / slug / "media").exists():
        shutil.copytree(media, out / slug / "media")
    return paths


def keep_rendered(monkeypatch: pytest.MonkeyPatch) -> list[weasyprint.Document]:
    """The documents WeasyPrint lays out and writes during the test, in order (their layout
    tree is what a test of the print stylesheet reads)."""
    rendered: list[weasyprint.Document] = []
    write_pdf = weasyprint.Document.write_pdf

    def keep(document: weasyprint.Document, *args: object, **kwargs: object) -> object:
        rendered.append(document)
        return write_pdf(document, *args, **kwargs)

    monkeypatch.setattr(weasyprint.Document, "write_pdf", keep)
    return rendered
