"""The webhooks page in Chromium with JavaScript off, on a laptop and a small phone: the
organiser signs in by pasting the link, adds a webhook by form and sees its secret once, sends
it a test message, opens its delivery log and removes it; axe-clean, no sideways scroll, every
control 44 px."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.conftest import LiveServer
from tests.e2e.conftest import VIEWPORTS, check_drawn, check_drawn_targets, make_event


@pytest.mark.parametrize("size", list(VIEWPORTS))
def test_organiser_without_script_adds_reads_and_removes_a_webhook(
    server: LiveServer, browser: Any, results_dir: Path, size: str
) -> None:
    event = make_event(server, f"Hook camp {size}")
    context = browser.new_context(viewport=VIEWPORTS[size], java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{server.url}/e/{event.slug}/webhooks")
    page.get_by_label("Your organiser or facilitator link").fill(event.links["organise"])
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Add a webhook")).to_be_visible()

    page.get_by_role("button", name="Add webhook").click()  # no address yet
    expect(page.locator(".error-summary")).to_contain_text("Give the address to post to.")

    page.get_by_label("Address to post to").fill("https://hooks.example.org/services/T0/B0/x")
    page.get_by_label("The proceedings are published").check()
    page.get_by_label("Slack incoming webhook").check()
    page.get_by_role("button", name="Add webhook").click()
    expect(page.locator("#added-secret")).to_contain_text("snugwh_")
    expect(page.locator(".hook-url")).to_have_text("https://hooks.example.org/…")
    check_drawn_targets(browser, page, results_dir / f"no-script-webhooks-{size}.png")

    page.get_by_role("button", name="Send a test message").click()
    expect(page.locator("#done")).to_contain_text("A test message is on its way.")
    page.get_by_role("link", name="Delivery log").click()
    expect(page.get_by_role("heading", name="Delivery log")).to_be_visible()
    check_drawn(browser, page, script=False)
    page.get_by_role("link", name="Back to the webhooks").click()
    expect(page.locator("#added-secret")).to_have_count(0)  # shown once

    page.get_by_role("button", name="Remove").click()
    expect(page.locator("#done")).to_have_text("Removed. Snug sends nothing more to that address.")
    expect(page.locator("#hooks")).to_contain_text("None yet.")
    context.close()
