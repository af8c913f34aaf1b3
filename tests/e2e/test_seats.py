"""Seats in a small room from a phone, and the facilitator's view of them, in Chromium."""

from __future__ import annotations

from typing import Any

import httpx
from playwright.sync_api import expect

from tests.conftest import LiveServer
from tests.e2e.conftest import PHONE, check_axe, make_event, no_sideways_scroll, sign_in


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def test_claim_wait_and_get_a_seat_live(server: LiveServer, browser: Any) -> None:
    event = make_event(
        server,
        "Seats camp",
        rooms=[
            {"name": "Hall", "capacity": 40, "features": []},
            {"name": "Tiny snug", "capacity": 1, "features": []},
        ],
    )
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

    context = browser.new_context(**PHONE)
    sign_in(context, server, event.slug, tokens[1])
    phone = context.new_page()
    phone.goto(f"{server.url}/e/{event.slug}")
    seat = phone.locator(".g-seat")
    expect(seat.locator(".seat-words")).to_have_text("Full: 1 of 1 seats taken, 0 waiting.")
    seat.get_by_role("button", name="Claim a seat").click()
    expect(seat.locator(".seat-words")).to_contain_text("next on the waiting list")
    expect(seat.get_by_role("button")).to_contain_text("Leave the waiting list")
    check_axe(phone)
    no_sideways_scroll(phone)
    # The first claimant gives up their seat: this phone is seated, live.
    httpx.delete(f"{base}/me/seats/{pitch}", headers=bearer(tokens[0])).raise_for_status()
    expect(seat.locator(".seat-words")).to_have_text("You have a seat.")
    expect(seat.get_by_role("button")).to_contain_text("Give up my seat")

    laptop = browser.new_context(viewport={"width": 1280, "height": 900})
    sign_in(laptop, server, event.slug, event.key)
    page = laptop.new_page()
    page.goto(f"{server.url}/e/{event.slug}/grid")
    expect(page.locator(".s-seats")).to_have_text("Seated 1 of 1, 0 waiting")
    page.get_by_role("button", name="Assign seats").click()
    expect(page.locator("#announce")).to_contain_text("Seats assigned")
    check_axe(page)
    laptop.close()
    context.close()
