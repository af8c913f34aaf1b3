"""What each screen holds of an event: a snapshot for a role, and changes as that role sees them."""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from typing import Any

from server import metrics
from server.events.access import Actor, Role
from server.events.changes import Change
from server.events.models import Event
from server.events.views import event_view, venue_view
from server.grid.agenda import my_agenda
from server.grid.board import load_board
from server.grid.seats import my_seats
from server.grid.views import draft_view, published_view
from server.marketplace.dots import my_dots
from server.marketplace.models import Pitch
from server.marketplace.views import pitches_view


async def snapshot(event: Event, actor: Actor, public_url: str) -> dict[str, Any]:
    state = {**await shared.get(event, actor.is_staff, public_url), "role": actor.role.name}
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


async def _shared(event: Event, staff: bool, public_url: str) -> dict[str, Any]:
    """What every screen of the event sees alike at its seq: staff, or everyone else."""
    metrics.snapshots_built.labels("staff" if staff else "public").inc()
    state: dict[str, Any] = {
        "seq": event.seq,
        "event": event_view(event, public_url),
        **await venue_view(event),
        "pitches": await pitches_view(event, include_hidden=staff),
        "grid": await published_view(event),
    }
    if staff:
        state["draft"] = await draft_view(await load_board(event))
    return state


Built = tuple[dict[str, Any], bool]  # the part, and whether no change landed while building


class SharedParts:
    """The shared part of each event's latest snapshot, per shape, built once per seq.

    Every change bumps the event's seq, so a part built at a seq stays right until the next;
    a thousand screens saying hello at one seq cost one build, and those asking while it is
    being built wait for it rather than build their own. A change committed while a part was
    being built may be in it already, so that part is used once and not kept.
    """

    def __init__(self, events: int = 256) -> None:
        self._events = events
        self._parts: OrderedDict[tuple[int, bool], tuple[int, asyncio.Task[Built]]] = OrderedDict()

    async def get(self, event: Event, staff: bool, public_url: str) -> dict[str, Any]:
        key = (event.id, staff)
        held = self._parts.get(key)
        if held is not None and held[0] == event.seq:
            task = held[1]
            self._parts.move_to_end(key)
        else:
            task = asyncio.ensure_future(self._build(event, staff, public_url))
            if held is None or held[0] < event.seq:
                self._keep(key, (event.seq, task))
        try:
            # Shielded: a screen that leaves mid-build doesn't cancel it for the others.
            part, settled = await asyncio.shield(task)
        except Exception:
            self._drop(key, task)  # a failed build (the database away) is tried afresh
            raise
        if not settled:
            self._drop(key, task)
        return dict(part)

    async def _build(self, event: Event, staff: bool, public_url: str) -> Built:
        part = await _shared(event, staff, public_url)
        now = await Event.get(id=event.id).only("seq")
        return part, now.seq == event.seq

    def _keep(self, key: tuple[int, bool], held: tuple[int, asyncio.Task[Built]]) -> None:
        self._parts[key] = held
        self._parts.move_to_end(key)
        while len(self._parts) > self._events * 2:
            self._parts.popitem(last=False)

    def _drop(self, key: tuple[int, bool], task: asyncio.Task[Built]) -> None:
        held = self._parts.get(key)
        if held is not None and held[1] is task:
            del self._parts[key]

    def forget(self) -> None:
        """Drops every part (tests switch databases within one process, and ids repeat)."""
        self._parts.clear()


shared = SharedParts()


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
    if kind == "tally" and "checks" in data:
        return {**message, "data": {k: v for k, v in data.items() if k != "checks"}}
    return message
