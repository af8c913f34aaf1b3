"""A task in the background that looks for work now and then: reminders owed, webhook news
to deliver.

It looks, then waits until it is woken (new work came) or until the look it asked for is due.
A look that fails (the database away, say) is logged and tried again after ``retry`` seconds:
an error must not end the task, or nothing would be looked for again until a restart.
Closing stops it even when a library it was awaiting swallowed the cancellation: a query cut
short can end as if it had simply finished (seen with PostgreSQL), and the task then went on to
wait for its next look, fifteen minutes later, while the process waited to stop.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

log = logging.getLogger("snug.lookout")


class Lookout:
    def __init__(self, look: Callable[[], Awaitable[float]], name: str, retry: float) -> None:
        """``look`` does the work and answers the seconds until the next look."""
        self._look, self._name, self._retry = look, name, retry
        self._woken = asyncio.Event()
        self._closing = False
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name=self._name)

    def wake(self) -> None:
        """New work: look now rather than when the next look is due."""
        self._woken.set()

    async def close(self) -> None:
        self._closing = True
        self._woken.set()  # what the cancellation might not reach, this does
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _run(self) -> None:
        while not self._closing:
            self._woken.clear()
            try:
                wait = await self._look()
            except Exception:
                log.exception("looking for %s failed", self._name)
                wait = self._retry
            if self._closing:
                return
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(wait):
                    await self._woken.wait()
