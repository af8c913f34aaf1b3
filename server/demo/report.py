"""What the demo's report needs to read like a real day's: answers to the first-timer question,
seats claimed in the snugs (some of them full, with people waiting), and actions followed up
over the fortnight after the day rather than all at the moment the demo was loaded."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

from server.actions.models import ActionItem
from server.events.access import Actor, Role
from server.events.changes import Change
from server.events.models import Attendee, Event, Room
from server.events.writes import Writes
from server.grid import seats
from server.grid.published import published_cells
from server.marketplace.models import Dot

SNUG = 10  # the most seats a room has that people claim seats in


async def prepare_report(event: Event) -> None:
    await answer_first_time(event)
    await claim_seats(event)
    await follow_up_over_days(event)


# Most answer; of those, somewhat more have been to one before.
ANSWERS = ("yes", "yes", "yes", "no", "no", "no", "no", "unsaid", None, None)


async def answer_first_time(event: Event) -> None:
    rng = random.Random(1503)
    for attendee_id in (
        await Attendee.filter(event=event).order_by("id").values_list("id", flat=True)
    ):
        answer = rng.choice(ANSWERS)
        if answer is not None:
            await Attendee.filter(id=attendee_id).update(first_time=answer)


async def follow_up_over_days(event: Event) -> None:
    """The actions were written on the day; each status change moves to a day in the two
    weeks after it, in the order they were made, so the report's chart shows them moving."""
    zone = ZoneInfo(event.timezone)
    day: date = event.date
    written = datetime.combine(day, time(17, 0), zone)
    await ActionItem.filter(event_id=event.id).update(created_at=written)
    rng = random.Random(1504)
    changes = await Change.filter(event_id=event.id, kind="action.status").order_by("seq")
    for n, change in enumerate(changes):
        at = datetime.combine(day + timedelta(days=1 + n * 14 // len(changes)), time(10), zone)
        at += timedelta(minutes=rng.randrange(0, 8 * 60))
        await Change.filter(id=change.id).update(at=at)
        await ActionItem.filter(id=change.data["action"]).update(status_at=at)


async def claim_seats(event: Event) -> None:
    """In each snug, those who voted for its session claimed a seat, and a few others too: the
    smallest filled up, and the last to claim wait on the list."""
    writes = Writes(_nobody_listens)
    rooms = {r.id: r.capacity for r in await Room.filter(event=event)}
    people = {a.id: a for a in await Attendee.filter(event=event).order_by("id")}
    voters: dict[int, list[int]] = defaultdict(list)
    for attendee_id, pitch_id in (
        await Dot.filter(event=event).order_by("id").values_list("attendee_id", "pitch_id")
    ):
        if attendee_id not in voters[pitch_id]:
            voters[pitch_id].append(attendee_id)
    rng = random.Random(1505)
    for pitch_id, (room_id, _slot) in sorted((await published_cells(event)).items()):
        if rooms[room_id] > SNUG:
            continue
        others = [a for a in people if a not in voters[pitch_id]]
        claiming = voters[pitch_id] + rng.sample(others, rng.randrange(0, rooms[room_id] + 3))
        for attendee_id in claiming[: rooms[room_id] + 2]:
            actor = Actor(Role.attendee, people[attendee_id])
            await writes.run(event, actor, partial(seats.claim, pitch_id=pitch_id))


async def _nobody_listens(_event_id: int, _changes: list[dict[str, Any]]) -> None:
    """The demo is made before any screen opens."""
