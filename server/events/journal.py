"""Appending to an event's change log inside the transaction that makes the change."""

from __future__ import annotations

from typing import Any

from tortoise.expressions import F

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
        # The UPDATE takes the event row's write lock until commit, so two writers to the same
        # event get consecutive numbers and commit in that order.
        await Event.filter(id=self.event.id).update(seq=F("seq") + 1)
        await self.event.refresh_from_db(fields=["seq"])
        seq = self.event.seq
        change = await Change.create(
            event=self.event, seq=seq, kind=kind, data=data, actor=self.actor.label
        )
        self.changes.append(change)
        return change


async def changes_since(event: Event, seq: int, limit: int) -> list[Change] | None:
    """The changes after seq, or None when there are too many to be worth replaying."""
    if event.seq - seq > limit:
        return None
    return await Change.filter(event=event, seq__gt=seq).order_by("seq")
