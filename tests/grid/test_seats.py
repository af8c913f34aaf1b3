"""Seats in small rooms over a real database: claims, the waiting list and assignment."""

from __future__ import annotations

from typing import Any

import pytest

from server.errors import Conflict, Forbidden, NotFound
from server.events.changes import Change
from server.events.models import Event, Room, Slot
from server.grid import editing, seats
from server.grid.models import SeatClaim
from server.marketplace import dots, pitches
from server.validation import validate
from tests.conftest import Domain

SEATED = {"status": "seated", "ahead": 0, "position": 0, "promoted": False}


def waiting(position: int) -> dict[str, Any]:
    return {"status": "waiting", "ahead": position - 1, "position": position, "promoted": False}


class Setting:
    """A hall (50) and a snug (2) in two session slots; Snug One and Hall One share slot one,
    Snug Two is in slot two. All published."""

    def __init__(self, domain: Domain, event: Event) -> None:
        self.domain, self.event = domain, event
        self.staff: Any = None
        self.pitch: dict[str, int] = {}

    async def run(self, actor: Any, command: Any, *args: Any) -> Any:
        return await self.domain.run(self.event, actor, command, *args)

    async def people(self, n: int) -> list[Any]:
        return [await self.domain.attendee(self.event, f"P{i}") for i in range(n)]

    async def vote(self, person: Any, *names: str) -> None:
        for name in names:
            await self.run(person, dots.place_dot, self.pitch[name])

    async def claims(self) -> dict[int, list[tuple[int, bool]]]:
        found: dict[int, list[tuple[int, bool]]] = {}
        for c in await SeatClaim.filter(event=self.event).order_by("id"):
            found.setdefault(c.pitch_id, []).append((c.attendee_id, c.seated))
        return found

    async def counts(self) -> dict[str, Any]:
        return await seats.seat_counts(await Event.get(id=self.event.id))


async def setting(domain: Domain) -> Setting:
    event = await domain.event(
        rooms=[{"name": "Hall", "capacity": 50}, {"name": "Snug", "capacity": 2}],
        slots=[
            {"starts_at": "2026-11-23T10:00", "ends_at": "2026-11-23T10:45", "label": "One"},
            {"starts_at": "2026-11-23T11:00", "ends_at": "2026-11-23T11:45", "label": "Two"},
        ],
        dots_per_attendee=5,
    )
    s = Setting(domain, event)
    s.staff = await domain.facilitator(event)
    hall, snug = [r.id for r in await Room.filter(event=event).order_by("position")]
    one, two = [x.id for x in await Slot.filter(event=event).order_by("starts_at")]
    cells = {"snug1": (snug, one), "hall1": (hall, one), "snug2": (snug, two)}
    for version, (name, cell) in enumerate(cells.items()):
        view = await s.run(s.staff, pitches.create_pitch, {"title": name, "host": name})
        s.pitch[name] = view["id"]
        await s.run(s.staff, editing.move, version, view["id"], cell)
    await s.run(s.staff, editing.publish, len(cells))
    await Event.filter(id=event.id).update(voting_open=True)
    return s


async def test_first_claims_are_seated_and_capacity_is_never_exceeded(domain: Domain) -> None:
    s = await setting(domain)
    a, b, c, d = await s.people(4)
    snug = s.pitch["snug1"]
    assert (await s.run(a, seats.claim, snug))["seats"] == {str(snug): SEATED}
    await s.run(b, seats.claim, snug)
    assert (await s.run(c, seats.claim, snug))["seats"] == {str(snug): waiting(1)}
    assert (await s.run(d, seats.claim, snug))["seats"][str(snug)] == waiting(2)
    ids = [x.attendee.id for x in (a, b, c, d)]
    assert (await s.claims())[snug] == [
        (ids[0], True),
        (ids[1], True),
        (ids[2], False),
        (ids[3], False),
    ]
    assert (await s.counts())[str(snug)] == {"seated": 2, "waiting": 2, "capacity": 2}
    # A seat given up goes to the first in line; the rest move up.
    assert (await s.run(a, seats.release, snug))["seats"] == {}
    assert (await s.claims())[snug] == [(ids[1], True), (ids[2], True), (ids[3], False)]
    me = await seats.my_seats(s.event, ids[3])
    assert me == {str(snug): waiting(1)}
    promoted = await seats.my_seats(s.event, ids[2])
    assert promoted == {str(snug): {**SEATED, "promoted": True}}
    # The changes phones hear carry counts only, and fit their schema.
    last = await Change.filter(event=s.event, kind="seats").order_by("-seq").first()
    assert last is not None
    assert last.data == {"seats": {str(snug): {"seated": 2, "waiting": 1, "capacity": 2}}}
    validate("server-change", last.message())


async def test_at_most_one_seat_per_slot(domain: Domain) -> None:
    s = await setting(domain)
    (a,) = await s.people(1)
    await s.run(a, seats.claim, s.pitch["snug1"])
    await s.run(a, seats.claim, s.pitch["snug2"])  # another slot: both kept
    mine = await s.run(a, seats.claim, s.pitch["hall1"])  # same slot as snug1: moves there
    assert mine["seats"] == {str(s.pitch["hall1"]): SEATED, str(s.pitch["snug2"]): SEATED}
    assert s.pitch["snug1"] not in await s.claims()
    # Claiming again is harmless.
    again = await s.run(a, seats.claim, s.pitch["hall1"])
    assert again == mine


async def test_a_freed_seat_prefers_someone_who_voted_for_the_session(domain: Domain) -> None:
    s = await setting(domain)
    a, b, early, voter = await s.people(4)
    snug = s.pitch["snug1"]
    await s.vote(voter, "snug1")
    for person in (a, b, early, voter):
        await s.run(person, seats.claim, snug)
    assert (await seats.my_seats(s.event, voter.attendee.id))[str(snug)]["ahead"] == 0
    await s.run(a, seats.release, snug)
    claims = dict((await s.claims())[snug])
    assert claims[voter.attendee.id] is True
    assert claims[early.attendee.id] is False


async def test_assign_seats_voters_by_the_matching(domain: Domain) -> None:
    s = await setting(domain)
    people = await s.people(5)
    flexible, only_snug_1, only_snug_2, claimant, late = people
    # snug1 has 4 voters for 2 seats; "flexible" also wants the hall, where there is room.
    await s.vote(flexible, "snug1", "hall1")
    await s.vote(only_snug_1, "snug1")
    await s.vote(only_snug_2, "snug1")
    await s.vote(late, "snug1")
    await s.run(claimant, seats.claim, s.pitch["snug1"])
    result = await s.run(s.staff, seats.assign, None)
    snug = s.pitch["snug1"]
    seated = [a for a, sat in (await s.claims())[snug] if sat]
    assert len(seated) == 2
    assert seated[0] == claimant.attendee.id  # first claims honoured
    assert flexible.attendee.id not in seated  # the matching sends them to the hall
    assert seated[1] in {only_snug_1.attendee.id, only_snug_2.attendee.id, late.attendee.id}
    assert result["assigned"] == 1
    assert result["seats"][str(snug)] == {"seated": 2, "waiting": 0, "capacity": 2}
    # Running it again changes nothing and records nothing (once the headcounts that follow
    # the votes, debounced, are in).
    await domain.writes.idle()
    before = await domain.rows(s.event)
    again = await s.run(s.staff, seats.assign, snug)
    assert again["assigned"] == 0
    assert await domain.rows(s.event) == before


async def test_refusals_change_nothing(domain: Domain) -> None:
    s = await setting(domain)
    a, b = await s.people(2)
    await s.run(a, seats.claim, s.pitch["snug1"])
    unplaced = await s.run(s.staff, pitches.create_pitch, {"title": "Not on the grid"})
    before = await domain.rows(s.event)
    refusals: list[tuple[Any, Any, tuple[Any, ...], type[Exception]]] = [
        (b, seats.claim, (unplaced["id"],), Conflict),
        (b, seats.release, (s.pitch["snug1"],), NotFound),
        (s.staff, seats.claim, (s.pitch["snug1"],), Conflict),
        (a, seats.assign, (None,), Forbidden),
        (s.staff, seats.assign, (unplaced["id"],), NotFound),
    ]
    for actor, command, args, error in refusals:
        with pytest.raises(error):
            await s.run(actor, command, *args)
    assert await domain.rows(s.event) == before


async def test_assign_needs_a_published_grid(domain: Domain) -> None:
    event = await domain.event()
    staff = await domain.facilitator(event)
    with pytest.raises(Conflict, match="Publish the grid first"):
        await domain.run(event, staff, seats.assign, None)


async def test_snapshot_shows_counts_and_my_seats(domain: Domain) -> None:
    from server.live.state import snapshot

    s = await setting(domain)
    a, b, c = await s.people(3)
    for person in (a, b, c):
        await s.vote(person, "snug1")
    await s.run(a, seats.claim, s.pitch["snug1"])
    event = await Event.get(id=s.event.id)
    state = await snapshot(event, a, "http://snug.test")
    validate("event-state", state)
    assert state["grid"]["seats"] == {
        str(s.pitch["snug1"]): {"seated": 1, "waiting": 0, "capacity": 2}
    }
    assert state["me"]["seats"] == {str(s.pitch["snug1"]): SEATED}


async def test_a_session_moved_to_a_bigger_room_seats_its_waiting_list(domain: Domain) -> None:
    s = await setting(domain)
    a, b, c = await s.people(3)
    snug = s.pitch["snug2"]
    for person in (a, b, c):
        await s.run(person, seats.claim, snug)
    assert (await s.counts())[str(snug)] == {"seated": 2, "waiting": 1, "capacity": 2}
    hall = (await Room.get(event=s.event, name="Hall")).id
    two = (await Slot.get(event=s.event, label="Two")).id
    version = (await Event.get(id=s.event.id)).grid_version
    await s.run(s.staff, editing.move, version, snug, (hall, two))
    assert [seated for _who, seated in (await s.claims())[snug]] == [True, True, False]
    await s.run(s.staff, editing.publish, version + 1)
    assert [seated for _who, seated in (await s.claims())[snug]] == [True, True, True]
    last = await Change.filter(event=s.event).order_by("-seq").first()
    assert last is not None and last.kind == "seats"
    assert last.data == {"seats": {str(snug): {"seated": 3, "waiting": 0, "capacity": 50}}}


async def test_the_agenda_and_the_seats_tell_one_story(domain: Domain) -> None:
    """Claim, full room, release and promotion, walked through the agenda as a phone does."""
    s = await setting(domain)
    a, b, c = await s.people(3)
    snug, hall = s.pitch["snug1"], s.pitch["hall1"]
    one = (await Slot.get(event=s.event, label="One")).id
    for person in (a, b, c):
        await s.vote(person, "snug1")  # three want a room of two: its places are counted
    # Choosing the session on the agenda claims a place in it; the third waits, number 1.
    for person in (a, b):
        mine = await s.run(person, seats.choose, one, snug)
        assert mine == {"agenda": {str(one): snug}, "seats": {str(snug): SEATED}}
    third = await s.run(c, seats.choose, one, snug)
    assert third == {"agenda": {str(one): snug}, "seats": {str(snug): waiting(1)}}
    # The counts every page shows agree with the standing: full, one on the list.
    assert (await s.counts())[str(snug)] == {"seated": 2, "waiting": 1, "capacity": 2}
    # Choosing another session gives the place up, and the first on the list is promoted.
    moved = await s.run(a, seats.choose, one, hall)
    assert moved == {"agenda": {str(one): hall}, "seats": {}}
    assert (await seats.my_seats(s.event, c.attendee.id)) == {
        str(snug): {**SEATED, "promoted": True}
    }
    # Giving up a seat leaves nothing on the agenda for that slot, not a guess from votes.
    gone = await s.run(b, seats.release, snug)
    assert gone == {"agenda": {str(one): None}, "seats": {}}
    # Claiming from the grid puts the session on the agenda too.
    back = await s.run(b, seats.claim, snug)
    assert back == {"agenda": {str(one): snug}, "seats": {str(snug): SEATED}}


async def test_standing_is_the_one_answer(domain: Domain) -> None:
    s = await setting(domain)
    people = await s.people(4)
    snug = s.pitch["snug1"]
    for person in people:
        await s.run(person, seats.claim, snug)
    seating = await seats.load_seating(await Event.get(id=s.event.id))
    found = [seats.standing(seating, p.attendee.id, snug) for p in people]
    assert found == [
        seats.Standing(seated=True, position=0, promoted=False),
        seats.Standing(seated=True, position=0, promoted=False),
        seats.Standing(seated=False, position=1, promoted=False),
        seats.Standing(seated=False, position=2, promoted=False),
    ]
    assert seats.standing(seating, people[0].attendee.id, s.pitch["hall1"]) is None
    counts = seating.counts(snug)
    waiting_list = [f for f in found if f and not f.seated]
    assert counts["waiting"] == len(waiting_list) == max(f.position for f in waiting_list)


async def test_a_refused_choice_changes_nothing(domain: Domain) -> None:
    s = await setting(domain)
    (a,) = await s.people(1)
    one = (await Slot.get(event=s.event, label="One")).id
    await s.run(a, seats.claim, s.pitch["snug1"])
    before = await domain.rows(s.event)
    with pytest.raises(Conflict, match="isn't in that slot"):
        await s.run(a, seats.choose, one, s.pitch["snug2"])
    assert await domain.rows(s.event) == before
