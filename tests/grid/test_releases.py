"""Releases of the grid: numbering, what a publish would change and for whom, comparing,
rolling back and unpublishing, over a real database."""

from __future__ import annotations

import pytest

from server.errors import Conflict, Forbidden, NotFound
from server.events.changes import Change
from server.events.models import Event
from server.grid import editing, releases, seats
from server.grid.models import GridRelease, PublishedPlacement
from server.grid.views import published_view
from server.marketplace import dots
from tests.conftest import Domain
from tests.grid.test_editing import Setting, setting


async def placed(s: Setting) -> tuple[int, int]:
    """Sessions 0 and 1 in the hall and the loft in slot one, published as release 1."""
    a, b = s.pitches[:2]
    await s.run(editing.move, 0, a, (s.rooms[0], s.slots[0]))
    await s.run(editing.move, 1, b, (s.rooms[2], s.slots[0]))
    await s.run(editing.publish, 2)
    return a, b


async def published_grid(s: Setting) -> dict[int, tuple[int | None, int | None]]:
    rows = await PublishedPlacement.filter(event=s.event, room_id__isnull=False)
    return {r.pitch_id: (r.room_id, r.slot_id) for r in rows}


def test_diff_names_each_session_added_dropped_or_moved() -> None:
    before = {1: (10, 100), 2: (11, 100), 3: (12, 100)}
    after = {1: (10, 100), 2: (12, 101), 4: (11, 100)}
    found = [s.as_json() for s in releases.diff(before, after)]
    assert [(c["pitch"], c["kind"]) for c in found] == [(2, "moved"), (3, "dropped"), (4, "added")]
    assert found[0]["room_changed"] and found[0]["time_changed"]
    assert found[0]["from"] == {"room": 11, "slot": 100}
    assert found[0]["to"] == {"room": 12, "slot": 101}
    assert releases.diff(before, dict(before)) == []


async def test_releases_are_numbered_and_keep_what_was_published(domain: Domain) -> None:
    s = await setting(domain)
    a, b = await placed(s)
    await s.run(editing.move, 3, a, (s.rooms[1], s.slots[1]))
    await s.run(editing.publish, 4)
    kept = await GridRelease.filter(event=s.event).order_by("number")
    assert [(r.number, r.kind) for r in kept] == [(1, "publish"), (2, "publish")]
    assert releases.cells_of(kept[0]) == {a: (s.rooms[0], s.slots[0]), b: (s.rooms[2], s.slots[0])}
    assert releases.cells_of(kept[1])[a] == (s.rooms[1], s.slots[1])
    history = await releases.history(s.event)
    assert [(h["number"], h["changed"], h["sessions"]) for h in history] == [(2, 1, 2), (1, 2, 2)]


async def test_the_preview_says_what_moves_and_whom_it_touches(domain: Domain) -> None:
    s = await setting(domain)
    a, b = await placed(s)
    voter, chooser, bystander = [await domain.attendee(s.event) for _ in range(3)]
    await domain.run(s.event, voter, dots.place_dot, a)
    await domain.run(s.event, bystander, dots.place_dot, b)
    await domain.run(s.event, chooser, seats.claim, a)
    await Event.filter(id=s.event.id).update(voting_open=False)
    version = (await Event.get(id=s.event.id)).grid_version
    await s.run(editing.move, version, a, (s.rooms[1], s.slots[1]))
    event = await Event.get(id=s.event.id)
    found = await releases.preview(event)
    assert found["release"] == 1 and found["live"]
    assert found["changes"] == [
        {
            "pitch": a,
            "kind": "moved",
            "from": {"room": s.rooms[0], "slot": s.slots[0]},
            "to": {"room": s.rooms[1], "slot": s.slots[1]},
            "room_changed": True,
            "time_changed": True,
        }
    ]
    assert found["rooms_changed"] == 1
    assert found["people"] == 2, "the voter and the seat claimer, not the bystander"
    assert found["seat_claims"] == {"seated": 1, "waiting": 0}
    assert await releases.concerned(event, {a}) == {voter.attendee.id, chooser.attendee.id}
    assert await published_grid(s) == {a: (s.rooms[0], s.slots[0]), b: (s.rooms[2], s.slots[0])}


async def test_comparing_two_releases(domain: Domain) -> None:
    s = await setting(domain)
    _a, b = await placed(s)
    await s.run(editing.unplace, 3, b)
    await s.run(editing.publish, 4)
    found = await releases.compare(s.event, 1, 2)
    assert [(c["pitch"], c["kind"]) for c in found["changes"]] == [(b, "dropped")]
    assert (await releases.compare(s.event, 2, 1))["changes"][0]["kind"] == "added"
    assert (await releases.compare(s.event, 2, 2))["changes"] == []
    with pytest.raises(NotFound, match="no release 9"):
        await releases.compare(s.event, 1, 9)


async def test_rollback_publishes_the_earlier_grid_as_a_new_release(domain: Domain) -> None:
    s = await setting(domain)
    a, b = await placed(s)
    await s.run(editing.move, 3, a, (s.rooms[1], s.slots[1]))
    await s.run(editing.unplace, 4, b)
    await s.run(editing.publish, 5)
    answer = await s.run(editing.rollback, 6, 1)
    assert answer["release"] == 3
    latest = await releases.latest(s.event)
    assert latest is not None and (latest.kind, latest.source) == ("rollback", 1)
    assert await published_grid(s) == {a: (s.rooms[0], s.slots[0]), b: (s.rooms[2], s.slots[0])}
    assert {p: (r, sl) for p, (r, sl, _l) in (await s.grid()).items()} == await published_grid(s)
    notice = await Change.filter(event=s.event, kind="grid.published").order_by("-seq").first()
    assert notice is not None and notice.data["release"] == 3
    assert {m["pitch"] for m in notice.data["moved"]} == {a, b}
    # The draft it replaced is one undo away; what attendees see stays the rollback.
    version = (await Event.get(id=s.event.id)).grid_version
    await s.run(editing.undo, version)
    assert b not in await s.grid()
    assert b in await published_grid(s)


async def test_rollback_to_a_missing_release_changes_nothing(domain: Domain) -> None:
    s = await setting(domain)
    await placed(s)
    before = await domain.rows(s.event)
    with pytest.raises(NotFound):
        await s.run(editing.rollback, 3, 7)
    with pytest.raises(Conflict, match="Someone else changed the grid"):
        await s.run(editing.rollback, 0, 1)
    assert await domain.rows(s.event) == before


async def test_unpublish_takes_the_grid_down_and_is_kept_in_the_history(domain: Domain) -> None:
    s = await setting(domain)
    a, _b = await placed(s)
    await s.run(editing.move, 3, a, (s.rooms[1], s.slots[1]))
    answer = await s.run(editing.unpublish, 4)
    assert answer["release"] == 2 and answer["draft"]["live"] is False
    event = await Event.get(id=s.event.id)
    assert not event.grid_live
    taken_down = await releases.find(event, 2)
    assert taken_down.kind == "unpublish"
    first = await releases.find(event, 1)
    assert taken_down.placements == first.placements, "it holds what attendees last saw"
    notice = await Change.filter(event=s.event, kind="grid.published").order_by("-seq").first()
    assert notice is not None and notice.data["grid"]["live"] is False
    with pytest.raises(Conflict, match="isn't published"):
        await s.run(editing.unpublish, 5)
    # Publishing again compares with what attendees last saw, and makes release 3.
    assert [c["pitch"] for c in (await releases.preview(event))["changes"]] == [a]
    assert (await s.run(editing.publish, 5))["release"] == 3


async def test_only_facilitators_release_the_grid(domain: Domain) -> None:
    s = await setting(domain)
    await placed(s)
    attendee = await domain.attendee(s.event)
    before = await domain.rows(s.event)
    for command, args in (
        (editing.publish, (3,)),
        (editing.unpublish, (3,)),
        (editing.rollback, (3, 1)),
    ):
        with pytest.raises(Forbidden):
            await domain.run(s.event, attendee, command, *args)
    assert await domain.rows(s.event) == before


async def test_sessions_in_a_room_or_slot_being_removed_are_named(domain: Domain) -> None:
    s = await setting(domain)
    a, b = await placed(s)
    found = await releases.sessions_in(s.event, "room", {s.rooms[0], s.rooms[1]})
    assert found == [{"pitch": a, "title": "Session 0"}]
    in_slot = await releases.sessions_in(s.event, "slot", {s.slots[0]})
    assert [x["pitch"] for x in in_slot] == sorted([a, b])
    assert await releases.sessions_in(s.event, "slot", set()) == []


async def test_the_history_shows_the_latest_releases(
    domain: Domain, monkeypatch: pytest.MonkeyPatch
) -> None:
    s = await setting(domain)
    a, _b = await placed(s)
    await s.run(editing.move, 3, a, (s.rooms[1], s.slots[1]))
    await s.run(editing.publish, 4)
    await s.run(editing.publish, 5)
    monkeypatch.setattr(releases, "HISTORY_LENGTH", 2)
    history = await releases.history(s.event)
    assert [(h["number"], h["changed"]) for h in history] == [(3, 0), (2, 1)]


async def test_unpublishing_tells_the_phones_as_publishing_does(domain: Domain) -> None:
    s = await setting(domain)
    await placed(s)
    first = await Change.filter(event=s.event, kind="grid.published").order_by("-seq").first()
    assert first is not None and first.data["grid"]["taken_down"] is False
    await s.run(editing.unpublish, 3)
    told = await Change.filter(event=s.event, kind="grid.published").order_by("-seq").first()
    assert told is not None and told.seq > first.seq
    assert told.data["grid"]["live"] is False
    assert told.data["grid"]["taken_down"] is True, "phones say the grid was taken down"
    fresh = await published_view(await Event.get(id=s.event.id))
    assert fresh["taken_down"] is True, "and a page drawn afresh says so"
    await s.run(editing.publish, 4)
    again = await Change.filter(event=s.event, kind="grid.published").order_by("-seq").first()
    assert again is not None and again.data["grid"]["taken_down"] is False
