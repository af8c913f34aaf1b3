"""The day in one test: an organiser sets up, two phones pitch and vote, the screen follows,
a facilitator merges duplicates and the phones catch up."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect

from tests.conftest import LiveServer
from tests.e2e.conftest import PHONE, check_axe, fail_on_dialogs, no_sideways_scroll

HOSTILE = "<img src=x onerror=alert(1)>"


def join_and_pitch(phone: Any, join_url: str, name: str, title: str) -> None:
    phone.goto(join_url)
    expect(phone.locator("#join-form")).to_be_visible()
    check_axe(phone)
    phone.get_by_label("Your name (optional)").fill(name)
    phone.get_by_role("button", name="Join").click()
    expect(phone.locator("#welcome")).to_contain_text(name)
    expect(phone.get_by_label("Host (optional)")).to_have_value(name)
    phone.get_by_label("Title").fill(title)
    phone.get_by_label("Your pitch in one line (optional)").fill(f"{name} wants to talk")
    phone.get_by_label("Tags (optional)").fill("data, people")
    phone.get_by_role("button", name="Pitch it").click()
    expect(phone.locator("#pitch-status")).to_contain_text("is on the list")
    no_sideways_scroll(phone)


def card(page: Any, title: str) -> Any:
    return page.locator("li.pitch", has=page.get_by_role("heading", name=title, exact=True))


def test_the_day(server: LiveServer, browser: Any, results_dir: Any) -> None:
    alerts: list[str] = []

    # The organiser creates the event through the form.
    organiser_context = browser.new_context(viewport={"width": 1280, "height": 720})
    organiser = organiser_context.new_page()
    fail_on_dialogs(organiser, alerts)
    organiser.goto(f"{server.url}/new")
    check_axe(organiser)
    organiser.get_by_role("button", name="Create event").click()
    expect(organiser.get_by_role("alert")).to_contain_text("Enter the event name")
    check_axe(organiser)
    organiser.get_by_label("Event name").fill("Public sector unconference")
    organiser.get_by_label("Venue (optional)").fill("The institution")
    organiser.get_by_role("button", name="Add a room").click()
    organiser.locator("#rooms .row").nth(1).get_by_label("Room name").fill("Snug one")
    organiser.locator("#rooms .row").nth(1).get_by_label("Seats").fill("8")
    organiser.get_by_role("button", name="Create event").click()
    expect(organiser.get_by_role("heading", name="Your event is ready")).to_be_visible()
    expect(organiser.get_by_text("Keep it secret")).to_be_visible()
    check_axe(organiser)
    organise_link = organiser.locator("#organise-link code").inner_text()
    join_url = organiser.locator("#join-link code").inner_text()
    screen_url = organiser.locator("#screen-link code").inner_text()
    assert "#key=" in organise_link and "/j/" in join_url
    organiser.screenshot(path=str(results_dir / "new-created-1280.png"), full_page=True)

    # The organiser page keeps the key but takes it out of the address bar.
    organiser.get_by_role("link", name="Go to the organiser page").click()
    expect(organiser.locator("#role-line")).to_contain_text("organiser")
    # The page is drawn signed in already; its script then takes the key out of the address.
    expect(organiser).not_to_have_url(re.compile("#key"))
    slug = organiser.url.split("/e/")[1].split("/")[0]
    expect(organiser.locator("#pitching-state")).to_have_text("Pitching is open")
    expect(organiser.locator("#voting-state")).to_have_text("Voting is closed")
    organiser.get_by_role("button", name="Open voting").click()
    expect(organiser.locator("#voting-state")).to_have_text("Voting is open")
    expect(organiser.get_by_role("button", name="Close voting")).to_be_visible()
    check_axe(organiser)

    # The projector opens the screen page, once; everything after arrives live.
    screen_context = browser.new_context(viewport={"width": 1280, "height": 720})
    screen = screen_context.new_page()
    fail_on_dialogs(screen, alerts)
    screen.goto(screen_url)
    expect(screen.locator("#conn")).to_have_text("Live")
    expect(screen.locator("#voting-state, #phase")).to_contain_text("Voting open")
    check_axe(screen)

    # Two phones join through the join link, pitch and vote.
    phone_a_context = browser.new_context(**PHONE)
    phone_b_context = browser.new_context(**PHONE)
    phone_a, phone_b = phone_a_context.new_page(), phone_b_context.new_page()
    fail_on_dialogs(phone_a, alerts)
    fail_on_dialogs(phone_b, alerts)
    join_and_pitch(phone_a, join_url, "Ann", "Buying software well")
    join_and_pitch(phone_b, join_url, "Bo", HOSTILE)
    join_and_pitch_extra = "Buying software better"
    phone_b.get_by_label("Title").fill(join_and_pitch_extra)
    phone_b.get_by_role("button", name="Pitch it").click()
    expect(card(phone_b, join_and_pitch_extra)).to_be_visible()

    # Hostile text shows as text on the other phone and on the screen.
    expect(card(phone_a, HOSTILE)).to_be_visible()
    expect(screen.locator("#latest")).to_contain_text(HOSTILE)
    assert phone_a.locator("#pitch-list img").count() == 0
    assert screen.locator("#latest img").count() == 0
    expect(screen.locator("#latest")).to_contain_text("Buying software well")
    expect(screen.locator("#latest")).to_contain_text(join_and_pitch_extra)

    # Voting: each phone places dots; the counts move on the screen and the other phone.
    expect(phone_a.locator("#dots-left")).to_have_text("You have 3 of 3 dots left.")
    card(phone_a, "Buying software well").get_by_role("button", name="Add a dot").click()
    expect(phone_a.locator("#dots-left")).to_have_text("You have 2 of 3 dots left.")
    card(phone_a, join_and_pitch_extra).get_by_role("button", name="Add a dot").click()
    expect(phone_a.locator("#dots-left")).to_have_text("You have 1 of 3 dots left.")
    expect(phone_a.locator("#announce")).to_contain_text("1 of 3 dots left")
    card(phone_b, join_and_pitch_extra).get_by_role("button", name="Add a dot").click()
    card(phone_b, HOSTILE).get_by_role("button", name="Add a dot").click()
    expect(phone_b.locator("#dots-left")).to_have_text("You have 1 of 3 dots left.")
    expect(card(phone_b, "Buying software well").locator(".count")).to_have_text("1 dot")
    expect(card(phone_a, join_and_pitch_extra).locator(".count")).to_have_text("2 dots (1 yours)")
    expect(screen.locator("#ranking li").first).to_contain_text(join_and_pitch_extra)
    expect(screen.locator("#ranking li").first).to_contain_text("2 dots")

    # A second dot on the same pitch is refused politely (one per pitch by default).
    refused = card(phone_a, "Buying software well").get_by_role("button", name="Add a dot")
    expect(refused).to_have_attribute("aria-disabled", "true")
    refused.click(force=True)
    expect(card(phone_a, "Buying software well").locator(".inline-status")).to_contain_text(
        "already have a dot"
    )
    check_axe(phone_a)
    phone_a.screenshot(path=str(results_dir / "story-phone-360.png"), full_page=True)
    screen.screenshot(path=str(results_dir / "story-screen-1280.png"))

    # A facilitator merges the duplicate; counts on both phones and the screen follow.
    organiser.get_by_role("button", name="Make a facilitator link").click()
    facilitator_link = organiser.locator("#facilitator-link code").inner_text()
    assert "/facilitate#key=" in facilitator_link
    facilitator_context = browser.new_context(viewport={"width": 1280, "height": 720})
    facilitator = facilitator_context.new_page()
    fail_on_dialogs(facilitator, alerts)
    facilitator.goto(facilitator_link)
    expect(facilitator.locator("#role-line")).to_contain_text("facilitator")
    expect(facilitator.locator("#marketplace")).to_be_hidden()
    check_axe(facilitator)
    source = card(facilitator, "Buying software well")
    source.get_by_role("button", name="Merge “Buying software well” into another pitch").click()
    source.get_by_label("Merge this pitch into").select_option(
        label="Buying software better (2 dots)"
    )
    expect(source.locator(".confirm")).to_contain_text("cannot be undone")
    check_axe(facilitator)
    source.get_by_role("button", name="Yes, merge them").click()
    expect(card(facilitator, "Buying software well")).to_have_count(0)
    # Ann had a dot on both, so she keeps one on the result; her spare dot comes back.
    expect(card(phone_a, "Buying software well")).to_have_count(0)
    expect(card(phone_a, join_and_pitch_extra).locator(".count")).to_have_text("2 dots (1 yours)")
    expect(phone_a.locator("#dots-left")).to_have_text("You have 2 of 3 dots left.")
    expect(card(phone_b, "Buying software well")).to_have_count(0)
    expect(card(phone_b, join_and_pitch_extra).locator(".count")).to_have_text("2 dots (1 yours)")
    expect(screen.locator("#latest")).not_to_contain_text("Buying software well")

    # The facilitator hides the hostile pitch: it leaves the phones and the screen.
    hostile = card(facilitator, HOSTILE)
    hostile.get_by_role("button", name="Hide").click()
    expect(facilitator.locator("#hidden-list")).to_contain_text(HOSTILE)
    expect(card(phone_a, HOSTILE)).to_have_count(0)
    expect(phone_b.locator("#dots-left")).to_have_text("You have 2 of 3 dots left.")
    expect(screen.locator("#latest")).not_to_contain_text(HOSTILE)
    facilitator.screenshot(path=str(results_dir / "facilitate-1280.png"), full_page=True)

    # The screen never reloaded and nothing ran as script.
    assert screen.url.endswith(f"/e/{slug}/screen")
    assert alerts == []
    for context in (
        organiser_context,
        screen_context,
        phone_a_context,
        phone_b_context,
        facilitator_context,
    ):
        context.close()
