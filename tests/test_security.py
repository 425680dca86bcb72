"""Hostile documents and themes: no file outside the content and theme folders is read and no
network request is made, in any of the four formats.

A canary file lies outside the content folder and a canary HTTP server listens on 127.0.0.1.
Every attack document is built into all four formats; afterwards the canary's bytes appear in
no output (zip members and PDF streams decompressed) and the server has had no request.
"""

from __future__ import annotations

import base64
import http.server
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pikepdf
import pytest

from publish import cli, runner
from publish.options import Options
from tests.conftest import FIXTURES, write

CANARY = b"CANARY-5f1d9c0e-leaked"


class _Canary(http.server.BaseHTTPRequestHandler):
    requests: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        _Canary.requests.append(self.path)
        body = (FIXTURES / "images" / "gradient.png").read_bytes() if self.path == "/ok.png" else CANARY
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Canary)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def _png_with_canary() -> bytes:
    """A real PNG that carries the canary in a text chunk."""
    import struct
    import zlib

    data = (FIXTURES / "images" / "gradient.png").read_bytes()
    chunk = b"tEXt" + b"Comment\0" + CANARY
    text = struct.pack(">I", len(chunk) - 4) + chunk + struct.pack(">I", zlib.crc32(chunk) & 0xFFFFFFFF)
    return data[:33] + text + data[33:]  # after the signature and IHDR


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("project")
    secret = root / "secret"
    secret.mkdir()
    (secret / "canary.txt").write_bytes(CANARY + b"\n")
    (secret / "canary.png").write_bytes(_png_with_canary())
    (secret / "canary.css").write_bytes(b"/* " + CANARY + b" */ p { color: red }")
    content = root / "content"
    content.mkdir()
    (content / "evil.png").symlink_to(secret / "canary.png")
    (content / "evil-dir").symlink_to(secret, target_is_directory=True)
    return root


def _attacks(project: Path, url: str) -> dict[str, tuple[str, bool]]:
    """name → (Markdown body, whether the reader must refuse it with file:line)."""
    secret = project / "secret"
    data_png = "data:image/png;base64," + base64.b64encode(_png_with_canary()).decode()
    return {
        "symlinked-file": ("![x](evil.png)", True),
        "symlinked-folder": ("![x](evil-dir/canary.png)", True),
        "dot-dot": ("![x](../secret/canary.png)", True),
        "dot-dot-encoded": ("![x](%2E%2E/secret/canary.png)", True),
        "absolute": (f"![x]({secret}/canary.png)", True),
        "file-url-image": (f"![x](file://{secret}/canary.png)", False),  # left as text by the parser
        "http-image": (f"![x]({url}/image.png)", True),
        "metadata-service": ("![x](http://169.254.169.254/latest/meta-data/x.png)", True),
        "data-image": (f"![x]({data_png})", True),
        "links": (
            f"[a]({url}/page) [b](file://{secret}/canary.txt) [c](javascript:alert(1)) <{url}/auto>",
            False,
        ),
        "attachment": (f'<link rel="attachment" href="file://{secret}/canary.txt">', True),
        "css-import": (f"<style>@import url({url}/x.css);</style>", True),
        "style-attribute": (f'[styled]{{style="background: url({url}/bg.png)"}} text', False),
        "script": ("<script>fetch('/x')</script>", True),
        "onerror": ('<img src="x.png" onerror="alert(1)">', True),
        "svg-in-html": (f'<svg><image href="{url}/i.png"/></svg>', True),
        "javascript-image": ("![x](javascript:alert(1))", False),
    }


def _leaks(out: Path) -> list[str]:
    found = []
    for path in out.rglob("*"):
        if not path.is_file():
            continue
        data = path.read_bytes()
        blobs = [data]
        if path.suffix in (".epub", ".docx"):
            with zipfile.ZipFile(path) as z:
                blobs += [z.read(n) for n in z.namelist()]
        if path.suffix == ".pdf":
            with pikepdf.open(path) as pdf:
                for obj in pdf.objects:
                    if isinstance(obj, pikepdf.Stream):
                        blobs.append(obj.read_bytes())
                        if obj.get("/Subtype") == "/Image":
                            found.append(f"{path}: an image (the document has none of its own)")
                if "/EmbeddedFiles" in pdf.Root.get("/Names", {}):
                    found.append(f"{path}: an attachment")
        if any(CANARY in blob for blob in blobs):
            found.append(str(path))
    return found


def test_attack_documents_leak_nothing_in_any_format(project: Path, server: str) -> None:
    _Canary.requests.clear()
    content, out = project / "content", project / "out"
    attacks = _attacks(project, server)
    files = [
        write(content, f"{name}.md", f"---\ntitle: {name}\n---\n\n{body}\n") for name, (body, _) in attacks.items()
    ]
    refused = {name for name, (_, must) in attacks.items() if must}
    # --strict: every attack the reader defuses fails its document, at its line
    report = runner.build(files, ["html", "pdf", "epub", "docx"], out, Options(content_root=content, strict=True))
    assert _Canary.requests == []
    assert _leaks(out) == []
    for name in refused:
        source = content / f"{name}.md"
        assert any(e.startswith(f"{source}:5: ") for e in report.errors), (name, report.errors)
    built = {p.parent.name for p in report.built}
    assert built == set(attacks) - refused
    assert len(report.built) == 4 * len(built)
    # by default each is degraded (an image to its alt text, a tag dropped) with a warning,
    # every document builds, and still nothing is fetched or leaks
    out = project / "out-degraded"
    report = runner.build(files, ["html", "pdf", "epub", "docx"], out, Options(content_root=content))
    assert report.errors == []
    assert len(report.built) == 4 * len(attacks)
    assert _Canary.requests == []
    assert _leaks(out) == []


def test_hostile_metadata_is_escaped(project: Path, server: str, tmp_path: Path) -> None:
    _Canary.requests.clear()
    source = write(
        tmp_path / "content",
        "meta.md",
        f'---\ntitle: "<script src={server}/t.js></script>"\ndescription: "<img src={server}/d.png>"\n'
        f"authors:\n  - name: '<link rel=attachment href=file://{project}/secret/canary.txt>'\n---\n\nText.\n",
    )
    out = tmp_path / "out"
    report = runner.build([source], ["html", "pdf", "epub", "docx"], out, Options(content_root=source.parent))
    assert report.errors == [] and len(report.built) == 4
    html = (out / "meta" / "meta.html").read_text(encoding="utf-8")
    assert "<script src=" not in html and "&lt;script src=" in html
    assert _Canary.requests == [] and _leaks(out) == []


def _theme(root: Path, url: str, project: Path) -> Path:
    """A theme whose PDF page asks for remote and local files in every way a page can."""
    theme = root / "theme"
    write(
        theme,
        "pdf/document.html",
        f"""<!DOCTYPE html>
<html lang="en"><head><title>{{{{ title }}}}</title>
<link rel="stylesheet" href="{url}/theme.css" />
<link rel="attachment" href="file://{project}/secret/canary.txt" />
<link rel="attachment" href="../../secret/canary.txt" />
<style>
@import url(file://{project}/secret/canary.css);
@import url({url}/imported.css);
body {{ background: url({url}/bg.png); }}
@font-face {{ font-family: X; src: url(file://{project}/secret/canary.txt); }}
p {{ font-family: X; }}
</style></head>
<body><main><article>{{{{ body }}}}<img src="{url}/img.png" alt="x" /></article></main></body></html>
""",
    )
    return theme


def test_a_hostile_theme_cannot_fetch_either(project: Path, server: str, tmp_path: Path) -> None:
    _Canary.requests.clear()
    source = write(tmp_path / "content", "doc.md", "---\ntitle: Themed\n---\n\nText.\n")
    out = tmp_path / "out"
    theme = _theme(tmp_path, server, project)
    options = Options(content_root=source.parent, theme_dirs=(theme,))
    report = runner.build([source], ["pdf"], out, options)
    assert _Canary.requests == [] and _leaks(out) == []
    assert len(report.errors) == 1 and "refused" in report.errors[0]
    assert not (out / "doc" / "doc.pdf").exists()


def test_a_theme_template_runs_in_the_sandbox(tmp_path: Path) -> None:
    source = write(tmp_path / "content", "doc.md", "---\ntitle: Sandboxed\n---\n\nText.\n")
    theme = write(
        tmp_path / "theme",
        "base/byline.html",
        "{{ labels.__class__.__mro__[1].__subclasses__() }}",
    ).parent.parent
    write(source.parent, "a.md", "---\ntitle: A\nauthors: [Somebody]\n---\n\nText.\n")
    report = runner.build([source.parent / "a.md"], ["html"], tmp_path / "out", Options(theme_dirs=(theme,)))
    assert len(report.errors) == 1
    assert "template error: access to attribute '__class__' of 'dict' object is unsafe" in report.errors[0]


def test_remote_resources_only_when_allowed(project: Path, server: str, tmp_path: Path) -> None:
    _Canary.requests.clear()
    source = write(tmp_path / "content", "doc.md", "---\ntitle: Remote\n---\n\nText.\n")
    theme = write(tmp_path / "theme", "pdf/print.css", f"body {{ background: url({server}/ok.png); }}\n").parent.parent
    denied = runner.build([source], ["pdf"], tmp_path / "out", Options(content_root=source.parent, theme_dirs=(theme,)))
    assert len(denied.errors) == 1 and "allow it with --allow-remote" in denied.errors[0]
    assert _Canary.requests == []
    options = Options(content_root=source.parent, theme_dirs=(theme,), allow_remote=True)
    report = runner.build([source], ["pdf"], tmp_path / "out", options)
    assert report.errors == []
    assert _Canary.requests == ["/ok.png"]


def test_output_folder_guards(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = tmp_path / "project"
    content = project / "content"
    write(content, "doc.md", "---\ntitle: Doc\n---\n\nText.\n")
    (project / ".git").mkdir()
    monkeypatch.chdir(project)
    assert cli.main(["html", "--out", "."]) == 2  # a folder that holds .git
    assert cli.main(["html", "--out", str(tmp_path / "elsewhere")]) == 2  # outside the project
    assert cli.main(["html", "-q", "--out", str(tmp_path / "elsewhere"), "--force"]) == 0
    assert cli.main(["html", "-q"]) == 0


def test_removing_a_source_removes_its_editions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    content = tmp_path / "content"
    for name in ("keep", "gone"):
        write(content, f"{name}.md", f"---\ntitle: {name}\n---\n\nText.\n")
    monkeypatch.chdir(tmp_path)
    assert cli.main(["html", "-q"]) == 0
    mine = tmp_path / "output" / "notes"
    mine.mkdir()
    (mine / "todo.txt").write_text("not an edition")
    (content / "gone.md").unlink()
    assert cli.main(["html", "-q", "content/keep.md"]) == 0  # named files: nothing is pruned
    assert (tmp_path / "output" / "gone").exists()
    assert cli.main(["html", "-q"]) == 0
    assert not (tmp_path / "output" / "gone").exists()
    assert (tmp_path / "output" / "keep" / "keep.html").exists()
    assert (mine / "todo.txt").exists()  # a folder publish did not write is left alone


def test_a_document_too_large_is_refused_unless_the_cap_is_raised(tmp_path: Path) -> None:
    source = write(tmp_path / "content", "big.md", "---\ntitle: Big\n---\n\n" + "word " * 250_000 + "\n")
    out = tmp_path / "out"
    small = runner.build([source], ["html"], out, Options(max_source_bytes=1024 * 1024))
    assert small.errors == [
        f"{source}: the document is larger than 1024 KiB; raise the limit with --max-size if it is meant"
    ]
    assert runner.build([source], ["html"], out, Options(max_source_bytes=2 * 1024 * 1024)).errors == []
