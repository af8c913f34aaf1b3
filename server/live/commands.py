"""Running a domain command: one transaction for the change and its log, then fan-out."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import TypeVar, cast

from tortoise.transactions import in_transaction

from server.events import receipts
from server.events.access import Actor
from server.events.journal import Journal
from server.events.models import Event
from server.live.hub import Hub, event_channel

T = TypeVar("T")


async def run(
    hub: Hub,
    event: Event,
    actor: Actor,
    command: Callable[[Journal], Awaitable[T]],
    *,
    key: str | None = None,
    fingerprint: str = "",
) -> T:
    """Runs the command against a fresh, locked copy of the event, so rules such as "voting is
    open" and "dots left" are checked against what is committed, not what a request saw.

    With a ``key`` (an Idempotency-Key), the command is done at most once for this actor: a
    repeat answers what the first did, without running it. ``fingerprint`` names the request
    the key came with (receipts.fingerprint), so the key can't be reused for another change."""
    if key is not None:
        receipts.checked_key(key)
    async with in_transaction():
        locked = await Event.select_for_update().get(id=event.id)
        if key is not None:
            receipt = await receipts.recall(locked, actor, key, fingerprint)
            if receipt is not None:
                return cast(T, json.loads(receipt.answer))
        journal = Journal(locked, actor)
        result = await command(journal)
        if key is not None:
            await receipts.keep(locked, actor, key, fingerprint, result)
    # Published only after commit: a screen never hears of a change that could still roll back.
    for change in journal.changes:
        await hub.publish(event_channel(event.id), change.message())
    return result
