"""The organiser's link in Chromium: the key from #key= goes into a cookie no script can read,
leaves the address bar, and is kept nowhere a script could find it; the page still works after
a reload, the device can sign out, and no other event or page is given the key. An attendee's
token is kept the same way from joining, and one a phone kept in localStorage before is moved."""

from __future__ import annotations

import json
from typing import Any

import httpx
from playwright.sync_api import expect

from tests.conftest import LiveServer
from tests.e2e.conftest import PHONE, check_axe, fail_on_dialogs, make_event

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


def attendee_cookies(context: Any) -> list[dict[str, Any]]:
    return [c for c in context.cookies() if c["name"] == "snug_attendee"]


def test_a_phone_that_joins_is_remembered_without_leaving_its_token_to_script(
    server: LiveServer, browser: Any
) -> None:
    event = make_event(server, "Phone camp")
    base = f"{server.url}/api/e/{event.slug}"
    httpx.patch(base, json={"voting_open": True}, headers=event.auth()).raise_for_status()
    context = browser.new_context(**PHONE)
    page = context.new_page()
    alerts: list[str] = []
    fail_on_dialogs(page, alerts)
    page.goto(f"{server.url}/e/{event.slug}")
    page.get_by_label("Your name (optional)").fill("Ana")
    page.get_by_role("button", name="Join").click()
    expect(page.locator("#welcome")).to_contain_text("Ana")
    page.get_by_label("Title").fill("Cookies for phones")
    page.get_by_role("button", name="Pitch it").click()
    expect(page.locator("#pitch-status")).to_contain_text("is on the list")
    page.get_by_role("button", name="Add a dot").click()
    expect(page.locator("#dots-left")).to_have_text("You have 2 of 3 dots left.")
    cookies = attendee_cookies(context)
    assert {c["path"] for c in cookies} == {f"/e/{event.slug}", f"/api/e/{event.slug}"}
    assert all(c["httpOnly"] and c["sameSite"] == "Strict" for c in cookies), cookies
    token = cookies[0]["value"]

    page.reload()
    expect(page.locator("#me-section")).to_be_visible()
    expect(page.locator("#dots-left")).to_have_text("You have 2 of 3 dots left.")
    expect(page.locator("#join-section")).to_be_hidden()
    readable = page.evaluate(READABLE)
    assert token not in readable and "snug_attendee" not in readable, readable
    assert httpx.get(f"{base}/me", headers={"Authorization": f"Bearer {token}"}).json()["dots"]
    assert alerts == []
    context.close()


def test_a_token_kept_in_local_storage_before_is_moved_into_the_cookie_once(
    server: LiveServer, browser: Any
) -> None:
    event = make_event(server, "Old phone camp")
    joined = httpx.post(f"{server.url}/api/e/{event.slug}/attendees", json={"name": "Ben"})
    token = joined.json()["token"]
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.goto(f"{server.url}/e/{event.slug}")
    expect(page.locator("#join-section")).to_be_visible()
    page.evaluate(f"localStorage.setItem('snug:{event.slug}:token', {token!r})")
    page.reload()
    expect(page.locator("#me-section")).to_be_visible()
    expect(page.get_by_label("Name shown with your pitches")).to_have_value("Ben")
    assert {c["value"] for c in attendee_cookies(context)} == {token}
    assert token not in page.evaluate(READABLE)

    # A token Snug doesn't know any more is dropped, and the page offers joining again.
    context.clear_cookies()
    page.evaluate(f"localStorage.setItem('snug:{event.slug}:token', 'erased-long-ago')")
    page.reload()
    expect(page.locator("#join-section")).to_be_visible()
    assert "erased-long-ago" not in page.evaluate(READABLE)
    page.get_by_role("button", name="Join").click()
    expect(page.locator("#me-section")).to_be_visible()
    context.close()
