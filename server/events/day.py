"""Where the day has got to: what is happening and what comes next, in every state from before
pitching opens to the published proceedings, so no page or screen is ever empty.

One account of the day for every page: the attendee's phone, the shared screens (projector,
now and next, the board) and the staff pages. The states and the slot they are in are the
same for everyone; only the words differ by ``Audience``: an attendee is told what to do on
their phone, a screen speaks to the room, and staff are told how far the day has got and what
they do next.

Worked out from the event's switches, whether a grid has been drafted or published, the slots
and the event's own wall clock ("YYYY-MM-DDTHH:MM"). web/static/js/day.js says the same in the
browser, so a page moves on between changes as the clock passes a slot's end.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

MINUTE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$")


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
    PROCEEDINGS = "proceedings"  # the day is over and the write-ups are published


class Audience(enum.StrEnum):
    ATTENDEE = "attendee"  # a phone: what to do there
    SCREEN = "screen"  # the projector and the screens around the venue: the whole room
    STAFF = "staff"  # organisers and facilitators: how far the day has got, and their next step


@dataclass(frozen=True)
class Day:
    stage: Stage
    now: str  # what is happening, in a sentence
    next: str  # what comes next, in a sentence
    slot: int | None = None  # the slot on now, if any

    def as_json(self) -> dict[str, Any]:
        return {"stage": self.stage.value, "now": self.now, "next": self.next, "slot": self.slot}


@dataclass(frozen=True)
class Moment:
    """What the day is made of, as every page's snapshot holds it."""

    pitching_open: bool
    voting_open: bool
    pitches: int  # pitches anyone can see
    drafted: bool  # a grid has been drafted, published or not
    live: bool  # the grid is published
    proceedings: bool  # the write-ups are published
    joined: int = 0  # attendees who have joined (staff are told the turnout)
    voted: int = 0  # attendees with a dot placed


def local_now(timezone: str, fixed: str | None = None, now: dt.datetime | None = None) -> str:
    """The event's wall clock as "YYYY-MM-DDTHH:MM"; ``fixed`` (?at=) holds it still for tests."""
    if fixed and MINUTE.match(fixed):
        return fixed
    try:
        zone = ZoneInfo(timezone)
    except (KeyError, ValueError):
        zone = ZoneInfo("UTC")
    return (now or dt.datetime.now(dt.UTC)).astimezone(zone).strftime("%Y-%m-%dT%H:%M")


# The marketplace's states in each audience's words: what is happening, and what comes next.
# Staff sentences are formatted with the moment's figures.
WORDS: dict[Stage, dict[Audience, tuple[str, str]]] = {
    Stage.BEFORE: {
        Audience.ATTENDEE: (
            "Pitching hasn't opened yet.",
            "When it opens, you can pitch a session here.",
        ),
        Audience.SCREEN: (
            "Welcome. Pitching opens soon.",
            "Think of a question, a demo or a conversation you would like to start.",
        ),
        Audience.STAFF: (
            "Pitching hasn't opened yet: {joined} joined so far.",
            "Next: open pitching, and show the join QR code on the screen.",
        ),
    },
    Stage.PITCHING: {
        Audience.ATTENDEE: (
            "Pitching is open: pitch a session you'd like to run.",
            "Voting opens once the pitches are in.",
        ),
        Audience.SCREEN: (
            "Pitching is open: pitch a session from your phone.",
            "Voting comes next: everyone places dots on the sessions they want.",
        ),
        Audience.STAFF: (
            "Pitching is open: {pitches} so far, {joined} joined.",
            "Next: tidy and merge the pitches, then open voting.",
        ),
    },
    Stage.VOTING: {
        Audience.ATTENDEE: (
            "Voting is open: place your dots on the sessions you want.",
            "When voting closes, the facilitators build the grid.",
        ),
        Audience.SCREEN: (
            "{opened}: place your dots on the sessions you want to be in.",
            "When voting closes, the sessions are placed in rooms and times.",
        ),
        Audience.STAFF: (
            "{opened}: {voted} of {joined} have voted.",
            "Next: close voting and draft the grid.",
        ),
    },
    Stage.COUNTING: {
        Audience.ATTENDEE: (
            "Voting is closed: the dots are being counted.",
            "The grid of sessions comes next.",
        ),
        Audience.SCREEN: (
            "Pitching and voting are closed: the dots are being counted.",
            "The grid comes next: which session is in which room, and when.",
        ),
        Audience.STAFF: (
            "Pitching and voting are closed: {voted} of {joined} voted.",
            "Next: allocate the sessions to rooms and times from the votes.",
        ),
    },
    Stage.DRAFTED: {
        Audience.ATTENDEE: (
            "The facilitators are building the grid.",
            "It shows here the moment it's published.",
        ),
        Audience.SCREEN: (
            "The grid is being put together.",
            "It appears here and on every phone when it is published.",
        ),
        Audience.STAFF: (
            "The grid is drafted but not published: only staff see it.",
            "Next: check the grid, then publish it to every phone and screen.",
        ),
    },
}


def day_of(
    moment: Moment,
    slots: Sequence[Mapping[str, Any]],
    now: str,
    audience: Audience,
) -> Day:
    """Where the day is at ``now`` (the event's wall clock), in the words for ``audience``."""
    if moment.live:
        ordered = sorted(slots, key=lambda s: (s["starts_at"], s["id"]))
        return _timetable(moment, ordered, now, audience)
    if moment.proceedings:
        return _proceedings(moment, audience)
    if moment.voting_open:
        stage = Stage.VOTING
    elif moment.pitching_open:
        stage = Stage.PITCHING
    elif moment.drafted:
        stage = Stage.DRAFTED
    elif moment.pitches:
        stage = Stage.COUNTING
    else:
        stage = Stage.BEFORE
    said, then = WORDS[stage][audience]
    figures = {
        "opened": "Pitching and voting are open" if moment.pitching_open else "Voting is open",
        "pitches": _plural(moment.pitches, "pitch", "pitches"),
        "joined": moment.joined,
        "voted": moment.voted,
    }
    return Day(stage, said.format(**figures), then.format(**figures))


def _timetable(moment: Moment, slots: list[Mapping[str, Any]], now: str, audience: Audience) -> Day:
    current = next((s for s in slots if s["starts_at"] <= now < s["ends_at"]), None)
    later = [s for s in slots if s["starts_at"] >= (current["ends_at"] if current else now)]
    coming = _coming(later[0], now, audience) if later else None
    if current is not None and (current.get("kind") or "session") == "session":
        ends = _clock(current["ends_at"])
        name = current["label"] or "Sessions"
        said = {
            Audience.ATTENDEE: f"Sessions are running until {ends}.",
            Audience.SCREEN: f"{name}, until {ends}",
            Audience.STAFF: f"{name}{' are' if name == 'Sessions' else ': sessions are'}"
            f" running until {ends}.",
        }[audience]
        return Day(
            Stage.RUNNING,
            said,
            coming or "These are the last sessions of the day.",
            current["id"],
        )
    if current is not None:
        name = current["label"] or ("Break" if current["kind"] == "break" else "Plenary")
        stop = "" if audience == Audience.SCREEN else "."
        return Day(
            Stage.BETWEEN,
            f"{name} until {_clock(current['ends_at'])}{stop}",
            coming or "That is the end of the day.",
            current["id"],
        )
    if coming is None and slots:
        if moment.proceedings:
            return _proceedings(moment, audience)
        said, then = {
            Audience.ATTENDEE: (
                "The sessions are over: thank you for coming.",
                "The write-ups will be shared here when they're ready.",
            ),
            Audience.SCREEN: (
                "That's all: no more sessions.",
                "Thank you for coming. Write-ups of the sessions follow.",
            ),
            Audience.STAFF: (
                "The sessions are over.",
                "Next: check the write-ups, then publish the proceedings.",
            ),
        }[audience]
        return Day(Stage.FINISHED, said, then)
    if coming is not None and any(s["ends_at"] <= now for s in slots):
        return Day(Stage.BETWEEN, "Between sessions.", coming)
    said, then = {
        Audience.ATTENDEE: (
            "The grid is out: choose where you'll be.",
            "Sessions will be added to it.",
        ),
        Audience.SCREEN: (
            "The grid is published: find your sessions on your phone.",
            "The times of the day follow.",
        ),
        Audience.STAFF: (
            "The grid is published: every phone and screen shows it.",
            "Next: add the time slots of the day.",
        ),
    }[audience]
    return Day(Stage.PUBLISHED, said, coming or then)


def _proceedings(moment: Moment, audience: Audience) -> Day:
    said, then = {
        Audience.ATTENDEE: (
            "The write-ups of every session are published.",
            "Read the proceedings, and follow up the actions.",
        ),
        Audience.SCREEN: (
            "That's all: no more sessions.",
            "Thank you for coming. The write-ups of the sessions are online.",
        ),
        Audience.STAFF: (
            "The proceedings are published: anyone with the link can read them.",
            "Next: download the archive, then erase personal data once you no longer need it.",
        ),
    }[audience]
    return Day(Stage.PROCEEDINGS, said, then)


def _coming(slot: Mapping[str, Any], now: str, audience: Audience) -> str:
    day, at = slot["starts_at"][:10], _clock(slot["starts_at"])
    today = day == now[:10]
    if audience == Audience.ATTENDEE and (slot.get("kind") or "session") == "session":
        return f"Next sessions start{'' if today else ' on ' + day} at {at}."
    when = "Next" if today else f"Next, on {day}"
    stop = "" if audience == Audience.SCREEN else "."  # a screen's line reads as a heading
    return f"{when}: {slot['label'] or _unnamed(slot)} at {at}{stop}"


def _unnamed(slot: Mapping[str, Any]) -> str:
    kind = slot.get("kind") or "session"
    return {"session": "sessions", "break": "a break"}.get(kind, "the plenary")


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _clock(local: str) -> str:
    return local[11:16]
