"""The projector fits the room: the screen, now and next and the board with nine rooms fill
each projector's screen without clipping or scrolling, page through rooms that don't fit, say
where the day has got to, and the grid editor shows nine rooms on a 1280 laptop."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from playwright.sync_api import expect

from tests.conftest import LiveServer
from tests.e2e.conftest import (
    MORNING_WITH_COFFEE,
    PHONE,
    Event,
    check_axe,
    check_drawn,
    make_event,
    no_sideways_scroll,
    sign_in,
)

PROJECTORS = {
    "1024x768": {"width": 1024, "height": 768},
    "1280x720": {"width": 1280, "height": 720},
    "1920x1080": {"width": 1920, "height": 1080},
    "3840x2160": {"width": 3840, "height": 2160},
}
ROOMS = [
    {"name": name, "capacity": capacity, "features": []}
    for name, capacity in [
        ("Auditorium", 100),
        ("Side room", 35),
        ("Boardroom", 20),
        ("Library", 16),
        ("Snug 1", 10),
        ("Snug 2", 8),
        ("Snug 3", 8),
        ("Garden room", 12),
        ("Terrace", 6),
    ]
]
SLOTS = [
    *MORNING_WITH_COFFEE,
    {"starts_at": "2026-11-23T12:30", "ends_at": "2026-11-23T13:15", "label": "Afternoon"},
]
WORDS = [
    "Procurement that works for small suppliers and the people who buy from them",
    "Hiring digital people fast",
    "Accessibility on a budget",
    "Open data in practice: what we learned publishing spending",
    "Agile in government",
    "Service standards",
    "Working out loud",
    "User research with no budget",
    "Legacy systems: a confession",
]
DURING = "2026-11-23T10:20"


class Nine:
    """A 130-person day in nine rooms, pitched, voted and published through the API."""

    def __init__(self, server: LiveServer, name: str, pitches: int = 27) -> None:
        self.event: Event = make_event(server, name, rooms=ROOMS, slots=SLOTS)
        self.base = f"{server.url}/api/e/{self.event.slug}"
        self.patch(voting_open=True)
        self.titles = []
        self.ids = []
        for n in range(pitches):
            title = f"{WORDS[n % 9]} ({n + 1})"
            answer = httpx.post(
                f"{self.base}/pitches",
                json={"title": title, "host": f"Host {n}"},
                headers=self.event.auth(),
                timeout=30,
            )
            answer.raise_for_status()
            self.titles.append(title)
            self.ids.append(answer.json()["id"])

    def vote(self) -> None:
        """Six people's dots, so the projector ranks six long titles."""
        for n in range(6):
            token = httpx.post(f"{self.base}/attendees", json={"name": f"Voter {n}"}, timeout=30)
            secret = {"Authorization": f"Bearer {token.json()['token']}"}
            for pitch in self.ids[n : n + 3]:
                httpx.post(
                    f"{self.base}/dots", json={"pitch": pitch}, headers=secret, timeout=30
                ).raise_for_status()

    def patch(self, **fields: Any) -> None:
        httpx.patch(
            self.base, json=fields, headers=self.event.auth(), timeout=30
        ).raise_for_status()

    def grid(self, action: str) -> dict[str, Any]:
        version = httpx.get(self.base, headers=self.event.auth(), timeout=30).json()["draft"][
            "version"
        ]
        answer = httpx.post(
            f"{self.base}/grid/{action}",
            json={"version": version},
            headers=self.event.auth(),
            timeout=30,
        )
        answer.raise_for_status()
        result: dict[str, Any] = answer.json()
        return result

    def publish(self) -> None:
        self.patch(voting_open=False, pitching_open=False)
        self.grid("allocate")
        self.grid("publish")


@pytest.fixture(scope="module")
def nine(server: LiveServer) -> Nine:
    camp = Nine(server, "Nine room camp")
    camp.vote()
    camp.publish()
    return camp


def fits(page: Any, size: dict[str, int]) -> None:
    """Nothing scrolls, and nothing in the page's main part reaches past the screen's edges."""
    scroll = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.scrollHeight]"
    )
    assert scroll[0] <= size["width"] and scroll[1] <= size["height"], scroll
    outside = page.evaluate(
        """([w, h]) => [...document.querySelectorAll('main *')]
            .filter((el) => el.getClientRects().length && !el.closest('.visually-hidden'))
            .filter((el) => { const r = el.getBoundingClientRect();
                return r.width && (r.right > w + 0.5 || r.bottom > h + 0.5
                    || r.left < -0.5 || r.top < -0.5); })
            .map((el) => el.outerHTML.slice(0, 80))""",
        [size["width"], size["height"]],
    )
    assert outside == [], outside
    clipped = page.evaluate(
        """() => [...document.querySelectorAll('main section, main li, main td, .now-rooms')]
            .filter((el) => el.scrollHeight > el.clientHeight + 1
                && getComputedStyle(el).overflowY !== 'visible')
            .map((el) => el.outerHTML.slice(0, 80))"""
    )
    assert clipped == [], clipped


def rooms_seen(page: Any, selector: str) -> set[str]:
    """Every room's name, turning through the pages (if more than one) with the Next button."""
    seen = {name.strip() for name in page.locator(selector).all_text_contents()}
    if page.locator("#pager").is_hidden():
        return seen
    pages = int((page.locator("#page-of").text_content() or "").rsplit(" ", 1)[-1])
    for n in range(2, pages + 1):
        page.locator("#page-next").click()
        expect(page.locator("#page-of")).to_have_text(f"Page {n} of {pages}")
        seen |= {name.strip() for name in page.locator(selector).all_text_contents()}
    return seen


@pytest.mark.parametrize("size", list(PROJECTORS))
def test_the_projector_screens_fit_every_projector(
    server: LiveServer, browser: Any, nine: Nine, results_dir: Any, size: str
) -> None:
    viewport = PROJECTORS[size]
    context = browser.new_context(viewport=viewport, reduced_motion="reduce")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    names = {room["name"] for room in ROOMS}
    for name, path, rooms in (
        ("screen", "screen", None),
        ("now", "now", "#rooms h2"),
        ("board", "board", "#board thead th:not(.corner)"),
    ):
        page.goto(f"{server.url}/e/{nine.event.slug}/{path}?at={DURING}")
        expect(page.locator("#conn")).to_have_text("Live")
        expect(page.locator("#now-banner")).to_have_text("Morning, until 10:45")
        fits(page, viewport)
        check_axe(page)
        page.screenshot(path=str(results_dir / f"projector-{name}-{size}.png"))
        if rooms:
            assert rooms_seen(page, rooms) == names, name
    # On the board, titles are readable from the back: 2.5% of the screen's height at least.
    page.goto(f"{server.url}/e/{nine.event.slug}/board?at={DURING}")
    expect(page.locator("#conn")).to_have_text("Live")
    sizes = page.locator(".b-title").evaluate_all(
        "els => els.map((el) => parseFloat(getComputedStyle(el).fontSize))"
    )
    assert sizes and min(sizes) >= 0.025 * viewport["height"], sizes
    expect(page.locator("#board tr.is-now th .b-now")).to_have_text("Now")
    expect(page.locator("#pager")).to_be_visible()
    expect(page.locator("#page-turn")).to_have_text("Turn pages by themselves")
    assert errors == []
    context.close()


def test_a_bilingual_event_s_screens_fit_in_welsh_then_english(
    server: LiveServer, browser: Any, results_dir: Any
) -> None:
    """Both languages on every fixed label, Welsh first and each marked with its language, as
    the scripts draw them: the longer words still fit a 1280x720 projector."""
    camp = Nine(server, "Gwersyll dwyieithog")
    camp.patch(languages=["cy", "en"])
    camp.vote()
    viewport = PROJECTORS["1280x720"]
    context = browser.new_context(viewport=viewport, reduced_motion="reduce")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{server.url}/e/{camp.event.slug}/screen?at={DURING}")
    expect(page.locator("#conn span[lang=cy]")).to_have_text("Byw")  # then English
    expect(page.locator("#conn span[lang=en]")).to_have_text("Live")
    expect(page.locator("#ranking li .n").first).to_have_text("3 dot / 3 dots")
    expect(page.locator("#ranking li .n [lang]").first).to_have_attribute("lang", "cy")
    expect(page.locator("#phase li").last).to_have_text("Pleidleisio ar agor / Voting open")
    fits(page, viewport)
    check_axe(page)
    page.screenshot(path=str(results_dir / "projector-screen-bilingual-1280x720.png"))
    # The venue's wifi drops and comes back: the screen says so in both languages too.
    context.set_offline(True)
    expect(page.locator("#conn span[lang=cy]")).to_have_text(
        "All-lein: byddwn yn dal i fyny pan fyddwch yn ôl"
    )
    expect(page.locator("#conn span[lang=en]")).to_have_text(
        "Offline: we will catch up when you are back"
    )
    context.set_offline(False)
    expect(page.locator("#conn span[lang=cy]")).to_have_text("Byw")
    camp.publish()
    for name, path in (("now", "now"), ("board", "board")):
        page.goto(f"{server.url}/e/{camp.event.slug}/{path}?at={DURING}")
        expect(page.locator("#conn span[lang=cy]")).to_have_text("Byw")  # then English
        expect(page.locator("#conn span[lang=en]")).to_have_text("Live")
        fits(page, viewport)
        check_axe(page)
        page.screenshot(path=str(results_dir / f"projector-{name}-bilingual-1280x720.png"))
        if name == "now":
            expect(page.locator("#rooms li .lbl").first).to_contain_text(
                "Nawr tan 10:45 / Now until"
            )
            expect(page.locator("#rooms li .lbl span[lang=en]").first).to_have_text(
                "Now until 10:45"
            )
    expect(page.locator("#page-of span[lang=en]")).to_have_text("Page 1 of 2")
    expect(page.locator("#page-of [lang]").first).to_have_attribute("lang", "cy")
    expect(page.locator("#page-turn")).to_have_text(
        "Troi\u2019r tudalennau\u2019n awtomatig / Turn pages by themselves"
    )
    expect(page.locator("#board th.corner")).to_have_text("Amser / Time")
    expect(page.locator("#board tr.is-now th .b-now span[lang=cy]")).to_have_text("Nawr")
    assert errors == []
    context.close()


def test_the_board_without_script_pages_by_links(
    server: LiveServer, browser: Any, nine: Nine, results_dir: Any
) -> None:
    context = browser.new_context(viewport=PROJECTORS["1280x720"], java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{server.url}/e/{nine.event.slug}/board?at={DURING}")
    expect(page.locator("#page-of")).to_have_text("Page 1 of 2")
    refresh = page.locator('noscript meta[http-equiv="refresh"]').get_attribute("content")
    assert refresh == f"30;url=?at={DURING.replace(':', '%3A')}&page=2&turn=1", refresh
    first = set(page.locator("#board thead th:not(.corner)").all_text_contents())
    page.locator("#page-next").click()
    expect(page.locator("#page-of")).to_have_text("Page 2 of 2")
    # A page someone chose stays put: the reload keeps it.
    refresh = page.locator('noscript meta[http-equiv="refresh"]').get_attribute("content")
    assert refresh == "30", refresh
    second = set(page.locator("#board thead th:not(.corner)").all_text_contents())
    assert first | second == {room["name"] for room in ROOMS} and not first & second
    expect(page.locator("#board tr.is-now")).to_contain_text("Morning")
    check_drawn(browser, page, False)
    page.screenshot(path=str(results_dir / "projector-board-no-script-1280x720.png"))
    context.close()


def test_the_screens_say_where_the_day_has_got_to(
    server: LiveServer, browser: Any, results_dir: Any
) -> None:
    camp = Nine(server, "Day camp", pitches=20)  # room to move one after publishing
    context = browser.new_context(viewport=PROJECTORS["1280x720"])
    page = context.new_page()
    board = context.new_page()
    errors: list[str] = []
    board.on("pageerror", lambda error: errors.append(str(error)))
    board.goto(f"{server.url}/e/{camp.event.slug}/board?at={DURING}")
    page.goto(f"{server.url}/e/{camp.event.slug}/now?at={DURING}")
    expect(page.locator("#conn")).to_have_text("Live")
    expect(board.locator("#conn")).to_have_text("Live")
    said = {
        "voting": "Pitching and voting are open: "
        "place your dots on the sessions you want to be in.",
        "counting": "Pitching and voting are closed: the dots are being counted.",
        "drafted": "The grid is being put together.",
    }
    expect(page.locator("#now-banner")).to_have_text(said["voting"])
    expect(page.locator("#rooms")).to_be_hidden()
    camp.patch(voting_open=False, pitching_open=False)
    expect(page.locator("#now-banner")).to_have_text(said["counting"])
    check_axe(page)
    page.screenshot(path=str(results_dir / "projector-now-counting-1280x720.png"))
    camp.grid("allocate")
    expect(page.locator("#now-banner")).to_have_text(said["drafted"])
    expect(board.locator("#now-banner")).to_have_text(said["drafted"])
    expect(board.locator("#board")).to_be_hidden()
    # The server says the same without script.
    page.reload()
    expect(page.locator("#now-banner")).to_have_text(said["drafted"])
    camp.grid("publish")
    expect(board.locator("#board")).to_be_visible()
    expect(board.locator("#now-banner")).to_have_text("Morning, until 10:45")
    expect(board.locator("#day-next")).to_have_text("Next: Coffee at 10:45")
    expect(board.locator(".b-mark")).to_have_count(0)
    # A move published after the first release is highlighted on the board, live and drawn.
    state = httpx.get(camp.base, headers=camp.event.auth(), timeout=30).json()
    placed = state["draft"]["placements"][0]
    free = next(
        (r["id"], s["id"])
        for s in state["slots"]
        if s["kind"] == "session"
        for r in state["rooms"]
        if not any(
            p["room"] == r["id"] and p["slot"] == s["id"] for p in state["draft"]["placements"]
        )
    )
    httpx.post(
        f"{camp.base}/grid/move",
        json={
            "version": state["draft"]["version"],
            "pitch": placed["pitch"],
            "room": free[0],
            "slot": free[1],
        },
        headers=camp.event.auth(),
        timeout=30,
    ).raise_for_status()
    camp.grid("publish")  # edits stay in the draft until the next release
    title = next(p["title"] for p in state["pitches"] if p["id"] == placed["pitch"])
    board.locator("#page-turn").click()  # hold the page while looking for the moved session
    moved = board.locator("td.is-moved")
    for _ in range(2):
        if moved.count():
            break
        board.locator("#page-next").click()
    expect(moved).to_contain_text(title)
    expect(moved.locator(".b-mark")).to_have_text("Moved")
    board.screenshot(path=str(results_dir / "projector-board-moved-1280x720.png"))
    board.goto(f"{server.url}/e/{camp.event.slug}/board?at=2026-11-23T18:00")
    assert errors == []
    expect(board.locator("#conn")).to_have_text("Live")
    expect(board.locator("#now-banner")).to_have_text("That's all: no more sessions.")
    assert errors == []
    context.close()


def test_the_grid_editor_shows_nine_rooms_at_1280(
    server: LiveServer, browser: Any, nine: Nine, results_dir: Any
) -> None:
    for name, viewport in (
        ("1280", {"width": 1280, "height": 800}),
        ("768", {"width": 768, "height": 1024}),
    ):
        context = browser.new_context(viewport=viewport, has_touch=name == "768")
        sign_in(context, server, nine.event.slug, nine.event.key)
        page = context.new_page()
        page.goto(f"{server.url}/e/{nine.event.slug}/grid")
        expect(page.locator("#conn")).to_have_text("Live")
        expect(page.locator("#grid thead th[scope=col]:not(.corner)")).to_have_count(9)
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        if name == "1280":
            scroller = page.locator("#grid-scroll")
            assert scroller.evaluate("el => el.scrollWidth <= el.clientWidth"), (
                "rooms off to the side"
            )
        check_axe(page)
        page.screenshot(path=str(results_dir / f"grid-nine-rooms-{name}.png"))
        # The grid size control makes the grid's text smaller or larger, script or none.
        size = "el => parseFloat(getComputedStyle(el).fontSize)"
        normal = page.locator("#grid").evaluate(size)
        page.get_by_label("Small").check()
        assert page.locator("#grid").evaluate(size) < normal
        page.get_by_label("Large").check()
        assert page.locator("#grid").evaluate(size) > normal
        context.close()


def test_the_screens_controls_are_big_enough_on_a_phone(
    server: LiveServer, browser: Any, nine: Nine, results_dir: Any
) -> None:
    context = browser.new_context(**PHONE)
    page = context.new_page()
    for path in ("screen", "now", "board"):
        page.goto(f"{server.url}/e/{nine.event.slug}/{path}?at={DURING}")
        expect(page.locator("#conn")).to_have_text("Live")
        sizes = page.locator("main a:visible, main button:visible").evaluate_all(
            "els => els.map((el) => { const r = el.getBoundingClientRect();"
            " return [el.textContent.trim(), r.width, r.height]; })"
        )
        assert all(w >= 44 and h >= 44 for _, w, h in sizes), sizes
        no_sideways_scroll(page)
        check_axe(page)
        page.screenshot(path=str(results_dir / f"projector-{path}-360.png"), full_page=True)
    assert len(sizes) == 3  # the board's Previous, Next and the turning switch
    context.close()


def test_the_board_turns_its_pages_until_stopped(
    server: LiveServer, browser: Any, nine: Nine
) -> None:
    context = browser.new_context(viewport=PROJECTORS["1280x720"])
    page = context.new_page()
    page.clock.install()
    page.goto(f"{server.url}/e/{nine.event.slug}/board?at={DURING}")
    expect(page.locator("#conn")).to_have_text("Live")
    expect(page.locator("#page-of")).to_have_text("Page 1 of 2")
    page.clock.run_for(16_000)
    expect(page.locator("#page-of")).to_have_text("Page 2 of 2")
    page.get_by_role("button", name="Stop turning pages").click()
    page.clock.run_for(16_000)  # one more turn would have gone back to page 1
    expect(page.locator("#page-of")).to_have_text("Page 2 of 2")
    expect(page.locator("#page-turn")).to_have_text("Turn pages by themselves")
    context.close()


def test_now_and_next_pages_through_many_rooms(
    server: LiveServer, browser: Any, results_dir: Any
) -> None:
    rooms = [{"name": f"Breakout {n}", "capacity": 10, "features": []} for n in range(1, 16)]
    event = make_event(server, "Fifteen room camp", rooms=rooms, slots=SLOTS)
    base = f"{server.url}/api/e/{event.slug}"
    version = httpx.get(base, headers=event.auth(), timeout=30).json()["draft"]["version"]
    httpx.post(
        f"{base}/grid/publish", json={"version": version}, headers=event.auth(), timeout=30
    ).raise_for_status()
    viewport = PROJECTORS["1024x768"]
    context = browser.new_context(viewport=viewport, reduced_motion="reduce")
    page = context.new_page()
    page.goto(f"{server.url}/e/{event.slug}/now?at={DURING}")
    expect(page.locator("#conn")).to_have_text("Live")
    expect(page.locator("#page-of")).to_have_text("Page 1 of 2")
    expect(page.locator("#rooms > li")).to_have_count(8)
    fits(page, viewport)
    check_axe(page)
    page.screenshot(path=str(results_dir / "projector-now-15-rooms-1024x768.png"))
    assert rooms_seen(page, "#rooms h2") == {room["name"] for room in rooms}
    context.close()
