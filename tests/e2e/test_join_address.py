"""Reaching Snug from a phone in the room: the warning while links point at the organiser's
own computer, its absence once they name an address phones can open, and joining by the code
typed on the home page, without JavaScript."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.conftest import LiveServer, start_server, stop_server
from tests.e2e.conftest import PHONE, check_axe, make_event, no_sideways_scroll, sign_in

LAN = "http://192.168.1.23:8000"  # what --lan could choose; pages are still opened on 127.0.0.1
WARNING = "Phones can't join yet"


@pytest.fixture(scope="module")
def lan_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    live = start_server(tmp_path_factory.mktemp("lan"), args=("--public-url", LAN))
    yield live
    stop_server(live)


def test_the_organiser_and_the_projector_say_phones_cannot_join(
    server: LiveServer, browser: Any, results_dir: Path
) -> None:
    """The suite's servers give out their own 127.0.0.1 address, as plain `snug serve` does."""
    event = make_event(server, "Loopback camp")
    phone = browser.new_context(**PHONE)
    sign_in(phone, server, event.slug, event.key)
    page = phone.new_page()
    page.goto(f"{server.url}/e/{event.slug}/organise")
    panel = page.locator("#reach-warning")
    expect(panel.get_by_role("heading", name=WARNING)).to_be_visible()
    expect(panel).to_contain_text(f"point at {server.url}")
    expect(panel).to_contain_text("snug serve --lan")
    expect(panel).to_contain_text("snug serve --public-url https://")
    expect(page.locator("#conn")).to_have_text("Live")
    check_axe(page)
    no_sideways_scroll(page)
    page.screenshot(path=str(results_dir / "organise-loopback-warning-360.png"))
    phone.close()

    projector = browser.new_context(viewport={"width": 1280, "height": 720})
    screen = projector.new_page()
    screen.goto(f"{server.url}/e/{event.slug}/screen")
    heading = screen.locator("#reach-warning").get_by_role("heading", name=WARNING)
    expect(heading).to_be_visible()
    expect(screen.locator("#join-code")).not_to_be_empty()
    # Large enough to read from the back of the room, and the QR code and code still fit.
    assert float(heading.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")) >= 28
    for part in ("#qr", "#join-code"):
        box = screen.locator(part).bounding_box()
        assert box is not None and box["y"] + box["height"] <= 720, part
    check_axe(screen)
    screen.screenshot(path=str(results_dir / "screen-loopback-warning-1280.png"))
    projector.close()


def test_no_warning_once_links_name_an_address_phones_can_open(
    lan_server: LiveServer, browser: Any
) -> None:
    event = make_event(lan_server, "Wifi camp")
    context = browser.new_context(**PHONE)
    sign_in(context, lan_server, event.slug, event.key)
    page = context.new_page()
    for path in ("organise", "screen"):
        page.goto(f"{lan_server.url}/e/{event.slug}/{path}")
        expect(page.locator("#conn")).to_have_text("Live")
        expect(page.get_by_text(WARNING)).to_have_count(0)
    page.goto(f"{lan_server.url}/e/{event.slug}/organise")
    expect(page.locator("#join-link")).to_contain_text(f"{LAN}/j/")
    context.close()


def test_the_code_typed_on_the_home_page_opens_the_event_without_javascript(
    server: LiveServer, browser: Any, results_dir: Path
) -> None:
    event = make_event(server, "Typed code camp")
    code = event.join.rsplit("/j/", 1)[1]
    phone = browser.new_context(**PHONE)
    page = phone.new_page()
    page.goto(f"{server.url}/")
    field = page.get_by_label("Join code")
    expect(field).to_have_attribute("autocapitalize", "characters")
    for target in (field, page.get_by_role("button", name="Join", exact=True)):
        box = target.bounding_box()
        assert box is not None and box["height"] >= 44
    field.fill(f"{code[:3].upper()} {code[3:].upper()}")
    check_axe(page)
    no_sideways_scroll(page)
    page.screenshot(path=str(results_dir / "home-join-code-360.png"), full_page=True)
    phone.close()
    # Playwright evaluates no script where JavaScript is off, so the checks above ran with it.
    context = browser.new_context(**PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{server.url}/")
    page.get_by_label("Join code").fill(f"{code[:3].upper()} {code[3:].upper()}")
    page.get_by_label("Join code").press("Enter")
    expect(page).to_have_url(f"{server.url}/e/{event.slug}")
    page.goto(f"{server.url}/")
    page.get_by_label("Join code").fill("NOPE99")
    page.get_by_role("button", name="Join", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    page.get_by_role("link", name="Go to the Snug home page").click()
    expect(page.get_by_label("Join code")).to_be_visible()
    context.close()
