"""Time and memory of a command and every process it starts, and the machine's description.

Two peaks of memory are measured for each command (Linux):

- ``max_mib``, the largest resident set of the command and of the processes it waited for:
  ``ru_maxrss`` of the ``rusage`` that ``wait4`` returns. Linux keeps, for each process, the
  largest ``ru_maxrss`` of the children it reaped (and of theirs), so this is the *largest*
  single process of the waited tree (a pool worker's, when the pool's workers are joined, as
  ``concurrent.futures`` joins them), never the sum of processes that ran at the same time.
- ``sum_mib``, the largest *sum* of the resident sets of the process tree at one moment,
  sampled every ``INTERVAL`` seconds from ``/proc``: what the machine had to hold at once.
  Pages that forked workers share with their parent are counted in each, so the sum is an upper
  bound of the memory used (a peak shorter than the interval can be missed).

``single_mib`` (the largest single process seen by the sampler) cross-checks ``max_mib``, and
``root_mib`` (the command's own process alone, sampled) shows whether ``max_mib`` is a child's.
"""

from __future__ import annotations

import os
import platform
import re
import subprocess
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

INTERVAL = 0.02
PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
MIB = 1024 * 1024


@dataclass(frozen=True)
class Sample:
    """One command (or several in sequence): seconds, and its peaks of memory in MiB."""

    seconds: float
    max_mib: int
    sum_mib: int
    single_mib: int
    root_mib: int = 0  # the command's own process alone, sampled

    def then(self, other: Sample) -> Sample:
        """This command and then ``other``: the times add up, the peaks do not."""
        return Sample(
            self.seconds + other.seconds,
            max(self.max_mib, other.max_mib),
            max(self.sum_mib, other.sum_mib),
            max(self.single_mib, other.single_mib),
            max(self.root_mib, other.root_mib),
        )


def _children(pid: int) -> list[int]:
    """The children of every thread of ``pid`` (``/proc/PID/task/TID/children``)."""
    found: list[int] = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return found
    for tid in tasks:
        try:
            with open(f"/proc/{pid}/task/{tid}/children", encoding="ascii") as f:
                found += [int(c) for c in f.read().split()]
        except OSError:
            continue
    return found


def _children_by_scan(pid: int) -> list[int]:
    """The same without ``CONFIG_PROC_CHILDREN``: every process's parent from its ``stat``."""
    found = []
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open(f"/proc/{name}/stat", encoding="ascii", errors="replace") as f:
                    parent = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            if parent == pid:
                found.append(int(name))
    return found


CHILDREN = _children if os.path.exists(f"/proc/{os.getpid()}/task/{os.getpid()}/children") else _children_by_scan


def tree_rss(root: int) -> list[int]:
    """The resident set, in bytes, of ``root`` (first) and of each of its descendants now."""
    sizes, todo, seen = [], [root], set()
    while todo:
        pid = todo.pop()
        if pid in seen:
            continue
        seen.add(pid)
        try:
            with open(f"/proc/{pid}/statm", encoding="ascii") as f:
                sizes.append(int(f.read().split()[1]) * PAGE)
        except (OSError, IndexError, ValueError):
            continue  # ended meanwhile
        todo += CHILDREN(pid)
    return sizes


class Sampler(threading.Thread):
    """Samples the tree of ``root`` until :meth:`stop`: the largest sum and single process."""

    def __init__(self, root: int) -> None:
        super().__init__(daemon=True, name="rss-sampler")
        self.root, self.largest_sum, self.largest_one, self.largest_root = root, 0, 0, 0
        self._done = threading.Event()

    def run(self) -> None:
        while not self._done.is_set():
            sizes = tree_rss(self.root)
            if sizes:
                self.largest_sum = max(self.largest_sum, sum(sizes))
                self.largest_one = max(self.largest_one, max(sizes))
                self.largest_root = max(self.largest_root, sizes[0])
            self._done.wait(INTERVAL)

    def stop(self) -> None:
        self._done.set()
        self.join()


def run(args: Sequence[str], cwd: Path | None = None, env: dict[str, str] | None = None) -> Sample:
    """Run one command, which must succeed: its time and its peaks of memory."""
    started = time.perf_counter()
    process = subprocess.Popen(list(args), cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    sampler = Sampler(process.pid)
    sampler.start()
    # stderr is read after the end: the commands measured here write little to it
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    sampler.stop()
    process.returncode = os.waitstatus_to_exitcode(status)
    stderr = process.stderr.read().decode(errors="replace") if process.stderr else ""
    if process.stderr:
        process.stderr.close()
    if process.returncode != 0:
        raise SystemExit(f"failed: {' '.join(args)}\n{stderr[-2000:]}")
    return Sample(
        seconds,
        usage.ru_maxrss // 1024,
        sampler.largest_sum // MIB,
        sampler.largest_one // MIB,
        sampler.largest_root // MIB,
    )


def run_all(commands: Sequence[Sequence[str]], cwd: Path | None = None) -> Sample:
    """Commands one after the other: the total time, the peaks of the whole sequence."""
    total = Sample(0.0, 0, 0, 0)
    for command in commands:
        total = total.then(run(command, cwd))
    return total


def _first(path: str, pattern: str) -> str:
    try:
        text = Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return "?"
    found = re.search(pattern, text, re.M)
    return found.group(1).strip() if found else "?"


def machine(pandoc_exe: str) -> str:
    """One line: CPU model, cores, memory, Python, pandoc and WeasyPrint versions."""
    import weasyprint

    model = _first("/proc/cpuinfo", r"^model name\s*:\s*(.*)$")
    kib = _first("/proc/meminfo", r"^MemTotal:\s*(\d+) kB")
    ram = f"{int(kib) / 1024 / 1024:.0f} GiB RAM" if kib.isdigit() else "RAM ?"
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    version = subprocess.run([pandoc_exe, "--version"], capture_output=True, text=True, check=True).stdout.split()[1]
    return (
        f"{model} ({platform.machine()}), {cores} cores, {ram}, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}, pandoc {version}, WeasyPrint {weasyprint.__version__}"
    )
