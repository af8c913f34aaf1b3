"""Releases of the grid in words, for the releases page: each change says which session goes
where, with the room and time people know, from the staff snapshot the page is drawn from."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from server.pages import words

KINDS = {"publish": "Published", "rollback": "Rolled back", "unpublish": "Unpublished"}


class Namer:
    def __init__(self, state: dict[str, Any]) -> None:
        self.pitches = {p["id"]: p["title"] for p in state["pitches"]}
        self.rooms = {r["id"]: r["name"] for r in state["rooms"]}
        self.slots = {s["id"]: s for s in state["slots"]}

    def title(self, pitch: int) -> str:
        return f"“{self.pitches.get(pitch, f'Session {pitch}')}”"

    def where(self, cell: dict[str, int]) -> str:
        room = self.rooms.get(cell["room"], "a room since removed")
        slot = self.slots.get(cell["slot"])
        return f"{room}, {words.slot_words(slot)}" if slot else f"{room}, a slot since removed"

    def change(self, change: dict[str, Any]) -> str:
        title, was, now = self.title(change["pitch"]), change["from"], change["to"]
        if was is None:
            return f"{title} is added in {self.where(now)}."
        if now is None:
            return f"{title} comes off the grid (it was in {self.where(was)})."
        return f"{title} moves from {self.where(was)} to {self.where(now)}."


def summary(found: dict[str, Any], ahead: bool = True) -> list[str]:
    """The counts a facilitator weighs before publishing (``ahead``) or reads afterwards."""
    seats = found["seat_claims"]
    held = seats["seated"] + seats["waiting"]
    people = words.plural(found["people"], "person", "people")
    return [
        f"{_sessions(len(found['changes']))} place.",
        f"{_sessions(found['rooms_changed'])} room.",
        f"{people} will see their agenda change and get one notice on their phone."
        if ahead
        else f"{people} voted for, chose or claimed a seat in a session that changed.",
        f"{words.plural(held, 'seat claim')} affected "
        f"({seats['seated']} with a seat, {seats['waiting']} waiting).",
    ]


def _sessions(n: int) -> str:
    return f"{words.plural(n, 'session')} {'changes' if n == 1 else 'change'}"


def release_words(entry: dict[str, Any]) -> str:
    kind = KINDS.get(str(entry["kind"]), str(entry["kind"]))
    if entry["kind"] == "rollback":
        return f"{kind} to release {entry['source']}"
    return kind


def when(at: str, zone: str) -> str:
    """When a release was made, on the event's clock."""
    local = dt.datetime.fromisoformat(at).astimezone(ZoneInfo(zone))
    return f"{local.day} {local:%B} at {local:%H:%M}"
