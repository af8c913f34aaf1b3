"""A storm of votes reaches a phone as a few tallies, not a message a vote, and the page shows
the final count: the browser's side of the room's tick (server/live/room.py)."""

from __future__ import annotations

import json
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
