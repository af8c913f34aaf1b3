"""Each session on the published grid as the report shows it: where and when, the votes for
it, its seats, what those who went said, the notes written and its actions."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from server.actions.models import STATUSES, ActionItem
from server.events.models import Event, Room, Slot
from server.feedback import sessions as feedback
from server.grid.seats import load_seating
from server.marketplace.models import Pitch
from server.notes.models import Contributor, Notes


@dataclass(frozen=True)
class Session:
    pitch: int
    title: str
    room: str
    starts_at: str  # the event's wall clock, "YYYY-MM-DDTHH:MM"
    ends_at: str
    votes: int  # people who placed a dot on it
    seated: int
    waiting: int
    useful: int
    not_for_me: int
    comments: int
    notes_chars: int
    notes_final: bool
    writers: int
    actions: dict[str, int] = field(default_factory=dict)  # status -> how many

    @property
    def has_notes(self) -> bool:
        return self.notes_chars > 0


async def on_the_grid(event: Event) -> list[Session]:
    """The published grid's sessions, in time order, then room order."""
    seating = await load_seating(event)
    cells = seating.cells
    rooms = {r.id: r for r in await Room.filter(event=event)}
    slots = {s.id: s for s in await Slot.filter(event=event)}
    pitches = {p.id: p for p in await Pitch.filter(id__in=list(cells))}
    said = await feedback.counts(event)
    notes = {n.pitch_id: n for n in await Notes.filter(event_id=event.id)}
    writers = Counter(
        c.notes_id
        for c in await Contributor.filter(notes_id__in=[n.id for n in notes.values()], wrote=True)
    )
    actions: dict[int, Counter[str]] = {}
    for row in await ActionItem.filter(event_id=event.id, removed=False):
        actions.setdefault(row.pitch_id, Counter())[row.status] += 1

    def order(pitch: int) -> tuple[str, int, int]:
        room, slot = cells[pitch]
        return (slots[slot].starts_at, rooms[room].position, pitch)

    found = []
    for pitch in sorted((p for p in cells if p in pitches), key=order):
        room, slot = cells[pitch]
        counted = seating.counts(pitch)
        words = said.get(pitch, {})
        written = notes.get(pitch)
        found.append(
            Session(
                pitch=pitch,
                title=pitches[pitch].title,
                room=rooms[room].name,
                starts_at=slots[slot].starts_at,
                ends_at=slots[slot].ends_at,
                votes=seating.interest.get(pitch, 0),
                seated=counted["seated"],
                waiting=counted["waiting"],
                useful=words.get("useful", 0),
                not_for_me=words.get("not_for_me", 0),
                comments=words.get("comments", 0),
                notes_chars=written.chars if written else 0,
                notes_final=bool(written and written.final),
                writers=writers.get(written.id, 0) if written else 0,
                actions={s: actions.get(pitch, Counter())[s] for s in STATUSES},
            )
        )
    return found
