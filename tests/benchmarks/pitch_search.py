"""Searching 200 pitches on a mid-range phone: each keystroke's time until its result is painted,
against the floor.

    python -m tests.benchmarks.pitch_search [--pitches 200] [--slowdown 4] [--text compost]

It starts a real Snug server (SQLite in a temporary folder, rate limits off for the setup), makes
an event with voting open and the pitches (tests/e2e/test_voting_phone.py's crowd: every fifth on
each of five topics), joins in Debian's Chromium at 360x640 and slows the page's CPU by the given
factor (Chrome's CPU throttling; 4 is Chrome's own "mid-tier mobile"). Then it types the text one
character at a time, timing each keystroke from the input event until the frame showing its result
is painted. The machine is shared, so each keystroke is timed several times and the quickest kept:
other processes only ever add to a time.

The floor, in the same page and run: the search box replaced by a copy without Snug's listeners,
and a listener that does only what must be done for the same result on screen (fold away the
same cards by the same class, from their titles read once beforehand: the crowd's pitches have
no other words that the typed text could match), timed the same way. The ratio is
Snug's slowest keystroke to the floor's.

Human-readable lines come first; the last line is one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
from pathlib import Path
from typing import Any

from playwright.sync_api import sync_playwright

from tests.conftest import start_server, stop_server
from tests.e2e.conftest import ARGS, CHROMIUM, PHONE, make_event
from tests.e2e.test_voting_phone import crowd, join

TYPE_AND_TIME = """
async ([text, tries]) => {
  const input = document.getElementById('list-q');
  // A frame's rAF runs before its paint; a task queued from it runs after.
  const frame = () => new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0)));
  const type = (value) => {
    input.value = value;
    input.dispatchEvent(new Event('input', { bubbles: true }));
  };
  const best = [];
  for (let n = 1; n <= text.length; n += 1) {
    const times = [];
    for (let t = 0; t < tries; t += 1) {
      type(text.slice(0, n - 1));
      await frame();
      const start = performance.now();
      type(text.slice(0, n));
      await frame();
      times.push(performance.now() - start);
    }
    best.push(Math.min(...times));
  }
  return best;
}
"""

FLOOR = """
() => {
  const old = document.getElementById('list-q');
  const input = old.cloneNode(true);  // a copy carries none of Snug's listeners
  old.replaceWith(input);
  const cards = [...document.querySelectorAll('#pitch-list > li')];
  const texts = cards.map((li) => li.querySelector('h3').textContent.toLowerCase());
  input.addEventListener('input', () => {
    const q = input.value.toLowerCase();
    cards.forEach((li, i) => li.classList.toggle('off', !texts[i].includes(q)));
  });
}
"""


def _time(page: Any, text: str, tries: int) -> list[float]:
    return [round(ms, 1) for ms in page.evaluate(TYPE_AND_TIME, [text, tries])]


def measure(pitches: int, slowdown: float, text: str, tries: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as folder:
        server = start_server(Path(folder), {"RATE_LIMIT_SCALE": "0"})
        try:
            event = make_event(server, "Search camp")
            crowd(server, event, pitches)
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
                page = browser.new_context(**PHONE).new_page()
                page.goto(f"{server.url}/e/{event.slug}")
                join(page)
                page.locator("#pitch-list > li").nth(pitches - 1).wait_for(state="attached")
                cdp = page.context.new_cdp_session(page)
                cdp.send("Emulation.setCPUThrottlingRate", {"rate": slowdown})
                ours = _time(page, text, tries)
                page.evaluate(FLOOR)
                floor = _time(page, text, tries)
                browser.close()
        finally:
            stop_server(server)
    return {
        "pitches": pitches,
        "cpu_slowdown": slowdown,
        "text": text,
        "ms_per_keystroke": ours,
        "max_ms": max(ours),
        "median_ms": statistics.median(ours),
        "floor_ms_per_keystroke": floor,
        "floor_max_ms": max(floor),
        "ratio_to_floor": round(max(ours) / max(floor), 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pitches", type=int, default=200)
    parser.add_argument("--slowdown", type=float, default=4)
    parser.add_argument("--text", default="compost")
    parser.add_argument("--tries", type=int, default=5)
    args = parser.parse_args()
    f = measure(args.pitches, args.slowdown, args.text, args.tries)
    print(f"{f['pitches']} pitches, CPU slowed {f['cpu_slowdown']}x, typing {args.text!r}")
    print(f"Snug:  ms per keystroke {f['ms_per_keystroke']} (max {f['max_ms']})")
    print(f"floor: ms per keystroke {f['floor_ms_per_keystroke']} (max {f['floor_max_ms']})")
    print(f"Snug's slowest keystroke is {f['ratio_to_floor']}x the floor's")
    print(json.dumps(f))


if __name__ == "__main__":
    main()
