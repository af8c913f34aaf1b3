"""Writes sent twice with the same Idempotency-Key (a double tap, a retry after the wifi
dropped) are done once and answered the same, over a real server."""

from __future__ import annotations

import asyncio
import inspect
import secrets
from collections.abc import Callable
from typing import Any

import httpx

from server.app import routes as app_routes
from server.http.api import ApiRoute
from tests.conftest import ApiEvent, LiveServer
from tests.http.helpers import assert_problem
from tests.http.test_notes import _write as write_notes
from tests.http.test_seats import published


def new_key() -> str:
    return secrets.token_urlsafe(16)


def twice(ev: ApiEvent, method: str, path: str, token: str, **kw: Any) -> list[httpx.Response]:
    """The same write sent twice with one key, as a phone retrying would."""
    headers = {"Idempotency-Key": new_key()}
    return [ev.call(method, path, token, headers=headers, **kw) for _ in range(2)]


def same_answer(responses: list[httpx.Response], status: int) -> Any:
    first, again = responses
    assert first.status_code == again.status_code == status, (first.text, again.text)
    assert first.content == again.content
    return first.json() if first.content else None


def voting(make_event: Callable[..., ApiEvent], **overrides: Any) -> tuple[ApiEvent, int]:
    ev = make_event(**overrides)
    pitch = ev.pitch(ev.facilitator(), "Open data")["id"]
    ev.edit(voting_open=True)
    return ev, pitch


def dots_of(ev: ApiEvent, token: str) -> list[dict[str, int]]:
    return list(ev.ok("GET", "/me", token)["dots"])


def test_a_dot_posted_twice_with_one_key_is_placed_once(
    make_event: Callable[..., ApiEvent],
) -> None:
    ev, pitch = voting(make_event, dots_per_attendee=3, dots_stack=True)
    sam = ev.join()["token"]
    placed = same_answer(twice(ev, "POST", "/dots", sam, json={"pitch": pitch}), 201)
    assert dots_of(ev, sam) == [placed]
    assert ev.state()["pitches"][0]["votes"] == 1


async def test_copies_sent_at_once_place_one_dot(
    server: LiveServer, make_event: Callable[..., ApiEvent]
) -> None:
    ev, pitch = voting(make_event, dots_per_attendee=5, dots_stack=True)
    sam = ev.join()["token"]
    headers = {"Authorization": f"Bearer {sam}", "Idempotency-Key": new_key()}
    async with httpx.AsyncClient(base_url=server.url, timeout=20) as client:
        answers = await asyncio.gather(
            *(
                client.post(f"/api/e/{ev.slug}/dots", json={"pitch": pitch}, headers=headers)
                for _ in range(5)
            )
        )
    assert {(a.status_code, a.content) for a in answers} == {(201, answers[0].content)}
    assert dots_of(ev, sam) == [answers[0].json()]


def test_another_key_places_another_dot(make_event: Callable[..., ApiEvent]) -> None:
    ev, pitch = voting(make_event, dots_per_attendee=3, dots_stack=True)
    sam = ev.join()["token"]
    for _ in range(2):
        ev.ok(
            "POST",
            "/dots",
            sam,
            headers={"Idempotency-Key": new_key()},
            json={"pitch": pitch},
            status=201,
        )
    assert len(dots_of(ev, sam)) == 2


def test_another_attendees_same_key_places_their_own_dot(
    make_event: Callable[..., ApiEvent],
) -> None:
    ev, pitch = voting(make_event)
    sam, kim = ev.join()["token"], ev.join()["token"]
    headers = {"Idempotency-Key": new_key()}
    sams = ev.ok("POST", "/dots", sam, headers=headers, json={"pitch": pitch}, status=201)
    kims = ev.ok("POST", "/dots", kim, headers=headers, json={"pitch": pitch}, status=201)
    assert sams["id"] != kims["id"]
    assert dots_of(ev, kim) == [kims]
    assert ev.state()["pitches"][0]["votes"] == 2


def test_a_bad_key_is_refused_and_changes_nothing(make_event: Callable[..., ApiEvent]) -> None:
    ev, pitch = voting(make_event)
    sam = ev.join()["token"]
    before = ev.state()
    for key in ("short", "k" * 65, "with space!", "a.b.c.d.e.f"):
        refused = ev.call(
            "POST", "/dots", sam, headers={"Idempotency-Key": key}, json={"pitch": pitch}
        )
        assert "Idempotency-Key" in assert_problem(refused, 400)["detail"]
    assert ev.state() == before
    assert dots_of(ev, sam) == []


def test_a_key_sent_again_with_another_change_is_refused(
    make_event: Callable[..., ApiEvent],
) -> None:
    ev, pitch = voting(make_event)
    other = ev.pitch(ev.facilitator(), "Other")["id"]
    sam = ev.join()["token"]
    headers = {"Idempotency-Key": new_key()}
    placed = ev.ok("POST", "/dots", sam, headers=headers, json={"pitch": pitch}, status=201)
    before = ev.state()
    refused = ev.call("POST", "/dots", sam, headers=headers, json={"pitch": other})
    assert "different change" in assert_problem(refused, 422)["detail"]
    assert ev.state() == before and dots_of(ev, sam) == [placed]


def test_a_pitch_posted_twice_with_one_key_is_made_once(
    make_event: Callable[..., ApiEvent],
) -> None:
    ev = make_event()
    sam = ev.join()["token"]
    made = same_answer(twice(ev, "POST", "/pitches", sam, json={"title": "Retry me"}), 201)
    assert [p["id"] for p in ev.state()["pitches"]] == [made["id"]]


def test_a_withdrawal_sent_twice_answers_the_same(make_event: Callable[..., ApiEvent]) -> None:
    ev, pitch = voting(make_event)
    sam = ev.join()["token"]
    dot = ev.ok("POST", "/dots", sam, json={"pitch": pitch}, status=201)
    seq = ev.state()["seq"]
    same_answer(twice(ev, "DELETE", f"/dots/{dot['id']}", sam), 204)
    assert dots_of(ev, sam) == []
    assert ev.state()["seq"] == seq + 1  # one change, not a second
    # Without a key, the repeat is refused: the dot is gone.
    assert_problem(ev.call("DELETE", f"/dots/{dot['id']}", sam), 404)


def test_a_moved_dot_sent_twice_moves_once(make_event: Callable[..., ApiEvent]) -> None:
    ev, pitch = voting(make_event)
    other = ev.pitch(ev.facilitator(), "Other")["id"]
    sam = ev.join()["token"]
    dot = ev.ok("POST", "/dots", sam, json={"pitch": pitch}, status=201)
    seq = ev.state()["seq"]
    moved = same_answer(twice(ev, "PATCH", f"/dots/{dot['id']}", sam, json={"pitch": other}), 200)
    assert moved == {"id": dot["id"], "pitch": other}
    assert ev.state()["seq"] == seq + 1


def test_a_seat_claim_sent_twice_claims_once(make_event: Callable[..., ApiEvent]) -> None:
    ev, _staff, ids = published(make_event)
    first, second = ev.join()["token"], ev.join()["token"]
    snug = str(ids["snug"])
    ev.ok("POST", f"/me/seats/{snug}", first)
    key = {"Idempotency-Key": new_key()}
    claimed = ev.call("POST", f"/me/seats/{snug}", second, headers=key)
    seq = ev.settled()["seq"]
    again = ev.call("POST", f"/me/seats/{snug}", second, headers=key)
    waiting = same_answer([claimed, again], 200)
    first_waiting = {"status": "waiting", "ahead": 0, "position": 1, "promoted": False}
    assert waiting["seats"] == {snug: first_waiting}
    assert ev.settled()["seq"] == seq, "the repeat changed nothing"
    released = same_answer(twice(ev, "DELETE", f"/me/seats/{snug}", first), 200)
    assert released["seats"] == {}
    promoted = {"status": "seated", "ahead": 0, "position": 0, "promoted": True}
    assert ev.ok("GET", "/me", second)["seats"] == {snug: promoted}


async def test_notes_writes_sent_twice_leave_them_as_once(
    server: LiveServer, make_event: Callable[..., ApiEvent]
) -> None:
    """Notes are written over their socket, where updates merge whatever repeats; over HTTP,
    marking final and being credited say what to be, so a repeat changes nothing more."""
    ev = make_event()
    host = ev.join("Ana")["token"]
    pitch = ev.pitch(host, "Mapping the commons")["id"]
    await write_notes(server, ev, pitch, host, "First draft")
    path = f"/pitches/{pitch}/notes"
    final = same_answer(twice(ev, "PUT", f"{path}/final", host, json={"final": True}), 200)
    assert final["final"] is True
    assert [v["reason"] for v in ev.ok("GET", f"{path}/versions", host)] == ["final"]
    credited = same_answer(twice(ev, "PUT", f"{path}/credit", host, json={"named": True}), 200)
    assert credited["credits"] == {"named": ["Ana"], "anonymous": 0}


def test_every_route_that_writes_through_perform_says_it_replays() -> None:
    """OpenAPI declares the header exactly where a repeat is answered from its receipt."""
    for route in app_routes:
        if isinstance(route, ApiRoute):
            source = inspect.getsource(route.handler)
            assert route.replays == ("perform(" in source), route.path


def test_openapi_declares_the_key_on_writes_that_replay(http: httpx.Client) -> None:
    paths = http.get("/openapi.json").json()["paths"]
    keyed = {
        (method, path)
        for path, operations in paths.items()
        for method, op in operations.items()
        if any(p["name"] == "Idempotency-Key" for p in op["parameters"])
    }
    assert ("post", "/api/e/{slug}/dots") in keyed
    assert ("delete", "/api/e/{slug}/me/seats/{pitch_id}") in keyed
    assert ("post", "/api/e/{slug}/attendees") not in keyed  # joining makes a new secret
    assert all(method != "get" for method, _path in keyed)
