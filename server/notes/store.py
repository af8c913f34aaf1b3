"""Keeping notes durable: every acknowledged update is in the database before it is acknowledged.

A document is its compacted ``state`` merged with every later ``NotesUpdate``. Each process
keeps recently used documents decoded in memory and brings them up to date from the database
under the notes row's lock, so several processes can write the same notes.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from tortoise.transactions import in_transaction

from server.events.access import Actor
from server.events.models import Attendee, Event
from server.marketplace.models import Pitch
from server.notes import document
from server.notes.document import Document, NotesContent
from server.notes.models import Contributor, Notes, NotesUpdate, NotesVersion

COMPACT_AFTER = 100  # updates stored one by one before they are merged into the state
SAVE_VERSION_AFTER = timedelta(minutes=2)  # a pause this long starts a new version in history
CACHED_DOCUMENTS = 128
EMPTY_UPDATE = b"\x00\x00"  # what Yjs sends when it has nothing to add


@dataclass
class _Cached:
    doc: Document
    last_id: int  # the newest update merged into doc


_cache: OrderedDict[int, _Cached] = OrderedDict()
_locks: dict[int, tuple[asyncio.Lock, int]] = {}  # the lock, and how many hold or wait for it


@dataclass(frozen=True)
class Edited:
    """An accepted change: the update to pass on to every other open copy, and the result."""

    notes: Notes
    update: bytes
    content: NotesContent
    new_contributor: bool = False  # someone wrote in these notes for the first time
    actions_changed: bool = False  # the action board follows (server/actions/sync.py)


async def notes_of(pitch: Pitch) -> Notes:
    notes = await Notes.get_or_none(pitch_id=pitch.id)
    if notes is None:
        empty = document.diff(document.load(), None)
        notes, _ = await Notes.get_or_create(
            pitch_id=pitch.id, defaults={"event_id": pitch.event_id, "state": empty}
        )
    return notes


@asynccontextmanager
async def _locked(notes_id: int) -> AsyncIterator[Notes]:
    """The notes row, locked in this process and in the database, inside a transaction.

    Everything that reads or changes a document goes through here, so a compaction by
    another process can never fall between reading the state and reading later updates.
    """
    lock, users = _locks.get(notes_id, (asyncio.Lock(), 0))
    _locks[notes_id] = (lock, users + 1)
    try:
        async with lock, in_transaction():
            yield await Notes.select_for_update().get(id=notes_id)
    finally:
        lock, users = _locks[notes_id]
        if users == 1:
            del _locks[notes_id]
        else:
            _locks[notes_id] = (lock, users - 1)


async def catch_up(notes: Notes, state_vector: bytes | None) -> tuple[bytes, bytes]:
    """What a phone holding ``state_vector`` lacks, and the server's state vector, both as
    committed: read under the lock, so no change that may yet be refused slips in."""
    async with _locked(notes.id) as locked:
        doc = (await _up_to_date(locked)).doc
        return document.diff(doc, state_vector), document.state_vector(doc)


async def document_now(notes: Notes) -> Document:
    """A copy of the document as committed now, for reading (the archive)."""
    async with _locked(notes.id) as locked:
        return document.load(document.diff((await _up_to_date(locked)).doc, None))


async def write(
    notes: Notes,
    actor: Actor,
    change: Callable[[Document], object] | bytes,
    *,
    guard: Callable[[Notes], None] = lambda _notes: None,
    keep_as: str | None = None,
    now: datetime | None = None,
) -> Edited:
    """Applies a change under the notes row lock and stores it before returning.

    ``change`` is an update from a phone, or a function that edits the document and returns
    its update. ``guard`` sees the locked row first and raises to refuse (final notes).
    ``keep_as`` first saves the notes as they stand as a version with that reason.
    A refused or failed change leaves the database and this process's copy as they were.
    """
    now = now or datetime.now(UTC)
    try:
        async with _locked(notes.id) as locked:
            guard(locked)
            before = NotesContent.from_json(locked.content)
            if keep_as and not before.empty:
                await save_version(locked, before, keep_as)
            cached = await _up_to_date(locked)
            doc, state = cached.doc, document.state_vector(cached.doc)
            if callable(change):
                change(doc)
            else:
                await asyncio.to_thread(document.apply_sent, doc, change)
            document.name_actions(doc)
            # What is kept and passed on is what the change added to the document, not the
            # bytes sent: a phone can send bytes that decode to nothing of use.
            update = document.diff(doc, state)
            document.check_size(update)
            content = document.read(doc)
            document.check(content)
            new_contributor = False
            # Yjs repeats what it knows of deletions in every update, so an update that brings
            # nothing new is seen by what it changed, not by its bytes.
            if document.state_vector(doc) == state and content == before:
                update = EMPTY_UPDATE
            else:
                version_due = not keep_as  # a version was just kept; one is enough
                new_contributor = await _store(
                    locked, cached, update, content, actor.attendee, now, version_due
                )
    except BaseException:
        # The copy may hold a change that was refused, or whose commit failed: rebuild it.
        _cache.pop(notes.id, None)
        raise
    actions_changed = [a.as_json() for a in content.actions] != before.as_json()["actions"]
    return Edited(locked, update, content, new_contributor, actions_changed)


async def _store(
    notes: Notes,
    cached: _Cached,
    update: bytes,
    content: NotesContent,
    attendee: Attendee | None,
    now: datetime,
    version_due: bool,
) -> bool:
    """Stores the update; says whether its writer is new to these notes."""
    before = NotesContent.from_json(notes.content)
    if version_due and not before.empty and now - notes.updated_at >= SAVE_VERSION_AFTER:
        await save_version(notes, before, "saved")
    row = await NotesUpdate.create(notes_id=notes.id, data=update, attendee=attendee)
    cached.last_id = row.id
    notes.content, notes.chars, notes.updated_at = content.as_json(), content.chars, now
    await Notes.filter(id=notes.id).update(content=notes.content, chars=notes.chars, updated_at=now)
    created = False
    if attendee is not None:
        created = await _wrote(notes, attendee)
    if await NotesUpdate.filter(notes_id=notes.id).count() > COMPACT_AFTER:
        await _compact(notes, cached.doc, row.id)
    return created


async def _wrote(notes: Notes, attendee: Attendee) -> bool:
    """Records the attendee as a contributor; says whether this is their first writing."""
    row, created = await Contributor.get_or_create(notes_id=notes.id, attendee_id=attendee.id)
    if not created and not row.wrote:
        await Contributor.filter(id=row.id).update(wrote=True)
        return True
    return created


async def compact(notes: Notes) -> None:
    """Merges every stored update into the state now: the document keeps what it says, and
    what was deleted from it (a name, on erasure) is no longer in any earlier update."""
    async with _locked(notes.id) as locked:
        cached = await _up_to_date(locked)
        await _compact(locked, cached.doc, cached.last_id)


async def _compact(notes: Notes, doc: Document, through: int) -> None:
    state = document.diff(doc, None)
    await Notes.filter(id=notes.id).update(state=state, compacted_to=through)
    await NotesUpdate.filter(notes_id=notes.id, id__lte=through).delete()
    notes.state, notes.compacted_to = state, through


async def save_version(notes: Notes, content: NotesContent, reason: str) -> NotesVersion:
    return await NotesVersion.create(
        notes_id=notes.id, content=content.as_json(), chars=content.chars, reason=reason
    )


async def _up_to_date(notes: Notes) -> _Cached:
    """This process's copy of the document, brought up to date; call with the row locked."""
    cached = _cache.get(notes.id)
    if cached is None or cached.last_id < notes.compacted_to:
        cached = _Cached(document.load(bytes(notes.state)), notes.compacted_to)
    newer = await NotesUpdate.filter(notes_id=notes.id, id__gt=cached.last_id).values_list(
        "id", "data"
    )
    for update_id, data in newer:
        document.apply(cached.doc, bytes(data))
        cached.last_id = update_id
    _cache[notes.id] = cached
    _cache.move_to_end(notes.id)
    while len(_cache) > CACHED_DOCUMENTS:
        _cache.popitem(last=False)
    return cached


def forget_cached() -> None:
    """Drops every decoded document (tests switch databases within one process)."""
    _cache.clear()


async def notes_in(event: Event) -> dict[int, Notes]:
    """Every session's notes in the event, by pitch id."""
    return {n.pitch_id: n for n in await Notes.filter(event_id=event.id)}
