"""Erasing attendees' personal data after the event, keeping the anonymised write-ups.

What goes: every attendee's name and device token (their links, phones and personal calendar
feeds stop working), the link from notes edits and photos to whoever made them, every
contributor's wish to be named, the hosts' names typed on pitches, the markers saying who gave
feedback on which session (the feedback itself was never theirs by name), the email addresses
action owners gave for reminders, and the change journal and
the receipts of keyed writes, whose entries carry those names (pitch views, grid checks that
name a busy host) and who did what and when. Wherever people typed one of those names (notes,
action owners, photo captions, saved versions, pitches, the grid's undo steps, comments on
sessions), it becomes "a
participant": the write-ups keep the words, not the person. The notes' stored history of edits
is merged into the notes as they now stand, so no earlier edit still holds a name.
What stays: each attendee as a nameless number, so votes, agendas, headcounts, seats, the
count of anonymous contributors and the organiser's report (first-timers too: an answer kept
with a nameless number says nothing of anyone) still add up; the pitches, the grid, the
notes and their saved versions, and the proceedings.
"""

from __future__ import annotations

import logging
import re
import secrets
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from tortoise import Tortoise, fields
from tortoise.models import Model

from server.actions.models import ActionItem
from server.errors import Invalid
from server.events.access import Actor, Role
from server.events.changes import Change, Receipt
from server.events.journal import Journal
from server.events.models import Attendee, Event
from server.events.views import event_view
from server.feedback.models import Feedback, FeedbackGiven
from server.grid.models import GridStep
from server.language import N_
from server.limits import SNAPSHOT_JUMP
from server.marketplace.models import Pitch
from server.notes import document, store
from server.notes.document import NotesContent, PhotoRef
from server.notes.models import Contributor, Notes, NotesUpdate, NotesVersion, Photo
from server.webhooks.models import WebhookDelivery

# Starts an erased attendee's token: no secret hashes to it (hashes are hex digits), and the
# random rest keeps tokens unique, as the column must be.
ERASED = "erased:"
log = logging.getLogger("snug.erasure")
PSEUDONYM = "a participant"
WORD = re.compile(r"\w+")
# The tables erasure rewrites, whose old rows PostgreSQL keeps until VACUUM.
TOUCHED = (
    "attendee",
    "pitch",
    "change",
    "grid_step",
    "notes",
    "notes_update",
    "notes_version",
    "notes_photo",
    "notes_contributor",
    "action_item",
    "feedback",
    "feedback_given",
)


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
            N_(
                "To erase personal data, type this event's address, %(slug)s, exactly as "
                "shown. Nothing was erased."
            ),
            values={"slug": event.slug},
        )
    names = Names(await _names(event))
    await _forget_attendees(event)
    await Pitch.filter(event_id=event.id).exclude(host="").update(host="")
    await _pseudonymise(event, names, journal.actor)
    await Change.filter(event_id=event.id).delete()
    await Receipt.filter(event_id=event.id).delete()  # answers may hold names
    # Webhook messages sent and owed quote session titles as they were, names and all.
    await WebhookDelivery.filter(event_id=event.id).delete()
    event.personal_data_erased_at = datetime.now(UTC)
    await Event.filter(id=event.id).update(personal_data_erased_at=event.personal_data_erased_at)
    event.seq += SNAPSHOT_JUMP  # stored with the change recorded next
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
    await FeedbackGiven.filter(event_id=event.id).delete()


class Names:
    """The names people gave, found where anyone typed them, whatever the letter case."""

    def __init__(self, names: set[str]) -> None:
        # Tried longest first, and only where a text's word starts one of them.
        self._by_first: dict[str, list[re.Pattern[str]]] = {}
        self._words: set[str] = set()
        for name in sorted(names, key=len, reverse=True):
            words = WORD.findall(name)
            if not words:
                continue
            pattern = r"\s+".join(re.escape(part) for part in name.split()) + r"(?!\w)"
            first = words[0].casefold()
            self._by_first.setdefault(first, []).append(re.compile(pattern, re.IGNORECASE))
            self._words |= {w.casefold() for w in words if len(w) > 1}

    def text(self, text: str) -> str:
        """The text with every full name replaced; other words stay as typed."""
        kept, at = [], 0
        for word in WORD.finditer(text):
            if word.start() < at:
                continue
            for pattern in self._by_first.get(word.group().casefold(), ()):
                found = pattern.match(text, word.start())
                if found:
                    kept += [text[at : word.start()], PSEUDONYM]
                    at = found.end()
                    break
        return "".join([*kept, text[at:]])

    def owner(self, owner: str) -> str:
        """An action's owner is a person: a first or last name alone gives them away too."""
        if any(w.casefold() in self._words for w in WORD.findall(owner)):
            return PSEUDONYM
        return self.text(owner)

    def content(self, content: NotesContent) -> NotesContent:
        return NotesContent(
            summary=self.text(content.summary),
            discussion=self.text(content.discussion),
            outcomes=self.text(content.outcomes),
            actions=tuple(
                replace(a, what=self.text(a.what), owner=self.owner(a.owner))
                for a in content.actions
            ),
            photos=tuple(PhotoRef(p.id, self.text(p.caption)) for p in content.photos),
        )


async def _names(event: Event) -> set[str]:
    typed = [a.name for a in await Attendee.filter(event_id=event.id).exclude(name="")]
    hosts = [p.host for p in await Pitch.filter(event_id=event.id).exclude(host="")]
    return {name.strip() for name in [*typed, *hosts] if name.strip()}


async def _pseudonymise(event: Event, names: Names, actor: Actor) -> None:
    for pitch in await Pitch.filter(event_id=event.id):
        title, text = _fit(Pitch, "title", names.text(pitch.title)), names.text(pitch.pitch)
        if (title, text) != (pitch.title, pitch.pitch):
            await Pitch.filter(id=pitch.id).update(title=title, pitch=_fit(Pitch, "pitch", text))
    for step in await GridStep.filter(event_id=event.id):
        if names.text(step.what) != step.what:
            await GridStep.filter(id=step.id).update(
                what=_fit(GridStep, "what", names.text(step.what))
            )
    for notes in await Notes.filter(event_id=event.id):
        await _pseudonymise_notes(notes, names, actor)
    for said in await Feedback.filter(event_id=event.id).exclude(comment=""):
        if names.text(said.comment) != said.comment:
            comment = _fit(Feedback, "comment", names.text(said.comment))
            await Feedback.filter(id=said.id).update(comment=comment)
    await _pseudonymise_actions(event, names)


async def _pseudonymise_actions(event: Event, names: Names) -> None:
    """The action board keeps each action, with its owner removed where the owner was a
    person: their private link stops working, as their other links do, no action stays on
    anyone's own page, and any address they gave for a reminder is forgotten."""
    await ActionItem.filter(event_id=event.id).update(attendee_id=None)
    await ActionItem.filter(event_id=event.id).exclude(email="").update(email="")
    for row in await ActionItem.filter(event_id=event.id):
        owner, what = names.owner(row.owner), names.text(row.what)
        if (owner, what) == (row.owner, row.what):
            continue
        changed: dict[str, Any] = {"owner": _fit(ActionItem, "owner", owner), "what": what}
        if owner != row.owner:
            changed["link_salt"] = secrets.token_urlsafe(16)
            changed["link_key"] = ERASED + secrets.token_hex(24)  # no secret hashes to it
        await ActionItem.filter(id=row.id).update(**changed)


async def _pseudonymise_notes(notes: Notes, names: Names, actor: Actor) -> None:
    """An ordinary edit of the document, so open copies merge it; then the history of edits
    goes, and the saved versions and photo captions are rewritten."""

    def edit(doc: document.Document) -> bytes:
        return document.write(doc, names.content(document.read(doc)))

    edited = await store.write(notes, actor, edit)
    if edited.update != store.EMPTY_UPDATE or await NotesUpdate.filter(notes_id=notes.id).exists():
        await store.compact(notes)
    for version in await NotesVersion.filter(notes_id=notes.id):
        content = names.content(NotesContent.from_json(version.content))
        if content.as_json() != version.content:
            await NotesVersion.filter(id=version.id).update(
                content=content.as_json(), chars=content.chars
            )
    for photo in await Photo.filter(notes_id=notes.id):
        if names.text(photo.caption) != photo.caption:
            caption = _fit(Photo, "caption", names.text(photo.caption))
            await Photo.filter(id=photo.id).update(caption=caption)


def _fit(model: type[Model], field: str, text: str) -> str:
    """The pseudonym can be longer than the name it stands for; the column's limit holds."""
    column = model._meta.fields_map[field]
    return text[: column.max_length] if isinstance(column, fields.CharField) else text


async def reclaim_space() -> None:
    """After an erasure has committed: rows it rewrote or deleted leave the database files
    where that is cheap. SQLite rebuilds its file and empties its write-ahead log; PostgreSQL
    vacuums the tables erasure touched (their old rows stay until then)."""
    connection = Tortoise.get_connection("default")
    try:
        if connection.capabilities.dialect == "sqlite":
            await connection.execute_script("VACUUM; PRAGMA wal_checkpoint(TRUNCATE);")
        else:
            await connection.execute_script("VACUUM " + ", ".join(f'"{t}"' for t in TOUCHED))
    except Exception as exc:  # the erasure itself is committed; a later VACUUM finishes it
        log.warning("vacuum after erasure failed (%s); run VACUUM to finish it", exc)
