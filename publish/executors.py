"""Where a build's jobs run: a local process pool (the default) or a Dask cluster.

A build is a set of independent jobs, one per (document, format) edition, handed to a
:class:`concurrent.futures.Executor` (:func:`publish.runner.build`). ``local`` is a process
pool sized to the machine; ``dask://HOST:PORT`` is the executor of a Dask distributed client
connected to that scheduler: the same jobs, run by its workers, which read the sources and
write the editions at the same paths as the machine that starts the build (a shared
filesystem, or an object store mounted at the same place on every worker). With
``dask://HOST:PORT?shared=no`` the workers share no output folder with that machine: each
returns its edition's files as bytes and the client writes them (:mod:`publish.jobs`).
Dask reschedules the jobs of a worker that is lost; every edition is written to a temporary
file and moved into place, so a job run twice never leaves a half-written edition.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future
from typing import Any

from publish.errors import PublishError
from publish.options import DASK_EXECUTOR, LOCAL_EXECUTOR, executor_problem

LOCAL = LOCAL_EXECUTOR


class DaskExecutor(Executor):
    """A Dask client's executor (one task per job, never a cached result) that can also send
    a value to the cluster once, for several jobs to take as an argument (:meth:`send`)."""

    def __init__(self, client: Any):
        self.client = client
        # pure=False: two builds of the same edition are two jobs, never one cached result.
        self.inner: Executor = client.get_executor(pure=False)

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        return self.inner.submit(fn, *args, **kwargs)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self.inner.shutdown(wait=wait)

    def send(self, value: Any) -> Any:
        """``value`` on the cluster, as a task that returns it (a Dask future the jobs receive
        as the value itself): a document's inputs go once, not with each of its four jobs.
        Not ``scatter``: data scattered to a worker that is lost is lost with it, and the jobs
        that need it fail; a task's result is computed again."""
        return self.client.submit(_itself, value, pure=False)


def _itself(value: Any) -> Any:
    return value


def shared_disk(spec: str) -> bool:
    """Whether the workers of ``spec`` write the editions themselves (the local pool, and a
    Dask cluster unless ``?shared=no``) or return them for the client to write."""
    found = DASK_EXECUTOR.match(spec)
    return found is None or found.group("shared") != "no"


@contextlib.contextmanager
def open_executor(spec: str, *, timeout: float = 30) -> Iterator[Executor | None]:
    """The executor ``spec`` names for the length of a build (None: the runner's own local
    pool). A Dask client is connected here and closed afterwards."""
    problem = executor_problem(spec)
    if problem:
        raise PublishError(problem)
    found = DASK_EXECUTOR.match(spec)
    if found is None:
        yield None
        return
    try:
        from distributed import Client
    except ImportError:
        raise PublishError(
            "a dask:// executor needs Dask's distributed scheduler: pip install 'publish[dask]'"
        ) from None
    address = found.group("address")
    try:
        client = Client(f"tcp://{address}", timeout=timeout, set_as_default=False)  # type: ignore[no-untyped-call]
    except OSError as exc:
        raise PublishError(f"cannot reach the Dask scheduler at {address}: {exc}") from None
    try:
        yield DaskExecutor(client)
    finally:
        client.close()  # type: ignore[no-untyped-call]
