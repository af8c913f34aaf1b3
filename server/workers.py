"""Heavy work (allocating, checking a grid, making PDFs, decoding photos) away from the event
loop, on workers of its own, a bounded number at once.

Work that releases the GIL (Pillow decoding a photo) runs on threads; pure-Python work (the
allocator, WeasyPrint) would hold the GIL and stall every socket, so it runs in processes.
Both kinds have the same face: ``await workers.run(job, *args)``. Each kind of work gets its
own few workers, so a burst of one kind can neither take all the memory it likes nor hold up
another. Past a few waiting jobs, people are asked to try again rather than queued without end.
"""

from __future__ import annotations

import asyncio
import functools
import multiprocessing
import multiprocessing.connection
import os
import threading
from collections.abc import Callable
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, ParamSpec, TypeVar

from server.errors import Refused
from server.language import N_

P = ParamSpec("P")
T = TypeVar("T")


class Busy(Refused):
    status = 503
    title = N_("Busy, try again in a moment")


class Workers:
    """Threads: for work that releases the GIL while it runs."""

    def __init__(self, name: str, threads: int, waiting: int, busy: str) -> None:
        """``busy`` is the sentence for those turned away."""
        self._name, self._size = name, threads
        self._limit = threads + waiting
        self._busy = busy
        self._taken = 0  # jobs running or waiting
        self._count = threading.Lock()  # the CLI and the server each run an event loop
        self._pool: Executor | None = None

    async def run(self, job: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """``job`` on one of these workers, or Busy when too many are already taken."""
        with self._count:
            if self._taken >= self._limit:
                raise Busy(self._busy)
            self._taken += 1
        pool, running = await self._handed(functools.partial(job, *args, **kwargs))
        try:
            return await asyncio.wrap_future(running)
        except BrokenProcessPool:
            self._broken(pool)
            raise Busy(self._busy) from None

    async def _handed(self, call: Callable[[], T]) -> tuple[Executor, Future[T]]:
        return self._submit(call)

    def _submit(self, call: Callable[[], T]) -> tuple[Executor, Future[T]]:
        """The job given to the pool (started if need be), its place taken until it ends."""
        with self._count:
            pool = self._pool = self._pool or self._start()
        try:
            running = pool.submit(call)
        except BaseException as exc:
            self._done(None)
            if isinstance(exc, BrokenProcessPool):
                self._broken(pool)
                raise Busy(self._busy) from None
            raise
        # The place is given back when the job ends, not when its asker stops waiting: a job
        # already running can't be called back, and it still takes its worker.
        running.add_done_callback(self._done)
        return pool, running

    def close(self) -> None:
        """Lets the workers go once their jobs are done, without waiting for that; a later job
        starts new ones."""
        with self._count:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)

    def _start(self) -> Executor:
        return ThreadPoolExecutor(max_workers=self._size, thread_name_prefix=self._name)

    def _done(self, _job: Future[Any] | None) -> None:
        with self._count:
            self._taken -= 1

    def _broken(self, pool: Executor) -> None:
        """A worker that died (out of memory, killed) breaks its pool: the next job gets a
        new one."""
        with self._count:
            if self._pool is pool:
                self._pool = None
        pool.shutdown(wait=False, cancel_futures=True)


class Processes(Workers):
    """Processes, started when first needed: for pure-Python work that would hold the GIL.

    A job, its arguments and its result travel by pickle, so the job is a module-level
    function and all three are plain data. The processes are started by a fork server, never
    forked from the running server with its sockets, threads and database connections."""

    def __init__(
        self, name: str, processes: int, waiting: int, busy: str, jobs_each: int | None = None
    ) -> None:
        """``jobs_each``: a process is replaced after this many jobs, giving back the memory
        a large job left it holding."""
        super().__init__(name, processes, waiting, busy)
        self._jobs_each = jobs_each
        _all.append(self)

    async def _handed(self, call: Callable[[], T]) -> tuple[Executor, Future[T]]:
        # Handing over the first job starts the processes, waiting for the fork server to
        # be ready (seconds, the first time): not on the event loop. Once handed over, the
        # job is the pool's even if its asker stops waiting.
        return await asyncio.shield(asyncio.to_thread(self._submit, call))

    def _start(self) -> Executor:
        context = multiprocessing.get_context("forkserver")
        # The fork server imports the server's code once, before it forks any worker, so a
        # worker starts in milliseconds rather than in the seconds its imports take.
        context.set_forkserver_preload(["server.app"])
        return ProcessPoolExecutor(
            max_workers=self._size,
            mp_context=context,
            max_tasks_per_child=self._jobs_each,
            initializer=_worker_started,
        )


# A worker's niceness above the server's: on a machine of two cores, a draft or a PDF in a
# worker gives way to the event loop, which every socket waits on, rather than sharing the
# CPU with it evenly.
WORKER_NICENESS = 10


def _worker_started() -> None:
    os.nice(WORKER_NICENESS)
    _end_with_server()


def _end_with_server() -> None:
    """Run in each worker process as it starts. A worker waits for its next job on a pipe it
    also holds the other end of, so it never hears that the server is gone, and the fork
    server lives as long as any worker: a server killed outright (out of memory, SIGKILL) left
    both running for good. The worker now ends when the server does, and the fork server with
    the last of them."""
    server = multiprocessing.parent_process()
    if server is not None:
        threading.Thread(target=_end_after, args=(server.sentinel,), daemon=True).start()


def _end_after(sentinel: int) -> None:
    multiprocessing.connection.wait([sentinel])
    os._exit(1)  # nothing of the server's is left to answer


_all: list[Processes] = []


def close_all() -> None:
    """Stops every process pool (when the server stops)."""
    for processes in _all:
        processes.close()
