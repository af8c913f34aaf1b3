"""Where the day has got to: what is happening and what comes next, in every state from before
pitching opens to the published proceedings, so no page or screen is ever empty.

One account of the day for every page: the attendee's phone, the shared screens (projector,
now and next, the board) and the staff pages. The states and the slot they are in are the
same for everyone; only the words differ by ``Audience``: an attendee is told what to do on
their phone, a screen speaks to the room, and staff are told how far the day has got and what
they do next.

Worked out from the event's switches, whether a grid has been drafted or published, the slots
and the event's own wall clock ("YYYY-MM-DDTHH:MM"). web/static/js/day.js follows the same rules
in the browser, with the sentences this module gives it (``words``), so a page moves on between
changes as the clock passes a slot's end.

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

from server.language import N_, Nn_, gettext, ngettext, plural_forms

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


Said = str | tuple[str, str]  # a message, or a counted message's singular and plural

# Every sentence the day is told in, by what it says: "voting" is what is happening while voting
# is open and "voting_next" what comes next; placeholders are filled with the moment's figures
# (%(joined)s, %(voted)s, %(pitches)s), a slot's times (%(ends)s, %(at)s, %(day)s) and the
# organiser's own words (%(label)s). web/static/js/day.js is given the same table, said in the
# page's language (``words``, the day panel's data-words in partials/day.html), and only fills
# it in: one set of sentences for the server and the browser.
EVERYONE: dict[str, Said] = {
    "last": N_("These are the last sessions of the day."),
    "end": N_("That is the end of the day."),
    "between": N_("Between sessions."),
    "until_named": N_("%(label)s until %(ends)s"),
    "until_break": N_("Break until %(ends)s"),
    "until_plenary": N_("Plenary until %(ends)s"),
    "coming_named": N_("Next: %(label)s at %(at)s"),
    "coming_named_on": N_("Next, on %(day)s: %(label)s at %(at)s"),
    "coming_session": N_("Next: sessions at %(at)s"),
    "coming_session_on": N_("Next, on %(day)s: sessions at %(at)s"),
    "coming_break": N_("Next: a break at %(at)s"),
    "coming_break_on": N_("Next, on %(day)s: a break at %(at)s"),
    "coming_plenary": N_("Next: the plenary at %(at)s"),
    "coming_plenary_on": N_("Next, on %(day)s: the plenary at %(at)s"),
}
WORDS: dict[Audience, dict[str, Said]] = {
    Audience.ATTENDEE: {
        "before": N_("Pitching hasn't opened yet."),
        "before_next": N_("When it opens, you can pitch a session here."),
        "pitching": N_("Pitching is open: pitch a session you'd like to run."),
        "pitching_next": N_("Voting opens once the pitches are in."),
        "voting": N_("Voting is open: place your dots on the sessions you want."),
        "voting_next": N_("When voting closes, the facilitators build the grid."),
        "counting": N_("Voting is closed: the dots are being counted."),
        "counting_next": N_("The grid of sessions comes next."),
        "drafted": N_("The facilitators are building the grid."),
        "drafted_next": N_("It shows here the moment it's published."),
        "published": N_("The grid is out: choose where you'll be."),
        "published_next": N_("Sessions will be added to it."),
        "running": N_("Sessions are running until %(ends)s."),
        "running_named": N_("Sessions are running until %(ends)s."),
        "coming_sessions": N_("Next sessions start at %(at)s."),
        "coming_sessions_on": N_("Next sessions start on %(day)s at %(at)s."),
        "finished": N_("The sessions are over: thank you for coming."),
        "finished_next": N_("The write-ups will be shared here when they're ready."),
        "proceedings": N_("The write-ups of every session are published."),
        "proceedings_next": N_("Read the proceedings, and follow up the actions."),
    },
    Audience.SCREEN: {
        "before": N_("Welcome. Pitching opens soon."),
        "before_next": N_("Think of a question, a demo or a conversation you would like to start."),
        "pitching": N_("Pitching is open: pitch a session from your phone."),
        "pitching_next": N_("Voting comes next: everyone places dots on the sessions they want."),
        "voting": N_("Voting is open: place your dots on the sessions you want to be in."),
        "both_open": N_(
            "Pitching and voting are open: place your dots on the sessions you want to be in."
        ),
        "voting_next": N_("When voting closes, the sessions are placed in rooms and times."),
        "counting": N_("Pitching and voting are closed: the dots are being counted."),
        "counting_next": N_("The grid comes next: which session is in which room, and when."),
        "drafted": N_("The grid is being put together."),
        "drafted_next": N_("It appears here and on every phone when it is published."),
        "published": N_("The grid is published: find your sessions on your phone."),
        "published_next": N_("The times of the day follow."),
        "running": N_("Sessions, until %(ends)s"),
        "running_named": N_("%(label)s, until %(ends)s"),
        "finished": N_("That's all: no more sessions."),
        "finished_next": N_("Thank you for coming. Write-ups of the sessions follow."),
        "proceedings": N_("That's all: no more sessions."),
        "proceedings_next": N_("Thank you for coming. The write-ups of the sessions are online."),
    },
    Audience.STAFF: {
        "before": N_("Pitching hasn't opened yet: %(joined)s joined so far."),
        "before_next": N_("Next: open pitching, and show the join QR code on the screen."),
        "pitching": Nn_(
            "Pitching is open: %(pitches)s pitch so far, %(joined)s joined.",
            "Pitching is open: %(pitches)s pitches so far, %(joined)s joined.",
        ),
        "pitching_next": N_("Next: tidy and merge the pitches, then open voting."),
        "voting": N_("Voting is open: %(voted)s of %(joined)s have voted."),
        "both_open": N_("Pitching and voting are open: %(voted)s of %(joined)s have voted."),
        "voting_next": N_("Next: close voting and draft the grid."),
        "counting": N_("Pitching and voting are closed: %(voted)s of %(joined)s voted."),
        "counting_next": N_("Next: allocate the sessions to rooms and times from the votes."),
        "drafted": N_("The grid is drafted but not published: only staff see it."),
        "drafted_next": N_("Next: check the grid, then publish it to every phone and screen."),
        "published": N_("The grid is published: every phone and screen shows it."),
        "published_next": N_("Next: add the time slots of the day."),
        "running": N_("Sessions are running until %(ends)s."),
        "running_named": N_("%(label)s: sessions are running until %(ends)s."),
        "finished": N_("The sessions are over."),
        "finished_next": N_("Next: check the write-ups, then publish the proceedings."),
        "proceedings": N_("The proceedings are published: anyone with the link can read them."),
        "proceedings_next": N_(
            "Next: download the archive, then erase personal data once you no longer need it."
        ),
    },
}


def words(audience: Audience | str) -> dict[str, str | list[str]]:
    """Every sentence an audience is told, in the asker's language, for web/static/js/day.js
    to fill in as this module does: a counted one as the language's plural forms."""
    table = {**EVERYONE, **WORDS[Audience(audience)]}
    return {k: plural_forms(*s) if isinstance(s, tuple) else gettext(s) for k, s in table.items()}


def _say(audience: Audience, key: str, **figures: Any) -> str:
    """The sentence ``key`` for ``audience`` in the asker's language, its placeholders filled;
    a counted one is counted on ``figures["pitches"]``."""
    said = WORDS[audience].get(key) or EVERYONE[key]
    if isinstance(said, tuple):
        return ngettext(*said, figures["pitches"]) % figures
    return gettext(said) % figures


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
        return _told(Stage.PROCEEDINGS, audience)
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
    key = stage.value
    if stage is Stage.VOTING and moment.pitching_open and "both_open" in WORDS[audience]:
        key = "both_open"
    figures = {"joined": moment.joined, "voted": moment.voted, "pitches": moment.pitches}
    return Day(stage, _say(audience, key, **figures), _say(audience, f"{stage.value}_next"))


def _told(stage: Stage, audience: Audience, slot: int | None = None) -> Day:
    """A stage said as it is written, with nothing to fill in."""
    return Day(stage, _say(audience, stage.value), _say(audience, f"{stage.value}_next"), slot)


def _timetable(moment: Moment, slots: list[Mapping[str, Any]], now: str, audience: Audience) -> Day:
    current = next((s for s in slots if s["starts_at"] <= now < s["ends_at"]), None)
    later = [s for s in slots if s["starts_at"] >= (current["ends_at"] if current else now)]
    coming = _coming(later[0], now, audience) if later else None
    if current is not None and (current.get("kind") or "session") == "session":
        key = "running_named" if current["label"] else "running"
        said = _say(audience, key, label=current["label"], ends=_clock(current["ends_at"]))
        return Day(Stage.RUNNING, said, coming or _say(audience, "last"), current["id"])
    if current is not None:
        if current["label"]:
            key = "until_named"
        else:
            key = "until_break" if current["kind"] == "break" else "until_plenary"
        said = _say(audience, key, label=current["label"], ends=_clock(current["ends_at"]))
        return Day(
            Stage.BETWEEN,
            _stopped(said, audience),
            coming or _say(audience, "end"),
            current["id"],
        )
    if coming is None and slots:
        return _told(Stage.PROCEEDINGS if moment.proceedings else Stage.FINISHED, audience)
    if coming is not None and any(s["ends_at"] <= now for s in slots):
        return Day(Stage.BETWEEN, _say(audience, "between"), coming)
    published = _told(Stage.PUBLISHED, audience)
    return Day(Stage.PUBLISHED, published.now, coming or published.next)


def _coming(slot: Mapping[str, Any], now: str, audience: Audience) -> str:
    day, at, label = slot["starts_at"][:10], _clock(slot["starts_at"]), slot["label"]
    on = "" if day == now[:10] else "_on"
    kind = slot.get("kind") or "session"
    if audience == Audience.ATTENDEE and kind == "session":
        return _say(audience, f"coming_sessions{on}", day=day, at=at)
    if label:
        key = "coming_named"
    else:
        key = f"coming_{kind if kind in ('session', 'break') else 'plenary'}"
    return _stopped(_say(audience, key + on, day=day, label=label, at=at), audience)


def _stopped(said: str, audience: Audience) -> str:
    """A screen's line reads as a heading, without a full stop; a phone's and staff's as a
    sentence, with one."""
    return said if audience == Audience.SCREEN else said + "."


def _clock(local: str) -> str:
    return local[11:16]
