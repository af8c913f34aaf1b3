"""The event's actions by status, day by day: how the follow-up has gone since the day.

An action's status on a day is worked out from the event's change log (each ``action.status``
change says what it was and what it became) and, where the log no longer has it (personal
data erased clears the log), from the action's last change alone: open until then.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from math import ceil
from zoneinfo import ZoneInfo

from server.actions.models import STATUSES, ActionItem
from server.events.changes import Change
from server.events.models import Event

MOST_DAYS = 21  # bars in the chart: past this, the days are spaced out evenly


@dataclass(frozen=True)
class Moved:
    """One action's status change, on a day in the event's time zone."""

    action: int
    day: date
    status: str
    was: str


@dataclass(frozen=True)
class Made:
    """An action as it is now: the day it was made, its status and when that was set."""

    id: int
    day: date
    status: str
    status_day: date | None


@dataclass(frozen=True)
class Day:
    day: date
    counts: dict[str, int]  # status -> actions in it at the end of the day

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def status_on(action: Made, moves: Sequence[Moved], day: date) -> str | None:
    """The action's status at the end of ``day`` (None: not made yet). ``moves``: its changes,
    in the order they happened."""
    if action.day > day:
        return None
    before = [m for m in moves if m.day <= day]
    if before:
        return before[-1].status
    if moves:
        return moves[0].was
    if action.status_day is not None and action.status_day > day:
        return "open"  # the log is gone: all that is known is when it last changed
    return action.status


def days_between(first: date, last: date, most: int = MOST_DAYS) -> list[date]:
    """Every day from ``first`` to ``last``, or at most ``most`` of them evenly spaced, the
    last day always among them."""
    span = (last - first).days
    if span < 0:
        return [last]
    step = max(1, ceil((span + 1) / most))
    days = [last - timedelta(days=n) for n in range(0, span + 1, step)]
    return sorted(days)


def by_day(actions: Iterable[Made], moves: Iterable[Moved], days: Sequence[date]) -> list[Day]:
    mine: dict[int, list[Moved]] = {}
    for move in moves:
        mine.setdefault(move.action, []).append(move)
    listed = list(actions)
    found = []
    for day in days:
        counts = dict.fromkeys(STATUSES, 0)
        for action in listed:
            status = status_on(action, mine.get(action.id, []), day)
            if status in counts:
                counts[status] += 1
        found.append(Day(day, counts))
    return found


async def over_time(event: Event, now: datetime) -> list[Day]:
    """The event's actions (those still in the notes) by status, from the event's day, or the
    first action if it came earlier, to today, or the last change if that is later."""
    zone = ZoneInfo(event.timezone)

    def local(at: datetime) -> date:
        return at.astimezone(zone).date()

    rows = await ActionItem.filter(event_id=event.id, removed=False)
    made = [
        Made(r.id, local(r.created_at), r.status, local(r.status_at) if r.status_at else None)
        for r in rows
    ]
    changes = await Change.filter(event_id=event.id, kind="action.status").order_by("seq")
    moves = [Moved(c.data["action"], local(c.at), c.data["status"], c.data["was"]) for c in changes]
    if not made:
        return []
    first = min([event.date, *(m.day for m in made)])
    changed = [m.status_day or m.day for m in made]
    last = max([local(now), *changed, *(m.day for m in moves)])
    return by_day(made, moves, days_between(first, last))
