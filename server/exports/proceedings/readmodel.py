"""An event's proceedings, read from the database into plain, frozen dataclasses.

Text is kept exactly as people typed it; each format decides how to show it safely.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime

from server.actions.models import ActionItem as TrackedAction
from server.events.models import Attendee, Event, Room
from server.exports.readmodel import RoomInfo, Schedule, Session, SlotInfo, load_schedule
from server.grid.agenda import agendas, headcounts
from server.marketplace.models import Pitch
from server.marketplace.views import vote_counts
from server.notes import editing, photos, store
from server.notes.document import Action, NotesContent
from server.notes.models import Notes, Photo


@dataclass(frozen=True)
class PhotoInfo:
    id: int
    caption: str
    path: str  # on this Snug, for its own pages
    url: str  # absolute, for everywhere else
    width: int
    height: int
    media_type: str
    data: bytes | None  # loaded only for the documents that carry their images inside


@dataclass(frozen=True)
class WriteUp:
    """What a session's notes say, and who wrote them (only those who asked to be named)."""

    summary: str
    discussion: str
    outcomes: str
    actions: tuple[Action, ...]
    photos: tuple[PhotoInfo, ...]
    final: bool
    updated_at: datetime | None
    named: tuple[str, ...]
    anonymous: int
    # Each action's status on the action board, by its identity in the notes.
    statuses: Mapping[str, str] = field(default_factory=dict)

    def status_of(self, action: Action) -> str:
        return self.statuses.get(action.id, "open")

    @property
    def empty(self) -> bool:
        texts = (self.summary, self.discussion, self.outcomes)
        return not (any(t.strip() for t in texts) or self.actions or self.photos)


NO_NOTES = WriteUp("", "", "", (), (), False, None, (), 0)


@dataclass(frozen=True)
class Entry:
    """A session in the proceedings: placed on the published grid, or a pitch left unplaced."""

    pitch_id: int
    title: str
    pitch: str
    host: str
    format: str
    language: str  # the pitch's: a code, "bilingual" or ""
    tags: tuple[str, ...]
    room: RoomInfo | None
    slot: SlotInfo | None
    votes: int | None  # dots placed on it; None while the organiser keeps the totals back
    # People with the session in their agenda (chosen, or filled in from their dots): who
    # planned to go, not a count taken at the door. None for a session never placed, and
    # while the totals are kept back (filled in from the dots, it shows the same interest).
    planned: int | None
    notes: WriteUp
    url: str  # its write-up page, absolute


@dataclass(frozen=True)
class ActionItem:
    pitch_id: int
    session: str
    what: str
    owner: str
    due: str = ""  # YYYY-MM-DD, or empty
    status: str = "open"


@dataclass(frozen=True)
class Proceedings:
    slug: str
    name: str
    date: date
    timezone: str
    venue: str
    base_url: str  # without a trailing slash
    published: bool
    rooms: tuple[RoomInfo, ...]
    slots: tuple[SlotInfo, ...]
    sessions: tuple[Entry, ...]  # placed in grid order, then the unplaced
    attendees: int
    last_modified: datetime
    languages: tuple[str, ...] = ("en",)  # the event's, Welsh first: the exports speak them

    @property
    def event_url(self) -> str:
        return f"{self.base_url}/e/{self.slug}"

    @property
    def url(self) -> str:
        return f"{self.event_url}/proceedings"

    @property
    def card_url(self) -> str:
        return f"{self.url}/card.png"

    @property
    def placed(self) -> tuple[Entry, ...]:
        return tuple(s for s in self.sessions if s.slot is not None)

    @property
    def unplaced(self) -> tuple[Entry, ...]:
        return tuple(s for s in self.sessions if s.slot is None)

    @property
    def actions(self) -> tuple[ActionItem, ...]:
        return tuple(
            ActionItem(s.pitch_id, s.title, a.what, a.owner, a.due, s.notes.status_of(a))
            for s in self.sessions
            for a in s.notes.actions
        )

    @property
    def dots(self) -> int | None:
        """Every dot placed; None while the organiser keeps the totals back."""
        votes = [s.votes for s in self.sessions]
        return None if None in votes else sum(v or 0 for v in votes)

    @property
    def written_up(self) -> int:
        return sum(1 for s in self.sessions if not s.notes.empty)

    def programme(self) -> tuple[tuple[SlotInfo, tuple[Entry, ...]], ...]:
        """Each slot with the sessions in it, in room order (breaks and plenaries included)."""
        return tuple((slot, tuple(s for s in self.placed if s.slot == slot)) for slot in self.slots)

    def entry(self, pitch_id: int) -> Entry | None:
        return next((s for s in self.sessions if s.pitch_id == pitch_id), None)


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


async def load_proceedings(
    event: Event, base_url: str, *, images: bool = False, counted: bool = True
) -> Proceedings:
    """The proceedings as they stand; ``images`` also loads each photo's bytes. Unless
    ``counted`` (totals_shown for the asker) they tell no dots and no planned attendance."""
    schedule = await load_schedule(event, base_url)
    # The schedule puts room names on one line for calendars; the proceedings keep them as typed.
    typed = {r.id: r.name for r in await Room.filter(event=event)}
    rooms = {r.id: replace(r, name=typed.get(r.id, r.name)) for r in schedule.rooms}
    cells = _grid(schedule)
    pitches = await Pitch.filter(event=event, hidden=False, merged_into_id=None)
    by_id = {p.id: p for p in pitches}
    order = [p for p in cells if p in by_id] + [p.id for p in pitches if p.id not in cells]
    votes = await vote_counts(event)
    planned = headcounts(await agendas(event))
    notes = await store.notes_in(event)
    statuses: dict[int, dict[str, str]] = {}
    for row in await TrackedAction.filter(event_id=event.id):
        statuses.setdefault(row.pitch_id, {})[row.key] = row.status
    write_ups = {
        p: await _write_up(schedule, notes[p], images, statuses.get(p, {}))
        for p in order
        if p in notes
    }
    entries = []
    for pitch_id in order:
        pitch, cell = by_id[pitch_id], cells.get(pitch_id)
        entries.append(
            Entry(
                pitch_id=pitch_id,
                title=pitch.title,
                pitch=pitch.pitch,
                host=pitch.host,
                format=pitch.format,
                language=pitch.language,
                tags=tuple(pitch.tags),
                room=rooms[cell.room.id] if cell and cell.room else None,
                slot=cell.slot if cell else None,
                votes=votes.get(pitch_id, 0) if counted else None,
                planned=planned.get(pitch_id, 0) if cell and counted else None,
                notes=write_ups.get(pitch_id, NO_NOTES),
                url=f"{schedule.event_url}/proceedings/{pitch_id}",
            )
        )
    moments = [schedule.last_modified, *(_utc(n.updated_at) for n in notes.values())]
    return Proceedings(
        slug=event.slug,
        name=event.name,
        date=event.date,
        timezone=event.timezone,
        venue=event.venue,
        base_url=schedule.base_url,
        published=event.proceedings_published,
        rooms=tuple(rooms.values()),
        slots=schedule.slots,
        sessions=tuple(entries),
        attendees=await Attendee.filter(event=event).count(),
        last_modified=max(moments).replace(microsecond=0),
        languages=schedule.languages,
    )


def _grid(schedule: Schedule) -> dict[int, Session]:
    """The sessions on the published grid (not cancelled) by pitch id, by slot then room."""
    rooms = {room.id: i for i, room in enumerate(schedule.rooms)}
    slots = {slot.id: i for i, slot in enumerate(schedule.slots)}
    placed = [
        ((slots[s.slot.id], rooms[s.room.id]), s)
        for s in schedule.sessions
        if not s.cancelled and s.room is not None and s.slot is not None
    ]
    return {s.pitch_id: s for _key, s in sorted(placed, key=lambda pair: pair[0])}


async def _write_up(
    schedule: Schedule, notes: Notes, images: bool, statuses: dict[str, str]
) -> WriteUp:
    content = NotesContent.from_json(notes.content)
    credits = await editing.credits(notes)
    shown = await photos.shown_in(notes)
    extra: dict[int, tuple[str, bytes | None]] = {}
    if shown:
        fields = ("id", "media_type", "data") if images else ("id", "media_type")
        for row in await Photo.filter(id__in=[p.id for p in shown]).values(*fields):
            extra[row["id"]] = (row["media_type"], bytes(row["data"]) if images else None)
    return WriteUp(
        summary=content.summary,
        discussion=content.discussion,
        outcomes=content.outcomes,
        actions=content.actions,
        photos=tuple(
            PhotoInfo(
                id=p.id,
                caption=p.caption,
                path=photos.address(schedule.slug, p.id, p.key),
                url=schedule.base_url + photos.address(schedule.slug, p.id, p.key),
                width=p.width,
                height=p.height,
                media_type=extra[p.id][0],
                data=extra[p.id][1],
            )
            for p in shown
        ),
        final=notes.final,
        updated_at=_utc(notes.updated_at),
        named=credits.named,
        anonymous=credits.anonymous,
        statuses=statuses,
    )
