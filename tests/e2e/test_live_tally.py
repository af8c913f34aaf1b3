"""A storm of votes reaches a phone as a few tallies, not a message a vote, and the page shows
the final count: the browser's side of the room's tick (server/live/room.py)."""

from __future__ import annotations

import json
import time
from typing import Any

import httpx
from playwright.sync_api import expect

from tests.conftest import LiveServer
from tests.e2e.conftest import PHONE, check_axe, no_sideways_scroll, sign_in
from tests.e2e.test_live_fallback import place_dot, voting

VOTERS = 16


def test_votes_in_quick_succession_arrive_as_tallies_and_the_count_ends_right(
    server: LiveServer, browser: Any
) -> None:
    event, mine, pitch, _others = voting(server)
    base = f"{server.url}/api/e/{event.slug}"
    voters = [httpx.post(f"{base}/attendees", json={}).json()["token"] for _ in range(VOTERS)]
    context = browser.new_context(**PHONE)
    sign_in(context, server, event.slug, mine)
    page = context.new_page()
    kinds: list[str] = []

    def listen(ws: Any) -> None:
        def heard(frame: Any) -> None:
            message = json.loads(frame if isinstance(frame, str) else frame.decode())
            if message.get("type") == "change":
                kinds.append(message["kind"])

        ws.on("framereceived", heard)

    page.on("websocket", listen)
    page.goto(f"{server.url}/e/{event.slug}")
    status = page.locator("#conn")
    expect(status).to_have_text("Live")
    count = page.locator(".count").first
    expect(count).to_contain_text("0 dots")
    for voter in voters:  # one after another, as fast as each is answered
        place_dot(server, event, voter, pitch)
    expect(count).to_contain_text(f"{VOTERS} dots")
    assert "tally" in kinds, kinds
    assert len(kinds) < VOTERS, f"coalesced: {kinds}"
    check_axe(page)
    no_sideways_scroll(page)


def test_headcounts_keep_coming_while_votes_do_and_end_right(
    server: LiveServer, browser: Any
) -> None:
    """While votes keep coming, the grid's headcounts are measured about once a second
    (server/grid/follow.py), not once per vote and not only after the last."""
    event, mine, pitch, _others = voting(server)
    base = f"{server.url}/api/e/{event.slug}"
    state = httpx.get(base, headers=event.auth()).json()
    cell = {"room": state["rooms"][0]["id"], "slot": state["slots"][0]["id"]}
    for step, body in (
        ("move", {"version": 0, "pitch": pitch, **cell}),
        ("publish", {"version": 1}),
    ):
        httpx.post(f"{base}/grid/{step}", json=body, headers=event.auth()).raise_for_status()
    voters = [httpx.post(f"{base}/attendees", json={}).json()["token"] for _ in range(VOTERS)]
    context = browser.new_context(**PHONE)
    sign_in(context, server, event.slug, mine)
    page = context.new_page()
    heard: list[tuple[float, int]] = []  # when each headcount of the pitch came, and what

    def listen(ws: Any) -> None:
        def on_frame(frame: Any) -> None:
            message = json.loads(frame if isinstance(frame, str) else frame.decode())
            counts = message.get("data", {}).get("headcounts")
            if message.get("type") == "change" and counts is not None:
                heard.append((time.monotonic(), counts.get(str(pitch), 0)))

        ws.on("framereceived", on_frame)

    page.on("websocket", listen)
    page.goto(f"{server.url}/e/{event.slug}")
    expect(page.locator("#conn")).to_have_text("Live")
    places = page.locator(f'[data-places="{pitch}:{cell["room"]}"]')
    expect(places).to_have_text("0 of 100 places")
    for voter in voters:  # a steady stream of votes for about three seconds
        place_dot(server, event, voter, pitch)
        page.wait_for_timeout(150)
    last_vote = time.monotonic()
    expect(places).to_have_text(f"{VOTERS} of 100 places", timeout=3000)
    during = [count for at, count in heard if at < last_vote]
    assert len(set(during)) >= 2, f"headcounts came while votes did: {heard}"
    assert len(heard) <= VOTERS // 2, f"about once a second, not once a vote: {heard}"
    check_axe(page)
    no_sideways_scroll(page)
