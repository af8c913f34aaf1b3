"""Releases of the grid in words, for the releases page: each change says which session goes
where, with the room and time people know, from the staff snapshot the page is drawn from."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_date

from server.language import N_, current, ngettext
from server.language import gettext as _
from server.language.formats import number, time
from server.pages import words

KINDS = {"publish": N_("Published"), "unpublish": N_("Unpublished")}


class Namer:
    def __init__(self, state: dict[str, Any]) -> None:
        self.pitches = {p["id"]: p["title"] for p in state["pitches"]}
        self.rooms = {r["id"]: r["name"] for r in state["rooms"]}
        self.slots = {s["id"]: s for s in state["slots"]}

    def title(self, pitch: int) -> str:
        found = self.pitches.get(pitch) or _("Session %(n)s") % {"n": pitch}
        return f"“{found}”"

    def where(self, cell: dict[str, int]) -> str:
        room = self.rooms.get(cell["room"]) or _("a room since removed")
        slot = self.slots.get(cell["slot"])
        if slot is None:
            return _("%(room)s, a slot since removed") % {"room": room}
        return f"{room}, {words.slot_words(slot)}"

    def change(self, change: dict[str, Any]) -> str:
        title, was, now = self.title(change["pitch"]), change["from"], change["to"]
        if was is None:
            return _("%(title)s is added in %(where)s.") % {
                "title": title,
                "where": self.where(now),
            }
        if now is None:
            return _("%(title)s comes off the grid (it was in %(where)s).") % {
                "title": title,
                "where": self.where(was),
            }
        return _("%(title)s moves from %(was)s to %(now)s.") % {
            "title": title,
            "was": self.where(was),
            "now": self.where(now),
        }


def summary(found: dict[str, Any], ahead: bool = True) -> list[str]:
    """The counts a facilitator weighs before publishing (``ahead``) or reads afterwards."""
    seats = found["seat_claims"]
    held = seats["seated"] + seats["waiting"]
    people = found["people"]
    moved, rooms = len(found["changes"]), found["rooms_changed"]
    return [
        ngettext("%(n)s session changes place.", "%(n)s sessions change place.", moved)
        % {"n": number(moved)},
        ngettext("%(n)s session changes room.", "%(n)s sessions change room.", rooms)
        % {"n": number(rooms)},
        (
            ngettext(
                "%(n)s person will see their agenda change and get one notice on their phone.",
                "%(n)s people will see their agenda change and get one notice on their phone.",
                people,
            )
            if ahead
            else ngettext(
                "%(n)s person voted for, chose or claimed a seat in a session that changed.",
                "%(n)s people voted for, chose or claimed a seat in a session that changed.",
                people,
            )
        )
        % {"n": number(people)},
        ngettext(
            "%(n)s seat claim affected (%(seated)s with a seat, %(waiting)s waiting).",
            "%(n)s seat claims affected (%(seated)s with a seat, %(waiting)s waiting).",
            held,
        )
        % {
            "n": number(held),
            "seated": number(seats["seated"]),
            "waiting": number(seats["waiting"]),
        },
    ]


def release_words(entry: dict[str, Any]) -> str:
    if entry["kind"] == "rollback":
        return _("Rolled back to release %(number)s") % {"number": entry["source"]}
    kind = str(entry["kind"])
    return _(KINDS[kind]) if kind in KINDS else kind


def when(at: str, zone: str) -> str:
    """When a release was made, on the event's clock."""
    local = dt.datetime.fromisoformat(at).astimezone(ZoneInfo(zone))
    return _("%(day)s at %(time)s") % {
        "day": format_date(local.date(), "d MMMM", locale=current()),
        "time": time(local.time()),
    }
