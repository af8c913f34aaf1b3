"""The hub across processes: Redis pub/sub, with this process's sockets fanned out locally.

Each process holds one pattern subscription to every Snug channel and hands messages to its own
sockets, so subscribing a socket costs Redis nothing. When the connection to Redis breaks,
messages published meanwhile are gone; on reconnecting, every local socket is told to resync
from the database, which always has everything.

A publish that still fails after its retries reached nobody in the other processes, and their
connections may never have broken, so they wouldn't know. This process delivers it locally,
remembers the channel, and reconnects its reader; once Redis answers again it publishes
``resync`` on every channel it failed on, so every process's sockets there catch up.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging

from redis import asyncio as redis
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialBackoff
from redis.exceptions import RedisError

from server.live.hub import RESYNC, Message, Subscription
from server.live.hub.fanout import LocalFanout

PREFIX = "snug:"
RETRY_SECONDS = (0.1, 0.25, 0.5, 1.0, 2.0)
READ_WAIT = 1.0  # seconds between looks at whether a failed publish asks for a reconnect

log = logging.getLogger("snug.hub")


class RedisHub:
    def __init__(self, url: str) -> None:
        # A connection left stale by a Redis restart is noticed by a ping before use (after a
        # quiet spell) or by the publish failing, and is replaced by a fresh one for the
        # retries. A change is committed already, so a vote waits for Redis a few seconds at
        # most: each try is bounded by the timeouts and there are three tries.
        self._redis = redis.Redis.from_url(
            url,
            socket_connect_timeout=1,
            socket_timeout=1,
            health_check_interval=10,
            retry=Retry(ExponentialBackoff(cap=0.5, base=0.05), retries=2),
        )
        # The subscriber waits for messages as long as it takes, but checks the connection
        # every few seconds so a silent break is noticed.
        self._listener = redis.Redis.from_url(
            url, socket_connect_timeout=2, socket_timeout=None, health_check_interval=5
        )
        self._local = LocalFanout()
        self._reader: asyncio.Task[None] | None = None
        self._owed: set[str] = set()  # channels whose publish failed: they owe a resync
        self.connected = asyncio.Event()

    async def publish(self, channel: str, message: Message) -> None:
        try:
            await self._redis.publish(PREFIX + channel, json.dumps(message))
        except (RedisError, OSError) as exc:
            # The change is committed; this process's sockets hear of it at once, the others'
            # when the reader is back and says resync on this channel.
            if not self._owed:
                log.warning("hub publish failed (%s); a resync is owed", type(exc).__name__)
            self._owed.add(channel)
            self._local.deliver(channel, message)
            self._listen()  # the reader settles what is owed, even with no one subscribed here

    def subscribe(self, channel: str) -> Subscription:
        self._listen()
        return self._local.subscription(channel)

    async def claim(self, name: str, value: int, seconds: float) -> int | None:
        key = f"{PREFIX}claim:{name}"
        try:
            if await self._redis.set(key, value, nx=True, px=max(1, int(seconds * 1000))):
                return None
            held = await self._redis.get(key)
        except (RedisError, OSError):
            return None  # Redis away: each process does the work itself, as with no claims
        return None if held is None else int(held)

    async def start(self) -> None:
        """Starts listening now rather than at the first subscriber, and waits until it does."""
        self._listen()
        await asyncio.wait_for(self.connected.wait(), 10)

    def _listen(self) -> None:
        if self._reader is None:
            self._reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        failures = 0
        while True:
            pubsub = self._listener.pubsub(ignore_subscribe_messages=True)
            try:
                await pubsub.psubscribe(PREFIX + "*")
                if failures or self._owed:
                    await self._settle()
                failures = 0
                self.connected.set()
                # A failed publish means this connection may have missed messages too.
                while not self._owed:
                    # A bounded wait, so the health check runs on a quiet connection too.
                    raw = await pubsub.get_message(
                        ignore_subscribe_messages=True, timeout=READ_WAIT
                    )
                    if raw is not None:
                        self._dispatch(raw)
            except (RedisError, OSError) as exc:
                self.connected.clear()
                failures += 1
                log.warning("hub connection lost (%s); retrying", type(exc).__name__)
                await asyncio.sleep(RETRY_SECONDS[min(failures, len(RETRY_SECONDS)) - 1])
            finally:
                await _quietly_close(pubsub)

    async def _settle(self) -> None:
        """Back after a break: what was published meanwhile may be lost, here and, for the
        channels this process failed to publish on, in every other process too."""
        owed, self._owed = self._owed, set()
        try:
            for channel in owed:
                await self._redis.publish(PREFIX + channel, json.dumps(RESYNC))
        except BaseException:
            self._owed |= owed
            raise
        log.info("hub reconnected; screens resync from the database")
        self._local.deliver_everywhere(RESYNC)

    def _dispatch(self, raw: Message) -> None:
        if raw.get("type") != "pmessage":
            return
        channel = raw["channel"].decode() if isinstance(raw["channel"], bytes) else raw["channel"]
        try:
            message = json.loads(raw["data"])
        except (TypeError, ValueError):
            log.warning("hub message on %s was not JSON; ignored", channel)
            return
        self._local.deliver(channel.removeprefix(PREFIX), message)

    async def close(self) -> None:
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reader
        self._local.clear()
        await self._redis.aclose()
        await self._listener.aclose()


async def _quietly_close(pubsub: redis.client.PubSub) -> None:
    with contextlib.suppress(RedisError, OSError):
        await pubsub.aclose()
