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


def places_words(going: int, capacity: int) -> str:
    if going > capacity:
        return f"{going} going, {plural(capacity, 'place')}: it may be full"
    return f"{going} of {plural(capacity, 'place')}"


def seat_words(mine: dict[str, Any] | None, counts: dict[str, int] | None) -> str:
    if mine and mine["status"] == "seated":
        return "You have a seat."
    if mine:
        ahead = mine.get("ahead") or 0
        return (
            f"You're on the waiting list: {ahead} ahead of you."
            if ahead
            else "You're next on the waiting list."
        )
    if not counts:
        return "Small room: claim a seat to be sure of one."
    free = max(0, counts["capacity"] - counts["seated"])
    if free:
        return f"{plural(free, 'seat')} free of {counts['capacity']}."
    return (
        f"Full: {counts['seated']} of {counts['capacity']} seats taken, "
        f"{counts['waiting']} waiting."
    )
