"""Live updates without a websocket, against the real server: the event stream and the changes
a page polls for catch up from a seq exactly as the socket does, each role sees exactly what
the socket shows it, bad input is refused with a sentence, and a stream is let go when its
browser leaves or the server stops."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.asyncio.client import connect

from server.http.updates import HEARTBEAT, POLL_SECONDS
from server.validation import validate
from tests.conftest import ApiEvent, LiveServer, event_body, start_server
from tests.http.helpers import as_role, assert_problem, event_stream
from tests.live.helpers import Screen, apply, comparable


def changes(http: httpx.Client, slug: str, **params: Any) -> list[dict[str, Any]]:
    headers = params.pop("headers", None)
    answer = http.get(f"/api/e/{slug}/changes", params=params, headers=headers)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["poll"] == POLL_SECONDS
    for message in body["messages"]:
        validate(f"server-{message['type']}", message)
    return list(body["messages"])


async def socket_snapshot(server: LiveServer, slug: str, token: str | None) -> dict[str, Any]:
    async with connect(f"{server.ws_url}/e/{slug}/live", open_timeout=5) as ws:
        screen = Screen(ws)
        await screen.hello(token)
        return dict((await screen.expect("snapshot"))["state"])


def a_few_changes(ev: ApiEvent) -> None:
    token = ev.join("Alex")["token"]
    pitch = ev.pitch(token, "First")["id"]
    ev.edit(voting_open=True)
    ev.ok("POST", "/dots", token, json={"pitch": pitch}, status=201)
    ev.edit(venue="The Old Library")


async def test_a_stream_catches_up_then_pushes_each_change_with_its_seq_as_its_id(
    server: LiveServer, make_event: Callable[..., ApiEvent]
) -> None:
    ev = make_event()
    async with event_stream(server.url, ev.slug) as events:
        event_id, first = await events.next()
        assert first["type"] == "snapshot" and first["state"]["role"] == "public"
        assert event_id == str(first["state"]["seq"])
        ev.edit(venue="The Hall")
        event_id, change = await events.next()
        assert change["kind"] == "event.updated" and change["data"]["event"]["venue"] == "The Hall"
        assert event_id == str(change["seq"]) == str(first["state"]["seq"] + 1)


async def test_a_stream_replays_from_since_and_a_browser_coming_back_from_its_last_event_id(
    server: LiveServer, make_event: Callable[..., ApiEvent]
) -> None:
    ev = make_event()
    start = ev.state()["seq"]
    for venue in ("A", "B", "C"):
        ev.edit(venue=venue)
    async with event_stream(server.url, ev.slug, {"since": start + 1}) as events:
        heard = [await events.next() for _ in range(2)]
        assert [(i, m["data"]["event"]["venue"]) for i, m in heard] == [
            (str(start + 2), "B"),
            (str(start + 3), "C"),
        ]
    # EventSource reconnects to the address it first opened, saying where it got to.
    last = {"Last-Event-ID": str(start + 2)}
    async with event_stream(server.url, ev.slug, {"since": start}, last) as events:
        event_id, message = await events.next()
        assert event_id == str(start + 3) and message["data"]["event"]["venue"] == "C"
    # Up to date: nothing is sent until the next change, which is.
    async with event_stream(server.url, ev.slug, {"since": start + 3}) as events:
        with pytest.raises(TimeoutError):
            await events.next(wait=0.5)
        ev.edit(venue="D")
        event_id, message = await events.next()
        assert event_id == str(start + 4) and message["data"]["event"]["venue"] == "D"


def test_polling_gives_the_changes_after_a_seq_that_bring_a_snapshot_up_to_date(
    http: httpx.Client, make_event: Callable[..., ApiEvent]
) -> None:
    ev = make_event()
    [snapshot] = changes(http, ev.slug)
    assert snapshot["type"] == "snapshot"
    state = snapshot["state"]
    assert changes(http, ev.slug, since=state["seq"]) == []
    a_few_changes(ev)
    missed = changes(http, ev.slug, since=state["seq"])
    assert missed and all(m["type"] == "change" for m in missed)
    for change in missed:
        apply(state, change)
    [now] = changes(http, ev.slug)
    assert comparable(state) == comparable(now["state"])
    # Ahead of the event (a restored backup): a fresh snapshot, as the socket sends.
    [ahead] = changes(http, ev.slug, since=now["state"]["seq"] + 10)
    assert ahead == now


async def test_each_role_sees_over_the_stream_and_polling_just_what_the_socket_shows_it(
    server: LiveServer, http: httpx.Client, make_event: Callable[..., ApiEvent]
) -> None:
    ev = make_event()
    alex, fac = ev.join("Alex")["token"], ev.facilitator()
    hidden = ev.pitch(alex, "Hidden plan", pitch="Words only staff may read")["id"]
    ev.ok("PATCH", f"/pitches/{hidden}", fac, json={"hidden": True})
    ev.pitch(alex, "Open plan")
    asking = {
        "public": (None, {}, {}),
        "attendee": (alex, *as_role("attendee", alex)),
        "staff": (ev.organiser, *as_role("staff", ev.organiser)),
        # A cookie counts only when the page asks as its role: the projector page asks as no one.
        "public, though it keeps a cookie": (None, {}, as_role("attendee", alex)[1]),
    }
    for who, (token, params, headers) in asking.items():
        expected = await socket_snapshot(server, ev.slug, token)
        async with event_stream(server.url, ev.slug, params, headers) as events:
            assert (await events.next())[1]["state"] == expected, who
        polled = changes(http, ev.slug, **params, headers=headers)
        assert polled == [{"type": "snapshot", "state": expected}], who
        assert ("Words only staff may read" in json.dumps(expected)) == (who == "staff"), who
    # Changed while streaming: the attendee hears that the pitch is hidden, never its words.
    attendee, staff = as_role("attendee", alex), as_role("staff", ev.organiser)
    async with (
        event_stream(server.url, ev.slug, *attendee) as phone,
        event_stream(server.url, ev.slug, *staff) as laptop,
    ):
        await phone.next()
        await laptop.next()
        ev.ok("PATCH", f"/pitches/{hidden}", fac, json={"pitch": "Second secret thoughts"})
        _, seen = await phone.next()
        assert seen["kind"] == "pitch.hidden" and seen["data"] == {"id": hidden}
        _, seen = await laptop.next()
        assert seen["data"]["pitch"]["pitch"] == "Second secret thoughts"


def test_another_site_cannot_ask_as_a_role(
    server: LiveServer, http: httpx.Client, make_event: Callable[..., ApiEvent]
) -> None:
    ev = make_event()
    alex = ev.join("Alex")["token"]
    params, cookie = as_role("attendee", alex)
    for elsewhere in ({"Sec-Fetch-Site": "cross-site"}, {"Origin": "https://evil.example"}):
        headers = {**cookie, **elsewhere}
        for path in (f"/e/{ev.slug}/stream", f"/api/e/{ev.slug}/changes"):
            refused = http.get(path, params=params, headers=headers)
            assert "from outside Snug" in assert_problem(refused, 403)["detail"], path


@pytest.mark.parametrize("since", ["abc", "-1", "1.5", "", " 1", "²", str(2**31), "9" * 400])
def test_a_since_that_is_no_seq_is_refused_with_a_sentence(
    since: str, http: httpx.Client, make_event: Callable[..., ApiEvent]
) -> None:
    ev = make_event()
    for path in (f"/e/{ev.slug}/stream", f"/api/e/{ev.slug}/changes"):
        refused = http.get(path, params={"since": since})
        assert "'since' is the number of the last change" in assert_problem(refused, 400)["detail"]
    if since.isascii() and since.strip() == since != "":  # what a header can carry
        last = http.get(f"/e/{ev.slug}/stream", headers={"Last-Event-ID": since})
        assert_problem(last, 400)


def test_asking_as_no_known_role_or_for_no_event_is_refused(
    http: httpx.Client, make_event: Callable[..., ApiEvent]
) -> None:
    ev = make_event()
    for path in (f"/e/{ev.slug}/stream", f"/api/e/{ev.slug}/changes"):
        assert "'as' may be" in assert_problem(http.get(path, params={"as": "root"}), 400)["detail"]
        assert_problem(http.get(path.replace(ev.slug, "no-such-event")), 404)
        # Who is asking is settled before the rest of the address is looked at.
        forged = http.get(path, params={"since": "x"}, headers={"Authorization": "Bearer nope"})
        assert_problem(forged, 401)


async def test_a_cookie_no_longer_recognised_is_told_so_and_shown_the_public_view(
    server: LiveServer, http: httpx.Client, make_event: Callable[..., ApiEvent]
) -> None:
    ev = make_event()
    stale = as_role("staff", "a-facilitator-link-since-replaced")
    public = await socket_snapshot(server, ev.slug, None)
    async with event_stream(server.url, ev.slug, *stale) as events:
        told = (await events.next())[1]
        assert told["type"] == "error" and told["status"] == 401
        assert (await events.next())[1]["state"] == public
    told, shown = changes(http, ev.slug, **stale[0], headers=stale[1])
    assert (told["status"], shown) == (401, {"type": "snapshot", "state": public})


def test_the_polling_address_is_described_in_openapi(http: httpx.Client) -> None:
    operation = http.get("/openapi.json").json()["paths"]["/api/e/{slug}/changes"]["get"]
    query = {p["name"]: p for p in operation["parameters"] if p["in"] == "query"}
    assert query["since"]["schema"] == {"type": "integer", "minimum": 0, "maximum": 2**31 - 1}
    assert query["as"]["schema"]["items"] == {"enum": ["attendee", "staff"]}


def open_streams(http: httpx.Client) -> float:
    for line in http.get("/metrics").text.splitlines():
        if line.startswith('snug_websocket_connections{socket="event stream"}'):
            return float(line.split()[-1])
    return 0.0


async def test_a_stream_is_counted_while_open_and_let_go_when_its_browser_leaves(
    server: LiveServer, http: httpx.Client, make_event: Callable[..., ApiEvent]
) -> None:
    ev = make_event()
    before = open_streams(http)
    async with event_stream(server.url, ev.slug) as events:
        await events.next()
        assert open_streams(http) == before + 1
    for _ in range(50):
        if open_streams(http) == before:
            break
        await asyncio.sleep(0.1)
    assert open_streams(http) == before
    ev.edit(venue="Heard by no one")  # the room no longer offers changes to the stream
    assert open_streams(http) == before


async def test_an_idle_stream_hears_a_heartbeat_and_stopping_the_server_ends_it_at_once(
    tmp_path: Path,
) -> None:
    live = start_server(tmp_path)
    try:
        async with httpx.AsyncClient() as client:
            made = await client.post(f"{live.url}/api/events", json=event_body())
        slug = made.json()["slug"]
        async with event_stream(live.url, slug) as events:
            await events.next()
            for _ in range(HEARTBEAT * 10 + 30):  # so proxies don't close it for silence
                if events.comments:
                    break
                await asyncio.sleep(0.1)
            assert events.comments and events.comments[0].startswith(": ping")
            live.process.terminate()
            with pytest.raises(EOFError):
                await events.next(wait=5)
        live.process.wait(timeout=5)  # well within Uvicorn's 20 seconds for a graceful stop
        assert "Application shutdown complete" in (tmp_path / "server.log").read_text()
    finally:
        if live.process.poll() is None:
            live.process.kill()
