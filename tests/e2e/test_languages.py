"""Welsh on a small phone without script: the toggle turns the statement into Welsh and keeps
to the page, the footer leads to the other statement, and both pass axe and fit 360 px."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from tests.conftest import LiveServer
from tests.e2e.conftest import PHONE, check_drawn, make_event

TARGET = 44  # px: the smallest a finger can hit (WCAG 2.5.8 asks 24; GOV.UK asks 44)


def test_the_statements_in_welsh_on_a_phone_without_script(
    server: LiveServer, browser: Any
) -> None:
    context = browser.new_context(**PHONE, java_script_enabled=False, locale="en-GB")
    page = context.new_page()
    page.goto(f"{server.url}/accessibility")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    toggle = page.get_by_role("link", name="Cymraeg")
    assert toggle.bounding_box()["height"] >= TARGET
    toggle.click()
    page.wait_for_url(f"{server.url}/accessibility")
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    expect(page.get_by_role("heading", level=1)).to_have_text("Datganiad hygyrchedd ar gyfer Snug")
    check_drawn(browser, page, script=False)

    privacy = page.locator("footer").get_by_role("link", name="Preifatrwydd")
    assert privacy.bounding_box()["height"] >= TARGET
    privacy.click()
    page.wait_for_url(f"{server.url}/privacy")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Hysbysiad preifatrwydd ar gyfer Snug"
    )
    expect(page.get_by_role("link", name="English")).to_have_attribute("lang", "en")
    check_drawn(browser, page, script=False)
    context.close()


def test_the_scripts_speak_welsh_from_the_catalogue(server: LiveServer, browser: Any) -> None:
    """The character counter (web/static/js/counter.js) says its count through i18n.js."""
    event = make_event(server, "Gwersyll", languages=["cy", "en"])
    context = browser.new_context(**PHONE, locale="cy-GB")
    page = context.new_page()
    page.goto(f"{server.url}/e/{event.slug}")
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    page.get_by_label("Eich enw (dewisol)").fill("Ana")
    page.get_by_role("button", name="Ymuno").click()
    title = page.get_by_label("Teitl", exact=True)
    counter = page.locator("#pitch-title-count")
    expect(counter).to_have_text("120 nod ar ôl")
    title.fill("x" * 123)
    expect(counter).to_have_text("3 nod yn ormod")
    context.close()
