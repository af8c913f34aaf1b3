"""The organiser's link in Chromium: the key from #key= goes into a cookie no script can read,
leaves the address bar, and is kept nowhere a script could find it; the page still works after
a reload, the device can sign out, and no other event or page is given the key."""

from __future__ import annotations

import json
from typing import Any

from playwright.sync_api import expect

from tests.conftest import LiveServer
from tests.e2e.conftest import check_axe, fail_on_dialogs, make_event

# Every value this page's script can read: both storages and the cookies it may see.
READABLE = """JSON.stringify([
  Object.entries(localStorage), Object.entries(sessionStorage), document.cookie, location.href,
])"""


def test_the_organiser_link_signs_the_browser_in_without_leaving_the_key_to_script(
    server: LiveServer, browser: Any
) -> None:
    event, other = make_event(server, "Cookie camp"), make_event(server, "Other camp")
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    alerts: list[str] = []
    fail_on_dialogs(page, alerts)
    page.goto(f"{server.url}/e/{event.slug}/organise#key={event.key}")
    expect(page.locator("#role-line")).to_have_text("You are the organiser of this event.")
    assert page.url == f"{server.url}/e/{event.slug}/organise"
    assert page.evaluate("location.hash") == ""
    readable = page.evaluate(READABLE)
    assert event.key not in readable and "snug_staff" not in readable, readable
    cookies = [c for c in context.cookies() if c["name"] == "snug_staff"]
    assert {c["path"] for c in cookies} == {f"/e/{event.slug}", f"/api/e/{event.slug}"}
    assert all(c["httpOnly"] and c["sameSite"] == "Strict" for c in cookies), cookies

    # After a reload the cookie alone recognises the organiser, and their writes work.
    page.reload()
    expect(page.locator("#role-line")).to_have_text("You are the organiser of this event.")
    page.get_by_role("button", name="Open voting").click()
    expect(page.locator("#voting-state")).to_have_text("Voting is open")
    assert event.key not in page.evaluate(READABLE)
    check_axe(page)

    # The attendee page and another event's organiser page on this browser get no key.
    page.goto(f"{server.url}/e/{event.slug}")
    expect(page.locator("#conn")).to_have_text("Live")
    expect(page.locator("#join-section")).to_be_visible()
    page.goto(f"{server.url}/e/{other.slug}/organise")
    expect(page.locator("#no-key")).to_be_visible()

    # Signing out forgets the key: the page is then what anyone sees.
    page.goto(f"{server.url}/e/{event.slug}/organise")
    page.get_by_role("button", name="Sign out of this device").click()
    expect(page.locator("#no-key")).to_be_visible()
    assert not [c for c in context.cookies() if c["name"] == "snug_staff"]
    assert json.loads(page.evaluate(READABLE))[:2] == [[], []]
    assert alerts == []
    context.close()
