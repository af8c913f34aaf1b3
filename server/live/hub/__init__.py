"""Fan-out of committed changes to every socket of an event, behind one small interface.

The backend is chosen by URL, as in encode/broadcaster: ``memory://`` within one process
(memory.py), ``redis://`` across processes (redis.py). Both hand messages to this process's
sockets through the same local fan-out (fanout.py) and know nothing of each other. Order comes
from each change's seq, and the database is the truth, so a backend only has to deliver; when
it may have dropped messages it says so with a ``resync`` message and every socket catches up
from the database. A claim lets one process of all do work that would come out the same in
any (server/events/writes.py, shared follow-ups).
"""

from __future__ import annotations

import asyncio
from contextlib import AbstractAsyncContextManager
from typing import Any, Protocol

from server.language import gettext as _

Message = dict[str, Any]
RESYNC: Message = {"type": "resync"}
REDIS_SCHEMES = ("redis://", "rediss://", "unix://")


class Hub(Protocol):
    async def publish(self, channel: str, message: Message) -> None: ...

    def subscribe(self, channel: str) -> Subscription: ...

    async def claim(self, name: str, value: int, seconds: float) -> int | None:
        """Holds ``name`` with ``value`` for ``seconds``, for one process of all sharing the
        hub: None once held (or when the hub can't say), else the holder's value."""
        ...

    async def close(self) -> None: ...


Subscription = AbstractAsyncContextManager[asyncio.Queue[Message]]


def hub_from_url(url: str) -> Hub:
    # Each backend is imported only when named, so the memory default needs no Redis client.
    if url.startswith("memory://"):
        from server.live.hub.memory import MemoryHub

        return MemoryHub()
    if url.startswith(REDIS_SCHEMES):
        from server.live.hub.redis import RedisHub

        return RedisHub(url)
    raise ValueError(
        _("The hub URL %(url)r names no hub Snug knows; use memory:// or redis://") % {"url": url}
    )


def event_channel(event_id: int) -> str:
    return f"event:{event_id}"
