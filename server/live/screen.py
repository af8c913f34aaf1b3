"""One screen following an event, whatever carries its messages: the protocol's core.

A screen catches up from the last change it applied (what it missed, or a fresh snapshot when
it is too far behind), then hears every change the room offers it, in seq order, through an
outbox of its own. The core holds no socket and reads no request: a transport (the websocket,
server/live/socket.py, or the event stream, server/http/live.py) hands it a ``Transport`` that
only sends text, so both speak exactly the same protocol and neither copies it.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque
from typing import Any, Protocol

from server import metrics
from server.db import database, unreachable
from server.errors import DATABASE_AWAY, Refused
from server.events.access import PUBLIC, Actor, Role
from server.events.journal import changes_since
from server.events.models import Event
from server.events.setup import fresh_event
from server.limits import REPLAY_LIMIT
from server.live.room import coalesce
from server.live.state import as_seen_by, encoded, snapshot

OUTBOX_LIMIT = 256  # changes waiting for one slow screen before it is sent a catch-up instead


class Transport(Protocol):
    async def send(self, text: str, seq: int | None) -> None:
        """One message, in order; ``seq`` is the change it brings the screen up to, if any."""

    async def broken(self) -> None:
        """The screen can no longer hear changes: close, so that it reconnects and catches up
        from the database rather than look live while stale."""


async def catch_up(
    event: Event, actor: Actor, since: int | None, public_url: str
) -> list[dict[str, Any]]:
    """What a screen that applied every change up to ``since`` needs to be current: the
    changes after it as the actor's role sees them, or a snapshot when ``since`` is missing,
    ahead of the event, or too far behind."""
    missed = None
    if since is not None and since <= event.seq:
        missed = await changes_since(event, since, REPLAY_LIMIT)
    if missed is None:
        return [{"type": "snapshot", "state": await snapshot(event, actor, public_url)}]
    changes = coalesce([c.message() for c in missed])
    return [as_seen_by(change, actor.role, event.totals_hidden) for change in changes]


def seq_of(message: dict[str, Any]) -> int | None:
    """The seq a message brings its screen up to (changes and snapshots; not pongs or errors)."""
    if message["type"] == "snapshot":
        return int(message["state"]["seq"])
    return int(message["seq"]) if message["type"] == "change" else None


class Screen:
    """One screen: who it is, the last change it was sent, and its outbox."""

    def __init__(self, transport: Transport, event: Event, public_url: str) -> None:
        self.transport, self.event, self.public_url = transport, event, public_url
        self.actor: Actor = PUBLIC
        self.sent = -1
        self.ready = asyncio.Event()  # set once the first catch-up is sent
        self._outbox: deque[tuple[int, int, str]] = deque()
        self.behind = False  # the outbox overflowed, the hub dropped changes or the db was away
        # Runs only while there is something to send, so an idle screen holds no task.
        self._writer: asyncio.Task[None] | None = None
        self._order = asyncio.Lock()  # catch-up and live changes never interleave
        self.closed = False

    @property
    def role(self) -> Role:
        return self.actor.role

    def offer(self, first: int, seq: int, text: str) -> None:
        """Called by the room for every change; never waits."""
        if len(self._outbox) >= OUTBOX_LIMIT:
            self.resync()  # a phone this far behind gets a fresh catch-up instead
            return
        self._outbox.append((first, seq, text))
        self.wake()

    def resync(self) -> None:
        self._outbox.clear()
        self.behind = True
        self.wake()

    def wake(self) -> None:
        # Closed: it left while the room was still offering a change to a crowd.
        if self.closed or not self.ready.is_set():
            return
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write())

    def close(self) -> None:
        self.closed = True
        if self._writer is not None:
            self._writer.cancel()

    async def _write(self) -> None:
        """Sends the outbox in order, skipping what a catch-up already covered."""
        try:
            await self._drain()
        except Exception as exc:
            if not unreachable(exc):
                await self.transport.broken()
                return
            # The catch-up waits for the database: the screen's next ping (or, on a stream,
            # the next change) tries again.
            self.behind = True
            database.lost()
            with contextlib.suppress(Exception):
                await self.error(DATABASE_AWAY)
        finally:
            # Let go as it ends (wake starts no other writer while this one runs): a finished
            # writer kept till the next tick outlives young collections, and thousands of them
            # a tick were walked by every middle one.
            self._writer = None

    async def _drain(self) -> None:
        while self.behind or self._outbox:
            if self.behind:
                self.behind = False
                await self.catch_up(self.sent)
            while self._outbox:
                first, seq, text = self._outbox.popleft()
                async with self._order:
                    if seq <= self.sent:
                        continue
                    if first > self.sent + 1:  # a gap: the database has what is missing
                        self.behind, self._outbox = True, deque()
                        break
                    self.sent = seq
                    await self.transport.send(text, seq)

    async def send(self, message: dict[str, Any]) -> None:
        """A message for this screen alone (catch-up, pong, error); the room counts the rest."""
        await self.transport.send(encoded(message), seq_of(message))
        metrics.messages_sent.labels("event").inc()

    async def error(self, exc: Refused, key: str | None = None) -> None:
        """``key``: the refused write's, so the client knows which of its writes it answers."""
        metrics.refusals.labels(str(exc.status)).inc()
        said = {"type": "error", "message": exc.said(), "status": exc.status}
        await self.send(said if key is None else {**said, "key": key})

    async def start(self, since: int | None) -> None:
        """The first catch-up of a screen that said everything when it opened (a stream). If
        it fails, the transport is closed, so that the client comes back and tries again."""
        try:
            await self.catch_up(since)
        except Exception as exc:
            if unreachable(exc):
                database.lost()
                with contextlib.suppress(Exception):
                    await self.error(DATABASE_AWAY)
            await self.transport.broken()

    async def catch_up(self, since: int | None) -> None:
        async with self._order:
            self.event = await fresh_event(self.event.id)
            messages = await catch_up(self.event, self.actor, since, self.public_url)
            if since is not None:
                self.sent = since
            for message in messages:
                seq = seq_of(message)
                self.sent = self.sent if seq is None else seq
                await self.send(message)
        database.reached()
        if not self.ready.is_set():
            self.ready.set()
            self.wake()  # what the room offered during the first catch-up
