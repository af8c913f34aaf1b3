"""Where the day has got to, in every state the shared screens show."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from server.events.day import Moment, Stage, day_of

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
    day = day_of(moment, SLOTS, "2026-11-23T10:10")
    assert (day.stage, day.now) == (stage, now)
    assert day.next and day.slot is None


def test_a_published_grid_outranks_the_switches() -> None:
    day = day_of(replace(LIVE, voting_open=True), SLOTS, "2026-11-23T09:00")
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
            "Next, on 2026-11-24: sessions at 10:00",
            3,
        ),
        (
            "2026-11-23T12:00",
            Stage.BETWEEN,
            "Between sessions.",
            "Next, on 2026-11-24: sessions at 10:00",
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
    day = day_of(LIVE, SLOTS, now)
    assert (day.stage, day.now, day.next, day.slot) == (stage, said, then, slot)


def test_the_last_session_and_the_write_ups() -> None:
    last = SLOTS[:3]
    assert day_of(LIVE, last, "2026-11-23T11:10").next == "These are the last sessions of the day."
    done = day_of(replace(LIVE, proceedings=True), last, "2026-11-23T18:00")
    assert done.next == "Thank you for coming. The write-ups of the sessions are online."


def test_a_published_grid_without_slots_is_not_over() -> None:
    day = day_of(LIVE, [], "2026-11-23T10:00")
    assert (day.stage, day.next) == (Stage.PUBLISHED, "The times of the day follow.")
