"""Undoing changes to the rooms and slots (server/grid/venue.py): through the same checks as
every change of them, kept small, and bringing back what the change took away."""

from __future__ import annotations

import json
from typing import Any

import pytest

from server.errors import Conflict
from server.events import setup
from server.events.models import Room
from server.grid import agenda, editing, published, seats
from server.grid.models import AgendaChoice, GridStep
from tests.conftest import Domain
from tests.grid.test_editing import setting, venue


async def test_a_room_undo_brings_back_meets_a_namesake_and_comes_back_renamed(
    domain: Domain,
) -> None:
    s = await setting(domain)
    await s.run(editing.move, 0, s.pitches[0], (s.rooms[0], s.slots[0]))
    await s.run(editing.remove_room, 1, s.rooms[0], True)
    organiser = await domain.organiser(s.event)
    kept = [{"id": r[0], "name": r[1], "capacity": r[2]} for r in (await venue(s))[0]]
    await domain.run(
        s.event, organiser, setup.replace_rooms, [*kept, {"name": "hall ", "capacity": 20}]
    )
    undone = await s.run(editing.undo, 2)
    rooms = {r.id: r.name for r in await Room.filter(event=s.event)}
    assert sorted(n.casefold() for n in rooms.values()) == ["hall", "hall (2)", "loft", "snug"]
    assert rooms[s.rooms[0]] == "Hall (2)", "the room comes back under its own id"
    assert undone["renamed"] == [{"room": s.rooms[0], "was": "Hall", "now": "Hall (2)"}]
    assert (await venue(s))[0][0][0] == s.rooms[0], "in its old place"
    assert await s.grid() == {s.pitches[0]: (s.rooms[0], s.slots[0], False)}


async def test_a_renamed_room_keeps_within_the_longest_name(domain: Domain) -> None:
    s = await setting(domain)
    long = "R" * setup.ROOM_NAME_LENGTH
    await s.run(editing.change_room, 0, s.rooms[1], long, 2)
    await s.run(editing.remove_room, 1, s.rooms[1], True)
    organiser = await domain.organiser(s.event)
    kept = [{"id": r[0], "name": r[1], "capacity": r[2]} for r in (await venue(s))[0]]
    namesake = {"name": long, "capacity": 3}
    await domain.run(s.event, organiser, setup.replace_rooms, [*kept, namesake])
    undone = await s.run(editing.undo, 2)
    now = undone["renamed"][0]["now"]
    assert len(now) == setup.ROOM_NAME_LENGTH and now.endswith(" (2)")
    assert (await Room.get(id=s.rooms[1])).name == now


async def test_an_undo_the_checks_refuse_now_is_refused_in_words_and_changes_nothing(
    domain: Domain,
) -> None:
    s = await setting(domain)
    await s.run(editing.remove_room, 0, s.rooms[2], True)
    organiser = await domain.organiser(s.event)
    kept = [{"id": r[0], "name": r[1], "capacity": r[2]} for r in (await venue(s))[0]]
    more = setup.MOST_ROOMS_OR_SLOTS - len(kept)
    fill = [{"name": f"Room {n}", "capacity": 5} for n in range(more)]
    await domain.run(s.event, organiser, setup.replace_rooms, [*kept, *fill])
    before = await domain.rows(s.event)
    with pytest.raises(Conflict, match=r"can't be undone now.*at most 200 rooms") as refused:
        await s.run(editing.undo, 1)
    assert refused.value.status == 409
    assert await domain.rows(s.event) == before


async def test_an_undo_step_keeps_only_the_room_removed_not_the_rooms_that_moved_up(
    domain: Domain,
) -> None:
    s = await setting(domain)
    organiser = await domain.organiser(s.event)
    rooms = [{"name": f"Room {n:02}", "capacity": 10 + n} for n in range(50)]
    await domain.run(s.event, organiser, setup.replace_rooms, rooms)
    before = await venue(s)
    first = before[0][0][0]
    await s.run(editing.remove_room, 0, first, True)
    step = await GridStep.filter(event=s.event).order_by("-id").first()
    assert step is not None and step.venue is not None
    assert [r["id"] for r in step.venue["rooms"]["restore"]] == [first]
    assert len(json.dumps(step.venue)) < 300, "one room, not the 49 below it"
    await s.run(editing.undo, 1)
    assert await venue(s) == before, "back at the top, the others below it as they were"


async def test_undoing_a_slot_removal_brings_back_peoples_choices_and_seats_in_it(
    domain: Domain,
) -> None:
    s = await setting(domain)
    hall, snug = s.rooms[0], s.rooms[1]
    a, b = s.pitches[:2]
    await s.run(editing.move, 0, a, (hall, s.slots[0]))
    await s.run(editing.move, 1, b, (snug, s.slots[0]))
    await s.run(editing.publish, 2)
    ann, bo = await domain.attendee(s.event, "Ann"), await domain.attendee(s.event, "Bo")
    await domain.run(s.event, ann, seats.choose, s.slots[0], a)
    await domain.run(s.event, bo, seats.claim, b)  # a seat in the Snug
    cy = await domain.attendee(s.event, "Cy")
    await domain.run(s.event, cy, seats.choose, s.slots[0], None)  # nothing at ten
    agendas, claims = await agenda.agendas(s.event), await seats.seat_counts(s.event)
    chosen = await choices(s)
    assert len(chosen) == 3
    await s.run(editing.remove_slot, 3, s.slots[0], True)
    assert await choices(s) == [], "removing the slot deletes the choices in it"
    await s.run(editing.undo, 4)
    assert await choices(s) == chosen
    assert await published.published_cells(s.event) == {
        a: (hall, s.slots[0]),
        b: (snug, s.slots[0]),
    }
    assert await agenda.agendas(s.event) == agendas
    assert await seats.seat_counts(s.event) == claims


async def choices(s: Any) -> list[tuple[int, int, int | None]]:
    rows = await AgendaChoice.filter(event=s.event).values_list(
        "attendee_id", "slot_id", "pitch_id"
    )
    return sorted((int(a), int(sl), p) for a, sl, p in rows)


async def test_undoing_a_room_removal_puts_its_sessions_back_on_the_published_grid(
    domain: Domain,
) -> None:
    s = await setting(domain)
    a = s.pitches[0]
    await s.run(editing.move, 0, a, (s.rooms[0], s.slots[0]))
    await s.run(editing.publish, 1)
    ann = await domain.attendee(s.event, "Ann")
    await domain.run(s.event, ann, seats.choose, s.slots[0], a)
    await s.run(editing.remove_room, 2, s.rooms[0], True)
    assert await published.published_cells(s.event) == {}
    await s.run(editing.undo, 3)
    assert await published.published_cells(s.event) == {a: (s.rooms[0], s.slots[0])}
    assert (await agenda.agendas(s.event))[ann.attendee.id] == {s.slots[0]: a}
