"""The hub within one process: a publish reaches this process's sockets, and no others."""

from __future__ import annotations

from server.live.hub import Message, Subscription
from server.live.hub.fanout import LocalFanout


class MemoryHub:
    def __init__(self) -> None:
        self._local = LocalFanout()

    async def publish(self, channel: str, message: Message) -> None:
        self._local.deliver(channel, message)

    def subscribe(self, channel: str) -> Subscription:
        return self._local.subscription(channel)

    async def claim(self, name: str, value: int, seconds: float) -> int | None:
        return None  # the only process: nobody else could be doing it

    async def close(self) -> None:
        self._local.clear()
