"""Creating an event with the script: the languages chosen on the form reach the API, and the
rooms and slots the script builds are shown (they stay hidden without it)."""

from __future__ import annotations

import re
from typing import Any

import httpx
from playwright.sync_api import expect

from tests.conftest import LiveServer
from tests.e2e.conftest import bearer, check_axe


def test_the_script_sends_the_languages_chosen(server: LiveServer, browser: Any) -> None:
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{server.url}/new")
    expect(page.locator("#venue-editors")).to_be_visible()
    expect(page.get_by_label("English", exact=True)).to_be_checked()
    check_axe(page)
    page.get_by_label("Event name").fill("Cynhadledd agored")
    page.get_by_label("Both Welsh and English").check()
    page.get_by_role("button", name="Create event").click()
    expect(page.get_by_role("heading", name="Your event is ready")).to_be_visible()
    link = page.locator("#organise-link code").inner_text()
    found = re.search(r"/e/([^/]+)/organise#key=(.+)$", link)
    assert found, link
    state = httpx.get(f"{server.url}/api/e/{found.group(1)}", headers=bearer(found.group(2))).json()
    assert state["event"]["languages"] == ["cy", "en"]
    assert [room["name"] for room in state["rooms"]] == ["Main room"]  # the script's room
    context.close()
