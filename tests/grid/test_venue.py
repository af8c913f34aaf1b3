"""Undoing changes to the rooms and slots (server/grid/venue.py): through the same checks as
every change of them, kept small, and bringing back what the change took away."""

from __future__ import annotations

import json

import pytest

from server.errors import Conflict
from server.events import setup
from server.events.models import Room
from server.grid import editing
from server.grid.models import GridStep
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
