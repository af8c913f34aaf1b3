"""How the event and its venue look to every screen."""

from __future__ import annotations

from typing import Any

from server.events.models import Event, Room, Slot
from server.reach import only_here


def event_view(event: Event, public_url: str) -> dict[str, Any]:
    return {
        "slug": event.slug,
        "name": event.name,
        "date": event.date.isoformat(),
        "timezone": event.timezone,
        "venue": event.venue,
        "pitching_open": event.pitching_open,
        "voting_open": event.voting_open,
        "dots_per_attendee": event.dots_per_attendee,
        "dots_stack": event.dots_stack,
        "join_url": join_url(event, public_url),
        # The address alone, not the sentence: a snapshot is shared by screens in each language.
        "join_warning": only_here(public_url),
        "proceedings_published": event.proceedings_published,
        "totals_hidden": event.totals_hidden,
        "languages": event.languages,
    }


def join_url(event: Event, public_url: str) -> str:
    return f"{public_url}/j/{event.join_code}"


def room_view(room: Room) -> dict[str, Any]:
    return {
        "id": room.id,
        "name": room.name,
        "capacity": room.capacity,
        "features": room.features,
        "unavailable": room.unavailable,
    }


def slot_view(slot: Slot) -> dict[str, Any]:
    return {
        "id": slot.id,
        "starts_at": slot.starts_at,
        "ends_at": slot.ends_at,
        "label": slot.label,
        "kind": slot.kind,
    }


async def venue_view(event: Event) -> dict[str, Any]:
    rooms = await Room.filter(event=event)
    slots = await Slot.filter(event=event)
    return {"rooms": [room_view(r) for r in rooms], "slots": [slot_view(s) for s in slots]}
