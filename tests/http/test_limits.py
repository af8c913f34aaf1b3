"""Rate limits: one device or one network writing faster than allowed gets a 429 that says so,
and nothing it sent is kept. A server of its own runs with every limit at a tenth; others show
the default limit on creating events, and whose X-Forwarded-For decides the network counted."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from websockets.asyncio.client import connect

from server.config import Settings
from server.limits import limits_table
from server.notes.document import NotesContent
from tests.conftest import ApiEvent, LiveServer, event_body, start_server, stop_server
from tests.http.helpers import as_role, assert_problem, event_stream
from tests.live.helpers import NotesPhone

SCALE = 0.1
LIMITS = limits_table(Settings.event_creation_limit)


@pytest.fixture(scope="module")
def strict(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    live = start_server(tmp_path_factory.mktemp("limits"), {"RATE_LIMIT_SCALE": str(SCALE)})
    yield live
    stop_server(live)


@pytest.fixture
def event(strict: LiveServer) -> Iterator[ApiEvent]:
    with httpx.Client(base_url=strict.url, timeout=20) as client:
        made = client.post("/api/events", json=event_body()).json()
        yield ApiEvent(client, made["slug"], made["organiser_key"], made["links"])


def _allowed(action: str, per: str) -> int:
    return int(getattr(LIMITS[action], per) * SCALE)


def test_one_device_pitching_too_fast_is_told_to_wait(event: ApiEvent) -> None:
    token = event.join()["token"]
    for n in range(_allowed("pitch", "per_device")):
        event.pitch(token, f"Pitch {n}")
    refused = event.call("POST", "/pitches", token, json={"title": "One too many"})
    problem = assert_problem(refused, 429)
    assert "3 times a minute from one device" in problem["detail"]
    assert 0 < int(refused.headers["retry-after"]) <= 60
    titles = [p["title"] for p in event.state()["pitches"]]
    assert "One too many" not in titles and len(titles) == 3
    other = event.join()["token"]
    assert event.pitch(other, "Another phone is fine")["title"] == "Another phone is fine"


def _open_streams(live: LiveServer) -> float:
    for line in httpx.get(f"{live.url}/metrics").text.splitlines():
        if line.startswith('snug_websocket_connections{socket="event stream"}'):
            return float(line.split()[-1])
    return 0.0


async def test_one_device_holds_one_event_stream_at_a_tenth_and_gets_its_place_back(
    strict: LiveServer, event: ApiEvent
) -> None:
    phone = as_role("attendee", event.join()["token"])
    async with httpx.AsyncClient(base_url=strict.url, timeout=10) as client:
        async with event_stream(strict.url, event.slug, *phone) as first:
            await first.next()
            refused = await client.get(f"/e/{event.slug}/stream", params=phone[0], headers=phone[1])
            problem = assert_problem(refused, 429)
            assert "at most 1 live stream open from one device" in problem["detail"]
            assert refused.headers["retry-after"] == "30"
            other = as_role("attendee", event.join()["token"])
            async with event_stream(strict.url, event.slug, *other) as second:
                assert "me" in (await second.next())[1]["state"]
        for _ in range(50):
            if _open_streams(strict) == 0:
                break
            await asyncio.sleep(0.1)
        async with event_stream(strict.url, event.slug, *phone) as again:
            assert "me" in (await again.next())[1]["state"]


def test_one_device_asking_for_changes_too_fast_is_told_to_wait(event: ApiEvent) -> None:
    params, cookie = as_role("attendee", event.join()["token"])
    for _ in range(_allowed("poll", "per_device")):
        assert event.call("GET", "/changes", params=params, headers=cookie).status_code == 200
    refused = event.call("GET", "/changes", params=params, headers=cookie)
    assert "6 times a minute from one device" in assert_problem(refused, 429)["detail"]
    # Another phone behind the same address is still answered.
    other = as_role("attendee", event.join()["token"])
    assert event.call("GET", "/changes", params=other[0], headers=other[1]).status_code == 200


async def test_notes_written_too_fast_are_refused_and_not_kept(
    strict: LiveServer, event: ApiEvent
) -> None:
    token = event.join()["token"]
    pitch = event.pitch(token, "Fast notes")["id"]
    async with connect(f"{strict.ws_url}/e/{event.slug}/notes/{pitch}/live") as ws:
        phone = NotesPhone(ws)
        await phone.join(token)  # the join's own update counts once
        for n in range(_allowed("notes", "per_device") - 1):
            assert (await phone.type(NotesContent(summary=f"Line {n}")))["type"] == "ack"
        refused = await phone.type(NotesContent(summary="Too fast"))
        assert refused["type"] == "error" and refused["status"] == 429
    assert event.ok("GET", f"/pitches/{pitch}/notes", token)["content"]["summary"] != "Too fast"


def test_one_network_joining_too_fast_is_told_to_wait(event: ApiEvent) -> None:
    # The last test on this server, as it uses up the address's joins; the others joined
    # from the same address this minute, so it counts from wherever they left off.
    joined = 0
    while True:
        response = event.call("POST", "/attendees", json={"name": ""})
        if response.status_code != 201:
            break
        joined += 1
        assert joined <= _allowed("join", "per_address")
    assert "from one network" in assert_problem(response, 429)["detail"]


@pytest.fixture
def own_server(tmp_path: Path) -> Iterator[Callable[[dict[str, str]], LiveServer]]:
    started: list[LiveServer] = []

    def start(env: dict[str, str]) -> LiveServer:
        started.append(start_server(tmp_path / str(len(started)), env))
        return started[-1]

    yield start
    for live in started:
        stop_server(live)


def test_one_network_creating_a_21st_event_in_an_hour_is_told_to_wait(
    own_server: Callable[[dict[str, str]], LiveServer],
) -> None:
    live = own_server({"EVENT_CREATION_LIMIT": ""})  # the default
    allowed = LIMITS["create"].per_address
    with httpx.Client(base_url=live.url, timeout=20) as client:
        for _ in range(allowed):
            assert client.post("/api/events", json=event_body()).status_code == 201
        refused = client.post("/api/events", json=event_body(slug="one-too-many"))
        detail = assert_problem(refused, 429)["detail"]
        assert f"{allowed} times an hour from one network" in detail
        assert 3500 < int(refused.headers["retry-after"]) <= 3600
        assert "try again in 60 minutes" in detail
        assert client.get("/api/e/one-too-many").status_code == 404


ROTATING = [f"198.51.100.{n}" for n in range(20)]


def _joins(live: LiveServer, forwarded_for: list[str]) -> list[int]:
    with httpx.Client(base_url=live.url, timeout=20) as client:
        slug = client.post("/api/events", json=event_body()).json()["slug"]
        return [
            client.post(
                f"/api/e/{slug}/attendees",
                json={"name": ""},
                headers={"X-Forwarded-For": address},
            ).status_code
            for address in forwarded_for
        ]


def test_a_client_cannot_choose_its_address_with_x_forwarded_for(
    own_server: Callable[[dict[str, str]], LiveServer],
) -> None:
    # Joins at a hundredth: 12 a minute from one network.
    live = own_server({"RATE_LIMIT_SCALE": "0.01"})
    statuses = _joins(live, ROTATING)
    assert statuses[:12] == [201] * 12 and set(statuses[12:]) == {429}


def test_a_trusted_proxy_says_who_the_client_is(
    own_server: Callable[[dict[str, str]], LiveServer],
) -> None:
    live = own_server({"RATE_LIMIT_SCALE": "0.01", "TRUSTED_PROXIES": "127.0.0.1, ::1"})
    assert _joins(live, ROTATING) == [201] * 20
    # What is counted is the address the proxy names, so one client behind it is still limited.
    statuses = _joins(live, ["203.0.113.9"] * 13)
    assert statuses == [201] * 12 + [429]


def test_running_an_event_again_spends_from_the_budget_of_making_events(
    own_server: Callable[[dict[str, str]], LiveServer],
) -> None:
    live = own_server({"EVENT_CREATION_LIMIT": "2"})
    with httpx.Client(base_url=live.url, timeout=20) as client:
        made = client.post("/api/events", json=event_body()).json()
        again = f"/api/e/{made['slug']}/again"
        organiser = {"Authorization": f"Bearer {made['organiser_key']}"}
        assert client.post(again, json={}, headers=organiser).status_code == 201
        refused = client.post(again, json={"slug": "one-too-many"}, headers=organiser)
        assert "2 times an hour from one network" in assert_problem(refused, 429)["detail"]
        assert client.get("/api/e/one-too-many").status_code == 404


def test_one_device_giving_feedback_too_fast_is_told_to_wait(
    own_server: Callable[[dict[str, str]], LiveServer],
) -> None:
    """Feedback is counted before anything else is looked at: even refused tries spend it.
    A server of its own, since the joining test spends this network's joins on the other."""
    live = own_server({"RATE_LIMIT_SCALE": str(SCALE)})
    with httpx.Client(base_url=live.url, timeout=20) as client:
        made = client.post("/api/events", json=event_body()).json()
        event = ApiEvent(client, made["slug"], made["organiser_key"], made["links"])
        token = event.join()["token"]
        for _ in range(_allowed("feedback", "per_device")):
            event.call("POST", "/pitches/1/feedback", token, json={"answer": "useful"})
        refused = event.call("POST", "/pitches/1/feedback", token, json={"answer": "useful"})
    problem = assert_problem(refused, 429)
    assert "1 time a minute from one device" in problem["detail"]
    assert 0 < int(refused.headers["retry-after"]) <= 60
