"""What the shared screens show, drawn on the server from the public snapshot so a screen
without script still tells the truth: the projector's ranking and newest pitches, and by room
what is on now and next on the published grid (the same rules as web/static/js/screen.js and
now.js)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from server.pages.words import clock

RANKED = 6  # as many as a 720p projector shows; the script shows more on taller screens
LATEST = 5
MINUTE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$")


@dataclass
class Ranked:
    pitch: dict[str, Any]
    tenths: int  # the bar's length, in tenths of the leader's, for a CSS class (no inline style)


def shown(state: dict[str, Any]) -> list[dict[str, Any]]:
    return [p for p in state["pitches"] if not p["hidden"]]


def ranking(state: dict[str, Any]) -> list[Ranked]:
    if state["event"]["totals_hidden"]:  # the counts aren't in the public snapshot
        return []
    voted = sorted(
        (p for p in shown(state) if p["votes"] > 0), key=lambda p: (-p["votes"], p["id"])
    )[:RANKED]
    most = max([1, *(p["votes"] for p in voted)])
    return [Ranked(p, round(10 * p["votes"] / most)) for p in voted]


def latest(state: dict[str, Any]) -> list[dict[str, Any]]:
    return sorted(shown(state), key=lambda p: -p["id"])[:LATEST]


def join_words(join_url: str) -> tuple[str, str, str]:
    """The join address split where a line may break (host, then path), and the code."""
    short = re.sub(r"^https?://", "", join_url)
    cut = short.rfind("/") + 1
    return short[:cut], short[cut:], join_url.rsplit("/", 1)[-1]


@dataclass
class RoomNow:
    room: dict[str, Any]
    now: str | None
    until: str
    next: str | None
    at: str


@dataclass
class NowNext:
    clock: str
    banner: str
    rooms: list[RoomNow]


def local_now(timezone: str, fixed: str | None, now: dt.datetime | None = None) -> str:
    """The event's wall clock as "YYYY-MM-DDTHH:MM"; ``fixed`` (?at=) holds it still for tests."""
    if fixed and MINUTE.match(fixed):
        return fixed
    try:
        zone = ZoneInfo(timezone)
    except (KeyError, ValueError):
        zone = ZoneInfo("UTC")
    return (now or dt.datetime.now(dt.UTC)).astimezone(zone).strftime("%Y-%m-%dT%H:%M")


def now_and_next(state: dict[str, Any], now: str) -> NowNext:
    slots = sorted(state["slots"], key=lambda s: (s["starts_at"], s["id"]))
    grid = state["grid"]
    placed = (
        {(p["room"], p["slot"]): p["pitch"] for p in grid["placements"]} if grid["live"] else {}
    )
    titles = {p["id"]: p["title"] for p in state["pitches"]}
    current = next((s for s in slots if s["starts_at"] <= now < s["ends_at"]), None)
    later = [
        s
        for s in slots
        if s["starts_at"] > now or (current and s["starts_at"] >= current["ends_at"])
    ]
    rooms = []
    for room in state["rooms"]:
        on = placed.get((room["id"], current["id"])) if current else None
        coming = next((s for s in later if (room["id"], s["id"]) in placed), None)
        rooms.append(
            RoomNow(
                room,
                titles.get(on, "A session") if on else None,
                f"until {clock(current['ends_at'])}" if current else "",
                titles.get(placed[(room["id"], coming["id"])], "A session") if coming else None,
                f"at {clock(coming['starts_at'])}" if coming else "",
            )
        )
    return NowNext(clock(now), _banner(bool(grid["live"]), current, later, now), rooms)


def _banner(
    live: bool, current: dict[str, Any] | None, later: list[dict[str, Any]], now: str
) -> str:
    if not live:
        return "The grid isn't published yet."
    if current and (current.get("kind") or "session") != "session":
        name = current["label"] or ("Break" if current["kind"] == "break" else "Plenary")
        return f"{name} until {clock(current['ends_at'])}"
    if current is None and later:
        day = later[0]["starts_at"][:10]
        when = "Next" if day == now[:10] else f"Next, on {day}"
        return f"{when}: {later[0]['label'] or 'sessions'} at {clock(later[0]['starts_at'])}"
    if current is None:
        return "That's all: no more sessions."
    return f"{current['label']}, until {clock(current['ends_at'])}" if current["label"] else ""
