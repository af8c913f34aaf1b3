"""Reads asked for at the same moment share one query.

When voting opens, hundreds of requests a second look up the same event by its address. A
lookup asked while another of the same is already on its way waits for that one rather than
queue a query of its own, so the answer is as fresh as if it had been asked a moment sooner,
and never older: nothing is kept once the query has answered.
"""

from __future__ import annotations

import asyncio
import copy
from collections.abc import Awaitable, Callable, Hashable
from typing import Generic, TypeVar

T = TypeVar("T")


class Together(Generic[T]):
    def __init__(self) -> None:
        self._asked: dict[Hashable, asyncio.Future[T]] = {}

    async def get(self, key: Hashable, read: Callable[[], Awaitable[T]]) -> T:
        """What ``read`` gives, shared with whoever asks for ``key`` while it runs; each
        caller gets a copy of its own, so one can't change another's."""
        asked = self._asked.get(key)
        if asked is None:
            asked = asyncio.ensure_future(read())
            self._asked[key] = asked
            asked.add_done_callback(lambda done: self._answered(key, done))
        # Shielded: one caller giving up (its phone went away) doesn't cancel it for the rest.
        return copy.copy(await asyncio.shield(asked))

    def _answered(self, key: Hashable, done: asyncio.Future[T]) -> None:
        del self._asked[key]
        if not done.cancelled():
            done.exception()  # seen, even if every caller had given up waiting
