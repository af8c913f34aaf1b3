"""An action's status on each day, from the change log or, when the log is gone, from its last
change alone; and the days a chart shows."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import pairwise

from server.report.actions import Day, Made, Moved, by_day, days_between, status_on

D = date(2027, 3, 18)


def day(n: int) -> date:
    return D + timedelta(days=n)


def test_a_status_is_what_the_last_change_that_day_or_before_made_it() -> None:
    action = Made(1, D, "done", day(5))
    moves = [Moved(1, day(2), "started", "open"), Moved(1, day(5), "done", "started")]
    assert status_on(action, moves, day(-1)) is None  # not written yet
    assert [status_on(action, moves, day(n)) for n in (0, 1, 2, 4, 5, 9)] == [
        "open",
        "open",
        "started",
        "started",
        "done",
        "done",
    ]


def test_without_the_log_an_action_was_open_until_its_last_change() -> None:
    action = Made(1, D, "dropped", day(3))
    assert [status_on(action, [], day(n)) for n in (0, 2, 3)] == ["open", "open", "dropped"]
    assert status_on(Made(2, D, "open", None), [], day(4)) == "open"


def test_counts_by_day_for_every_status() -> None:
    actions = [Made(1, D, "done", day(2)), Made(2, day(1), "open", None)]
    moves = [Moved(1, day(2), "done", "open")]
    assert by_day(actions, moves, [D, day(1), day(2)]) == [
        Day(D, {"open": 1, "started": 0, "done": 0, "dropped": 0}),
        Day(day(1), {"open": 2, "started": 0, "done": 0, "dropped": 0}),
        Day(day(2), {"open": 1, "started": 0, "done": 1, "dropped": 0}),
    ]


def test_days_are_every_day_or_evenly_spaced_ending_on_the_last() -> None:
    assert days_between(D, day(3)) == [D, day(1), day(2), day(3)]
    spaced = days_between(D, day(99), most=10)
    assert len(spaced) == 10 and spaced[-1] == day(99) and spaced[0] >= D
    assert {(b - a).days for a, b in pairwise(spaced)} == {10}
    assert days_between(day(2), D) == [D]  # the last day first: that day alone
