"""What each screen holds of an event: a snapshot for a role, and changes as that role sees them."""

from __future__ import annotations

from typing import Any

from server.events.access import Actor, Role
from server.events.models import Event
from server.events.views import event_view, venue_view
from server.grid.agenda import my_agenda
from server.grid.board import load_board
from server.grid.seats import my_seats
from server.grid.views import draft_view, published_view
from server.live.models import Change
from server.marketplace.dots import my_dots
from server.marketplace.models import Pitch
from server.marketplace.views import pitches_view


async def snapshot(event: Event, actor: Actor, public_url: str) -> dict[str, Any]:
    state: dict[str, Any] = {
        "seq": event.seq,
        "role": actor.role.name,
        "event": event_view(event, public_url),
        **await venue_view(event),
        "pitches": await pitches_view(event, include_hidden=actor.is_staff),
        "grid": await published_view(event),
    }
    if actor.is_staff:
        state["draft"] = await draft_view(await load_board(event))
    if actor.attendee is not None:
        mine = await Pitch.filter(author=actor.attendee, merged_into_id=None, hidden=False)
        state["me"] = {
            "id": actor.attendee.id,
            "name": actor.attendee.name,
            "dots": await my_dots(event, actor.attendee),
            "pitches": [p.id for p in mine],
            "agenda": await my_agenda(event, actor.attendee.id),
            "seats": await my_seats(event, actor.attendee.id),
        }
    return state


def as_seen_by(change: Change | dict[str, Any], role: Role) -> dict[str, Any]:
    """The change message for a role: a hidden pitch's text never reaches attendees' screens."""
    message = change.message() if isinstance(change, Change) else change
    if role >= Role.facilitator:
        return message
    kind, data = message["kind"], message["data"]
    if kind == "pitch.saved" and data["pitch"]["hidden"]:
        return {**message, "kind": "pitch.hidden", "data": {"id": data["pitch"]["id"]}}
    if kind == "pitch.hidden":  # it leaves attendees' screens, counts and all
        return {**message, "data": {"id": data["id"]}}
    if kind == "grid.changed":  # attendees see only the published grid
        return {**message, "data": {"version": data["version"]}}
    if kind == "grid.checks":
        return {**message, "data": {}}
    return message
