"""The words the pages put around an event's data, the same sentences the live pages use
(web/static/js/ui.js and event.js), so a page reads alike with or without JavaScript."""

from __future__ import annotations

from typing import Any

from server.marketplace.models import FORMAT_NAMES

FORMATS = FORMAT_NAMES


def plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else many or one + 's'}"


def clock(local: str) -> str:
    """The time of a slot's local "YYYY-MM-DDTHH:MM"."""
    return local[11:16]


def slot_words(slot: dict[str, Any]) -> str:
    time = f"{clock(slot['starts_at'])} to {clock(slot['ends_at'])}"
    return f"{time}, {slot['label']}" if slot.get("label") else time


def places_words(going: int | None, capacity: int, counts: dict[str, int] | None = None) -> str:
    """How full a session is: from its seat claims when its places are counted, otherwise from
    how many have it on their agenda (``going``: None while the organiser keeps the totals
    back, when only the room's size is told)."""
    if counts:
        taken = f"{counts['seated']} of {plural(counts['capacity'], 'place')} taken"
        return f"{taken}, {counts['waiting']} on the list" if counts["waiting"] else taken
    if going is None:
        return plural(capacity, "place")
    if going > capacity:
        return f"{going} going, {plural(capacity, 'place')}: it may be full"
    return f"{going} of {plural(capacity, 'place')}"


def standing_words(mine: dict[str, Any]) -> str:
    """Where a person stands in a session (server/grid/seats.py ``standing``)."""
    if mine["status"] == "seated":
        return "A place came free: you have a place." if mine["promoted"] else "You have a place."
    return f"You're number {mine['position']} on the list."


def seat_words(mine: dict[str, Any] | None, counts: dict[str, int] | None) -> str:
    if mine:
        return standing_words(mine)
    if not counts:
        return "Small room: claim a place to be sure of one."
    free = max(0, counts["capacity"] - counts["seated"])
    return f"{plural(free, 'place')} free." if free else "Full: you can join the list."
