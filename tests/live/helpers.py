"""Socket client helpers shared by the live tests: every server message is schema-checked."""

from __future__ import annotations

import asyncio
import base64
import json
from typing import Any

from websockets.asyncio.client import ClientConnection

from server.validation import validate

SERVER_TYPES = {"snapshot", "change", "error", "pong", "placed"}
WAIT = 5.0  # seconds for a message that should come


class Screen:
    def __init__(self, ws: ClientConnection) -> None:
        self.ws = ws

    async def send(self, message: Any) -> None:
        await self.ws.send(message if isinstance(message, str | bytes) else json.dumps(message))

    async def recv(self) -> dict[str, Any]:
        raw = await asyncio.wait_for(self.ws.recv(), WAIT)
        assert isinstance(raw, str), "the server sends text frames"
        message = json.loads(raw)
        assert message.get("type") in SERVER_TYPES, message
        validate(f"server-{message['type']}", message)
        return dict(message)

    async def expect(self, kind: str) -> dict[str, Any]:
        message = await self.recv()
        assert message["type"] == kind, message
        return message

    async def changes(self, n: int) -> list[dict[str, Any]]:
        """The messages that bring n more changes; vote counts gathered in one tick come as
        one message covering several seqs."""
        received: list[dict[str, Any]] = []
        covered = 0
        while covered < n:
            change = await self.expect("change")
            covered += change["seq"] - change.get("first", change["seq"]) + 1
            received.append(change)
        assert covered == n, f"{covered - n} more changes arrived than asked for"
        return received

    async def quiet(self, seconds: float = 0.3) -> None:
        """Nothing more arrives: a ping's pong is the very next message."""
        await asyncio.sleep(seconds)
        await self.send({"type": "ping"})
        assert (await self.recv())["type"] == "pong"

    async def hello(self, token: str | None = None, since: int | None = None) -> None:
        await self.send({"type": "hello", "token": token, "since": since})


def apply(state: dict[str, Any], change: dict[str, Any], staff: bool = False) -> None:
    """Applies one change the way the protocol tells a client to."""
    assert change.get("first", change["seq"]) == state["seq"] + 1, (state["seq"], change)
    kind, data = change["kind"], change["data"]
    pitches = {p["id"]: p for p in state["pitches"]}
    if kind == "event.updated":
        state["event"] = data["event"]
    elif kind == "venue.updated":
        state["rooms"], state["slots"] = data["rooms"], data["slots"]
    elif kind == "pitch.saved":
        pitches.pop(data["pitch"]["id"], None)
        if staff or not data["pitch"]["hidden"]:
            pitches[data["pitch"]["id"]] = data["pitch"]
    elif kind == "pitch.hidden":
        if staff and data["id"] in pitches:
            pitches[data["id"]] = {**pitches[data["id"]], "hidden": True}
        else:
            pitches.pop(data["id"], None)
    elif kind == "pitch.merged":
        pitches.pop(data["id"], None)
    counted = kind in ("votes", "pitch.merged") or (kind == "pitch.hidden" and staff)
    if counted or (kind == "tally" and "votes" in data):
        for pitch_id, n in data["votes"].items():
            if int(pitch_id) in pitches:
                pitches[int(pitch_id)] = {**pitches[int(pitch_id)], "votes": n}
    if kind in ("votes", "tally") and "turnout" in data:  # staff only, as in their snapshot
        state["turnout"] = data["turnout"]
    state["pitches"] = [pitches[k] for k in sorted(pitches)]
    state["seq"] = change["seq"]


def comparable(state: dict[str, Any]) -> dict[str, Any]:
    """The state every screen of a shape shares, as changes rebuild it: not the screen's own
    part, nor staff's turnout, counted afresh for each snapshot (joining makes no change)."""
    return {k: v for k, v in state.items() if k not in ("me", "role", "turnout")}


NOTES_SERVER_TYPES = {"sync", "update", "ack", "final", "credits", "presence", "error", "pong"}


class NotesPhone:
    """A phone with its own copy of a session's notes, speaking the notes socket's protocol."""

    def __init__(self, ws: ClientConnection, doc: Any = None) -> None:
        from server.notes import document

        self.ws = ws
        self.doc = doc if doc is not None else document.load()
        self.sent = 0
        self.synced: dict[str, Any] = {}
        self.presence: list[dict[str, Any]] = []

    async def send(self, message: Any) -> None:
        await self.ws.send(message if isinstance(message, str | bytes) else json.dumps(message))

    async def recv(self) -> dict[str, Any]:
        """The next message, after any word of who else is here (kept in ``presence``): that
        comes whenever others arrive or leave, between any two other messages."""
        while True:
            raw = await asyncio.wait_for(self.ws.recv(), WAIT)
            assert isinstance(raw, str), "the server sends text frames"
            message = json.loads(raw)
            assert message.get("type") in NOTES_SERVER_TYPES, message
            kind = message["type"]
            shared = kind in ("error", "pong")  # the same messages as on the event socket
            validate(f"server-{kind}" if shared else f"notes-server-{kind}", message)
            if kind == "update":
                self.doc.apply_update(base64.b64decode(message["update"]))
            if kind != "presence":
                return dict(message)
            self.presence.append(message)

    async def expect(self, kind: str) -> dict[str, Any]:
        while True:
            message = await self.recv()
            if message["type"] == kind:
                return message
            assert message["type"] in ("update", "credits"), message

    async def hears(self, expected: dict[str, Any]) -> None:
        """Waits (pinging, so the socket keeps talking) until the latest word of who else is
        here is ``expected``."""
        for _ in range(100):
            if self.presence and self.presence[-1] == expected:
                return
            await self.send({"type": "ping"})
            while (await self.recv())["type"] != "pong":
                pass  # the join's own acknowledgement
            await asyncio.sleep(0.02)
        raise AssertionError(f"heard {self.presence[-1:]} not {expected}")

    async def join(self, token: str | None) -> dict[str, Any]:
        """The sync handshake: get what this copy lacks, send back what the server lacks."""
        state = base64.b64encode(self.doc.get_state()).decode()
        await self.send({"type": "join", "token": token, "state": state})
        sync = await self.expect("sync")
        self.doc.apply_update(base64.b64decode(sync["update"]))
        missing = self.doc.get_update(base64.b64decode(sync["state"]))
        await self.push(bytes(missing))
        self.synced = sync
        return sync

    async def push(self, update: bytes) -> int:
        self.sent += 1
        payload = base64.b64encode(update).decode()
        await self.send({"type": "update", "id": self.sent, "update": payload})
        return self.sent

    async def type(self, content: Any) -> dict[str, Any]:
        """Makes this copy say ``content``, sends the change and waits for its ack (or error)."""
        from server.notes import document

        update_id = await self.push(document.write(self.doc, content))
        while True:
            message = await self.recv()
            if message["type"] in ("ack", "error") and message.get("id") == update_id:
                return message

    def content(self) -> Any:
        from server.notes import document

        return document.read(self.doc)


def voting_event(client: Any, pitches: int = 3) -> tuple[Any, str, list[int]]:
    """An event made through ``client`` with voting open, one attendee and some pitches."""
    from tests.conftest import ApiEvent, event_body

    made = client.post("/api/events", json=event_body()).json()
    event = ApiEvent(client, made["slug"], made["organiser_key"], made["links"])
    event.edit(voting_open=True)
    token = event.join("Ana")["token"]
    return event, token, [event.pitch(token, f"Session {n}")["id"] for n in range(pitches)]
