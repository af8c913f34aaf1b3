"""A phone whose websocket is blocked still sees votes arrive: over the event stream, or, with
that blocked too, by asking for changes every few seconds; its status says which."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
from playwright.sync_api import expect

from tests.conftest import LiveServer
from tests.e2e.conftest import PHONE, Event, check_axe, make_event, no_sideways_scroll, sign_in

FALLBACK_WITHIN = 20_000  # ms: three refused sockets, then three refused streams, with backoff


def voting(server: LiveServer) -> tuple[Event, str, int, list[str]]:
    """An event with voting open, one pitch, this phone's token and two other phones'."""
    event = make_event(server, "Fallback camp")
    base = f"{server.url}/api/e/{event.slug}"
    httpx.patch(base, json={"voting_open": True}, headers=event.auth()).raise_for_status()
    pitch = httpx.post(
        f"{base}/pitches", json={"title": "Open data", "host": "Ann"}, headers=event.auth()
    ).json()["id"]
    mine, *others = (
        httpx.post(f"{base}/attendees", json={"name": n}).json()["token"] for n in "ABC"
    )
    return event, mine, pitch, others


def blocked_phone(browser: Any, server: LiveServer, event: Event, token: str, stream: bool) -> Any:
    """The attendee page on a phone whose websocket (and maybe event stream) never gets
    through, as behind a proxy that refuses them."""
    context = browser.new_context(**PHONE)
    sign_in(context, server, event.slug, token)
    page = context.new_page()
    page.route_web_socket("**/live", lambda ws: ws.close())
    if stream:
        page.route("**/stream?*", lambda route: route.abort())
    page.goto(f"{server.url}/e/{event.slug}")
    return page


def place_dot(server: LiveServer, event: Event, token: str, pitch: int) -> None:
    httpx.post(
        f"{server.url}/api/e/{event.slug}/dots",
        json={"pitch": pitch},
        headers={"Authorization": f"Bearer {token}"},
    ).raise_for_status()


def test_a_blocked_websocket_falls_back_to_the_event_stream(
    server: LiveServer, browser: Any, results_dir: Path
) -> None:
    event, mine, pitch, others = voting(server)
    page = blocked_phone(browser, server, event, mine, stream=False)
    status = page.locator("#conn")
    expect(status).to_have_attribute("data-transport", "stream", timeout=FALLBACK_WITHIN)
    expect(status).to_have_text("Live")
    count = page.locator(".count").first
    expect(count).to_contain_text("0 dots")
    place_dot(server, event, others[0], pitch)
    expect(count).to_contain_text("1 dot")  # pushed at once, not at the next ask
    # Recognised as this phone's attendee over the stream: its own dots can be placed.
    expect(page.get_by_role("button", name="Add a dot to Open data")).to_be_visible()
    page.screenshot(path=str(results_dir / "live-fallback-stream-360.png"), full_page=True)
    check_axe(page)
    no_sideways_scroll(page)
    page.context.close()


def test_with_the_stream_blocked_too_it_asks_every_few_seconds_and_says_so(
    server: LiveServer, browser: Any, results_dir: Path
) -> None:
    event, mine, pitch, others = voting(server)
    page = blocked_phone(browser, server, event, mine, stream=True)
    status = page.locator("#conn")
    expect(status).to_have_text("Updating every 5 seconds", timeout=FALLBACK_WITHIN)
    expect(status).to_have_attribute("data-transport", "poll")
    count = page.locator(".count").first
    expect(count).to_contain_text("0 dots")
    place_dot(server, event, others[0], pitch)
    expect(count).to_contain_text("1 dot", timeout=8_000)  # by the next ask
    place_dot(server, event, others[1], pitch)
    expect(count).to_contain_text("2 dots", timeout=8_000)
    page.screenshot(path=str(results_dir / "live-fallback-poll-360.png"), full_page=True)
    check_axe(page)
    no_sideways_scroll(page)
    page.context.close()


def test_a_websocket_that_keeps_dropping_gives_way_to_the_event_stream(
    server: LiveServer, browser: Any
) -> None:
    """As behind a proxy that lets a socket open, then cuts it once the page has caught up:
    the page never looks broken for long, but after a few drops it stops trying."""
    event, mine, pitch, others = voting(server)
    context = browser.new_context(**PHONE)
    sign_in(context, server, event.slug, mine)
    page = context.new_page()
    state = httpx.get(
        f"{server.url}/api/e/{event.slug}", headers={"Authorization": f"Bearer {mine}"}
    ).json()
    drops: list[str] = []

    def catch_up_then_cut(ws: Any) -> None:
        def on_message(message: str | bytes) -> None:
            if json.loads(message)["type"] == "hello":
                ws.send(json.dumps({"type": "snapshot", "state": state}))
                drops.append(ws.url)
                ws.close()

        ws.on_message(on_message)

    page.route_web_socket("**/live", catch_up_then_cut)
    page.goto(f"{server.url}/e/{event.slug}")
    status = page.locator("#conn")
    expect(status).to_have_attribute("data-transport", "stream", timeout=FALLBACK_WITHIN)
    expect(status).to_have_text("Live")
    assert len(drops) >= 3, drops
    place_dot(server, event, others[0], pitch)
    expect(page.locator(".count").first).to_contain_text("1 dot")
    context.close()
