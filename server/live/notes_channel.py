"""The channel on which a session's open notes pages hear each other's changes.

Both transports publish here: the notes socket for typing, HTTP for restores and photos.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

from server.errors import Invalid
from server.language import N_
from server.live.hub import Hub
from server.notes import editing
from server.notes.models import Notes


def notes_channel(notes_id: int) -> str:
    return f"notes:{notes_id}"


async def publish_update(hub: Hub, notes_id: int, update: bytes, origin: str = "") -> None:
    """Passes an accepted change to every open copy of the notes (HTTP changes have no origin)."""
    message = {"type": "update", "update": encode(update), "origin": origin}
    await hub.publish(notes_channel(notes_id), message)


async def publish(hub: Hub, notes_id: int, message: dict[str, Any]) -> None:
    await hub.publish(notes_channel(notes_id), message)


def encode(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def decode(text: str | None) -> bytes | None:
    if not text:
        return None
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise Invalid(N_("That message's binary data isn't valid base64.")) from None


async def publish_credits(hub: Hub, notes: Notes) -> None:
    credits = await editing.credits(notes)
    await publish(hub, notes.id, {"type": "credits", "credits": credits.as_json()})
