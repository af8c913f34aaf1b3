"""The staff scripts speak Welsh: with Welsh chosen, the organiser's page and the grid editor say
what their scripts draw (a toggle's status line, a save's, the room editor's rows, counts, the
grid's checks, an allocation, the undo button) in Welsh, from the catalogue, and none of the
English those messages are written in. Only script-drawn text is checked here: the templates
are translated on their own."""

from __future__ import annotations

import re
from typing import Any

import httpx
from playwright.sync_api import expect

from tests.conftest import LiveServer
from tests.e2e.conftest import TWO_ROOMS, TWO_SLOTS, bearer, check_axe, make_event, sign_in


def english_absent(locator: Any, *phrases: str) -> None:
    said = locator.inner_text()
    for phrase in phrases:
        assert phrase not in said, f"{phrase!r} is still in English: {said!r}"


def test_the_organiser_and_the_grid_in_welsh(server: LiveServer, browser: Any) -> None:
    event = make_event(server, "Gwersyll", rooms=TWO_ROOMS, slots=TWO_SLOTS, languages=["cy", "en"])
    base = f"{server.url}/api/e/{event.slug}"
    httpx.patch(base, json={"voting_open": True}, headers=event.auth()).raise_for_status()
    pitches = [
        httpx.post(
            f"{base}/pitches", json={"title": title, "host": "Nia"}, headers=event.auth()
        ).json()["id"]
        for title in ("Data agored", "Hygyrchedd")
    ]
    for n in range(3):
        token = httpx.post(f"{base}/attendees", json={"name": f"Pleidleisiwr {n}"}).json()
        httpx.post(
            f"{base}/dots", json={"pitch": pitches[n % 2]}, headers=bearer(token["token"])
        ).raise_for_status()

    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-GB")
    sign_in(context, server, event.slug, event.key)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{server.url}/language/cy?back=/e/{event.slug}/organise")
    page.wait_for_url(re.compile(rf"/e/{event.slug}/organise$"))
    expect(page.locator("html")).to_have_attribute("lang", "cy")

    # Drawn as the state arrives: the counts, a pitch's host, the rooms editor's rows.
    expect(page.locator("#pitch-summary")).to_have_text("2 cynnig. Rhoddwyd 3 dot.")
    expect(page.locator("#pitch-list .meta").first).to_contain_text("Yn cael ei chynnal gan Nia")
    expect(page.locator("#rooms legend").first).to_have_text("Ystafell 1")
    expect(page.locator("#rooms button.remove").first).to_have_text("Tynnu ystafell 1")
    expect(page.locator("#rooms-form")).to_contain_text("Ychwanegu ystafell")
    expect(page.locator("#slots legend").first).to_have_text("Slot 1")
    expect(page.locator("#slots-form")).to_contain_text("Beth sy\u2019n digwydd")

    # A switch and a save each say what they did.
    page.locator("#toggle-pitching").click()
    expect(page.locator("#toggle-status")).to_have_text(
        "Mae\u2019r cynnig sesiynau ar gau bellach."
    )
    expect(page.locator("#pitching-state")).to_have_text("Mae\u2019r cynnig ar gau")
    expect(page.locator("#toggle-pitching")).to_have_text("Agor y cynnig")
    page.locator("#rooms-form button[type=submit]").click()
    expect(page.locator("#rooms-status")).to_have_text("Cadwyd yr ystafelloedd.")
    for drawn in ("#pitch-summary", "#pitch-list", "#rooms-form", "#slots-form"):
        english_absent(
            page.locator(drawn),
            "pitches.",
            "dots placed",
            "Hosted by",
            "Room 1",
            "Remove room",
            "Add a room",
            "Remove slot",
            "What happens",
            "Rooms saved.",
        )
    english_absent(page.locator("#toggle-status"), "Pitching is now closed.")
    english_absent(page.locator("#pitching-state"), "Pitching is closed")
    check_axe(page)

    # The grid editor: its state, its checks, an allocation and the undo button.
    page.goto(f"{server.url}/e/{event.slug}/grid")
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    expect(page.locator("#publish-state")).to_have_text("Drafft, heb ei gyhoeddi")
    expect(page.locator("#grid thead th").first).to_have_text("Amser")
    expect(page.locator("#grid thead")).to_contain_text("100 sedd")
    expect(page.locator("#checks")).to_contain_text("Dim sesiynau wedi\u2019u gosod eto")
    page.locator("#allocate").click()
    # The allocator may take a while on a busy machine.
    expect(page.locator("#announce")).to_contain_text("Wedi\u2019u dyrannu mewn", timeout=30_000)
    expect(page.locator("#announce")).to_contain_text("o\u2019r pleidleisiau wedi\u2019u bodloni.")
    expect(page.locator("#checks")).to_contain_text("Collwyd 0 pleidlais i wrthdaro.")
    expect(page.locator("#checks")).to_contain_text("Ystafelloedd rhy fach")
    expect(page.locator("#undo")).to_have_text("Dadwneud: dyrannu")
    expect(page.locator("#grid .session .s-count").first).to_contain_text("pleidlais")
    english_absent(page.locator("#announce"), "Allocated in", "votes served", "moved.")
    english_absent(page.locator("#checks"), "votes served", "lost to clashes", "Rooms too small")
    english_absent(page.locator("#grid"), "Time", "seats", "votes", "Hosted by", "Move…")
    english_absent(page.locator("#undo"), "Undo")
    check_axe(page)

    page.locator("#undo").click()
    expect(page.locator("#announce")).to_contain_text("Dadwnaed: dyrannu.")
    english_absent(page.locator("#announce"), "Undone")
    assert errors == []
    context.close()
