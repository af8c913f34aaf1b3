"""The next event's projector opens with the last event's open actions, said in both of its
languages, axe-clean; with script on, the first pitch gives their place to the dots live."""

from __future__ import annotations

from typing import Any

import httpx
from playwright.sync_api import expect

from tests.conftest import LiveServer
from tests.e2e.conftest import bearer, check_drawn, make_event


def test_the_projector_opens_with_what_is_still_to_do_until_the_first_pitch(
    server: LiveServer, browser: Any, results_dir: Any
) -> None:
    event = make_event(server, "Carried camp 2026", languages=["cy", "en"])
    api = f"{server.url}/api/e/{event.slug}"
    ana = httpx.post(f"{api}/attendees", json={"name": "Ana"}, timeout=10).json()["token"]
    pitch = httpx.post(
        f"{api}/pitches", json={"title": "Open data"}, headers=bearer(ana), timeout=10
    ).json()["id"]
    sent = httpx.post(
        f"{server.url}/e/{event.slug}/notes/{pitch}/actions",
        data={"what": "Publish the register", "owner": "Priya", "due": "2030-01-31"},
        headers={"Cookie": f"snug_attendee={ana}"},
        timeout=10,
    )
    assert sent.status_code == 303, sent.text
    httpx.put(f"{api}/proceedings", json={"published": True}, headers=event.auth(), timeout=10)
    slug = httpx.post(f"{api}/again", json={}, headers=event.auth(), timeout=10).json()["slug"]

    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    page.goto(f"{server.url}/e/{slug}/screen")
    carried = page.locator("#carried")
    expect(carried).to_be_visible()
    expect(carried.locator(".what")).to_have_text(["Publish the register"])
    expect(carried.locator('h2 [lang="cy"]')).to_have_count(1)
    check_drawn(browser, page, script=True)
    page.screenshot(path=str(results_dir / "screen-carried.png"))

    bo = httpx.post(f"{server.url}/api/e/{slug}/attendees", json={"name": "Bo"}, timeout=10)
    httpx.post(
        f"{server.url}/api/e/{slug}/pitches",
        json={"title": "Maps"},
        headers=bearer(bo.json()["token"]),
        timeout=10,
    )
    expect(carried).to_be_hidden()
    expect(page.locator("#ranking-heading")).to_be_visible()
    context.close()
