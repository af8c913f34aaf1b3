"""The attendee's phone in Welsh, with script, at 360x640: everything the scripts draw or say as
someone joins, pitches, votes and searches, and as the grid is published, comes from the
catalogue (web/static/js/i18n.js), with no English sentence left; the page passes axe.

Only what the scripts write is checked here: the templates' own words are another matter."""

from __future__ import annotations

import re
from typing import Any

import httpx
from playwright.sync_api import expect

from tests.conftest import LiveServer
from tests.e2e.conftest import PHONE, check_axe, make_event
from tests.e2e.test_attendee_journeys import Organiser, pitch_card

# The English the scripts would otherwise have drawn in the places checked below.
ENGLISH = (
    "You have",
    "left.",
    "Showing",
    "sessions for",
    "Hosted by",
    "Host not named",
    "You pitched this",
    "Add a dot",
    "Remove a dot",
    "Edit",
    "yours",
    "Pitching open",
    "Voting open",
    "Live",
    "Connecting",
    "Dot added",
    "is on the list",
    "The grid is published",
    "place",
    "Dismiss",
    "Voting is open",
    "characters left",
)
# Drawn or rewritten by the scripts once they run.
DRAWN = (
    "#dots-left",
    "#list-shown",
    "#pitch-list",
    "#phase",
    "#conn",
    "#pitch-status",
    "#pitch-title-count",
    "#notices",
    "#grid-list",
    "[data-day]",
    "#announce",
)


def english_left(page: Any) -> list[str]:
    said = " ".join(page.locator(where).first.inner_text() for where in DRAWN)
    said += page.locator("#announce").text_content() or ""
    return [words for words in ENGLISH if words in said]


def test_an_attendee_votes_in_welsh_on_a_phone(server: LiveServer, browser: Any) -> None:
    event = make_event(server, "Gwersyll", languages=["cy", "en"])
    organiser = Organiser(server, event)
    organiser.call("PATCH", json={"voting_open": True, "dots_per_attendee": 3})
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.goto(f"{server.url}/language/cy?back=/e/{event.slug}")
    page.wait_for_url(f"{server.url}/e/{event.slug}")
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    # Drawn by the script as soon as it runs, in Welsh from the first frame it draws.
    expect(page.locator("#phase")).to_have_text("Cynnig ar agorPleidleisio ar agor")
    expect(page.locator("#conn")).to_have_text("Byw")
    expect(page.locator("[data-day-now]")).to_have_text(
        "Mae\u2019r pleidleisio ar agor: rhowch eich dotiau ar y sesiynau rydych eu heisiau."
    )

    page.locator("#join-form [name=name]").fill("Ana")
    page.locator("#join-form button[type=submit]").click()
    expect(page.locator("#welcome")).to_contain_text("Croeso, Ana. Rydych wedi ymuno.")
    expect(page.locator("#dots-left")).to_have_text("Mae gennych 3 o 3 dot ar ôl.")

    counter = page.locator("#pitch-title-count")
    expect(counter).to_have_text("120 nod ar ôl")
    page.locator("#pitch-form [name=title]").fill("Clwb compost")
    expect(counter).to_have_text("108 nod ar ôl")
    page.locator("#pitch-submit").click()
    expect(page.locator("#pitch-status")).to_have_text(
        "Mae eich sesiwn “Clwb compost” ar y rhestr."
    )
    mine = pitch_card(page, "Clwb compost")
    expect(mine.locator(".meta").first).to_have_text(
        "Yn cael ei chynnal gan Ana · Trafodaeth · Chi a gynigiodd hon"
    )

    # Someone else's pitch, to search among.
    bryn = httpx.post(f"{organiser.base}/attendees", json={"name": "Bryn"}, timeout=10).json()
    answer = httpx.post(
        f"{organiser.base}/pitches",
        json={"title": "Mapiau agored", "format": "workshop"},
        headers={"Authorization": f"Bearer {bryn['token']}"},
        timeout=10,
    )
    answer.raise_for_status()
    other = pitch_card(page, "Mapiau agored")
    expect(other.locator(".meta").first).to_have_text("Dim enw gwesteiwr · Gweithdy")

    # A dot: the counter, the card's count and what a screen reader hears.
    add = mine.get_by_role("button", name="Ychwanegu dot at Clwb compost")
    add.click()
    expect(page.locator("#dots-left")).to_have_text("Mae gennych 2 o 3 dot ar ôl.")
    expect(mine.locator(".count")).to_have_text("1 dot (1 gennych chi)")
    expect(page.locator("#announce")).to_have_text(
        "Dot wedi\u2019i ychwanegu at Clwb compost. Mae gennych 2 o 3 dot ar ôl."
    )
    expect(mine.get_by_role("button", name="Tynnu dot oddi ar Clwb compost")).to_be_visible()

    page.locator("#list-tools [name=q]").fill("compost")
    expect(page.locator("#list-shown")).to_have_text("Yn dangos 1 o 2 sesiwn ar gyfer “compost”.")

    # The grid published while the phone watches: a live notice, and the places in each room.
    organiser.publish("Clwb compost", room=0)
    expect(page.locator("#notices")).to_contain_text(
        "Mae\u2019r grid wedi\u2019i gyhoeddi: gwelwch ble mae pob sesiwn, "
        "a dewiswch eich agenda isod."
    )
    expect(page.locator("#notices button")).to_contain_text("Cau\u2019r neges")
    expect(page.locator("#grid-list [data-places]")).to_have_text(re.compile(r"^(\d+ o )?100 lle$"))

    assert english_left(page) == []
    check_axe(page)
    context.close()
