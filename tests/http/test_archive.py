"""The organiser's data against real servers: an event's archive moved to a fresh server and
back out again unchanged, imports refused in words, and personal data erased."""

from __future__ import annotations

import asyncio
import copy
import io
import json
import secrets
import socket
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from PIL import Image
from websockets.asyncio.client import connect

from server.notes.document import Action, NotesContent
from tests.archive.helpers import REFS, assert_same_event
from tests.benchmarks.live_load import tree_cpu_seconds
from tests.conftest import (
    ApiEvent,
    LiveServer,
    event_body,
    start_server,
    stop_server,
    unique_name,
)
from tests.http.helpers import assert_problem
from tests.live.helpers import NotesPhone

NAMES = ("Ann Archivist", "Bo Backupson")
HOST = "Cy Hostname"


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    """A second server with its own database and the same SECRET_KEY as the first. Its rate
    limits are off: this module imports more than an address may in a minute, and the import
    limit has its own test below."""
    live = start_server(tmp_path_factory.mktemp("fresh"), {"RATE_LIMIT_SCALE": "0"})
    with httpx.Client(base_url=live.url, timeout=60) as client:
        yield client
    stop_server(live)


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()


class Day:
    """An event with something in every table, made over HTTP and the sockets."""

    def __init__(self, server: LiveServer, make_event: Callable[..., ApiEvent]) -> None:
        self.server = server
        self.ev = make_event(
            rooms=[{"name": "Hall", "capacity": 50}, {"name": "Snug", "capacity": 1}],
            slots=[
                {"starts_at": "2026-11-23T10:00", "ends_at": "2026-11-23T10:45", "label": "One"},
                {"starts_at": "2026-11-23T11:00", "ends_at": "2026-11-23T11:45", "label": "Two"},
                {"starts_at": "2026-11-23T12:00", "ends_at": "2026-11-23T13:00", "kind": "break"},
            ],
        )
        self.staff = self.ev.facilitator()
        self.tokens = {name: self.ev.join(name)["token"] for name in (*NAMES, "")}
        self.pitch: dict[str, int] = {}

    def marketplace(self) -> None:
        ev, staff = self.ev, self.staff
        state = ev.state(staff)
        (hall, snug), (one, two, _lunch) = (
            [r["id"] for r in state["rooms"]],
            [s["id"] for s in state["slots"]],
        )
        self.cells = {"hall-one": (hall, one), "snug-one": (snug, one), "snug-two": (snug, two)}
        rooms = [
            {"id": hall, "name": "Hall", "capacity": 50, "unavailable": [two]},
            {"id": snug, "name": "Snug", "capacity": 1},
        ]
        ev.ok("PUT", "/rooms", ev.organiser, json={"rooms": rooms})
        ann, bo, anon = (self.tokens[n] for n in (*NAMES, ""))
        self.pitch["maps"] = ev.pitch(ann, "Open maps", host=HOST)["id"]
        ev.ok("PATCH", f"/pitches/{self.pitch['maps']}", ann, json={"unavailable": [one]})
        self.pitch["data"] = ev.pitch(bo, "Data sharing", tags=["data"])["id"]
        self.pitch["copy"] = ev.pitch(anon, "Data sharing again")["id"]
        self.pitch["spam"] = ev.pitch(anon, "Buy things")["id"]
        ev.edit(voting_open=True)
        for token, keys in ((ann, ("maps", "data")), (bo, ("maps", "copy")), (anon, ("spam",))):
            for key in keys:
                ev.ok("POST", "/dots", token, json={"pitch": self.pitch[key]}, status=201)
        ev.ok("PATCH", f"/pitches/{self.pitch['spam']}", staff, json={"hidden": True})
        merge = {"into": self.pitch["data"]}
        ev.ok("POST", f"/pitches/{self.pitch['copy']}/merge", staff, json=merge)

    def grid(self) -> None:
        ev, staff = self.ev, self.staff
        moves = [("data", "hall-one"), ("maps", "snug-two"), ("data", "snug-one")]
        for version, (key, cell) in enumerate(moves):
            room, slot = self.cells[cell]
            move = {"version": version, "pitch": self.pitch[key], "room": room, "slot": slot}
            ev.ok("POST", "/grid/move", staff, json=move)
        lock = {"version": 3, "pitch": self.pitch["maps"], "locked": True}
        ev.ok("POST", "/grid/lock", staff, json=lock)
        ev.ok("POST", "/grid/publish", staff, json={"version": 4})
        ann, bo = (self.tokens[n] for n in NAMES)
        choice = {"slot": self.cells["snug-one"][1], "pitch": self.pitch["data"]}
        ev.ok("PUT", "/me/agenda", ann, json=choice)
        for token in (ann, bo):
            ev.ok("POST", f"/me/seats/{self.pitch['data']}", token)
        # The day is over: Ann, who chose the session, says how it was.
        said = {"answer": "useful", "comment": "Worth the trip."}
        ev.ok("POST", f"/pitches/{self.pitch['data']}/feedback", ann, json=said, status=201)

    async def notes(self) -> None:
        ev, staff = self.ev, self.staff
        ann, bo = (self.tokens[n] for n in NAMES)
        base = f"/pitches/{self.pitch['data']}/notes"
        first = NotesContent(summary="Publish open data.", actions=(Action("Write up", "team"),))
        await self.type(self.pitch["data"], ann, first)
        (action,) = await self.board_follows(ann)
        # Started before the notes drop it, so the board keeps it, marked as taken out.
        ev.ok("PUT", f"/actions/{action['id']}/status", staff, json={"status": "started"})
        await self.type(self.pitch["data"], bo, NotesContent("Publish open data.", "Licences."))
        response = ev.call(
            "POST",
            f"{base}/photos",
            bo,
            params={"caption": "The flipchart"},
            content=png(),
            headers={"Content-Type": "image/png"},
        )
        assert response.status_code == 201, response.text
        ev.ok("PUT", f"{base}/credit", ann, json={"named": True})
        for final in (True, False):
            ev.ok("PUT", f"{base}/final", staff, json={"final": final})
        (version,) = ev.ok("GET", f"{base}/versions", ann)
        ev.ok("POST", f"{base}/versions/{version['id']}/restore", bo)
        await self.type(self.pitch["maps"], bo, NotesContent("Maps for everyone."))

    async def board_follows(self, token: str) -> list[dict[str, Any]]:
        """The action board follows the notes once they are acknowledged, a moment later."""
        for _ in range(300):  # 15 seconds at most
            found = self.ev.ok("GET", "/actions", token)
            if found:
                return list(found)
            await asyncio.sleep(0.05)
        raise AssertionError("the board never took up the notes' action")

    async def type(self, pitch: int, token: str, content: NotesContent) -> None:
        url = f"{self.server.ws_url}/e/{self.ev.slug}/notes/{pitch}/live"
        async with connect(url, open_timeout=5) as ws:
            phone = NotesPhone(ws)
            await phone.join(token)
            assert (await phone.type(content))["type"] == "ack"


def a_day(server: LiveServer, make_event: Callable[..., ApiEvent]) -> Day:
    day = Day(server, make_event)
    day.marketplace()
    day.grid()
    asyncio.run(day.notes())
    return day


def imported(client: httpx.Client, archive: dict[str, Any], **params: str) -> ApiEvent:
    response = client.post("/api/events/import", json=archive, params=params)
    assert response.status_code == 201, response.text
    made = response.json()
    assert made["join_code_kept"] is True
    return ApiEvent(client, made["slug"], made["organiser_key"], made["links"])


def test_an_event_moves_to_a_fresh_server_losing_nothing(
    server: LiveServer, make_event: Callable[..., ApiEvent], fresh: httpx.Client
) -> None:
    day = a_day(server, make_event)
    ev = day.ev
    days = {datetime.now(UTC).date().isoformat()}
    response = ev.call("GET", "/archive", ev.organiser)
    days.add(datetime.now(UTC).date().isoformat())  # in case midnight passed meanwhile
    assert response.status_code == 200 and response.headers["content-type"] == "application/json"
    dispositions = {f'attachment; filename="snug-{ev.slug}-{day}.json"' for day in days}
    assert response.headers["content-disposition"] in dispositions
    archive = response.json()
    for table in REFS:
        assert archive[table], f"the day made no {table}, so the test proves nothing there"

    moved = imported(fresh, copy.deepcopy(archive))
    assert moved.slug == ev.slug and moved.links["organise"].startswith(str(fresh.base_url))
    assert_same_event(archive, moved.ok("GET", "/archive", moved.organiser))

    # The event works there and belongs to whoever imported it: the new organiser link opens
    # it, no staff link from the archive does, and attendees' links work with the same
    # SECRET_KEY; the organiser hands out a new facilitator link.
    assert moved.state(moved.organiser)["role"] == "organiser"
    for old_staff in (ev.organiser, day.staff):
        assert_problem(moved.call("GET", "", old_staff), 401)
    staff = moved.facilitator()
    assert moved.state(staff)["role"] == "facilitator"
    ann = day.tokens[NAMES[0]]
    assert moved.ok("GET", "/me", ann)["name"] == NAMES[0]
    before, after = ev.state(day.staff), moved.state(staff)
    assert [p["title"] for p in before["pitches"]] == [p["title"] for p in after["pitches"]]
    assert len(after["grid"]["placements"]) == 2
    ics = fresh.get(f"/e/{moved.slug}/schedule.ics")
    assert ics.status_code == 200 and "Data sharing" in ics.text and "Open maps" in ics.text
    old_data, new_data = (
        next(p["id"] for p in s["pitches"] if p["title"] == "Data sharing") for s in (before, after)
    )
    old_notes = ev.ok("GET", f"/pitches/{old_data}/notes", ann)
    new_notes = moved.ok("GET", f"/pitches/{new_data}/notes", ann)
    assert new_notes["credits"] == old_notes["credits"] == {"named": [NAMES[0]], "anonymous": 1}
    (old_photo,) = ev.ok("GET", f"/pitches/{old_data}/notes/photos", ann)
    (new_photo,) = moved.ok("GET", f"/pitches/{new_data}/notes/photos", ann)
    assert new_notes["content"]["photos"] == [{"id": new_photo["id"], "caption": "The flipchart"}]
    assert {**new_notes["content"], "photos": []} == {**old_notes["content"], "photos": []}
    pictures = [c.get(p["url"]).content for c, p in ((ev.client, old_photo), (fresh, new_photo))]
    assert pictures[0] == pictures[1] and pictures[0].startswith(b"\x89PNG")


def test_only_the_organiser_may_download_the_archive(make_event: Callable[..., ApiEvent]) -> None:
    ev = make_event()
    for token in (ev.facilitator(), ev.join("Ann")["token"], None):
        assert_problem(ev.call("GET", "/archive", token), 403)
    assert_problem(ev.call("GET", "/archive", "forged"), 401)


def test_an_address_in_use_is_refused_or_replaced(
    make_event: Callable[..., ApiEvent], http: httpx.Client
) -> None:
    ev = make_event()
    archive = ev.ok("GET", "/archive", ev.organiser)
    taken = assert_problem(http.post("/api/events/import", json=archive), 409)
    assert f"/e/{ev.slug}" in taken["detail"] and "?slug=" in taken["detail"]
    copy_slug = f"{ev.slug[:30]}-copy"
    response = http.post("/api/events/import", json=archive, params={"slug": copy_slug})
    assert response.status_code == 201, response.text
    made = response.json()
    assert made["slug"] == copy_slug and made["join_code_kept"] is False
    assert made["links"]["join"] != ev.links["join"]
    bad = http.post("/api/events/import", json=archive, params={"slug": "Not A Slug"})
    assert "lower-case letters" in assert_problem(bad, 422)["detail"]


def test_people_cannot_be_imported_twice(
    make_event: Callable[..., ApiEvent], http: httpx.Client
) -> None:
    ev = make_event()
    ev.join("Ann")
    archive = ev.ok("GET", "/archive", ev.organiser)
    response = http.post("/api/events/import", json=archive, params={"slug": f"{ev.slug}-x"})
    assert "imported into a server once" in assert_problem(response, 409)["detail"]


def damaged(archive: dict[str, Any], how: str) -> Any:
    broken = copy.deepcopy(archive)
    if how == "format":
        broken["format"] = "something-else"
    elif how == "version":
        broken["version"] = 7
    elif how == "reference":
        broken["dots"][0]["attendee_id"] = 999_999
    elif how == "shape":
        broken["rooms"][0]["capacity"] = "big"
    else:
        broken = [broken]
    return broken


@pytest.mark.parametrize(
    ("how", "says"),
    [
        ("format", "isn't a Snug event archive"),
        ("version", "version 7, made by a newer Snug; this server reads version 1"),
        ("reference", "refers to attendees[id=999999]"),
        ("shape", "'rooms.0.capacity' should be a whole number"),
        ("list", "isn't a Snug event archive"),
    ],
)
def test_damaged_archives_are_refused_in_words_and_make_nothing(
    make_event: Callable[..., ApiEvent], fresh: httpx.Client, how: str, says: str
) -> None:
    ev = make_event()
    ev.edit(voting_open=True)
    token = ev.join("Ann")["token"]
    ev.ok("POST", "/dots", token, json={"pitch": ev.pitch(token, "A talk")["id"]}, status=201)
    archive = ev.ok("GET", "/archive", ev.organiser)
    response = fresh.post("/api/events/import", json=damaged(archive, how))
    assert says in assert_problem(response, 422)["detail"]
    assert_problem(fresh.get(f"/api/e/{ev.slug}"), 404)


def test_what_is_not_an_archive_is_refused(fresh: httpx.Client) -> None:
    as_text = fresh.post(
        "/api/events/import", content=b"{}", headers={"Content-Type": "text/plain"}
    )
    assert "as JSON" in assert_problem(as_text, 422)["detail"]
    cut = fresh.post("/api/events/import", content=b'{"format": "snug-', headers=JSON)
    assert "isn't valid JSON" in assert_problem(cut, 422)["detail"]
    # Refused from the declared length alone, before 200 MB are sent.
    head = (
        "POST /api/events/import HTTP/1.1\r\nHost: snug\r\nConnection: close\r\n"
        "Content-Type: application/json\r\n"
    )
    with socket.create_connection((fresh.base_url.host, fresh.base_url.port), timeout=10) as raw:
        raw.sendall(f"{head}Content-Length: {200 * 1024 * 1024}\r\n\r\n{{}}".encode())
        answer = raw.makefile("rb").read().decode()
    assert answer.startswith("HTTP/1.1 413 ") and "at most 100 MB" in answer


JSON = {"Content-Type": "application/json"}


def personal_event(make_event: Callable[..., ApiEvent]) -> tuple[ApiEvent, dict[str, str]]:
    ev = make_event()
    tokens = {name: ev.join(name)["token"] for name in NAMES}
    ev.pitch(tokens[NAMES[0]], "Open maps", host=HOST)
    return ev, tokens


def test_erasing_personal_data_over_http(make_event: Callable[..., ApiEvent]) -> None:
    ev, tokens = personal_event(make_event)
    staff = ev.facilitator()
    counts = ev.ok("GET", "/personal-data", ev.organiser)
    assert counts == {"attendees": 2, "named": 2, "hosts": 1, "erased_at": None}
    for token in (staff, tokens[NAMES[0]]):
        refused = ev.call("POST", "/erase-personal-data", token, json={"confirm": ev.slug})
        assert_problem(refused, 403)
        assert_problem(ev.call("GET", "/personal-data", token), 403)
    wrong = ev.call("POST", "/erase-personal-data", ev.organiser, json={"confirm": "yes"})
    assert ev.slug in assert_problem(wrong, 422)["detail"]
    assert ev.ok("GET", "/personal-data", ev.organiser) == counts  # nothing erased
    assert ev.ok("GET", "/me", tokens[NAMES[0]])["name"] == NAMES[0]

    erased = ev.ok("POST", "/erase-personal-data", ev.organiser, json={"confirm": ev.slug})
    assert (erased["attendees"], erased["named"], erased["hosts"]) == (2, 0, 0)
    age = datetime.now(UTC) - datetime.fromisoformat(erased["erased_at"])
    assert age.total_seconds() < 60
    for token in tokens.values():
        assert_problem(ev.call("GET", "/me", token), 401)
        assert ev.client.get(f"/e/{ev.slug}/my/{token}.ics").status_code in (401, 404)
    state = ev.state(staff)
    assert [p["host"] for p in state["pitches"]] == [""]
    archive = json.dumps(ev.ok("GET", "/archive", ev.organiser))
    assert not any(name in archive for name in (*NAMES, HOST))
    again = ev.ok("POST", "/erase-personal-data", ev.organiser, json={"confirm": ev.slug})
    assert again["attendees"] == 2 and again["erased_at"] >= erased["erased_at"]


async def test_screens_take_a_fresh_snapshot_after_erasure(
    server: LiveServer, make_event: Callable[..., ApiEvent]
) -> None:
    ev, _tokens = personal_event(make_event)
    async with connect(f"{server.ws_url}/e/{ev.slug}/live", open_timeout=5) as ws:
        await ws.send(json.dumps({"type": "hello", "token": None, "since": None}))
        snapshot = json.loads(await asyncio.wait_for(ws.recv(), 5))
        assert snapshot["state"]["pitches"][0]["host"] == HOST
        seq = snapshot["state"]["seq"]
        ev.ok("POST", "/erase-personal-data", ev.organiser, json={"confirm": ev.slug})
        # The change number jumped, so the screen is far behind: the server sends a snapshot,
        # or a change after a gap, which the screen answers by asking to catch up.
        message = json.loads(await asyncio.wait_for(ws.recv(), 5))
        if message["type"] == "change":
            assert message["seq"] > seq + 1
            await ws.send(json.dumps({"type": "resume", "since": seq}))
            message = json.loads(await asyncio.wait_for(ws.recv(), 5))
        assert message["type"] == "snapshot"
        assert message["state"]["seq"] > seq + 1
        assert message["state"]["pitches"][0]["host"] == ""


# --- What an import costs the server ---------------------------------------------------------


@pytest.fixture(scope="module")
def watched(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A server of its own, whose memory and responsiveness only these tests affect."""
    live = start_server(tmp_path_factory.mktemp("watched"), {"RATE_LIMIT_SCALE": "0"})
    yield live
    stop_server(live)


def memory_mb(live: LiveServer, field: str) -> float:
    """VmRSS (memory in use now) or VmHWM (the most it has used) of the server's process."""
    for line in Path(f"/proc/{live.process.pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    raise AssertionError(f"no {field} for the server's process")


def an_archive(client: httpx.Client) -> dict[str, Any]:
    """A small event's archive with a pitch and no attendees, to build larger ones from."""
    made = client.post("/api/events", json=event_body())
    assert made.status_code == 201, made.text
    slug, key = made.json()["slug"], made.json()["organiser_key"]
    ev = ApiEvent(client, slug, key, made.json()["links"])
    ev.pitch(key, "Open maps")
    return dict(ev.ok("GET", "/archive", key))


def test_a_hostile_archive_is_refused_quickly_without_memory(watched: LiveServer) -> None:
    """A 1 MB archive of a third of a million empty rows once took 6.9 GB and 101 s: every
    row's errors were gathered before any was reported."""
    with httpx.Client(base_url=watched.url, timeout=120) as client:
        archive = an_archive(client)
        archive["dots"] = [{}] * (2**20 // 4)
        body = json.dumps(archive).encode()
        assert len(body) > 2**20
        peak = memory_mb(watched, "VmHWM")
        cpu = tree_cpu_seconds(watched.process.pid)  # the reading process's included
        response = client.post("/api/events/import", content=body, headers=JSON)
        took = tree_cpu_seconds(watched.process.pid) - cpu
    assert "'dots.0' needs" in assert_problem(response, 422)["detail"]
    # CPU seconds, not the wall clock's, so a busy machine doesn't count: under one here.
    assert took < 5, took
    assert memory_mb(watched, "VmHWM") - peak < 150  # the body, parsed: about 50 MB


def test_the_server_answers_others_while_it_imports(watched: LiveServer) -> None:
    """Reading and checking a large archive takes seconds, all of it off the event loop; a
    second import meanwhile is refused rather than held in memory beside the first."""
    with httpx.Client(base_url=watched.url, timeout=120) as client:
        archive = an_archive(client)
        (pitch,) = archive["pitches"]
        at = archive["exported_at"]
        people = range(1, 201)
        archive["attendees"] = [
            {
                "id": i,
                "token": secrets.token_hex(32),
                "name": f"Person {i}",
                "joined_at": at,
                "language": "",
            }
            for i in people
        ]
        archive["dots"] = [
            {"id": i, "placed_at": at, "attendee_id": 1 + i % len(people), "pitch_id": pitch["id"]}
            for i in range(1, 50_001)
        ]
        body = json.dumps(archive).encode()
        slug = unique_name("big").lower().replace(" ", "-")
        with ThreadPoolExecutor(1) as pool:
            importing = pool.submit(
                client.post, "/api/events/import", content=body, headers=JSON, params={"slug": slug}
            )
            waits: list[float] = []
            second = None
            while not importing.done():
                started = time.monotonic()
                assert client.get("/healthz").status_code == 200
                waits.append(time.monotonic() - started)
                if len(waits) == 10:  # the first is under way by now
                    second = client.post("/api/events/import", json={"format": "x"})
                time.sleep(0.05)
            response = importing.result()
    assert response.status_code == 201, response.text
    assert len(waits) >= 10 and second is not None, "the import was too quick to show anything"
    assert max(waits) < 0.5, sorted(waits)[-5:]
    assert "Another event is being imported" in assert_problem(second, 503)["detail"]


def test_imports_are_rate_limited_before_the_archive_is_read(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """Imports spend from event creation's budget per address; a refused one is refused
    before a byte of its archive is read."""
    allowed = 3
    live = start_server(tmp_path_factory.mktemp("import-limit"), {"EVENT_CREATION_LIMIT": "3"})
    try:
        with httpx.Client(base_url=live.url, timeout=30) as client:
            for _ in range(allowed):
                assert_problem(client.post("/api/events/import", json={"format": "x"}), 422)
            head = (
                "POST /api/events/import HTTP/1.1\r\nHost: snug\r\nConnection: close\r\n"
                f"Content-Type: application/json\r\nContent-Length: {2**20}\r\n\r\n"
            )
            address = (client.base_url.host, client.base_url.port)
            with socket.create_connection(address, timeout=10) as raw:
                raw.sendall(head.encode())  # the archive itself never comes
                answer = raw.makefile("rb").read().decode()
    finally:
        stop_server(live)
    assert answer.startswith("HTTP/1.1 429 ") and "times an hour from one network" in answer
