"""Bodies are parsed and checked off the event loop: one that fits its schema may still take a
few hundred milliseconds of checking, and other requests don't wait for it. Small ones are
checked on it, and the few that a storm repeats are checked once."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from server.errors import Invalid
from server.http import api
from server.http.api import MAX_BODY
from tests.conftest import ApiEvent
from tests.http.helpers import assert_problem


def test_checking_large_bodies_does_not_hold_up_other_requests(
    make_event: Callable[..., ApiEvent], http: httpx.Client
) -> None:
    ev = make_event()
    (slot,) = [s["id"] for s in ev.state(ev.organiser)["slots"]][:1]
    # As many rooms as fit, each unavailable in the most slots a room can be: every id is
    # checked by itself, so this is about the slowest body to check that fits every bound.
    # The last room has no seats, so the body is refused once it has all been checked, and
    # the time is all checking's.
    room = {"name": "Room", "capacity": 10, "unavailable": list(range(slot, slot + 200))}
    each = len(json.dumps(room)) + len(", ")  # a room and the comma that parts it from the next
    rooms = [room] * (MAX_BODY // each - 1) + [{**room, "capacity": 0}]
    body = json.dumps({"rooms": rooms}).encode()
    assert len(body) <= MAX_BODY
    headers = {"Authorization": f"Bearer {ev.organiser}", "Content-Type": "application/json"}
    put = f"/api/e/{ev.slug}/rooms"
    with ThreadPoolExecutor(3) as pool:
        sent = [pool.submit(http.put, put, content=body, headers=headers) for _ in range(3)]
        waits = []
        while not all(s.done() for s in sent):
            started = time.monotonic()
            assert http.get("/healthz").status_code == 200
            waits.append(time.monotonic() - started)
        answers = [s.result() for s in sent]
    for answer in answers:
        assert "must be at least 1" in assert_problem(answer, 422)["detail"]
    # Checked on the event loop, the three held it up for about a second; off it, the loop
    # waits only for its turn beside the checking threads (under 0.3 s on a busy machine).
    assert max(waits) < 0.6, sorted(waits)[-3:]
    assert len(waits) >= 3, "the bodies were checked too quickly to show anything"


def test_a_small_body_that_fits_is_checked_once_and_each_sender_gets_its_own() -> None:
    api._fits.cache_clear()
    first = api._checked_small("dot-place", b'{"pitch": 12}')
    again = api._checked_small("dot-place", b'{"pitch": 12}')
    assert first == again == {"pitch": 12} and first is not again
    assert api._fits.cache_info().hits == 1, "a storm's same vote is checked once"
    for _ in range(2):  # a refusal isn't remembered as fitting
        with pytest.raises(Invalid):
            api._checked_small("dot-place", b'{"pitch": "twelve"}')
    assert api._fits.cache_info().hits == 1
