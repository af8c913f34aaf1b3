"""Rate limits: one device or one network writing faster than allowed gets a 429 that says so,
and nothing it sent is kept. A server of its own runs with every limit at a tenth."""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx
import pytest
from websockets.asyncio.client import connect

from server.limits import LIMITS, WINDOW
from server.notes.document import NotesContent
from tests.conftest import ApiEvent, LiveServer, event_body, start_server, stop_server
from tests.http.helpers import assert_problem
from tests.live.helpers import NotesPhone

SCALE = 0.1


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


@pytest.fixture(autouse=True)
def within_one_window() -> None:
    """Limits count in windows of a minute; a test that began in the last seconds of one
    would see its count start again. Start each with at least 15 seconds of its window left."""
    left = WINDOW - time.time() % WINDOW
    if left < 15:
        time.sleep(left + 0.1)


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
    # Last in this module, as it uses up the address's joins; the other tests here joined
    # from the same address this minute, so it counts from wherever they left off.
    joined = 0
    while True:
        response = event.call("POST", "/attendees", json={"name": ""})
        if response.status_code != 201:
            break
        joined += 1
        assert joined <= _allowed("join", "per_address")
    assert "from one network" in assert_problem(response, 429)["detail"]
