"""The organiser runs their event again on a small phone with JavaScript off: the form on their
page, the page that asks to confirm, then the next event's organiser page, signed in there too;
the series page lists both events. Each page is axe-clean, without sideways scroll."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from playwright.sync_api import expect

from tests.conftest import LiveServer, unique_name
from tests.e2e.conftest import (
    PHONE,
    TWO_ROOMS,
    TWO_SLOTS,
    check_drawn_targets,
    look,
    make_event,
    sign_in,
)


def test_the_organiser_runs_it_again_without_script(
    browser: Any, server: LiveServer, results_dir: Path
) -> None:
    name = unique_name("Camp 2026")
    event = make_event(server, name, rooms=TWO_ROOMS, slots=TWO_SLOTS)
    context = browser.new_context(**PHONE, java_script_enabled=False)
    try:
        sign_in(context, server, event.slug, event.key)
        page = context.new_page()
        page.goto(f"{server.url}/e/{event.slug}/organise#again-heading")
        form = page.locator("#again-form")
        expect(form.get_by_label("Name of the next event")).to_have_value(
            name.replace("2026", "2027")
        )
        expect(form.get_by_label("Date of the next event")).to_have_value("2027-11-23")
        look(page, results_dir, "series-1-organiser-form", script=False)

        following = unique_name("Camp next")
        form.get_by_label("Name of the next event").fill(following)
        form.get_by_label("Web address of the next event (optional)").fill("")
        form.get_by_role("button", name="Check and continue").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(f"Run it again as {following}?")
        expect(page.locator("#again-summary")).to_contain_text("23 November 2027")
        check_drawn_targets(browser, page, results_dir / "series-2-confirm.png")

        page.get_by_role("button", name="Create the next event").click()
        expect(page).to_have_url(re.compile(r"/e/[a-z0-9-]+/organise\?done=again$"))
        slug = page.url.split("/e/")[1].split("/")[0]
        assert slug != event.slug
        expect(page.locator("#role-line")).to_have_text("You are the organiser of this event.")
        expect(page.locator("#done")).to_contain_text("This is the next event of the series.")
        expect(page.get_by_role("heading", level=1)).to_have_text(following)

        page.get_by_role("link", name="See every event in the series").click()
        listed = page.locator("#series-events > li h2")
        expect(listed).to_have_text([name, following])
        expect(page.locator("#series-events > li[aria-current=page]")).to_contain_text(following)
        check_drawn_targets(browser, page, results_dir / "series-3-series-page.png")
    finally:
        context.close()
