"""``python -m publish serve``: the HTML editions on 127.0.0.1, rebuilt and reloaded on change.

The server builds the HTML edition of every document and book (incrementally, into the
output folder: the files are those ``publish html`` writes), serves the output folder, and
watches the content folder, the theme folders and publish.toml (:mod:`watchfiles`). After
each rebuild every open page reloads; a build error is shown over the page (and in the
terminal) until it is fixed.

Pages are served with a small script added before ``</body>`` (the files on disk stay as
built). It listens to ``/__publish/events`` (server-sent events): each event is the whole
state, ``{"generation": N, "errors": [...], "pages": {"/book/ch.html": N, ...}}`` (the
generation at which each page was last rewritten); a page reloads when its own file was
rewritten after the generation it was served with (the index page: when anything was),
and otherwise shows the errors, if any. A rebuild may come in steps (the edited chapter of
a book first, then the rest of the book), each a generation.
"""

from __future__ import annotations

import html
import http.server
import json
import mimetypes
import signal
import sys
import threading
import urllib.parse
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

EVENTS = "/__publish/events"

_SCRIPT = """<script id="publish-live">
(function () {
  var generation = %(generation)d, path = %(path)s;
  function show(errors) {
    var box = document.getElementById("publish-errors");
    if (!errors.length) { if (box) { box.remove(); } return; }
    if (!box) {
      box = document.createElement("div");
      box.id = "publish-errors";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;left:0;right:0;bottom:0;max-height:50vh;overflow:auto;z-index:2147483647;" +
        "margin:0;padding:1rem 1.25rem;background:#7f1d1d;color:#fff;font:14px/1.4 monospace;white-space:pre-wrap";
      document.body.appendChild(box);
    }
    box.textContent = "publish: the last build failed\\n\\n" + errors.join("\\n");
  }
  var source = new EventSource("%(events)s");
  source.onmessage = function (event) {
    var state = JSON.parse(event.data);
    var changed = path === null ? state.generation : (state.pages[path] || 0);
    if (changed > generation) { source.close(); location.reload(); return; }
    show(state.errors);
  };
})();
</script>
"""


@dataclass
class State:
    """What the pages are told: the build's generation (one more per build step that wrote
    a file), the generation at which each page (by its URL path) was last written, and the
    errors of the last build."""

    generation: int = 0
    errors: list[str] = field(default_factory=list)
    pages: dict[str, int] = field(default_factory=dict)
    changed: threading.Condition = field(default_factory=threading.Condition)

    def publish(self, written: Sequence[str], errors: list[str] | None) -> None:
        """A build step wrote the pages ``written`` (URL paths); ``errors``: the build's
        errors (None: the build goes on, they are not known yet)."""
        with self.changed:
            if written:
                self.generation += 1
                self.pages.update(dict.fromkeys(written, self.generation))
            if errors is not None:
                self.errors = list(errors)
            self.changed.notify_all()

    def snapshot(self) -> dict[str, Any]:
        with self.changed:
            return {"generation": self.generation, "errors": list(self.errors), "pages": dict(self.pages)}


def inject(page: bytes, generation: int, path: str | None = None) -> bytes:
    """``page`` with the script that reloads it when the file at the URL ``path`` is
    rewritten (None: when any file is)."""
    values = {"generation": generation, "events": EVENTS, "path": json.dumps(path).replace("<", "\\u003c")}
    script = (_SCRIPT % values).encode("utf-8")
    at = page.rfind(b"</body>")
    return page[:at] + script + page[at:] if at >= 0 else page + script


def url_path(root: Path, file: Path) -> str:
    """The URL path a file of the output folder ``root`` is served at."""
    return "/" + file.resolve().relative_to(root.resolve()).as_posix()


def _handler(out: Path, state: State, index: Callable[[], str]) -> type[http.server.BaseHTTPRequestHandler]:
    root = out.resolve()

    class Handler(http.server.BaseHTTPRequestHandler):
        server_version = "publish-serve"

        def log_message(self, format: str, *args: Any) -> None:
            pass  # the terminal shows builds, not requests

        def do_GET(self) -> None:
            path = urllib.parse.unquote(urllib.parse.urlsplit(self.path).path)
            if path == EVENTS:
                self.events()
                return
            if path == "/":
                self.send(200, "text/html; charset=utf-8", inject(index().encode("utf-8"), state.generation))
                return
            generation = state.generation  # before the file is read: a newer file reloads the page
            target = (root / path.lstrip("/")).resolve()
            if not target.is_relative_to(root) or target.name.startswith(".") or not target.is_file():
                page = _page("Not found", f"<p>{html.escape(path)} is not in the output folder.</p>")
                self.send(404, "text/html; charset=utf-8", inject(page.encode("utf-8"), generation, path))
                return
            body = target.read_bytes()
            kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
            if kind == "text/html":
                body, kind = inject(body, generation, url_path(root, target)), "text/html; charset=utf-8"
            self.send(200, kind, body)

        def send(self, status: int, kind: str, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def events(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            last: dict[str, Any] | None = None
            try:
                while not getattr(self.server, "stopping", False):
                    now = state.snapshot()
                    if now != last:
                        self.wfile.write(f"data: {json.dumps(now)}\n\n".encode())
                        last = now
                    else:
                        self.wfile.write(b": still here\n\n")
                    self.wfile.flush()
                    with state.changed:
                        state.changed.wait(timeout=10)
            except (BrokenPipeError, ConnectionResetError):
                return

    return Handler


def _rewritten(out: Path, written: list[Path]) -> list[str]:
    """The URL paths of the files ``written``, and of every page of an edition one of whose
    other files (an image) was written: those pages show it, though their bytes may be the same."""
    urls = {url_path(out, p) for p in written if p.is_file()}
    for edition in {url.split("/")[1] for url in urls if not url.endswith(".html") and url.count("/") > 1}:
        urls.update(url_path(out, page) for page in (out / edition).glob("*.html"))
    return sorted(urls)


def _page(title: str, body: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8" />\n'
        f"<title>{html.escape(title)}</title>\n"
        '<meta name="viewport" content="width=device-width, initial-scale=1" />\n'
        "<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem}</style>\n"
        f"</head>\n<body>\n<h1>{html.escape(title)}</h1>\n{body}\n</body>\n</html>\n"
    )


@dataclass
class Server:
    """A running preview: the HTTP server, the watcher and the builds."""

    httpd: http.server.ThreadingHTTPServer
    state: State
    stop_event: threading.Event

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host!s}:{port}/"

    def stop(self) -> None:
        self.stop_event.set()
        self.httpd.stopping = True  # type: ignore[attr-defined]
        with self.state.changed:
            self.state.changed.notify_all()
        self.httpd.shutdown()
        self.httpd.server_close()


#: What changed on disk, as the watcher reports it: (``added``, ``modified`` or ``deleted``,
#: the path). A build is given None when it must assume that anything may have changed.
Changes = tuple[tuple[str, Path], ...]

#: The watcher looks for changes every ``WATCH_STEP`` ms and hands them over once a step
#: brings no new ones (an editor's save is one write, or a write and a rename, within
#: microseconds), or after ``WATCH_DEBOUNCE`` ms of changes in a row. watchfiles' defaults
#: (50 ms and 1600 ms) cost 50–100 ms of every edit's latency; 20 ms costs 20–40 ms.
WATCH_STEP = 20
WATCH_DEBOUNCE = 200


@dataclass
class Step:
    """What one step of a build did: the files it wrote, and (its last step only) the
    build's errors and (title, edition) of each document for the index page."""

    written: list[Path]
    errors: list[str] | None = None
    pages: list[tuple[str, Path]] | None = None


def serve(
    build: Callable[[Changes | None], Iterable[Step]],
    out: Path,
    watched: Sequence[Path],
    *,
    port: int = 8000,
    log: Callable[[str], None] = print,
) -> Server:
    """Build once, then serve ``out`` on 127.0.0.1:``port`` (0: any free port) and rebuild
    whenever a file under ``watched`` changes. ``build`` is given what changed (None the
    first time) and yields its :class:`Step` s, each told to the open pages as it ends.
    Returns at once; the caller stops the :class:`Server`."""
    state = State()
    pages: list[tuple[str, Path]] = []

    def rebuild(changes: Changes | None = None) -> None:
        nonlocal pages
        written: list[Path] = []
        errors: list[str] = []
        try:
            for step in build(changes):
                written += step.written
                errors = step.errors or []
                if step.pages is not None:
                    pages = step.pages
                state.publish(_rewritten(out, step.written), step.errors)
        except Exception as exc:  # a bad publish.toml, a vanished content folder
            errors = [str(exc)]
            state.publish([], errors)
        for error in errors:
            log(f"error: {error}")
        verb = "built" if changes is None else "rebuilt"
        log(f"{verb}: {len(written)} written, {len(errors)} error(s)" if written or errors else "nothing changed")

    def index() -> str:
        items = "\n".join(
            f'<li><a href="{html.escape(p.relative_to(out).as_posix())}">{html.escape(title)}</a></li>'
            for title, p in pages
            if p.is_file()
        )
        return _page("publish: preview", f"<ul>\n{items}\n</ul>" if items else "<p>Nothing is built yet.</p>")

    rebuild()
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), _handler(out, state, index))
    httpd.daemon_threads = True
    stop_event = threading.Event()
    server = Server(httpd, state, stop_event)
    threading.Thread(target=httpd.serve_forever, daemon=True, name="publish-http").start()
    threading.Thread(
        target=_watch, args=(watched, out, stop_event, rebuild, log), daemon=True, name="publish-watch"
    ).start()
    return server


def _watch(
    watched: Sequence[Path],
    out: Path,
    stop_event: threading.Event,
    rebuild: Callable[[Changes], None],
    log: Callable[[str], None],
) -> None:
    import watchfiles

    output = out.resolve()

    def relevant(change: watchfiles.Change, name: str) -> bool:
        path = Path(name)
        ignored = path.name.startswith(".") or path.name.endswith((".part", "~"))
        return not (ignored or path.is_relative_to(output))

    roots = [str(p) for p in watched if p.exists()]
    for changes in watchfiles.watch(
        *roots, watch_filter=relevant, stop_event=stop_event, debounce=WATCH_DEBOUNCE, step=WATCH_STEP
    ):
        names = sorted({Path(name).name for _, name in changes})
        log(f"changed: {', '.join(names)}")
        rebuild(tuple(sorted((change.name, Path(name)) for change, name in changes)))


def run_forever(server: Server, log: Callable[[str], None] = print) -> int:
    """Serve until Ctrl-C (SIGINT) or SIGTERM. Both are handled here, whatever the process
    inherited: a program started in the background of a shell without job control (a CI
    script's ``cmd &``) inherits SIGINT ignored, and Python then raises no KeyboardInterrupt."""
    previous: dict[signal.Signals, Any] = {}
    if threading.current_thread() is threading.main_thread():
        for signum in (signal.SIGINT, signal.SIGTERM):
            previous[signum] = signal.signal(signum, lambda *_: server.stop_event.set())
    log(f"serving {server.url} (Ctrl-C to stop)")  # once a signal is handled: a script may send one at once
    sys.stdout.flush()
    try:
        server.stop_event.wait()
        log("stopping")
    except KeyboardInterrupt:
        log("stopping")
    finally:
        server.stop()
        for number, handler in previous.items():
            signal.signal(number, handler)
    return 0
