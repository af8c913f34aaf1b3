"""Session notes in Chromium with JavaScript off: read, write and save them with a plain form,
while someone else has the live editor open on the same notes; and join from the notes page."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.conftest import LiveServer
from tests.e2e.conftest import check_axe, fail_on_dialogs, no_sideways_scroll, sign_in
from tests.e2e.test_notes import SAVED, placed_session

SIZES = {"360": {"width": 360, "height": 640}, "1280": {"width": 1280, "height": 800}}


def plain_browser(browser: Any, size: str) -> Any:
    return browser.new_context(viewport=SIZES[size], java_script_enabled=False)


def check_axe_as_drawn(browser: Any, page: Any) -> None:
    """axe is a script, and waits on timers that never fire with JavaScript off: it checks the
    same page, with the same cookies, in a browser that runs axe but none of Snug's scripts."""
    context = browser.new_context(viewport=page.viewport_size)
    context.add_cookies(page.context.cookies())
    context.route("**/static/js/**", lambda route: route.abort())
    drawn = context.new_page()
    drawn.goto(page.url)
    check_axe(drawn)
    context.close()


@pytest.mark.parametrize("size", list(SIZES))
def test_notes_written_without_script_meet_the_live_editor(
    server: LiveServer, browser: Any, results_dir: Any, size: str
) -> None:
    session = placed_session(server, f"Plain notes camp {size}")
    plain = plain_browser(browser, size)
    sign_in(plain, server, session.slug, session.ana)
    page = plain.new_page()
    live = browser.new_context(viewport=SIZES[size])
    sign_in(live, server, session.slug, session.ben)
    editor = live.new_page()
    dialogs: list[str] = []
    fail_on_dialogs(editor, dialogs)
    editor.goto(session.page)
    expect(editor.locator('#save-status[data-unsaved="false"]')).to_have_text(SAVED)
    expect(editor.locator("#notes-save")).to_be_hidden()  # the live editor took the page over

    page.goto(session.page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Open data in councils")
    expect(page.locator("#session-meta")).to_have_text("Long room, 10:00 to 11:00 · Hosted by Ana")
    expect(page.locator("#save-status")).to_be_hidden()  # no "Connecting…" that never ends
    check_axe_as_drawn(browser, page)
    no_sideways_scroll(page)
    page.get_by_label("Summary").fill("Councils publish too little.\n\n- licences\n- budgets")
    page.get_by_role("button", name="Save notes").click()
    expect(page.locator("#done")).to_have_text("Your notes are saved.")
    expect(page.get_by_label("Summary")).to_have_value(
        "Councils publish too little.\n\n- licences\n- budgets"
    )
    expect(page.locator("#notes-preview li")).to_have_text(["licences", "budgets"])
    # The open live editor hears the saved text arrive, as it hears someone typing.
    expect(editor.locator("#part-summary")).to_have_value(
        "Councils publish too little.\n\n- licences\n- budgets"
    )
    check_axe_as_drawn(browser, page)
    no_sideways_scroll(page)
    page.screenshot(path=str(results_dir / f"notes-no-script-{size}.png"), full_page=True)

    # Someone types live while this page stays as drawn; saving it merges, and says so.
    editor.locator("#part-discussion").fill("Ben, live: the register is out of date.")
    expect(editor.locator('#save-status[data-unsaved="false"]')).to_have_text(SAVED)
    page.get_by_label("Outcomes").fill("Ask for the licence register.")
    page.get_by_role("button", name="Save notes").click()
    expect(page.locator("#done")).to_contain_text("Your changes were merged")
    expect(page.get_by_label("Discussion")).to_have_value("Ben, live: the register is out of date.")
    expect(page.get_by_label("Outcomes")).to_have_value("Ask for the licence register.")
    expect(editor.locator("#part-outcomes")).to_have_value("Ask for the licence register.")
    page.screenshot(path=str(results_dir / f"notes-no-script-merged-{size}.png"), full_page=True)
    editor.screenshot(path=str(results_dir / f"notes-live-beside-no-script-{size}.png"))

    # The other way: what the live editor writes, the plain page shows once reloaded.
    editor.locator("#part-summary").press("Control+End")
    editor.keyboard.type("\n- maps")
    expect(editor.locator('#save-status[data-unsaved="false"]')).to_have_text(SAVED)
    page.reload()
    expect(page.get_by_label("Summary")).to_have_value(
        "Councils publish too little.\n\n- licences\n- budgets\n- maps"
    )
    assert dialogs == []
    plain.close()
    live.close()


def test_joining_from_the_notes_page_without_script_comes_back_to_write(
    server: LiveServer, browser: Any, results_dir: Any
) -> None:
    session = placed_session(server, "Plain join camp")
    plain = plain_browser(browser, "360")
    page = plain.new_page()
    page.goto(session.page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Open data in councils")
    expect(page.get_by_label("Summary")).to_be_hidden()  # notes are for those who joined
    check_axe_as_drawn(browser, page)
    page.screenshot(path=str(results_dir / "notes-no-script-join.png"), full_page=True)
    page.get_by_label("Your name (optional)").fill("Cleo")
    page.get_by_role("button", name="Join and write notes").click()
    expect(page.locator("#done")).to_have_text("You've joined. You can write in these notes now.")
    assert page.url.endswith(f"/e/{session.slug}/notes/{session.pitch}?done=joined")
    page.get_by_label("Summary").fill("Cleo was here.")
    page.get_by_role("button", name="Save notes").click()
    expect(page.locator("#done")).to_have_text("Your notes are saved.")
    assert session.notes()["content"]["summary"] == "Cleo was here."
    plain.close()
