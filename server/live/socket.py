"""One websocket per screen per event: catch up from a seq, then hear every change.

The client says the last change it applied; it gets what it missed, or a fresh snapshot when it
is too far behind. Bad messages get an error message and the connection stays up. What to send
and when is the core's (server/live/screen.py); this module only carries it over a websocket.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import time
from typing import Any

from starlette.websockets import WebSocket, WebSocketDisconnect, WebSocketState

from server import metrics
from server.errors import Refused, Unauthorised
from server.events import receipts
from server.events.access import PUBLIC, Role
from server.events.models import Event
from server.events.setup import find_event
from server.live import messages
from server.live.dispatch import HELLO_TIMEOUT, Dispatcher
from server.live.screen import Screen
from server.marketplace import dots
from server.validation import load_json

SCHEMAS = "client-"  # each message's schema: client-hello, client-resume, client-ping, ...
BARE_HELLO = '{"type": "hello"}'  # what a screen silent for HELLO_TIMEOUT is taken to say
WAITING_LIMIT = 16  # messages kept while the event can't be read: a hello, a few dots, pings


class Socket:
    """The websocket that carries one screen: frames out one at a time, what the client says
    (hello, resume, ping) turned into the core's catch-ups, and the dots it places."""

    def __init__(self, websocket: WebSocket, event: Event) -> None:
        self.websocket = websocket
        self._lock = asyncio.Lock()  # one frame at a time on the socket
        state = websocket.app.state
        self.keys, self.limiter, self.writes = state.keys, state.limiter, state.writes
        self.screen = Screen(self, event, state.settings.public_url)
        # The secret of the latest hello: its resumes are counted, and its dots placed, by it.
        self.token: str | None = None
        handlers = {"hello": self.hello, "resume": self.resume, "ping": self.ping, "dot": self.dot}
        self.messages = Dispatcher(websocket, "event", SCHEMAS, handlers, self._refuse)

    async def send(self, text: str, seq: int | None) -> None:
        async with self._lock:
            # Closed while a dot was being placed (its outbox found the socket gone first):
            # the same as the phone going, not a misuse of the socket.
            if self.websocket.application_state is WebSocketState.DISCONNECTED:
                raise WebSocketDisconnect(1006)
            await self.websocket.send_text(text)

    async def broken(self) -> None:
        metrics.errors.labels("event socket").inc()
        with contextlib.suppress(Exception):
            await self.websocket.close(code=1011)

    async def hello(self, message: dict[str, Any]) -> None:
        started = time.perf_counter()
        self.token = messages.secret(self.websocket, message)
        await self._count_catch_up()
        try:
            self.screen.actor = await self.keys.identify(self.screen.event, self.token)
        except Unauthorised as exc:
            self.screen.actor = PUBLIC  # not whoever an earlier hello named
            await self.screen.error(exc)
        await self.screen.catch_up(message.get("since"))
        metrics.hello_seconds.observe(time.perf_counter() - started)  # only hellos answered

    async def resume(self, message: dict[str, Any]) -> None:
        await self._count_catch_up()
        await self.screen.catch_up(message["since"])

    async def ping(self, message: dict[str, Any]) -> None:
        screen = self.screen
        await screen.send({"type": "pong", "seq": max(screen.sent, 0)})
        if screen.behind:
            screen.wake()  # a catch-up the database refused earlier

    async def dot(self, message: dict[str, Any]) -> None:
        """A dot placed as POST /api/e/{slug}/dots places it, for the phone whose hello named
        it. In a vote storm this is most of the traffic, and a message on an open socket costs
        the server a fraction of a request (no request line, headers, routing or response to
        make), so the page sends its dots this way while its socket is live.

        The voter is the one the hello named: looking them up again for each dot would cost
        a storm a query a vote. A token replaced since (erasure, a new link) is refused when
        the dot's batch commits (``marketplace.dots``). Awaited before the next message is
        read: one write in flight per socket, in the order sent, and a phone can't pile up
        work faster than it is answered."""
        key, event, voter = message["key"], self.screen.event, self.screen.actor
        try:
            await self.limiter.check("vote", self._address(), self.token)
            voter.require(Role.attendee)
            placed = await self.writes.run(
                event,
                voter,
                dots.placing(message["pitch"]),
                key=key,
                fingerprint=as_posted(event.slug, message["pitch"]),
            )
        except Refused as exc:
            await self.screen.error(exc, key)
            return
        await self.screen.send({"type": "placed", "key": key, "dot": placed})

    def _address(self) -> str | None:
        client = self.websocket.client
        return client.host if client else None

    async def _count_catch_up(self) -> None:
        """Hellos and resumes are limited: each may cost a snapshot. One too many is refused
        with an error saying when to try again, and the socket stays."""
        await self.limiter.check("hello", self._address(), self.token)

    async def _refuse(self, exc: Refused, raw: str) -> None:
        await self.screen.error(exc, _write_key(raw))


def as_posted(slug: str, pitch: int) -> str:
    """The fingerprint of the same dot POSTed with the body the web client sends
    (``JSON.stringify({pitch})``), so a phone whose socket dropped before the answer can send
    the dot again by HTTP under the same key, and be answered with the first dot."""
    body = hashlib.sha256(b'{"pitch":%d}' % pitch).digest()
    return receipts.fingerprint("POST", f"/api/e/{slug}/dots", body)


def _write_key(raw: str) -> str | None:
    """The key of a write refused before its handler saw it (a dot for pitch 0, the database
    away), so the page hears which of its writes failed rather than wait for an answer."""
    if '"key"' not in raw:
        return None
    try:
        message = load_json(raw)
    except Refused:
        return None
    key = message.get("key") if isinstance(message, dict) else None
    return key if isinstance(key, str) and receipts.KEY.fullmatch(key) else None


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
    socket = Socket(websocket, event)
    room = websocket.app.state.rooms.enter(event.id, socket.screen)
    metrics.connections.labels("event").inc()
    try:
        await room.subscribed.wait()  # changes from here on reach the outbox, then catch up
        await _listen(socket, waiting)
    except WebSocketDisconnect:
        pass
    finally:
        socket.screen.close()
        room.leave(socket.screen)
        metrics.connections.labels("event").dec()


async def _find_event(websocket: WebSocket) -> tuple[Event, list[str]] | None:
    """The socket's event, and the messages that arrived while it was being looked up.

    While the database is away the screen is told so, and each message it sends tries again.
    Once one finds the event, every message kept is answered as usual, in the order sent (a
    hello, then the dot after it), so the screen needn't reconnect or say anything twice.
    """
    # Only reads and guards: what the screen says waits for the socket that answers it.
    lookup = Dispatcher(
        websocket, "event", SCHEMAS, {}, lambda exc, _raw: _send_error(websocket, exc)
    )
    waiting: list[str] = []
    while True:
        found = await lookup.guard(lambda: find_event(websocket.path_params["slug"]))
        if isinstance(found, Event):
            return found, waiting
        if found is not None:  # refused, as an unknown event is
            return None
        raw = await lookup.next(HELLO_TIMEOUT)
        # Each was told the database is away; past this many, the rest are only told so.
        if raw is not None and len(waiting) < WAITING_LIMIT:
            waiting.append(raw)


async def _send_error(websocket: WebSocket, exc: Refused) -> None:
    metrics.refusals.labels(str(exc.status)).inc()
    await websocket.send_json({"type": "error", "message": exc.said(), "status": exc.status})


async def _listen(socket: Socket, waiting: list[str]) -> None:
    for kept in waiting:
        await socket.messages.dispatch(kept)
    while True:
        greeted = socket.screen.ready.is_set()
        raw = await socket.messages.next(None if greeted else HELLO_TIMEOUT)
        await socket.messages.dispatch(BARE_HELLO if raw is None else raw)
