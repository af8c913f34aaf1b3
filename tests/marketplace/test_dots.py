"""Voting with dots over a real database: allowance, one per pitch, move, withdraw."""

from __future__ import annotations

from typing import Any

import pytest

from server.errors import Conflict, Forbidden, NotFound
from server.events import setup
from server.events.access import PUBLIC, Role
from server.events.changes import Change
from server.events.models import Event
from server.live.state import as_seen_by
from server.marketplace import dots, pitches
from server.marketplace.models import Dot
from server.marketplace.views import vote_counts
from tests.conftest import Domain
from tests.marketplace.test_pitches import new_pitch, voting


async def board(domain: Domain, n: int = 3, **overrides: Any) -> tuple[Event, list[int]]:
    event = await voting(domain, **overrides)
    staff = await domain.organiser(event)
    return event, [await new_pitch(domain, event, staff, f"Pitch {i}") for i in range(n)]


async def test_place_within_allowance_then_refused(domain: Domain) -> None:
    event, ids = await board(domain, 4, dots_per_attendee=3)
    sam = await domain.attendee(event)
    placed = [await domain.run(event, sam, dots.place_dot, p) for p in ids[:3]]
    assert [d["pitch"] for d in placed] == ids[:3]
    mine = await Dot.filter(attendee=sam.attendee).order_by("id")
    assert [{"id": d.id, "pitch": d.pitch_id} for d in mine] == placed
    before = await domain.rows(event)
    with pytest.raises(Conflict):
        await domain.run(event, sam, dots.place_dot, ids[3])
    assert await domain.rows(event) == before
    assert await vote_counts(event) == {p: 1 for p in ids[:3]}
    change = await Change.filter(event=event).order_by("-seq").first()
    assert change is not None and change.kind == "votes"
    assert change.data == {"votes": {str(ids[2]): 1}, "turnout": {"joined": 1, "voted": 1}}


@pytest.mark.parametrize("stack", [False, True])
async def test_one_dot_per_pitch_unless_dots_stack(domain: Domain, stack: bool) -> None:
    event, (pitch_id,) = await board(domain, 1, dots_stack=stack, dots_per_attendee=3)
    sam = await domain.attendee(event)
    await domain.run(event, sam, dots.place_dot, pitch_id)
    if stack:
        await domain.run(event, sam, dots.place_dot, pitch_id)
        await domain.run(event, sam, dots.place_dot, pitch_id)
        assert (await vote_counts(event))[pitch_id] == 3
        with pytest.raises(Conflict):
            await domain.run(event, sam, dots.place_dot, pitch_id)
    else:
        before = await domain.rows(event)
        with pytest.raises(Conflict):
            await domain.run(event, sam, dots.place_dot, pitch_id)
        assert await domain.rows(event) == before


async def test_move_and_withdraw(domain: Domain) -> None:
    event, (a, b, c) = await board(domain)
    sam = await domain.attendee(event)
    dot = await domain.run(event, sam, dots.place_dot, a)
    await domain.run(event, sam, dots.place_dot, c)
    moved = await domain.run(event, sam, dots.move_dot, dot["id"], b)
    assert moved == {"id": dot["id"], "pitch": b}
    assert await vote_counts(event) == {b: 1, c: 1}
    last = await Change.filter(event=event).order_by("-seq").first()
    assert last is not None and last.data["votes"] == {str(a): 0, str(b): 1}
    assert last.data["turnout"] == {"joined": 1, "voted": 1}
    before = await domain.rows(event)
    with pytest.raises(Conflict):  # one per pitch: c already has sam's dot
        await domain.run(event, sam, dots.move_dot, dot["id"], c)
    assert await domain.rows(event) == before
    await domain.run(event, sam, dots.withdraw_dot, dot["id"])
    assert await vote_counts(event) == {c: 1}
    assert not await Dot.exists(id=dot["id"])
    with pytest.raises(NotFound):
        await domain.run(event, sam, dots.withdraw_dot, dot["id"])


REFUSALS = [
    (action, case)
    for action in ("place", "move", "withdraw")
    for case in (
        "voting-closed",
        "someone-elses-dot",
        "public",
        "organiser",
        "unknown-pitch",
        "huge-pitch-id",
        "pitch-from-another-event",
    )
    # Placing uses no one's dot; withdrawing names no pitch.
    if not (action == "place" and case == "someone-elses-dot")
    and not (action == "withdraw" and "pitch" in case)
]


@pytest.mark.parametrize(("action", "case"), REFUSALS)
async def test_refused_dot_commands_change_nothing(domain: Domain, action: str, case: str) -> None:
    event, (a, b, _c) = await board(domain)
    owner, other = await domain.attendee(event), await domain.attendee(event)
    dot = await domain.run(event, owner, dots.place_dot, a)
    actor, pitch_id = owner, b
    if case == "voting-closed":
        organiser = await domain.organiser(event)
        await domain.run(event, organiser, setup.edit_event, {"voting_open": False}, "")
    elif case == "someone-elses-dot":
        actor = other
    elif case == "public":
        actor = PUBLIC
    elif case == "organiser":
        actor = await domain.organiser(event)
    elif case == "unknown-pitch":
        pitch_id = b + 100_000
    elif case == "huge-pitch-id":
        pitch_id = 2**40
    else:
        other_event = await voting(domain)
        pitch_id = await new_pitch(domain, other_event, await domain.organiser(other_event))
    commands = {
        "place": (dots.place_dot, pitch_id),
        "move": (dots.move_dot, dot["id"], pitch_id),
        "withdraw": (dots.withdraw_dot, dot["id"]),
    }
    command, *args = commands[action]
    before = await domain.rows(event)
    with pytest.raises((Conflict, Forbidden, NotFound)):
        await domain.run(event, actor, command, *args)
    assert await domain.rows(event) == before


async def test_voting_on_a_merged_pitch_is_refused(domain: Domain) -> None:
    event, (a, b, _c) = await board(domain)
    await domain.run(event, await domain.facilitator(event), pitches.merge_pitch, a, b)
    sam = await domain.attendee(event)
    with pytest.raises(NotFound):
        await domain.run(event, sam, dots.place_dot, a)


async def test_the_vote_s_turnout_goes_to_staff_alone(domain: Domain) -> None:
    event, ids = await board(domain, 2)
    sam, kim = await domain.attendee(event), await domain.attendee(event)
    await domain.attendee(event)  # joined, and placed no dot
    for who, pitch in ((sam, ids[0]), (sam, ids[1]), (kim, ids[0])):
        await domain.run(event, who, dots.place_dot, pitch)
    assert await dots.turnout(event) == {"joined": 3, "voted": 2}
    change = await Change.filter(event=event).order_by("-seq").first()
    assert change is not None and change.kind == "votes"
    assert change.data["turnout"] == {"joined": 3, "voted": 2}
    message = change.message()
    assert as_seen_by(message, Role.facilitator) == message
    for role in (Role.attendee, Role.public):
        assert as_seen_by(message, role)["data"] == {"votes": message["data"]["votes"]}
        tally = {**message, "kind": "tally", "data": {**message["data"], "checks": {}}}
        assert as_seen_by(tally, role)["data"] == {"votes": message["data"]["votes"]}
