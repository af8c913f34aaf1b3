"""Fan-out of committed changes to every socket of an event, behind one small interface.

The backend is chosen by URL, as in encode/broadcaster: ``memory://`` within one process;
a ``redis://`` backend plugs in here for several processes. Order comes from each change's
seq, not from the hub, so a backend only has to deliver.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any, Protocol

Message = dict[str, Any]


class Hub(Protocol):
    async def publish(self, channel: str, message: Message) -> None: ...

    def subscribe(self, channel: str) -> Subscription: ...

    async def close(self) -> None: ...


Subscription = AbstractAsyncContextManager[asyncio.Queue[Message]]


class MemoryHub:
    """Delivers within this process. A slow socket gets its own queue, so it delays no one."""

    def __init__(self) -> None:
        self._queues: dict[str, set[asyncio.Queue[Message]]] = defaultdict(set)

    async def publish(self, channel: str, message: Message) -> None:
        for queue in list(self._queues.get(channel, ())):
            queue.put_nowait(message)

    @asynccontextmanager
    async def _subscription(self, channel: str) -> AsyncIterator[asyncio.Queue[Message]]:
        queue: asyncio.Queue[Message] = asyncio.Queue()
        self._queues[channel].add(queue)
        try:
            yield queue
        finally:
            self._queues[channel].discard(queue)
            if not self._queues[channel]:
                del self._queues[channel]

    def subscribe(self, channel: str) -> Subscription:
        return self._subscription(channel)

    async def close(self) -> None:
        self._queues.clear()


def hub_from_url(url: str) -> Hub:
    if url.startswith("memory://"):
        return MemoryHub()
    raise ValueError(f"HUB_URL {url!r} names no hub Snug knows; use memory://")


def event_channel(event_id: int) -> str:
    return f"event:{event_id}"
