"""A phone whose live socket is open places its dots on it, not by HTTP; one whose socket
drops before the answer comes sends the same dot by HTTP, and it is placed once."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect

from tests.conftest import LiveServer
from tests.e2e.conftest import PHONE, make_event
from tests.e2e.test_attendee_journeys import pitch_card
from tests.e2e.test_voting_phone import crowd, join

TITLE = "Session 002 on open data"  # crowd() gave it 3 dots
ONE_USED, NONE_USED = "You have 19 of 20 dots left.", "You have 20 of 20 dots left."


def open_phone(
    browser: Any, server: LiveServer, slug: str, sockets: Any = None
) -> tuple[Any, Any, list[str]]:
    """A phone on the event, joined and live, and the dots it POSTs from here on.
    ``sockets``: what stands between its live sockets and the server."""
    context = browser.new_context(**PHONE)
    page = context.new_page()
    if sockets is not None:
        page.route_web_socket(re.compile(r"/live$"), sockets)
    posted: list[str] = []
    page.goto(f"{server.url}/e/{slug}")
    join(page)
    expect(page.locator("#conn")).to_have_text("Live")
    page.on(
        "request",
        lambda r: posted.append(r.url) if r.method == "POST" and r.url.endswith("/dots") else None,
    )
    return context, page, posted


def votes_on(organiser: Any, title: str) -> int:
    return next(p["votes"] for p in organiser.call("GET")["pitches"] if p["title"] == title)


def test_a_live_phone_places_its_dot_on_its_socket(server: LiveServer, browser: Any) -> None:
    event = make_event(server, "Socket camp")
    organiser = crowd(server, event, 3)
    context, page, posted = open_phone(browser, server, event.slug)
    pitch_card(page, TITLE).get_by_role("button", name="Add a dot").click()
    expect(page.locator("#dots-left")).to_have_text(ONE_USED)
    assert votes_on(organiser, TITLE) == 4
    assert posted == [], "the dot went by HTTP"
    # Taken off again (by HTTP: only placing goes on the socket), and placed again.
    pitch_card(page, TITLE).get_by_role("button", name="Remove a dot").click()
    expect(page.locator("#dots-left")).to_have_text(NONE_USED)
    pitch_card(page, TITLE).get_by_role("button", name="Add a dot").click()
    expect(page.locator("#dots-left")).to_have_text(ONE_USED)
    assert votes_on(organiser, TITLE) == 4
    assert posted == []
    context.close()


def test_a_dot_whose_answer_the_socket_lost_is_sent_by_http_and_placed_once(
    server: LiveServer, browser: Any
) -> None:
    event = make_event(server, "Dropped camp")
    organiser = crowd(server, event, 3)
    cut: list[str] = []

    def through(ws: Any) -> None:
        upstream = ws.connect_to_server()

        def to_phone(message: str | bytes) -> None:
            if '"placed"' in str(message) and not cut:
                cut.append(str(message))
                ws.close()  # the dot is placed, and its answer lost with the phone's socket
                return
            ws.send(message)

        upstream.on_message(to_phone)

    context, page, posted = open_phone(browser, server, event.slug, through)
    pitch_card(page, TITLE).get_by_role("button", name="Add a dot").click()
    expect(page.locator("#dots-left")).to_have_text(ONE_USED)
    assert cut, "the dot was never placed by way of the socket"
    assert len(posted) == 1, posted
    assert votes_on(organiser, TITLE) == 4, "placed twice, or not at all"
    context.close()


def test_a_dot_the_socket_refuses_is_said_on_its_card_and_not_sent_again(
    server: LiveServer, browser: Any
) -> None:
    event = make_event(server, "Refused camp")
    organiser = crowd(server, event, 3)
    unheard: list[str] = []

    def slow_news(ws: Any) -> None:
        upstream = ws.connect_to_server()

        def to_phone(message: str | bytes) -> None:
            if unheard and '"change"' in str(message):
                unheard.append(str(message))  # the phone hasn't heard voting close yet
                return
            ws.send(message)

        upstream.on_message(to_phone)

    context, page, posted = open_phone(browser, server, event.slug, slow_news)
    unheard.append("from here on")
    organiser.call("PATCH", json={"voting_open": False})
    pitch_card(page, TITLE).get_by_role("button", name="Add a dot").click()
    expect(pitch_card(page, TITLE)).to_contain_text(
        "Your dot was not added: Voting is closed for this event."
    )
    expect(page.locator("#dots-left")).to_have_text(NONE_USED)
    assert posted == [], "a refused dot was sent again by HTTP"
    assert votes_on(organiser, TITLE) == 3
    context.close()
