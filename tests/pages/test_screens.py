"""The projector and now and next drawn on the server: the ranking, the newest pitches and the
join code; by room, what is on now and next on the published grid; a reload without script."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import httpx

from server.events.day import local_now
from server.pages import screens_view
from tests.conftest import ApiEvent


def _voted(make_event: Callable[..., ApiEvent]) -> tuple[ApiEvent, list[int]]:
    ev = make_event()
    ev.edit(voting_open=True, dots_stack=True)
    ids = [ev.pitch(ev.organiser, title)["id"] for title in ("Tea <b>& talk</b>", "Quiet", "Maps")]
    token = ev.join("Voter")["token"]
    for pitch in (ids[2], ids[2], ids[0]):
        ev.ok("POST", "/dots", token, json={"pitch": pitch}, status=201)
    return ev, ids


def test_the_projector_ranks_pitches_by_dots(
    http: httpx.Client, make_event: Callable[..., ApiEvent]
) -> None:
    ev, _ids = _voted(make_event)
    page = http.get(f"/e/{ev.slug}/screen").text
    ranked = re.findall(r'<li><span class="t">(.*?)</span><span class="n">(.*?)</span>', page)
    assert ranked == [("Maps", "2 dots"), ("Tea &lt;b&gt;&amp; talk&lt;/b&gt;", "1 dot")]
    assert "Tea &lt;b&gt;&amp; talk&lt;/b&gt;" in page and "<b>&" not in page
    code = ev.links["join"].rsplit("/", 1)[1]
    assert f'<strong id="join-code">{code}</strong>' in page
    assert f'src="/e/{ev.slug}/join.svg"' in page
    assert '<noscript><meta http-equiv="refresh" content="30"></noscript>' in page
    latest = re.findall(r'<li data-id="(\d+)">', page)
    assert latest == sorted(latest, key=int, reverse=True) and len(latest) == 3


def test_now_and_next_follows_the_published_grid(
    http: httpx.Client, make_event: Callable[..., ApiEvent]
) -> None:
    ev = make_event()
    pitch = ev.pitch(ev.organiser, "Later on")["id"]
    state = ev.state(ev.organiser)
    room, slot = state["rooms"][0], state["slots"][1]
    cell = {"pitch": pitch, "room": room["id"], "slot": slot["id"]}
    version = state["draft"]["version"]
    before = http.get(f"/e/{ev.slug}/now?at=2026-11-23T09:00").text
    assert 'class="now-banner">Pitching is open: pitch a session from your phone.<' in before
    assert 'class="now-rooms" aria-label="Rooms" hidden>' in before
    ev.ok("POST", "/grid/move", ev.organiser, json={"version": version, **cell})
    ev.ok("POST", "/grid/publish", ev.organiser, json={"version": version + 1})
    page = http.get(f"/e/{ev.slug}/now?at=2026-11-23T10:10").text
    assert 'class="now-banner">Session 1, until 10:45<' in page
    assert '<p class="lbl">Next <span class="when">at 11:00</span></p>' in page
    assert '<span class="next-title">Later on</span>' in page
    assert '<span id="clock">10:10</span>' in page


def test_the_clock_is_the_event_s_own() -> None:
    noon_utc = dt.datetime(2026, 7, 1, 12, 0, tzinfo=dt.UTC)
    assert local_now("Europe/London", None, noon_utc) == "2026-07-01T13:00"
    assert local_now("Not/A_Zone", None, noon_utc) == "2026-07-01T12:00"
    assert local_now("Europe/London", "2026-11-23T10:10") == "2026-11-23T10:10"
    assert local_now("UTC", "soon", noon_utc) == "2026-07-01T12:00"


def _state(live: bool) -> dict[str, object]:
    slots = [
        {"id": 1, "starts_at": "2026-11-23T10:00", "ends_at": "2026-11-23T10:45", "label": ""},
        {
            "id": 2,
            "starts_at": "2026-11-23T10:45",
            "ends_at": "2026-11-23T11:00",
            "label": "",
            "kind": "break",
        },
        {"id": 3, "starts_at": "2026-11-24T10:00", "ends_at": "2026-11-24T11:00", "label": ""},
    ]
    return {
        "slots": slots,
        "rooms": [{"id": 7, "name": "Hall"}],
        "pitches": [{"id": 5, "title": "Day two"}],
        "grid": {"live": live, "placements": [{"pitch": 5, "room": 7, "slot": 3}]},
    }


def test_each_room_says_what_comes_next() -> None:
    assert screens_view.now_and_next(_state(False), "2026-11-23T10:10")[0].next is None
    later = screens_view.now_and_next(_state(True), "2026-11-23T12:00")
    assert (later[0].now, later[0].next, later[0].at) == (None, "Day two", "10:00")
    assert screens_view.now_and_next(_state(True), "2026-11-25T09:00")[0].next is None


def test_rooms_come_in_even_pages_that_keep_the_clock() -> None:
    rooms = list(range(9))
    first = screens_view.paged(rooms, 6, None, {"at": "2026-11-23T10:10"}, True)
    assert (first.items, first.number, first.count) == ([0, 1, 2, 3, 4], 1, 2)
    assert first.next == "?at=2026-11-23T10%3A10&page=2"
    assert first.turn == "?at=2026-11-23T10%3A10&page=2&turn=1"
    second = screens_view.paged(rooms, 6, "2", {}, False)
    assert (second.items, second.prev, second.next) == ([5, 6, 7, 8], "?page=1", "?page=1")
    for asked in ("9", "0", "²", "9" * 5000, "-1"):
        assert screens_view.paged(rooms, 6, asked, {}, False).number == 1
    assert screens_view.paged([], 6, "x", {}, True).count == 1


def test_the_board_marks_the_slot_on_now_and_what_moved() -> None:
    state = _state(True)
    state["slots"][0]["kind"] = "session"  # type: ignore[index]
    rows = screens_view.board_rows(state, state["rooms"], "2026-11-24T10:30", {5: "moved"})  # type: ignore[arg-type]
    assert [r.current for r in rows] == [False, False, True]
    assert rows[1].cells == []  # a break spans the rooms
    assert [(c.title, c.mark) for c in rows[2].cells] == [("Day two", "moved")]


def test_a_long_day_shows_the_board_from_the_slot_on_now() -> None:
    slots = [
        {
            "id": n,
            "starts_at": f"2026-11-23T{9 + n:02}:00",
            "ends_at": f"2026-11-23T{9 + n:02}:45",
            "label": "",
            "kind": "session",
        }
        for n in range(8)
    ]
    state = {"slots": slots, "rooms": [], "pitches": [], "grid": {"live": True, "placements": []}}
    shown = screens_view.board_rows(state, [], "2026-11-23T11:50", {})
    assert [r.slot["id"] for r in shown] == [2, 3, 4, 5, 6, 7]
    assert [
        r.slot["id"] for r in screens_view.board_rows(state, [], "2026-11-23T08:00", {})
    ] == list(range(6))
