"""The published schedule of an event, read from the database into plain, frozen dataclasses.

This is the only exports module with database access; the formats work from what it returns.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime

from server.events.changes import Change
from server.events.models import Event, Room, Slot
from server.grid.agenda import agendas
from server.grid.models import AgendaChoice, PublishedPlacement
from server.marketplace.models import Dot, Pitch

# Stable identifiers (iCalendar UIDs, frab guids) are name-based UUIDs in Snug's own namespace.
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://snug.invalid/schedule")


@dataclass(frozen=True)
class RoomInfo:
    id: int
    name: str
    capacity: int
    guid: str


@dataclass(frozen=True)
class SlotInfo:
    id: int
    starts_at: str  # wall-clock in the event's zone, "YYYY-MM-DDTHH:MM"
    ends_at: str
    label: str
    kind: str


@dataclass(frozen=True)
class Session:
    """A published session. A cancelled one keeps the room and slot it was last published in,
    when they are known, so feeds can still say when and where it would have been."""

    pitch_id: int
    guid: str
    title: str
    pitch: str
    host: str
    format: str
    language: str  # the pitch's: a code, "bilingual" or ""
    tags: tuple[str, ...]
    room: RoomInfo | None
    slot: SlotInfo | None
    cancelled: bool
    sequence: int
    modified_at: datetime
    withdrawn: bool = False  # its author withdrew it: its title is Snug's, not theirs


@dataclass(frozen=True)
class Schedule:
    event_id: int
    slug: str
    name: str
    date: date
    timezone: str
    venue: str
    languages: tuple[str, ...]  # the event's, Welsh first
    base_url: str  # the public address of this Snug, without a trailing slash
    rooms: tuple[RoomInfo, ...]
    slots: tuple[SlotInfo, ...]
    sessions: tuple[Session, ...]
    published: bool
    last_modified: datetime  # aware, UTC: when anything the exports show last changed
    guid: str  # the event's own name-based UUID, the namespace of its hosts' guids

    @property
    def root(self) -> str:
        """The public address of this Snug, ending in one slash."""
        return self.base_url.rstrip("/") + "/"

    @property
    def event_url(self) -> str:
        return f"{self.root}e/{self.slug}"

    def notes_url(self, session: Session) -> str:
        """Where people write, and later read, the session's notes."""
        return f"{self.event_url}/notes/{session.pitch_id}"

    def only(self, pitch_ids: set[int]) -> Schedule:
        """The same schedule with just these sessions (a room's or an attendee's feed)."""
        kept = tuple(s for s in self.sessions if s.pitch_id in pitch_ids)
        return _replace_sessions(self, kept)

    def in_room(self, room_id: int) -> Schedule:
        kept = tuple(s for s in self.sessions if s.room is not None and s.room.id == room_id)
        return _replace_sessions(self, kept)


def _replace_sessions(schedule: Schedule, sessions: tuple[Session, ...]) -> Schedule:
    return replace(schedule, sessions=sessions)


def _named(event: Event, name: str) -> str:
    return str(
        uuid.uuid5(NAMESPACE, f"event:{event.id}:{_utc(event.created_at).isoformat()}{name}")
    )


def event_guid(event: Event) -> str:
    return _named(event, "")


def session_guid(event: Event, pitch_id: int) -> str:
    return _named(event, f":session:{pitch_id}")


def room_guid(event: Event, room_id: int) -> str:
    return _named(event, f":room:{room_id}")


def one_line(text: str) -> str:
    return " ".join(text.split())


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


async def load_schedule(event: Event, base_url: str) -> Schedule:
    rooms = {
        r.id: RoomInfo(r.id, one_line(r.name), r.capacity, room_guid(event, r.id))
        for r in await Room.filter(event=event)
    }
    slots = {
        s.id: SlotInfo(s.id, s.starts_at, s.ends_at, s.label, s.kind)
        for s in await Slot.filter(event=event)
    }
    rows = await PublishedPlacement.filter(event=event).order_by("pitch_id")
    pitches = {p.id: p for p in await Pitch.filter(id__in=[r.pitch_id for r in rows])}
    dropped = [r.pitch_id for r in rows if r.room_id is None or r.slot_id is None]
    last_cells = await _last_cells(event, set(dropped)) if dropped else {}
    moments = [_utc(event.created_at)]
    latest = await Change.filter(event=event).order_by("-seq").first()
    if latest is not None:
        moments.append(_utc(latest.at))
    sessions = []
    for row in rows:
        pitch = pitches.get(row.pitch_id)
        if pitch is None:
            continue
        withdrawn = pitch.hidden
        room_id, slot_id = row.room_id, row.slot_id
        cancelled = withdrawn or pitch.merged_into_id is not None or not (room_id and slot_id)
        if not (room_id and slot_id):
            room_id, slot_id = last_cells.get(row.pitch_id, (None, None))
        modified = _utc(row.modified_at)
        moments += [modified, _utc(pitch.updated_at)]
        sessions.append(
            Session(
                pitch_id=row.pitch_id,
                guid=session_guid(event, row.pitch_id),
                # A hidden pitch's text never leaves Snug; its calendar entry just says so.
                title="Withdrawn session" if withdrawn else one_line(pitch.title),
                pitch="" if withdrawn else pitch.pitch,
                host="" if withdrawn else one_line(pitch.host),
                format=pitch.format,
                language=pitch.language,
                tags=() if withdrawn else tuple(pitch.tags),
                room=rooms.get(room_id) if room_id else None,
                slot=slots.get(slot_id) if slot_id else None,
                cancelled=cancelled,
                sequence=row.sequence,
                modified_at=modified,
                withdrawn=withdrawn,
            )
        )
    return Schedule(
        event_id=event.id,
        slug=event.slug,
        name=one_line(event.name),
        date=event.date,
        timezone=event.timezone,
        venue=event.venue,
        languages=tuple(event.languages),
        base_url=base_url.rstrip("/"),
        rooms=tuple(rooms.values()),
        slots=tuple(sorted(slots.values(), key=lambda s: (s.starts_at, s.id))),
        sessions=tuple(sessions),
        published=bool(rows) or event.grid_live,
        last_modified=max(moments).replace(microsecond=0),
        guid=event_guid(event),
    )


async def _last_cells(event: Event, pitch_ids: set[int]) -> dict[int, tuple[int, int]]:
    """Where each dropped session was last published, from the change log's moves."""
    found: dict[int, tuple[int, int]] = {}
    for change in await Change.filter(event=event, kind="grid.published").order_by("seq"):
        for move in change.data.get("moved", []):
            pitch, was = move.get("pitch"), move.get("from")
            if pitch in pitch_ids and move.get("to") is None and isinstance(was, dict):
                found[pitch] = (int(was["room"]), int(was["slot"]))
    return found


async def personal_sessions(event: Event, attendee_id: int) -> set[int]:
    """The sessions in an attendee's agenda, and the dropped ones they voted for or chose (so
    their calendar is told those were cancelled)."""
    agenda = (await agendas(event)).get(attendee_id, {})
    mine = {p for p in agenda.values() if p is not None}
    dropped = {
        int(str(p))
        for p in await PublishedPlacement.filter(event=event, room_id__isnull=True).values_list(
            "pitch_id", flat=True
        )
    }
    if dropped:
        dots = Dot.filter(event=event, attendee_id=attendee_id).values_list("pitch_id", flat=True)
        chosen = AgendaChoice.filter(event=event, attendee_id=attendee_id).values_list(
            "pitch_id", flat=True
        )
        wanted = {str(p) for p in [*await dots, *await chosen]}
        mine |= {p for p in dropped if str(p) in wanted}
    return mine
