"""Seats in small rooms: attendees claim them from their phones, facilitators assign them.

A claim is for one published session. While its room has a free seat the claim is seated at
once, first come first served; otherwise it waits. The waiting list is ordered by preference
(people who voted for the session first), then by when the claim was made. A seat given up goes
to the first in the list. Claiming a session releases the attendee's claim in any other session
of the same slot, so nobody holds two seats at once.

Seats and the agenda are one story: claiming a seat puts the session on the attendee's agenda
for its slot, choosing a counted session on the agenda claims a seat in it, and giving the seat
up (or choosing something else) leaves the slot's claim. ``standing`` is the one place that
says where a person stands in a session; every page, the API and the live page read it.

Assigning seats runs the served-votes matching (``allocation.served.seat_assignment``) over
the published grid, slot by slot: seated claims keep their seats, waiting claims fill free seats in
list order, then attendees who voted but claimed nothing in that slot are matched to the sessions
they voted for, up to each room's capacity, and get a seat where the room is smaller than the
interest in it. Phones hear only counts; each attendee reads their own status in ``me``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from server.allocation.served import seat_assignment
from server.errors import Conflict, NotFound
from server.events.access import Role
from server.events.journal import Journal
from server.events.models import Event, Room
from server.grid.agenda import agendas, counts_in, headcounts, my_agenda
from server.grid.board import Cell
from server.grid.models import AgendaChoice, SeatClaim
from server.grid.published import published_cells
from server.grid.version import require_version
from server.language import N_
from server.marketplace.models import Dot


@dataclass
class Seating:
    """The published grid and everything seats depend on, loaded once per command."""

    cells: dict[int, Cell]  # pitch id -> (room id, slot id) on the published grid
    capacity: dict[int, int]  # pitch id -> seats in its room
    wanted: dict[int, set[int]]  # attendee id -> the sessions they voted for
    interest: dict[int, int]  # pitch id -> attendees who voted for it
    claims: list[SeatClaim]

    def small(self, pitch_id: int) -> bool:
        """A session whose room seats fewer than want to be in it."""
        return self.interest.get(pitch_id, 0) > self.capacity.get(pitch_id, 0)

    def in_slot(self, slot_id: int) -> list[int]:
        return sorted(p for p, (_room, slot) in self.cells.items() if slot == slot_id)

    def queue(self, pitch_id: int) -> list[SeatClaim]:
        """Claims for a session: seated ones in the order made, then the waiting list."""
        mine = [c for c in self.claims if c.pitch_id == pitch_id]
        return sorted(mine, key=lambda c: (not c.seated, *self.rank(c)))

    def rank(self, claim: SeatClaim) -> tuple[bool, Any, int]:
        voted = claim.pitch_id in self.wanted.get(claim.attendee_id, set())
        return (not voted, claim.claimed_at, claim.id)

    def counts(self, pitch_id: int) -> dict[str, int]:
        mine = [c for c in self.claims if c.pitch_id == pitch_id]
        seated = sum(1 for c in mine if c.seated)
        return {
            "seated": seated,
            "waiting": len(mine) - seated,
            "capacity": self.capacity.get(pitch_id, 0),
        }

    def counted(self, pitch_id: int) -> bool:
        """A session whose places are counted by claims: a small room, or one with claims."""
        return self.small(pitch_id) or any(c.pitch_id == pitch_id for c in self.claims)

    def shown(self) -> list[int]:
        """The sessions phones see seat counts for."""
        return sorted(p for p in self.cells if self.counted(p))


@dataclass(frozen=True)
class Standing:
    """Where one person stands in one session: in a place, or number ``position`` on the list."""

    seated: bool
    position: int  # 1 for the first on the waiting list; 0 when seated
    promoted: bool  # seated from the list when a place came free

    def as_json(self) -> dict[str, Any]:
        return {
            "status": "seated" if self.seated else "waiting",
            "ahead": max(0, self.position - 1),
            "position": self.position,
            "promoted": self.promoted,
        }


def standing(seating: Seating, attendee_id: int, pitch_id: int) -> Standing | None:
    """The person's standing in the session, or None when they haven't claimed a place."""
    mine = next(
        (c for c in seating.claims if c.attendee_id == attendee_id and c.pitch_id == pitch_id),
        None,
    )
    return None if mine is None else _standing_of(seating, mine)


def _standing_of(seating: Seating, claim: SeatClaim) -> Standing:
    if claim.seated:
        return Standing(seated=True, position=0, promoted=claim.promoted)
    waiting = [c for c in seating.queue(claim.pitch_id) if not c.seated]
    return Standing(seated=False, position=waiting.index(claim) + 1, promoted=False)


async def load_seating(event: Event) -> Seating:
    cells = await published_cells(event)
    rooms = {r.id: r.capacity for r in await Room.filter(event=event)}
    wanted: dict[int, set[int]] = defaultdict(set)
    for attendee_id, pitch_id in await Dot.filter(event=event).values_list(
        "attendee_id", "pitch_id"
    ):
        wanted[int(attendee_id)].add(int(pitch_id))
    interest: dict[int, int] = defaultdict(int)
    for sessions in wanted.values():
        for pitch_id in sessions:
            interest[pitch_id] += 1
    claims = await SeatClaim.filter(event=event, pitch_id__in=list(cells)).order_by("id")
    capacity = {p: rooms.get(room, 0) for p, (room, _slot) in cells.items()}
    return Seating(cells, capacity, dict(wanted), dict(interest), list(claims))


async def seat_counts(event: Event) -> dict[str, dict[str, int]]:
    """Seated, waiting and capacity for each session phones see seat counts for."""
    seating = await load_seating(event)
    return {str(p): seating.counts(p) for p in seating.shown()}


async def my_seats(event: Event, attendee_id: int) -> dict[str, dict[str, Any]]:
    return seats_of(await load_seating(event), attendee_id)


def seats_of(seating: Seating, attendee_id: int) -> dict[str, dict[str, Any]]:
    """The attendee's standing in each session they claimed a place in."""
    mine = [c for c in seating.claims if c.attendee_id == attendee_id]
    mine.sort(key=lambda c: c.pitch_id)
    return {str(c.pitch_id): _standing_of(seating, c).as_json() for c in mine}


async def claim(journal: Journal, pitch_id: int) -> dict[str, Any]:
    """Asks for a seat in a published session, which goes on the agenda for its slot; any claim
    elsewhere in the slot is given up."""
    attendee = journal.actor.as_attendee()
    seating = await load_seating(journal.event)
    if pitch_id not in seating.cells:
        raise Conflict(N_("That session isn't on the published grid, so it has no seats to claim."))
    slot = seating.cells[pitch_id][1]
    if any(c.attendee_id == attendee.id and c.pitch_id == pitch_id for c in seating.claims):
        if await _put_on_agenda(journal, slot, pitch_id):
            await _record_headcounts(journal, seating.cells)
        return await _mine(journal)
    others = await _leave_slot(seating, attendee.id, slot)
    made = await SeatClaim.create(
        event=journal.event, attendee=attendee, pitch_id=pitch_id, seated=False
    )
    await _put_on_agenda(journal, slot, pitch_id)
    return await _settle_and_record(journal, {pitch_id, *others}, fresh=made.id)


async def release(journal: Journal, pitch_id: int) -> dict[str, Any]:
    """Gives up a seat or leaves the waiting list, and the slot on the agenda with it; a seat
    given up goes to the next in line."""
    attendee = journal.actor.as_attendee()
    mine = await SeatClaim.get_or_none(event=journal.event, attendee=attendee, pitch_id=pitch_id)
    if mine is None:
        raise NotFound(N_("You haven't claimed a seat in that session."))
    await mine.delete()
    cells = await published_cells(journal.event)
    if pitch_id in cells:
        await _put_on_agenda(journal, cells[pitch_id][1], None)
    return await _settle_and_record(journal, {pitch_id})


async def choose(journal: Journal, slot_id: int, pitch_id: int | None) -> dict[str, Any]:
    """One tap on the agenda: go to this session in this slot, or to nothing. A session whose
    places are counted is claimed, so the agenda and the seats never disagree."""
    attendee = journal.actor.as_attendee()
    seating = await load_seating(journal.event)
    if slot_id not in {slot for _room, slot in seating.cells.values()}:
        raise Conflict(N_("No sessions are published in that slot yet."))
    if pitch_id is not None and seating.cells.get(pitch_id, (0, 0))[1] != slot_id:
        raise Conflict(N_("That session isn't in that slot; the grid may have just changed."))
    if pitch_id is not None and seating.counted(pitch_id):
        return await claim(journal, pitch_id)
    await _put_on_agenda(journal, slot_id, pitch_id)
    left = await _leave_slot(seating, attendee.id, slot_id)
    if left:
        return await _settle_and_record(journal, left)
    await _record_headcounts(journal, seating.cells)
    return await _mine(journal)


async def assign(
    journal: Journal, pitch_id: int | None, version: int | None = None
) -> dict[str, Any]:
    """Seats claimants and voters by the matching, in one session's slot or in every slot."""
    journal.actor.require(Role.facilitator)
    require_version(journal, version)
    event = journal.event
    seating = await load_seating(event)
    if not seating.cells:
        raise Conflict(N_("Publish the grid first: seats are assigned on the published grid."))
    if pitch_id is not None and pitch_id not in seating.cells:
        raise NotFound(N_("That session isn't on the published grid."))
    slots = (
        {seating.cells[pitch_id][1]}
        if pitch_id is not None
        else {slot for _room, slot in seating.cells.values()}
    )
    affected = {p for slot in slots for p in seating.in_slot(slot)}
    before = {p: seating.counts(p) for p in affected}
    await _settle(seating, affected)
    assigned = 0
    for slot in sorted(slots):
        sessions = seating.in_slot(slot)
        claimed = {c.attendee_id for c in seating.claims if c.pitch_id in sessions}
        free = {p: n for p in sessions if (n := _free(seating, p)) > 0}
        voters = sorted(
            (
                (attendee_id, [p for p in sessions if p in wanted])
                for attendee_id, wanted in seating.wanted.items()
                if attendee_id not in claimed
            ),
            key=lambda v: (len(v[1]), v[0]),
        )
        voters = [v for v in voters if v[1]]
        seats = seat_assignment([options for _a, options in voters], free)
        for (attendee_id, _options), session in zip(voters, seats, strict=True):
            if session < 0 or not seating.small(session):
                continue  # unmatched, or matched to a room with space for everyone
            if pitch_id is not None and session != pitch_id:
                continue
            made = await SeatClaim.create(
                event=event, attendee_id=attendee_id, pitch_id=session, seated=True
            )
            await AgendaChoice.update_or_create(
                defaults={"pitch_id": session}, event=event, attendee_id=attendee_id, slot_id=slot
            )
            seating.claims.append(made)
            assigned += 1
    changed = {p for p in affected if seating.counts(p) != before[p]}
    if changed:
        await journal.record("seats", _counts_of(seating, changed))
    if assigned:
        await _record_headcounts(journal, seating.cells)
    return {"assigned": assigned, **_counts_of(seating, affected & set(seating.shown()))}


async def after_moves(journal: Journal, pitch_ids: set[int]) -> None:
    """Claims travel with a published session that moves; its new room may seat more or fewer,
    so its seats are settled again at once."""
    seating = await load_seating(journal.event)
    claimed = {c.pitch_id for c in seating.claims} & pitch_ids & set(seating.cells)
    if claimed:
        await _settle(seating, claimed)
        await journal.record("seats", _counts_of(seating, claimed))


def _free(seating: Seating, pitch_id: int) -> int:
    return seating.capacity.get(pitch_id, 0) - seating.counts(pitch_id)["seated"]


async def _settle(seating: Seating, pitch_ids: set[int], fresh: int | None = None) -> None:
    """Brings the given sessions within capacity, then fills free seats from their waiting lists,
    never giving anyone a second seat in a slot. The earliest seated keep their seats. A claim
    seated from the list (not the ``fresh`` one just made) is marked promoted, so they are told."""
    seated_in: dict[int, set[int]] = defaultdict(set)  # slot -> attendees with a seat
    for c in seating.claims:
        if c.seated:
            seated_in[seating.cells[c.pitch_id][1]].add(c.attendee_id)
    for pitch_id in sorted(pitch_ids):
        if pitch_id not in seating.cells:
            continue
        slot = seating.cells[pitch_id][1]
        room_left = seating.capacity[pitch_id]
        for c in seating.queue(pitch_id):
            should_sit = room_left > 0 and (c.seated or c.attendee_id not in seated_in[slot])
            if should_sit:
                room_left -= 1
                seated_in[slot].add(c.attendee_id)
            elif c.seated:
                seated_in[slot].discard(c.attendee_id)
            if should_sit != c.seated:
                c.seated, c.promoted = should_sit, should_sit and c.id != fresh
                await c.save(update_fields=["seated", "promoted"])


async def _settle_and_record(
    journal: Journal, pitch_ids: set[int], fresh: int | None = None
) -> dict[str, Any]:
    seating = await load_seating(journal.event)
    await _settle(seating, pitch_ids, fresh)
    await journal.record("seats", _counts_of(seating, pitch_ids & set(seating.cells)))
    await _record_headcounts(journal, seating.cells)
    return await _mine(journal)


async def _mine(journal: Journal) -> dict[str, Any]:
    attendee = journal.actor.as_attendee()
    return {
        "agenda": await my_agenda(journal.event, attendee.id),
        "seats": await my_seats(journal.event, attendee.id),
    }


async def _record_headcounts(journal: Journal, cells: dict[int, Cell]) -> None:
    await journal.record("headcounts", counts_in(cells, headcounts(await agendas(journal.event))))


async def _put_on_agenda(journal: Journal, slot_id: int, pitch_id: int | None) -> bool:
    """Sets the attendee's choice for the slot; False when it was that already."""
    attendee = journal.actor.as_attendee()
    held = await AgendaChoice.get_or_none(event=journal.event, attendee=attendee, slot_id=slot_id)
    if held is not None and held.pitch_id == pitch_id:
        return False
    await AgendaChoice.update_or_create(
        defaults={"pitch_id": pitch_id}, event=journal.event, attendee=attendee, slot_id=slot_id
    )
    return True


async def _leave_slot(seating: Seating, attendee_id: int, slot_id: int) -> set[int]:
    """Drops the attendee's claims in the slot; returns the sessions they were in."""
    mine = [
        c
        for c in seating.claims
        if c.attendee_id == attendee_id and seating.cells[c.pitch_id][1] == slot_id
    ]
    if mine:
        await SeatClaim.filter(id__in=[c.id for c in mine]).delete()
    return {c.pitch_id for c in mine}


def _counts_of(seating: Seating, pitch_ids: set[int]) -> dict[str, Any]:
    return {"seats": {str(p): seating.counts(p) for p in sorted(pitch_ids)}}
