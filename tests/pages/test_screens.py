"""The projector and now and next drawn on the server: the ranking, the newest pitches and the
join code; by room, what is on now and next on the published grid; a reload without script."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import httpx

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
    assert "The grid isn&#39;t published yet." in before
    ev.ok("POST", "/grid/move", ev.organiser, json={"version": version, **cell})
    ev.ok("POST", "/grid/publish", ev.organiser, json={"version": version + 1})
    page = http.get(f"/e/{ev.slug}/now?at=2026-11-23T10:10").text
    assert 'class="now-banner">Session 1, until 10:45<' in page
    assert 'class="next-title">Later on</span><span class="when">at 11:00<' in page
    assert '<span id="clock">10:10</span>' in page


def test_the_clock_is_the_event_s_own() -> None:
    noon_utc = dt.datetime(2026, 7, 1, 12, 0, tzinfo=dt.UTC)
    assert screens_view.local_now("Europe/London", None, noon_utc) == "2026-07-01T13:00"
    assert screens_view.local_now("Not/A_Zone", None, noon_utc) == "2026-07-01T12:00"
    assert screens_view.local_now("Europe/London", "2026-11-23T10:10") == "2026-11-23T10:10"
    assert screens_view.local_now("UTC", "soon", noon_utc) == "2026-07-01T12:00"


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


def test_the_banner_says_what_comes_next() -> None:
    assert screens_view.now_and_next(_state(False), "2026-11-23T10:10").banner == (
        "The grid isn't published yet."
    )
    assert screens_view.now_and_next(_state(True), "2026-11-23T10:50").banner == (
        "Break until 11:00"
    )
    later = screens_view.now_and_next(_state(True), "2026-11-23T12:00")
    assert later.banner == "Next, on 2026-11-24: sessions at 10:00"
    assert (later.rooms[0].now, later.rooms[0].next) == (None, "Day two")
    assert screens_view.now_and_next(_state(True), "2026-11-25T09:00").banner == (
        "That's all: no more sessions."
    )
