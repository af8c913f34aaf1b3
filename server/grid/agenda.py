"""Each attendee's agenda: for every slot, the session they mean to go to.

Choices are made through the seats (server/grid/seats.py ``choose``), so a session whose places
are counted is claimed when chosen. Without a choice of their own, a slot is filled from their
votes, sharing out the seats of the sessions they voted for in that slot, so the headcounts
people see start out realistic; a small room is left to its claims.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from server.events.models import Event, Room
from server.grid.models import AgendaChoice, SeatClaim
from server.grid.published import published_cells
from server.language import N_
from server.marketplace.views import Dots, placed_dots
from server.workers import Busy, Processes

Agenda = dict[int, int | None]  # slot id -> pitch id, or None for "nothing in this slot"


async def agendas(event: Event, dots: Dots | None = None) -> dict[int, Agenda]:
    """Every attendee's agenda, their own choices first, then filled from their votes: the
    event's ``dots``, read here unless the caller has them already."""
    cells = await published_cells(event)
    chosen: dict[int, Agenda] = defaultdict(dict)
    for choice in await AgendaChoice.filter(event=event):
        if choice.pitch_id is None or cells.get(choice.pitch_id, (0, 0))[1] == choice.slot_id:
            chosen[choice.attendee_id][choice.slot_id] = choice.pitch_id
    wanted: dict[int, set[int]] = defaultdict(set)
    if dots is None:
        dots = await placed_dots(event)
    for attendee_id, pitch_id in dots:
        wanted[attendee_id].add(pitch_id)
    rooms = {r.id: r.capacity for r in await Room.filter(event=event)}
    seats = {p: rooms.get(room, 0) for p, (room, _slot) in cells.items()}
    claims = await SeatClaim.filter(event=event).values_list("pitch_id")
    claimed = {int(pitch_id) for (pitch_id,) in claims}
    plan = (cells, dict(chosen), dict(wanted), seats, claimed)
    if len(dots) < FILL_INLINE:
        return filled(*plan)
    try:
        return await _fillers.run(filled, *plan)
    except Busy:
        return filled(*plan)  # a vote or a choice is never refused for want of it


# Filling takes about 2 µs a dot, so a storm's follow-ups for 2,000 people with 6,000 dots
# would hold the event loop 13 ms or more four times a second; from this many dots the
# filling is done in a process of its own.
FILL_INLINE = 1_000
_fillers = Processes("agendas", processes=1, waiting=8, busy=N_("Snug is planning other agendas."))


def filled(
    cells: dict[int, tuple[int, int]],
    chosen: dict[int, Agenda],
    wanted: dict[int, set[int]],
    seats: dict[int, int],
    claimed: set[int],
) -> dict[int, Agenda]:
    """The agendas from plain data: each slot not chosen is filled from the attendee's votes,
    sharing out the seats of the sessions they voted for in that slot."""
    by_slot: dict[int, list[int]] = defaultdict(list)
    for pitch_id, (_room, slot_id) in sorted(cells.items()):
        by_slot[slot_id].append(pitch_id)
    interest = Counter(p for sessions in wanted.values() for p in sessions)
    # A session whose places are counted (as seats.py counts them) is on an agenda only by a
    # claim, never by a guess from votes: a guess would say "going" to someone with no place.
    counted = {p for p in cells if interest[p] > seats[p] or p in claimed}
    result: dict[int, Agenda] = {a: dict(c) for a, c in chosen.items()}
    for slot_id, sessions in sorted(by_slot.items()):
        taken = Counter(
            pitch for agenda in result.values() if (pitch := agenda.get(slot_id)) is not None
        )
        for attendee_id in sorted(wanted):
            agenda = result.setdefault(attendee_id, {})
            if slot_id in agenda:
                continue
            options = [p for p in sessions if p in wanted[attendee_id] and p not in counted]
            if options:
                pick = max(options, key=lambda p: (seats[p] - taken[p], -p))
                agenda[slot_id] = pick
                taken[pick] += 1
    return result


def headcounts(all_agendas: dict[int, Agenda]) -> dict[int, int]:
    counts: Counter[int] = Counter()
    for agenda in all_agendas.values():
        counts.update(p for p in agenda.values() if p is not None)
    return dict(counts)


async def my_agenda(event: Event, attendee_id: int) -> dict[str, int | None]:
    return agenda_of(await agendas(event), attendee_id)


def agenda_of(all_agendas: dict[int, Agenda], attendee_id: int) -> dict[str, int | None]:
    return {str(s): p for s, p in sorted(all_agendas.get(attendee_id, {}).items())}


def counts_in(cells: dict[int, tuple[int, int]], counts: dict[int, int]) -> dict[str, Any]:
    return {"headcounts": {str(p): counts.get(p, 0) for p in sorted(cells)}}
