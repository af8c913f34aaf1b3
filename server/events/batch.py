"""One batch of writes to an event, in one transaction with the event row locked.

Each statement costs a turn of the event loop, and in a storm a turn is slow, so the batch
takes few: the receipts of its keys are read in one query and kept in one, tallies are counted
once at its end, the dots its votes place are inserted in one statement (journal.Appending), and
its writes run one after another with no savepoint around each. If one
fails, the whole batch is rolled back and done again with each write in a savepoint of its
own, so that only the failed one is refused and changes nothing.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from tortoise.transactions import in_transaction

from server.db import unreachable
from server.events import receipts
from server.events.access import Actor
from server.events.changes import Change
from server.events.journal import Appending, Journal, Measure, Shared
from server.events.models import Event

T = TypeVar("T")
Command = Callable[[Journal], Awaitable[T]]


@dataclass
class Write(Generic[T]):
    """A command waiting for its batch, and the future its writer awaits."""

    actor: Actor
    command: Command[T]
    key: str | None
    fingerprint: str
    answer: asyncio.Future[T]


class Again(Exception):
    """A write failed in a batch without savepoints: do the batch again, with them."""


@dataclass
class Done:
    """What a committed batch answers and what it changed."""

    answers: list[tuple[Write[Any], Any]] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)


async def commit(event_id: int, take: Callable[[], list[Write[Any]]], *, alone: bool) -> Done:
    """The batch ``take`` gives, in one transaction. With ``alone`` each write has a savepoint
    of its own and a failed one is told so here; without, any failure raises Again and nothing
    is kept."""
    done, journals = Done(), []
    async with in_transaction():
        locked = await Event.select_for_update().get(id=event_id)
        # Taken only once the row is ours: with several processes a batch waits for the lock
        # about as long as it then holds it, and the writes that came meanwhile ride in it
        # rather than wait for the next.
        batch = take()
        kept = await receipts.Kept.load(locked, [(w.actor, w.key) for w in batch if w.key])
        shared = Shared([w.actor for w in batch])
        for write in batch:
            run = _alone if alone else _together
            ran = await run(locked, kept, shared, write)
            if ran is not None:
                done.answers.append((write, ran[0]))
                journals.append(ran[1])
        await shared.insert_waiting()
        done.changes = [c for journal in journals for c in journal.changes]
        done.changes += await _tallies(locked, journals)
        if done.changes:  # once for the batch: the lock keeps every number ours till commit
            await Event.filter(id=event_id).update(seq=locked.seq)
        await kept.save()
    return done


async def _together(
    locked: Event, kept: receipts.Kept, shared: Shared, write: Write[Any]
) -> tuple[Any, Journal] | None:
    try:
        return await _do(locked, kept, shared, write, alone=False)
    except Exception as exc:
        if unreachable(exc):
            raise
        raise Again from exc


async def _alone(
    locked: Event, kept: receipts.Kept, shared: Shared, write: Write[Any]
) -> tuple[Any, Journal] | None:
    """One write in a savepoint of the batch; None when it failed (and changed nothing)."""
    seq = locked.seq  # the batch's numbers so far, stored only at its end
    try:
        async with in_transaction():
            return await _do(locked, kept, shared, write, alone=True)
    except Exception as exc:
        if unreachable(exc):
            raise  # the whole batch is lost, and every writer in it is told
        write.answer.set_exception(exc)
        shared.forget()  # it may have kept them true of what its savepoint took back
        shared.drop_waiting()
        await locked.refresh_from_db()  # forget what the failed write did to the row in memory
        locked.seq = seq
        return None


async def _do(
    locked: Event, kept: receipts.Kept, shared: Shared, write: Write[Any], *, alone: bool
) -> tuple[Any, Journal]:
    journal = Journal(locked, write.actor, shared)
    if write.key is not None:
        found, answer = kept.recall(write.actor, write.key, write.fingerprint)
        if found:
            return answer, journal
    if not isinstance(write.command, Appending):
        await shared.insert_waiting()  # what it reads includes the rows written before it
    result = await write.command(journal)
    if alone:  # in its own savepoint, so that a row that can't be inserted refuses its write
        await shared.insert_waiting()
    if not journal.shared_kept:
        shared.forget()
    if write.key is not None:
        kept.keep(write.actor, write.key, write.fingerprint, result)
    return result, journal


async def _tallies(locked: Event, journals: list[Journal]) -> list[Change]:
    """The tallies the batch's writes asked for, each recorded once, after them all, by the
    last writer who asked (so a lone vote is still its voter's)."""
    asked: dict[str, tuple[Journal, Measure, set[int]]] = {}
    for journal in journals:
        for kind, (measure, ids) in journal.tallies.items():
            asked[kind] = (journal, measure, ids | (asked[kind][2] if kind in asked else set()))
    changes = []
    for kind, (journal, measure, ids) in asked.items():
        changes.append(await journal.record(kind, await measure(locked, sorted(ids))))
    return changes
