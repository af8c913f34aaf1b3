"""Notes over HTTP: reading, history and restore, final, credit, and who may do what."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from websockets.asyncio.client import connect

from server.notes.document import Action, NotesContent
from tests.conftest import ApiEvent, LiveServer
from tests.http.helpers import assert_problem
from tests.live.helpers import NotesPhone


async def _write(server: LiveServer, event: ApiEvent, pitch: int, token: str, *texts: str) -> None:
    """Types each text into the summary in turn, as a phone would."""
    async with connect(f"{server.ws_url}/e/{event.slug}/notes/{pitch}/live") as ws:
        phone = NotesPhone(ws)
        await phone.join(token)
        for text in texts:
            action = (Action("Share the slides", "Ana"),)
            assert (await phone.type(NotesContent(summary=text, actions=action)))["type"] == "ack"


def _setup(make_event: Callable[..., ApiEvent]) -> tuple[ApiEvent, str, int]:
    event = make_event()
    host = event.join("Ana")["token"]
    return event, host, event.pitch(host, "Mapping the commons")["id"]


def test_notes_start_empty_and_say_their_limit(make_event: Callable[..., ApiEvent]) -> None:
    event, host, pitch = _setup(make_event)
    notes = event.ok("GET", f"/pitches/{pitch}/notes", host)
    assert notes["content"] == {
        "summary": "",
        "discussion": "",
        "outcomes": "",
        "actions": [],
        "photos": [],
    }
    assert (notes["chars"], notes["final"], notes["max_chars"]) == (0, False, 100_000)
    assert notes["credits"] == {"named": [], "anonymous": 0}


async def test_restoring_an_earlier_version_over_http(
    server: LiveServer, make_event: Callable[..., ApiEvent]
) -> None:
    event, host, pitch = _setup(make_event)
    await _write(server, event, pitch, host, "First draft")
    # Marking final saves a version; reopening lets the writing go on.
    event.ok("PUT", f"/pitches/{pitch}/notes/final", host, json={"final": True})
    event.ok("PUT", f"/pitches/{pitch}/notes/final", host, json={"final": False})
    await _write(server, event, pitch, host, "Second draft")
    (saved,) = event.ok("GET", f"/pitches/{pitch}/notes/versions", host)
    assert (saved["reason"], saved["chars"]) == ("final", len("First draft") + 19)
    old = event.ok("GET", f"/pitches/{pitch}/notes/versions/{saved['id']}", host)
    assert old["content"]["summary"] == "First draft"
    restored = event.ok("POST", f"/pitches/{pitch}/notes/versions/{saved['id']}/restore", host)
    assert restored["content"]["summary"] == "First draft"
    reasons = [v["reason"] for v in event.ok("GET", f"/pitches/{pitch}/notes/versions", host)]
    assert reasons == ["before restore", "final"]
    await asyncio.sleep(0)


def test_who_may_do_what_with_notes(make_event: Callable[..., ApiEvent]) -> None:
    event, host, pitch = _setup(make_event)
    guest = event.join("Ben")["token"]
    path = f"/pitches/{pitch}/notes"
    assert_problem(event.call("GET", path), 403)
    assert_problem(event.call("GET", path, "forged"), 401)
    assert_problem(event.call("PUT", f"{path}/final", guest, json={"final": True}), 403)
    assert_problem(event.call("PUT", f"{path}/credit", event.organiser, json={"named": True}), 409)
    assert_problem(event.call("GET", "/pitches/999999/notes", host), 404)
    assert_problem(event.call("GET", f"{path}/versions/999999", host), 404)
    assert_problem(event.call("PUT", f"{path}/final", host, json={"final": "yes"}), 422)
    assert_problem(event.call("PUT", f"{path}/credit", guest, json={}), 422)
    other = event.ok("GET", path, event.facilitator())
    assert other["final"] is False  # staff read; nothing above changed anything
    assert event.ok("PUT", f"{path}/credit", guest, json={"named": True})["credits"] == {
        "named": [],
        "anonymous": 0,
    }, "being named takes effect once someone has written"


async def test_readers_of_published_proceedings_see_the_notes_but_not_their_history(
    server: LiveServer, make_event: Callable[..., ApiEvent]
) -> None:
    event, host, pitch = _setup(make_event)
    await _write(server, event, pitch, host, "Call me on 07700 900123")
    event.ok("PUT", f"/pitches/{pitch}/notes/final", host, json={"final": True})
    event.ok("PUT", f"/pitches/{pitch}/notes/final", host, json={"final": False})
    await _write(server, event, pitch, host, "Contact details removed")
    event.ok("PUT", "/proceedings", event.organiser, json={"published": True})
    path = f"/pitches/{pitch}/notes"
    assert event.ok("GET", path)["content"]["summary"] == "Contact details removed"
    (version,) = event.ok("GET", f"{path}/versions", host)
    assert_problem(event.call("GET", f"{path}/versions"), 403)
    assert_problem(event.call("GET", f"{path}/versions/{version['id']}"), 403)
