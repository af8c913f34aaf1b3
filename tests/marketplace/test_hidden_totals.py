"""Running totals kept back while voting runs: no count leaves the server for anyone but staff,
on any surface (snapshots, API answers, live changes, catch-ups, the projector and the
attendee's page), and revealing them sends every screen the counts at once."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import httpx
from websockets.asyncio.client import connect

from server.events.access import Role
from server.live.state import as_seen_by
from server.validation import validate
from tests.conftest import ApiEvent, LiveServer
from tests.http.helpers import event_stream
from tests.live.helpers import Screen


def _hidden(make_event: Callable[..., ApiEvent]) -> tuple[ApiEvent, str, list[int]]:
    """An event with totals hidden, two pitches and three dots on them."""
    ev = make_event()
    ev.edit(voting_open=True, dots_stack=True, dots_per_attendee=5, totals_hidden=True)
    voter = ev.join("Voter")["token"]
    ids = [ev.pitch(ev.organiser, title)["id"] for title in ("Maps", "Tea")]
    for pitch in (ids[0], ids[0], ids[1]):
        ev.ok("POST", "/dots", voter, json={"pitch": pitch}, status=201)
    return ev, voter, ids


def _votes(state: dict[str, Any]) -> list[int | None]:
    return [p["votes"] for p in sorted(state["pitches"], key=lambda p: p["id"])]


def test_snapshots_carry_no_counts_but_staff_s(make_event: Callable[..., ApiEvent]) -> None:
    ev, voter, _ids = _hidden(make_event)
    for token in (None, voter):
        state = ev.state(token)
        validate("event-state", state)
        assert state["event"]["totals_hidden"] is True
        assert _votes(state) == [None, None]
    assert _votes(ev.state(ev.organiser)) == [2, 1]
    assert _votes(ev.state(ev.facilitator())) == [2, 1]
    ev.edit(totals_hidden=False)
    assert _votes(ev.state(voter)) == [2, 1], "revealed: everyone sees them"


def test_api_answers_about_a_pitch_carry_no_count(make_event: Callable[..., ApiEvent]) -> None:
    ev, _voter, _ids = _hidden(make_event)
    voter = ev.join("Author")["token"]
    mine = ev.pitch(voter, "Mine")
    assert mine["votes"] is None
    ev.ok("POST", "/dots", voter, json={"pitch": mine["id"]}, status=201)
    edited = ev.ok("PATCH", f"/pitches/{mine['id']}", voter, json={"title": "Mine!"})
    assert edited["votes"] is None, "an author doesn't learn their own count either"
    by_staff = ev.ok("PATCH", f"/pitches/{mine['id']}", ev.organiser, json={"title": "Ours"})
    assert by_staff["votes"] == 1


def test_changes_replayed_to_a_poller_carry_no_counts(
    http: httpx.Client, make_event: Callable[..., ApiEvent]
) -> None:
    ev = make_event()
    ev.edit(voting_open=True, totals_hidden=True)
    since = ev.state()["seq"]
    voter = ev.join()["token"]
    pitch = ev.pitch(voter, "Counted")["id"]
    ev.ok("POST", "/dots", voter, json={"pitch": pitch}, status=201)
    ev.ok("PATCH", f"/pitches/{pitch}", voter, json={"title": "Counted twice"})
    answer = http.get(f"/api/e/{ev.slug}/changes", params={"since": since}).json()
    kinds = {m["kind"] for m in answer["messages"]}
    assert {"pitch.saved", "tally"} <= kinds or {"pitch.saved", "votes"} <= kinds
    for message in answer["messages"]:
        validate("server-change", message)
        data = message["data"]
        assert data.get("votes") in (None, {}), message
        assert data.get("pitch", {}).get("votes") is None, message


async def test_live_changes_carry_no_counts_until_revealed(
    server: LiveServer, make_event: Callable[..., ApiEvent]
) -> None:
    ev, voter, ids = _hidden(make_event)
    url = f"{server.ws_url}/e/{ev.slug}/live"
    async with connect(url, open_timeout=5) as a, connect(url, open_timeout=5) as s:
        phone, staff = Screen(a), Screen(s)
        await phone.hello(voter)
        await staff.hello(ev.organiser)
        assert _votes((await phone.expect("snapshot"))["state"]) == [None, None]
        assert _votes((await staff.expect("snapshot"))["state"]) == [2, 1]
        ev.ok("POST", "/dots", voter, json={"pitch": ids[1]}, status=201)
        ev.ok("PATCH", f"/pitches/{ids[1]}", ev.organiser, json={"title": "Tea!"})
        seen = await phone.changes(2)
        assert all(not m["data"].get("votes") for m in seen), seen
        assert seen[-1]["data"]["pitch"]["votes"] is None
        got = await staff.changes(2)
        assert got[0]["data"]["votes"] == {str(ids[1]): 2}
        assert got[-1]["data"]["pitch"]["votes"] == 2
        ev.edit(totals_hidden=False)
        updated, counts = await phone.changes(2)
        assert updated["data"]["event"]["totals_hidden"] is False
        assert counts["data"]["votes"] == {str(ids[0]): 2, str(ids[1]): 2}
        ev.ok("POST", "/dots", voter, json={"pitch": ids[0]}, status=201)
        (after,) = await phone.changes(1)
        assert after["data"]["votes"] == {str(ids[0]): 3}
        ev.edit(totals_hidden=True, dots_per_attendee=6)  # hidden again, the room open
        ev.ok("POST", "/dots", voter, json={"pitch": ids[1]}, status=201)
        hidden, vote = await phone.changes(2)
        assert hidden["data"]["event"]["totals_hidden"] is True
        assert not vote["data"].get("votes"), vote


def test_hiding_again_stops_counts_in_every_kind_of_change() -> None:
    pitch = {"id": 1, "title": "T", "votes": 4, "hidden": False}
    messages = {
        "pitch.saved": {"pitch": pitch},
        "votes": {"votes": {"1": 4}},
        "pitch.merged": {"id": 2, "into": 1, "votes": {"1": 4}},
        "pitch.withdrawn": {"id": 2, "votes": {"2": 0}},
        "pitch.hidden": {"id": 1, "votes": {"1": 0}},
        "tally": {"votes": {"1": 4}, "headcounts": {"1": 3}},
    }
    for kind, data in messages.items():
        message = {"type": "change", "seq": 5, "kind": kind, "data": data}
        seen = as_seen_by(message, Role.attendee, totals_hidden=True)
        assert "4" not in str(seen["data"]).replace("'seq'", ""), seen
        assert seen["seq"] == 5 and seen["kind"] == kind
        assert as_seen_by(message, Role.organiser, totals_hidden=True) == message
    tally = {"type": "change", "seq": 5, "kind": "tally", "data": messages["tally"]}
    # Headcounts are filled in from the dots: they go too (test_headcount_changes_carry_...).
    assert as_seen_by(tally, Role.public, True)["data"] == {}


def test_the_projector_and_the_attendee_page_show_no_counts(
    http: httpx.Client, make_event: Callable[..., ApiEvent]
) -> None:
    ev, voter, _ids = _hidden(make_event)
    screen = http.get(f"/e/{ev.slug}/screen").text
    assert '<span class="n">' not in screen
    assert "The totals are hidden until the organiser reveals them." in screen
    page = http.get(f"/e/{ev.slug}", headers={"Cookie": f"snug_attendee={voter}"}).text
    assert re.findall(r'<p class="count">(.*?)</p>', page) == [
        '<span class="mydots">You put 1 dot here.</span>',
        '<span class="mydots">You put 2 dots here.</span>',
    ], "only the voter's own dots, newest pitch first"
    assert "The organiser is keeping the totals hidden" in page
    assert '"votes": null' in page and '"votes": 2' not in page
    ev.edit(totals_hidden=False)
    screen = http.get(f"/e/{ev.slug}/screen").text
    assert '<span class="n">2 dots</span>' in screen


def test_the_organiser_hides_and_reveals_with_a_plain_form(
    server: LiveServer, make_event: Callable[..., ApiEvent]
) -> None:
    ev = make_event()
    staff = {"Cookie": f"snug_staff={ev.organiser}", "Accept": "text/html"}
    with httpx.Client(base_url=server.url, headers=staff, timeout=20) as browser:
        page = browser.get(f"/e/{ev.slug}/organise").text
        assert 'name="totals" value="hidden"' in page and "Hide the running totals" in page
        for choice, then, button in (
            ("hidden", True, "Reveal the totals"),
            ("shown", False, "Hide"),
        ):
            answer = browser.post(
                f"/e/{ev.slug}/settings",
                data={"key": "k", "totals": choice},
                follow_redirects=False,
            )
            assert answer.status_code == 303
            assert ev.state()["event"]["totals_hidden"] is then
            assert button in browser.get(answer.headers["location"]).text
        refused = browser.post(f"/e/{ev.slug}/settings", data={"key": "k", "totals": "maybe"})
        assert refused.status_code == 422 and ev.state()["event"]["totals_hidden"] is False
    voter = ev.join()["token"]
    ev.call("PATCH", "", voter, json={"totals_hidden": True})
    assert ev.state()["event"]["totals_hidden"] is False, "only the organiser changes it"


async def test_the_event_stream_carries_no_counts_either(
    server: LiveServer, make_event: Callable[..., ApiEvent]
) -> None:
    ev, voter, ids = _hidden(make_event)
    async with event_stream(server.url, ev.slug) as events:
        _id, first = await events.next()
        assert _votes(first["state"]) == [None, None]
        ev.ok("POST", "/dots", voter, json={"pitch": ids[0]}, status=201)
        _id, change = await events.next()
        assert change["kind"] in {"votes", "tally"} and not change["data"].get("votes")


def _placed(make_event: Callable[..., ApiEvent]) -> tuple[ApiEvent, str, list[int]]:
    """Hidden totals, voting open, and the two pitches on a published grid: the headcounts are
    filled in from the dots."""
    ev, voter, ids = _hidden(make_event)
    state = ev.state(ev.organiser)
    version = state["draft"]["version"]
    for pitch, slot in zip(ids, state["slots"], strict=False):
        cell = {"pitch": pitch, "room": state["rooms"][0]["id"], "slot": slot["id"]}
        ev.ok("POST", "/grid/move", ev.organiser, json={"version": version, **cell})
        version += 1
    ev.ok("POST", "/grid/publish", ev.organiser, json={"version": version})
    return ev, voter, ids


def test_headcounts_filled_in_from_dots_are_kept_back_too(
    http: httpx.Client, make_event: Callable[..., ApiEvent]
) -> None:
    ev, voter, ids = _placed(make_event)
    ev.settled()
    staff = ev.state(ev.organiser)
    assert staff["grid"]["headcounts"] == {str(ids[0]): 1, str(ids[1]): 1}
    for token in (voter, None):
        assert ev.state(token)["grid"]["headcounts"] == {}
    page = http.get(f"/e/{ev.slug}", headers={"Cookie": f"snug_attendee={voter}"}).text
    assert "1 of 100 places" not in page and "100 places" in page
    ev.edit(totals_hidden=False)
    assert ev.settled()["grid"]["headcounts"] == staff["grid"]["headcounts"]
    assert ev.state(voter)["grid"]["headcounts"] == staff["grid"]["headcounts"]
    page = http.get(f"/e/{ev.slug}", headers={"Cookie": f"snug_attendee={voter}"}).text
    assert "1 of 100 places" in page


def test_headcount_changes_carry_no_counts_while_hidden() -> None:
    grid = {"live": True, "placements": [], "headcounts": {"1": 3}, "seats": {}}
    messages = {
        "headcounts": {"headcounts": {"1": 3}},
        "grid.published": {"grid": grid, "moved": []},
        "tally": {"headcounts": {"1": 3}},
    }
    for kind, data in messages.items():
        message = {"type": "change", "seq": 5, "kind": kind, "data": data}
        seen = as_seen_by(message, Role.attendee, totals_hidden=True)
        assert "3" not in str(seen["data"]), seen
        assert as_seen_by(message, Role.attendee, totals_hidden=False) == message
        assert as_seen_by(message, Role.facilitator, totals_hidden=True) == message


def test_published_proceedings_tell_no_dots_while_totals_are_hidden(
    http: httpx.Client, make_event: Callable[..., ApiEvent]
) -> None:
    ev, _voter, ids = _placed(make_event)
    ev.ok("PUT", "/proceedings", ev.organiser, json={"published": True})
    data = http.get(f"/e/{ev.slug}/export.json").json()
    validate("proceedings", data)
    assert data["figures"]["dots"] is None
    assert [(s["votes"], s["planned_attendance"]) for s in data["sessions"]] == [(None, None)] * 2
    for path in ("/proceedings", "/proceedings.md", f"/proceedings/{ids[0]}"):
        text = http.get(f"/e/{ev.slug}{path}").text
        assert not re.search(r"\bdots?\b|agendas", text), path
    key = {"Authorization": f"Bearer {ev.organiser}"}
    staff = http.get(f"/e/{ev.slug}/export.json", headers=key).json()
    assert staff["figures"]["dots"] == 3
    assert [s["votes"] for s in staff["sessions"]] == [2, 1]
    ev.edit(totals_hidden=False)
    assert http.get(f"/e/{ev.slug}/export.json").json()["figures"]["dots"] == 3


async def test_revealing_sends_every_screen_the_headcounts_too(
    server: LiveServer, make_event: Callable[..., ApiEvent]
) -> None:
    """The headcounts follow the revealed counts (server/grid/follow.py), to every screen."""
    ev, voter, ids = _placed(make_event)
    ev.settled()
    url = f"{server.ws_url}/e/{ev.slug}/live"
    async with connect(url, open_timeout=5) as a, connect(url, open_timeout=5) as p:
        phone, projector = Screen(a), Screen(p)
        await phone.hello(voter)
        await projector.hello()
        for screen in (phone, projector):
            state = (await screen.expect("snapshot"))["state"]
            assert state["grid"]["headcounts"] == {} and _votes(state) == [None, None]
        ev.edit(totals_hidden=False)
        for screen in (phone, projector):
            updated, counts, heads = await screen.changes(4)  # headcounts and checks in one
            assert updated["data"]["event"]["totals_hidden"] is False
            assert counts["data"]["votes"] == {str(ids[0]): 2, str(ids[1]): 1}
            assert heads["data"] == {"headcounts": {str(ids[0]): 1, str(ids[1]): 1}}
