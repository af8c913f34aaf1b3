"""The grid in the browser: a facilitator allocates, drags with the mouse, moves with the keyboard
alone, locks and publishes; a phone follows live and is told what moved; a stale edit is refused;
undo; touch dragging; now and next on the venue screens."""

from __future__ import annotations

import re
from typing import Any

import httpx
from playwright.sync_api import expect

from tests.conftest import LiveServer
from tests.e2e.conftest import (
    HOLD_LIVE_MESSAGES,
    MORNING_WITH_COFFEE,
    PHONE,
    TARGET,
    Event,
    bearer,
    box,
    check_axe,
    check_drawn,
    check_drawn_targets,
    fail_on_dialogs,
    make_event,
    no_sideways_scroll,
    sign_in,
    small_targets,
)

ROOMS = [
    {"name": "Auditorium", "capacity": 100, "features": ["projector", "step-free"]},
    {"name": "Side room", "capacity": 35, "features": ["whiteboard"]},
    {"name": "Snug 1", "capacity": 2, "features": ["quiet"]},
]
SLOTS = MORNING_WITH_COFFEE
TITLES = [
    "Procurement that works for small suppliers",
    "Hiring digital people fast",
    "Accessibility on a budget",
    "Open data in practice",
    "Agile in government",
]


class Camp:
    """An event with rooms, a break, pitches and votes, made through the API."""

    def __init__(self, server: LiveServer, name: str, **event: Any) -> None:
        self.event: Event = make_event(server, name, rooms=ROOMS, slots=SLOTS, **event)
        self.base = f"{server.url}/api/e/{self.event.slug}"
        httpx.patch(self.base, json={"voting_open": True}, headers=self.event.auth())
        self.pitches = {}
        for i, title in enumerate(TITLES):
            made = httpx.post(
                f"{self.base}/pitches",
                json={"title": title, "host": f"Host {i}"},
                headers=self.event.auth(),
            )
            self.pitches[title] = made.json()["id"]
        ids = list(self.pitches.values())
        self.tokens = []
        for n in range(8):
            token = httpx.post(f"{self.base}/attendees", json={"name": f"Voter {n}"}).json()
            self.tokens.append(token["token"])
            for pitch in (ids[n % 5], ids[(n + 1) % 5], ids[(n + 3) % 5]):
                httpx.post(
                    f"{self.base}/dots", json={"pitch": pitch}, headers=bearer(token["token"])
                ).raise_for_status()
        state = self.state()
        self.rooms = {r["name"]: r["id"] for r in state["rooms"]}
        self.slots = {s["label"]: s["id"] for s in state["slots"]}
        self.titles = {v: k for k, v in self.pitches.items()}

    def state(self, token: str | None = None) -> dict[str, Any]:
        return httpx.get(self.base, headers=bearer(token or self.event.key)).json()

    def cell_of(self, pitch: int) -> tuple[int, int] | None:
        for p in self.state()["draft"]["placements"]:
            if p["pitch"] == pitch:
                return p["room"], p["slot"]
        return None

    def at(self, room: int, slot: int) -> dict[str, Any] | None:
        for p in self.state()["draft"]["placements"]:
            if (p["room"], p["slot"]) == (room, slot):
                return p
        return None


def cell(page: Any, room: int, slot: int) -> Any:
    return page.locator(f'td[data-room="{room}"][data-slot="{slot}"]')


def mouse_drag(page: Any, source: Any, target: Any) -> None:
    page.locator("#grid").evaluate("table => table.scrollIntoView()")
    start = box(source)
    end = box(target)
    page.mouse.move(start["x"] + start["width"] / 2, start["y"] + 20)
    page.mouse.down()
    for step in range(1, 11):
        x = start["x"] + (end["x"] + end["width"] / 2 - start["x"]) * step / 10
        y = start["y"] + 20 + (end["y"] + end["height"] / 2 - start["y"] - 20) * step / 10
        page.mouse.move(x, y)
    page.mouse.up()


def tab_to(page: Any, selector: str, limit: int = 120) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"document.activeElement.matches({selector!r})"):
            return
    raise AssertionError(f"Tab never reached {selector}")


def arrow_select_to(page: Any, select: Any, value: int) -> None:
    page.keyboard.press("Home")
    for _ in range(20):
        if select.input_value() == str(value):
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"could not choose {value} with the arrow keys")


def test_the_grid_day(server: LiveServer, browser: Any, results_dir: Any) -> None:
    camp = Camp(server, "Grid camp")
    alerts: list[str] = []
    errors: list[str] = []

    # The attendee's phone is open before the grid exists.
    phone_context = browser.new_context(**PHONE)
    token = camp.tokens[0]
    sign_in(phone_context, server, camp.event.slug, token)
    phone = phone_context.new_page()
    phone.on("pageerror", lambda error: errors.append(str(error)))
    phone.goto(f"{server.url}/e/{camp.event.slug}")
    expect(phone.locator("#conn")).to_have_text("Live")
    expect(phone.locator("#grid-section")).to_be_hidden()
    phone.evaluate("window.__sameDocument = true")

    # The facilitator finds the grid from the organiser's page.
    laptop_context = browser.new_context(viewport={"width": 1280, "height": 800})
    laptop = laptop_context.new_page()
    laptop.on("pageerror", lambda error: errors.append(str(error)))
    fail_on_dialogs(laptop, alerts)
    laptop.goto(camp.event.links["organise"])
    laptop.get_by_role("link", name="Open the grid").click()
    expect(laptop).to_have_url(re.compile(r"/grid$"))
    expect(laptop.locator("#conn")).to_have_text("Live")
    expect(laptop.locator("#publish-state")).to_have_text("Draft, not published")
    expect(laptop.locator("#unplaced li")).to_have_count(5)
    check_axe(laptop)

    laptop.get_by_role("button", name="Allocate", exact=True).click()
    expect(laptop.locator("#announce")).to_contain_text("Allocated")
    expect(laptop.locator("#grid .session")).to_have_count(5)
    expect(laptop.locator("#checks")).to_contain_text("% of votes served")
    expect(laptop.locator("#checks")).to_contain_text("lost to clashes")
    # Break rows span the grid and hold no sessions.
    expect(laptop.locator("td.break-cell")).to_contain_text("Coffee")
    # The snug is too small for whatever lands in it, and says so in words.
    snug_cells = laptop.locator(f'td[data-room="{camp.rooms["Snug 1"]}"] .session')
    expect(snug_cells.first.locator(".s-count")).to_contain_text("Too small")
    # The allocator explains itself on request.
    why = laptop.get_by_role("button", name=re.compile("^Why here")).first
    why.click()
    expect(why).to_have_attribute("aria-expanded", "true")
    expect(laptop.locator(".s-reason:visible").first).to_contain_text("vote")
    check_axe(laptop)
    laptop.screenshot(path=str(results_dir / "grid-allocated-1280.png"), full_page=True)

    # Drag one session with the mouse to another cell (an occupied one swaps).
    auditorium, side, snug = camp.rooms["Auditorium"], camp.rooms["Side room"], camp.rooms["Snug 1"]
    morning, late = camp.slots["Morning"], camp.slots["Late morning"]
    dragged = camp.at(auditorium, morning)
    assert dragged is not None
    target_before = camp.at(side, late)
    mouse_drag(
        laptop,
        cell(laptop, auditorium, morning).locator(".grip"),
        cell(laptop, side, late),
    )
    expect(cell(laptop, side, late)).to_contain_text(camp.titles[dragged["pitch"]])
    assert camp.cell_of(dragged["pitch"]) == (side, late)
    if target_before:
        assert camp.cell_of(target_before["pitch"]) == (auditorium, morning)
        expect(laptop.locator("#announce")).to_contain_text("Swapped")

    # Move another with the keyboard alone, then lock it.
    mover = camp.at(snug, morning) or camp.at(snug, late)
    assert mover is not None
    mover_id = mover["pitch"]
    target_slot = late if mover["slot"] == morning else morning
    laptop.locator("h1").click()
    tab_to(laptop, f'[data-key="move-{mover_id}"]')
    laptop.keyboard.press("Enter")
    expect(laptop.locator("#move-dialog")).to_be_visible()
    expect(laptop.locator("#move-room")).to_be_focused()
    arrow_select_to(laptop, laptop.locator("#move-room"), auditorium)
    laptop.keyboard.press("Tab")
    expect(laptop.locator("#move-slot")).to_be_focused()
    arrow_select_to(laptop, laptop.locator("#move-slot"), target_slot)
    expect(laptop.locator("#move-about")).not_to_be_empty()
    laptop.keyboard.press("Tab")
    expect(laptop.locator("#move-go")).to_be_focused()
    laptop.keyboard.press("Enter")
    expect(laptop.locator("#move-dialog")).to_be_hidden()
    expect(cell(laptop, auditorium, target_slot)).to_contain_text(camp.titles[mover_id])
    assert camp.cell_of(mover_id) == (auditorium, target_slot)
    # Focus comes back to the session that moved; its lock button is next.
    expect(laptop.locator(f'[data-key="move-{mover_id}"]')).to_be_focused()
    laptop.keyboard.press("Tab")
    expect(laptop.locator(f'[data-key="lock-{mover_id}"]')).to_be_focused()
    laptop.keyboard.press("Enter")
    expect(cell(laptop, auditorium, target_slot).locator(".badge-lock")).to_have_text("Locked")
    expect(laptop.locator(f'[data-key="lock-{mover_id}"]')).to_have_attribute(
        "aria-pressed", "true"
    )
    assert any(p["locked"] for p in camp.state()["draft"]["placements"] if p["pitch"] == mover_id)

    # Publish; the phone shows the grid and its agenda without a reload.
    laptop.get_by_role("link", name="Review and publish…").click()
    laptop.get_by_role("button", name="Yes, publish release 1").click()
    expect(laptop.locator("#publish-state")).to_contain_text(
        "Published. 0 changes not yet published."
    )
    expect(phone.get_by_role("heading", name="The grid", exact=True)).to_be_visible()
    expect(phone.get_by_role("heading", name="My agenda")).to_be_visible()
    expect(phone.locator("#notices")).to_contain_text("The grid is published")
    expect(phone.locator("#grid-list")).to_contain_text(re.compile(r"\d+ of 100 places"))
    expect(phone.locator("#grid-list")).to_contain_text("Coffee")
    check_axe(phone)
    no_sideways_scroll(phone)
    phone.screenshot(path=str(results_dir / "event-grid-360.png"))
    phone.locator("#agenda-section").screenshot(path=str(results_dir / "event-agenda-360.png"))

    # One tap changes the agenda.
    me = httpx.get(f"{camp.base}/me", headers=bearer(token)).json()
    chosen = next(p for p in me["agenda"].values() if p and p != mover_id)
    chosen_slot = next(int(s) for s, p in me["agenda"].items() if p == chosen)
    other = {morning: "11:00 to 11:45, Late morning", late: "10:00 to 10:45, Morning"}
    group = phone.get_by_role("group", name=other[chosen_slot])
    group.get_by_label("Nothing or undecided").check()
    expect(group.locator(".inline-status")).to_contain_text("Saved")
    agenda = httpx.get(f"{camp.base}/me", headers=bearer(token)).json()["agenda"]
    assert agenda.get(str(late if chosen_slot == morning else morning)) is None
    # The phone offers its agenda as a calendar subscription holding the session it kept, at a
    # read-only link of its own, made when asked for.
    expect(phone.locator("#agenda-feed")).to_be_hidden()
    phone.get_by_role("button", name="Make my calendar link").click()
    expect(phone.locator("#calendar-status")).to_contain_text("Made")
    feed = phone.locator("#agenda-feed").get_attribute("href") or ""
    assert token not in feed
    assert feed.startswith("webcal://") and feed.endswith(".ics"), feed
    calendar = httpx.get(feed.replace("webcal://", "http://", 1)).text
    kept = [int(p) for p in agenda.values() if p is not None]
    assert kept and all(camp.titles[p] in calendar for p in kept), calendar
    # A live move of a session in the phone's agenda: a notice, with from and to in words.
    dismiss_first = phone.locator("#notices li").first.get_by_role("button")
    dismiss_first.click()
    expect(phone.locator("#notices li")).to_have_count(0)
    room_now, slot_now = camp.cell_of(chosen)
    free = [
        (r, s)
        for r in (auditorium, side, snug)
        for s in (morning, late)
        if (r, s) != (room_now, slot_now) and not (camp.at(r, s) or {}).get("locked")
    ]
    to_room, to_slot = free[0]
    names = {v: k for k, v in camp.rooms.items()}
    times = {morning: "10:00", late: "11:00"}
    laptop.locator(f'[data-key="move-{chosen}"]').click()
    laptop.locator("#move-room").select_option(str(to_room))
    laptop.locator("#move-slot").select_option(str(to_slot))
    laptop.get_by_role("button", name="Move here").click()
    # A move onto a session swaps them: one change or two, waiting in the draft.
    unpublished = re.compile(r"Published\. [12] changes? not yet published\.")
    expect(laptop.locator("#publish-state")).to_have_text(unpublished)
    laptop.get_by_role("link", name="Review and publish…").click()
    laptop.get_by_role("button", name="Yes, publish release 2").click()
    expect(laptop.locator("#done")).to_contain_text("Published")
    expected = (
        f"“{camp.titles[chosen]}” moved from {names[room_now]} at {times[slot_now]} "
        f"to {names[to_room]} at {times[to_slot]}"
    )
    expect(phone.locator("#notices")).to_contain_text(expected)
    assert phone.evaluate("window.__sameDocument") is True
    expect(phone.locator("#notices-heading")).to_be_visible()
    check_axe(phone)
    # Notices stay on the phone until dismissed, across a reload.
    phone.reload()
    expect(phone.locator("#notices")).to_contain_text(expected)

    # A second facilitator with a stale screen is refused, with the server's sentence.
    second_context = browser.new_context(viewport={"width": 1280, "height": 800})
    second_context.add_init_script(HOLD_LIVE_MESSAGES)
    second = second_context.new_page()
    second.goto(f"{server.url}/e/{camp.event.slug}/grid#key={camp.event.key}")
    expect(second.locator("#conn")).to_have_text("Live")
    expect(second.locator("#grid .session")).to_have_count(5)
    assert "#key" not in second.url
    second.evaluate("window.__freeze = true")
    laptop.locator(f'[data-key="lock-{mover_id}"]').click()  # unlock, on the first screen
    expect(laptop.locator(f'[data-key="lock-{mover_id}"]')).to_have_attribute(
        "aria-pressed", "false"
    )
    second.get_by_role("button", name="Undo").click()
    expect(second.get_by_role("alert")).to_contain_text("Someone else changed the grid")
    second.evaluate("window.__release()")
    expect(second.locator(f'[data-key="lock-{mover_id}"]')).to_have_attribute(
        "aria-pressed", "false"
    )
    # Undo says what it takes back, on both screens: the other's edit is seen live.
    undo_words = f"Undo: unlock “{camp.titles[mover_id]}”"
    expect(second.locator("#undo")).to_have_text(undo_words)
    expect(laptop.locator("#undo")).to_have_text(undo_words)
    check_axe(second)
    second_context.close()

    # Undo on the first screen takes back the unlock.
    laptop.get_by_role("button", name="Undo").click()
    expect(laptop.locator("#announce")).to_contain_text("Undone")
    expect(laptop.locator(f'[data-key="lock-{mover_id}"]')).to_have_attribute(
        "aria-pressed", "true"
    )
    check_axe(laptop)
    laptop.screenshot(path=str(results_dir / "grid-day-1280.png"), full_page=True)

    # The grid page on a phone: the grid scrolls inside its own region, not the page.
    small = browser.new_context(**PHONE)
    sign_in(small, server, camp.event.slug, camp.event.key)
    small_page = small.new_page()
    small_page.goto(f"{server.url}/e/{camp.event.slug}/grid")
    expect(small_page.locator("#grid .session")).to_have_count(5)
    no_sideways_scroll(small_page)
    region = small_page.get_by_role("region", name=re.compile("Grid of rooms and time slots"))
    expect(region).to_have_attribute("tabindex", "0")
    check_axe(small_page)
    small_page.screenshot(path=str(results_dir / "grid-day-360.png"))
    small.close()

    # Now and next, at a fixed time in the morning slot.
    published = {(p["room"], p["slot"]): p["pitch"] for p in camp.state()["grid"]["placements"]}
    for size in ({"width": 1280, "height": 720}, {"width": 360, "height": 640}):
        screen_context = browser.new_context(viewport=size)
        screen = screen_context.new_page()
        screen.goto(f"{server.url}/e/{camp.event.slug}/now?at=2026-11-23T10:20")
        expect(screen.locator("#clock")).to_have_text("10:20")
        for name, room in camp.rooms.items():
            card = screen.locator("#rooms > li", has=screen.get_by_role("heading", name=name))
            now_pitch = published.get((room, morning))
            next_pitch = published.get((room, late))
            if now_pitch:
                expect(card.locator(".now-title")).to_have_text(camp.titles[now_pitch])
            if next_pitch:
                expect(card.locator(".next-title")).to_have_text(camp.titles[next_pitch])
        check_axe(screen)
        no_sideways_scroll(screen)
        screen.screenshot(path=str(results_dir / f"now-day-{size['width']}.png"))
        screen.goto(f"{server.url}/e/{camp.event.slug}/now?at=2026-11-23T10:50")
        expect(screen.locator("#now-banner")).to_have_text("Coffee until 11:00")
        screen_context.close()

    assert alerts == []
    assert errors == []
    phone_context.close()
    laptop_context.close()


def test_each_facilitator_reads_the_allocator_in_their_own_language(
    server: LiveServer, browser: Any, results_dir: Any
) -> None:
    """At a bilingual event the draft explains itself in both languages: a facilitator on the
    grid in Welsh reads Welsh, one in English reads English, whoever pressed Allocate."""
    camp = Camp(server, "Gwersyll dwyieithog", languages=["cy", "en"])
    laptops = {}
    for code in ("cy", "en"):
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        context.add_cookies([{"name": "snug_language", "value": code, "url": server.url}])
        sign_in(context, server, camp.event.slug, camp.event.key)
        laptops[code] = context.new_page()
        laptops[code].goto(f"{server.url}/e/{camp.event.slug}/grid")
        expect(laptops[code].locator("html")).to_have_attribute("lang", code)
        expect(laptops[code].locator("#conn")).to_have_text("Byw" if code == "cy" else "Live")
    laptops["cy"].locator("#allocate").click()
    for code, words in (("cy", "pleidlais"), ("en", "vote")):
        laptop = laptops[code]
        expect(laptop.locator("#grid .session")).to_have_count(5)
        why = laptop.locator('[data-key^="why-"]').first
        why.click()
        expect(why).to_have_attribute("aria-expanded", "true")
        expect(laptop.locator(".s-reason:visible").first).to_contain_text(words)
    expect(laptops["en"].locator(".s-reason:visible").first).not_to_contain_text("pleidlais")
    laptops["cy"].screenshot(path=str(results_dir / "grid-reasons-welsh.png"), full_page=True)


class Touch:
    """A finger on a touch screen, through the browser's own touch input."""

    def __init__(self, context: Any, page: Any) -> None:
        self.cdp = context.new_cdp_session(page)

    def send(self, kind: str, x: float = 0, y: float = 0) -> None:
        points = [] if kind == "touchEnd" else [{"x": x, "y": y, "id": 1}]
        self.cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": points})

    def slide(self, start: tuple[float, float], end: tuple[float, float], steps: int) -> None:
        for step in range(1, steps + 1):
            self.send(
                "touchMove",
                start[0] + (end[0] - start[0]) * step / steps,
                start[1] + (end[1] - start[1]) * step / steps,
            )


def open_touch_grid(server: LiveServer, browser: Any, camp: Camp) -> tuple[Any, Any]:
    version = camp.state()["draft"]["version"]
    httpx.post(
        f"{camp.base}/grid/allocate", json={"version": version}, headers=camp.event.auth()
    ).raise_for_status()
    context = browser.new_context(viewport={"width": 1024, "height": 768}, has_touch=True)
    sign_in(context, server, camp.event.slug, camp.event.key)
    page = context.new_page()
    page.goto(f"{server.url}/e/{camp.event.slug}/grid")
    expect(page.locator("#conn")).to_have_text("Live")
    expect(page.locator("#grid .session .grip")).to_have_count(5)
    return context, page


def grip_of(page: Any, room: int, slot: int) -> tuple[float, float]:
    """A point near the top of a session's grip, which a finger can reach while the card's
    middle may be below the screen's edge."""
    found = box(cell(page, room, slot).locator(".grip"))
    return found["x"] + found["width"] / 2, found["y"] + 20


def middle(found: dict[str, float]) -> tuple[float, float]:
    return found["x"] + found["width"] / 2, found["y"] + found["height"] / 2


def test_touch_drag_moves_a_session(server: LiveServer, browser: Any, results_dir: Any) -> None:
    camp = Camp(server, "Touch camp")
    context, page = open_touch_grid(server, browser, camp)
    auditorium, side = camp.rooms["Auditorium"], camp.rooms["Side room"]
    morning = camp.slots["Morning"]
    moving = camp.at(auditorium, morning)
    assert moving is not None
    start = grip_of(page, auditorium, morning)
    end = middle(box(cell(page, side, morning)))
    finger = Touch(context, page)
    finger.send("touchStart", *start)
    finger.slide(start, end, 10)
    finger.send("touchEnd")
    expect(cell(page, side, morning)).to_contain_text(camp.titles[moving["pitch"]])
    assert camp.cell_of(moving["pitch"]) == (side, morning)
    # Sending a session back to the list works from the dialog too.
    page.locator(f'[data-key="move-{moving["pitch"]}"]').click()
    page.get_by_role("button", name="Take off the grid").click()
    expect(page.locator("#unplaced")).to_contain_text(camp.titles[moving["pitch"]])
    assert camp.cell_of(moving["pitch"]) is None
    context.close()


def test_a_drag_goes_on_when_a_change_from_elsewhere_redraws_the_grid(
    server: LiveServer, browser: Any
) -> None:
    camp = Camp(server, "Redrawn camp")
    context, page = open_touch_grid(server, browser, camp)
    auditorium, side = camp.rooms["Auditorium"], camp.rooms["Side room"]
    morning = camp.slots["Morning"]
    moving, other = camp.at(auditorium, morning), camp.at(side, morning)
    assert moving is not None and other is not None
    start = grip_of(page, auditorium, morning)
    end = middle(box(cell(page, side, morning)))
    finger = Touch(context, page)
    finger.send("touchStart", *start)
    finger.slide(start, end, 5)
    dragged = page.locator(f'.session.drag-source[data-pitch="{moving["pitch"]}"]')
    expect(dragged).to_have_count(1)
    expect(cell(page, side, morning)).to_have_class(re.compile(r"\bdrop-target\b"))
    # Another facilitator sends the session under the finger back to the list, mid-drag.
    version = camp.state()["draft"]["version"]
    httpx.post(
        f"{camp.base}/grid/unplace",
        json={"version": version, "pitch": other["pitch"]},
        headers=camp.event.auth(),
    ).raise_for_status()
    expect(page.locator("#unplaced")).to_contain_text(camp.titles[other["pitch"]])
    expect(dragged).to_have_count(1)
    finger.slide(end, (end[0] + 4, end[1] + 4), 2)
    expect(cell(page, side, morning)).to_have_class(re.compile(r"\bdrop-target\b"))
    finger.send("touchEnd")
    expect(cell(page, side, morning)).to_contain_text(camp.titles[moving["pitch"]])
    assert camp.cell_of(moving["pitch"]) == (side, morning)
    assert camp.cell_of(other["pitch"]) is None
    context.close()


def test_without_script_removing_a_room_asks_first_and_undo_brings_it_back(
    server: LiveServer, browser: Any, results_dir: Any
) -> None:
    camp = Camp(server, "Room removal camp")
    title = TITLES[0]
    hall, morning = camp.rooms["Auditorium"], camp.slots["Morning"]
    move = {"version": 0, "pitch": camp.pitches[title], "room": hall, "slot": morning}
    httpx.post(f"{camp.base}/grid/move", json=move, headers=camp.event.auth()).raise_for_status()
    context = browser.new_context(**PHONE, java_script_enabled=False)
    sign_in(context, server, camp.event.slug, camp.event.key)
    page = context.new_page()
    page.goto(f"{server.url}/e/{camp.event.slug}/grid")
    venue = page.locator("#rooms-and-slots")
    venue.get_by_role("button", name="Remove Auditorium").click()

    asking = "Remove Auditorium and take 1 session off the grid?"
    expect(page.get_by_role("heading", name=asking)).to_be_visible()
    expect(page.locator("#would-unplace")).to_have_text(title)
    check_drawn(browser, page, False)
    page.screenshot(path=str(results_dir / "no-script-remove-room-asks.png"), full_page=True)
    page.get_by_role("link", name="Keep it").click()
    expect(page.locator("#grid thead")).to_contain_text("Auditorium")
    assert camp.cell_of(camp.pitches[title]) == (hall, morning), "Keep it changed nothing"

    venue.get_by_role("button", name="Remove Auditorium").click()
    page.get_by_role("button", name="Remove it and take these off the grid").click()
    expect(page.locator("#done")).to_have_text("The room is removed.")
    expect(page.locator("#grid thead")).not_to_contain_text("Auditorium")
    expect(page.locator("#unplaced")).to_contain_text(title)

    page.get_by_role("button", name="Undo: remove the room Auditorium").click()
    expect(page.locator("#done")).to_have_text("The last change is undone.")
    expect(page.locator("#grid thead th").nth(1)).to_contain_text("Auditorium")
    expect(page.locator("#grid tbody tr").first.locator("td").first).to_contain_text(title)
    assert camp.cell_of(camp.pitches[title]) == (hall, morning)
    check_drawn(browser, page, False)
    page.screenshot(path=str(results_dir / "no-script-room-undone.png"), full_page=True)
    context.close()


TOUCH_SIZES: dict[str, dict[str, Any]] = {
    "360": PHONE,
    "768": {"viewport": {"width": 768, "height": 1024}, "is_mobile": True, "has_touch": True},
    # A tablet turned sideways is as wide as a small laptop: its touch screen decides.
    "1024": {"viewport": {"width": 1024, "height": 768}, "is_mobile": True, "has_touch": True},
}
DESK_TARGET = 24  # CSS pixels each way with a mouse (WCAG 2.2 2.5.8); 44 on touch


def test_every_grid_editor_control_is_big_enough_to_touch(
    server: LiveServer, browser: Any, results_dir: Any
) -> None:
    """Every control of the grid editor (the grid, its sessions' buttons, the list of those not
    on the grid, the move dialog and the plain forms below) is 44 px each way on a phone and a
    tablet, and at least 24 px with a mouse, where the grid stays compact."""
    camp = Camp(server, "Targets grid camp")
    version = camp.state()["draft"]["version"]
    httpx.post(
        f"{camp.base}/grid/allocate", json={"version": version}, headers=camp.event.auth()
    ).raise_for_status()
    sizes: dict[str, dict[str, Any]] = {
        **TOUCH_SIZES,
        "1280": {"viewport": {"width": 1280, "height": 800}},
    }
    for name, size in sizes.items():
        target = DESK_TARGET if name == "1280" else TARGET
        context = browser.new_context(**size)
        sign_in(context, server, camp.event.slug, camp.event.key)
        page = context.new_page()
        page.goto(f"{server.url}/e/{camp.event.slug}/grid")
        expect(page.locator("#conn")).to_have_text("Live")
        expect(page.locator("#grid .session")).to_have_count(5)
        small = small_targets(page, target)
        assert small == [], f"{name}: controls smaller than {target}x{target}: {small}"
        # A whole-page shot drops the touch screen's emulation, so the tablet's is of its screen.
        shot = results_dir / f"grid-targets-{name}.png"
        page.screenshot(path=str(shot), full_page=name != "1024")
        page.locator("#grid .session").first.get_by_role("button", name=re.compile("^Move")).click()
        expect(page.locator("#move-dialog")).to_be_visible()
        small = small_targets(page, target)
        assert small == [], f"{name}, moving: controls smaller than {target}x{target}: {small}"
        check_axe(page)
        context.close()

    # Without script, the plain forms under the grid are as big.
    for name in ("360", "768"):
        context = browser.new_context(java_script_enabled=False, **TOUCH_SIZES[name])
        sign_in(context, server, camp.event.slug, camp.event.key)
        page = context.new_page()
        page.goto(f"{server.url}/e/{camp.event.slug}/grid")
        expect(page.locator("#place-forms")).to_be_visible()
        check_drawn_targets(browser, page, results_dir / f"grid-targets-no-script-{name}.png")
        context.close()


def test_the_board_highlights_the_latest_release_then_fades(
    server: LiveServer, browser: Any, results_dir: Any
) -> None:
    """The projector's board marks what the latest release moved against the one before, the
    same drawn and live, and lets the highlights fade after ten minutes."""
    camp = Camp(server, "Board camp")
    auth = camp.event.auth()

    def grid(action: str, **fields: Any) -> None:
        version = camp.state()["draft"]["version"]
        answer = httpx.post(
            f"{camp.base}/grid/{action}", json={"version": version, **fields}, headers=auth
        )
        answer.raise_for_status()

    grid("allocate")
    grid("publish")
    mover = camp.at(camp.rooms["Auditorium"], camp.slots["Morning"])
    assert mover is not None
    grid("move", pitch=mover["pitch"], room=camp.rooms["Snug 1"], slot=camp.slots["Late morning"])
    grid("publish")
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    page.clock.install()
    page.goto(f"{server.url}/e/{camp.event.slug}/board")
    expect(page.locator("#conn")).to_have_text("Live")
    moved = page.locator("#board td.is-moved")
    expect(moved).to_have_count(1)
    expect(moved).to_contain_text(camp.titles[mover["pitch"]])
    page.screenshot(path=str(results_dir / "board-moved-1280.png"))
    page.reload()  # the same after a reload
    expect(page.locator("#board td.is-moved")).to_have_count(1)
    page.clock.fast_forward("10:30")
    expect(page.locator("#board .b-mark")).to_have_count(0)
    context.close()
