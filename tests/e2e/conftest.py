"""Browser fixtures: Debian's Chromium driven by Playwright, axe checks and small helpers."""

from __future__ import annotations

import os
import re
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import ROOT, LiveServer

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
RESULTS = ROOT / "test-results"
PHONE: dict[str, Any] = {
    "viewport": {"width": 360, "height": 640},
    "is_mobile": True,
    "has_touch": True,
}


# Module scope: sync Playwright keeps its own event loop running while it is open, which would
# stop pytest-asyncio's loop from running the async tests collected after these.
@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not (Path(CHROMIUM).exists() or shutil.which("chromium")):
        message = "Chromium is missing at /usr/bin/chromium: apt-get install -y chromium"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def results_dir() -> Path:
    RESULTS.mkdir(exist_ok=True)
    return RESULTS


@dataclass
class Event:
    slug: str
    key: str
    join: str
    links: dict[str, str]

    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.key}"}


# A laptop and a phone, as the pages are checked at both.
VIEWPORTS: dict[str, dict[str, int]] = {
    "1280": {"width": 1280, "height": 800},
    "360": {"width": 360, "height": 640},
}
# A big room and a snug, a morning of two slots: enough for a grid to place and move in.
TWO_ROOMS = [
    {"name": "Auditorium", "capacity": 100, "features": []},
    {"name": "Snug 1", "capacity": 8, "features": []},
]
TWO_SLOTS = [
    {"starts_at": "2026-11-23T10:00", "ends_at": "2026-11-23T10:45", "label": "Morning"},
    {"starts_at": "2026-11-23T11:00", "ends_at": "2026-11-23T11:45", "label": "Late morning"},
]
# A morning of two session slots with a coffee break between.
MORNING_WITH_COFFEE = [
    {"starts_at": "2026-11-23T10:00", "ends_at": "2026-11-23T10:45", "label": "Morning"},
    {
        "starts_at": "2026-11-23T10:45",
        "ends_at": "2026-11-23T11:00",
        "label": "Coffee",
        "kind": "break",
    },
    {"starts_at": "2026-11-23T11:00", "ends_at": "2026-11-23T11:45", "label": "Late morning"},
]
# A hall and a room of one, whose places are counted from the first claim.
HALL_AND_TINY_SNUG = [
    {"name": "Hall", "capacity": 40, "features": []},
    {"name": "Tiny snug", "capacity": 1, "features": []},
]


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def make_event(server: LiveServer, name: str = "Test camp", **extra: Any) -> Event:
    body = {
        "name": name,
        "date": "2026-11-23",
        "timezone": "Europe/London",
        "rooms": [{"name": "Auditorium", "capacity": 100, "features": ["projector"]}],
        "slots": [{"starts_at": "2026-11-23T10:00", "ends_at": "2026-11-23T11:00", "label": ""}],
        **extra,
    }
    answer = httpx.post(f"{server.url}/api/events", json=body, timeout=10)
    assert answer.status_code == 201, answer.text
    made = answer.json()
    return Event(made["slug"], made["organiser_key"], made["links"]["join"], made["links"])


def sign_in(context: Any, server: LiveServer, slug: str, key: str) -> None:
    """What opening the #key= link, or joining, does once: this browser keeps the staff key or
    the attendee's token in that role's cookie."""
    answer = context.request.post(
        f"{server.url}/api/e/{slug}/session", headers={"Authorization": f"Bearer {key}"}
    )
    assert answer.ok, answer.text()


def box(locator: Any, timeout: float = 5.0) -> dict[str, float]:
    """Where an element is on screen. A live page redraws its parts as changes arrive, and an
    element found just before a redraw has no box once it is measured; its replacement is
    measured instead, until one stays put long enough or the time is up."""
    give_up = time.monotonic() + timeout
    while True:
        found = locator.bounding_box()
        if found is not None:
            return found
        assert time.monotonic() < give_up, f"{locator} never showed on screen"
        time.sleep(0.05)


def check_axe(page: Any) -> None:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def as_drawn(browser: Any, page: Any) -> Any:
    """A page seen with JavaScript off, copied into a context where checks can run script
    (Playwright's evaluate, and so axe, never returns on a page with JavaScript disabled). The
    copy has the same address, styles and size, and none of the page's own scripts."""
    html = re.sub(r"<script\b[^>]*>.*?</script>", "", page.content(), flags=re.S)
    copy = browser.new_context(viewport=page.viewport_size)
    copy.route(page.url, lambda route: route.fulfill(body=html, content_type="text/html"))
    shown = copy.new_page()
    shown.goto(page.url)
    return shown


def check_drawn(browser: Any, page: Any, script: bool) -> None:
    """axe and the sideways-scroll check, for a page open with JavaScript on or off."""
    shown = page if script else as_drawn(browser, page)
    check_axe(shown)
    no_sideways_scroll(shown)
    if shown is not page:
        shown.context.close()


def no_sideways_scroll(page: Any) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{page.url} scrolls sideways: {width}px"


TARGET = 44  # CSS pixels each way, the least a control may measure (WCAG 2.5.5)

_SMALL_TARGETS = """
(target) => {
  const small = [];
  const controls = document.querySelectorAll(
    'a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button], '
    + '[tabindex]:not([tabindex="-1"])'
  );
  const inSentence = (a) => {
    // A link inside a sentence (WCAG 2.5.8 exempts it): inline, in a paragraph that says more.
    const block = a.closest('p');
    return a.tagName === 'A' && block && getComputedStyle(a).display === 'inline'
      && block.textContent.trim().length > a.textContent.trim().length + 5;
  };
  for (const el of controls) {
    if (!el.getClientRects().length || el.closest('[hidden], .visually-hidden')) continue;
    if (el.classList.contains('skip') && document.activeElement !== el) continue;
    if (inSentence(el)) continue;
    const r = el.getBoundingClientRect();
    if (r.width < target - 0.5 || r.height < target - 0.5) {
      const name = (el.textContent || el.name || '').trim().slice(0, 30);
      small.push(`${el.tagName}#${el.id} "${name}" ${r.width.toFixed(1)}x${r.height.toFixed(1)}`);
    }
  }
  return small;
}
"""


def small_targets(page: Any, target: int = TARGET) -> list[str]:
    """Every visible control on the page smaller than ``target`` each way, named for the
    report."""
    return list(page.evaluate(_SMALL_TARGETS, target))


def check_drawn_targets(browser: Any, page: Any, shot: Path) -> None:
    """A page open without script: its controls measured (and axe and the sideways scroll
    checked) in a copy that can run the checks, and a screenshot."""
    shown = as_drawn(browser, page)
    small = small_targets(shown)
    assert small == [], f"no script: controls smaller than {TARGET}x{TARGET}: {small}"
    shown.context.close()
    check_drawn(browser, page, script=False)
    page.screenshot(path=str(shot), full_page=True)


def look(page: Any, results: Path, name: str, script: bool) -> None:
    """axe and the sideways-scroll check on a page, and a screenshot of it, ``name``.png."""
    check_drawn(page.context.browser, page, script)
    page.screenshot(path=str(results / f"{name}.png"), full_page=True)


def fail_on_dialogs(page: Any, seen: list[str]) -> None:
    """Any alert() means typed text ran as script: record it and dismiss it."""

    def on_dialog(dialog: Any) -> None:
        seen.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)


# Holds a page's live messages while window.__freeze is true, so a test can make its screen
# stale on purpose; window.__release() delivers them in order.
HOLD_LIVE_MESSAGES = """
(() => {
  const Original = window.WebSocket;
  window.__freeze = false;
  window.__held = [];
  window.__release = () => {
    window.__freeze = false;
    window.__held.splice(0).forEach((f) => f());
  };
  class Held extends Original {
    get onmessage() { return super.onmessage; }
    set onmessage(fn) {
      super.onmessage = fn && ((event) => {
        if (window.__freeze) window.__held.push(() => fn(event)); else fn(event);
      });
    }
  }
  window.WebSocket = Held;
})();
"""
