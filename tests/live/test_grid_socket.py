"""The grid over real websockets: facilitators editing at once, attendees' phones kept in step.

Every message the server sends in these tests is checked against its schema in schemas/.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
from websockets.asyncio.client import connect

from tests.conftest import ApiEvent, LiveServer
from tests.http.test_grid import Grid, assert_grid_problem, assert_valid_grid, make_grid
from tests.live.helpers import Screen, apply, comparable


@pytest.fixture
def screen(server: LiveServer) -> Callable[[ApiEvent], Any]:
    @asynccontextmanager
    async def open_screen(ev: ApiEvent) -> AsyncIterator[Screen]:
        async with connect(f"{server.ws_url}/e/{ev.slug}/live", open_timeout=5) as ws:
            yield Screen(ws)

    return open_screen


def apply_grid(state: dict[str, Any], change: dict[str, Any], staff: bool = False) -> None:
    """apply, plus the grid's kinds, the way the protocol tells a client to."""
    apply(state, change, staff)
    kind, data = change["kind"], change["data"]
    if kind == "grid.changed":
        if staff:
            state["draft"] = data["draft"]
        else:
            assert data == {"version": data["version"]}, data
    elif kind == "grid.published":
        state["grid"] = data["grid"]
    elif kind in ("headcounts", "grid.checks", "tally"):
        apply_tally(state, data, staff)


def apply_tally(state: dict[str, Any], data: dict[str, Any], staff: bool) -> None:
    """Headcounts and checks, alone or in a tally (a tick's tallies as one change)."""
    if "headcounts" in data:
        state["grid"] = {**state["grid"], "headcounts": data["headcounts"]}
    if staff and "checks" in data:
        state["draft"] = {**state["draft"], "checks": data["checks"]}
    if not staff:
        assert "checks" not in data, data


async def greet(s: Screen, token: str | None) -> dict[str, Any]:
    await s.hello(token)
    return dict((await s.expect("snapshot"))["state"])


async def post(client: httpx.AsyncClient, g: Grid, what: str, body: Any) -> httpx.Response:
    return await client.post(
        f"/api/e/{g.ev.slug}/grid/{what}",
        json=body,
        headers={"Authorization": f"Bearer {g.fac}"},
    )


async def test_two_facilitators_see_each_others_edits_and_a_stale_one_is_refused(
    make_event: Callable[..., ApiEvent], screen: Any, server: LiveServer
) -> None:
    g = make_grid(make_event)
    p = g.pitches
    async with screen(g.ev) as one, screen(g.ev) as two, screen(g.ev) as boss:
        states = [
            await greet(one, g.fac),
            await greet(two, g.fac),
            await greet(boss, g.ev.organiser),
        ]
        screens = (one, two, boss)
        assert [s["draft"]["version"] for s in states] == [0, 0, 0]

        # Facilitator one moves; everyone sees it, then facilitator two moves on top of it.
        g.move(p[0], "Great Hall", "One")
        seen = [await s.expect("change") for s in screens]
        assert seen[0] == seen[1] == seen[2]
        assert seen[0]["kind"] == "grid.changed" and seen[0]["data"]["version"] == 1
        version_two_saw = seen[1]["data"]["version"]
        g.do("move", version=version_two_saw, pitch=p[1], room=g.rooms["Loft"], slot=g.slots["One"])
        second = [await s.expect("change") for s in screens]
        assert second[0] == second[1] == second[2]
        assert second[0]["data"]["version"] == 2 and second[0]["seq"] == seen[0]["seq"] + 1
        for state, s_changes in zip(states, zip(seen, second, strict=True), strict=True):
            for change in s_changes:
                apply_grid(state, change, staff=True)
        staff_state = g.ev.state(g.fac)
        assert [st["draft"] for st in states] == [staff_state["draft"]] * 3

        # Facilitator one, still on version 1, swaps two sessions: refused, nothing changes.
        before = g.world()
        stale = {"version": 1, "pitch": p[0], "room": g.rooms["Loft"], "slot": g.slots["One"]}
        problem = assert_grid_problem(g.command("move", stale), 409)
        assert "version 1" in problem["detail"] and "now 2" in problem["detail"]
        assert g.world() == before
        for s in screens:
            await s.quiet(0.1)

        # Both fire moves at once, each against the version it last saw, over several rounds.
        async with httpx.AsyncClient(base_url=server.url, timeout=20) as client:
            moves = [
                (p[2], "Snug", "One"),
                (p[3], "Great Hall", "Two"),
                (p[0], "Loft", "Two"),
                (p[1], "Snug", "Two"),
                (p[2], "Great Hall", "One"),
                (p[3], "Loft", "One"),
            ]
            version, landed_versions = 2, []
            for round_ in range(3):
                fired = [moves[2 * round_], moves[2 * round_ + 1], moves[(2 * round_ + 3) % 6]]
                bodies = [
                    {"version": version, "pitch": pitch, "room": g.rooms[r], "slot": g.slots[s]}
                    for pitch, r, s in fired
                ]
                answers = await asyncio.gather(*(post(client, g, "move", b) for b in bodies))
                ok = [a for a in answers if a.status_code == 200]
                assert len(ok) == 1, [a.text for a in answers]
                for refused in (a for a in answers if a.status_code != 200):
                    assert_grid_problem(refused, 409)
                    assert "Someone else changed the grid" in refused.json()["detail"]
                landed = ok[0].json()["draft"]
                assert landed["version"] == version + 1
                heard = [await s.expect("change") for s in screens]
                assert heard[0] == heard[1] == heard[2]
                assert heard[0]["data"]["draft"] == landed
                landed_versions.append(heard[0]["data"]["version"])
                for state, change in zip(states, heard, strict=True):
                    apply_grid(state, change, staff=True)
                version = heard[1]["data"]["version"]  # the version facilitator two now sees
            # Several at once from both, all at the same version: exactly one lands.
            bodies = [
                {"version": version, "pitch": pitch, "room": g.rooms[r], "slot": g.slots[s]}
                for pitch, r, s in moves
            ]
            answers = await asyncio.gather(*(post(client, g, "move", b) for b in bodies))
            assert sorted(a.status_code for a in answers) == [200] + [409] * 5
            heard = [await s.expect("change") for s in screens]
            landed_versions.append(heard[0]["data"]["version"])
            for state, change in zip(states, heard, strict=True):
                apply_grid(state, change, staff=True)
        assert landed_versions == [3, 4, 5, 6]
        for s in screens:
            await s.quiet(0.1)
        final = g.ev.state(g.ev.organiser)
        assert final["draft"]["version"] == 6
        assert_valid_grid(final["draft"]["placements"])
        for state in states:
            assert comparable(state) == comparable(final)


async def test_attendee_phone_gets_the_published_grid_and_what_moved(
    make_event: Callable[..., ApiEvent], screen: Any
) -> None:
    g = make_grid(make_event)
    p = g.pitches
    alex = g.vote("Alex", p[0], p[1])
    sam = g.vote("Sam", p[2])
    g.ev.settled()
    hall_one, loft_one = g.cell("Great Hall", "One"), g.cell("Loft", "One")
    loft_two = g.cell("Loft", "Two")
    one, two = str(g.slots["One"]), str(g.slots["Two"])
    async with screen(g.ev) as phone, screen(g.ev) as staff, screen(g.ev) as public:
        phone_state = await greet(phone, alex)
        staff_state = await greet(staff, g.fac)
        public_state = await greet(public, None)
        assert phone_state["grid"]["live"] is False and phone_state["grid"]["placements"] == []
        everyone = (
            (phone, phone_state, False),
            (public, public_state, False),
            (staff, staff_state, True),
        )
        assert "draft" not in phone_state and "draft" not in public_state

        # Before anything is published, an agenda can't be chosen.
        before = g.world()
        refused = g.ev.call("PUT", "/me/agenda", alex, json={"slot": g.slots["One"], "pitch": p[0]})
        assert_grid_problem(refused, 409)
        assert g.world() == before

        # Draft edits: phones hear only the version, never the draft.
        g.move(p[0], "Great Hall", "One")
        g.move(p[1], "Loft", "Two")
        g.move(p[2], "Loft", "One")
        for _ in range(3):
            change = await phone.expect("change")
            assert change["kind"] == "grid.changed" and set(change["data"]) == {"version"}
            assert await public.expect("change") == change
            apply_grid(phone_state, change)
            apply_grid(public_state, change)
            apply_grid(staff_state, await staff.expect("change"), staff=True)

        # Publishing: the grid, and every session moved from nowhere to its cell.
        g.do("publish")
        changed, published = await phone.changes(2)
        assert changed["kind"] == "grid.changed" and set(changed["data"]) == {"version"}
        assert published["kind"] == "grid.published"
        assert published["data"]["moved"] == [
            {"pitch": p[0], "from": None, "to": hall_one},
            {"pitch": p[1], "from": None, "to": loft_two},
            {"pitch": p[2], "from": None, "to": loft_one},
        ]
        grid = published["data"]["grid"]
        assert grid["live"] is True
        assert sorted(x["pitch"] for x in grid["placements"]) == sorted(p[:3])
        assert grid == g.ev.state()["grid"]
        assert g.ev.ok("GET", "/me", alex)["agenda"] == {one: p[0], two: p[1]}
        assert g.ev.ok("GET", "/me", sam)["agenda"] == {one: p[2]}
        assert grid["headcounts"] == {str(p[0]): 1, str(p[1]): 1, str(p[2]): 1}
        for change in (changed, published):
            apply_grid(phone_state, change)
            apply_grid(public_state, await public.expect("change"))
            apply_grid(staff_state, await staff.expect("change"), staff=True)

        # A swap in the draft, published: both sessions move, from the old cell to the new,
        # and the agenda follows.
        g.move(p[0], "Loft", "Two")
        g.do("publish")
        drafted, changed, published = await phone.changes(3)
        assert drafted["kind"] == changed["kind"] == "grid.changed"
        assert published["kind"] == "grid.published"
        assert published["data"]["moved"] == [
            {"pitch": p[0], "from": hall_one, "to": loft_two},
            {"pitch": p[1], "from": loft_two, "to": hall_one},
        ]
        assert g.ev.ok("GET", "/me", alex)["agenda"] == {one: p[1], two: p[0]}
        for change in (drafted, changed, published):
            apply_grid(phone_state, change)
            apply_grid(public_state, await public.expect("change"))
            apply_grid(staff_state, await staff.expect("change"), staff=True)

        # Alex picks Sam's session in slot One: every screen hears the new headcounts.
        chosen = g.ev.ok("PUT", "/me/agenda", alex, json={"slot": g.slots["One"], "pitch": p[2]})
        assert chosen == {"agenda": {one: p[2], two: p[0]}, "seats": {}}
        counts = {str(p[0]): 1, str(p[1]): 0, str(p[2]): 2}
        for s, state, staff_ in everyone:
            change = await s.expect("change")
            assert change["kind"] == "headcounts" and change["data"] == {"headcounts": counts}
            apply_grid(state, change, staff_)
        assert g.ev.state()["grid"]["headcounts"] == counts

        # A session that isn't in that slot is refused and changes nothing.
        before = g.world()
        wrong = g.ev.call("PUT", "/me/agenda", alex, json={"slot": g.slots["One"], "pitch": p[0]})
        assert_grid_problem(wrong, 409)
        assert g.world() == before
        # Choosing nothing is fine.
        g.ev.ok("PUT", "/me/agenda", alex, json={"slot": g.slots["Two"], "pitch": None})
        assert g.ev.ok("GET", "/me", alex)["agenda"] == {one: p[2], two: None}
        for s, state, staff_ in everyone:
            apply_grid(state, await s.expect("change"), staff_)
            await s.quiet(0.1)

        assert comparable(phone_state) == comparable(g.ev.state(alex))
        assert comparable(public_state) == comparable(g.ev.state())
        assert comparable(staff_state) == comparable(g.ev.state(g.fac))


async def _grid_story(g: Grid) -> None:
    """Grid edits of every kind, before and after publishing, with agenda choices."""
    p = g.pitches
    alex = g.people["Alex"]
    g.move(p[0], "Great Hall", "One")
    g.move(p[1], "Loft", "One")
    g.do("lock", pitch=p[0], locked=True)
    g.do("publish")
    g.ev.ok("PUT", "/me/agenda", alex, json={"slot": g.slots["One"], "pitch": p[1]})
    g.move(p[2], "Snug", "Two")
    g.move(p[1], "Great Hall", "Two")  # Alex's choice moves out of slot One
    g.do("unplace", pitch=p[2])
    g.do("undo")
    g.do("allocate")
    g.do("publish")
    g.ev.ok("PUT", "/me/agenda", g.people["Sam"], json={"slot": g.slots["Two"], "pitch": None})


@pytest.mark.parametrize("who", ["attendee", "public", "facilitator"])
async def test_a_screen_that_reconnects_with_its_seq_rebuilds_the_state(
    make_event: Callable[..., ApiEvent], screen: Any, who: str
) -> None:
    g = make_grid(make_event)
    p = g.pitches
    alex = g.vote("Alex", p[0], p[1], p[2])
    g.vote("Sam", p[1], p[3])
    token = {"attendee": alex, "public": None, "facilitator": g.fac}[who]
    staff = who == "facilitator"
    async with screen(g.ev) as s:
        state = await greet(s, token)
    await _grid_story(g)
    g.ev.settled()
    async with screen(g.ev) as s:
        await s.hello(token, state["seq"])
        expected = g.ev.state(token)
        missed = await s.changes(expected["seq"] - state["seq"])
        await s.quiet()
    for change in missed:
        apply_grid(state, change, staff)
    assert comparable(state) == comparable(expected)
    if who == "attendee":
        assert g.ev.ok("GET", "/me", alex) == expected["me"]
        assert set(expected["me"]["agenda"]) == {str(g.slots["One"]), str(g.slots["Two"])}


async def test_votes_after_publishing_keep_every_screens_headcounts_in_step(
    make_event: Callable[..., ApiEvent], screen: Any
) -> None:
    """Agendas are prefilled from votes, so a vote after publishing changes the headcounts."""
    g = make_grid(make_event)
    p = g.pitches
    alex = g.vote("Alex", p[0])
    g.vote("Sam", p[0])
    g.move(p[0], "Great Hall", "One")
    g.move(p[1], "Loft", "One")
    g.do("publish")
    async with screen(g.ev) as s:
        state = await greet(s, None)
        assert state["grid"]["headcounts"] == {str(p[0]): 2, str(p[1]): 0}
        g.ev.ok("POST", "/dots", alex, json={"pitch": p[1]}, status=201)
        dots = g.ev.ok("GET", "/me", alex)["dots"]
        first = next(d["id"] for d in dots if d["pitch"] == p[0])
        g.ev.ok("DELETE", f"/dots/{first}", alex, status=204)
        expected = g.ev.settled()  # the headcounts follow the votes a tick later
        for change in await s.changes(expected["seq"] - state["seq"]):
            apply_grid(state, change)
        await s.quiet()
    assert comparable(state) == comparable(expected)
