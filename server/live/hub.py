"""Fan-out of committed changes to every socket of an event, behind one small interface.

The backend is chosen by URL, as in encode/broadcaster: ``memory://`` within one process,
``redis://`` across processes (server/live/redis_hub.py). Order comes from each change's seq,
and the database is the truth, so a backend only has to deliver; when it may have dropped
messages it says so with a ``resync`` message and every socket catches up from the database.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any, Protocol

Message = dict[str, Any]
RESYNC: Message = {"type": "resync"}


class Hub(Protocol):
    async def publish(self, channel: str, message: Message) -> None: ...

    def subscribe(self, channel: str) -> Subscription: ...

    async def close(self) -> None: ...


Subscription = AbstractAsyncContextManager[asyncio.Queue[Message]]


class LocalFanout:
    """The sockets of this process by channel. A slow socket has its own queue, so it delays
    no one."""

    def __init__(self) -> None:
        self._queues: dict[str, set[asyncio.Queue[Message]]] = defaultdict(set)

    def deliver(self, channel: str, message: Message) -> None:
        for queue in list(self._queues.get(channel, ())):
            queue.put_nowait(message)

    def deliver_everywhere(self, message: Message) -> None:
        for channel in list(self._queues):
            self.deliver(channel, message)

    @asynccontextmanager
    async def subscription(self, channel: str) -> AsyncIterator[asyncio.Queue[Message]]:
        queue: asyncio.Queue[Message] = asyncio.Queue()
        self._queues[channel].add(queue)
        try:
            yield queue
        finally:
            self._queues[channel].discard(queue)
            if not self._queues[channel]:
                del self._queues[channel]

    def clear(self) -> None:
        self._queues.clear()


class MemoryHub:
    """Delivers within this process."""

    def __init__(self) -> None:
        self._local = LocalFanout()

    async def publish(self, channel: str, message: Message) -> None:
        self._local.deliver(channel, message)

    def subscribe(self, channel: str) -> Subscription:
        return self._local.subscription(channel)

    async def close(self) -> None:
        self._local.clear()


def hub_from_url(url: str) -> Hub:
    if url.startswith("memory://"):
        return MemoryHub()
    if url.startswith(("redis://", "rediss://", "unix://")):
        from server.live.redis_hub import RedisHub

        return RedisHub(url)
    raise ValueError(f"The hub URL {url!r} names no hub Snug knows; use memory:// or redis://")


def event_channel(event_id: int) -> str:
    return f"event:{event_id}"
