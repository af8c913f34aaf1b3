"""What the demo's report needs to read like a real day's: answers to the first-timer question,
and actions followed up over the fortnight after the day rather than all at the moment the
demo was loaded."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from server.actions.models import ActionItem
from server.events.changes import Change
from server.events.models import Attendee, Event

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
