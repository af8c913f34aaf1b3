"""Heavy work (decoding photos, making PDFs) on threads of its own, a bounded number at once.

Each kind of work gets its own few threads, so a burst of one kind can neither take all the
memory it likes nor hold up the threads the server shares (name lookups, the database driver).
Past a few waiting jobs, people are asked to try again rather than queued without end.
"""

from __future__ import annotations

import asyncio
import functools
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import ParamSpec, TypeVar

from server.errors import Refused

P = ParamSpec("P")
T = TypeVar("T")


class Busy(Refused):
    status = 503
    title = "Busy, try again in a moment"


class Workers:
    def __init__(self, name: str, threads: int, waiting: int, busy: str) -> None:
        """``busy`` is the sentence for those turned away."""
        self._pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix=name)
        self._limit = threads + waiting
        self._busy = busy
        self._taken = 0  # jobs running or waiting
        self._count = threading.Lock()  # the CLI and the server each run an event loop

    async def run(self, job: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """``job`` on one of these threads, or Busy when too many are already taken."""
        with self._count:
            if self._taken >= self._limit:
                raise Busy(self._busy)
            self._taken += 1
        try:
            call = functools.partial(job, *args, **kwargs)
            return await asyncio.get_running_loop().run_in_executor(self._pool, call)
        finally:
            with self._count:
                self._taken -= 1
