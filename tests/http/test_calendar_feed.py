"""The personal calendar feed over HTTP: a read-only link of its own, made, renewed and stopped
from the agenda, that never reaches the log; the attendee's token opens no feed."""

from __future__ import annotations

import contextlib
import json
import secrets
import time
from collections.abc import Callable

import httpx
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import connect

from tests.conftest import ApiEvent, LiveServer
from tests.http.helpers import assert_problem


def test_the_calendar_link_is_read_only_and_can_be_renewed_and_stopped(
    make_event: Callable[..., ApiEvent], server: LiveServer, http: httpx.Client
) -> None:
    event = make_event()
    token = event.join("Ana")["token"]
    assert event.ok("GET", "/me/calendar", token) == {"link": None}
    link = event.ok("POST", "/me/calendar", token)["link"]
    assert link.startswith(f"{server.url}/e/{event.slug}/my/") and link.endswith(".ics")
    assert token not in link
    assert event.ok("GET", "/me/calendar", token) == {"link": link}  # the same, shown again
    path = httpx.URL(link).path
    assert http.get(path).status_code == 200
    feed = path.rsplit("/", 1)[1].removesuffix(".ics")
    assert_problem(event.call("GET", "/me", feed), 401)  # the feed can't act as the attendee
    old_style = assert_problem(http.get(f"/e/{event.slug}/my/{token}.ics"), 404)
    assert "isn't recognised" in old_style["detail"]
    renewed = event.ok("POST", "/me/calendar", token)["link"]
    assert renewed != link
    assert_problem(http.get(path), 404)
    assert http.get(httpx.URL(renewed).path).status_code == 200
    assert event.ok("DELETE", "/me/calendar", token) == {"link": None}
    assert_problem(http.get(httpx.URL(renewed).path), 404)
    assert event.ok("GET", "/me/calendar", token) == {"link": None}
    for staff in (event.organiser, event.facilitator()):
        assert_problem(event.call("POST", "/me/calendar", staff), 409)


def test_no_token_or_feed_secret_reaches_the_log_even_from_a_wrong_address(
    make_event: Callable[..., ApiEvent], server: LiveServer, http: httpx.Client
) -> None:
    event = make_event()
    token = event.join("Ben")["token"]
    feed = httpx.URL(event.ok("POST", "/me/calendar", token)["link"]).path.rsplit("/", 1)[1]
    feed = feed.removesuffix(".ics")
    base = f"/e/{event.slug}"
    for path in (
        f"{base}/my/{feed}.ics",  # right
        f"{base}/my/{feed[:-1]}.ics",  # near misses: each a 404
        f"{base}/my/{feed}",
        f"{base}/my/{feed}.ics/more",
        f"{base}/my/{token}.ics",
        f"{base}/mine/{token}.ics",
        f"{base}/photos/x/{token}",
        f"{base}/organise%23key={event.organiser}",
    ):
        http.get(path)
    # Uvicorn logs each websocket's opening with its path and query string: those too.
    for path in (f"{base}/my/{feed}.ics", f"{base}/live?token={token}"):
        with (
            contextlib.suppress(InvalidStatus, ConnectionClosed),
            connect(f"{server.ws_url}{path}") as ws,
        ):
            ws.send(json.dumps({"type": "hello"}))
            ws.recv()
    marker = f"{base}/log-marker-{secrets.token_hex(4)}"
    http.get(marker)
    log = server.data_dir / "server.log"
    deadline = time.monotonic() + 10
    while marker not in log.read_text() and time.monotonic() < deadline:
        time.sleep(0.05)
    text = log.read_text()
    assert marker in text
    for secret in (token, feed, feed[:-1], event.organiser):
        assert secret not in text
