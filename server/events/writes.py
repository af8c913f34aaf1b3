"""Writes to an event, group committed: the writes that arrive while one transaction commits
are gathered into the next, so a storm of votes costs one commit every few milliseconds rather
than one per vote.

Each batch runs against the event row locked for the whole batch (server/events/batch.py), so
rules such as "voting is open" and "dots left" are checked against what is committed and what
the batch wrote before it, and a write that fails is refused alone and changes nothing. A
writer hears its answer only once the batch has committed: nothing acknowledged is ever lost.
The event's seq moves on under the row lock, so numbers stay gap-free across processes.

Reactions (headcounts and grid checks after votes) run after commit, debounced per event,
outside the lock: they read the committed state, then record what they found as a write of
their own, so they cost a storm one short write a tick rather than a long one per vote. With
several processes, a shared reaction is claimed through the hub, so one process measures for
all at a time: the others stand down when the measurement under way covers their commits.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from server import metrics
from server.db import database, unreachable
from server.events import receipts
from server.events.access import Actor
from server.events.batch import Again, Command, Done, Write, commit
from server.events.changes import Change
from server.events.models import Event

T = TypeVar("T")
Publish = Callable[[int, list[dict[str, Any]]], Awaitable[None]]
# Holds a name for some seconds with a value, for one process of all: None once held, else
# the value of the process holding it (Hub.claim).
Claim = Callable[[str, int, float], Awaitable[int | None]]
BATCH = 200  # writes in one transaction at most, so no writer waits behind a huge batch
ANSWERED_AT_ONCE = 50  # writers woken in one turn of the event loop
# A follow-up's answer when what it measured was overtaken before it could record it: it runs
# again after its delay, and measures afresh.
OVERTAKEN = object()
# A shared follow-up's answer when another process's measurement covers what it would measure.
COVERED = object()

log = logging.getLogger("snug.writes")


@dataclass(eq=False)  # one per kind of follow-up, told apart by identity
class Reaction:
    """Work that follows committed changes of some kinds: ``build`` reads the event as
    committed, outside the lock, and gives the write that records what it found, if any."""

    kinds: frozenset[str]
    build: Callable[[Event], Awaitable[Command[Any] | None]]
    actor: Actor
    delay: float = 0.25  # seconds to gather the changes it follows; at most 4 runs a second
    # Seconds between runs while what it follows keeps coming (a storm of votes), if longer:
    # a lone change is still followed within ``delay``.
    busy_delay: float = 0.0
    # Told the write's answer once it is committed (a webhook delivery is owed: send it), unless
    # it answered OVERTAKEN: then it recorded nothing and runs again.
    done: Callable[[Any], None] | None = None
    # What it records is the same whichever process measures it (headcounts from the
    # database): one process runs it at a time, for every process's commits up to its seq.
    shared: bool = False

    @property
    def name(self) -> str:
        """The same in every process: what its claim is held under."""
        return f"{self.build.__module__}.{self.build.__qualname__}"


@dataclass
class _Pending:
    staff: list[Write[Any]] = field(default_factory=list)
    writes: list[Write[Any]] = field(default_factory=list)
    committer: asyncio.Task[None] | None = None

    def __bool__(self) -> bool:
        return bool(self.staff or self.writes)

    def next_batch(self) -> list[Write[Any]]:
        """The next writes to commit: the staff's first, so that a facilitator's draft or an
        organiser's "voting closes" doesn't wait behind two thousand votes."""
        batch, self.staff = self.staff[:BATCH], self.staff[BATCH:]
        room = BATCH - len(batch)
        batch += self.writes[:room]
        self.writes = self.writes[room:]
        return batch


class Writes:
    """One per process: each event's queue of writes and its committer."""

    def __init__(self, publish: Publish, claim: Claim | None = None) -> None:
        self._publish, self._claim = publish, claim
        self._events: dict[int, _Pending] = {}
        self._reactions: list[Reaction] = []
        self._following: dict[tuple[int, Reaction], asyncio.Task[None]] = {}
        self._again: set[tuple[int, Reaction]] = set()
        # The latest seq of this process's commits each shared follow-up owes a measurement.
        self._owed: dict[tuple[int, Reaction], int] = {}
        self._answering: set[asyncio.Task[None]] = set()

    def react(self, reaction: Reaction) -> None:
        self._reactions.append(reaction)

    def soon(self, event_id: int, reaction: Reaction) -> None:
        """Runs the reaction for the event after its delay, once for every call made in the
        meantime: for what follows a change committed outside the event's writes (a
        session's notes, server/actions/sync.py)."""
        self._follow(event_id, reaction)

    async def run(
        self,
        event: Event,
        actor: Actor,
        command: Command[T],
        *,
        key: str | None = None,
        fingerprint: str = "",
    ) -> T:
        """The command's answer once it is committed. With a ``key`` (an Idempotency-Key) it
        is done at most once for this actor: a repeat answers what the first did."""
        if key is not None:
            receipts.checked_key(key)
        write = Write(actor, command, key, fingerprint, asyncio.get_running_loop().create_future())
        pending = self._events.get(event.id)
        if pending is None:
            pending = self._events[event.id] = _Pending()
        (pending.staff if actor.is_staff else pending.writes).append(write)
        metrics.writes_waiting.inc()
        if pending.committer is None:
            pending.committer = asyncio.create_task(self._commit_all(event.id, pending))
        # Shielded: a writer who stops waiting (the phone went away) doesn't undo the write.
        return await asyncio.shield(write.answer)

    async def idle(self) -> None:
        """Returns once every write and follow-up under way is done."""
        while True:
            busy = [*self._following.values(), *self._answering]
            busy += [p.committer for p in self._events.values() if p.committer is not None]
            if not busy:
                return
            await asyncio.gather(*busy, return_exceptions=True)

    async def close(self) -> None:
        """Lets the writes under way commit and answer; drops follow-ups not yet run (what
        they would record is worked out afresh by every snapshot)."""
        for task in list(self._following.values()):
            task.cancel()
        await asyncio.gather(*self._following.values(), return_exceptions=True)
        committers = [p.committer for p in self._events.values() if p.committer is not None]
        await asyncio.gather(*committers, return_exceptions=True)
        await asyncio.gather(*self._answering, return_exceptions=True)

    async def _commit_all(self, event_id: int, pending: _Pending) -> None:
        try:
            while pending:
                batch: list[Write[Any]] = []
                try:
                    done = await self._commit(event_id, pending, batch)
                finally:
                    metrics.writes_waiting.dec(len(batch))
                self._follow_ups(event_id, done.changes)
                self._answer(done)
                if done.changes:
                    await self._published(event_id, done.changes)
        finally:
            pending.committer = None
            if not pending:
                del self._events[event_id]

    async def _commit(self, event_id: int, pending: _Pending, batch: list[Write[Any]]) -> Done:
        """Commits the next batch of the pending writes, taken into ``batch`` once the event
        is locked, or tells each of its writers the error and gives nothing done."""

        def take() -> list[Write[Any]]:
            if not batch:  # once: a batch done again, alone, is the same batch
                batch.extend(pending.next_batch())
            return batch

        try:
            try:
                done = await commit(event_id, take, alone=False)
            except Again:
                done = await commit(event_id, take, alone=True)
        except BaseException as exc:
            for write in take():
                if not write.answer.done():
                    write.answer.set_exception(exc)
            if not isinstance(exc, Exception):
                raise
            return Done()
        metrics.write_batch.observe(len(batch))
        return done

    def _follow_ups(self, event_id: int, changes: list[Change]) -> None:
        # Registered before the writers hear their answers, so whoever saw an answer can also
        # see that a follow-up is on its way.
        for reaction in self._reactions:
            seqs = [change.seq for change in changes if change.kind in reaction.kinds]
            if seqs:
                key = (event_id, reaction)
                self._owed[key] = max(self._owed.get(key, -1), *seqs)
                self._follow(event_id, reaction)

    async def _published(self, event_id: int, changes: list[Change]) -> None:
        # Published only after commit: a screen never hears of a change that could roll back.
        # This event's next batch waits for it, so batches reach the hub in seq order.
        try:
            await self._publish(event_id, [change.message() for change in changes])
        except Exception:  # the hub tells its screens to resync itself; the writes stand
            log.exception("publishing changes of event %s failed", event_id)

    def _answer(self, done: Done) -> None:
        """Tells the batch's writers their answers, a part a turn of the event loop: each
        writer woken sends its response in that turn, and two hundred at once would hold every
        socket of the process as long. Told in a task of its own, so the next batch is not
        held back while they are."""
        first, rest = done.answers[:ANSWERED_AT_ONCE], done.answers[ANSWERED_AT_ONCE:]
        _told(first)
        if rest:
            task = asyncio.create_task(_tell_in_parts(rest))
            self._answering.add(task)
            task.add_done_callback(self._answering.discard)

    def _follow(self, event_id: int, reaction: Reaction) -> None:
        key = (event_id, reaction)
        if key in self._following:
            self._again.add(key)  # it runs once more after the run under way
            return
        task = asyncio.create_task(self._follow_up(event_id, key, reaction))
        self._following[key] = task
        metrics.follow_ups_waiting.inc()

    async def _follow_up(
        self, event_id: int, key: tuple[int, Reaction], reaction: Reaction
    ) -> None:
        delay = reaction.delay
        try:
            while True:
                self._again.discard(key)
                await asyncio.sleep(delay)
                if await self.now(event_id, reaction) is OVERTAKEN:
                    self._again.add(key)
                if key not in self._again:
                    return
                delay = max(reaction.delay, reaction.busy_delay)
        finally:
            if self._following.pop(key, None) is not None:
                metrics.follow_ups_waiting.dec()
            self._again.discard(key)
            self._owed.pop(key, None)

    async def _elsewhere(self, event: Event, reaction: Reaction) -> object | None:
        """None when this process measures: the reaction isn't shared, there is one process,
        or this one claimed it. Else another process is measuring, as of the seq it claimed
        with: COVERED when that covers every commit this process owes the reaction, else
        OVERTAKEN (this one measures after it)."""
        if not reaction.shared or self._claim is None:
            return None
        # Held a little less than the wait between runs, so a process's next run finds its
        # own claim gone.
        seconds = 0.9 * max(reaction.delay, reaction.busy_delay)
        held = await self._claim(f"{reaction.name}:{event.id}", event.seq, seconds)
        if held is None:
            return None
        return COVERED if held >= self._owed.get((event.id, reaction), -1) else OVERTAKEN

    async def now(self, event_id: int, reaction: Reaction) -> object:
        """Runs the reaction for the event at once (its delay is for gathering; this is for a
        process stopping with some still gathered); what its write answered, if it made one."""
        try:
            event = await Event.get_or_none(id=event_id)
            elsewhere = None if event is None else await self._elsewhere(event, reaction)
            if elsewhere is not None:
                return elsewhere
            command = None if event is None else await reaction.build(event)
            if event is not None and command is not None:
                answer = await self.run(event, reaction.actor, command)
                database.reached()
                if reaction.done is not None and answer is not OVERTAKEN:
                    reaction.done(answer)
                return answer
        except Exception as exc:
            # What it follows is committed; the next change it follows tries again.
            if unreachable(exc):
                database.lost()  # said once for the whole outage
            else:
                log.exception("following up changes of event %s failed", event_id)
        return None


def _told(answers: list[tuple[Write[Any], Any]]) -> None:
    for write, answer in answers:
        if not write.answer.done():
            write.answer.set_result(answer)


async def _tell_in_parts(answers: list[tuple[Write[Any], Any]]) -> None:
    try:
        for start in range(0, len(answers), ANSWERED_AT_ONCE):
            await asyncio.sleep(0)
            _told(answers[start : start + ANSWERED_AT_ONCE])
    finally:  # stopped (the server shutting down): what is committed is answered all the same
        _told(answers)
