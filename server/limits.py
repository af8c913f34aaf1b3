"""Rate limits on the writes people make (join, pitch, vote, notes), per device and per address.

Fixed windows of a minute, counted in this process (``memory://``) or shared by every process
through Redis when the hub is Redis. Limits per address are generous, since a whole venue may
share one address behind its wifi; limits per device stop one phone or script from flooding.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from typing import Protocol

from redis import asyncio as redis
from redis.exceptions import RedisError

from server import metrics
from server.errors import Refused

WINDOW = 60  # seconds


@dataclass(frozen=True)
class Limit:
    per_device: int
    per_address: int
    what: str  # in the refusal's sentence: "You've ... {what} ..."


LIMITS = {
    "join": Limit(per_device=0, per_address=1200, what="joined"),
    "pitch": Limit(per_device=30, per_address=600, what="pitched"),
    "vote": Limit(per_device=120, per_address=6000, what="voted"),
    "notes": Limit(per_device=600, per_address=60000, what="written in notes"),
    "import": Limit(per_device=0, per_address=10, what="imported events"),
    # Each hello or resume on the event socket may cost a whole snapshot.
    "hello": Limit(per_device=30, per_address=3000, what="reconnected"),
}


class TooFast(Refused):
    status = 429
    title = "Too many requests"

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class Counter(Protocol):
    async def hit(self, key: str) -> int:
        """Counts one more in the current window and returns the count so far."""


class MemoryCounter:
    def __init__(self) -> None:
        self._counts: dict[str, tuple[int, int]] = {}

    async def hit(self, key: str) -> int:
        window = int(time.time()) // WINDOW
        seen_window, count = self._counts.get(key, (window, 0))
        count = count + 1 if seen_window == window else 1
        self._counts[key] = (window, count)
        if len(self._counts) > 100_000:  # forget finished windows now and then
            self._counts = {k: v for k, v in self._counts.items() if v[0] == window}
        return count


class RedisCounter:
    def __init__(self, url: str) -> None:
        self._redis = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)

    async def hit(self, key: str) -> int:
        window = int(time.time()) // WINDOW
        name = f"snug:limit:{key}:{window}"
        try:
            async with self._redis.pipeline(transaction=False) as pipe:
                pipe.incr(name)
                pipe.expire(name, WINDOW * 2)
                count, _ = await pipe.execute()
        except (RedisError, OSError):
            return 0  # without Redis nobody is limited: refusing everyone would be worse
        return int(count)


class Limiter:
    def __init__(self, counter: Counter, scale: float = 1.0) -> None:
        self._counter, self._scale = counter, scale

    async def check(self, action: str, address: str | None, secret: str | None) -> None:
        if self._scale <= 0:
            return
        limit = LIMITS[action]
        if limit.per_device and secret:
            device = hashlib.sha256(secret.encode()).hexdigest()[:16]
            await self._count(action, f"device:{device}", limit.per_device, "from one device")
        if address:
            await self._count(action, f"address:{address}", limit.per_address, "from one network")

    async def _count(self, action: str, who: str, per_window: int, where: str) -> None:
        allowed = max(1, int(per_window * self._scale))
        if await self._counter.hit(f"{action}:{who}") > allowed:
            metrics.rate_limited.labels(action).inc()
            retry = WINDOW - int(time.time()) % WINDOW
            raise TooFast(
                f"That's faster than Snug allows ({LIMITS[action].what} {allowed} times a "
                f"minute {where}). Nothing was changed; try again in {retry} seconds.",
                retry,
            )


def limiter_from(hub_url: str, scale: float) -> Limiter:
    if hub_url.startswith(("redis://", "rediss://", "unix://")):
        return Limiter(RedisCounter(hub_url), scale)
    return Limiter(MemoryCounter(), scale)
