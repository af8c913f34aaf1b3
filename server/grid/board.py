"""Everything the grid's rules read, loaded once per command: the board it is played on."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from server.allocation import Instance, Session
from server.allocation import Room as AllocRoom
from server.events.models import Event, Room, Slot
from server.grid.models import Placement
from server.language import N_
from server.language.sentences import Sentence
from server.marketplace.models import Pitch
from server.marketplace.views import Dots, placed_dots

Cell = tuple[int, int]  # (room id, slot id)


@dataclass
class Board:
    event: Event
    rooms: dict[int, Room]
    slots: dict[int, Slot]
    pitches: dict[int, Pitch]
    votes: dict[int, frozenset[int]]  # attendee -> the sessions they want to be in
    placements: dict[int, Placement]  # pitch id -> its placement
    interest: dict[int, int] = field(default_factory=dict)  # pitch id -> attendees who voted

    @property
    def grid(self) -> dict[int, Cell]:
        return {p: (pl.room_id, pl.slot_id) for p, pl in self.placements.items()}

    @property
    def locks(self) -> dict[int, Cell]:
        return {p: (pl.room_id, pl.slot_id) for p, pl in self.placements.items() if pl.locked}

    def rows(self) -> list[dict[str, Any]]:
        """The placements as plain rows, as undo steps and releases keep them."""
        return [
            {"pitch_id": p, "room_id": pl.room_id, "slot_id": pl.slot_id, "locked": pl.locked}
            for p, pl in sorted(self.placements.items())
        ]

    def at(self, cell: Cell) -> Placement | None:
        for placement in self.placements.values():
            if (placement.room_id, placement.slot_id) == cell:
                return placement
        return None

    def instance(self, previous: dict[int, Cell] | None = None) -> Instance:
        session_slots = tuple(s.id for s in self.slots.values() if s.kind == "session")
        return Instance(
            rooms=tuple(
                AllocRoom(r.id, r.capacity, frozenset(r.unavailable)) for r in self.rooms.values()
            ),
            slots=session_slots,
            sessions=tuple(
                Session(p.id, hosts(p), frozenset(p.unavailable)) for p in self.pitches.values()
            ),
            votes=self.votes,
            locks=self.locks,
            previous=previous if previous is not None else self.grid,
            names=self.names(),
        )

    def names(self) -> dict[tuple[str, int], str | Sentence]:
        named: dict[tuple[str, int], str | Sentence] = {
            ("room", r.id): r.name for r in self.rooms.values()
        }
        named.update(
            {
                ("slot", s.id): s.label
                or Sentence.of(N_("the %(time)s slot"), time=s.starts_at[-5:])
                for s in self.slots.values()
            }
        )
        named.update({("session", p.id): f"“{p.title}”" for p in self.pitches.values()})
        return named


def hosts(pitch: Pitch) -> frozenset[str]:
    """Who runs a session: the host's name as typed, or else whoever pitched it."""
    if pitch.host.strip():
        return frozenset({" ".join(pitch.host.casefold().split())})
    if pitch.author_id is not None:
        return frozenset({f"attendee:{pitch.author_id}"})
    return frozenset()


async def load_board(event: Event, dots: Dots | None = None) -> Board:
    """The grid as the facilitators edit it, with the event's ``dots`` (read here unless the
    caller has them already)."""
    rooms = {r.id: r for r in await Room.filter(event=event)}
    slots = {s.id: s for s in await Slot.filter(event=event)}
    pitches = {p.id: p for p in await Pitch.filter(event=event, hidden=False, merged_into_id=None)}
    wanted: dict[int, set[int]] = defaultdict(set)
    if dots is None:
        dots = await placed_dots(event)
    for attendee_id, pitch_id in dots:
        if pitch_id in pitches:
            wanted[attendee_id].add(pitch_id)
    votes = {a: frozenset(s) for a, s in wanted.items()}
    interest: dict[int, int] = defaultdict(int)
    for sessions in votes.values():
        for pitch_id in sessions:
            interest[pitch_id] += 1
    placements = {
        pl.pitch_id: pl for pl in await Placement.filter(event=event) if pl.pitch_id in pitches
    }
    return Board(event, rooms, slots, pitches, votes, placements, dict(interest))
