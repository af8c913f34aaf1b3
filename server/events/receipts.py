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
from typing import Any, NamedTuple

from server.db import insert_returning
from server.errors import Invalid, Refused
from server.events.access import Actor
from server.events.changes import Receipt
from server.events.models import Event
from server.language import N_

KEY = re.compile(r"[A-Za-z0-9_-]{8,64}")
LIFETIME = timedelta(hours=48)  # longer than any phone stays offline at an event
# Past this, the oldest go first, even if not yet expired: a bound against a flood of keys,
# far above what people send. A conference of 3,000 keeps some 30,000 in a day (a join, up to
# eight dots, pitches and edits each), and any of them may be retried for two days; a bound of
# 20,000 had a retried vote of 10,000 phones refused as a second dot.
MAX_PER_EVENT = 250_000
PRUNE_EVERY = 1024  # receipts kept between prunings: each walks the event's receipts once


class BadKey(Refused):
    status = 400
    title = N_("Bad request")


def checked_key(key: str) -> str:
    if not KEY.fullmatch(key):
        raise BadKey(
            "The Idempotency-Key must be 8 to 64 letters, digits, '-' or '_'; nothing was changed."
        )
    return key


def fingerprint(method: str, path: str, body: bytes = b"") -> str:
    """What a request asked for, to tell the same write from another one under its key."""
    return hashlib.sha256(b"%s %s\n%s" % (method.encode(), path.encode(), body)).hexdigest()


class Seen(NamedTuple):
    """A key's receipt as a batch holds it: what was asked, and the answer as stored (empty
    for a key kept in this batch, whose answer is in ``Kept._answers``)."""

    fingerprint: str
    answer: str


class Kept:
    """The receipts of one batch's keys: read in one query at its start, the new ones written
    in one at its end, so a storm of keyed votes costs two statements a batch, not two a vote.
    Call with the event row locked."""

    unpruned = 0  # receipts kept by this process since it last pruned

    def __init__(self, event: Event) -> None:
        self._event = event
        self._found: dict[tuple[str, str], Seen] = {}
        self._new: list[dict[str, Any]] = []  # rows, inserted with no model object each
        # Answers kept in this batch, encoded when saved: an appending write's answer has the
        # id of its row only once the batch has inserted it (journal.Appending).
        self._answers: dict[tuple[str, str], Any] = {}

    @classmethod
    async def load(cls, event: Event, asked: list[tuple[Actor, str | None]]) -> Kept:
        kept = cls(event)
        wanted = {(actor.label, key) for actor, key in asked if key is not None}
        if not wanted:
            return kept
        rows = await Receipt.filter(event_id=event.id, key__in=sorted({k for _, k in wanted}))
        old = datetime.now(UTC) - LIFETIME
        expired = [r.id for r in rows if r.at < old]
        if expired:  # gone, so that the key can be kept afresh
            await Receipt.filter(id__in=expired).delete()
        kept._found = {
            (r.actor, r.key): Seen(r.fingerprint, r.answer)
            for r in rows
            if r.at >= old and (r.actor, r.key) in wanted
        }
        return kept

    def recall(self, actor: Actor, key: str, asked: str) -> tuple[bool, Any]:
        """Whether this write was done already, and its answer if so."""
        found = self._found.get((actor.label, key))
        if found is None:
            return False, None
        if found.fingerprint != asked:
            raise Invalid(
                N_(
                    "This Idempotency-Key was already used for a different change, so nothing was "
                    "changed. Send each change with a key of its own."
                )
            )
        if (actor.label, key) in self._answers:  # the same object, filled in with the first
            return True, self._answers[(actor.label, key)]
        return True, json.loads(found.answer)

    def keep(self, actor: Actor, key: str, asked: str, answer: Any) -> None:
        if json.loads(json.dumps(answer)) != answer:
            # A replay must answer exactly as the first time did.
            raise TypeError(f"a keyed command's answer must be plain JSON, not {answer!r}")
        # A copy of this write later in the batch is answered too.
        self._found[(actor.label, key)] = Seen(asked, "")
        self._answers[(actor.label, key)] = answer
        self._new.append(
            {"event_id": self._event.id, "actor": actor.label, "key": key, "fingerprint": asked}
        )

    async def save(self) -> None:
        """Writes the batch's new receipts, in the transaction that made their changes."""
        if not self._new:
            return
        now = datetime.now(UTC)
        for row in self._new:
            row.update(answer=json.dumps(self._answers[(row["actor"], row["key"])]), at=now)
        await insert_returning(Receipt, self._new)
        Kept.unpruned += len(self._new)
        if Kept.unpruned >= PRUNE_EVERY:
            Kept.unpruned = 0
            await prune(self._event)


async def prune(event: Event) -> None:
    """Drops the event's expired receipts, and the oldest past its bound."""
    mine = Receipt.filter(event_id=event.id)
    await mine.filter(at__lt=datetime.now(UTC) - LIFETIME).delete()
    newest_dropped = (
        await mine.order_by("-id").offset(MAX_PER_EVENT).limit(1).values_list("id", flat=True)
    )
    if newest_dropped:
        await mine.filter(id__lte=newest_dropped[0]).delete()
