"""The language a session is held in, on a 360x640 phone at a bilingual event: pitched with
the form, shown as a badge, and the list narrowed to Welsh or English (each with the bilingual
sessions) at once, kept in the address, and the same without script."""

from __future__ import annotations

import re
from typing import Any

import httpx
from playwright.sync_api import expect

from tests.conftest import LiveServer
from tests.e2e.conftest import PHONE, check_axe, check_drawn, make_event, no_sideways_scroll
from tests.e2e.test_attendee_journeys import Organiser, pitch_card
from tests.e2e.test_voting_phone import _visible_titles, join


def _seed(organiser: Organiser) -> None:
    """Two sessions already pitched: one in English, one bilingual."""
    organiser.call("PATCH", json={"voting_open": True})
    with httpx.Client(base_url=organiser.base, timeout=10) as client:
        token = client.post("/attendees", json={"name": "Bo"}).json()["token"]
        headers = {"Authorization": f"Bearer {token}"}
        for title, language in (("Open data", "en"), ("Both ways", "bilingual")):
            body = {"title": title, "language": language}
            client.post("/pitches", json=body, headers=headers).raise_for_status()


def test_a_welsh_session_is_pitched_badged_and_found(
    server: LiveServer, browser: Any, results_dir: Any
) -> None:
    event = make_event(server, "Gwersyll dwyieithog", languages=["cy", "en"])
    organiser = Organiser(server, event)
    _seed(organiser)
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.goto(f"{server.url}/e/{event.slug}")
    join(page)

    # The form names each language in its own words (Welsh marked as Welsh on this English page).
    language = page.locator("#pitch-language")
    expect(language.get_by_label("Cymraeg")).to_have_attribute("value", "cy")
    expect(page.locator('label[for="pitch-language-cy"]')).to_have_attribute("lang", "cy")
    page.get_by_label("Title").fill("Sgwrs am gompost")
    language.get_by_label("Cymraeg").check()
    page.get_by_role("button", name="Pitch it").click()
    card = pitch_card(page, "Sgwrs am gompost")
    expect(card.locator(".lang-badge")).to_have_text("Session language: Welsh")
    expect(pitch_card(page, "Open data").locator(".lang-badge")).to_have_text(
        "Session language: English"
    )
    mine = next(p for p in organiser.call("GET")["pitches"] if p["title"] == "Sgwrs am gompost")
    assert mine["language"] == "cy"
    check_axe(page)
    no_sideways_scroll(page)

    # Changing it on the page: the form starts from what the pitch says, and sends the change.
    card.get_by_role("button", name="Edit").click()
    expect(language.get_by_label("Cymraeg")).to_be_checked()
    language.get_by_label("Bilingual").check()
    page.get_by_role("button", name="Save changes").click()
    expect(card.locator(".lang-badge")).to_have_text("Session language: Bilingual")
    expect(language.get_by_label("Not said")).to_be_checked()  # the form is blank again
    organiser_view = organiser.call("GET")["pitches"]
    assert next(p for p in organiser_view if p["id"] == mine["id"])["language"] == "bilingual"
    card.get_by_role("button", name="Edit").click()
    language.get_by_label("Cymraeg").check()
    page.get_by_role("button", name="Save changes").click()
    expect(card.locator(".lang-badge")).to_have_text("Session language: Welsh")

    # Welsh: the Welsh session and the bilingual one, at once, and said so.
    page.locator("#list-language").select_option("cy")
    assert _visible_titles(page) == ["Sgwrs am gompost", "Both ways"]
    shown = page.locator("#list-shown")
    expect(shown).to_have_text("Showing 2 of 3 sessions in Welsh or bilingual.")
    expect(page).to_have_url(re.compile(r"\?language=cy$"))
    page.locator("#list-language").select_option("en")
    assert _visible_titles(page) == ["Both ways", "Open data"]
    expect(page.locator("#list-shown")).to_have_text(
        "Showing 2 of 3 sessions in English or bilingual."
    )
    page.locator("#list-q").fill("data")
    expect(page.locator("#list-shown")).to_have_text(
        "Showing 1 of 3 sessions for “data”, in English or bilingual."
    )
    page.locator("#list-q").fill("")
    page.screenshot(path=f"{results_dir}/session-language-filtered.png")
    check_axe(page)
    no_sideways_scroll(page)

    # A reload keeps the choice; "any language" shows all again.
    page.reload()
    expect(page.locator("#list-language")).to_have_value("en")
    assert _visible_titles(page) == ["Both ways", "Open data"]
    page.locator("#list-language").select_option("")
    assert len(_visible_titles(page)) == 3
    expect(page.locator("#list-shown")).to_be_hidden()
    context.close()

    # Without script, in Welsh: the same list as a form, the badges in Welsh.
    context = browser.new_context(java_script_enabled=False, **PHONE)
    context.add_cookies([{"name": "snug_language", "value": "cy", "url": server.url}])
    page = context.new_page()
    page.goto(f"{server.url}/e/{event.slug}?language=cy")
    titles = page.locator("#pitch-list h3")
    expect(titles).to_have_text(["Sgwrs am gompost", "Both ways"])
    expect(page.locator("#pitch-list .lang-badge")).to_have_text(
        ["Iaith y sesiwn: Cymraeg", "Iaith y sesiwn: Dwyieithog"]
    )
    page.locator("#list-language").select_option("en")
    page.locator("#list-go").click()
    expect(titles).to_have_text(["Both ways", "Open data"])
    expect(page).to_have_url(re.compile(r"language=en"))
    check_drawn(browser, page, script=False)
    context.close()
