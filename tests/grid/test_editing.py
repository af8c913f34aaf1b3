"""Building the grid over a real database: moves, swaps, locks, versions, undo, publishing."""

from __future__ import annotations

from typing import Any

import pytest

from server.errors import Conflict, Forbidden, Invalid, NotFound
from server.events import setup
from server.events.changes import Change
from server.events.models import Event, Room, Slot
from server.grid import editing
from server.grid.models import Placement, PublishedPlacement
from server.marketplace import dots, pitches
from tests.conftest import Domain


class Setting:
    """An event with three rooms, two session slots and a lunch, pitches and some votes."""

    def __init__(self, domain: Domain, event: Event) -> None:
        self.domain, self.event = domain, event
        self.rooms: list[int] = []
        self.slots: list[int] = []
        self.lunch = 0
        self.pitches: list[int] = []
        self.staff: Any = None

    async def run(self, command: Any, *args: Any) -> Any:
        return await self.domain.run(self.event, self.staff, command, *args)

    async def allocate(self, version: int) -> Any:
        return await self.run(await editing.drafted(self.event, self.staff), version)

    async def version(self) -> int:
        return (await Event.get(id=self.event.id)).grid_version

    async def grid(self) -> dict[int, tuple[int, int, bool]]:
        return {
            p.pitch_id: (p.room_id, p.slot_id, p.locked)
            for p in await Placement.filter(event=self.event)
        }


async def setting(domain: Domain, hosts: list[str] | None = None) -> Setting:
    slots = [
        {"starts_at": "2026-11-23T10:00", "ends_at": "2026-11-23T10:45", "label": "One"},
        {"starts_at": "2026-11-23T11:00", "ends_at": "2026-11-23T11:45", "label": "Two"},
        {
            "starts_at": "2026-11-23T12:00",
            "ends_at": "2026-11-23T13:00",
            "label": "Lunch",
            "kind": "break",
        },
    ]
    rooms = [
        {"name": "Hall", "capacity": 50},
        {"name": "Snug", "capacity": 2},
        {"name": "Loft", "capacity": 10},
    ]
    event = await domain.event(rooms=rooms, slots=slots)
    made = Setting(domain, event)
    made.rooms = [r.id for r in await Room.filter(event=event).order_by("position")]
    ordered = await Slot.filter(event=event).order_by("starts_at")
    made.slots = [s.id for s in ordered if s.kind == "session"]
    made.lunch = next(s.id for s in ordered if s.kind == "break")
    made.staff = await domain.facilitator(event)
    for i, host in enumerate(hosts or ["Ann", "Bo", "Cy", "Di"]):
        view = await made.run(pitches.create_pitch, {"title": f"Session {i}", "host": host})
        made.pitches.append(view["id"])
    await Event.filter(id=event.id).update(voting_open=True)
    return made


async def test_move_into_an_empty_cell_and_swap_with_an_occupant(domain: Domain) -> None:
    s = await setting(domain)
    a, b = s.pitches[:2]
    await s.run(editing.move, 0, a, (s.rooms[0], s.slots[0]))
    await s.run(editing.move, 1, b, (s.rooms[1], s.slots[0]))
    assert await s.grid() == {
        a: (s.rooms[0], s.slots[0], False),
        b: (s.rooms[1], s.slots[0], False),
    }
    await s.run(editing.move, 2, a, (s.rooms[1], s.slots[0]))
    assert await s.grid() == {
        a: (s.rooms[1], s.slots[0], False),
        b: (s.rooms[0], s.slots[0], False),
    }
    assert await s.version() == 3


async def test_a_stale_version_is_refused_and_changes_nothing(domain: Domain) -> None:
    s = await setting(domain)
    await s.run(editing.move, 0, s.pitches[0], (s.rooms[0], s.slots[0]))
    before = await domain.rows(s.event)
    with pytest.raises(Conflict, match="Someone else changed the grid"):
        await s.run(editing.move, 0, s.pitches[1], (s.rooms[1], s.slots[0]))
    assert await domain.rows(s.event) == before


async def test_a_host_cannot_be_in_two_places_at_once(domain: Domain) -> None:
    s = await setting(domain, hosts=["Ann", " ann ", "Bo"])
    await s.run(editing.move, 0, s.pitches[0], (s.rooms[0], s.slots[0]))
    before = await domain.rows(s.event)
    with pytest.raises(Conflict):
        await s.run(editing.move, 1, s.pitches[1], (s.rooms[1], s.slots[0]))
    assert await domain.rows(s.event) == before
    await s.run(editing.move, 1, s.pitches[1], (s.rooms[1], s.slots[1]))
    assert len(await s.grid()) == 2


async def test_host_and_room_availability_are_hard_rules(domain: Domain) -> None:
    s = await setting(domain)
    author = s.staff
    await domain.run(
        s.event, author, pitches.edit_pitch, s.pitches[0], {"unavailable": [s.slots[0]]}
    )
    with pytest.raises(Conflict):
        await s.run(editing.move, 0, s.pitches[0], (s.rooms[0], s.slots[0]))
    hall = await Room.get(id=s.rooms[0])
    hall.unavailable = [s.slots[1]]
    await hall.save()
    with pytest.raises(Conflict):
        await s.run(editing.move, 0, s.pitches[1], (s.rooms[0], s.slots[1]))
    with pytest.raises(Conflict, match="break"):
        await s.run(editing.move, 0, s.pitches[1], (s.rooms[0], s.lunch))
    assert await s.grid() == {}


async def test_locked_sessions_do_not_move_and_survive_allocation(domain: Domain) -> None:
    s = await setting(domain)
    a = s.pitches[0]
    await s.run(editing.move, 0, a, (s.rooms[2], s.slots[1]))
    await s.run(editing.lock, 1, a, True)
    for command, args in [
        (editing.move, (a, (s.rooms[0], s.slots[0]))),
        (editing.move, (s.pitches[1], (s.rooms[2], s.slots[1]))),
        (editing.unplace, (a,)),
    ]:
        with pytest.raises(Conflict, match="locked"):
            await s.run(command, 2, *args)
    result = await s.allocate(2)
    grid = await s.grid()
    assert grid[a] == (s.rooms[2], s.slots[1], True)
    assert set(grid) == set(s.pitches)
    assert result["allocation"]["left_out"] == []


async def test_allocation_puts_popular_sessions_in_big_rooms(domain: Domain) -> None:
    s = await setting(domain)
    popular = s.pitches[3]
    for _ in range(5):
        voter = await domain.attendee(s.event)
        await domain.run(s.event, voter, dots.place_dot, popular)
    result = await s.allocate(0)
    assert (await s.grid())[popular][0] == s.rooms[0]
    served = result["draft"]["checks"]["served"]
    assert served == {
        "served": 5,
        "total": 5,
        "percent": 100.0,
        "lost_to_clashes": 0,
        "lost_to_seats": 0,
    }


async def test_checks_report_small_rooms_and_clashes(domain: Domain) -> None:
    s = await setting(domain)
    a, b = s.pitches[:2]
    for _ in range(3):
        voter = await domain.attendee(s.event)
        for pitch_id in (a, b):
            await domain.run(s.event, voter, dots.place_dot, pitch_id)
    await s.run(editing.move, 0, a, (s.rooms[1], s.slots[0]))
    result = await s.run(editing.move, 1, b, (s.rooms[2], s.slots[0]))
    checks = result["draft"]["checks"]
    assert checks["too_small"] == [{"pitch": a, "room": s.rooms[1], "interest": 3, "capacity": 2}]
    assert {"slot": s.slots[0], "attendees": 3} in checks["clashes"]
    assert checks["served"]["lost_to_clashes"] == 3


async def test_undo_restores_the_grid_step_by_step(domain: Domain) -> None:
    s = await setting(domain)
    a = s.pitches[0]
    await s.run(editing.move, 0, a, (s.rooms[0], s.slots[0]))
    first = await s.grid()
    await s.run(editing.move, 1, a, (s.rooms[1], s.slots[1]))
    await s.run(editing.undo, 2)
    assert await s.grid() == first
    await s.run(editing.undo, 3)
    assert await s.grid() == {}
    with pytest.raises(Conflict, match="nothing to undo"):
        await s.run(editing.undo, 4)


async def test_edits_stay_in_the_draft_until_published_as_one_notice(domain: Domain) -> None:
    s = await setting(domain)
    a, b = s.pitches[:2]
    await s.run(editing.move, 0, a, (s.rooms[0], s.slots[0]))
    assert await PublishedPlacement.filter(event=s.event).count() == 0
    await s.run(editing.publish, 1)
    published = await Change.filter(event=s.event, kind="grid.published").order_by("-seq").first()
    assert published is not None
    assert published.data["moved"] == [
        {"pitch": a, "from": None, "to": {"room": s.rooms[0], "slot": s.slots[0]}}
    ]
    assert published.data["release"] == 1
    await s.run(editing.move, 2, b, (s.rooms[0], s.slots[0]))
    await s.run(editing.move, 3, a, (s.rooms[1], s.slots[1]))
    still = await Change.filter(event=s.event, kind="grid.published").order_by("-seq").first()
    assert still is not None and still.seq == published.seq, "draft edits are not published"
    assert (await PublishedPlacement.get(pitch_id=a)).room_id == s.rooms[0]
    await s.run(editing.publish, 4)
    latest = await Change.filter(event=s.event, kind="grid.published").order_by("-seq").first()
    assert latest is not None and latest.data["release"] == 2
    moved = {m["pitch"]: m for m in latest.data["moved"]}
    assert moved[b] == {"pitch": b, "from": None, "to": {"room": s.rooms[0], "slot": s.slots[0]}}
    assert moved[a]["to"] == {"room": s.rooms[1], "slot": s.slots[1]}
    row = await PublishedPlacement.get(pitch_id=a)
    assert (row.room_id, row.sequence) == (s.rooms[1], 1)


async def test_only_facilitators_edit_the_grid(domain: Domain) -> None:
    s = await setting(domain)
    attendee = await domain.attendee(s.event)
    before = await domain.rows(s.event)
    with pytest.raises(Forbidden):
        await domain.run(s.event, attendee, editing.move, 0, s.pitches[0], (s.rooms[0], s.slots[0]))
    with pytest.raises(NotFound):
        await s.run(editing.move, 0, s.pitches[0], (s.rooms[0], 99999))
    assert await domain.rows(s.event) == before


async def venue(s: Setting) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    rooms = await Room.filter(event=s.event).order_by("position", "id")
    slots = await Slot.filter(event=s.event).order_by("starts_at", "id")
    return (
        [(r.id, r.name, r.capacity, r.position, r.unavailable) for r in rooms],
        [(x.id, x.starts_at, x.ends_at, x.label, x.kind) for x in slots],
    )


async def test_removing_a_room_that_holds_sessions_names_them_and_waits_for_a_yes(
    domain: Domain,
) -> None:
    s = await setting(domain)
    a = s.pitches[0]
    await s.run(editing.move, 0, a, (s.rooms[0], s.slots[0]))
    before = await domain.rows(s.event)
    with pytest.raises(Conflict, match="“Session 0”") as refused:
        await s.run(editing.remove_room, 1, s.rooms[0], False)
    assert refused.value.extensions["sessions"] == [{"pitch": a, "title": "Session 0"}]
    assert await domain.rows(s.event) == before
    await s.run(editing.remove_room, 1, s.rooms[0], True)
    assert [r[0] for r in (await venue(s))[0]] == s.rooms[1:]
    assert await s.grid() == {}
    # An empty room goes without asking.
    await s.run(editing.remove_room, 2, s.rooms[1], False)
    assert [r[0] for r in (await venue(s))[0]] == s.rooms[2:]


async def test_undoing_a_room_removal_brings_back_the_room_and_its_sessions(
    domain: Domain,
) -> None:
    s = await setting(domain)
    a, b = s.pitches[:2]
    await s.run(editing.move, 0, a, (s.rooms[0], s.slots[0]))
    await s.run(editing.move, 1, b, (s.rooms[0], s.slots[1]))
    await s.run(editing.lock, 2, b, True)
    grid, rooms = await s.grid(), await venue(s)
    await s.run(editing.remove_room, 3, s.rooms[0], True)
    assert await s.grid() == {}
    undone = await s.run(editing.undo, 4)
    assert undone["undone"] == {"en": "remove the room Hall"}
    assert await venue(s) == rooms, "the same room, under its own id and in its place"
    assert await s.grid() == grid
    # Other facilitators hear the room come back, then the grid, like any edit.
    kinds = [c.kind for c in await Change.filter(event=s.event).order_by("-seq").limit(2)]
    assert kinds == ["grid.changed", "venue.updated"]


async def test_every_change_to_rooms_and_slots_is_one_undo_away(domain: Domain) -> None:
    s = await setting(domain)
    await s.run(editing.move, 0, s.pitches[0], (s.rooms[1], s.slots[1]))
    start = await venue(s)
    edits: list[tuple[Any, tuple[Any, ...], str]] = [
        (editing.add_room, ("Attic", 12), "add the room Attic"),
        (editing.change_room, (s.rooms[1], "Nook", 4), "change the room Snug"),
        (
            editing.add_slot,
            ("2026-11-23T14:00", "2026-11-23T14:45", "Three", "session"),
            "add the slot at 14:00",
        ),
        (
            editing.change_slot,
            (s.slots[0], "2026-11-23T09:30", "2026-11-23T10:15", "First", "session"),
            "change the slot One",
        ),
        (editing.remove_slot, (s.lunch, False), "remove the slot Lunch"),
    ]
    version = 1
    for command, args, what in edits:
        before = await venue(s)
        answer = await s.run(command, version, *args)
        assert await venue(s) != before, what
        assert answer["draft"]["undo"] == {"en": what}
        undone = await s.run(editing.undo, version + 1)
        assert undone["undone"] == {"en": what}
        assert await venue(s) == before == start, what
        assert await s.grid() == {s.pitches[0]: (s.rooms[1], s.slots[1], False)}
        version += 2


async def test_a_slot_that_holds_sessions_is_removed_only_when_confirmed(domain: Domain) -> None:
    s = await setting(domain)
    await s.run(editing.move, 0, s.pitches[1], (s.rooms[2], s.slots[1]))
    with pytest.raises(Conflict, match="time slot would take 1 session off the grid"):
        await s.run(editing.remove_slot, 1, s.slots[1], False)
    await s.run(editing.remove_slot, 1, s.slots[1], True)
    assert await s.grid() == {}
    await s.run(editing.undo, 2)
    assert await s.grid() == {s.pitches[1]: (s.rooms[2], s.slots[1], False)}


async def test_the_draft_says_what_undo_would_take_back(domain: Domain) -> None:
    s = await setting(domain)
    moved = await s.run(editing.move, 0, s.pitches[0], (s.rooms[0], s.slots[0]))
    assert moved["draft"]["undo"] == {"en": "move “Session 0”"}
    sent = await s.run(editing.unplace, 1, s.pitches[0])
    assert sent["draft"]["undo"] == {"en": "take “Session 0” off the grid"}
    assert (await s.run(editing.undo, 2))["draft"]["undo"] == {"en": "move “Session 0”"}
    assert (await s.run(editing.undo, 3))["draft"]["undo"] is None


async def test_room_and_slot_edits_are_checked_and_versioned_like_moves(domain: Domain) -> None:
    s = await setting(domain)
    attendee = await domain.attendee(s.event)
    before = await domain.rows(s.event)
    with pytest.raises(Forbidden):
        await domain.run(s.event, attendee, editing.add_room, 0, "Attic", 5)
    with pytest.raises(Conflict, match="Someone else changed the grid"):
        await s.run(editing.add_room, 7, "Attic", 5)
    with pytest.raises(Invalid, match="same name"):
        await s.run(editing.change_room, 0, s.rooms[1], "hall", 5)
    with pytest.raises(NotFound):
        await s.run(editing.remove_room, 0, 99999, True)
    with pytest.raises(Invalid, match="must end after it starts"):
        await s.run(editing.add_slot, 0, "2026-11-23T15:00", "2026-11-23T14:00", "", "session")
    assert await domain.rows(s.event) == before


async def test_rooms_added_one_at_a_time_stop_at_the_bound_a_whole_list_has(
    domain: Domain,
) -> None:
    s = await setting(domain)
    rooms = [{"name": f"Room {n}", "capacity": 10} for n in range(setup.MOST_ROOMS_OR_SLOTS)]
    await setup.put_rooms(s.event, rooms)
    before = await domain.rows(s.event)
    with pytest.raises(Invalid, match=f"at most {setup.MOST_ROOMS_OR_SLOTS} rooms"):
        await s.run(editing.add_room, 0, "One too many", 5)
    assert await domain.rows(s.event) == before


async def test_undo_takes_back_its_own_edit_not_the_organisers_rooms_since(
    domain: Domain,
) -> None:
    s = await setting(domain)
    await s.run(editing.move, 0, s.pitches[0], (s.rooms[0], s.slots[0]))
    await s.run(editing.remove_room, 1, s.rooms[0], True)
    organiser = await domain.organiser(s.event)
    kept = [{"id": r[0], "name": r[1], "capacity": r[2]} for r in (await venue(s))[0]]
    rooms = [*kept, {"name": "Annexe", "capacity": 20}]
    await domain.run(s.event, organiser, setup.replace_rooms, rooms)
    await s.run(editing.undo, 2)
    names = [r[1] for r in (await venue(s))[0]]
    assert names[0] == "Hall" and set(names) == {"Hall", "Snug", "Loft", "Annexe"}
    assert await s.grid() == {s.pitches[0]: (s.rooms[0], s.slots[0], False)}
