"""Running an event again: the next event of its series, made from this one.

The next event is made as any event is (server/events/setup.py), with this one's details and
its slots moved to the new date; then each step of ``CARRIED_OVER`` brings across what else
the next event keeps, and the series links the two, so the next event shows this one's open
actions at its opening. What happened on the day (pitches, votes, notes, the people who joined)
stays with this event.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Awaitable, Callable
from typing import Any

from server.errors import Invalid
from server.events import setup
from server.events.access import Keys, Role
from server.events.journal import Journal
from server.events.models import Event, Room, Series, Slot
from server.events.views import event_view
from server.language import N_

NAME_LENGTH = 120  # as Event.name stores it

# One step of carrying this event (first) over to the next (second).
Carry = Callable[[Event, Event], Awaitable[None]]


def next_date(event: Event) -> dt.date:
    """A year on, the same day of the month (the 28th for the 29th of February); never past
    the last year a date can have."""
    year = min(event.date.year + 1, dt.MAXYEAR)
    try:
        return event.date.replace(year=year)
    except ValueError:
        return event.date.replace(year=year, day=28)


def next_name(event: Event, date: dt.date) -> str:
    """The name with its year moved on ("Camp 2026" becomes "Camp 2027"), or the new year
    added to a name without one."""
    year = re.compile(rf"\b{event.date.year}\b")
    if year.search(event.name):
        return year.sub(str(date.year), event.name)
    return f"{event.name[: NAME_LENGTH - 5]} {date.year}"


def shifted(moment: str, days: int) -> str:
    """A wall-clock slot time moved by whole days: the same time of day in the same zone."""
    day, _, clock = moment.partition("T")
    return f"{(dt.date.fromisoformat(day) + dt.timedelta(days=days)).isoformat()}T{clock}"


async def copy_rooms(event: Event, following: Event) -> None:
    # A room unavailable in a slot is unavailable in that slot's copy: the slots were made in
    # this event's order, so the next event's ids ascend in it.
    old = [slot.id for slot in await Slot.filter(event=event)]
    new = [slot.id for slot in await Slot.filter(event=following).order_by("id")]
    copies = dict(zip(old, new, strict=True))
    rooms = [
        {
            "name": room.name,
            "capacity": room.capacity,
            "features": room.features,
            "unavailable": [copies[slot] for slot in room.unavailable if slot in copies],
        }
        for room in await Room.filter(event=event)
    ]
    await setup.put_rooms(following, rooms)


async def copy_settings(event: Event, following: Event) -> None:
    """The organiser's choices that creating an event doesn't take, and the staff: the
    organiser link and the facilitator link of this event open the next one too, so nobody
    has to share links again (a new facilitator link made at either event is that event's
    alone from then on)."""
    following.totals_hidden = event.totals_hidden
    following.organiser_key = event.organiser_key
    following.facilitator_key = event.facilitator_key
    await following.save(update_fields=["totals_hidden", "organiser_key", "facilitator_key"])


# What the next event keeps of this one, step by step. The open actions are not copied: the
# next event shows this one's, live, at its opening (server/series/carried.py), so no action is
# on two boards and each owner's link keeps working.
CARRIED_OVER: list[Carry] = [copy_rooms, copy_settings]


async def run_again(
    journal: Journal, asked: dict[str, Any], keys: Keys, public_url: str
) -> dict[str, Any]:
    """Makes the next event of this one's series; answers its address. ``asked``: its name,
    date and address (slug), each in place of the one Snug would suggest."""
    journal.actor.require(Role.organiser)
    event = journal.event
    following, _unused = await setup.create_event(await _details(event, asked), keys)
    for carry in CARRIED_OVER:  # its staff are this event's, not the ones just made
        await carry(event, following)
    await _join_series(event, following)
    await journal.record("event.updated", {"event": event_view(event, public_url)})
    return {"slug": following.slug}


async def _details(event: Event, asked: dict[str, Any]) -> dict[str, Any]:
    """The next event as creating an event takes it: this one's details and time slots, on
    the new date."""
    date = dt.date.fromisoformat(asked["date"]) if "date" in asked else next_date(event)
    if date <= event.date:
        raise Invalid(
            N_("The next event must be after this one, which is on %(date)s."),
            values={"date": event.date.isoformat()},
        )
    details: dict[str, Any] = {
        "name": asked.get("name") or next_name(event, date),
        "date": date.isoformat(),
        "timezone": event.timezone,
        "venue": event.venue,
        "dots_per_attendee": event.dots_per_attendee,
        "dots_stack": event.dots_stack,
        "languages": event.languages,
        "slots": await _moved(event, date),
    }
    if asked.get("slug"):
        details["slug"] = asked["slug"]
    return details


async def _moved(event: Event, date: dt.date) -> list[dict[str, Any]]:
    """The event's time slots on the new date, at the same times of day."""
    days = (date - event.date).days
    try:
        return [
            {
                "starts_at": shifted(slot.starts_at, days),
                "ends_at": shifted(slot.ends_at, days),
                "label": slot.label,
                "kind": slot.kind,
            }
            for slot in await Slot.filter(event=event)
        ]
    except OverflowError:  # a slot on a later day would fall past the year 9999
        raise Invalid(
            N_("%(date)s is too far ahead for the next event; choose an earlier date."),
            values={"date": date.isoformat()},
        ) from None


async def _join_series(event: Event, following: Event) -> None:
    if event.series_id is None:
        event.series = await Series.create()
        await event.save(update_fields=["series_id"])
    following.series_id = event.series_id
    await following.save(update_fields=["series_id"])
