"""Where the day has got to: what the shared screens say is happening and what comes next, in
every state from before pitching opens to the last session, so no screen is ever empty.

Worked out from the event's switches, whether a grid has been drafted or published, the slots
and the event's own wall clock ("YYYY-MM-DDTHH:MM"). web/static/js/day.js says the same in the
browser, so a screen moves on between changes as the clock passes a slot's end.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any


class Stage(enum.StrEnum):
    BEFORE = "before"  # nothing open yet
    PITCHING = "pitching"
    VOTING = "voting"
    COUNTING = "counting"  # the marketplace is closed and no grid drafted yet
    DRAFTED = "drafted"  # a grid is being built but isn't published
    PUBLISHED = "published"  # the grid is out, the first session yet to start
    RUNNING = "running"  # sessions on now
    BETWEEN = "between"  # a break, a plenary, or a gap between slots
    FINISHED = "finished"


@dataclass(frozen=True)
class Day:
    stage: Stage
    now: str  # what is happening, in a sentence
    next: str  # what comes next, in a sentence
    slot: int | None = None  # the slot on now, if any


@dataclass(frozen=True)
class Moment:
    """What the day is made of, as every screen's snapshot holds it."""

    pitching_open: bool
    voting_open: bool
    pitches: int  # pitches anyone can see
    drafted: bool  # a grid has been drafted, published or not
    live: bool  # the grid is published
    proceedings: bool  # the write-ups are published


def day_of(moment: Moment, slots: Sequence[Mapping[str, Any]], now: str) -> Day:
    if moment.live:
        return _timetable(moment, sorted(slots, key=lambda s: (s["starts_at"], s["id"])), now)
    if moment.voting_open:
        opened = "Pitching and voting are open" if moment.pitching_open else "Voting is open"
        return Day(
            Stage.VOTING,
            f"{opened}: place your dots on the sessions you want to be in.",
            "When voting closes, the sessions are placed in rooms and times.",
        )
    if moment.pitching_open:
        return Day(
            Stage.PITCHING,
            "Pitching is open: pitch a session from your phone.",
            "Voting comes next: everyone places dots on the sessions they want.",
        )
    if moment.drafted:
        return Day(
            Stage.DRAFTED,
            "The grid is being put together.",
            "It appears here and on every phone when it is published.",
        )
    if moment.pitches:
        return Day(
            Stage.COUNTING,
            "Pitching and voting are closed: the dots are being counted.",
            "The grid comes next: which session is in which room, and when.",
        )
    return Day(
        Stage.BEFORE,
        "Welcome. Pitching opens soon.",
        "Think of a question, a demo or a conversation you would like to start.",
    )


def _timetable(moment: Moment, slots: list[Mapping[str, Any]], now: str) -> Day:
    current = next((s for s in slots if s["starts_at"] <= now < s["ends_at"]), None)
    later = [s for s in slots if s["starts_at"] >= (current["ends_at"] if current else now)]
    coming = _coming(later[0], now) if later else None
    if current is not None and (current.get("kind") or "session") == "session":
        name = current["label"] or "Sessions"
        return Day(
            Stage.RUNNING,
            f"{name}, until {_clock(current['ends_at'])}",
            coming or "These are the last sessions of the day.",
            current["id"],
        )
    if current is not None:
        name = current["label"] or ("Break" if current["kind"] == "break" else "Plenary")
        return Day(
            Stage.BETWEEN,
            f"{name} until {_clock(current['ends_at'])}",
            coming or "That is the end of the day.",
            current["id"],
        )
    if coming is None and slots:
        return Day(Stage.FINISHED, "That's all: no more sessions.", _afterwards(moment))
    if coming is not None and any(s["ends_at"] <= now for s in slots):
        return Day(Stage.BETWEEN, "Between sessions.", coming)
    return Day(
        Stage.PUBLISHED,
        "The grid is published: find your sessions on your phone.",
        coming or "The times of the day follow.",
    )


def _coming(slot: Mapping[str, Any], now: str) -> str:
    day = slot["starts_at"][:10]
    when = "Next" if day == now[:10] else f"Next, on {day}"
    return f"{when}: {slot['label'] or 'sessions'} at {_clock(slot['starts_at'])}"


def _afterwards(moment: Moment) -> str:
    if moment.proceedings:
        return "Thank you for coming. The write-ups of the sessions are online."
    return "Thank you for coming. Write-ups of the sessions follow."


def _clock(local: str) -> str:
    return local[11:16]
