"""Appending to an event's change log inside the transaction that makes the change."""

from __future__ import annotations

from typing import Any

from server.events.access import Actor
from server.events.changes import Change
from server.events.models import Event


class Journal:
    """Collects the Changes one command records, for the transport to publish after commit."""

    def __init__(self, event: Event, actor: Actor) -> None:
        self.event = event
        self.actor = actor
        self.changes: list[Change] = []

    async def record(self, kind: str, data: dict[str, Any]) -> Change:
        # The event row is locked for the whole batch (server/events/writes.py), so the next
        # number is this copy's seq plus one; the batch stores the last when its writes are done.
        self.event.seq += 1
        change = await Change.create(
            event=self.event, seq=self.event.seq, kind=kind, data=data, actor=self.actor.label
        )
        self.changes.append(change)
        return change


async def changes_since(event: Event, seq: int, limit: int) -> list[Change] | None:
    """The changes after seq, or None when there are too many to be worth replaying."""
    if event.seq - seq > limit:
        return None
    return await Change.filter(event=event, seq__gt=seq).order_by("seq")
