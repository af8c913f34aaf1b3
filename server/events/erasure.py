"""Erasing attendees' personal data after the event, keeping the anonymised write-ups.

What goes: every attendee's name and device token (their links, phones and personal calendar
feeds stop working), the link from notes edits and photos to whoever made them, every
contributor's wish to be named, the hosts' names typed on pitches, and the change journal,
whose entries carry those names (pitch views, grid checks that name a busy host) and who did
what and when.
What stays: each attendee as a nameless number, so votes, agendas, headcounts, seats and
the count of anonymous contributors still add up; the pitches, the grid, the notes and their
history, and the proceedings.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from tortoise.expressions import F

from server.errors import Invalid
from server.events.access import Role
from server.events.models import Attendee, Event
from server.events.views import event_view
from server.live.journal import Journal
from server.live.models import Change
from server.marketplace.models import Pitch
from server.notes.models import Contributor, Notes, NotesUpdate, Photo

# Moving an event's change number on by more than the live socket replays (its REPLAY_LIMIT)
# makes every screen that knew the event before take a fresh snapshot rather than replay
# changes that are gone (erasure) or that another server numbered (import).
SNAPSHOT_JUMP = 1000
# Starts an erased attendee's token: no secret hashes to it (hashes are hex digits), and the
# random rest keeps tokens unique, as the column must be.
ERASED = "erased:"


@dataclass(frozen=True)
class PersonalData:
    """What the organiser is told before erasing, and after."""

    attendees: int
    named: int
    hosts: int
    erased_at: datetime | None

    def as_json(self) -> dict[str, Any]:
        return {
            "attendees": self.attendees,
            "named": self.named,
            "hosts": self.hosts,
            "erased_at": self.erased_at.isoformat() if self.erased_at else None,
        }


async def personal_data(event: Event) -> PersonalData:
    attendees = Attendee.filter(event_id=event.id)
    return PersonalData(
        attendees=await attendees.count(),
        named=await attendees.exclude(name="").count(),
        hosts=await Pitch.filter(event_id=event.id).exclude(host="").count(),
        erased_at=event.personal_data_erased_at,
    )


async def erase_personal_data(journal: Journal, confirm: str, public_url: str) -> PersonalData:
    """Erases in the command's transaction; asking again erases whatever came since."""
    journal.actor.require(Role.organiser)
    event = journal.event
    if confirm.strip() != event.slug:
        raise Invalid(
            f"To erase personal data, type this event's address, {event.slug}, exactly as "
            "shown. Nothing was erased."
        )
    await _forget_attendees(event)
    await Pitch.filter(event_id=event.id).exclude(host="").update(host="")
    await Change.filter(event_id=event.id).delete()
    event.personal_data_erased_at = datetime.now(UTC)
    await Event.filter(id=event.id).update(
        personal_data_erased_at=event.personal_data_erased_at, seq=F("seq") + SNAPSHOT_JUMP
    )
    # Screens missed the numbers jumped over, so each asks to catch up and gets a snapshot.
    await journal.record("event.updated", {"event": event_view(event, public_url)})
    return await personal_data(event)


async def _forget_attendees(event: Event) -> None:
    attendees = Attendee.filter(event_id=event.id)
    await attendees.exclude(name="").update(name="")
    await attendees.filter(feed_key__isnull=False).update(feed_salt=None, feed_key=None)
    for attendee_id in await attendees.exclude(token__startswith=ERASED).values_list(
        "id", flat=True
    ):
        token = f"{ERASED}{secrets.token_hex(24)}"
        await Attendee.filter(id=attendee_id).update(token=token)
    notes = await Notes.filter(event_id=event.id).values_list("id", flat=True)
    await NotesUpdate.filter(notes_id__in=notes).update(attendee_id=None)
    await Photo.filter(notes_id__in=notes).update(attendee_id=None)
    await Contributor.filter(notes_id__in=notes).update(named=False)
