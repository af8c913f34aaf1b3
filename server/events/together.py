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


K = TypeVar("K", bound=Hashable)


class Gathered(Generic[K, T]):
    """Lookups of different keys asked in the same turn of the event loop, read in one query.

    When voting opens, every vote looks up its voter by their key; a storm asks for hundreds
    of different voters between two turns of the loop. Each lookup waits for the turn to end,
    then one ``read_many`` answers them all, read after the last of them was asked, so no
    answer is older than its own query would have been. A key asked twice in one turn is read
    once, and each asker gets a copy of its own.
    """

    def __init__(self, read_many: Callable[[list[K]], Awaitable[dict[K, T]]], most: int) -> None:
        self._read_many, self._most = read_many, most  # ``most``: keys in one query at most
        self._waiting: dict[K, asyncio.Future[T | None]] = {}
        self._reading: set[asyncio.Task[None]] = set()  # held, so none is collected mid-read

    async def get(self, key: K) -> T | None:
        asked = self._waiting.get(key)
        if asked is None:
            if not self._waiting:
                asyncio.get_running_loop().call_soon(self._read)
            asked = self._waiting[key] = asyncio.get_running_loop().create_future()
            if len(self._waiting) >= self._most:
                self._read()
        # Shielded: one asker giving up doesn't cancel the answer for the rest.
        return copy.copy(await asyncio.shield(asked))

    def _read(self) -> None:
        if self._waiting:
            waiting, self._waiting = self._waiting, {}
            reading = asyncio.ensure_future(self._answer(waiting))
            self._reading.add(reading)
            reading.add_done_callback(self._reading.discard)

    async def _answer(self, waiting: dict[K, asyncio.Future[T | None]]) -> None:
        try:
            found = await self._read_many(list(waiting))
        except asyncio.CancelledError:
            for asked in waiting.values():
                asked.cancel()
            raise
        except Exception as exc:
            for asked in waiting.values():
                asked.set_exception(exc)
                asked.exception()  # seen, even if every asker had given up waiting
            return
        for key, asked in waiting.items():
            asked.set_result(found.get(key))
