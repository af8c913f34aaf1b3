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

The sentences are written in English, marked for the catalogue, and said in the language of
the request or socket that asks (server.language.current()), each whole, with its figures
and the organiser's own words (a slot's label) filled into named placeholders afterwards.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from server.language import N_, gettext, ngettext

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
# Staff sentences are filled with the moment's figures (%(joined)s, %(voted)s) once said.
WORDS: dict[Stage, dict[Audience, tuple[str, str]]] = {
    Stage.BEFORE: {
        Audience.ATTENDEE: (
            N_("Pitching hasn't opened yet."),
            N_("When it opens, you can pitch a session here."),
        ),
        Audience.SCREEN: (
            N_("Welcome. Pitching opens soon."),
            N_("Think of a question, a demo or a conversation you would like to start."),
        ),
        Audience.STAFF: (
            N_("Pitching hasn't opened yet: %(joined)s joined so far."),
            N_("Next: open pitching, and show the join QR code on the screen."),
        ),
    },
    Stage.PITCHING: {
        Audience.ATTENDEE: (
            N_("Pitching is open: pitch a session you'd like to run."),
            N_("Voting opens once the pitches are in."),
        ),
        Audience.SCREEN: (
            N_("Pitching is open: pitch a session from your phone."),
            N_("Voting comes next: everyone places dots on the sessions they want."),
        ),
        Audience.STAFF: (
            "",  # counted on the pitches, so said whole in day_of
            N_("Next: tidy and merge the pitches, then open voting."),
        ),
    },
    Stage.VOTING: {
        Audience.ATTENDEE: (
            N_("Voting is open: place your dots on the sessions you want."),
            N_("When voting closes, the facilitators build the grid."),
        ),
        Audience.SCREEN: (
            N_("Voting is open: place your dots on the sessions you want to be in."),
            N_("When voting closes, the sessions are placed in rooms and times."),
        ),
        Audience.STAFF: (
            N_("Voting is open: %(voted)s of %(joined)s have voted."),
            N_("Next: close voting and draft the grid."),
        ),
    },
    Stage.COUNTING: {
        Audience.ATTENDEE: (
            N_("Voting is closed: the dots are being counted."),
            N_("The grid of sessions comes next."),
        ),
        Audience.SCREEN: (
            N_("Pitching and voting are closed: the dots are being counted."),
            N_("The grid comes next: which session is in which room, and when."),
        ),
        Audience.STAFF: (
            N_("Pitching and voting are closed: %(voted)s of %(joined)s voted."),
            N_("Next: allocate the sessions to rooms and times from the votes."),
        ),
    },
    Stage.DRAFTED: {
        Audience.ATTENDEE: (
            N_("The facilitators are building the grid."),
            N_("It shows here the moment it's published."),
        ),
        Audience.SCREEN: (
            N_("The grid is being put together."),
            N_("It appears here and on every phone when it is published."),
        ),
        Audience.STAFF: (
            N_("The grid is drafted but not published: only staff see it."),
            N_("Next: check the grid, then publish it to every phone and screen."),
        ),
    },
}
# While pitching stays open beside voting, the screen and staff say so.
BOTH_OPEN: dict[Audience, str] = {
    Audience.SCREEN: N_(
        "Pitching and voting are open: place your dots on the sessions you want to be in."
    ),
    Audience.STAFF: N_("Pitching and voting are open: %(voted)s of %(joined)s have voted."),
}


def _said(message: str, **figures: Any) -> str:
    """``message`` (as marked) in the asker's language, its placeholders filled."""
    return gettext(message) % figures if figures else gettext(message)


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
    if stage is Stage.VOTING and moment.pitching_open and audience in BOTH_OPEN:
        said = BOTH_OPEN[audience]
    figures = {"joined": moment.joined, "voted": moment.voted}
    if stage is Stage.PITCHING and audience is Audience.STAFF:
        now_said = ngettext(
            "Pitching is open: %(pitches)s pitch so far, %(joined)s joined.",
            "Pitching is open: %(pitches)s pitches so far, %(joined)s joined.",
            moment.pitches,
        ) % {"pitches": moment.pitches, "joined": moment.joined}
    else:
        now_said = gettext(said) % figures if "%(" in said else gettext(said)
    return Day(stage, now_said, gettext(then))


def _timetable(moment: Moment, slots: list[Mapping[str, Any]], now: str, audience: Audience) -> Day:
    current = next((s for s in slots if s["starts_at"] <= now < s["ends_at"]), None)
    later = [s for s in slots if s["starts_at"] >= (current["ends_at"] if current else now)]
    coming = _coming(later[0], now, audience) if later else None
    if current is not None and (current.get("kind") or "session") == "session":
        return Day(
            Stage.RUNNING,
            _running(current, audience),
            coming or gettext("These are the last sessions of the day."),
            current["id"],
        )
    if current is not None:
        ends = _clock(current["ends_at"])
        if current["label"]:
            said = _said(N_("%(label)s until %(ends)s"), label=current["label"], ends=ends)
        elif current["kind"] == "break":
            said = _said(N_("Break until %(ends)s"), ends=ends)
        else:
            said = _said(N_("Plenary until %(ends)s"), ends=ends)
        return Day(
            Stage.BETWEEN,
            _stopped(said, audience),
            coming or gettext("That is the end of the day."),
            current["id"],
        )
    if coming is None and slots:
        if moment.proceedings:
            return _proceedings(moment, audience)
        said, then = {
            Audience.ATTENDEE: (
                N_("The sessions are over: thank you for coming."),
                N_("The write-ups will be shared here when they're ready."),
            ),
            Audience.SCREEN: (
                N_("That's all: no more sessions."),
                N_("Thank you for coming. Write-ups of the sessions follow."),
            ),
            Audience.STAFF: (
                N_("The sessions are over."),
                N_("Next: check the write-ups, then publish the proceedings."),
            ),
        }[audience]
        return Day(Stage.FINISHED, gettext(said), gettext(then))
    if coming is not None and any(s["ends_at"] <= now for s in slots):
        return Day(Stage.BETWEEN, gettext("Between sessions."), coming)
    said, then = {
        Audience.ATTENDEE: (
            N_("The grid is out: choose where you'll be."),
            N_("Sessions will be added to it."),
        ),
        Audience.SCREEN: (
            N_("The grid is published: find your sessions on your phone."),
            N_("The times of the day follow."),
        ),
        Audience.STAFF: (
            N_("The grid is published: every phone and screen shows it."),
            N_("Next: add the time slots of the day."),
        ),
    }[audience]
    return Day(Stage.PUBLISHED, gettext(said), coming or gettext(then))


def _running(slot: Mapping[str, Any], audience: Audience) -> str:
    """What is on while a slot of sessions runs; its label is the organiser's own words."""
    ends, label = _clock(slot["ends_at"]), slot["label"]
    if audience == Audience.ATTENDEE:
        return _said(N_("Sessions are running until %(ends)s."), ends=ends)
    if audience == Audience.SCREEN:
        if label:
            return _said(N_("%(label)s, until %(ends)s"), label=label, ends=ends)
        return _said(N_("Sessions, until %(ends)s"), ends=ends)
    if label:
        return _said(N_("%(label)s: sessions are running until %(ends)s."), label=label, ends=ends)
    return _said(N_("Sessions are running until %(ends)s."), ends=ends)


def _proceedings(moment: Moment, audience: Audience) -> Day:
    said, then = {
        Audience.ATTENDEE: (
            N_("The write-ups of every session are published."),
            N_("Read the proceedings, and follow up the actions."),
        ),
        Audience.SCREEN: (
            N_("That's all: no more sessions."),
            N_("Thank you for coming. The write-ups of the sessions are online."),
        ),
        Audience.STAFF: (
            N_("The proceedings are published: anyone with the link can read them."),
            N_("Next: download the archive, then erase personal data once you no longer need it."),
        ),
    }[audience]
    return Day(Stage.PROCEEDINGS, gettext(said), gettext(then))


# What comes next, by the kind of an unnamed slot: today, and on another day.
COMING: dict[str, tuple[str, str]] = {
    "session": (N_("Next: sessions at %(at)s"), N_("Next, on %(day)s: sessions at %(at)s")),
    "break": (N_("Next: a break at %(at)s"), N_("Next, on %(day)s: a break at %(at)s")),
    "plenary": (N_("Next: the plenary at %(at)s"), N_("Next, on %(day)s: the plenary at %(at)s")),
}


def _coming(slot: Mapping[str, Any], now: str, audience: Audience) -> str:
    day, at = slot["starts_at"][:10], _clock(slot["starts_at"])
    today = day == now[:10]
    kind = slot.get("kind") or "session"
    if audience == Audience.ATTENDEE and kind == "session":
        if today:
            return _said(N_("Next sessions start at %(at)s."), at=at)
        return _said(N_("Next sessions start on %(day)s at %(at)s."), day=day, at=at)
    if slot["label"]:
        if today:
            said = _said(N_("Next: %(label)s at %(at)s"), label=slot["label"], at=at)
        else:
            said = _said(
                N_("Next, on %(day)s: %(label)s at %(at)s"), day=day, label=slot["label"], at=at
            )
    else:
        on_the_day, on_another = COMING.get(kind, COMING["plenary"])
        said = _said(on_the_day if today else on_another, day=day, at=at)
    return _stopped(said, audience)


def _stopped(said: str, audience: Audience) -> str:
    """A screen's line reads as a heading, without a full stop; a phone's and staff's as a
    sentence, with one."""
    return said if audience == Audience.SCREEN else said + "."


def _clock(local: str) -> str:
    return local[11:16]
