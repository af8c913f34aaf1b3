"""Running a domain command: one transaction for the change and its log, then fan-out."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from tortoise.transactions import in_transaction

from server.events.access import Actor
from server.events.models import Event
from server.live.hub import Hub, event_channel
from server.live.journal import Journal

T = TypeVar("T")


async def run(
    hub: Hub, event: Event, actor: Actor, command: Callable[[Journal], Awaitable[T]]
) -> T:
    """Runs the command against a fresh, locked copy of the event, so rules such as "voting is
    open" and "dots left" are checked against what is committed, not what a request saw."""
    async with in_transaction():
        locked = await Event.select_for_update().get(id=event.id)
        journal = Journal(locked, actor)
        result = await command(journal)
    # Published only after commit: a screen never hears of a change that could still roll back.
    for change in journal.changes:
        await hub.publish(event_channel(event.id), change.message())
    return result
