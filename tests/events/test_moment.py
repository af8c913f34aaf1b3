"""Every state of the day has words for what is happening and what comes next."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import pytest

from server.events.moment import moment

SLOTS = [
    {"starts_at": "2026-11-23T10:00", "ends_at": "2026-11-23T10:45", "kind": "session"},
    {"starts_at": "2026-11-23T10:45", "ends_at": "2026-11-23T11:00", "kind": "break"},
    {"starts_at": "2026-11-23T11:00", "ends_at": "2026-11-23T11:45", "kind": "session"},
    {"starts_at": "2026-11-23T12:00", "ends_at": "2026-11-23T12:45", "kind": "session"},
]


@dataclass
class Facts:
    pitching_open: bool = False
    voting_open: bool = False
    grid_version: int = 0
    grid_live: bool = False
    proceedings_published: bool = False
    timezone: str = "Europe/London"


def at(clock: str) -> datetime:
    """A moment on the day, in UTC (London is on UTC in November)."""
    return datetime.fromisoformat(f"2026-11-23T{clock}:00").replace(tzinfo=UTC)


LIVE = Facts(grid_live=True, grid_version=3)
CASES = [
    (Facts(pitching_open=False), False, "09:00", "before", "Pitching hasn't opened yet."),
    (Facts(pitching_open=True), False, "09:00", "pitching", "Pitching is open"),
    (Facts(pitching_open=True, voting_open=True), True, "09:00", "voting", "Voting is open"),
    (Facts(), True, "09:30", "counting", "the dots are being counted"),
    (Facts(grid_version=2), True, "09:40", "drafting", "building the grid"),
    (LIVE, True, "09:50", "published", "The grid is out"),
    (LIVE, True, "10:10", "running", "running until 10:45"),
    (LIVE, True, "10:50", "between", "Break until 11:00."),
    (LIVE, True, "11:50", "between", "Between sessions."),
    (LIVE, True, "12:10", "running", "running until 12:45"),
    (LIVE, True, "13:00", "finished", "The sessions are over"),
    (Facts(grid_live=True, proceedings_published=True), True, "18:00", "proceedings", "write-ups"),
]


@pytest.mark.parametrize(("facts", "pitched", "clock", "key", "words"), CASES)
def test_each_state_of_the_day_says_what_now_and_next(
    facts: Facts, pitched: bool, clock: str, key: str, words: str
) -> None:
    found = moment(facts, SLOTS, at(clock), pitched=pitched)
    assert (found.key, words in found.now) == (key, True)
    assert found.next, f"{key} says nothing of what comes next"


def test_what_comes_next_names_the_time() -> None:
    assert moment(LIVE, SLOTS, at("09:50"), pitched=True).next == "Next sessions start at 10:00."
    assert moment(LIVE, SLOTS, at("10:50"), pitched=True).next == "Next sessions start at 11:00."
    last = moment(LIVE, SLOTS, at("12:10"), pitched=True)
    assert last.next == "These are the last sessions of the day."


def test_time_is_read_in_the_event_time_zone() -> None:
    summer = [{"starts_at": "2026-07-01T10:00", "ends_at": "2026-07-01T11:00", "kind": "session"}]
    # 09:30 UTC is 10:30 in London in July.
    now = datetime(2026, 7, 1, 9, 30, tzinfo=UTC)
    assert moment(LIVE, summer, now, pitched=True).key == "running"


def test_a_published_grid_with_no_sessions_yet_is_not_an_empty_screen() -> None:
    found = moment(LIVE, [], at("09:00"), pitched=True)
    assert found.as_json() == {
        "key": "published",
        "now": "The grid is out: choose where you'll be.",
        "next": "Sessions will be added to it.",
    }
