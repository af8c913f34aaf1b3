"""Rate limits on what people do (create events, join, pitch, vote, write notes, open a live
socket, poll for changes), per device and per address, and a cap on the event streams each
holds open at once.

A moving window (the ``limits`` library): whatever was done in the last minute (or hour) counts,
so a burst split across a minute boundary is still one burst. Counted in this process, or in Redis
when the hub is Redis, so every process spends from the same count. Limits per address are
generous, since a whole venue may share one address behind its wifi; limits per device stop one
phone or script from flooding.

Also how far behind a live screen may be and still be sent the changes it missed, and the jump
in an event's seq derived from it that sends every screen a snapshot instead.
"""

from __future__ import annotations

import hashlib
import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass

from limits import RateLimitItemPerSecond
from limits.aio.storage import MemoryStorage, RedisStorage, Storage
from limits.aio.strategies import MovingWindowRateLimiter
from redis import asyncio as redis
from redis.exceptions import RedisError

from server import metrics
from server.errors import Refused
from server.language import N_, Nn_, ngettext
from server.live.hub import REDIS_SCHEMES

log = logging.getLogger("snug.limits")

MINUTE, HOUR = 60, 3600
RETRY_STORE = 5  # seconds between tries while the count's store is out of reach
SWEEP = 60  # seconds between sweeps of expired counts in this process


@dataclass(frozen=True)
class Limit:
    budget: str  # actions with the same budget spend from one count
    per_device: int  # 0: not counted per device
    per_address: int
    seconds: int


def limits_table(events_an_hour: int) -> dict[str, Limit]:
    """``events_an_hour``: EVENT_CREATION_LIMIT (server/config.py)."""
    creating = Limit("create", 0, events_an_hour, HOUR)
    return {
        "create": creating,
        # An import makes a new event, so it spends from the same budget as creating one.
        "import": creating,
        "join": Limit("join", 0, 1200, MINUTE),
        "pitch": Limit("pitch", 30, 600, MINUTE),
        "vote": Limit("vote", 120, 6000, MINUTE),
        # Each person speaks once per session, so a phone needs only a few; more is a script.
        "feedback": Limit("feedback", 10, 3000, MINUTE),
        "notes": Limit("notes", 600, 60000, MINUTE),
        # An action's status, from the board or an owner's link.
        "action": Limit("action", 60, 3000, MINUTE),
        # Every hello/resume answers a snapshot. A phone reconnecting with backoff says hello a
        # few times a minute; a venue of 1,500 behind one address all reconnecting after a wifi
        # drop must still get in.
        "hello": Limit("hello", 30, 3000, MINUTE),
        # A phone whose websocket is blocked asks for changes every POLL_SECONDS
        # (server/http/live.py), a few pages at a time; a venue of 1,500 such phones behind one
        # address must still be served.
        "poll": Limit("poll", 60, 30000, MINUTE),
    }


# A screen that missed more changes than this is sent a snapshot rather than the changes
# (server/live/screen.py): past it, a snapshot is smaller and quicker.
REPLAY_LIMIT = 500
# Moving an event's change number on by this much (erasing personal data, importing an
# archive) puts every screen that knew the event before past the replay limit, so each takes a
# fresh snapshot rather than replay changes that are gone or that another server numbered.
SNAPSHOT_JUMP = 2 * REPLAY_LIMIT

# Event streams one device, and one address, may hold open at once in a process: a few tabs
# of a phone, and a venue of 1,500 phones behind one address with two pages each.
STREAMS_PER_DEVICE, STREAMS_PER_ADDRESS = 6, 3000
STREAMS_RETRY = 30  # seconds to wait, said with a refusal

# Whole sentences, so that a translator sees each as it is said.
STREAMS_FROM_DEVICE = Nn_(
    "Snug keeps at most %(n)s live stream open from one device, and none is free.",
    "Snug keeps at most %(n)s live streams open from one device, and none is free.",
)
STREAMS_FROM_NETWORK = Nn_(
    "Snug keeps at most %(n)s live stream open from one network, and none is free.",
    "Snug keeps at most %(n)s live streams open from one network, and none is free.",
)
CLOSE_A_PAGE = (
    Nn_(
        "Close a page you no longer need, or try again in %(n)s second.",
        "Close a page you no longer need, or try again in %(n)s seconds.",
    ),
    Nn_(
        "Close a page you no longer need, or try again in %(n)s minute.",
        "Close a page you no longer need, or try again in %(n)s minutes.",
    ),
)
TOO_OFTEN = {
    ("device", MINUTE): Nn_(
        "That's faster than Snug allows: %(n)s time a minute from one device.",
        "That's faster than Snug allows: %(n)s times a minute from one device.",
    ),
    ("network", MINUTE): Nn_(
        "That's faster than Snug allows: %(n)s time a minute from one network.",
        "That's faster than Snug allows: %(n)s times a minute from one network.",
    ),
    ("network", HOUR): Nn_(
        "That's faster than Snug allows: %(n)s time an hour from one network.",
        "That's faster than Snug allows: %(n)s times an hour from one network.",
    ),
}
NOTHING_CHANGED = (
    Nn_(
        "Nothing was changed; try again in %(n)s second.",
        "Nothing was changed; try again in %(n)s seconds.",
    ),
    Nn_(
        "Nothing was changed; try again in %(n)s minute.",
        "Nothing was changed; try again in %(n)s minutes.",
    ),
)


class OpenStreams:
    """Counts the event streams held open in this process, by device and by address.

    Counted per process rather than in Redis: what a stream holds (a task, a socket, an
    outbox) is this process's, and a count in Redis would outlive a process that crashed.
    """

    def __init__(self, scale: float) -> None:
        self._scale = scale
        self._open: dict[str, int] = {}

    def take(self, address: str | None, secret: str | None) -> Callable[[], None]:
        """Takes one stream's place, or refuses it with 429; call what it returns to give the
        place back when the stream closes."""
        keys = (
            [(f"address:{address}", STREAMS_PER_ADDRESS, STREAMS_FROM_NETWORK)] if address else []
        )
        if secret:
            device = hashlib.sha256(secret.encode()).hexdigest()[:16]
            keys.append((f"device:{device}", STREAMS_PER_DEVICE, STREAMS_FROM_DEVICE))
        for key, most, full in keys:
            allowed = max(1, int(most * self._scale))
            if self._scale > 0 and self._open.get(key, 0) >= allowed:
                metrics.rate_limited.labels("stream").inc()
                raise TooFast(full, allowed, STREAMS_RETRY, CLOSE_A_PAGE)
        for key, _most, _where in keys:
            self._open[key] = self._open.get(key, 0) + 1

        def give_back() -> None:
            for key, _most, _where in keys:
                self._open[key] -= 1
                if not self._open[key]:
                    del self._open[key]

        return give_back


class SweptNowAndThen(MemoryStorage):
    """limits' memory storage, swept of expired entries once a minute.

    The library starts a sweep after every hit once the last sweep is over, and a sweep hops to
    a thread for each key: at 200 checks a second over 100 devices that took half a core, 20
    times what the checks cost (tests/test_limits.py holds it to one sweep a minute). Between
    sweeps a key holds at most its limit's entries, and expired ones don't count."""

    _next_sweep = 0.0

    # Overrides the library's private _MemoryStorage__schedule_expiry (limits 5.8).
    async def _MemoryStorage__schedule_expiry(self) -> None:
        if time.monotonic() >= self._next_sweep:
            self._next_sweep = time.monotonic() + SWEEP
            await super()._MemoryStorage__schedule_expiry()  # type: ignore[misc]


class TooFast(Refused):
    """Two sentences: the limit reached, then when to try again (in seconds, or in minutes
    from two minutes on), each said whole in the asker's language."""

    status = 429
    title = N_("Too many requests")

    def __init__(
        self,
        limit: tuple[str, str],
        allowed: int,
        retry_after: int,
        then: tuple[tuple[str, str], tuple[str, str]] = NOTHING_CHANGED,
    ) -> None:
        super().__init__(limit, {"n": allowed}, n=allowed)
        self.retry_after = retry_after
        in_minutes = retry_after >= 120
        self._then = then[in_minutes]
        self._wait = math.ceil(retry_after / 60) if in_minutes else retry_after
        self.message = f"{self.message} {self._then[self._wait != 1] % {'n': self._wait}}"

    def said(self) -> str:
        then = ngettext(*self._then, self._wait) % {"n": self._wait}
        return f"{super().said()} {then}"


class Limiter:
    def __init__(
        self,
        storage: Storage,
        scale: float,
        events_an_hour: int,
        outages: tuple[type[Exception], ...] = (),
        pool: redis.ConnectionPool | None = None,
    ) -> None:
        """``outages``: the storage's errors that mean it is out of reach; until it is back,
        nobody is limited, since refusing everyone would be worse."""
        self._window = MovingWindowRateLimiter(storage)
        self._scale, self._outages, self._pool = scale, outages, pool
        self.limits = limits_table(events_an_hour)
        self._back_at = 0.0  # while the store is away, when to try it again

    async def close(self) -> None:
        if self._pool is not None:
            await self._pool.aclose()

    async def check(self, action: str, address: str | None, secret: str | None) -> None:
        if self._scale <= 0:
            return
        limit = self.limits[action]
        if limit.per_device and secret:
            device = hashlib.sha256(secret.encode()).hexdigest()[:16]
            await self._spend(limit, action, f"device:{device}", limit.per_device)
        if address:
            await self._spend(limit, action, f"address:{address}", limit.per_address)

    async def _spend(self, limit: Limit, action: str, who: str, per_window: int) -> None:
        if time.monotonic() < self._back_at:
            return
        allowed = max(1, int(per_window * self._scale))
        item = RateLimitItemPerSecond(allowed, limit.seconds, namespace=f"snug:{limit.budget}")
        try:
            if await self._window.hit(item, who):
                self._reached()
                return
            stats = await self._window.get_window_stats(item, who)
        except self._outages as exc:
            self._unreachable(exc)
            return
        metrics.rate_limited.labels(action).inc()
        retry = max(1, math.ceil(stats.reset_time - time.time()))
        where = "device" if who.startswith("device:") else "network"
        raise TooFast(TOO_OFTEN[where, limit.seconds], allowed, retry)

    def _unreachable(self, exc: Exception) -> None:
        # Each try waits for a timeout, so requests don't all wait while the store is away.
        if not self._back_at:
            log.warning("rate limits are off until their store is back: %s", type(exc).__name__)
        self._back_at = time.monotonic() + RETRY_STORE

    def _reached(self) -> None:
        if self._back_at:
            self._back_at = 0.0
            log.info("rate limits are back on")


def limiter_from(hub_url: str, scale: float, events_an_hour: int) -> Limiter:
    """A limiter counting in Redis when the hub is Redis (through redis-py, as the hub does),
    else in this process."""
    if not hub_url.startswith(REDIS_SCHEMES):
        return Limiter(SweptNowAndThen(), scale, events_an_hour)
    pool = redis.ConnectionPool.from_url(hub_url, socket_connect_timeout=1, socket_timeout=1)
    # The pool, ours to close, says where Redis is; the storage's own address goes unused.
    storage = RedisStorage(
        "async+redis://",
        implementation="redispy",
        # Documented by limits, though its annotation of the options leaves it out.
        connection_pool=pool,  # type: ignore[arg-type]
        key_prefix="snug:limits",
    )
    return Limiter(storage, scale, events_an_hour, (RedisError, OSError), pool)
