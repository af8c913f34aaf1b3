"""Places in a small room from phones, and the facilitator's view of them, in Chromium: claim
from the agenda, a full room, release, and the next on the list promoted and told."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect

from tests.conftest import LiveServer
from tests.e2e.conftest import HALL_AND_TINY_SNUG, PHONE, bearer, check_drawn, make_event, sign_in


def small_room(server: LiveServer, **extra: Any) -> tuple[str, list[str], int, Any]:
    """A published session in a room of one that two people voted for; the first has its place."""
    event = make_event(server, "Seats camp", rooms=HALL_AND_TINY_SNUG, **extra)
    base = f"{server.url}/api/e/{event.slug}"
    httpx.patch(base, json={"voting_open": True}, headers=event.auth()).raise_for_status()
    pitch = httpx.post(
        f"{base}/pitches", json={"title": "Small talk", "host": "Ann"}, headers=event.auth()
    ).json()["id"]
    state = httpx.get(base, headers=event.auth()).json()
    snug, slot = state["rooms"][1]["id"], state["slots"][0]["id"]
    move = {"version": 0, "pitch": pitch, "room": snug, "slot": slot}
    httpx.post(f"{base}/grid/move", json=move, headers=event.auth()).raise_for_status()
    httpx.post(f"{base}/grid/publish", json={"version": 1}, headers=event.auth()).raise_for_status()
    tokens = [httpx.post(f"{base}/attendees", json={"name": n}).json()["token"] for n in "AB"]
    for token in tokens:
        httpx.post(f"{base}/dots", json={"pitch": pitch}, headers=bearer(token)).raise_for_status()
    httpx.post(f"{base}/me/seats/{pitch}", headers=bearer(tokens[0])).raise_for_status()
    return base, tokens, pitch, event


@pytest.mark.parametrize("script", [True, False], ids=["script", "no-script"])
def test_claim_from_the_agenda_wait_and_be_promoted(
    server: LiveServer, browser: Any, results_dir: Path, script: bool
) -> None:
    base, (seated, token), pitch, event = small_room(server)
    context = browser.new_context(**PHONE, java_script_enabled=script)
    sign_in(context, server, event.slug, token)
    phone = context.new_page()
    phone.goto(f"{server.url}/e/{event.slug}")
    shot = str(results_dir / f"seats-{'script' if script else 'no-script'}-360")
    agenda, seat = phone.locator("#agenda"), phone.locator(".g-seat")
    # The event's day (23 November 2026) is over: drawn and live, the page says so.
    expect(phone.locator("#moment-now")).to_have_text(
        "The sessions are over: thank you for coming."
    )
    # A full room says so in the same numbers on the agenda and the grid.
    expect(agenda).to_contain_text("1 of 1 place taken")
    expect(phone.locator("#grid-list")).to_contain_text("1 of 1 place taken")
    expect(seat.locator(".seat-words")).to_have_text("Full: you can join the list.")
    # Choosing it on the agenda puts this phone on its list.
    agenda.get_by_label("Small talk").check()
    if not script:
        agenda.get_by_role("button", name="Save").click()
        expect(phone.locator("#done")).to_have_text("Your agenda is saved.")
    expect(agenda.locator(".g-standing")).to_contain_text("re number 1 on the list.")
    expect(seat.locator(".seat-words")).to_contain_text("re number 1 on the list.")
    expect(agenda).to_contain_text("1 of 1 place taken, 1 on the list")
    expect(seat.get_by_role("button")).to_contain_text("Leave the list")
    check_drawn(browser, phone, script)
    phone.screenshot(path=f"{shot}-waiting.png", full_page=True)
    # The one seated gives up their place: this phone is promoted, and told.
    httpx.delete(f"{base}/me/seats/{pitch}", headers=bearer(seated)).raise_for_status()
    if script:
        expect(phone.locator("#notices")).to_contain_text("A place came free in “Small talk”")
    else:
        phone.reload()
    expect(agenda.locator(".g-standing")).to_have_text("A place came free: you have a place.")
    expect(seat.get_by_role("button")).to_contain_text("Give up my place")
    expect(agenda).to_contain_text("1 of 1 place taken")
    check_drawn(browser, phone, script)
    phone.screenshot(path=f"{shot}-promoted.png", full_page=True)
    context.close()


def test_the_facilitator_sees_and_assigns_seats(server: LiveServer, browser: Any) -> None:
    _base, _tokens, _pitch, event = small_room(server)
    laptop = browser.new_context(viewport={"width": 1280, "height": 900})
    sign_in(laptop, server, event.slug, event.key)
    page = laptop.new_page()
    page.goto(f"{server.url}/e/{event.slug}/grid")
    expect(page.locator(".s-seats")).to_have_text("Seated 1 of 1, 0 waiting")
    page.get_by_role("button", name="Assign seats").click()
    expect(page.locator("#announce")).to_contain_text("Seats assigned")
    check_drawn(browser, page, True)
    laptop.close()
