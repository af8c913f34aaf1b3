"""Shared by the proceedings tests against a real server: writing notes as a phone does (over
the notes websocket, as Yjs updates) and adding a photo."""

from __future__ import annotations

import base64
import io
import json
from typing import Any

import httpx
from PIL import Image
from websockets.sync.client import connect

from server.notes import document
from server.notes.document import NotesContent
from tests.conftest import ApiEvent, LiveServer


def write_notes(
    server: LiveServer, slug: str, pitch_id: int, token: str, content: NotesContent
) -> None:
    """Makes the session's notes say ``content``, as the attendee or staff member with
    ``token``, and waits until the server has stored it."""
    with connect(f"{server.ws_url}/e/{slug}/notes/{pitch_id}/live") as socket:
        socket.send(json.dumps({"type": "join", "token": token}))
        sync = _next(socket, "sync")
        doc = document.load(base64.b64decode(sync["update"]))
        update = base64.b64encode(document.write(doc, content)).decode("ascii")
        socket.send(json.dumps({"type": "update", "id": 1, "update": update}))
        _next(socket, "ack")


def _next(socket: Any, kind: str) -> dict[str, Any]:
    while True:
        message = json.loads(socket.recv(timeout=10))
        assert message["type"] != "error", message
        if message["type"] == kind:
            return dict(message)


def be_named(ev: ApiEvent, pitch_id: int, token: str) -> None:
    ev.ok("PUT", f"/pitches/{pitch_id}/notes/credit", token, json={"named": True})


def png(width: int = 60, height: int = 40) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), "teal").save(out, "PNG")
    return out.getvalue()


def add_photo(
    client: httpx.Client, slug: str, pitch_id: int, token: str, caption: str
) -> dict[str, Any]:
    response = client.post(
        f"/api/e/{slug}/pitches/{pitch_id}/notes/photos",
        params={"caption": caption},
        content=png(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "image/png"},
    )
    assert response.status_code == 201, response.text
    return dict(response.json())
