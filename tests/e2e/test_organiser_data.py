"""The organiser's last jobs, in Chromium on a phone: printing the posters and erasing
attendees' personal data after the event."""

from __future__ import annotations

from typing import Any

import httpx
from playwright.sync_api import expect

from tests.conftest import LiveServer
from tests.e2e.conftest import PHONE, check_axe, make_event, no_sideways_scroll


def test_the_organiser_opens_the_posters_from_their_page(server: LiveServer, browser: Any) -> None:
    event = make_event(server, "Poster camp")
    page = browser.new_context(**PHONE).new_page()
    page.goto(f"{server.url}/e/{event.slug}/organise#key={event.key}")
    page.get_by_role("link", name="Open the posters").click()
    expect(page).to_have_url(f"{server.url}/e/{event.slug}/posters")
    no_sideways_scroll(page)
    check_axe(page)
    page.get_by_role("link", name="Auditorium", exact=False).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Auditorium")
    no_sideways_scroll(page)
    check_axe(page)
    page.context.close()


def test_the_organiser_erases_personal_data_and_the_phones_are_no_longer_known(
    server: LiveServer, browser: Any
) -> None:
    event = make_event(server, "Erase camp")
    api = f"{server.url}/api/e/{event.slug}"
    token = httpx.post(f"{api}/attendees", json={"name": "Rosalind"}).json()["token"]
    page = browser.new_context(**PHONE).new_page()
    page.goto(f"{server.url}/e/{event.slug}/organise#key={event.key}")
    data = page.locator("#organiser-data")
    erase = data.get_by_role("button", name="Erase personal data")
    erase.click()  # without typing the address first: refused, nothing erased
    expect(data.locator("#erase-form")).to_contain_text(f"Type {event.slug} exactly")
    assert httpx.get(f"{api}/me", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    data.get_by_label("To confirm, type the event's address").fill(event.slug)
    erase.click()
    expect(data.locator("#erase-status")).to_contain_text("Personal data erased")
    no_sideways_scroll(page)
    check_axe(page)
    answer = httpx.get(f"{api}/me", headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 401
    page.context.close()
