"""What the shared screens show, drawn on the server from the public snapshot so a screen
without script still tells the truth: the projector's ranking and newest pitches, and by room
what is on now and next on the published grid, and the whole grid on the board (the same rules
as web/static/js/screen.js, now.js and board.js), a page of rooms at a time."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar
from urllib.parse import urlencode

from server.pages.words import clock

T = TypeVar("T")

RANKED = 6  # sized from the smaller side, this many fit any projector (as screen.js)
LATEST = 5
PAGE = re.compile(r"[0-9]{1,4}")


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
    """What a room has on now and next: a title ("" for one without), or None for nothing;
    the clock times the page puts into its own words."""

    room: dict[str, Any]
    now: str | None
    until: str
    next: str | None
    at: str


def _by_time(state: dict[str, Any]) -> list[dict[str, Any]]:
    return sorted(state["slots"], key=lambda s: (s["starts_at"], s["id"]))


def _placed(state: dict[str, Any]) -> dict[tuple[int, int], int]:
    grid = state["grid"]
    return {(p["room"], p["slot"]): p["pitch"] for p in grid["placements"]} if grid["live"] else {}


def now_and_next(state: dict[str, Any], now: str) -> list[RoomNow]:
    slots = _by_time(state)
    placed = _placed(state)
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
                titles.get(on, "") if on else None,
                clock(current["ends_at"]) if current else "",
                titles.get(placed[(room["id"], coming["id"])], "") if coming else None,
                clock(coming["starts_at"]) if coming else "",
            )
        )
    return rooms


@dataclass
class Paged(Generic[T]):
    """One page of what a screen shows, and the addresses of its neighbours (the same query
    otherwise, so ?at= holds). ``turn`` is where a screen without script goes on its own."""

    items: list[T]
    number: int
    count: int
    prev: str
    next: str
    turn: str
    turning: bool  # a page link someone followed holds its page; the projector's own turns


def paged(
    items: list[T], per: int, asked: str | None, query: dict[str, str], turning: bool
) -> Paged[T]:
    """Items in pages of at most ``per``, as even as can be: 9 rooms by 6 are 5 and 4."""
    count = max(1, -(-len(items) // per))
    size = -(-len(items) // count) if items else 0
    # ASCII digits, and few: int() refuses "²" and strings of thousands of digits.
    number = int(asked) if asked and PAGE.fullmatch(asked) and 1 <= int(asked) <= count else 1
    chunk = items[(number - 1) * size : number * size]

    def at(n: int, **more: str) -> str:
        return "?" + urlencode({**query, "page": str(n), **more})

    after = number % count + 1
    before = (number - 2) % count + 1
    return Paged(chunk, number, count, at(before), at(after), at(after, turn="1"), turning)


@dataclass
class BoardCell:
    title: str | None  # "" for a session without a title, None for a free room
    mark: str  # "moved", "new" or ""
    unavailable: bool = False


@dataclass
class BoardRow:
    slot: dict[str, Any]
    starts: str  # clock times, put into the page's own words
    ends: str
    current: bool
    cells: list[BoardCell] = field(default_factory=list)


BOARD_SLOTS = 6  # session rows on one screen; a longer day shows from the current one on


def board_rows(
    state: dict[str, Any], rooms: list[dict[str, Any]], now: str, marks: dict[int, str]
) -> list[BoardRow]:
    slots = _window(_by_time(state), now)
    placed = _placed(state)
    titles = {p["id"]: p["title"] for p in state["pitches"]}
    rows = []
    for slot in slots:
        row = BoardRow(
            slot,
            clock(slot["starts_at"]),
            clock(slot["ends_at"]),
            slot["starts_at"] <= now < slot["ends_at"],
        )
        if (slot.get("kind") or "session") == "session":
            for room in rooms:
                pitch = placed.get((room["id"], slot["id"]))
                row.cells.append(
                    BoardCell(
                        titles.get(pitch, "") if pitch else None,
                        marks.get(pitch, "") if pitch else "",
                        slot["id"] in (room.get("unavailable") or []),
                    )
                )
        rows.append(row)
    return rows


def _window(slots: list[dict[str, Any]], now: str) -> list[dict[str, Any]]:
    sessions = [i for i, s in enumerate(slots) if (s.get("kind") or "session") == "session"]
    if len(sessions) <= BOARD_SLOTS:
        return slots
    ahead = [i for i in sessions if slots[i]["ends_at"] > now]
    first = min(sessions.index(ahead[0]) if ahead else len(sessions), len(sessions) - BOARD_SLOTS)
    start = sessions[first]
    end = sessions[first + BOARD_SLOTS - 1]
    return slots[start : end + 1]
