"""One websocket per screen per event: catch up from a seq, then hear every change.

The client says the last change it applied; it gets what it missed, or a fresh snapshot when it
is too far behind. Bad messages get an error message and the connection stays up.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from starlette.websockets import WebSocket, WebSocketDisconnect

from server.db import unreachable
from server.errors import DATABASE_AWAY, Invalid, NotFound, Refused, Unauthorised
from server.events.access import PUBLIC, Actor
from server.events.models import Event
from server.events.setup import find_event
from server.live.hub import event_channel
from server.live.journal import changes_since
from server.live.state import as_seen_by, snapshot
from server.schemas import validate

REPLAY_LIMIT = 500  # beyond this many missed changes a snapshot is smaller and quicker
HELLO_TIMEOUT = 15.0
CLIENT_TYPES = {"hello", "resume", "ping"}


class Screen:
    """One connected screen: who it is and the last change it was sent."""

    def __init__(self, websocket: WebSocket, event: Event) -> None:
        self.websocket, self.event = websocket, event
        self.actor: Actor = PUBLIC
        self.sent = -1
        self.ready = asyncio.Event()  # set once the first catch-up is sent
        self._lock = asyncio.Lock()  # one frame at a time on the socket
        self._order = asyncio.Lock()  # catch-up and live changes never interleave
        state = websocket.app.state
        self.keys, self.hub, self.public_url = state.keys, state.hub, state.settings.public_url

    async def send(self, message: dict[str, Any]) -> None:
        async with self._lock:
            await self.websocket.send_json(message)

    async def error(self, exc: Refused) -> None:
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
                for change in missed:
                    await self._forward(change.message())
        self.ready.set()

    async def relay(self, message: dict[str, Any]) -> None:
        await self.ready.wait()
        if message.get("type") == "resync":
            await self.catch_up(self.sent)  # the hub may have dropped changes; ask the database
            return
        async with self._order:
            await self._forward(message)

    async def _forward(self, message: dict[str, Any]) -> None:
        if message["seq"] > self.sent:
            self.sent = message["seq"]
            await self.send(as_seen_by(message, self.actor.role))

    async def hello(self, message: dict[str, Any]) -> None:
        try:
            self.actor = await self.keys.identify(self.event, message.get("token"))
        except Unauthorised as exc:
            await self.error(exc)
        await self.catch_up(message.get("since"))

    async def handle(self, raw: str) -> None:
        message = parse(raw)
        kind = message["type"]
        if kind == "ping":
            await self.send({"type": "pong", "seq": max(self.sent, 0)})
        elif kind == "resume":
            await self.catch_up(message["since"])
        else:
            await self.hello(message)


def parse(raw: str) -> dict[str, Any]:
    try:
        message = json.loads(raw)
    except json.JSONDecodeError:
        raise Invalid("That message isn't valid JSON.") from None
    if not isinstance(message, dict) or message.get("type") not in CLIENT_TYPES:
        raise Invalid("Messages must be JSON objects whose 'type' is hello, resume or ping.")
    validate(f"client-{message['type']}", message)
    return message


async def live(websocket: WebSocket) -> None:
    await websocket.accept()
    try:
        event = await find_event(websocket.path_params["slug"])
    except NotFound as exc:
        await websocket.send_json({"type": "error", "message": exc.message, "status": 404})
        await websocket.close(code=4404)
        return
    screen = Screen(websocket, event)
    async with screen.hub.subscribe(event_channel(event.id)) as queue:
        relay = asyncio.create_task(_relay(screen, queue))
        try:
            await _listen(screen)
        except WebSocketDisconnect:
            pass
        finally:
            relay.cancel()


async def _listen(screen: Screen) -> None:
    greeted = False
    while True:
        timeout = None if greeted else HELLO_TIMEOUT
        try:
            raw = await asyncio.wait_for(screen.websocket.receive_text(), timeout)
        except TimeoutError:
            # A screen that never says hello still gets the public view, so it isn't left blank.
            raw = '{"type": "hello"}'
        except KeyError:
            await screen.error(Invalid("Send messages as text, not binary."))
            continue
        try:
            await screen.handle(raw)
            greeted = screen.ready.is_set()
        except Refused as exc:
            await screen.error(exc)
        except Exception as exc:
            if not unreachable(exc):
                raise
            await screen.error(DATABASE_AWAY)  # the socket stays; the screen tries again


async def _relay(screen: Screen, queue: asyncio.Queue[dict[str, Any]]) -> None:
    while True:
        await screen.relay(await queue.get())
