"""Who may read and write a session's notes, and the things people do to them.

Attendees and staff read and write; the public reads only once the proceedings are published.
The session's host and the facilitators can mark notes final, which stops edits until reopened.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from server.errors import Conflict, Forbidden, NotFound
from server.events.access import Actor, Role
from server.events.models import Attendee, Event
from server.language import N_
from server.marketplace.models import Pitch
from server.notes import document, merging, store
from server.notes.document import NotesContent
from server.notes.models import Contributor, Notes, NotesVersion
from server.notes.store import Edited


@dataclass(frozen=True)
class Session:
    """A session whose notes someone has opened."""

    event: Event
    pitch: Pitch
    notes: Notes


async def open_notes(event: Event, pitch_id: int, actor: Actor) -> Session:
    pitch = await Pitch.get_or_none(id=pitch_id, event_id=event.id, hidden=False)
    if pitch is None:
        raise NotFound(N_("This event has no such session; it may have been removed or merged."))
    if actor.role < Role.attendee and not event.proceedings_published:
        raise Forbidden(
            N_(
                "Session notes are for the people at the event until the organisers publish the "
                "proceedings. Join the event on this device to read and write them."
            )
        )
    return Session(event, pitch, await store.notes_of(pitch))


def may_write(actor: Actor) -> None:
    actor.require(Role.attendee)


def not_final(notes: Notes) -> None:
    if notes.final:
        raise Conflict(
            N_(
                "These notes are marked final, so they can't be changed. The session's host or a "
                "facilitator can reopen them."
            )
        )


async def edit(session: Session, actor: Actor, update: bytes) -> Edited:
    may_write(actor)
    return await store.write(session.notes, actor, update, guard=not_final)


@dataclass(frozen=True)
class Saved:
    """Texts sent whole from a page: the change made, whether others had changed the notes
    since the page was drawn (so the texts were merged), and in how many places both sides
    changed the same words and both were kept."""

    edited: Edited
    merged: bool
    kept_both: int


async def save_texts(
    session: Session, actor: Actor, base: dict[str, str], sent: dict[str, str]
) -> Saved:
    """Saves the text parts as sent from a page drawn when they said ``base``: only what the
    sender changed is changed, so what others typed since stays (server/notes/merging.py)."""
    may_write(actor)
    chars = sum(len(sent[part]) for part in document.PARTS)
    if chars > document.MAX_CHARS:
        # Refused before any merging: the work grows with the text.
        document.check(NotesContent(sent["summary"], sent["discussion"], sent["outcomes"]))
    results: list[merging.Merged] = []
    edited = await store.write(
        session.notes,
        actor,
        lambda doc: results.extend(document.write_texts(doc, base, sent)),
        guard=not_final,
    )
    merged = any(r.others_changed for r in results)
    return Saved(edited, merged, sum(r.kept_both for r in results))


async def add_action(session: Session, actor: Actor, action: document.Action) -> Edited:
    """Adds an action sent from a page without script; the same action sent twice (a double
    tap) is added once."""
    may_write(actor)

    def add(doc: document.Document) -> None:
        if action not in document.read(doc).actions:
            document.add_action(doc, action)

    return await store.write(session.notes, actor, add, guard=not_final)


async def restore(session: Session, actor: Actor, version_id: int) -> Edited:
    """Brings back an earlier version as a new edit, keeping what is there now in history."""
    may_write(actor)
    earlier = await version(session, version_id)
    old = NotesContent.from_json(earlier.content)
    return await store.write(
        session.notes,
        actor,
        lambda doc: document.write(doc, old),
        guard=not_final,
        keep_as="before restore",
    )


async def mark_final(session: Session, actor: Actor, final: bool) -> Notes:
    is_host = actor.attendee is not None and actor.attendee.id == session.pitch.author_id
    if not (actor.is_staff or is_host):
        raise Forbidden(N_("Only the session's host and the facilitators can mark notes final."))
    notes = await Notes.get(id=session.notes.id)
    if final and not notes.final:
        await store.save_version(notes, NotesContent.from_json(notes.content), "final")
    notes.final = final
    notes.final_at = datetime.now(UTC) if final else None
    await Notes.filter(id=notes.id).update(final=final, final_at=notes.final_at)
    return notes


async def set_credit(session: Session, actor: Actor, named: bool) -> None:
    attendee = actor.as_attendee()
    # Saying it before writing is fine: the choice waits for the first words.
    row, created = await Contributor.get_or_create(
        defaults={"named": named, "wrote": False},
        notes_id=session.notes.id,
        attendee_id=attendee.id,
    )
    if not created:
        await Contributor.filter(id=row.id).update(named=named)


async def is_named(session: Session, attendee: Attendee) -> bool:
    row = await Contributor.get_or_none(notes_id=session.notes.id, attendee_id=attendee.id)
    return row is not None and row.named


@dataclass(frozen=True)
class Credits:
    """Who wrote the notes: the names of those who asked to be named, and how many others."""

    named: tuple[str, ...]
    anonymous: int

    def as_json(self) -> dict[str, object]:
        return {"named": list(self.named), "anonymous": self.anonymous}


async def credits(notes: Notes) -> Credits:
    rows = await Contributor.filter(notes_id=notes.id, wrote=True).prefetch_related("attendee")
    named = tuple(c.attendee.name for c in rows if c.named and c.attendee.name)
    return Credits(named, len(rows) - len(named))


async def versions(session: Session) -> list[NotesVersion]:
    return await NotesVersion.filter(notes_id=session.notes.id)


async def version(session: Session, version_id: int) -> NotesVersion:
    version = await NotesVersion.get_or_none(id=version_id, notes_id=session.notes.id)
    if version is None:
        raise NotFound(N_("These notes have no such earlier version."))
    return version
