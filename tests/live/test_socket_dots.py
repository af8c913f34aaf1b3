"""Dots placed over the live socket: the same write as POST /dots, answered by its key.

Every message the server sends here is checked against its schema in schemas/.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import pytest
from websockets.asyncio.client import connect

from tests.conftest import ApiEvent, LiveServer
from tests.live.helpers import Screen

KEY = "dot-key-0001"


@pytest.fixture
def phone(server: LiveServer) -> Callable[..., Any]:
    """A socket that has said hello with a token and had its snapshot."""

    @asynccontextmanager
    async def open_phone(ev: ApiEvent, token: str | None) -> AsyncIterator[Screen]:
        async with connect(f"{server.ws_url}/e/{ev.slug}/live", open_timeout=5) as ws:
            s = Screen(ws)
            await s.hello(token)
            await s.expect("snapshot")
            yield s

    return open_phone


def voting(make_event: Callable[..., ApiEvent]) -> tuple[ApiEvent, str, list[int]]:
    ev = make_event()
    host = ev.join("Host")["token"]
    pitches = [ev.pitch(host, f"Session {n}")["id"] for n in range(3)]
    ev.edit(voting_open=True)
    return ev, ev.join("Voter")["token"], pitches


async def answer_to(
    s: Screen, key: str, seen: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    """The placed or error message for this key; changes may come before it (into ``seen``)."""
    while True:
        message = await s.recv()
        if message["type"] in ("placed", "error"):
            assert message.get("key") == key, message
            return message
        if seen is not None:
            seen.append(message)


async def place(
    s: Screen, pitch: int, key: str = KEY, seen: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    """Sends a dot on the socket; its answer."""
    await s.send({"type": "dot", "pitch": pitch, "key": key})
    return await answer_to(s, key, seen)


def my_dots(ev: ApiEvent, token: str) -> list[dict[str, Any]]:
    return list(ev.state(token)["me"]["dots"])


async def test_a_dot_on_the_socket_is_placed_and_answered_by_its_key(
    make_event: Callable[..., ApiEvent], phone: Any
) -> None:
    ev, voter, pitches = voting(make_event)
    async with phone(ev, voter) as s:
        changes: list[dict[str, Any]] = []
        placed = await place(s, pitches[1], seen=changes)
        assert placed["type"] == "placed"
        assert placed["dot"]["pitch"] == pitches[1]
        assert my_dots(ev, voter) == [placed["dot"]]
        counts = {p["id"]: p["votes"] for p in ev.state()["pitches"]}
        assert counts[pitches[1]] == 1
        # Every screen hears the count, this one too, as for a dot POSTed; before or after.
        while not any(c["data"].get("votes", {}).get(str(pitches[1])) == 1 for c in changes):
            changes.append(await s.expect("change"))
        await s.quiet(0.05)


async def test_the_same_key_again_by_socket_or_by_post_answers_the_first_dot(
    make_event: Callable[..., ApiEvent], phone: Any
) -> None:
    ev, voter, pitches = voting(make_event)
    async with phone(ev, voter) as s:
        first = (await place(s, pitches[0]))["dot"]
        assert (await place(s, pitches[0]))["dot"] == first
    # The socket dropped before its answer came, say: the page sends it again by HTTP, with
    # the body it always sends.
    again = ev.call(
        "POST",
        "/dots",
        voter,
        content=json.dumps({"pitch": pitches[0]}, separators=(",", ":")),
        headers={"Idempotency-Key": KEY, "Content-Type": "application/json"},
    )
    assert again.status_code == 201, again.text
    assert again.json() == first
    assert my_dots(ev, voter) == [first]


async def test_a_key_used_for_another_pitch_is_refused_by_key(
    make_event: Callable[..., ApiEvent], phone: Any
) -> None:
    ev, voter, pitches = voting(make_event)
    async with phone(ev, voter) as s:
        first = (await place(s, pitches[0]))["dot"]
        refused = await place(s, pitches[1])
        assert refused["type"] == "error" and refused["status"] == 422, refused
    assert my_dots(ev, voter) == [first]


REFUSALS: dict[str, tuple[Callable[[list[int]], dict[str, Any]], str, int]] = {
    "no pitch of that number": (lambda p: {"pitch": max(p) + 1000}, "voter", 404),
    "pitch 0, which no pitch has": (lambda p: {"pitch": 0}, "voter", 422),
    "a screen that said no token": (lambda p: {"pitch": p[0]}, "nobody", 403),
    "the organiser, who has no dots": (lambda p: {"pitch": p[0]}, "organiser", 409),
    "voting closed": (lambda p: {"pitch": p[0]}, "voter, voting closed", 409),
}


@pytest.mark.parametrize("case", list(REFUSALS))
async def test_a_refused_dot_is_answered_by_its_key_and_changes_nothing(
    make_event: Callable[..., ApiEvent], phone: Any, case: str
) -> None:
    ev, voter, pitches = voting(make_event)
    body, who, status = REFUSALS[case]
    if who == "voter, voting closed":
        ev.edit(voting_open=False)
    token = {"nobody": None, "organiser": ev.organiser}.get(who, voter)
    before = ev.state(ev.organiser)
    async with phone(ev, token) as s:
        await s.send({"type": "dot", "key": KEY, **body(pitches)})
        refused = await answer_to(s, KEY)
        assert refused["type"] == "error", refused
        assert refused["status"] == status and refused["message"], refused
        await s.quiet(0.05)
    assert ev.state(ev.organiser) == before


async def test_a_dot_with_a_bad_key_is_refused_without_one(
    make_event: Callable[..., ApiEvent], phone: Any
) -> None:
    ev, voter, pitches = voting(make_event)
    async with phone(ev, voter) as s:
        for key in ("short", "has space in it", "x" * 65, 12345678):
            await s.send({"type": "dot", "pitch": pitches[0], "key": key})
            refused = await s.expect("error")
            assert "key" not in refused and refused["status"] == 422, refused
        await s.send({"type": "dot", "pitch": pitches[0]})
        assert "key" not in await s.expect("error")
        await s.quiet(0.05)
    assert my_dots(ev, voter) == []


async def test_a_phone_whose_token_was_replaced_since_its_hello_places_nothing(
    make_event: Callable[..., ApiEvent], phone: Any
) -> None:
    ev, voter, pitches = voting(make_event)
    async with phone(ev, voter) as s:
        # Erasing personal data gives every attendee a new token; this socket said the old.
        ev.ok("POST", "/erase-personal-data", ev.organiser, json={"confirm": ev.slug})
        refused = await place(s, pitches[0])
        assert refused["type"] == "error" and refused["status"] == 401, refused
    assert all(p["votes"] == 0 for p in ev.state()["pitches"])


async def test_a_failed_hello_leaves_the_socket_no_one_s_to_vote_with(
    make_event: Callable[..., ApiEvent], phone: Any
) -> None:
    ev, voter, pitches = voting(make_event)
    async with phone(ev, voter) as s:
        await s.hello("forged-token-abc")
        assert (await s.expect("error"))["status"] == 401
        assert (await s.expect("snapshot"))["state"]["role"] == "public"
        refused = await place(s, pitches[0])
        assert refused["type"] == "error" and refused["status"] == 403, refused
    assert my_dots(ev, voter) == []


async def test_voting_closed_after_the_hello_is_heard_by_the_next_dot(
    make_event: Callable[..., ApiEvent], phone: Any
) -> None:
    ev, voter, pitches = voting(make_event)
    async with phone(ev, voter) as s:
        assert (await place(s, pitches[0]))["type"] == "placed"
        ev.edit(voting_open=False)
        refused = await place(s, pitches[1], "dot-key-0002")
        assert refused["type"] == "error" and refused["status"] == 409, refused
    assert [d["pitch"] for d in my_dots(ev, voter)] == [pitches[0]]
