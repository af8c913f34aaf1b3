"""The notes socket: merging concurrent and offline edits, durability, refusals, final notes."""

from __future__ import annotations

import asyncio
import io
import signal
import time
from collections.abc import Callable
from pathlib import Path

import httpx
from PIL import Image
from pycrdt import Doc
from websockets.asyncio.client import connect

from server.live.notes_socket import presence
from server.notes import document
from server.notes.document import MAX_CHARS, NotesContent
from tests.conftest import ApiEvent, LiveServer, event_body, start_server, stop_server
from tests.live.helpers import NotesPhone
from tests.notes.test_budget import WRITERS_BOMB
from tests.notes.test_store import PANICS


def _session(make_event: Callable[..., ApiEvent]) -> tuple[ApiEvent, str, int]:
    event = make_event()
    host = event.join("Ana")["token"]
    return event, host, event.pitch(host, "Open data in councils")["id"]


def _session_on(server: LiveServer) -> tuple[ApiEvent, str, int]:
    with httpx.Client(base_url=server.url) as client:
        made = client.post("/api/events", json=event_body()).json()
        event = ApiEvent(client, made["slug"], made["organiser_key"], made["links"])
        token = event.join("Ana")["token"]
        return event, token, event.pitch(token, "Durable notes")["id"]


def _notes_url(server: LiveServer, event: ApiEvent, pitch: int) -> str:
    return f"{server.ws_url}/e/{event.slug}/notes/{pitch}/live"


async def test_two_phones_typing_in_one_paragraph_both_keep_their_words(
    server: LiveServer, make_event: Callable[..., ApiEvent]
) -> None:
    event, host, pitch = _session(make_event)
    guest = event.join("Ben")["token"]
    url = _notes_url(server, event, pitch)
    async with connect(url) as ws_a, connect(url) as ws_b:
        a, b = NotesPhone(ws_a), NotesPhone(ws_b)
        await a.join(host)
        assert (await a.type(NotesContent(summary="We agreed.")))["type"] == "ack"
        await b.join(guest)
        assert b.content().summary == "We agreed."
        # Both type before hearing of the other's change.
        await asyncio.gather(
            a.type(NotesContent(summary="We all agreed.")),
            b.type(NotesContent(summary="We agreed. Next: a pilot.")),
        )
        expected = "We all agreed. Next: a pilot."
        for phone in (a, b):
            while phone.content().summary != expected:
                await phone.recv()
    stored = event.ok("GET", f"/pitches/{pitch}/notes", host)
    assert stored["content"]["summary"] == expected


async def test_a_phone_offline_for_a_while_merges_when_it_comes_back(
    server: LiveServer, make_event: Callable[..., ApiEvent]
) -> None:
    event, host, pitch = _session(make_event)
    guest = event.join()["token"]
    url = _notes_url(server, event, pitch)
    async with connect(url) as ws:
        away = NotesPhone(ws)
        await away.join(guest)
        await away.type(NotesContent(outcomes="A pilot"))
    # The connection is gone; the phone keeps its copy and goes on writing.
    offline_update = away.content()
    document.write(away.doc, NotesContent(outcomes="A pilot, cheaply", discussion="On the train"))
    async with connect(url) as ws:
        here = NotesPhone(ws)
        await here.join(host)
        await here.type(NotesContent(outcomes="A pilot in two councils"))
    async with connect(url) as ws:
        back = NotesPhone(ws, away.doc)
        await back.join(guest)
        await back.expect("ack")  # what it wrote offline is stored
        merged = back.content()
    assert offline_update.outcomes == "A pilot"
    # Both added to the end of the same paragraph; the CRDT keeps both, in a fixed order.
    assert merged.outcomes in (
        "A pilot in two councils, cheaply",
        "A pilot, cheaply in two councils",
    )
    assert merged.discussion == "On the train"
    stored = event.ok("GET", f"/pitches/{pitch}/notes", host)["content"]
    assert (stored["outcomes"], stored["discussion"]) == (merged.outcomes, merged.discussion)


async def test_a_server_killed_mid_edit_loses_nothing_it_acknowledged(tmp_path: Path) -> None:
    first = start_server(tmp_path)
    try:
        event, token, pitch = _session_on(first)
        async with connect(_notes_url(first, event, pitch)) as ws:
            phone = NotesPhone(ws)
            await phone.join(token)
            for n in range(1, 6):
                words = " ".join(f"point {i}" for i in range(1, n + 1))
                assert (await phone.type(NotesContent(discussion=words)))["type"] == "ack"
            first.process.send_signal(signal.SIGKILL)  # no shutdown, no flushing
            first.process.wait(timeout=10)
    finally:
        stop_server(first)
    second = start_server(tmp_path)
    try:
        async with connect(_notes_url(second, event, pitch)) as ws:
            fresh = NotesPhone(ws)
            await fresh.join(token)
            assert fresh.content().discussion == " ".join(f"point {i}" for i in range(1, 6))
    finally:
        stop_server(second)


async def test_bad_messages_get_errors_keep_the_socket_and_change_nothing(
    server: LiveServer, make_event: Callable[..., ApiEvent]
) -> None:
    event, host, pitch = _session(make_event)
    async with connect(_notes_url(server, event, pitch)) as ws:
        phone = NotesPhone(ws)
        await phone.send({"type": "update", "id": 1, "update": "AAA="})
        assert "join" in (await phone.expect("error"))["message"]
        await phone.join(host)
        await phone.type(NotesContent(summary="Kept"))
        for bad in ("not json", '{"type": "shout"}', '{"type": "update", "id": 9}'):
            await phone.send(bad)
            assert (await phone.expect("error"))["status"] == 422
        await phone.send({"type": "update", "id": 10, "update": "bm90IGEgY3JkdA=="})
        refused = await phone.expect("error")
        assert refused["id"] == 10 and "couldn't be read" in refused["message"]
        scratch = document.load(document.diff(phone.doc, None))
        huge = document.write(scratch, NotesContent(discussion="x" * (MAX_CHARS + 1)))
        await phone.push(huge)
        too_long = await phone.expect("error")
        assert too_long["status"] == 413 and "100,000" in too_long["message"]
        await phone.send({"type": "ping"})
        await phone.expect("pong")
    stored = event.ok("GET", f"/pitches/{pitch}/notes", host)
    assert stored["content"]["summary"] == "Kept" and stored["content"]["discussion"] == ""


async def test_binary_and_unknown_messages_get_errors_before_and_after_joining(
    server: LiveServer, make_event: Callable[..., ApiEvent]
) -> None:
    event, host, pitch = _session(make_event)
    async with connect(_notes_url(server, event, pitch)) as ws:
        phone = NotesPhone(ws)
        for joined in (False, True):
            await phone.send(b'{"type": "ping"}')
            binary = await phone.expect("error")
            assert "not binary" in binary["message"] and "id" not in binary
            await phone.send('{"type": "shout", "id": 7}')
            unknown = await phone.expect("error")
            assert "join, update or ping" in unknown["message"] and "id" not in unknown
            if not joined:
                await phone.join(host)
                await phone.expect("ack")
        await phone.send({"type": "ping"})
        await phone.expect("pong")
    stored = event.ok("GET", f"/pitches/{pitch}/notes", host)
    assert stored["content"]["summary"] == ""


async def test_notes_are_private_to_the_event_until_the_proceedings_are_published(
    server: LiveServer, make_event: Callable[..., ApiEvent]
) -> None:
    event, host, pitch = _session(make_event)
    url = _notes_url(server, event, pitch)
    async with connect(url) as ws:
        phone = NotesPhone(ws)
        await phone.send({"type": "join", "token": None})
        assert (await phone.expect("error"))["status"] == 403
        await phone.send({"type": "join", "token": "forged-token"})
        assert (await phone.expect("error"))["status"] == 401
        sync = await phone.join(host)  # the same socket, once the phone says who it is
        assert sync["can_write"] and sync["can_finalise"] and sync["named"] is False
    async with connect(f"{server.ws_url}/e/{event.slug}/notes/999999/live") as ws:
        await NotesPhone(ws).send({"type": "join", "token": host})
        assert (await NotesPhone(ws).expect("error"))["status"] == 404


async def test_marking_final_reaches_open_copies_and_stops_edits(
    server: LiveServer, make_event: Callable[..., ApiEvent]
) -> None:
    event, host, pitch = _session(make_event)
    guest = event.join("Ben")["token"]
    async with connect(_notes_url(server, event, pitch)) as ws:
        phone = NotesPhone(ws)
        sync = await phone.join(guest)
        assert not sync["can_finalise"]
        await phone.type(NotesContent(summary="Before final"))
        event.ok("PUT", f"/pitches/{pitch}/notes/final", host, json={"final": True})
        assert (await phone.expect("final"))["final"] is True
        refused = await phone.type(NotesContent(summary="After final"))
        assert refused["type"] == "error" and refused["status"] == 409
        event.ok("PUT", f"/pitches/{pitch}/notes/credit", guest, json={"named": True})
        assert (await phone.expect("credits"))["credits"] == {"named": ["Ben"], "anonymous": 0}
    stored = event.ok("GET", f"/pitches/{pitch}/notes", host)
    assert stored["final"] and stored["content"]["summary"] == "Before final"


async def test_an_update_that_brings_nothing_new_is_acknowledged_and_not_kept(
    server: LiveServer, make_event: Callable[..., ApiEvent]
) -> None:
    event, host, pitch = _session(make_event)
    guest = event.join("Ben")["token"]
    async with connect(_notes_url(server, event, pitch)) as ws:
        phone = NotesPhone(ws)
        await phone.join(host)
        await phone.type(NotesContent(summary="Hello there"))
        await phone.type(NotesContent(summary="Hello"))  # a deletion
    async with connect(_notes_url(server, event, pitch)) as ws:
        again = NotesPhone(ws)
        await again.join(guest)
        # Everything this copy holds, deletions included, which the server already has.
        sent = await again.push(document.diff(again.doc, None))
        while (await again.expect("ack"))["id"] != sent:
            pass
        await again.send({"type": "update", "id": 77, "update": "x" * 1_500_001})
        refused = await again.expect("error")
        assert refused["id"] == 77, "an update that fails its checks is still named"
    notes = event.ok("GET", f"/pitches/{pitch}/notes", host)
    assert notes["credits"] == {"named": [], "anonymous": 1}, "the guest wrote nothing"


async def test_a_photo_taken_out_of_the_notes_is_no_longer_shown(
    server: LiveServer, make_event: Callable[..., ApiEvent]
) -> None:
    event, host, pitch = _session(make_event)
    image = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 10, 10)).save(image, "PNG")
    added = event.ok(
        "POST",
        f"/pitches/{pitch}/notes/photos",
        host,
        status=201,
        content=image.getvalue(),
        headers={"Content-Type": "image/png"},
    )
    assert event.client.get(added["url"]).status_code == 200
    async with connect(_notes_url(server, event, pitch)) as ws:
        phone = NotesPhone(ws)
        await phone.join(host)
        assert [p.id for p in phone.content().photos] == [added["id"]]
        assert (await phone.type(NotesContent(summary="No photo after all")))["type"] == "ack"
    assert event.client.get(added["url"]).status_code == 404


def _peak_memory_kb(server: LiveServer) -> int:
    status = Path(f"/proc/{server.process.pid}/status").read_text()
    (line,) = [line for line in status.splitlines() if line.startswith("VmHWM:")]
    return int(line.split()[1])


async def test_hostile_updates_are_refused_in_words_while_the_server_keeps_answering(
    server: LiveServer, make_event: Callable[..., ApiEvent]
) -> None:
    event, host, pitch = _session(make_event)
    url = _notes_url(server, event, pitch)
    async with connect(url) as hostile_ws, connect(url) as other_ws:
        # Writer 5 typing "existing" is what the crafted updates were found against.
        hostile = NotesPhone(hostile_ws, Doc(client_id=5))
        other = NotesPhone(other_ws)
        await hostile.join(host)
        await other.join(host)
        await other.expect("ack")  # of what it had that the server lacked: nothing
        await hostile.type(NotesContent(summary="existing"))
        await other.expect("update")
        await other.expect("credits")  # the host has written here for the first time
        peak = _peak_memory_kb(server)
        for crafted in (WRITERS_BOMB, *PANICS.values(), WRITERS_BOMB, WRITERS_BOMB):
            sent = await hostile.push(crafted)
            started = time.perf_counter()
            await other.send({"type": "ping"})
            assert (await other.recv())["type"] == "pong"  # nothing passed on before it
            assert time.perf_counter() - started < 0.2
            refused = await hostile.expect("error")
            assert refused["id"] == sent and "couldn't be read" in refused["message"]
        await hostile.send({"type": "ping"})
        await hostile.expect("pong")  # the same socket, still open
        await asyncio.sleep(0.3)
        await other.send({"type": "ping"})
        assert (await other.recv())["type"] == "pong"  # nothing was passed on since
        # pycrdt would take 538 MB for each bomb; where RUST_BACKTRACE is set, the first
        # panic's backtrace takes about 50 MB, once.
        assert _peak_memory_kb(server) - peak < 100_000
        assert other.content().summary == "existing"
        await hostile.type(NotesContent(summary="existing, still"))
        await other.expect("update")
        assert other.content().summary == "existing, still"
    stored = event.ok("GET", f"/pitches/{pitch}/notes", host)
    assert stored["content"]["summary"] == "existing, still"


async def test_open_copies_hear_who_else_is_writing_and_nothing_is_stored(
    server: LiveServer, make_event: Callable[..., ApiEvent]
) -> None:
    event, host, pitch = _session(make_event)
    guest, quiet = event.join("Ben")["token"], event.join("")["token"]
    url = _notes_url(server, event, pitch)
    before = event.ok("GET", f"/pitches/{pitch}/notes", host)
    async with connect(url) as ws_a, connect(url) as ws_b:
        ana, ben = NotesPhone(ws_a), NotesPhone(ws_b)
        await ana.join(host)
        await ben.join(guest)
        await ana.hears({"type": "presence", "names": ["Ben"], "others": 1})
        await ben.hears({"type": "presence", "names": ["Ana"], "others": 1})
        async with connect(url) as ws_c:
            await NotesPhone(ws_c).join(quiet)
            await ana.hears({"type": "presence", "names": [], "others": 2})
        await ana.hears({"type": "presence", "names": ["Ben"], "others": 1})
    assert event.ok("GET", f"/pitches/{pitch}/notes", host) == before


def test_presence_names_at_most_two_named_people() -> None:
    assert presence([]) == {"names": [], "others": 0}
    assert presence(["Ben", "Ana"]) == {"names": ["Ana", "Ben"], "others": 2}
    assert presence(["Ana", ""]) == {"names": [], "others": 2}
    assert presence(["Ana", "Ben", "Cy"]) == {"names": [], "others": 3}


async def test_an_action_typed_in_the_live_editor_reaches_the_board_a_moment_later(
    server: LiveServer, make_event: Callable[..., ApiEvent]
) -> None:
    event, host, pitch = _session(make_event)
    async with connect(_notes_url(server, event, pitch)) as ws:
        phone = NotesPhone(ws)
        await phone.join(host)
        words = "Draft the pilot plan"
        for typed in range(1, len(words) + 1):  # a keystroke a change, as the editor sends
            action = document.Action(words[:typed], "Priya")
            assert (await phone.type(NotesContent(actions=(action,))))["type"] == "ack"
    board: list[dict[str, object]] = []
    for _ in range(200):  # the board follows once the typing has paused (TYPING seconds)
        board = event.ok("GET", "/actions", event.organiser)
        if board and board[0]["what"] == words:
            break
        await asyncio.sleep(0.05)
    assert [(a["what"], a["owner"]) for a in board] == [(words, "Priya")]
