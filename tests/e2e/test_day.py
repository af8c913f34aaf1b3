"""The attendee's page says where the day is and what comes next, drawn by Snug and kept live by
script, in the same words, through the day's states."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
from playwright.sync_api import expect

from tests.conftest import LiveServer
from tests.e2e.conftest import PHONE, bearer, check_axe, make_event, no_sideways_scroll, sign_in

LONDON = ZoneInfo("Europe/London")


def a_slot_running_now() -> tuple[str, dict[str, str]]:
    """Today's date in London, and a session slot that is running now (within today)."""
    now = datetime.now(UTC).astimezone(LONDON)
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    start = max(midnight, now - timedelta(minutes=30))
    end = min(midnight + timedelta(hours=23, minutes=59), now + timedelta(minutes=30))
    local = "%Y-%m-%dT%H:%M"
    slot = {"starts_at": start.strftime(local), "ends_at": end.strftime(local), "label": ""}
    return now.date().isoformat(), slot


def test_the_page_says_where_the_day_is_live_and_drawn(
    server: LiveServer, browser: Any, results_dir: Path
) -> None:
    day, slot = a_slot_running_now()
    event = make_event(server, "Day camp", date=day, slots=[slot])
    base = f"{server.url}/api/e/{event.slug}"
    token = httpx.post(f"{base}/attendees", json={"name": "Ana"}).json()["token"]
    live_context = browser.new_context(**PHONE)
    drawn_context = browser.new_context(**PHONE, java_script_enabled=False)
    for context in (live_context, drawn_context):
        sign_in(context, server, event.slug, token)
    live, drawn = live_context.new_page(), drawn_context.new_page()
    live.goto(f"{server.url}/e/{event.slug}")

    def says(now: str, name: str) -> None:
        """The live page moved on to ``now``, and a page drawn afresh says the same."""
        expect(live.locator("#moment-now")).to_have_text(now)
        drawn.goto(f"{server.url}/e/{event.slug}")
        expect(drawn.locator("#moment-now")).to_have_text(now)
        assert live.locator("#moment-next").inner_text().strip()  # never an empty screen
        expect(drawn.locator("#moment-next")).to_have_text(
            live.locator("#moment-next").inner_text()
        )
        live.screenshot(path=str(results_dir / f"day-{name}-360.png"))

    def change(**fields: Any) -> None:
        httpx.patch(base, json=fields, headers=event.auth()).raise_for_status()

    says("Pitching is open: pitch a session you'd like to run.", "pitching")
    pitch = httpx.post(
        f"{base}/pitches", json={"title": "Open data", "host": "Ana"}, headers=event.auth()
    ).json()["id"]
    change(pitching_open=False, voting_open=True)
    says("Voting is open: place your dots on the sessions you want.", "voting")
    change(voting_open=False)
    says("Voting is closed: the dots are being counted.", "counting")
    state = httpx.get(base, headers=event.auth()).json()
    move = {"version": 0, "pitch": pitch, "room": state["rooms"][0]["id"]}
    move["slot"] = state["slots"][0]["id"]
    httpx.post(f"{base}/grid/move", json=move, headers=event.auth()).raise_for_status()
    says("The facilitators are building the grid.", "drafting")
    httpx.post(f"{base}/grid/publish", json={"version": 1}, headers=event.auth()).raise_for_status()
    says(f"Sessions are running until {slot['ends_at'][11:16]}.", "running")
    check_axe(live)
    no_sideways_scroll(live)
    live_context.close()
    drawn_context.close()


def test_the_staff_pages_say_where_the_day_is_and_the_next_step_live(
    server: LiveServer, browser: Any, results_dir: Path
) -> None:
    event = make_event(server, "Staff day")
    base = f"{server.url}/api/e/{event.slug}"
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    sign_in(context, server, event.slug, event.key)
    organise, grid = context.new_page(), context.new_page()
    organise.goto(f"{server.url}/e/{event.slug}/organise")
    grid.goto(f"{server.url}/e/{event.slug}/grid")
    for page in (organise, grid):
        expect(page.locator("#conn")).to_have_text("Live")
        expect(page.locator("#staff-day-now")).to_have_text(
            "Pitching is open: 0 pitches so far, 0 joined."
        )
    pitch = httpx.post(
        f"{base}/pitches", json={"title": "Open data", "host": "Ana"}, headers=event.auth()
    ).json()["id"]
    expect(organise.locator("#staff-day-now")).to_have_text(
        "Pitching is open: 1 pitch so far, 0 joined."
    )
    tokens = [httpx.post(f"{base}/attendees", json={}).json()["token"] for _ in range(2)]
    httpx.patch(base, json={"pitching_open": False, "voting_open": True}, headers=event.auth())
    httpx.post(f"{base}/dots", json={"pitch": pitch}, headers=bearer(tokens[0])).raise_for_status()
    for page in (organise, grid):
        expect(page.locator("#staff-day-now")).to_have_text("Voting is open: 1 of 2 have voted.")
        expect(page.locator("#staff-day-next")).to_have_text(
            "Next: close voting and draft the grid."
        )
    check_axe(organise)
    organise.screenshot(path=str(results_dir / "day-staff-voting-1280.png"))
    httpx.patch(base, json={"voting_open": False}, headers=event.auth()).raise_for_status()
    httpx.post(f"{base}/grid/allocate", json={"version": 0}, headers=event.auth())
    expect(grid.locator("#staff-day-now")).to_have_text(
        "The grid is drafted but not published: only staff see it."
    )
    expect(organise.locator("#staff-day-next")).to_have_text(
        "Next: check the grid, then publish it to every phone and screen."
    )
    context.close()


def test_a_staff_page_shows_the_turnout_its_snapshot_brings(
    server: LiveServer, browser: Any
) -> None:
    """A staff page that (re)connects takes the turnout from its snapshot alone: here people
    join between drawing the page and its hello, and no change follows to tell it."""
    event = make_event(server, "Turnout day")
    base = f"{server.url}/api/e/{event.slug}"
    httpx.patch(base, json={"pitching_open": False, "voting_open": True}, headers=event.auth())
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    sign_in(context, server, event.slug, event.key)
    page = context.new_page()

    def snapshot_after_joins(ws: Any) -> None:
        def on_message(message: str | bytes) -> None:
            if json.loads(message)["type"] == "hello":
                for _ in range(2):
                    httpx.post(f"{base}/attendees", json={}).raise_for_status()
                state = httpx.get(base, headers=event.auth()).json()
                ws.send(json.dumps({"type": "snapshot", "state": state}))

        ws.on_message(on_message)

    page.route_web_socket("**/live", snapshot_after_joins)
    page.goto(f"{server.url}/e/{event.slug}/grid")
    expect(page.locator("#staff-day-now")).to_have_text("Voting is open: 0 of 2 have voted.")
    context.close()
