"""Where the day is, for the attendee's pages: what is happening now and what comes next.

The shared screens say the same of the day in their own words (server/events/day.py); the two
were written side by side and are yet to become one.

Plain data in, two sentences out, so every state of the day has words and no page is empty.
The states run: before pitching opens, pitching, voting, counting, grid drafted but not
published, published (before the first session), session running, between slots, finished,
proceedings ready. Slot times are local to the event ("YYYY-MM-DDTHH:MM"), as stored.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol
from zoneinfo import ZoneInfo


class DayFacts(Protocol):
    """What of an event the day depends on (server/events/models.py ``Event`` has these)."""

    pitching_open: bool
    voting_open: bool
    grid_version: int
    grid_live: bool
    proceedings_published: bool
    timezone: str


@dataclass(frozen=True)
class Moment:
    key: str  # before, pitching, voting, counting, drafting, published, running, between,
    # finished, proceedings
    now: str
    next: str

    def as_json(self) -> dict[str, str]:
        return {"key": self.key, "now": self.now, "next": self.next}


def moment(
    event: DayFacts, slots: Iterable[dict[str, Any]], now: datetime, *, pitched: bool
) -> Moment:
    """Where the day is at ``now`` (aware), given the event's slots and whether anything has
    been pitched."""
    if event.proceedings_published:
        return Moment(
            "proceedings",
            "The write-ups of every session are published.",
            "Read the proceedings, and follow up the actions.",
        )
    if event.grid_live:
        return _on_the_day(sorted(slots, key=lambda s: s["starts_at"]), _local(event, now))
    if event.voting_open:
        return Moment(
            "voting",
            "Voting is open: place your dots on the sessions you want.",
            "When voting closes, the facilitators build the grid.",
        )
    if event.pitching_open:
        return Moment(
            "pitching",
            "Pitching is open: pitch a session you'd like to run.",
            "Voting opens once the pitches are in.",
        )
    if event.grid_version > 0:
        return Moment(
            "drafting",
            "The facilitators are building the grid.",
            "It shows here the moment it's published.",
        )
    if pitched:
        return Moment(
            "counting",
            "Voting is closed: the dots are being counted.",
            "The grid of sessions comes next.",
        )
    return Moment(
        "before", "Pitching hasn't opened yet.", "When it opens, you can pitch a session here."
    )


def _local(event: DayFacts, now: datetime) -> str:
    return now.astimezone(ZoneInfo(event.timezone)).strftime("%Y-%m-%dT%H:%M")


def _on_the_day(slots: list[dict[str, Any]], now: str) -> Moment:
    sessions = [s for s in slots if (s.get("kind") or "session") == "session"]
    upcoming = [s for s in sessions if s["starts_at"] > now]
    following = f"Next sessions start at {_clock(upcoming[0])}." if upcoming else ""
    running = next((s for s in slots if s["starts_at"] <= now < s["ends_at"]), None)
    if running is not None and running in sessions:
        last = "These are the last sessions of the day."
        return Moment(
            "running", f"Sessions are running until {running['ends_at'][11:16]}.", following or last
        )
    if sessions and not upcoming:
        return Moment(
            "finished",
            "The sessions are over: thank you for coming.",
            "The write-ups will be shared here when they're ready.",
        )
    if running is None and (not sessions or now < sessions[0]["starts_at"]):
        return Moment(
            "published",
            "The grid is out: choose where you'll be.",
            following or "Sessions will be added to it.",
        )
    pause = "Between sessions."
    if running is not None:
        name = str(running.get("label") or running["kind"]).capitalize()
        pause = f"{name} until {running['ends_at'][11:16]}."
    return Moment("between", pause, following)


def _clock(slot: dict[str, Any]) -> str:
    return str(slot["starts_at"][11:16])
