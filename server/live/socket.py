"""One websocket per screen per event: catch up from a seq, then hear every change.

The client says the last change it applied; it gets what it missed, or a fresh snapshot when it
is too far behind. Bad messages get an error message and the connection stays up.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections import deque
from typing import Any

from starlette.websockets import WebSocket, WebSocketDisconnect

from server import metrics
from server.db import unreachable
from server.errors import DATABASE_AWAY, Invalid, NotFound, Refused, Unauthorised
from server.events.access import PUBLIC, Actor, Role
from server.events.models import Event
from server.events.setup import find_event
from server.live import messages
from server.live.journal import changes_since
from server.live.outage import database
from server.live.room import coalesce
from server.live.state import as_seen_by, snapshot

REPLAY_LIMIT = 500  # beyond this many missed changes a snapshot is smaller and quicker
HELLO_TIMEOUT = 15.0
OUTBOX_LIMIT = 256  # changes waiting for one slow screen before it is sent a catch-up instead
CLIENT_TYPES = ("hello", "resume", "ping")


class Screen:
    """One connected screen: who it is, the last change it was sent, and its outbox."""

    def __init__(self, websocket: WebSocket, event: Event) -> None:
        self.websocket, self.event = websocket, event
        self.actor: Actor = PUBLIC
        self.sent = -1
        self.ready = asyncio.Event()  # set once the first catch-up is sent
        self._outbox: deque[tuple[int, int, str]] = deque()
        self._behind = False  # the outbox overflowed or the hub dropped changes
        # Runs only while there is something to send, so an idle screen holds no task.
        self._writer: asyncio.Task[None] | None = None
        self._lock = asyncio.Lock()  # one frame at a time on the socket
        self._order = asyncio.Lock()  # catch-up and live changes never interleave
        state = websocket.app.state
        self.keys, self.public_url = state.keys, state.settings.public_url
        self.limiter = state.limiter
        self.token: str | None = None  # the secret of the latest hello, to count its resumes

    @property
    def role(self) -> Role:
        return self.actor.role

    def offer(self, first: int, seq: int, text: str) -> None:
        """Called by the room for every change; never waits."""
        if len(self._outbox) >= OUTBOX_LIMIT:
            self.resync()  # a phone this far behind gets a fresh catch-up instead
            return
        self._outbox.append((first, seq, text))
        self._wake()

    def resync(self) -> None:
        self._outbox.clear()
        self._behind = True
        self._wake()

    def _wake(self) -> None:
        if self.ready.is_set() and (self._writer is None or self._writer.done()):
            self._writer = asyncio.create_task(self._write())

    def close(self) -> None:
        if self._writer is not None:
            self._writer.cancel()

    async def _write(self) -> None:
        """Sends the outbox in order, skipping what a catch-up already covered."""
        try:
            await self._drain()
        except Exception as exc:
            if unreachable(exc):
                # The catch-up waits for the database: the screen's next ping tries again.
                self._behind = True
                database.lost()
                with contextlib.suppress(Exception):
                    await self.error(DATABASE_AWAY)
                return
            # A screen that can no longer hear changes must not look live: closing makes it
            # reconnect and catch up from the database.
            metrics.errors.labels("event socket").inc()
            with contextlib.suppress(Exception):
                await self.websocket.close(code=1011)

    async def _drain(self) -> None:
        while self._behind or self._outbox:
            if self._behind:
                self._behind = False
                await self.catch_up(self.sent)
            while self._outbox:
                first, seq, text = self._outbox.popleft()
                async with self._order:
                    if seq <= self.sent:
                        continue
                    if first > self.sent + 1:  # a gap: the database has what is missing
                        self._behind, self._outbox = True, deque()
                        break
                    self.sent = seq
                    await self._send_text(text)

    async def _send_text(self, text: str) -> None:
        async with self._lock:
            await self.websocket.send_text(text)

    async def send(self, message: dict[str, Any]) -> None:
        """A message for this screen alone (catch-up, pong, error); the room counts the rest."""
        await self._send_text(json.dumps(message))
        metrics.messages_sent.labels("event").inc()

    async def error(self, exc: Refused) -> None:
        metrics.refusals.labels(str(exc.status)).inc()
        await self.send({"type": "error", "message": exc.message, "status": exc.status})

    async def catch_up(self, since: int | None) -> None:
        async with self._order:
            await self.event.refresh_from_db()
            missed = None
            if since is not None and since <= self.event.seq:
                missed = await changes_since(self.event, since, REPLAY_LIMIT)
            if missed is None:
                state = await snapshot(self.event, self.actor, self.public_url)
                self.sent = state["seq"]
                await self.send({"type": "snapshot", "state": state})
            else:
                self.sent = since if since is not None else self.sent
                for change in coalesce([c.message() for c in missed]):
                    if change["seq"] > self.sent:
                        self.sent = change["seq"]
                        await self.send(as_seen_by(change, self.actor.role))
        database.reached()
        if not self.ready.is_set():
            self.ready.set()
            self._wake()  # what the room offered during the first catch-up

    async def hello(self, message: dict[str, Any]) -> None:
        self.token = messages.secret(self.websocket, message)
        await self._count_catch_up()
        try:
            self.actor = await self.keys.identify(self.event, self.token)
        except Unauthorised as exc:
            await self.error(exc)
        await self.catch_up(message.get("since"))

    async def handle(self, raw: str) -> None:
        message = parse(raw)
        kind = message["type"]
        if kind == "ping":
            await self.send({"type": "pong", "seq": max(self.sent, 0)})
            if self._behind:
                self._wake()  # a catch-up the database refused earlier
        elif kind == "resume":
            await self._count_catch_up()
            await self.catch_up(message["since"])
        else:
            await self.hello(message)

    async def _count_catch_up(self) -> None:
        """Hellos and resumes are limited: each may cost a snapshot. One too many is refused
        with an error saying when to try again, and the socket stays."""
        client = self.websocket.client
        await self.limiter.check("hello", client.host if client else None, self.token)


def parse(raw: str) -> dict[str, Any]:
    return messages.parse(raw, CLIENT_TYPES, "client-")


async def live(websocket: WebSocket) -> None:
    if not await messages.accepted(websocket):
        return
    try:
        found = await _find_event(websocket)
    except WebSocketDisconnect:
        return
    if found is None:
        await websocket.close(code=4404)
        return
    event, waiting = found
    screen = Screen(websocket, event)
    room = websocket.app.state.rooms.enter(event.id, screen)
    metrics.connections.labels("event").inc()
    try:
        await room.subscribed.wait()  # changes from here on reach the outbox, then catch up
        await _listen(screen, waiting)
    except WebSocketDisconnect:
        pass
    finally:
        screen.close()
        room.leave(screen)
        metrics.connections.labels("event").dec()


async def _find_event(websocket: WebSocket) -> tuple[Event, str | None] | None:
    """The socket's event, and a message that arrived while it was being looked up.

    While the database is away the screen is told so, and each message it sends tries again;
    the one that finds the event is then answered as usual, so the screen needn't reconnect.
    """
    waiting: str | None = None
    while True:
        try:
            return await find_event(websocket.path_params["slug"]), waiting
        except NotFound as exc:
            await _send_error(websocket, exc)
            return None
        except Exception as exc:
            if not unreachable(exc):
                raise
            database.lost()
            await _send_error(websocket, DATABASE_AWAY)
        try:
            waiting = await asyncio.wait_for(websocket.receive_text(), HELLO_TIMEOUT)
        except (TimeoutError, KeyError):  # silence, or binary: the error just sent will do
            waiting = None


async def _send_error(websocket: WebSocket, exc: Refused) -> None:
    metrics.refusals.labels(str(exc.status)).inc()
    await websocket.send_json({"type": "error", "message": exc.message, "status": exc.status})


async def _listen(screen: Screen, waiting: str | None) -> None:
    greeted = False
    while True:
        timeout = None if greeted else HELLO_TIMEOUT
        try:
            if waiting is None:
                raw = await asyncio.wait_for(screen.websocket.receive_text(), timeout)
            else:
                raw, waiting = waiting, None
        except TimeoutError:
            # A screen that never says hello still gets the public view, so it isn't left blank.
            raw = '{"type": "hello"}'
        except KeyError:
            await screen.error(Invalid("Send messages as text, not binary."))
            continue
        metrics.messages_received.labels("event").inc()
        try:
            await screen.handle(raw)
            greeted = screen.ready.is_set()
        except Refused as exc:
            await screen.error(exc)
        except Exception as exc:
            if not unreachable(exc):
                raise
            database.lost()
            await screen.error(DATABASE_AWAY)  # the socket stays; the screen tries again
