"""Every control on the organiser's page is at least 44 by 44 CSS pixels on a 360 by 640 phone,
with script (every section shown, pitches in the list, a facilitator link made) and without."""

from __future__ import annotations

from typing import Any

import httpx
from playwright.sync_api import expect

from tests.conftest import LiveServer
from tests.e2e.conftest import (
    PHONE,
    TARGET,
    check_drawn,
    check_drawn_targets,
    make_event,
    sign_in,
    small_targets,
)


def test_every_control_on_the_organiser_page_is_44_pixels(
    server: LiveServer, browser: Any, results_dir: Any
) -> None:
    event = make_event(server, "Targets camp")
    base = f"{server.url}/api/e/{event.slug}"
    for title in ("Open data", "Compost clinic"):
        answer = httpx.post(f"{base}/pitches", json={"title": title}, headers=event.auth())
        answer.raise_for_status()
    context = browser.new_context(**PHONE)
    sign_in(context, server, event.slug, event.key)
    page = context.new_page()
    page.goto(f"{server.url}/e/{event.slug}/organise")
    expect(page.locator("#conn")).to_have_text("Live")
    expect(page.locator("#pitch-list li")).to_have_count(2)
    page.locator("#make-facilitator").click()
    expect(page.locator("#facilitator-link")).not_to_be_empty()
    small = small_targets(page)
    assert small == [], f"controls smaller than {TARGET}x{TARGET}: {small}"
    check_drawn(browser, page, script=True)
    page.screenshot(path=str(results_dir / "organiser-targets-360.png"), full_page=True)
    context.close()

    context = browser.new_context(java_script_enabled=False, **PHONE)
    sign_in(context, server, event.slug, event.key)
    page = context.new_page()
    page.goto(f"{server.url}/e/{event.slug}/organise")
    expect(page.locator("#marketplace")).to_be_visible()
    check_drawn_targets(browser, page, results_dir / "organiser-targets-no-script-360.png")
    context.close()
