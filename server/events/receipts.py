"""Receipts of keyed writes: a write sent twice with the same key is done once.

A phone that loses the wifi mid-request can't tell whether its vote arrived, so it sends it
again with the same key. The receipt is looked up and kept inside the command's transaction,
with the event row locked, so two copies racing each other are done once, whichever wins.
Receipts belong to whoever asked: another person's key finds nothing of theirs.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import UTC, datetime, timedelta
from typing import Any

from server.errors import Invalid, Refused
from server.events.access import Actor
from server.events.changes import Receipt
from server.events.models import Event

KEY = re.compile(r"[A-Za-z0-9_-]{8,64}")
LIFETIME = timedelta(hours=48)  # longer than any phone stays offline at an event
MAX_PER_EVENT = 20_000  # past this, the oldest go first, even if not yet expired
PRUNE_EVERY = 64  # receipts kept between prunings, so pruning costs little per write


class BadKey(Refused):
    status = 400
    title = "Bad request"


def checked_key(key: str) -> str:
    if not KEY.fullmatch(key):
        raise BadKey(
            "The Idempotency-Key must be 8 to 64 letters, digits, '-' or '_'; nothing was changed."
        )
    return key


def fingerprint(method: str, path: str, body: bytes = b"") -> str:
    """What a request asked for, to tell the same write from another one under its key."""
    return hashlib.sha256(b"%s %s\n%s" % (method.encode(), path.encode(), body)).hexdigest()


async def recall(event: Event, actor: Actor, key: str, asked: str) -> Receipt | None:
    """The receipt of this write if it was done; call with the event row locked."""
    receipt = await Receipt.get_or_none(event_id=event.id, actor=actor.label, key=key)
    if receipt is None:
        return None
    if receipt.at < datetime.now(UTC) - LIFETIME:
        await receipt.delete()
        return None
    if receipt.fingerprint != asked:
        raise Invalid(
            "This Idempotency-Key was already used for a different change, so nothing was "
            "changed. Send each change with a key of its own."
        )
    return receipt


async def keep(event: Event, actor: Actor, key: str, asked: str, answer: Any) -> None:
    """Keeps the answer, in the transaction that made the change."""
    kept = json.dumps(answer)
    if json.loads(kept) != answer:
        # A replay must answer exactly as the first time did.
        raise TypeError(f"a keyed command's answer must be plain JSON, not {answer!r}")
    receipt = await Receipt.create(
        event_id=event.id, actor=actor.label, key=key, fingerprint=asked, answer=kept
    )
    if receipt.id % PRUNE_EVERY == 0:
        await prune(event)


async def prune(event: Event) -> None:
    """Drops the event's expired receipts, and the oldest past its bound."""
    mine = Receipt.filter(event_id=event.id)
    await mine.filter(at__lt=datetime.now(UTC) - LIFETIME).delete()
    newest_dropped = (
        await mine.order_by("-id").offset(MAX_PER_EVENT).limit(1).values_list("id", flat=True)
    )
    if newest_dropped:
        await mine.filter(id__lte=newest_dropped[0]).delete()
