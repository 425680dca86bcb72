"""``publish serve`` stops on Ctrl-C (SIGINT) and on SIGTERM, whatever signal handling it
inherited: started in the background of a shell without job control (a CI script's
``cmd &``), a process inherits SIGINT ignored, and Python then raises no KeyboardInterrupt."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import write


def _ignore_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_serve_stops_on_a_signal_even_with_sigint_ignored(tmp_path: Path, signum: signal.Signals) -> None:
    write(tmp_path / "content", "note.md", "---\ntitle: A note\n---\n\nText.\n")
    process = subprocess.Popen(
        [sys.executable, "-m", "publish", "serve", "--port", "0"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        preexec_fn=_ignore_sigint,  # as a shell without job control starts a background command
    )
    try:
        assert process.stdout is not None
        lines = []
        for line in process.stdout:
            lines.append(line)
            if line.startswith("serving "):
                break
        assert lines and lines[-1].startswith("serving "), "".join(lines)
        process.send_signal(signum)
        assert process.wait(timeout=30) == 0
        assert "stopping" in process.stdout.read()
    finally:
        if process.poll() is None:
            process.kill()
        if process.stdout is not None:
            process.stdout.close()
