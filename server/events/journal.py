"""Appending to an event's change log inside the transaction that makes the change."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from server.events.access import Actor
from server.events.changes import Change
from server.events.models import Event

# Works out a tally's data for some ids (vote counts of some pitches) from what is written.
Measure = Callable[[Event, list[int]], Awaitable[dict[str, Any]]]


class Journal:
    """Collects the Changes one command records, for the transport to publish after commit."""

    def __init__(self, event: Event, actor: Actor) -> None:
        self.event = event
        self.actor = actor
        self.changes: list[Change] = []
        self.tallies: dict[str, tuple[Measure, set[int]]] = {}

    def tally(self, kind: str, ids: Iterable[int], measure: Measure) -> None:
        """Asks for a tally of these ids (the counts of the pitches a vote touched) to be
        recorded once for the whole batch, after its writes: tallies are absolute and nobody
        sees a batch until it commits, so a storm of votes costs one count per batch, not one
        per vote."""
        self.tallies.setdefault(kind, (measure, set()))[1].update(ids)

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
