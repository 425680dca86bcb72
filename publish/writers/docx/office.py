"""LibreOffice, headless, for a layout of a DOCX: where it is, its user profile, one conversion.

Each process gets a user profile of its own (LibreOffice refuses a profile another running
instance holds), made on its first conversion and removed at its exit. A new profile costs
LibreOffice a restart while it sets it up (about 0.2 s), so the first profile that worked is
kept in the user's cache folder (``$XDG_CACHE_HOME/publish``, else ``~/.cache/publish``), one
per LibreOffice installation, and later profiles start as copies of it.
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import multiprocessing.util
import os
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path

#: Seconds LibreOffice may take to lay one document out.
TIMEOUT = 180
_LOCK = threading.Lock()
#: This process's profile, and whether it is known to work (kept as the template, or copied from it).
_PROFILES: dict[int, tuple[Path, bool]] = {}


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def template(exe: str) -> Path | None:
    """Where a working profile for the LibreOffice of ``exe`` is kept (None: no cache folder)."""
    try:
        real = os.path.realpath(exe)
        tag = hashlib.sha256(f"{real}\0{os.stat(real).st_mtime_ns}".encode()).hexdigest()[:12]
        cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    except (OSError, RuntimeError):  # no home folder
        return None
    return cache / "publish" / f"libreoffice-profile-{tag}"


def _profile(exe: str) -> tuple[Path, bool]:
    pid = os.getpid()
    if pid not in _PROFILES:
        folder = Path(tempfile.mkdtemp(prefix="publish-lo-"))
        # A build's workers are forked and leave by os._exit, after multiprocessing's own
        # finalizers (not atexit's); a finalizer runs only in the process that made it.
        multiprocessing.util.Finalize(None, shutil.rmtree, args=(folder, True), exitpriority=0)
        atexit.register(shutil.rmtree, folder, True)
        kept = template(exe)
        seeded = False
        if kept is not None and kept.is_dir():
            with contextlib.suppress(OSError):
                shutil.copytree(kept, folder, dirs_exist_ok=True)
                seeded = True
        _PROFILES[pid] = (folder, seeded)
    return _PROFILES[pid]


def _keep(exe: str, folder: Path) -> None:
    """Keep ``folder``, a profile LibreOffice has just used, as the template (if none is kept)."""
    kept = template(exe)
    if kept is None or kept.is_dir():
        return
    copy = kept.with_name(f"{kept.name}.{os.getpid()}.part")
    try:
        kept.parent.mkdir(parents=True, exist_ok=True)
        shutil.copytree(folder, copy, dirs_exist_ok=True)
        os.replace(copy, kept)  # fails if another process kept one first: theirs stays
    except OSError:
        shutil.rmtree(copy, ignore_errors=True)


def convert(exe: str, source: Path, target: str) -> Path | None:
    """``source`` converted by LibreOffice (``--convert-to target``, e.g. ``pdf``) beside it;
    the converted file, or None when LibreOffice failed or wrote nothing."""
    with _LOCK:
        folder, seeded = _profile(exe)
        try:
            subprocess.run(
                [
                    exe,
                    f"-env:UserInstallation={folder.as_uri()}",
                    "--headless",
                    "--norestore",
                    "--convert-to",
                    target,
                    "--outdir",
                    str(source.parent),
                    str(source),
                ],
                capture_output=True,
                check=False,
                timeout=TIMEOUT,
                stdin=subprocess.DEVNULL,
            )
        except (OSError, subprocess.SubprocessError):
            return None
        out = source.with_suffix("." + target.split(":", 1)[0])
        if not out.is_file():
            return None
        if not seeded:
            _keep(exe, folder)
            _PROFILES[os.getpid()] = (folder, True)
        return out
