"""A phone that loses the wifi: votes, pitches and notes made offline wait on the phone, the
page reloads from what the phone kept, and each change reaches Snug exactly once when the
connection is back; a change Snug refuses by then is shown, not dropped."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
from playwright.sync_api import expect

from tests.conftest import LiveServer
from tests.e2e.conftest import PHONE, Event, check_axe, make_event, no_sideways_scroll

KEPT = "You\u2019re offline. 2 changes waiting to send"
NOTES_OFFLINE = "Offline: your changes are kept on this phone and will merge when you\u2019re back"


def voting_event(server: LiveServer, name: str) -> tuple[Event, dict[str, Any]]:
    event = make_event(server, name, dots_per_attendee=3)
    api = f"{server.url}/api/e/{event.slug}"
    pitch = httpx.post(f"{api}/pitches", json={"title": "Open data"}, headers=event.auth())
    pitch.raise_for_status()
    httpx.patch(api, json={"voting_open": True}, headers=event.auth()).raise_for_status()
    return event, pitch.json()


def state(server: LiveServer, event: Event) -> dict[str, Any]:
    answer = httpx.get(f"{server.url}/api/e/{event.slug}", headers=event.auth())
    answer.raise_for_status()
    return dict(answer.json())


def kept_for_offline(page: Any, *paths: str) -> None:
    """The service worker looks after the page, and has kept these (the page's own state
    included) for a reload with no network."""
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    for path in paths:
        page.wait_for_function("(path) => caches.match(path).then(Boolean)", arg=path)


def joined_phone(browser: Any, server: LiveServer, event: Event) -> tuple[Any, Any]:
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.goto(f"{server.url}/e/{event.slug}")
    page.get_by_role("button", name="Join").click()
    expect(page.locator("#conn")).to_have_text("Live")
    expect(page.get_by_role("button", name="Add a dot to Open data")).to_be_visible()
    return context, page


def test_changes_made_offline_survive_a_reload_and_land_once(
    server: LiveServer, browser: Any, results_dir: Path
) -> None:
    event, pitch = voting_event(server, "Patchy wifi camp")
    context, page = joined_phone(browser, server, event)
    notes = context.new_page()
    notes.goto(f"{server.url}/e/{event.slug}/notes/{pitch['id']}")
    summary = notes.locator("#part-summary")
    expect(summary).to_be_editable()
    summary.click()
    notes.keyboard.type("Said online. ")
    expect(notes.locator('#save-status[data-unsaved="false"]')).to_have_text("Saved")
    event_path, notes_path = f"/e/{event.slug}", f"/e/{event.slug}/notes/{pitch['id']}"
    kept_for_offline(page, event_path, f"/api{event_path}", "/static/js/event.js")
    kept_for_offline(notes, notes_path, "/static/js/notes.js", "/static/vendor/yjs.mjs")

    context.set_offline(True)
    expect(page.locator("#conn")).not_to_have_text("Live")
    page.get_by_role("button", name="Add a dot to Open data").click()
    card = page.locator(f"#p-{pitch['id']}")
    expect(card.locator(".count")).to_have_text("1 dot (1 yours) · waiting to send")
    expect(page.locator("#dots-left")).to_have_text("You have 2 of 3 dots left.")
    page.get_by_label("Title").fill("Said on a train")
    page.get_by_role("button", name="Pitch it").click()
    expect(page.locator("#pitch-status")).to_contain_text("Your pitch \u201cSaid on a train\u201d")
    expect(page.locator(".outbox-line")).to_have_text(
        f"{KEPT}: kept on this phone, they go when you\u2019re back."
    )
    summary.click()
    notes.keyboard.press("Control+End")
    notes.keyboard.type("Written offline.")
    expect(notes.locator("#save-status")).to_have_text(NOTES_OFFLINE)

    # A reload with no network: the pages come from what the phone kept, marked offline.
    page.reload()
    expect(page.locator("h1")).to_have_text("Patchy wifi camp")
    expect(page.locator(".outbox-line")).to_contain_text(KEPT)
    expect(card.locator(".count")).to_have_text("1 dot (1 yours) · waiting to send")
    expect(page.locator("#dots-left")).to_have_text("You have 2 of 3 dots left.")
    no_sideways_scroll(page)
    page.screenshot(path=str(results_dir / "offline-event-reloaded.png"), full_page=True)
    notes.reload()
    expect(summary).to_have_value("Said online. Written offline.")  # saved and not yet sent
    expect(notes.locator(".outbox-line")).to_contain_text("You\u2019re offline")
    notes.screenshot(path=str(results_dir / "offline-notes-reloaded.png"))
    check_axe(page)

    seen = state(server, event)
    assert [(p["title"], p["votes"]) for p in seen["pitches"]] == [("Open data", 0)]

    context.set_offline(False)
    expect(page.locator(".outbox-line")).to_have_text(
        "Sent the 2 changes you made offline.", timeout=20000
    )
    expect(page.get_by_role("heading", name="Said on a train")).to_be_visible()
    expect(card.locator(".count")).to_have_text("1 dot (1 yours)")
    expect(notes.locator('#save-status[data-unsaved="false"]')).to_have_text("Saved", timeout=20000)
    page.screenshot(path=str(results_dir / "offline-event-sent.png"), full_page=True)

    # Once each, and nothing more on the next visit.
    page.reload()
    expect(page.locator("#conn")).to_have_text("Live")
    expect(page.locator(".outbox-line")).to_be_hidden()
    seen = state(server, event)
    assert sorted((p["title"], p["votes"]) for p in seen["pitches"]) == [
        ("Open data", 1),
        ("Said on a train", 0),
    ]
    written = httpx.get(
        f"{server.url}/api/e/{event.slug}/pitches/{pitch['id']}/notes", headers=event.auth()
    ).json()
    assert written["content"]["summary"] == "Said online. Written offline."
    context.close()


def test_a_vote_refused_when_it_arrives_is_shown(
    server: LiveServer, browser: Any, results_dir: Path
) -> None:
    event, _pitch = voting_event(server, "Late vote camp")
    context, page = joined_phone(browser, server, event)
    context.set_offline(True)
    page.get_by_role("button", name="Add a dot to Open data").click()
    expect(page.locator(".outbox-line")).to_contain_text("1 change waiting to send")
    api = f"{server.url}/api/e/{event.slug}"
    httpx.patch(api, json={"voting_open": False}, headers=event.auth()).raise_for_status()
    context.set_offline(False)
    refused = page.get_by_role("alert")
    expect(refused).to_have_text(
        "Not sent: your dot on \u201cOpen data\u201d. Voting is closed for this event.",
        timeout=20000,
    )
    page.screenshot(path=str(results_dir / "offline-vote-refused.png"), full_page=True)
    assert state(server, event)["pitches"][0]["votes"] == 0
    page.get_by_role("button", name="Dismiss").click()
    expect(refused).to_have_count(0)
    context.close()
