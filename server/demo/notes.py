"""Notes for most of the demo's sessions and its published proceedings, so every write-up and
export can be tried on /e/demo at once. Seeded, so every run writes the same notes."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from functools import partial

from server.events.access import Actor, Role
from server.events.models import Attendee, Event
from server.grid.models import PublishedPlacement
from server.marketplace.models import Pitch
from server.notes import document, store
from server.notes.document import Action, NotesContent
from server.notes.models import Contributor, Notes

OPENINGS = [
    "{host} opened with the pitch: {pitch} Most of the room had tried something similar.",
    "A lively session on {topic}. We started from the pitch ({pitch}) and went round the room.",
    "{people} people came; about half work on {topic} every day, the rest came to learn.",
]
POINTS = [
    "Small pilots win trust faster than **big programmes**; pick one team and one quarter.",
    "Write down who decides what, before the first meeting, not after the first argument.",
    "The *Service Manual* already covers most of this: "
    "[gov.uk/service-manual](https://www.gov.uk/service-manual).",
    "Money follows evidence: a two-page write-up of the pilot did more than any business case.",
    "Several people said the hardest part is stopping the old way, not starting the new one.",
    "Users were clear in research: they want to know **what happens next** and when.",
    "Working in the open made it easier to borrow from other departments.",
    "Legal and security colleagues help most when they join early; invite them to show and tells.",
    "Nobody had a good answer for measuring it yet; two teams will share what they try.",
]
OUTCOMES = [
    "Agreed to start a cross-government channel for this and meet again in three months.",
    "Three teams will share their templates in the open.",
    "A short guide will go on the community wiki, written by the people in the room.",
    "We'll propose a follow-up session at the next unconference.",
]
ACTIONS = [
    "Set up the shared channel and post the link",
    "Write up the pilot in two pages",
    "Share the templates from today",
    "Find a sponsor for the next step",
    "Invite the security team to the next show and tell",
]
DEMO_DATE = "2027-03-18"  # the demo's day (server/demo/__init__.py)
NOTES_SHARE = 0.85  # most sessions get notes, as at a real event; some stay empty


async def write_demo_notes(event: Event) -> None:
    rng = random.Random(318)
    placed = await PublishedPlacement.filter(event_id=event.id).order_by("pitch_id")
    pitches = {p.id: p for p in await Pitch.filter(event_id=event.id)}
    for placement in placed:
        if rng.random() > NOTES_SHARE:
            continue
        pitch = pitches[placement.pitch_id]
        voters = await Attendee.filter(dots__pitch_id=pitch.id).distinct().order_by("id")
        writers = rng.sample(voters, min(len(voters), rng.randint(1, 4)))
        await _write(pitch, writers, _content(rng, pitch, len(voters)), final=rng.random() < 0.6)
    await Event.filter(id=event.id).update(proceedings_published=True)


def _content(rng: random.Random, pitch: Pitch, people: int) -> NotesContent:
    names = ["Alex", "Bea", "Cai", "Dee", "Eli", pitch.host or "the host"]
    opening = rng.choice(OPENINGS).format(
        host=pitch.host or "The host", pitch=pitch.pitch, topic=pitch.title.lower(), people=people
    )
    return NotesContent(
        summary=opening,
        discussion="\n".join(f"- {point}" for point in rng.sample(POINTS, 3)),
        outcomes="\n".join(f"- {outcome}" for outcome in rng.sample(OUTCOMES, 2)),
        actions=tuple(
            Action(what, rng.choice(names), _due(rng)) for what in rng.sample(ACTIONS, 2)
        ),
    )


def _due(rng: random.Random) -> str:
    """Some actions have no date; the others fall due weeks after the day."""
    held = date.fromisoformat(DEMO_DATE)
    weeks = rng.choice([0, 2, 4, 6, 8])
    return (held + timedelta(weeks=weeks)).isoformat() if weeks else ""


async def _write(pitch: Pitch, writers: list[Attendee], content: NotesContent, final: bool) -> None:
    notes = await store.notes_of(pitch)
    # Each writer adds one part, so the demo's notes have several contributors and updates.
    parts = [
        NotesContent(summary=content.summary),
        NotesContent(summary=content.summary, discussion=content.discussion),
        content,
    ]
    for n, part in enumerate(parts):
        writer = writers[n % len(writers)] if writers else None
        actor = Actor(Role.attendee, writer) if writer else Actor(Role.facilitator)
        await store.write(notes, actor, partial(document.write, content=part))
    named = [w.id for w in writers if w.name]
    await Contributor.filter(notes_id=notes.id, attendee_id__in=named).update(named=True)
    if final:
        await Notes.filter(id=notes.id).update(final=True, final_at=datetime.now(UTC))
