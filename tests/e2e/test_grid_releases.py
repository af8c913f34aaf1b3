"""Releases of the grid in Chromium, on a laptop and on a small phone: a facilitator moves a
published session in the draft, reviews what publishing would change, confirms, and the phone
of someone who voted for it gets one notice; then reads the history, compares two releases
and rolls back to the first, which becomes release 3."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect

from tests.conftest import LiveServer
from tests.e2e.conftest import (
    TWO_ROOMS,
    TWO_SLOTS,
    VIEWPORTS,
    Event,
    bearer,
    check_drawn,
    look,
    make_event,
    sign_in,
)

MOVER, STAYER = "Open data in councils", "Cycling to work"


def _released(server: LiveServer, name: str) -> tuple[Event, str, dict[str, int]]:
    """Two sessions placed and published as release 1; an attendee voted for the first."""
    event = make_event(server, name, rooms=TWO_ROOMS, slots=TWO_SLOTS)
    api = f"{server.url}/api/e/{event.slug}"
    with httpx.Client(timeout=20, headers=event.auth()) as client:
        client.patch(api, json={"voting_open": True}).raise_for_status()
        ids = {
            title: client.post(f"{api}/pitches", json={"title": title, "host": host}).json()["id"]
            for title, host in ((MOVER, "Ada"), (STAYER, "Bo"))
        }
        token = httpx.post(f"{api}/attendees", json={"name": "Voter"}).json()["token"]
        httpx.post(
            f"{api}/dots", json={"pitch": ids[MOVER]}, headers=bearer(token)
        ).raise_for_status()
        state = client.get(api).json()
        rooms = [r["id"] for r in state["rooms"]]
        morning = next(s["id"] for s in state["slots"] if s["label"] == "Morning")
        for version, (title, room) in enumerate(((MOVER, rooms[0]), (STAYER, rooms[1]))):
            move = {"version": version, "pitch": ids[title], "room": room, "slot": morning}
            client.post(f"{api}/grid/move", json=move).raise_for_status()
        client.post(f"{api}/grid/publish", json={"version": 2}).raise_for_status()
    return event, token, ids


def _published_room(server: LiveServer, event: Event, pitch: int) -> tuple[int, int]:
    grid = httpx.get(f"{server.url}/api/e/{event.slug}").json()["grid"]
    found = next(p for p in grid["placements"] if p["pitch"] == pitch)
    return found["room"], found["slot"]


@pytest.mark.parametrize("size", list(VIEWPORTS))
def test_edit_preview_publish_history_compare_and_roll_back(
    server: LiveServer, browser: Any, results_dir: Path, size: str
) -> None:
    event, token, ids = _released(server, f"Release camp {size}")
    first_place = _published_room(server, event, ids[MOVER])
    phone_context = browser.new_context(viewport=VIEWPORTS["360"])
    sign_in(phone_context, server, event.slug, token)
    phone = phone_context.new_page()
    phone.goto(f"{server.url}/e/{event.slug}")
    expect(phone.get_by_role("heading", name="My agenda")).to_be_visible()

    context = browser.new_context(viewport=VIEWPORTS[size])
    sign_in(context, server, event.slug, event.key)
    laptop = context.new_page()
    errors: list[str] = []
    laptop.on("pageerror", lambda error: errors.append(str(error)))
    laptop.goto(f"{server.url}/e/{event.slug}/grid")
    expect(laptop.locator("#conn")).to_have_text("Live")

    # Edit: the move stays in the draft; attendees still see release 1.
    laptop.get_by_role("button", name=f"Move… {MOVER}").click()
    dialog = laptop.locator("#move-dialog")
    dialog.get_by_label("Room").select_option(label="Snug 1 (8 seats)")
    dialog.get_by_label("Time slot").select_option(label="11:00 to 11:45, Late morning")
    dialog.get_by_role("button", name="Move here").click()
    expect(laptop.locator("#publish-state")).to_contain_text(
        "Published. 1 change not yet published."
    )
    assert _published_room(server, event, ids[MOVER]) == first_place

    # Publish preview: what moves and whom it touches, then confirm.
    laptop.get_by_role("link", name="Review and publish…").click()
    preview = laptop.locator("#publish")
    expect(preview).to_contain_text(
        f"“{MOVER}” moves from Auditorium, 10:00 to 10:45, Morning "
        "to Snug 1, 11:00 to 11:45, Late morning."
    )
    expect(preview).to_contain_text("1 person will see their agenda change")
    look(laptop, results_dir, f"releases-preview-{size}", True)
    preview.get_by_role("button", name="Yes, publish release 2").click()
    expect(laptop.locator("#done")).to_contain_text("Published")
    expect(phone.locator("#notices")).to_contain_text(
        f"“{MOVER}” moved from Auditorium at 10:00 to Snug 1 at 11:00"
    )
    expect(phone.locator("#notices li")).to_have_count(1)

    # History, and comparing release 1 with release 2.
    laptop.goto(f"{server.url}/e/{event.slug}/grid/releases")
    expect(laptop.locator("#release-2 h3")).to_have_text("Release 2: Published (latest)")
    expect(laptop.locator("#publish")).to_contain_text("nothing new to publish")
    laptop.locator("#release-2").get_by_role("link", name="Compare with release 1").click()
    expect(laptop.locator("#compare-result")).to_have_text("From release 1 to release 2")
    expect(laptop.locator("#compare-changes")).to_contain_text(f"“{MOVER}” moves from")
    look(laptop, results_dir, f"releases-compare-{size}", True)

    # Roll back to release 1: asked first, then published as release 3.
    laptop.get_by_role("link", name="Roll back to release 1…").click()
    asked = laptop.locator("#rollback")
    expect(asked).to_contain_text("Roll back to release 1?")
    expect(asked.locator("#rollback-changes")).to_contain_text(
        f"“{MOVER}” moves from Snug 1, 11:00 to 11:45, Late morning to Auditorium"
    )
    look(laptop, results_dir, f"releases-rollback-{size}", True)
    asked.get_by_role("button", name="Yes, roll back to release 1").click()
    expect(laptop.locator("#done")).to_contain_text("Rolled back")
    expect(laptop.locator("#release-3 h3")).to_have_text(
        "Release 3: Rolled back to release 1 (latest)"
    )
    assert _published_room(server, event, ids[MOVER]) == first_place
    look(laptop, results_dir, f"releases-history-{size}", True)
    assert errors == []
    context.close()
    phone_context.close()


def test_removing_a_room_that_holds_sessions_asks_first(
    server: LiveServer, browser: Any, results_dir: Path
) -> None:
    event, _token, ids = _released(server, "Room removal camp")
    context = browser.new_context(viewport=VIEWPORTS["360"])
    page = context.new_page()
    page.goto(event.links["organise"])
    expect(page.locator("#role-line")).to_contain_text("organiser")
    page.get_by_role("button", name="Remove room 2").click()
    page.get_by_role("button", name="Save rooms").click()
    asked = page.locator("#rooms-form .unplace-confirm")
    expect(asked).to_be_focused()
    expect(asked).to_contain_text("Take 1 session off the grid?")
    expect(asked.locator("li")).to_have_text([STAYER])
    check_drawn(browser, page, True)
    page.locator("#rooms-form").screenshot(path=str(results_dir / "rooms-unplace-confirm-360.png"))
    state = httpx.get(f"{server.url}/api/e/{event.slug}", headers=event.auth()).json()
    assert len(state["rooms"]) == 2, "nothing removed before the answer"
    asked.get_by_role("button", name="Remove it and take them off").click()
    expect(page.locator("#rooms-status")).to_have_text("Rooms saved.")
    state = httpx.get(f"{server.url}/api/e/{event.slug}", headers=event.auth()).json()
    assert [r["name"] for r in state["rooms"]] == ["Auditorium"]
    assert [p["pitch"] for p in state["draft"]["placements"]] == [ids[MOVER]]
    context.close()


def test_unpublishing_tells_the_phones(server: LiveServer, browser: Any, results_dir: Path) -> None:
    event, token, _ids = _released(server, "Taken down camp")
    phone_context = browser.new_context(viewport=VIEWPORTS["360"])
    sign_in(phone_context, server, event.slug, token)
    phone = phone_context.new_page()
    phone.goto(f"{server.url}/e/{event.slug}")
    expect(phone.locator("#conn")).to_have_text("Live")
    expect(phone.locator("#grid-section")).to_be_visible()
    api = f"{server.url}/api/e/{event.slug}"
    version = httpx.get(api, headers=event.auth()).json()["draft"]["version"]
    httpx.post(
        f"{api}/grid/unpublish", json={"version": version}, headers=event.auth()
    ).raise_for_status()
    said = "The grid has been taken down for now while the facilitators change it."
    expect(phone.locator("#notices")).to_contain_text(said)
    expect(phone.locator("#grid-section")).to_be_hidden()
    expect(phone.locator("#grid-taken-down")).to_be_hidden()  # said once, in the notices
    look(phone, results_dir, "grid-taken-down-360", True)
    phone_context.close()
    # A phone without script, or one that missed the moment, reads it on the page.
    plain = browser.new_context(viewport=VIEWPORTS["360"], java_script_enabled=False)
    sign_in(plain, server, event.slug, token)
    page = plain.new_page()
    page.goto(f"{server.url}/e/{event.slug}")
    expect(page.locator("#grid-taken-down")).to_contain_text(said)
    plain.close()
