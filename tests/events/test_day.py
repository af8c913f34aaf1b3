"""Where the day has got to, in every state, in the words of each audience: the shared screens,
the attendee's phone and the staff pages."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

import pytest

from server import language
from server.events.day import Audience, Moment, Stage, day_of, local_now, words
from server.language.catalogues import translations

SLOTS: list[dict[str, Any]] = [
    {
        "id": 3,
        "starts_at": "2026-11-23T11:00",
        "ends_at": "2026-11-23T11:45",
        "label": "",
        "kind": "session",
    },
    {
        "id": 1,
        "starts_at": "2026-11-23T10:00",
        "ends_at": "2026-11-23T10:45",
        "label": "Morning",
        "kind": "session",
    },
    {
        "id": 2,
        "starts_at": "2026-11-23T10:45",
        "ends_at": "2026-11-23T11:00",
        "label": "Coffee",
        "kind": "break",
    },
    {
        "id": 4,
        "starts_at": "2026-11-24T10:00",
        "ends_at": "2026-11-24T11:00",
        "label": "",
        "kind": "plenary",
    },
]
FRESH = Moment(
    pitching_open=False, voting_open=False, pitches=0, drafted=False, live=False, proceedings=False
)
LIVE = replace(FRESH, pitches=5, drafted=True, live=True)


@pytest.mark.parametrize(
    ("moment", "stage", "now"),
    [
        (FRESH, Stage.BEFORE, "Welcome. Pitching opens soon."),
        (
            replace(FRESH, pitching_open=True),
            Stage.PITCHING,
            "Pitching is open: pitch a session from your phone.",
        ),
        (
            replace(FRESH, voting_open=True),
            Stage.VOTING,
            "Voting is open: place your dots on the sessions you want to be in.",
        ),
        (
            replace(FRESH, pitching_open=True, voting_open=True),
            Stage.VOTING,
            "Pitching and voting are open: place your dots on the sessions you want to be in.",
        ),
        (
            replace(FRESH, pitches=4),
            Stage.COUNTING,
            "Pitching and voting are closed: the dots are being counted.",
        ),
        (replace(FRESH, pitches=4, drafted=True), Stage.DRAFTED, "The grid is being put together."),
    ],
)
def test_the_marketplace_says_where_it_is(moment: Moment, stage: Stage, now: str) -> None:
    day = day_of(moment, SLOTS, "2026-11-23T10:10", Audience.SCREEN)
    assert (day.stage, day.now) == (stage, now)
    assert day.next and day.slot is None


def test_a_published_grid_outranks_the_switches() -> None:
    day = day_of(replace(LIVE, voting_open=True), SLOTS, "2026-11-23T09:00", Audience.SCREEN)
    assert day.stage is Stage.PUBLISHED
    assert day.next == "Next: Morning at 10:00"


@pytest.mark.parametrize(
    ("now", "stage", "said", "then", "slot"),
    [
        ("2026-11-23T10:00", Stage.RUNNING, "Morning, until 10:45", "Next: Coffee at 10:45", 1),
        ("2026-11-23T10:50", Stage.BETWEEN, "Coffee until 11:00", "Next: sessions at 11:00", 2),
        (
            "2026-11-23T11:44",
            Stage.RUNNING,
            "Sessions, until 11:45",
            "Next, on 2026-11-24: the plenary at 10:00",
            3,
        ),
        (
            "2026-11-23T12:00",
            Stage.BETWEEN,
            "Between sessions.",
            "Next, on 2026-11-24: the plenary at 10:00",
            None,
        ),
        (
            "2026-11-24T10:30",
            Stage.BETWEEN,
            "Plenary until 11:00",
            "That is the end of the day.",
            4,
        ),
        (
            "2026-11-24T11:00",
            Stage.FINISHED,
            "That's all: no more sessions.",
            "Thank you for coming. Write-ups of the sessions follow.",
            None,
        ),
    ],
)
def test_the_timetable_says_what_is_on_and_what_comes_next(
    now: str, stage: Stage, said: str, then: str, slot: int | None
) -> None:
    day = day_of(LIVE, SLOTS, now, Audience.SCREEN)
    assert (day.stage, day.now, day.next, day.slot) == (stage, said, then, slot)


def test_the_last_session_and_the_write_ups() -> None:
    last = SLOTS[:3]
    day = day_of(LIVE, last, "2026-11-23T11:10", Audience.SCREEN)
    assert day.next == "These are the last sessions of the day."
    done = day_of(replace(LIVE, proceedings=True), last, "2026-11-23T18:00", Audience.SCREEN)
    assert done.next == "Thank you for coming. The write-ups of the sessions are online."


def test_a_published_grid_without_slots_is_not_over() -> None:
    day = day_of(LIVE, [], "2026-11-23T10:00", Audience.SCREEN)
    assert (day.stage, day.next) == (Stage.PUBLISHED, "The times of the day follow.")


# The attendee's day: sessions and a break in the morning, one more at noon.
MORNING: list[dict[str, Any]] = [
    {"id": i, "starts_at": f"2026-11-23T{a}", "ends_at": f"2026-11-23T{b}", "label": "", "kind": k}
    for i, (a, b, k) in enumerate(
        [
            ("10:00", "10:45", "session"),
            ("10:45", "11:00", "break"),
            ("11:00", "11:45", "session"),
            ("12:00", "12:45", "session"),
        ],
        start=1,
    )
]
PUBLISHED = replace(FRESH, pitches=3, drafted=True, live=True)


@pytest.mark.parametrize(
    ("moment", "clock", "stage", "words"),
    [
        (FRESH, "09:00", Stage.BEFORE, "Pitching hasn't opened yet."),
        (replace(FRESH, pitching_open=True), "09:00", Stage.PITCHING, "Pitching is open"),
        (
            replace(FRESH, pitching_open=True, voting_open=True),
            "09:00",
            Stage.VOTING,
            "Voting is open",
        ),
        (replace(FRESH, pitches=3), "09:30", Stage.COUNTING, "the dots are being counted"),
        (replace(FRESH, pitches=3, drafted=True), "09:40", Stage.DRAFTED, "building the grid"),
        (PUBLISHED, "09:50", Stage.PUBLISHED, "The grid is out"),
        (PUBLISHED, "10:10", Stage.RUNNING, "running until 10:45"),
        (PUBLISHED, "10:50", Stage.BETWEEN, "Break until 11:00."),
        (PUBLISHED, "11:50", Stage.BETWEEN, "Between sessions."),
        (PUBLISHED, "12:10", Stage.RUNNING, "running until 12:45"),
        (PUBLISHED, "13:00", Stage.FINISHED, "The sessions are over"),
        (replace(PUBLISHED, proceedings=True), "18:00", Stage.PROCEEDINGS, "write-ups"),
    ],
)
def test_the_attendee_is_told_what_now_and_what_next(
    moment: Moment, clock: str, stage: Stage, words: str
) -> None:
    day = day_of(moment, MORNING, f"2026-11-23T{clock}", Audience.ATTENDEE)
    assert (day.stage, words in day.now) == (stage, True)
    assert day.next, f"{stage} says nothing of what comes next"


def test_the_attendee_is_told_when_the_next_sessions_start() -> None:
    def then(clock: str) -> str:
        return day_of(PUBLISHED, MORNING, f"2026-11-23T{clock}", Audience.ATTENDEE).next

    assert then("09:50") == "Next sessions start at 10:00."
    assert then("10:50") == "Next sessions start at 11:00."
    assert then("12:10") == "These are the last sessions of the day."


def test_an_attendee_s_published_grid_with_no_sessions_yet_is_not_an_empty_page() -> None:
    day = day_of(PUBLISHED, [], "2026-11-23T09:00", Audience.ATTENDEE)
    assert day.as_json() == {
        "stage": "published",
        "now": "The grid is out: choose where you'll be.",
        "next": "Sessions will be added to it.",
        "slot": None,
    }


def test_time_is_read_in_the_event_time_zone() -> None:
    # 09:30 UTC is 10:30 in London in July.
    now = local_now("Europe/London", None, dt.datetime(2026, 7, 1, 9, 30, tzinfo=dt.UTC))
    summer = [{"id": 1, "starts_at": "2026-07-01T10:00", "ends_at": "2026-07-01T11:00"}]
    summer[0] |= {"label": "", "kind": "session"}
    assert day_of(PUBLISHED, summer, now, Audience.ATTENDEE).stage is Stage.RUNNING


@pytest.mark.parametrize(
    ("moment", "clock", "now", "next"),
    [
        (
            replace(FRESH, joined=4),
            "09:00",
            "Pitching hasn't opened yet: 4 joined so far.",
            "Next: open pitching, and show the join QR code on the screen.",
        ),
        (
            replace(FRESH, pitching_open=True, pitches=1, joined=12),
            "09:00",
            "Pitching is open: 1 pitch so far, 12 joined.",
            "Next: tidy and merge the pitches, then open voting.",
        ),
        (
            replace(FRESH, voting_open=True, pitches=20, joined=130, voted=84),
            "09:30",
            "Voting is open: 84 of 130 have voted.",
            "Next: close voting and draft the grid.",
        ),
        (
            replace(FRESH, pitches=20, joined=130, voted=120),
            "09:40",
            "Pitching and voting are closed: 120 of 130 voted.",
            "Next: allocate the sessions to rooms and times from the votes.",
        ),
        (
            replace(FRESH, pitches=20, drafted=True),
            "09:45",
            "The grid is drafted but not published: only staff see it.",
            "Next: check the grid, then publish it to every phone and screen.",
        ),
        (
            PUBLISHED,
            "09:50",
            "The grid is published: every phone and screen shows it.",
            "Next: sessions at 10:00.",
        ),
        (
            PUBLISHED,
            "10:10",
            "Sessions are running until 10:45.",
            "Next: a break at 10:45.",
        ),
        (
            PUBLISHED,
            "13:00",
            "The sessions are over.",
            "Next: check the write-ups, then publish the proceedings.",
        ),
        (
            replace(PUBLISHED, proceedings=True),
            "18:00",
            "The proceedings are published: anyone with the link can read them.",
            "Next: download the archive, then erase personal data once you no longer need it.",
        ),
    ],
)
def test_staff_are_told_how_far_the_day_has_got_and_their_next_step(
    moment: Moment, clock: str, now: str, next: str
) -> None:
    day = day_of(moment, MORNING, f"2026-11-23T{clock}", Audience.STAFF)
    assert (day.now, day.next) == (now, next)


def test_the_browser_is_given_every_sentence_said_here_in_the_page_s_language() -> None:
    """web/static/js/day.js only fills in what words() gives it: every key the rules say, for
    each audience, and the same sentence day_of says."""
    stages = [s.value for s in Stage if s not in (Stage.RUNNING, Stage.BETWEEN)]
    for audience in Audience:
        table = words(audience)
        for stage in stages:
            assert {stage, f"{stage}_next"} <= table.keys(), (audience, stage)
        assert {"running", "running_named", "last", "end", "between"} <= table.keys()
        said = day_of(replace(FRESH, pitching_open=True), [], "2026-11-23T09:00", audience)
        assert (said.now, said.next) == (table["pitching"], table["pitching_next"]) or (
            audience is Audience.STAFF
        )
    counted = words(Audience.STAFF)["pitching"]
    assert counted == [
        "Pitching is open: %(pitches)s pitch so far, %(joined)s joined.",
        "Pitching is open: %(pitches)s pitches so far, %(joined)s joined.",
    ]
    with language.speaking("cy"):
        welsh = words(Audience.SCREEN)
        forms = words(Audience.STAFF)["pitching"]
    named = welsh["running_named"]
    assert isinstance(named, str) and "%(label)s" in named and "%(ends)s" in named
    assert (
        named
        == translations("cy").gettext("%(label)s, until %(ends)s")
        != "%(label)s, until %(ends)s"
    )
    assert isinstance(forms, list) and len(forms) == 6 and all("%(pitches)s" in f for f in forms)
