"""The facilitator's side in Chromium with JavaScript off (locked-down laptops, a script that
failed to load), on a laptop and on a small phone: sign in by pasting the link, place a
session in a cell by form, move it, publish, and an attendee's page without script shows it;
then the same journey with script on, through the live editor. The shared screens show the
truth without script too."""

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
)

TITLE = "Bread & circuses for civil servants"


def _camp(server: LiveServer, name: str) -> tuple[Event, str]:
    """An event with two rooms, two slots and one pitch with a dot, and a facilitator link."""
    event = make_event(server, name, rooms=TWO_ROOMS, slots=TWO_SLOTS)
    api = f"{server.url}/api/e/{event.slug}"
    with httpx.Client(timeout=20, headers=event.auth()) as client:
        client.patch(api, json={"voting_open": True}).raise_for_status()
        pitch = client.post(f"{api}/pitches", json={"title": TITLE, "host": "Ada"}).json()["id"]
        token = httpx.post(f"{api}/attendees", json={"name": "Voter"}).json()["token"]
        httpx.post(f"{api}/dots", json={"pitch": pitch}, headers=bearer(token)).raise_for_status()
        link = client.post(f"{api}/facilitator-link").json()["link"]
    return event, str(link)


def _sign_in(
    page: Any, server: LiveServer, event: Event, link: str, shot: str, script: bool = False
) -> None:
    page.goto(f"{server.url}/e/{event.slug}/facilitate")
    form = page.locator("#sign-in-form")
    expect(form).to_be_visible()
    look(page, Path(shot).parent, Path(shot).name, script)
    form.get_by_label("Your organiser or facilitator link").fill(link)
    form.get_by_role("button", name="Sign in").click()
    expect(page.locator("#role-line")).to_have_text("You are a facilitator of this event.")
    assert "key=" not in page.url
    page.get_by_role("link", name="Open the grid").click()
    expect(page.get_by_role("heading", name="Rooms and time slots")).to_be_visible()


def _place_by_form(page: Any, room: str, slot: str, button: str) -> None:
    item = page.locator(".place-item", has_text=TITLE)
    item.get_by_label("Room").select_option(label=room)
    item.get_by_label("Time slot").select_option(label=slot)
    item.get_by_role("button", name=button).click()


def _cell_of(page: Any, room: int, slot: int) -> Any:
    """The grid's cell in a room column and a slot row (both counted from 0)."""
    return page.locator("#grid tbody tr").nth(slot).locator("td").nth(room)


def _attendee_sees(
    browser: Any, server: LiveServer, event: Event, results: Path, size: str
) -> None:
    context = browser.new_context(viewport=VIEWPORTS[size], java_script_enabled=False)
    phone = context.new_page()
    phone.goto(f"{server.url}/e/{event.slug}")
    grid = phone.locator("#grid-section")
    expect(grid).to_be_visible()
    expect(grid.locator(".g-slot", has_text="11:00 to 11:45")).to_contain_text(TITLE)
    expect(grid.locator(".g-slot", has_text="11:00 to 11:45")).to_contain_text("Snug 1")
    look(phone, results, f"no-script-attendee-grid-{size}", False)
    context.close()


@pytest.mark.parametrize("size", list(VIEWPORTS))
def test_facilitator_without_script_builds_and_publishes_the_grid(
    server: LiveServer, browser: Any, results_dir: Path, size: str
) -> None:
    event, link = _camp(server, f"No script camp {size}")
    context = browser.new_context(viewport=VIEWPORTS[size], java_script_enabled=False)
    page = context.new_page()
    _sign_in(page, server, event, link, str(results_dir / f"no-script-sign-in-{size}"))
    expect(page.locator("#grid-app")).to_be_visible()
    expect(page.locator("#publish-state")).to_have_text("Draft, not published")
    expect(page.locator("#unplaced")).to_contain_text(TITLE)
    look(page, results_dir, f"no-script-grid-empty-{size}", False)

    _place_by_form(page, "Auditorium (100 seats)", "10:00 to 10:45, Morning", "Place")
    expect(page.locator("#done")).to_have_text("Saved: the session is in its new place.")
    expect(_cell_of(page, 0, 0)).to_contain_text(TITLE)
    expect(page.locator("#unplaced-empty")).to_be_visible()

    _place_by_form(page, "Snug 1 (8 seats)", "11:00 to 11:45, Late morning", "Move")
    expect(_cell_of(page, 0, 0)).to_have_text("Empty")
    expect(_cell_of(page, 1, 1)).to_contain_text(TITLE)
    look(page, results_dir, f"no-script-grid-placed-{size}", False)

    page.get_by_role("link", name="Review and publish…").click()
    confirm = page.locator("#publish")
    expect(confirm).to_contain_text(f"“{TITLE}” is added in Snug 1")
    look(page, results_dir, f"no-script-grid-confirm-{size}", False)
    confirm.get_by_role("button", name="Yes, publish release 1").click()
    expect(page.locator("#publish-state")).to_contain_text(
        "Published. 0 changes not yet published."
    )
    context.close()

    _attendee_sees(browser, server, event, results_dir, size)


@pytest.mark.parametrize("size", list(VIEWPORTS))
def test_facilitator_with_script_signs_in_by_form_and_uses_the_live_editor(
    server: LiveServer, browser: Any, results_dir: Path, size: str
) -> None:
    event, link = _camp(server, f"Script camp {size}")
    context = browser.new_context(viewport=VIEWPORTS[size])
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    _sign_in(page, server, event, link, str(results_dir / f"script-sign-in-{size}"), True)
    expect(page.locator("#conn")).to_have_text("Live")
    # The live editor takes over: the forms drawn for browsers without script are gone.
    expect(page.locator("[data-server]")).to_have_count(0)
    expect(page.locator("#live-actions")).to_be_visible()

    page.get_by_role("button", name=f"Place… {TITLE}").click()
    dialog = page.locator("#move-dialog")
    dialog.get_by_label("Room").select_option(label="Auditorium (100 seats)")
    dialog.get_by_label("Time slot").select_option(label="10:00 to 10:45, Morning")
    dialog.get_by_role("button", name="Move here").click()
    expect(_cell_of(page, 0, 0)).to_contain_text(TITLE)

    page.get_by_role("button", name=f"Move… {TITLE}").click()
    dialog.get_by_label("Room").select_option(label="Snug 1 (8 seats)")
    dialog.get_by_label("Time slot").select_option(label="11:00 to 11:45, Late morning")
    dialog.get_by_role("button", name="Move here").click()
    expect(_cell_of(page, 1, 1)).to_contain_text(TITLE)
    look(page, results_dir, f"script-grid-placed-{size}", True)

    page.get_by_role("link", name="Review and publish…").click()
    page.get_by_role("button", name="Yes, publish release 1").click()
    expect(page.locator("#publish-state")).to_contain_text(
        "Published. 0 changes not yet published."
    )
    assert errors == []
    context.close()

    _attendee_sees(browser, server, event, results_dir, size)


@pytest.mark.parametrize("size", list(VIEWPORTS))
def test_organiser_without_script_opens_pitching_and_voting(
    server: LiveServer, browser: Any, results_dir: Path, size: str
) -> None:
    event = make_event(server, f"Switch camp {size}")
    context = browser.new_context(viewport=VIEWPORTS[size], java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{server.url}/e/{event.slug}/organise")
    page.get_by_label("Your organiser or facilitator link").fill(event.links["organise"])
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("#role-line")).to_have_text("You are the organiser of this event.")
    page.get_by_role("button", name="Open voting").click()
    expect(page.locator("#voting-state")).to_have_text("Voting is open")
    page.get_by_role("button", name="Close pitching").click()
    expect(page.locator("#pitching-state")).to_have_text("Pitching is closed")
    expect(page.get_by_role("button", name="Open pitching")).to_be_visible()
    look(page, results_dir, f"no-script-organise-{size}", False)
    context.close()


def test_shared_screens_show_the_truth_without_script(
    server: LiveServer, browser: Any, results_dir: Path
) -> None:
    event, _link = _camp(server, "Screen camp")
    api = f"{server.url}/api/e/{event.slug}"
    state = httpx.get(api, headers=event.auth()).json()
    pitch = state["pitches"][0]["id"]
    cell = {"pitch": pitch, "room": state["rooms"][0]["id"], "slot": state["slots"][0]["id"]}
    version = state["draft"]["version"]
    httpx.post(f"{api}/grid/move", json={"version": version, **cell}, headers=event.auth())
    httpx.post(f"{api}/grid/publish", json={"version": version + 1}, headers=event.auth())
    context = browser.new_context(
        viewport={"width": 1280, "height": 720}, java_script_enabled=False
    )
    page = context.new_page()
    page.goto(f"{server.url}/e/{event.slug}/screen")
    expect(page.locator("#ranking li")).to_have_count(1)
    expect(page.locator("#ranking li")).to_contain_text(f"{TITLE}1 dot")
    expect(page.locator("#latest li")).to_contain_text(TITLE)
    expect(page.locator("#join-code")).not_to_be_empty()
    assert page.locator("#qr").evaluate("img => img.naturalWidth") > 0
    assert page.locator('noscript meta[http-equiv="refresh"]').count() == 1
    check_drawn(browser, page, False)
    page.screenshot(path=str(results_dir / "no-script-screen-1280.png"))
    page.goto(f"{server.url}/e/{event.slug}/now?at=2026-11-23T10:10")
    room = page.get_by_role("listitem").filter(has_text="Auditorium")
    expect(room.locator(".now-title")).to_have_text(TITLE)
    expect(room.locator(".when")).to_have_text("until 10:45")
    expect(page.locator("#now-banner")).to_have_text("Morning, until 10:45")
    check_drawn(browser, page, False)
    page.screenshot(path=str(results_dir / "no-script-now-1280.png"))
    context.close()
