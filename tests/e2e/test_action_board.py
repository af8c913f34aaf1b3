"""The action board on a phone, 360 by 640: with JavaScript on, a status changed elsewhere
arrives without a reload; with it off, a status changes through the plain form, on the board
and from an owner's private link. Each time axe-clean, with no sideways scroll."""

from __future__ import annotations

import re
from typing import Any

import httpx
from playwright.sync_api import expect

from tests.conftest import LiveServer
from tests.e2e.conftest import PHONE, Event, check_drawn, check_drawn_targets, make_event, sign_in


def _board(server: LiveServer, name: str) -> tuple[Event, list[int]]:
    """An event whose session's notes hold two actions, one overdue, written by an attendee
    from the notes page without script."""
    event = make_event(server, name)
    api = f"{server.url}/api/e/{event.slug}"
    ana = httpx.post(f"{api}/attendees", json={"name": "Ana"}, timeout=10).json()["token"]
    pitch = httpx.post(
        f"{api}/pitches",
        json={"title": "Open data in councils with a long title that wraps on a phone"},
        headers={"Authorization": f"Bearer {ana}"},
        timeout=10,
    ).json()["id"]
    for what, owner, due in (
        (
            "Publish the licence register as open data for every council",
            "Priyanka Ramaswamy",
            "2020-01-31",
        ),
        ("Ask legal about reuse", "Tom", "2030-06-30"),
    ):
        sent = httpx.post(
            f"{server.url}/e/{event.slug}/notes/{pitch}/actions",
            data={"what": what, "owner": owner, "due": due},
            headers={"Cookie": f"snug_attendee={ana}"},
            timeout=10,
        )
        assert sent.status_code == 303, sent.text
    actions = httpx.get(f"{api}/actions", headers=event.auth(), timeout=10).json()
    return event, [a["id"] for a in actions]


def test_the_board_on_a_phone_stays_live(
    server: LiveServer, browser: Any, results_dir: Any
) -> None:
    event, (first, _second) = _board(server, "Live board camp")
    context = browser.new_context(**PHONE)
    sign_in(context, server, event.slug, event.key)
    page = context.new_page()
    page.goto(f"{server.url}/e/{event.slug}/actions")
    expect(page.locator("#board-status")).to_have_text("Live")
    item = page.locator(f"#action-{first}")
    expect(item).to_contain_text("Overdue: due by 31 January 2020")
    expect(item.locator(".tag")).to_have_text("Open")
    check_drawn(browser, page, script=True)
    # Someone else (the owner, or another organiser) changes it: the board follows.
    changed = httpx.put(
        f"{server.url}/api/e/{event.slug}/actions/{first}/status",
        json={"status": "done"},
        headers=event.auth(),
        timeout=10,
    )
    assert changed.status_code == 200, changed.text
    expect(page.locator(f"#action-{first} .tag")).to_have_text("Done")
    expect(page.locator(f"#action-{first}")).not_to_contain_text("Overdue")
    check_drawn(browser, page, script=True)
    page.get_by_role("link", name="By owner").click()
    expect(page.get_by_role("heading", level=2).first).to_have_text("Priyanka Ramaswamy")
    check_drawn(browser, page, script=True)
    page.screenshot(path=str(results_dir / "action-board-360.png"), full_page=True)
    context.close()


def test_the_board_and_an_owners_link_without_script(
    server: LiveServer, browser: Any, results_dir: Any
) -> None:
    event, (first, second) = _board(server, "Plain board camp")
    context = browser.new_context(**PHONE, java_script_enabled=False)
    sign_in(context, server, event.slug, event.key)
    page = context.new_page()
    page.goto(f"{server.url}/e/{event.slug}/actions")
    expect(page.locator("#board-status")).to_be_hidden()
    check_drawn_targets(browser, page, results_dir / "action-board-no-script-360.png")
    page.locator(f"#status-{first}").select_option("started")
    page.locator(f"#action-{first}").get_by_role("button").click()
    expect(page.locator("#done")).to_have_text(
        "The status is saved. Everyone looking at the board sees it now."
    )
    expect(page.locator(f"#action-{first} .tag")).to_have_text("Started")
    check_drawn_targets(browser, page, results_dir / "action-board-saved-no-script-360.png")

    # The owner's private link, as the organiser copies it from the board, opened on a phone
    # that never joined the event.
    page.locator(f"#action-{second} summary").click()
    link = page.locator(f"#link-{second}").input_value()
    assert re.fullmatch(rf"{re.escape(server.url)}/e/{event.slug}/action/[A-Za-z0-9_-]{{32}}", link)
    owner = browser.new_context(**PHONE, java_script_enabled=False).new_page()
    owner.goto(link)
    expect(owner.get_by_role("heading", level=1)).to_contain_text("Your action")
    expect(owner.locator(".action-what")).to_have_text("Ask legal about reuse")
    owner.get_by_label("How is it going?").select_option("done")
    owner.get_by_role("button", name="Save the status").click()
    expect(owner.locator("#done")).to_be_visible()
    expect(owner.get_by_label("How is it going?")).to_have_value("done")
    check_drawn_targets(browser, owner, results_dir / "action-owner-no-script-360.png")
    page.reload()
    expect(page.locator(f"#action-{second} .tag")).to_have_text("Done")
    owner.context.close()
    # Tom opens his link on the phone he joined with: he takes the action onto his own page
    # and says how it goes there, among his agenda.
    tom = browser.new_context(**PHONE, java_script_enabled=False)
    joined = httpx.post(f"{server.url}/api/e/{event.slug}/attendees", json={"name": "Tom"})
    sign_in(tom, server, event.slug, joined.json()["token"])
    phone = tom.new_page()
    phone.goto(link)
    phone.get_by_role("button", name="Put it on my event page").click()
    mine = phone.locator("#my-actions")
    expect(mine).to_contain_text("Ask legal about reuse")
    mine.get_by_label("How is it going?").select_option("started")
    mine.get_by_role("button", name="Save").click()
    expect(phone.locator("#done")).to_have_text("Your action's status is saved.")
    expect(mine.get_by_label("How is it going?")).to_have_value("started")
    check_drawn_targets(browser, phone, results_dir / "my-actions-no-script-360.png")
    tom.close()
    context.close()
