"""Writing output files: atomically (a temporary file beside the destination, moved into
place) and reproducibly (zip containers with fixed dates and order). Standard library only."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def atomic_path(dest: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``dest``; on success it replaces ``dest`` in one step,
    on failure it is removed and ``dest`` keeps its previous content."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".part", dir=dest.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        os.chmod(tmp, 0o644)
        os.replace(tmp, dest)
    finally:
        tmp.unlink(missing_ok=True)


def write_bytes(dest: Path, data: bytes) -> None:
    with atomic_path(dest) as tmp:
        tmp.write_bytes(data)


def write_if_changed(dest: Path, data: bytes) -> bool:
    """:func:`write_bytes`, unless ``dest`` is a file that already holds ``data`` (a book's
    pages an edit elsewhere left as they were); True when it was written."""
    try:
        if not dest.is_symlink() and dest.stat().st_size == len(data) and dest.read_bytes() == data:
            return False
    except OSError:
        pass
    write_bytes(dest, data)
    return True


def normalize_zip(path: Path, when: dt.datetime, first: str | None = None) -> None:
    """Rewrite a zip (EPUB, DOCX) so that the same content gives the same bytes: every entry
    dated ``when`` (the build time: SOURCE_DATE_EPOCH when set), the same permissions and
    system, entries in their original order with ``first`` (EPUB's ``mimetype``) first and
    stored uncompressed, the others deflated at one fixed level."""
    stamp = max(when.astimezone(dt.UTC).replace(tzinfo=None), dt.datetime(1980, 1, 1)).timetuple()[:6]
    with zipfile.ZipFile(path) as src:
        entries = [(info.filename, src.read(info)) for info in src.infolist()]
    entries.sort(key=lambda entry: entry[0] != first)  # stable: only ``first`` moves
    tmp = path.with_name(path.name + ".zip.part")  # removed by runner.clear_parts if a kill strands it
    with zipfile.ZipFile(tmp, "w") as dst:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.create_system = 3
            info.external_attr = 0o100644 << 16
            if name == first:
                info.compress_type = zipfile.ZIP_STORED
                dst.writestr(info, data)
            else:
                info.compress_type = zipfile.ZIP_DEFLATED
                dst.writestr(info, data, compresslevel=6)
    os.replace(tmp, path)
