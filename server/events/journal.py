"""Appending to an event's change log inside the transaction that makes the change."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from typing import Any, Generic, TypeVar, cast

from server.events.access import Actor
from server.events.changes import Change
from server.events.models import Event

T = TypeVar("T")

# Writes rows that writes of a batch left for later (Shared.later), all in one statement.
Insert = Callable[[list[Any]], Awaitable[None]]
# Works out a tally's data for some ids (vote counts of some pitches) from what is written.
Measure = Callable[[Event, list[int]], Awaitable[dict[str, Any]]]


class Shared:
    """Reads the writes of one batch share, so a storm of votes reads the event's pitches and
    its voters' dots once a batch rather than once a vote. A write that uses one keeps it true
    and says so (``Journal.kept_shared``); after any other write the batch forgets them all
    (server/events/batch.py), so a merge or a hide between two votes is never missed."""

    def __init__(self, actors: list[Actor]) -> None:
        self.actors = actors  # the batch's writers, whose rows a read may fetch at once
        self._reads: dict[str, Any] = {}
        self._waiting: dict[str, tuple[Insert, list[Any]]] = {}

    async def get(self, name: str, read: Callable[[], Awaitable[T]]) -> T:
        if name not in self._reads:
            self._reads[name] = await read()
        return cast(T, self._reads[name])

    def later(self, name: str, insert: Insert) -> list[Any]:
        """A list of rows that ``insert`` writes in one statement once the batch's appending
        writes are done (see Appending): a storm's dots cost one insert a batch, not one a vote,
        and each a turn of the event loop, which a storm makes slow."""
        return self._waiting.setdefault(name, (insert, []))[1]

    async def insert_waiting(self) -> None:
        waiting, self._waiting = self._waiting, {}
        for insert, rows in waiting.values():
            await insert(rows)

    def forget(self) -> None:
        self._reads.clear()

    def drop_waiting(self) -> None:
        """Drops the rows of a write that failed before they were inserted."""
        self._waiting.clear()


class Appending(Generic[T]):
    """A command that reads nothing but the batch's shared reads and writes nothing but rows
    it leaves for later (Shared.later), so it may run before the rows of the appending writes
    ahead of it are inserted. Any other command sees them inserted first (batch.py)."""

    def __init__(self, command: Callable[[Journal], Awaitable[T]]) -> None:
        self._command = command

    async def __call__(self, journal: Journal) -> T:
        return await self._command(journal)


class Journal:
    """Collects the Changes one command records, for the transport to publish after commit."""

    def __init__(self, event: Event, actor: Actor, shared: Shared | None = None) -> None:
        self.event = event
        self.actor = actor
        self.shared = Shared([actor]) if shared is None else shared
        self.shared_kept = False
        self.changes: list[Change] = []
        self.tallies: dict[str, tuple[Measure, set[int]]] = {}

    def kept_shared(self) -> None:
        """Says this write kept the batch's shared reads true of what it wrote."""
        self.shared_kept = True

    def tally(self, kind: str, ids: Iterable[int], measure: Measure) -> None:
        """Asks for a tally of these ids (the counts of the pitches a vote touched) to be
        recorded once for the whole batch, after its writes: tallies are absolute and nobody
        sees a batch until it commits, so a storm of votes costs one count per batch, not one
        per vote."""
        self.tallies.setdefault(kind, (measure, set()))[1].update(ids)

    async def record(self, kind: str, data: dict[str, Any], *, anonymous: bool = False) -> Change:
        """``anonymous``: the log says only the asker's role, not who (feedback on a session)."""
        # The event row is locked for the whole batch (server/events/writes.py), so the next
        # number is this copy's seq plus one; the batch stores the last when its writes are done.
        self.event.seq += 1
        change = await Change.create(
            event=self.event,
            seq=self.event.seq,
            kind=kind,
            data=data,
            actor=self.actor.role.name if anonymous else self.actor.label,
        )
        self.changes.append(change)
        return change


async def changes_since(event: Event, seq: int, limit: int) -> list[Change] | None:
    """The changes after seq, or None when there are too many to be worth replaying."""
    if event.seq - seq > limit:
        return None
    return await Change.filter(event=event, seq__gt=seq).order_by("seq")
