"""One websocket per screen per event: catch up from a seq, then hear every change.

The client says the last change it applied; it gets what it missed, or a fresh snapshot when it
is too far behind. Bad messages get an error message and the connection stays up. What to send
and when is the core's (server/live/screen.py); this module only carries it over a websocket.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

from starlette.websockets import WebSocket, WebSocketDisconnect

from server import metrics
from server.errors import Refused, Unauthorised
from server.events.models import Event
from server.events.setup import find_event
from server.live import messages
from server.live.dispatch import HELLO_TIMEOUT, Dispatcher
from server.live.screen import Screen

SCHEMAS = "client-"  # each message's schema: client-hello, client-resume, client-ping
BARE_HELLO = '{"type": "hello"}'  # what a screen silent for HELLO_TIMEOUT is taken to say


class Socket:
    """The websocket that carries one screen: frames out one at a time, and what the client
    says (hello, resume, ping) turned into the core's catch-ups."""

    def __init__(self, websocket: WebSocket, event: Event) -> None:
        self.websocket = websocket
        self._lock = asyncio.Lock()  # one frame at a time on the socket
        state = websocket.app.state
        self.keys, self.limiter = state.keys, state.limiter
        self.screen = Screen(self, event, state.settings.public_url)
        self.token: str | None = None  # the secret of the latest hello, to count its resumes
        handlers = {"hello": self.hello, "resume": self.resume, "ping": self.ping}
        self.messages = Dispatcher(websocket, "event", SCHEMAS, handlers, self._refuse)

    async def send(self, text: str, seq: int | None) -> None:
        async with self._lock:
            await self.websocket.send_text(text)

    async def broken(self) -> None:
        metrics.errors.labels("event socket").inc()
        with contextlib.suppress(Exception):
            await self.websocket.close(code=1011)

    async def hello(self, message: dict[str, Any]) -> None:
        self.token = messages.secret(self.websocket, message)
        await self._count_catch_up()
        try:
            self.screen.actor = await self.keys.identify(self.screen.event, self.token)
        except Unauthorised as exc:
            await self.screen.error(exc)
        await self.screen.catch_up(message.get("since"))

    async def resume(self, message: dict[str, Any]) -> None:
        await self._count_catch_up()
        await self.screen.catch_up(message["since"])

    async def ping(self, message: dict[str, Any]) -> None:
        screen = self.screen
        await screen.send({"type": "pong", "seq": max(screen.sent, 0)})
        if screen.behind:
            screen.wake()  # a catch-up the database refused earlier

    async def _count_catch_up(self) -> None:
        """Hellos and resumes are limited: each may cost a snapshot. One too many is refused
        with an error saying when to try again, and the socket stays."""
        client = self.websocket.client
        await self.limiter.check("hello", client.host if client else None, self.token)

    async def _refuse(self, exc: Refused, raw: str) -> None:
        await self.screen.error(exc)


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


async def _find_event(websocket: WebSocket) -> tuple[Event, str | None] | None:
    """The socket's event, and a message that arrived while it was being looked up.

    While the database is away the screen is told so, and each message it sends tries again;
    the one that finds the event is then answered as usual, so the screen needn't reconnect.
    """
    # Only reads and guards: what the screen says waits for the socket that answers it.
    lookup = Dispatcher(
        websocket, "event", SCHEMAS, {}, lambda exc, _raw: _send_error(websocket, exc)
    )
    waiting: str | None = None
    while True:
        found = await lookup.guard(lambda: find_event(websocket.path_params["slug"]))
        if isinstance(found, Event):
            return found, waiting
        if found is not None:  # refused, as an unknown event is
            return None
        waiting = await lookup.next(HELLO_TIMEOUT)


async def _send_error(websocket: WebSocket, exc: Refused) -> None:
    metrics.refusals.labels(str(exc.status)).inc()
    await websocket.send_json({"type": "error", "message": exc.said(), "status": exc.status})


async def _listen(socket: Socket, waiting: str | None) -> None:
    if waiting is not None:
        await socket.messages.dispatch(waiting)
    while True:
        greeted = socket.screen.ready.is_set()
        raw = await socket.messages.next(None if greeted else HELLO_TIMEOUT)
        await socket.messages.dispatch(BARE_HELLO if raw is None else raw)
