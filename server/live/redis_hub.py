"""The hub across processes: Redis pub/sub, with this process's sockets fanned out locally.

Each process holds one pattern subscription to every Snug channel and hands messages to its own
sockets, so subscribing a socket costs Redis nothing. When the connection to Redis breaks,
messages published meanwhile are gone; on reconnecting, every local socket is told to resync
from the database, which always has everything.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging

from redis import asyncio as redis
from redis.exceptions import RedisError

from server.live.hub import RESYNC, LocalFanout, Message, Subscription

PREFIX = "snug:"
RETRY_SECONDS = (0.1, 0.25, 0.5, 1.0, 2.0)

log = logging.getLogger("snug.hub")


class RedisHub:
    def __init__(self, url: str) -> None:
        # Publishing waits at most two seconds: a change is committed already, and a vote must
        # not hang on a half-open connection. The subscriber waits for messages as long as it
        # takes, but checks the connection every few seconds so a silent break is noticed.
        self._redis = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
        self._listener = redis.Redis.from_url(
            url, socket_connect_timeout=2, socket_timeout=None, health_check_interval=5
        )
        self._local = LocalFanout()
        self._reader: asyncio.Task[None] | None = None
        self.connected = asyncio.Event()

    async def publish(self, channel: str, message: Message) -> None:
        try:
            await self._redis.publish(PREFIX + channel, json.dumps(message))
        except (RedisError, OSError) as exc:
            # The change is committed; this process's sockets hear of it at once, the others
            # catch up from the database when the hub is back and says resync.
            log.warning("hub publish failed, delivering locally only: %s", type(exc).__name__)
            self._local.deliver(channel, message)

    def subscribe(self, channel: str) -> Subscription:
        if self._reader is None:
            self._reader = asyncio.create_task(self._read())
        return self._local.subscription(channel)

    async def start(self) -> None:
        """Starts listening now rather than at the first subscriber, and waits until it does."""
        if self._reader is None:
            self._reader = asyncio.create_task(self._read())
        await asyncio.wait_for(self.connected.wait(), 10)

    async def _read(self) -> None:
        failures = 0
        while True:
            pubsub = self._listener.pubsub(ignore_subscribe_messages=True)
            try:
                await pubsub.psubscribe(PREFIX + "*")
                if failures:
                    log.info("hub reconnected; screens resync from the database")
                    self._local.deliver_everywhere(RESYNC)
                failures = 0
                self.connected.set()
                while True:
                    # A bounded wait, so the health check runs on a quiet connection too.
                    raw = await pubsub.get_message(ignore_subscribe_messages=True, timeout=5.0)
                    if raw is not None:
                        self._dispatch(raw)
            except (RedisError, OSError) as exc:
                self.connected.clear()
                failures += 1
                log.warning("hub connection lost (%s); retrying", type(exc).__name__)
                await asyncio.sleep(RETRY_SECONDS[min(failures, len(RETRY_SECONDS)) - 1])
            finally:
                await _quietly_close(pubsub)

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
