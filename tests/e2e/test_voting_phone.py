"""Voting on a 360x640 phone, in Chromium: the dots left stay in sight without hiding what has
focus, a long list sorts and filters at once (and without script, as a form), totals the
organiser hides reach no phone or projector, a long title is counted rather than cut, a half
written pitch survives a reload, and every control is at least 44 by 44 CSS pixels."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect

from tests.conftest import LiveServer, start_server, stop_server
from tests.e2e.conftest import (
    HALL_AND_TINY_SNUG,
    PHONE,
    TARGET,
    Event,
    check_drawn,
    check_drawn_targets,
    make_event,
    sign_in,
    small_targets,
)
from tests.e2e.test_attendee_journeys import Organiser, pitch_card

TOPICS = ("compost", "hiring", "open data", "maps", "tea")
PER_DEVICE = 25  # pitches per attendee, within Snug's limit of 30 a minute from one device


def crowd(server: LiveServer, event: Event, pitches: int) -> Organiser:
    """An event with voting open and this many pitches, every fifth about each topic, and
    dots on the first few so that "most dots" has an order: pitch k (k < 5) has 5 - k."""
    organiser = Organiser(server, event)
    organiser.call("PATCH", json={"voting_open": True, "dots_per_attendee": 20, "dots_stack": True})
    made: list[int] = []
    with httpx.Client(base_url=organiser.base, timeout=10) as client:
        token = ""
        for i in range(pitches):
            if i % PER_DEVICE == 0:
                token = client.post("/attendees", json={"name": f"P{i}"}).json()["token"]
            body = {"title": f"Session {i:03d} on {TOPICS[i % 5]}", "host": f"Host {i}"}
            answer = client.post(
                "/pitches", json=body, headers={"Authorization": f"Bearer {token}"}
            )
            made.append(answer.json()["id"])
        voter = client.post("/attendees", json={"name": "Voter"}).json()["token"]
        for k in range(min(5, pitches)):
            for _ in range(5 - k):
                dot = {"pitch": made[k]}
                headers = {"Authorization": f"Bearer {voter}"}
                client.post("/dots", json=dot, headers=headers).raise_for_status()
    return organiser


def _phone(browser: Any, script: bool = True) -> tuple[Any, Any]:
    context = browser.new_context(java_script_enabled=script, **PHONE)
    return context, context.new_page()


def join(page: Any, name: str = "Ana") -> None:
    page.get_by_label("Your name (optional)").fill(name)
    page.get_by_role("button", name="Join").click()
    expect(page.locator("#me-section")).to_be_visible()


def _visible_titles(page: Any) -> list[str]:
    return list(
        page.evaluate(
            "[...document.querySelectorAll('#pitch-list > li')]"
            ".filter((li) => li.offsetHeight > 0).map((li) => li.querySelector('h3').textContent)"
        )
    )


# ---------------------------------------------------------------- the dots left, in sight


OBSCURED = """
() => {
  const bar = document.getElementById('votes-section').getBoundingClientRect();
  const el = document.activeElement;
  if (!el || el === document.body || el.closest('#votes-section')) return null;
  const r = el.getBoundingClientRect();
  return r.top < bar.bottom - 1 && r.bottom > bar.top + 1
    ? `${el.tagName} "${el.textContent.trim().slice(0, 40)}" at ${r.top} under ${bar.bottom}`
    : null;
}
"""


def test_the_dots_left_stay_in_sight_and_say_when_all_are_used(
    server: LiveServer, browser: Any, results_dir: Any
) -> None:
    event = make_event(server, "Sticky camp")
    crowd(server, event, 12).call("PATCH", json={"dots_per_attendee": 3})
    context, page = _phone(browser)
    page.goto(f"{server.url}/e/{event.slug}")
    join(page)
    bar = page.locator("#votes-section")
    page.locator("#pitch-list > li").last.scroll_into_view_if_needed()
    box = bar.bounding_box()
    assert box is not None and abs(box["y"]) < 1, f"the bar should stick to the top: {box}"
    page.screenshot(path=f"{results_dir}/voting-sticky-bar.png")

    # Focus moving down the list and back up never lands under the bar (WCAG 2.2 2.4.11).
    page.locator("#list-q").focus()
    for key in ["Tab"] * 30 + ["Shift+Tab"] * 30:
        page.keyboard.press(key)
        assert page.evaluate(OBSCURED) is None, page.evaluate(OBSCURED)

    for title in ("Session 011 on hiring", "Session 010 on compost", "Session 009 on tea"):
        pitch_card(page, title).get_by_role("button", name="Add a dot").click()
    expect(page.locator("#dots-left")).to_have_text("You have used all 3 dots.")
    expect(page.locator("#dot-pips .pip.used")).to_have_count(3)
    expect(bar).to_have_class("dots-bar used-up")
    assert bar.bounding_box() is not None
    page.screenshot(path=f"{results_dir}/voting-all-dots-used.png")
    context.close()

    # Without script the page draws the same bar, as the forms leave it.
    context, page = _phone(browser, script=False)
    page.goto(f"{server.url}/e/{event.slug}")
    join(page, "Bo")
    expect(page.locator("#dots-left")).to_have_text("You have 3 of 3 dots left.")
    page.locator("#pitch-list > li").last.scroll_into_view_if_needed()
    assert abs((page.locator("#votes-section").bounding_box() or {"y": 99})["y"]) < 1
    context.close()


# ---------------------------------------------------------------- sort and search


@pytest.fixture
def roomy_server(tmp_path: Path) -> Iterator[LiveServer]:
    """A server of its own (SQLite) with rate limits off: two hundred pitches from one address
    in seconds would use up the shared server's per-network limit for the tests after."""
    live = start_server(tmp_path, {"RATE_LIMIT_SCALE": "0"})
    yield live
    stop_server(live)


def test_two_hundred_pitches_sort_and_filter_at_once(
    roomy_server: LiveServer, browser: Any, results_dir: Any
) -> None:
    server = roomy_server
    event = make_event(server, "Crowd camp")
    crowd(server, event, 200)
    context, page = _phone(browser)
    page.goto(f"{server.url}/e/{event.slug}")
    join(page)
    expect(page.locator("#pitch-list > li")).to_have_count(200)
    assert _visible_titles(page)[0] == "Session 199 on tea", "newest first"

    # Each keystroke is answered as typed (the time each takes, on a slowed phone, is
    # tests/benchmarks/pitch_search.py's to measure).
    page.locator("#list-q").press_sequentially("comp")
    expect(page.locator("#list-shown")).to_have_text("Showing 40 of 200 sessions for “comp”.")
    page.locator("#list-q").press_sequentially("ost")
    expect(page.locator("#list-shown")).to_have_text("Showing 40 of 200 sessions for “compost”.")
    assert len(_visible_titles(page)) == 40
    assert all("compost" in t for t in _visible_titles(page))
    expect(page).to_have_url(re.compile(r"\?q=compost$"))  # so a reload keeps the search
    page.locator("#list-q").fill("compost 01")
    assert _visible_titles(page) == ["Session 015 on compost", "Session 010 on compost"]
    page.locator("#list-q").fill("nothing like this")
    expect(page.locator("#list-none")).to_be_visible()
    page.locator("#list-q").fill("")
    assert len(_visible_titles(page)) == 200

    page.get_by_label("Sort by").select_option("dots")
    assert _visible_titles(page)[:3] == [
        "Session 000 on compost",
        "Session 001 on hiring",
        "Session 002 on open data",
    ]
    voted = pitch_card(page, "Session 150 on compost")
    voted.get_by_role("button", name="Add a dot").click()
    expect(voted.get_by_role("button", name="Remove a dot")).to_be_visible()  # the dot is in
    page.get_by_label("Sort by").select_option("mine")
    assert _visible_titles(page)[0] == "Session 150 on compost", "what I voted for comes first"
    page.get_by_label("Sort by").select_option("dots")
    page.locator("#list-q").fill("hiring")
    expect(page).to_have_url(re.compile(r"\?sort=dots&q=hiring$|\?q=hiring&sort=dots$"))
    page.reload()
    expect(page.get_by_label("Sort by")).to_have_value("dots")
    expect(page.locator("#list-q")).to_have_value("hiring")
    expect(page.locator("#list-shown")).to_have_text("Showing 40 of 200 sessions for “hiring”.")
    assert _visible_titles(page)[0] == "Session 001 on hiring"
    page.screenshot(path=f"{results_dir}/voting-search.png")
    context.close()


def test_without_script_sorting_and_searching_is_a_form(
    server: LiveServer, browser: Any, results_dir: Any
) -> None:
    event = make_event(server, "Form camp")
    crowd(server, event, 30)
    context, page = _phone(browser, script=False)
    page.goto(f"{server.url}/e/{event.slug}")
    page.get_by_label("Search sessions").fill("maps")
    page.get_by_label("Sort by").select_option("dots")
    page.get_by_role("button", name="Show").click()
    assert "q=maps" in page.url and "sort=dots" in page.url
    expect(page.locator("#list-shown")).to_have_text("Showing 6 of 30 sessions for “maps”.")
    titles = page.locator("#pitch-list > li h3").all_text_contents()
    assert titles[0] == "Session 003 on maps" and len(titles) == 6
    assert all("maps" in t for t in titles)
    check_drawn(browser, page, script=False)
    page.screenshot(path=f"{results_dir}/voting-search-no-script.png", full_page=True)
    context.close()


# ---------------------------------------------------------------- hidden totals


def test_hidden_totals_reach_no_phone_or_projector_until_revealed(
    server: LiveServer, browser: Any, results_dir: Any
) -> None:
    event = make_event(server, "Hidden camp")
    organiser = crowd(server, event, 6)
    organiser.call("PATCH", json={"totals_hidden": True})
    context, page = _phone(browser)
    page.goto(f"{server.url}/e/{event.slug}")
    join(page)
    expect(page.locator("#totals-note")).to_be_visible()
    card = pitch_card(page, "Session 000 on compost")
    expect(card.locator(".count")).to_be_hidden()
    card.get_by_role("button", name="Add a dot").click()
    expect(card.locator(".count")).to_have_text("You put 1 dot here.")
    assert page.locator("#list-sort option[value=dots]").is_hidden()
    snapshot = json.loads(page.locator("#snapshot").text_content() or "{}")
    assert {p["votes"] for p in snapshot["pitches"]} == {None}
    screen = context.new_page()
    screen.goto(f"{server.url}/e/{event.slug}/screen")
    expect(screen.locator("#ranking-empty")).to_have_text(
        "The totals are hidden until the organiser reveals them."
    )
    expect(screen.locator("#ranking li")).to_have_count(0)
    page.screenshot(path=f"{results_dir}/voting-totals-hidden.png")

    organiser.call("PATCH", json={"totals_hidden": False})
    expect(card.locator(".count")).to_have_text("6 dots (1 yours)")
    expect(page.locator("#totals-note")).to_be_hidden()
    expect(screen.locator("#ranking li").first).to_contain_text("Session 000 on compost")
    context.close()


# ---------------------------------------------------------------- the pitch form


def test_a_long_title_is_counted_and_a_draft_survives_a_reload(
    server: LiveServer, browser: Any, results_dir: Any
) -> None:
    event = make_event(server, "Draft camp")
    context, page = _phone(browser)
    page.goto(f"{server.url}/e/{event.slug}")
    join(page)
    title = page.get_by_label("Title", exact=True)
    counter = page.locator("#pitch-title-count")
    expect(counter).to_have_text("120 characters left")
    title.fill("x" * 118)
    expect(counter).to_have_text("2 characters left")
    title.press_sequentially("yyyyy")
    expect(title).to_have_value("x" * 118 + "yyyyy"), "nothing is cut off"
    expect(counter).to_have_text("3 characters too many")
    expect(counter).to_have_class("hint char-count over")
    expect(page.locator("#pitch-title-count + [aria-live=polite]")).to_have_text(
        "3 characters too many"
    )
    page.screenshot(path=f"{results_dir}/voting-title-counter.png")
    page.get_by_role("button", name="Pitch it").click()
    expect(page.locator(".error-summary")).to_contain_text(
        "The title can be at most 120 characters; it has 123, so take out 3 characters."
    )

    title.fill("Compost for beginners")
    page.get_by_label("Your pitch in one line (optional)").fill("Bring a bucket")
    page.get_by_label("Tags (optional)").fill("soil")
    page.reload()
    expect(page.get_by_label("Title", exact=True)).to_have_value("Compost for beginners")
    expect(page.get_by_label("Your pitch in one line (optional)")).to_have_value("Bring a bucket")
    expect(page.get_by_label("Tags (optional)")).to_have_value("soil")
    expect(page.get_by_label("Host (optional)")).to_have_value("Ana")
    expect(page.locator("#pitch-title-count")).to_have_text("99 characters left")
    kept = page.evaluate("JSON.stringify(localStorage)")
    assert "Compost for beginners" in kept and "token" not in kept.lower()
    page.get_by_role("button", name="Pitch it").click()
    expect(pitch_card(page, "Compost for beginners")).to_be_visible()
    page.reload()
    expect(page.get_by_label("Title", exact=True)).to_have_value("")
    assert "Compost" not in page.evaluate("JSON.stringify(localStorage)")
    context.close()


# ---------------------------------------------------------------- 44 by 44


def _measure(browser: Any, page: Any, name: str, results_dir: Any) -> None:
    small = small_targets(page)
    assert small == [], f"{name}: controls smaller than {TARGET}x{TARGET}: {small}"
    check_drawn(browser, page, script=True)
    page.screenshot(path=f"{results_dir}/voting-targets-{name}.png", full_page=True)


def test_every_control_is_44_pixels_in_each_voting_state(
    server: LiveServer, browser: Any, results_dir: Any
) -> None:
    event = make_event(
        server,
        "Targets camp",
        rooms=HALL_AND_TINY_SNUG,
    )
    organiser = Organiser(server, event)
    organiser.call("POST", "/pitches", json={"title": "Compost clinic", "tags": ["soil"]})
    context, page = _phone(browser)
    page.goto(f"{server.url}/e/{event.slug}")
    expect(page.locator("#conn")).to_have_text("Live")
    _measure(browser, page, "before-joining", results_dir)

    join(page)
    page.get_by_label("Title", exact=True).fill("My own session")
    page.get_by_role("button", name="Pitch it").click()
    expect(pitch_card(page, "My own session")).to_be_visible()
    _measure(browser, page, "pitching", results_dir)
    mine = (pitch_card(page, "My own session").get_attribute("id") or "p-0")[2:]
    page.goto(f"{server.url}/e/{event.slug}/pitches/{mine}/edit")
    _measure(browser, page, "pitch-page", results_dir)
    page.goto(f"{server.url}/e/{event.slug}")
    expect(page.locator("#conn")).to_have_text("Live")

    organiser.call("PATCH", json={"voting_open": True, "dots_per_attendee": 1})
    expect(page.locator("#votes-section")).to_be_visible()
    _measure(browser, page, "voting", results_dir)
    pitch_card(page, "Compost clinic").get_by_role("button", name="Add a dot").click()
    expect(page.locator("#votes-section")).to_have_class("dots-bar used-up")
    _measure(browser, page, "all-dots-used", results_dir)

    organiser.call("PATCH", json={"totals_hidden": True})
    expect(page.locator("#totals-note")).to_be_visible()
    _measure(browser, page, "totals-hidden", results_dir)

    organiser.call("PATCH", json={"voting_open": False, "totals_hidden": False})
    organiser.publish("Compost clinic", room=1)
    expect(page.locator("#grid-section")).to_be_visible()
    expect(page.locator(".g-seat")).to_be_visible()
    _measure(browser, page, "grid", results_dir)
    context.close()

    # The same page drawn without script, with its one-button forms, while voting is open.
    organiser.call("PATCH", json={"voting_open": True})
    context = browser.new_context(java_script_enabled=False, **PHONE)
    token = httpx.post(f"{organiser.base}/attendees", json={"name": "Bo"}).json()["token"]
    sign_in(context, server, event.slug, token)
    page = context.new_page()
    page.goto(f"{server.url}/e/{event.slug}")
    expect(page.locator("#votes-section")).to_be_visible()
    check_drawn_targets(browser, page, results_dir / "voting-targets-no-script.png")
    context.close()
