"""Releases of the grid over HTTP: preview, publish, history, compare, rollback, unpublish;
and removing a room or slot that holds sessions, refused until confirmed. Every refusal is
problem+json with a sentence and changes nothing anyone can read."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.conftest import ApiEvent
from tests.http.helpers import assert_problem
from tests.http.test_grid import Grid, make_grid


def released(make_event: Callable[..., ApiEvent]) -> Grid:
    """Two sessions placed and published as release 1; one of them then moved in the draft."""
    g = make_grid(make_event, hosts=["Ann", "Bo"])
    g.move(g.pitches[0], "Great Hall", "One")
    g.move(g.pitches[1], "Loft", "One")
    assert g.do("publish")["release"] == 1
    g.move(g.pitches[0], "Snug", "Two")
    return g


def test_the_preview_publish_and_history_over_the_api(make_event: Callable[..., ApiEvent]) -> None:
    g = released(make_event)
    g.vote("Sam", g.pitches[0])
    preview = g.ev.ok("GET", "/grid/preview", g.fac)
    assert preview["release"] == 1 and preview["version"] == g.version()
    assert [(c["pitch"], c["kind"], c["room_changed"]) for c in preview["changes"]] == [
        (g.pitches[0], "moved", True)
    ]
    assert preview["people"] == 1
    assert g.ev.state()["grid"]["placements"][0]["room"] == g.rooms["Great Hall"], "not yet"
    assert g.do("publish")["release"] == 2
    assert g.ev.state()["grid"]["placements"][0]["room"] == g.rooms["Snug"]
    history = g.ev.ok("GET", "/grid/releases", g.fac)["releases"]
    assert [(r["number"], r["kind"], r["changed"]) for r in history] == [
        (2, "publish", 1),
        (1, "publish", 2),
    ]
    compared = g.ev.ok("GET", "/grid/releases/1/compare/2", g.fac)
    assert compared["from"] == 1 and [c["pitch"] for c in compared["changes"]] == [g.pitches[0]]


def test_rollback_and_unpublish_over_the_api(make_event: Callable[..., ApiEvent]) -> None:
    g = released(make_event)
    g.do("publish")
    answer = g.do("rollback", release=1)
    assert answer["release"] == 3
    assert g.ev.state()["grid"]["placements"][0]["room"] == g.rooms["Great Hall"]
    assert g.do("unpublish")["release"] == 4
    assert g.ev.state()["grid"]["live"] is False
    assert g.ev.ok("GET", "/grid/releases", g.fac)["releases"][0]["kind"] == "unpublish"


@pytest.mark.parametrize(
    ("what", "body", "status"),
    [
        ("rollback", {"release": 99}, 404),
        ("rollback", {"release": 0}, 422),
        ("rollback", {"release": "1"}, 422),
        ("rollback", {}, 422),
        ("rollback", {"release": 1, "version": 0}, 409),
        ("unpublish", {"version": 0}, 409),
        ("unpublish", {"extra": True}, 422),
    ],
)
def test_bad_release_commands_are_problems_and_change_nothing(
    make_event: Callable[..., ApiEvent], what: str, body: dict[str, Any], status: int
) -> None:
    g = released(make_event)
    before = g.world()
    body.setdefault("version", g.version())
    assert_problem(g.command(what, body), status)
    assert g.world() == before


def test_attendees_may_not_read_or_release_the_grid(make_event: Callable[..., ApiEvent]) -> None:
    g = released(make_event)
    sam = g.vote("Sam")
    before = g.world()
    for path in ("/grid/preview", "/grid/releases", "/grid/releases/1/compare/1"):
        assert_problem(g.ev.call("GET", path, sam), 403)
        assert_problem(g.ev.call("GET", path), 403)
    for what, body in (("publish", {}), ("unpublish", {}), ("rollback", {"release": 1})):
        assert_problem(g.command(what, {"version": g.version(), **body}, sam), 403)
    assert_problem(g.ev.call("GET", "/grid/releases/1/compare/9", g.fac), 404)
    assert g.world() == before


def test_removing_a_room_with_sessions_names_them_and_asks_first(
    make_event: Callable[..., ApiEvent],
) -> None:
    g = released(make_event)
    rooms = [r for r in g.ev.state(g.ev.organiser)["rooms"] if r["name"] != "Loft"]
    kept = [{k: r[k] for k in ("id", "name", "capacity")} for r in rooms]
    before = g.world()
    refused = g.ev.call("PUT", "/rooms", g.ev.organiser, json={"rooms": kept})
    problem = assert_problem(refused, 409)
    assert problem["sessions"] == [{"pitch": g.pitches[1], "title": "Idea B"}]
    assert "“Idea B”" in problem["detail"]
    assert g.world() == before
    g.ev.ok("PUT", "/rooms", g.ev.organiser, json={"rooms": kept, "unplace": True})
    assert g.pitches[1] not in g.draft_cells()


def test_removing_a_slot_with_sessions_asks_first(make_event: Callable[..., ApiEvent]) -> None:
    g = released(make_event)

    def slots_but(*labels: str) -> list[dict[str, Any]]:
        slots = g.ev.state(g.ev.organiser)["slots"]
        keys = ("id", "starts_at", "ends_at", "label", "kind")
        return [{k: s[k] for k in keys} for s in slots if s["label"] not in labels]

    # An empty slot goes without asking.
    g.ev.ok("PUT", "/slots", g.ev.organiser, json={"slots": slots_but("Lunch")})
    kept = slots_but("Two")
    problem = assert_problem(g.ev.call("PUT", "/slots", g.ev.organiser, json={"slots": kept}), 409)
    assert [s["pitch"] for s in problem["sessions"]] == [g.pitches[0]]
    g.ev.ok("PUT", "/slots", g.ev.organiser, json={"slots": kept, "unplace": True})
    assert g.draft_cells() == {g.pitches[1]: (g.rooms["Loft"], g.slots["One"])}
