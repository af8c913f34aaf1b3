"""One websocket per open notes page: the Yjs sync handshake, then updates both ways.

A phone joins with the Yjs state vector of the copy it holds (perhaps edited offline), gets
back what it lacks and the server's state vector, and answers with what the server lacks.
Every update is stored before it is acknowledged, then passed to everyone else on the notes.
Merging is idempotent, so an update heard twice, or both in the catch-up and live, is harmless.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
from typing import Any

from starlette.websockets import WebSocket, WebSocketDisconnect

from server import metrics
from server.db import database
from server.errors import Invalid, NotFound, Refused
from server.events.access import Actor, Role
from server.events.setup import find_event
from server.language import N_
from server.live import messages
from server.live.dispatch import HELLO_TIMEOUT, Dispatcher
from server.live.notes_channel import (
    decode,
    encode,
    notes_channel,
    publish,
    publish_credits,
    publish_update,
)
from server.notes import document, editing, store
from server.notes.editing import Session
from server.notes.models import Notes
from server.validation import load_json

log = logging.getLogger("snug.live")
MAX_ID = 2**31 - 1  # as the database stores ids
SCHEMAS = "notes-client-"  # each message's schema: notes-client-join, notes-client-update, ...
BARE_JOIN = '{"type": "join"}'  # what a phone silent for HELLO_TIMEOUT is taken to say


class NotesCopy:
    """One open notes page on one device."""

    def __init__(self, websocket: WebSocket, pitch_id: int) -> None:
        self.websocket, self.pitch_id = websocket, pitch_id
        self.name = secrets.token_hex(8)  # so this socket doesn't hear its own updates back
        self.session: Session | None = None
        self.actor: Actor | None = None
        self.token: str | None = None
        self.held: bytes | None = None  # the Yjs state vector the phone joined with
        # Who else has these notes open, by their copy's name: held in memory only, and shared
        # between processes through the hub, so it is never stored.
        self.others: dict[str, str] = {}
        self._lock = asyncio.Lock()
        state = websocket.app.state
        self.keys, self.hub = state.keys, state.hub
        # Until a join opens the notes, an update is refused (update says why) and its error
        # names no update: the phone has none in flight.
        handlers = {"join": self.first_join, "update": self.update, "ping": self.ping}
        self.joining = Dispatcher(websocket, "notes", SCHEMAS, handlers, self._refuse)
        handlers = {"join": self.rejoin, "update": self.update, "ping": self.ping}
        self.joined = Dispatcher(websocket, "notes", SCHEMAS, handlers, self._refuse_update)

    async def send(self, message: dict[str, Any]) -> None:
        async with self._lock:
            await self.websocket.send_json(message)
        metrics.messages_sent.labels("notes").inc()

    async def error(self, exc: Refused, update_id: int | None = None) -> None:
        metrics.refusals.labels(str(exc.status)).inc()
        message: dict[str, Any] = {"type": "error", "message": exc.said(), "status": exc.status}
        if update_id is not None:
            message["id"] = update_id
        await self.send(message)

    async def ping(self, message: dict[str, Any]) -> None:
        await self.send({"type": "pong"})

    async def first_join(self, message: dict[str, Any]) -> None:
        """Opens the notes; the catch-up waits until the socket hears their changes."""
        held = decode(message.get("state"))
        await self._join(message)
        self.held = held

    async def rejoin(self, message: dict[str, Any]) -> None:
        held = decode(message.get("state"))
        await self._join(message)
        await self.sync(held)

    async def _join(self, message: dict[str, Any]) -> None:
        event = await find_event(self.websocket.path_params["slug"])
        if self.pitch_id > MAX_ID:
            raise NotFound(N_("This event has no such session; check the link."))
        self.token = messages.secret(self.websocket, message)
        self.actor = await self.keys.identify(event, self.token)
        self.session = await editing.open_notes(event, self.pitch_id, self.actor)

    async def catch_up(self) -> None:
        await self.sync(self.held)

    async def sync(self, state_vector: bytes | None) -> None:
        assert self.session is not None and self.actor is not None
        notes = self.session.notes
        missing, server_state = await store.catch_up(notes, state_vector)
        database.reached()
        fresh = await Notes.get(id=notes.id)
        credits = await editing.credits(fresh)
        await self.send(
            {
                "type": "sync",
                "update": encode(missing),
                "state": encode(server_state),
                "final": fresh.final,
                "can_write": self.actor.role >= Role.attendee,
                "can_finalise": self._can_finalise(),
                "named": await self._named(),
                "credits": credits.as_json(),
                "max_chars": document.MAX_CHARS,
            }
        )

    def _can_finalise(self) -> bool:
        assert self.session is not None and self.actor is not None
        attendee = self.actor.attendee
        host = attendee is not None and attendee.id == self.session.pitch.author_id
        return self.actor.is_staff or host

    async def _named(self) -> bool | None:
        assert self.session is not None and self.actor is not None
        if self.actor.attendee is None:
            return None
        return await editing.is_named(self.session, self.actor.attendee)

    async def update(self, message: dict[str, Any]) -> None:
        if self.session is None or self.actor is None:
            raise Invalid(N_("Send 'join' before changing the notes."))
        update = decode(message["update"]) or b""
        # Asked again each time: a page left open keeps no rights its link has lost (erased
        # personal data, a revoked facilitator link).
        self.actor = await self.keys.identify(self.session.event, self.token)
        address = self.websocket.client.host if self.websocket.client else None
        await self.websocket.app.state.limiter.check("notes", address, self.token)
        edited = await editing.edit(self.session, self.actor, update)
        database.reached()
        await self.send({"type": "ack", "id": message["id"]})
        self.websocket.app.state.typing.typed(self.session.event, edited)
        if edited.update != store.EMPTY_UPDATE:
            await publish_update(self.hub, edited.notes.id, edited.update, self.name)
            if edited.new_contributor:
                await publish_credits(self.hub, edited.notes)

    def who(self) -> str:
        """The name others see for this copy: the attendee's own, or none (anonymous, staff)."""
        attendee = self.actor.attendee if self.actor else None
        return attendee.name if attendee is not None else ""

    async def announce(self, kind: str, reply: bool = False) -> None:
        """Tells the other copies this one is here or gone; a reader who can't write isn't
        one of the people writing, so says nothing."""
        assert self.session is not None
        if self.actor is None or self.actor.role < Role.attendee:
            return
        message = {"type": kind, "origin": self.name, "who": self.who(), "reply": reply}
        await publish(self.hub, self.session.notes.id, message)

    async def heard_presence(self, heard: dict[str, Any]) -> None:
        """A copy arriving or leaving: a newcomer hears back from everyone already here."""
        origin = str(heard.get("origin", ""))
        if origin == self.name:
            return
        if heard["type"] == "gone":
            self.others.pop(origin, None)
        else:
            new = origin not in self.others
            self.others[origin] = str(heard.get("who", ""))[:60]
            if new and not heard.get("reply"):
                await self.announce("here", reply=True)
        await self.send({"type": "presence", **presence(list(self.others.values()))})

    def relayable(self, message: dict[str, Any]) -> dict[str, Any] | None:
        if message.get("origin") == self.name:
            return None
        return {k: v for k, v in message.items() if k != "origin"}

    async def _refuse(self, exc: Refused, raw: str) -> None:
        await self.error(exc)

    async def _refuse_update(self, exc: Refused, raw: str) -> None:
        # Not stored, so not acknowledged: the phone keeps the change and sends it again.
        await self.error(exc, _update_id(raw))


async def notes_live(websocket: WebSocket) -> None:
    if not await messages.accepted(websocket):
        return
    copy = NotesCopy(websocket, websocket.path_params["pitch"])
    try:
        session = await _first_join(copy)
    except WebSocketDisconnect:
        return
    if session is None:
        await websocket.close(code=4404)
        return
    metrics.connections.labels("notes").inc()
    # Subscribed before the catch-up is read, so no change falls between the two.
    async with copy.hub.subscribe(notes_channel(session.notes.id)) as queue:
        relay = asyncio.create_task(_relay(copy, queue))
        try:
            await copy.joined.guard(copy.catch_up)
            await copy.announce("here")
            await copy.joined.serve()
        except WebSocketDisconnect:
            pass
        finally:
            relay.cancel()
            metrics.connections.labels("notes").dec()
            with contextlib.suppress(Exception):
                await copy.announce("gone")


async def _first_join(copy: NotesCopy) -> Session | None:
    """Waits for a join that opens the notes; wrong tokens and bad messages get an error and
    may try again. A missing event or session, or a socket silent for HELLO_TIMEOUT whose
    public view is refused, ends the socket: there is nothing to wait for."""
    while copy.session is None:
        raw = await copy.joining.next(HELLO_TIMEOUT)
        refused = await copy.joining.dispatch(BARE_JOIN if raw is None else raw)
        if isinstance(refused, NotFound) or (refused is not None and raw is None):
            return None
    return copy.session


def presence(names: list[str]) -> dict[str, Any]:
    """Who else is writing, as the page says it: up to two names, else only how many."""
    shown = sorted(set(names)) if len(names) <= 2 and all(names) else []
    return {"names": shown, "others": len(names)}


def _update_id(raw: str) -> int | None:
    """The number of the update a refused message carried, read even from a message that
    failed its checks, so the phone knows which change wasn't stored."""
    try:
        message = load_json(raw)
    except Invalid:
        return None
    if isinstance(message, dict) and message.get("type") == "update":
        ident = message.get("id")
        return ident if isinstance(ident, int) and not isinstance(ident, bool) else None
    return None


async def _relay(copy: NotesCopy, queue: asyncio.Queue[dict[str, Any]]) -> None:
    try:
        while True:
            heard = await queue.get()
            if heard.get("type") == "resync":
                await copy.sync(None)  # the whole document: merging what it has is harmless
                continue
            if heard.get("type") in ("here", "gone"):
                await copy.heard_presence(heard)
                continue
            message = copy.relayable(heard)
            if message is not None:
                await copy.send(message)
    except Exception:
        # A page that can no longer hear others must not look live: closing makes it
        # reconnect and catch up.
        log.warning("notes relay stopped; closing the socket so the page reconnects")
        metrics.errors.labels("notes socket").inc()
        with contextlib.suppress(Exception):
            await copy.websocket.close(code=1011)
