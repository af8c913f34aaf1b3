"""Seats in small rooms over HTTP and the socket, against a real server."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

from websockets.asyncio.client import connect

from server.validation import validate
from tests.conftest import ApiEvent, LiveServer
from tests.http.helpers import assert_problem


def published(make_event: Callable[..., ApiEvent]) -> tuple[ApiEvent, str, dict[str, int]]:
    """An event with a one-seat snug and a hall in one slot, its grid published."""
    ev = make_event(
        rooms=[
            {"name": "Hall", "capacity": 40, "features": []},
            {"name": "Tiny snug", "capacity": 1, "features": []},
        ]
    )
    staff = ev.facilitator()
    state = ev.state(staff)
    hall, snug = (r["id"] for r in state["rooms"])
    slot = state["slots"][0]["id"]
    ids = {
        "snug": ev.pitch(staff, "Small talk", host="Ann")["id"],
        "hall": ev.pitch(staff, "Big talk", host="Bo")["id"],
    }
    ev.ok(
        "POST",
        "/grid/move",
        staff,
        json={"version": 0, "pitch": ids["snug"], "room": snug, "slot": slot},
    )
    ev.ok(
        "POST",
        "/grid/move",
        staff,
        json={"version": 1, "pitch": ids["hall"], "room": hall, "slot": slot},
    )
    ev.ok("POST", "/grid/publish", staff, json={"version": 2})
    return ev, staff, ids


async def next_change(ws: Any, kind: str) -> dict[str, Any]:
    while True:
        message = json.loads(await asyncio.wait_for(ws.recv(), 5))
        if message["type"] == "change" and message["kind"] == kind:
            validate("server-change", message)
            return dict(message)


SEATED = {"status": "seated", "ahead": 0, "position": 0, "promoted": False}


async def test_claims_seat_and_wait_and_phones_hear_counts(
    make_event: Callable[..., ApiEvent], server: LiveServer
) -> None:
    ev, staff, ids = published(make_event)
    first, second = ev.join("First")["token"], ev.join("Second")["token"]
    snug = str(ids["snug"])
    async with connect(f"{server.ws_url}/e/{ev.slug}/live", open_timeout=5) as ws:
        await ws.send(json.dumps({"type": "hello", "token": second, "since": None}))
        snapshot = json.loads(await asyncio.wait_for(ws.recv(), 5))
        assert snapshot["type"] == "snapshot"
        assert snapshot["state"]["me"]["seats"] == {}
        mine = ev.ok("POST", f"/me/seats/{snug}", first)
        assert mine["seats"] == {snug: SEATED}
        assert list(mine["agenda"].values()) == [ids["snug"]]  # a claim is on the agenda
        change = await next_change(ws, "seats")
        assert change["data"] == {"seats": {snug: {"seated": 1, "waiting": 0, "capacity": 1}}}
        assert ev.ok("POST", f"/me/seats/{snug}", second)["seats"][snug]["status"] == "waiting"
        change = await next_change(ws, "seats")
        assert change["data"]["seats"][snug]["waiting"] == 1
        assert ev.ok("DELETE", f"/me/seats/{snug}", first)["seats"] == {}
        change = await next_change(ws, "seats")
        assert change["data"]["seats"][snug] == {"seated": 1, "waiting": 0, "capacity": 1}
    me = ev.ok("GET", "/me", second)
    assert me["seats"] == {snug: {**SEATED, "promoted": True}}  # from the list: told so
    state = ev.state(second)
    validate("event-state", state)
    assert state["grid"]["seats"][snug]["seated"] == 1
    # The facilitator's assignment answers with the counts.
    version = ev.state(staff)["draft"]["version"]
    assigned = ev.ok("POST", "/grid/seats", staff, json={"version": version})
    assert assigned["assigned"] == 0
    assert assigned["seats"][snug] == {"seated": 1, "waiting": 0, "capacity": 1}


def test_seat_refusals_are_problems(make_event: Callable[..., ApiEvent]) -> None:
    ev, staff, ids = published(make_event)
    token = ev.join()["token"]
    unplaced = ev.pitch(staff, "Not placed", host="Cy")["id"]
    snug = ids["snug"]
    assert_problem(ev.call("POST", f"/me/seats/{snug}"), 403)
    assert_problem(ev.call("POST", f"/me/seats/{snug}", staff), 409)
    assert_problem(ev.call("POST", f"/me/seats/{unplaced}", token), 409)
    assert_problem(ev.call("DELETE", f"/me/seats/{snug}", token), 404)
    assert_problem(ev.call("POST", "/me/seats/99999999999", token), 404)
    assert_problem(ev.call("POST", "/grid/seats", token, json={}), 403)
    assert_problem(ev.call("POST", "/grid/seats", staff, json={"version": 0}), 409)
    assert_problem(ev.call("POST", "/grid/seats", staff, json={"pitch": unplaced}), 404)
    assert_problem(ev.call("POST", "/grid/seats", staff, json={"pitch": "x"}), 422)
    assert_problem(ev.call("POST", "/grid/seats", staff, content=b"{}"), 422)
    assert ev.ok("GET", "/me", token)["seats"] == {}
