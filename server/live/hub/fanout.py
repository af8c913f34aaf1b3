"""The sockets of this process by channel, which every hub backend delivers to."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from server.live.hub import Message


class LocalFanout:
    """A slow socket has its own queue, so it delays no one."""

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
