"""What the latest release changed against the one before, as the projector's board
highlights it for its first minutes (server/grid/recent.py)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import httpx

from server.grid.models import GridRelease
from server.grid.recent import FADE, between, changed
from tests.conftest import ApiEvent

CELL = {"room": 1, "slot": 2}
AT = dt.datetime(2026, 11, 24, 9, 55, tzinfo=dt.UTC)


def test_moves_and_newly_placed_sessions_are_news() -> None:
    moved: list[dict[str, Any]] = [
        {"pitch": 1, "from": CELL, "to": {"room": 3, "slot": 2}},
        {"pitch": 2, "from": None, "to": CELL},
        {"pitch": 3, "from": CELL, "to": None},  # taken off the grid: no cell to mark
    ]
    placed = [{"pitch": 1}, {"pitch": 2}, {"pitch": 4}]
    assert changed(moved, placed) == {1: "moved", 2: "new"}


def test_the_first_publish_is_no_news() -> None:
    moved = [{"pitch": p, "from": None, "to": CELL} for p in (1, 2)]
    assert changed(moved, [{"pitch": 1}, {"pitch": 2}]) == {}
    assert changed([], []) == {}


def _release(number: int, kind: str, cells: dict[int, tuple[int, int]]) -> GridRelease:
    rows = [
        {"pitch_id": p, "room_id": r, "slot_id": s, "locked": False} for p, (r, s) in cells.items()
    ]
    return GridRelease(number=number, kind=kind, placements=rows, at=AT)


def test_the_latest_release_is_compared_with_the_one_before_and_fades() -> None:
    before = _release(1, "publish", {1: (1, 1), 2: (2, 1), 3: (3, 1)})
    latest = _release(2, "publish", {1: (2, 1), 2: (1, 1), 3: (3, 1), 4: (3, 2)})
    soon = between(latest, before, AT + dt.timedelta(minutes=1))
    assert soon.marks == {1: "moved", 2: "moved", 4: "new"}
    assert soon.left == (FADE - dt.timedelta(minutes=1)).total_seconds() == 540
    assert between(latest, before, AT + dt.timedelta(minutes=9)).marks == soon.marks
    late = between(latest, before, AT + FADE)
    assert late.marks == {} and late.left == 0
    assert between(latest, None, AT).marks == {}, "the first release is no news"
    assert between(None, None, AT).marks == {}
    down = _release(3, "unpublish", {1: (2, 1)})
    assert between(down, latest, AT).marks == {}, "taken down: nothing to highlight"


def test_a_publish_after_an_unpublish_is_compared_with_what_was_taken_down() -> None:
    down = _release(2, "unpublish", {1: (1, 1), 2: (2, 1)})
    again = _release(3, "publish", {1: (1, 1), 2: (1, 2)})
    assert between(again, down, AT).marks == {2: "moved"}


def _board_marks(http: httpx.Client, ev: ApiEvent) -> list[tuple[str, str]]:
    page = http.get(f"/e/{ev.slug}/board").text
    return re.findall(r'<td class="is-(\w+)"><span class="b-title">([^<]*)</span>', page)


def test_the_board_highlights_the_latest_release_across_reloads(
    http: httpx.Client, make_event: Callable[..., ApiEvent]
) -> None:
    ev = make_event()
    ids = [ev.pitch(ev.organiser, title)["id"] for title in ("Maps", "Tea")]
    state = ev.state(ev.organiser)
    room, slots = state["rooms"][0]["id"], [s["id"] for s in state["slots"]]
    version = state["draft"]["version"]

    def move(pitch: int, slot: int) -> None:
        nonlocal version
        ev.ok(
            "POST",
            "/grid/move",
            ev.organiser,
            json={"version": version, "pitch": pitch, "room": room, "slot": slot},
        )
        version += 1

    move(ids[0], slots[0])
    ev.ok("POST", "/grid/publish", ev.organiser, json={"version": version})
    version += 1
    assert _board_marks(http, ev) == [], "the first release is no news"
    move(ids[0], slots[1])
    move(ids[1], slots[0])
    ev.ok("POST", "/grid/publish", ev.organiser, json={"version": version})
    version += 1
    marked = [("new", "Tea"), ("moved", "Maps")]
    assert _board_marks(http, ev) == marked
    ev.edit(name="Renamed")  # later changes of other kinds keep the release's highlights
    assert _board_marks(http, ev) == marked
    assert '"left": ' in http.get(f"/e/{ev.slug}/board").text
