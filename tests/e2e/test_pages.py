"""Every page: axe, no sideways scrolling on a small phone, screenshots; keyboard, reconnect,
page weight and the organiser's editors."""

from __future__ import annotations

import gzip
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect

from tests.conftest import LiveServer
from tests.e2e.conftest import PHONE, Event, check_axe, make_event, no_sideways_scroll

SIZES = {"360": {"width": 360, "height": 640}, "1280": {"width": 1280, "height": 720}}


def seed(server: LiveServer, event: Event) -> None:
    """A few pitches and votes, so pages show their full shape."""
    base = f"{server.url}/api/e/{event.slug}"
    httpx.patch(base, json={"voting_open": True}, headers=event.auth()).raise_for_status()
    titles = [
        "Procurement that works for small suppliers",
        "Hiring digital people fast without breaking the rules",
        "Accessibility on a budget",
    ]
    ids = []
    for title in titles:
        made = httpx.post(
            f"{base}/pitches",
            json={
                "title": title,
                "pitch": "Let's share what worked.",
                "host": "Sam",
                "tags": ["hr"],
            },
            headers=event.auth(),
        )
        ids.append(made.json()["id"])
    token = httpx.post(f"{base}/attendees", json={"name": "Voter"}).json()["token"]
    for pitch in ids[:2]:
        httpx.post(
            f"{base}/dots", json={"pitch": pitch}, headers={"Authorization": f"Bearer {token}"}
        ).raise_for_status()


@pytest.fixture(scope="module")
def event(server: LiveServer) -> Event:
    made = make_event(server, "Page check camp")
    seed(server, made)
    return made


def pages(event: Event) -> dict[str, str]:
    return {
        "index": "/",
        "new": "/new",
        "event": f"/e/{event.slug}",
        "screen": f"/e/{event.slug}/screen",
        "organise": f"/e/{event.slug}/organise#key={event.key}",
        "grid": f"/e/{event.slug}/grid#key={event.key}",
        "now": f"/e/{event.slug}/now",
        "missing": "/e/no-such-event",
    }


@pytest.mark.parametrize("size", list(SIZES))
def test_every_page_is_accessible_and_fits(
    server: LiveServer, browser: Any, event: Event, results_dir: Any, size: str
) -> None:
    context = browser.new_context(viewport=SIZES[size])
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    for name, path in pages(event).items():
        answer = page.goto(server.url + path)
        assert answer is not None
        assert answer.status == (404 if name == "missing" else 200), name
        expect(page.get_by_role("heading", level=1)).not_to_contain_text("{{")
        if name in ("event", "screen", "organise", "grid", "now"):
            expect(page.locator("#conn")).to_have_text("Live")
            expect(page.locator("#event-name")).to_have_text("Page check camp")
        check_axe(page)
        no_sideways_scroll(page)
        page.screenshot(path=str(results_dir / f"{name}-{size}.png"), full_page=name != "screen")
        if name == "screen" and size == "1280":
            # The essentials fit on the projector without scrolling.
            for part in ("#qr", "#join-code", "#ranking li >> nth=0"):
                box = page.locator(part).bounding_box()
                assert box is not None and box["y"] + box["height"] <= SIZES[size]["height"], part
    assert errors == []
    context.close()


def test_screen_fits_full_hd(
    server: LiveServer, browser: Any, event: Event, results_dir: Any
) -> None:
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    page = context.new_page()
    page.goto(f"{server.url}/e/{event.slug}/screen")
    expect(page.locator("#ranking li")).to_have_count(2)
    assert page.evaluate("document.documentElement.scrollHeight") <= 1080
    page.screenshot(path=str(results_dir / "screen-1920.png"))
    context.close()


def test_missing_page_says_why(server: LiveServer, browser: Any) -> None:
    context = browser.new_context(**PHONE)
    page = context.new_page()
    answer = page.goto(f"{server.url}/j/nocode")
    assert answer is not None and answer.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    page.get_by_role("link", name="Go to the Snug home page").click()
    expect(page.get_by_role("link", name="Create an event")).to_be_visible()
    context.close()


def test_keyboard_only_join_and_vote(server: LiveServer, browser: Any) -> None:
    event = make_event(server, "Keyboard camp")
    seed(server, event)
    context = browser.new_context(viewport={"width": 360, "height": 640})
    page = context.new_page()
    page.goto(f"{server.url}/e/{event.slug}")
    expect(page.locator("#join-form")).to_be_visible()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to main content"
    page.keyboard.press("Enter")
    focused: list[str] = []
    for _ in range(10):
        page.keyboard.press("Tab")
        focused.append(page.evaluate("document.activeElement.id"))
        if focused[-1] == "join-name":
            break
    assert focused[-1] == "join-name", focused
    page.keyboard.type("Kim")
    # The first-timer question is one stop: its first answer, left unchosen, then Join.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "join-first-time-yes"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Join"
    page.keyboard.press("Enter")
    expect(page.locator("#welcome")).to_be_focused()
    expect(page.locator("#dots-left")).to_have_text("You have 3 of 3 dots left.")
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent").startswith("Add a dot"):
            break
    else:
        pytest.fail("Tab never reached an 'Add a dot' button")
    # Focus is visible: the focused button turns yellow.
    colour = page.evaluate("getComputedStyle(document.activeElement).backgroundColor")
    assert colour == "rgb(255, 221, 0)"
    page.keyboard.press("Enter")
    expect(page.locator("#dots-left")).to_have_text("You have 2 of 3 dots left.")
    expect(page.locator("#announce")).to_contain_text("Dot added")
    # Focus stays on the button that was pressed.
    assert page.evaluate("document.activeElement.textContent").startswith("Add a dot")
    context.close()


def test_reconnect_catches_up(server: LiveServer, browser: Any) -> None:
    event = make_event(server, "Flaky wifi camp")
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.goto(f"{server.url}/e/{event.slug}")
    page.get_by_role("button", name="Join").click()
    expect(page.locator("#conn")).to_have_text("Live")
    context.set_offline(True)
    expect(page.locator("#conn")).not_to_have_text("Live")
    base = f"{server.url}/api/e/{event.slug}"
    httpx.post(f"{base}/pitches", json={"title": "Missed while offline"}, headers=event.auth())
    httpx.patch(base, json={"voting_open": True}, headers=event.auth()).raise_for_status()
    # The page never blanks while the connection is down.
    expect(page.locator("h1")).to_have_text("Flaky wifi camp")
    context.set_offline(False)
    expect(page.locator("#conn")).to_have_text("Live", timeout=20000)
    expect(page.get_by_role("heading", name="Missed while offline")).to_be_visible()
    expect(page.locator("#phase")).to_contain_text("Voting open")
    expect(page.get_by_role("button", name="Add a dot")).to_be_visible()
    # Changes after the reconnection arrive too, in order.
    httpx.post(f"{base}/pitches", json={"title": "After coming back"}, headers=event.auth())
    expect(page.get_by_role("heading", name="After coming back")).to_be_visible()
    context.close()


def test_failed_action_says_so_and_can_be_retried(server: LiveServer, browser: Any) -> None:
    event = make_event(server, "Retry camp")
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.goto(f"{server.url}/e/{event.slug}")
    page.get_by_role("button", name="Join").click()
    # Votes and pitches wait on the phone when offline (tests/e2e/test_offline.py); a new
    # name doesn't, so it says it wasn't saved.
    name = page.get_by_label("Name shown with your pitches")
    name.fill("Said on a train")
    context.set_offline(True)
    page.get_by_role("button", name="Save name").click()
    expect(page.get_by_role("alert")).to_contain_text("could not be reached", timeout=20000)
    expect(name).to_have_value("Said on a train")
    context.set_offline(False)
    page.get_by_role("button", name="Save name").click()
    expect(page.locator("#me-status")).to_have_text(
        "Saved. You are now \u201cSaid on a train\u201d."
    )
    context.close()


def test_attendee_page_is_light(server: LiveServer, browser: Any, event: Event) -> None:
    context = browser.new_context(**PHONE)
    page = context.new_page()
    bodies: list[tuple[str, bytes]] = []
    page.on("requestfinished", lambda request: bodies.append((request.url, b"")))
    page.goto(f"{server.url}/e/{event.slug}", wait_until="networkidle")
    expect(page.locator("#conn")).to_have_text("Live")
    total = 0
    sizes = {}
    for url, _ in bodies:
        body = httpx.get(url).content
        size = len(gzip.compress(body, 9)) if len(body) > 500 else len(body)
        sizes[url] = size
        total += size
    assert total <= 100 * 1024, sizes
    assert any(url.endswith(".js") for url in sizes)
    context.close()


def test_same_phone_keeps_its_identity(server: LiveServer, browser: Any) -> None:
    event = make_event(server, "Comeback camp")
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.goto(f"{server.url}/e/{event.slug}")
    page.get_by_label("Your name (optional)").fill("Lee")
    page.get_by_role("button", name="Join").click()
    page.get_by_label("Title").fill("Mine")
    page.get_by_role("button", name="Pitch it").click()
    expect(page.get_by_role("button", name="Edit Mine")).to_be_visible()
    page.reload()
    expect(page.locator("#join-section")).to_be_hidden()
    expect(page.get_by_label("Name shown with your pitches")).to_have_value("Lee")
    # Edit your own pitch; change your name.
    page.get_by_role("button", name="Edit Mine").click()
    expect(page.get_by_label("Title")).to_be_focused()
    page.get_by_label("Title").fill("Mine, edited")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_role("heading", name="Mine, edited")).to_be_visible()
    page.get_by_label("Name shown with your pitches").fill("")
    page.get_by_role("button", name="Save name").click()
    expect(page.locator("#me-status")).to_have_text("Saved. You are anonymous.")
    check_axe(page)
    context.close()


def test_organiser_edits_event_rooms_and_slots(server: LiveServer, browser: Any) -> None:
    event = make_event(server, "Editing camp")
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    page.goto(event.links["organise"])
    expect(page.locator("#role-line")).to_contain_text("organiser")
    page.get_by_label("Event name").fill("Editing camp, renamed")
    page.get_by_role("button", name="Save event details").click()
    expect(page.locator("h1")).to_have_text("Editing camp, renamed")
    page.get_by_role("button", name="Add a room").click()
    room = page.locator("#rooms .row").nth(1)
    room.get_by_label("Room name").fill("Sofa snug")
    room.get_by_label("Seats").fill("8")
    room.get_by_label("Quiet").check()
    page.get_by_role("button", name="Save rooms").click()
    expect(page.locator("#rooms-status")).to_have_text("Rooms saved.")
    page.get_by_role("button", name="Add a time slot").click()
    page.locator("#slots .row").nth(1).get_by_label("Label (optional)").fill("After lunch")
    page.get_by_role("button", name="Save time slots").click()
    expect(page.locator("#slots-status")).to_have_text("Time slots saved.")
    state = httpx.get(f"{server.url}/api/e/{event.slug}", headers=event.auth()).json()
    assert state["event"]["name"] == "Editing camp, renamed"
    assert [r["name"] for r in state["rooms"]] == ["Auditorium", "Sofa snug"]
    assert state["rooms"][1]["features"] == ["quiet"]
    assert state["slots"][1] == {
        "id": state["slots"][1]["id"],
        "starts_at": "2026-11-23T11:00",
        "ends_at": "2026-11-23T12:00",
        "label": "After lunch",
        "kind": "session",
    }
    # A slot's kind; a room that can't be used in a slot.
    page.locator("#slots .row").nth(1).get_by_label("What happens").select_option("break")
    page.get_by_role("button", name="Save time slots").click()
    expect(page.locator("#slots-status")).to_have_text("Time slots saved.")
    snug = page.locator("#rooms .row").nth(1)
    snug.get_by_role("group", name="Not available in").get_by_label("10:00 to 11:00").check()
    page.get_by_role("button", name="Save rooms").click()
    expect(page.locator("#rooms-status")).to_have_text("Rooms saved.")
    state = httpx.get(f"{server.url}/api/e/{event.slug}", headers=event.auth()).json()
    assert state["slots"][1]["kind"] == "break"
    assert state["rooms"][1]["unavailable"] == [state["slots"][0]["id"]]
    assert state["rooms"][1]["features"] == ["quiet"]
    # An invalid room is caught in the page, with the error summary focused.
    page.locator("#rooms .row").nth(1).get_by_label("Seats").fill("")
    page.get_by_role("button", name="Save rooms").click()
    expect(page.locator("#rooms-form .error-summary")).to_be_focused()
    # Staff add a pitch and edit it.
    page.locator("#pitch-form").get_by_label("Title").fill("Staff pitch")
    page.get_by_role("button", name="Add pitch").click()
    expect(page.get_by_role("heading", name="Staff pitch")).to_be_visible()
    # The host can't do a slot: said in the pitch's edit form.
    page.get_by_role("button", name="Edit Staff pitch").click()
    away = page.get_by_role("group", name="The host can\u2019t do")
    away.get_by_label("10:00 to 11:00").check()
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator("#pitch-status")).to_have_text("Saved “Staff pitch”.")
    state = httpx.get(f"{server.url}/api/e/{event.slug}", headers=event.auth()).json()
    staff_pitch = next(p for p in state["pitches"] if p["title"] == "Staff pitch")
    assert staff_pitch["unavailable"] == [state["slots"][0]["id"]]
    expect(page.get_by_role("link", name="Open the grid")).to_be_visible()
    check_axe(page)
    # A visit without the key says so.
    other = browser.new_context().new_page()
    other.goto(f"{server.url}/e/{event.slug}/facilitate")
    expect(other.locator("#no-key")).to_be_visible()
    check_axe(other)
    other.context.close()
    context.close()
