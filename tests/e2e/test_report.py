"""The organiser's report of the demo (a finished day) on a phone, 360 by 640, with JavaScript
on and off: joining answers the first-timer question, which the report then counts; the report
is axe-clean, with 44 px targets and no sideways scroll, its charts drawn without script."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from server.demo import SLUG, demo_secret
from server.events.access import Keys
from tests.conftest import LiveServer, start_server, stop_server
from tests.e2e.conftest import PHONE, check_drawn_targets, look, sign_in, small_targets

SECRET = "test-secret-not-for-production"  # start_server's SECRET_KEY


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    live = start_server(tmp_path_factory.mktemp("report"), args=("--demo",))
    yield live
    stop_server(live)


def join(browser: Any, server: LiveServer, answer: str, script: bool) -> None:
    page = browser.new_context(**PHONE, java_script_enabled=script).new_page()
    page.goto(f"{server.url}/e/{SLUG}")
    form = page.locator("#join-form")
    form.get_by_label("Your name (optional)").fill(f"New {answer}")
    form.get_by_role("group", name="Is this your first unconference? (optional)").get_by_label(
        answer, exact=True
    ).check()
    form.get_by_role("button", name="Join").click()
    expect(page.locator("#join-section")).to_be_hidden()
    page.context.close()


def first_timers(page: Any) -> tuple[int, int]:
    lead = page.locator("section[aria-labelledby=first-time-heading] .lead").inner_text()
    found = re.fullmatch(r"(\d+) of the (\d+) people who answered said .*", lead)
    assert found, lead
    return int(found[1]), int(found[2])


def report_page(browser: Any, server: LiveServer, script: bool) -> Any:
    """The report, as the organiser opens it from their page."""
    context = browser.new_context(**PHONE, java_script_enabled=script)
    sign_in(context, server, SLUG, demo_secret(Keys(SECRET), "organiser"))
    page = context.new_page()
    page.goto(f"{server.url}/e/{SLUG}/organise")
    page.locator("#report-link").click()
    expect(page).to_have_url(f"{server.url}/e/{SLUG}/report")
    return page


def test_the_report_on_a_phone_with_script(
    demo: LiveServer, browser: Any, results_dir: Path
) -> None:
    before = first_timers(report_page(browser, demo, script=True))
    join(browser, demo, "Yes", script=True)
    page = report_page(browser, demo, script=True)
    assert first_timers(page) == (before[0] + 1, before[1] + 1)
    for chart in ("people", "served", "first-time", "actions"):
        svg = page.locator(f"#{chart}-chart")
        expect(svg).to_have_attribute("role", "img")
        assert svg.bounding_box()["width"] <= 360
        caption = page.locator(f"#{chart}-chart ~ * caption").first
        expect(caption).not_to_be_empty()
    expect(page.locator("#actions-chart ~ * tbody tr")).to_have_count(15)
    assert small_targets(page) == []
    look(page, results_dir, "report-360", script=True)
    page.context.close()


def test_the_report_on_a_phone_without_script(
    demo: LiveServer, browser: Any, results_dir: Path
) -> None:
    before = first_timers(report_page(browser, demo, script=False))
    join(browser, demo, "No", script=False)
    page = report_page(browser, demo, script=False)
    assert first_timers(page) == (before[0], before[1] + 1)
    expect(page.locator("#served-chart")).to_be_visible()
    check_drawn_targets(browser, page, results_dir / "report-no-script-360.png")
    page.context.close()
