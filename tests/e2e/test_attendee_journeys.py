"""The attendee's day on a phone and a laptop, in Chromium with JavaScript off and on: join,
pitch, change and withdraw a pitch, place and take back dots, see counts, then the published
grid, the agenda and a seat in a small room."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from playwright.sync_api import expect

from tests.conftest import LiveServer
from tests.e2e.conftest import HALL_AND_TINY_SNUG, PHONE, Event, check_drawn, make_event

# ms: a phone whose websocket is refused falls back to the event stream within this.
FALLBACK_WITHIN = 20_000
SIZES: dict[str, dict[str, Any]] = {
    "phone": PHONE,
    "laptop": {"viewport": {"width": 1280, "height": 800}},
}


class Organiser:
    """The organiser's side, through the API, to set the stage for the phone."""

    def __init__(self, server: LiveServer, event: Event) -> None:
        self.base = f"{server.url}/api/e/{event.slug}"
        self.headers = event.auth()

    def call(self, method: str, path: str = "", **kw: Any) -> Any:
        answer = httpx.request(method, self.base + path, headers=self.headers, timeout=10, **kw)
        answer.raise_for_status()
        return answer.json() if answer.content else None

    def publish(self, title: str, room: int) -> None:
        state = self.call("GET")
        pitch = next(p["id"] for p in state["pitches"] if p["title"] == title)
        cell = {"room": state["rooms"][room]["id"], "slot": state["slots"][0]["id"]}
        self.call("POST", "/grid/move", json={"version": 0, "pitch": pitch, **cell})
        self.call("POST", "/grid/publish", json={"version": 1})


def pitch_card(page: Any, title: str) -> Any:
    return page.locator("#pitch-list > li").filter(
        has=page.get_by_role("heading", name=title, exact=True)
    )


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("mode", ["no-script", "script", "no-websocket"])
def test_attendee_journey(
    server: LiveServer, browser: Any, results_dir: Any, mode: str, size: str
) -> None:
    """``no-websocket``: with script, behind a proxy that refuses websockets, so what others
    do arrives over the event stream."""
    script = mode != "no-script"
    event = make_event(
        server,
        "Journey camp",
        rooms=HALL_AND_TINY_SNUG,
    )
    organiser = Organiser(server, event)
    organiser.call("PATCH", json={"voting_open": True})
    context = browser.new_context(java_script_enabled=script, **SIZES[size])
    page = context.new_page()
    if mode == "no-websocket":
        page.route_web_socket("**/live", lambda ws: ws.close())
    page.goto(f"{server.url}/e/{event.slug}")
    shot = f"{results_dir}/journey-{mode}-{size}"

    page.get_by_label("Your name (optional)").fill("Ana")
    page.get_by_role("button", name="Join").click()
    expect(page.locator("#me-section")).to_be_visible()
    expect(page.locator("#dots-left")).to_have_text("You have 3 of 3 dots left.")

    page.get_by_label("Title", exact=True).fill("Compost clinic")
    page.get_by_role("button", name="Pitch it").click()
    expect(pitch_card(page, "Compost clinic")).to_contain_text("Hosted by Ana")

    card = pitch_card(page, "Compost clinic")
    if script:
        card.get_by_role("button", name="Edit").click()
    else:
        card.get_by_role("link", name="Edit or withdraw").click()
    page.get_by_label("Title", exact=True).fill("Compost for beginners")
    page.get_by_role("button", name="Save changes").click()
    card = pitch_card(page, "Compost for beginners")
    expect(card).to_be_visible()

    card.get_by_role("button", name="Add a dot").click()
    expect(card.locator(".count")).to_have_text("1 dot (1 yours)")
    expect(page.locator("#dots-left")).to_have_text("You have 2 of 3 dots left.")
    card.get_by_role("button", name="Remove a dot").click()
    expect(card.locator(".count")).to_have_text("0 dots")
    card.get_by_role("button", name="Add a dot").click()
    expect(card.locator(".count")).to_have_text("1 dot (1 yours)")

    # Someone else's dot: live with script, on the next page view without.
    other = httpx.post(f"{organiser.base}/attendees", json={"name": "Bo"}).json()["token"]
    pitch_id = int((card.get_attribute("id") or "p-0")[2:])
    httpx.post(
        f"{organiser.base}/dots",
        json={"pitch": pitch_id},
        headers={"Authorization": f"Bearer {other}"},
    ).raise_for_status()
    if not script:
        page.reload()
    expect(pitch_card(page, "Compost for beginners").locator(".count")).to_have_text(
        "2 dots (1 yours)", timeout=FALLBACK_WITHIN
    )

    # A second pitch, withdrawn on its own page, which says what withdrawing does.
    page.get_by_label("Title", exact=True).fill("Spare idea")
    page.get_by_role("button", name="Pitch it").click()
    spare = pitch_card(page, "Spare idea")
    if script:
        spare.get_by_role("button", name="Edit").click()
        page.get_by_role("link", name="Withdraw it").click()
    else:
        spare.get_by_role("link", name="Edit or withdraw").click()
    page.get_by_role("button", name="Withdraw my pitch").click()
    expect(page.locator("#pitch-list")).not_to_contain_text("Spare idea")
    check_drawn(browser, page, script)
    page.screenshot(path=f"{shot}-pitches.png", full_page=True)

    organiser.publish("Compost for beginners", room=1)
    if not script:
        page.reload()
    expect(page.locator("#grid-section")).to_be_visible(timeout=FALLBACK_WITHIN)
    session = page.locator("#grid-list li").filter(has_text="Compost for beginners")
    expect(session).to_contain_text("Tiny snug")

    # Two voted for its one place, so a vote alone doesn't put it on an agenda: only a claim
    # does. Choosing it (which claims the place), then nothing, saves each.
    agenda = page.locator("#agenda")
    expect(agenda.get_by_label("Nothing or undecided")).to_be_checked()
    for label in ("Compost for beginners", "Nothing or undecided"):
        agenda.get_by_label(label).check()
        if script:
            expect(agenda).to_contain_text("Saved")
        else:
            agenda.get_by_role("button", name="Save").click()
            expect(page.locator("#done")).to_have_text("Your agenda is saved.")
        page.reload()
        expect(agenda.get_by_label(label)).to_be_checked()
    # Claiming its place from the grid puts it on the agenda; giving it up takes it off.
    seat = page.locator(".g-seat")
    expect(seat.locator(".seat-words")).to_have_text("1 place free.")
    seat.get_by_role("button", name="Claim a place").click()
    expect(seat.locator(".seat-words")).to_have_text("You have a place.")
    expect(agenda.locator(".g-standing")).to_have_text("You have a place.")
    expect(agenda.get_by_label("Compost for beginners")).to_be_checked()
    seat.get_by_role("button", name="Give up my place").click()
    expect(seat.locator(".seat-words")).to_have_text("1 place free.")
    expect(agenda.get_by_label("Nothing or undecided")).to_be_checked()
    seat.get_by_role("button", name="Claim a place").click()
    expect(seat.locator(".seat-words")).to_have_text("You have a place.")

    check_drawn(browser, page, script)
    page.screenshot(path=f"{shot}-grid.png", full_page=True)
    state = organiser.call("GET")
    assert [(p["title"], p["votes"]) for p in state["pitches"]] == [("Compost for beginners", 2)]
    # Ana has its place; Bo, who only voted for it, isn't counted as going to a full room.
    assert state["grid"]["headcounts"] == {str(pitch_id): 1}
    context.close()


def test_a_newcomer_after_the_grid_is_out_joins_first(server: LiveServer, browser: Any) -> None:
    event = make_event(server, "Late camp")
    organiser = Organiser(server, event)
    organiser.call("POST", "/pitches", json={"title": "Already running"})
    organiser.publish("Already running", room=0)
    context = browser.new_context(java_script_enabled=False, **PHONE)
    page = context.new_page()
    page.goto(f"{server.url}/e/{event.slug}")
    order = page.evaluate(
        "['join-section', 'grid-section'].map((id) => document.getElementById(id)"
        ".getBoundingClientRect().top)"
    )
    assert order[0] < order[1], "the join panel should come before the grid for a newcomer"
    assert order[0] < 640, "the join panel should be on the first screen"
    context.close()


def test_joining_from_a_link_returns_there(server: LiveServer, browser: Any) -> None:
    event = make_event(server, "Return camp")
    organiser = Organiser(server, event)
    pitch = organiser.call("POST", "/pitches", json={"title": "Notes later"})["id"]
    back = f"/e/{event.slug}/pitches/{pitch}/edit"
    for script in (False, True):
        context = browser.new_context(java_script_enabled=script, **PHONE)
        page = context.new_page()
        page.goto(f"{server.url}/e/{event.slug}?next={back}")
        page.get_by_role("button", name="Join").click()
        expect(page).to_have_url(f"{server.url}{back}" + ("" if script else "?done=joined"))
        context.close()
    # Anywhere outside the event is refused as a place to go back to.
    context = browser.new_context(java_script_enabled=False, **PHONE)
    page = context.new_page()
    page.goto(f"{server.url}/e/{event.slug}?next=//elsewhere.example/")
    page.get_by_role("button", name="Join").click()
    expect(page).to_have_url(f"{server.url}/e/{event.slug}?done=joined")
    context.close()


def test_two_tabs_of_one_phone_stay_in_step(server: LiveServer, browser: Any) -> None:
    event = make_event(server, "Tabs camp")
    organiser = Organiser(server, event)
    organiser.call("PATCH", json={"voting_open": True})
    organiser.call("POST", "/pitches", json={"title": "Two tabs"})
    context = browser.new_context(**PHONE)
    first, second = context.new_page(), context.new_page()
    for tab in (first, second):
        tab.goto(f"{server.url}/e/{event.slug}")
        expect(tab.locator("#conn")).to_have_text("Live")
    first.get_by_role("button", name="Join").click()
    expect(second.locator("#me-section")).to_be_visible()
    pitch_card(first, "Two tabs").get_by_role("button", name="Add a dot").click()
    expect(pitch_card(second, "Two tabs").locator(".count")).to_have_text("1 dot (1 yours)")
    expect(second.locator("#dots-left")).to_have_text("You have 2 of 3 dots left.")
    context.close()
