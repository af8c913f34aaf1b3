"""Feedback on a session on a phone (360x640): with JavaScript off a tap on "Useful" is a plain
form that posts and comes back; with it on the tap is sent in place, and the offer appears when
the session's slot ends. The host then reads what was said. axe-clean throughout."""

from __future__ import annotations

from typing import Any

import httpx
from playwright.sync_api import expect

from tests.conftest import LiveServer
from tests.e2e.conftest import (
    PHONE,
    bearer,
    check_axe,
    fail_on_dialogs,
    make_event,
    no_sideways_scroll,
    sign_in,
)
from tests.e2e.test_no_script_notes import check_axe_as_drawn
from tests.e2e.test_notes import placed_session

THANKS = "Thank you: your feedback is in, without your name."


def going(server: LiveServer, slug: str, pitch: int, token: str | None = None) -> str:
    """An attendee (a new one unless ``token`` says who) who chose the session on their
    agenda; their token."""
    api = f"{server.url}/api/e/{slug}"
    token = token or str(httpx.post(f"{api}/attendees", json={"name": "Cy"}).json()["token"])
    slot = httpx.get(api).json()["slots"][0]["id"]
    chose = httpx.put(
        f"{api}/me/agenda", json={"slot": slot, "pitch": pitch}, headers=bearer(token)
    )
    chose.raise_for_status()
    return token


def test_a_tap_on_useful_with_script_off_and_on(
    server: LiveServer, browser: Any, results_dir: Any
) -> None:
    session = placed_session(server, "Feedback camp")  # its slot ended on 23 November
    pitch, home = session.pitch, f"{server.url}/e/{session.slug}"
    form = f"#feedback-{pitch}"
    going(server, session.slug, pitch, session.ben)

    # With no script: the plain form posts, and the page comes back saying thank you.
    plain = browser.new_context(**PHONE, java_script_enabled=False)
    sign_in(plain, server, session.slug, session.ben)
    page = plain.new_page()
    page.goto(home)
    expect(page.get_by_role("heading", name="How was it?")).to_be_visible()
    expect(page.locator(form)).to_be_visible()
    check_axe_as_drawn(browser, page)
    no_sideways_scroll(page)
    page.screenshot(path=str(results_dir / "feedback-offer-360.png"), full_page=True)
    page.get_by_label("A comment for the host (optional)").fill("Clear and practical.")
    page.locator(form).get_by_role("button", name="Useful").click()
    expect(page.locator("#done")).to_have_text(THANKS)
    expect(page.locator(form)).to_be_hidden()
    expect(page.locator(f"{form}-given")).to_contain_text("Open data in councils")
    check_axe_as_drawn(browser, page)
    no_sideways_scroll(page)
    plain.close()

    # With script: the tap is sent in place, and the page says thank you where the form was;
    # the organisers' feedback page, open meanwhile, counts it as it lands.
    staff = browser.new_context(**PHONE)
    sign_in(staff, server, session.slug, session.key)
    organiser = staff.new_page()
    organiser.goto(f"{home}/feedback")
    expect(organiser.locator("#conn")).to_have_text("Live")
    expect(organiser.locator(f"#fb-{pitch}-useful")).to_have_text("1")
    expect(organiser.locator(f"#fb-{pitch}-not_for_me")).to_have_text("0")
    cy = going(server, session.slug, pitch)
    phone = browser.new_context(**PHONE)
    sign_in(phone, server, session.slug, cy)
    page = phone.new_page()
    dialogs: list[str] = []
    fail_on_dialogs(page, dialogs)
    page.goto(home)
    expect(page.locator(form)).to_be_visible()
    check_axe(page)
    page.locator(form).get_by_role("button", name="Not for me").click()
    expect(page.locator(f"{form}-given")).to_be_visible()
    expect(page.locator(form)).to_be_hidden()
    assert page.url == home  # no page load: sent in place
    check_axe(page)
    no_sideways_scroll(page)
    phone.close()
    expect(organiser.locator(f"#fb-{pitch}-not_for_me")).to_have_text("1")
    check_axe(organiser)
    no_sideways_scroll(organiser)
    staff.close()

    # The host reads both answers and the comment on their phone.
    host = browser.new_context(**PHONE)
    sign_in(host, server, session.slug, session.ana)
    page = host.new_page()
    page.goto(home)
    page.get_by_role("link", name="What people said about “Open data in councils”").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Feedback on “Open data in councils”")
    expect(page.get_by_role("row", name="Useful 1")).to_be_visible()
    expect(page.get_by_role("row", name="Not for me 1")).to_be_visible()
    expect(page.locator(".feedback-comments li")).to_have_text(["Clear and practical."])
    check_axe(page)
    no_sideways_scroll(page)
    page.screenshot(path=str(results_dir / "feedback-host-360.png"), full_page=True)
    host.close()
    assert dialogs == []


def test_the_offer_appears_when_the_slot_ends(server: LiveServer, browser: Any) -> None:
    later = [{"starts_at": "2099-06-01T10:00", "ends_at": "2099-06-01T11:00", "label": ""}]
    event = make_event(server, "Feedback later camp", date="2099-06-01", slots=later)
    api = f"{server.url}/api/e/{event.slug}"
    host = httpx.post(f"{api}/attendees", json={"name": "Ana"}).json()["token"]
    pitch = httpx.post(f"{api}/pitches", json={"title": "Tomorrow's talk"}, headers=bearer(host))
    state = httpx.get(api, headers=event.auth()).json()
    move = {"version": 0, "pitch": pitch.json()["id"], "room": state["rooms"][0]["id"]}
    move["slot"] = state["slots"][0]["id"]
    httpx.post(f"{api}/grid/move", json=move, headers=event.auth()).raise_for_status()
    httpx.post(f"{api}/grid/publish", json={"version": 1}, headers=event.auth()).raise_for_status()
    ben = going(server, event.slug, move["pitch"])
    phone = browser.new_context(**PHONE)
    sign_in(phone, server, event.slug, ben)
    page = phone.new_page()
    form = page.locator(f"#feedback-{move['pitch']}")
    page.goto(f"{server.url}/e/{event.slug}")
    expect(page.locator("#agenda-section")).to_be_visible()
    expect(form).to_be_hidden()  # the session is still to come
    # The page's clock held past the slot's end (?at=): the offer shows without a reload.
    page.goto(f"{server.url}/e/{event.slug}?at=2099-06-01T11:00")
    expect(form).to_be_visible()
    expect(page.get_by_role("heading", name="How was it?")).to_be_visible()
    check_axe(page)
    phone.close()
