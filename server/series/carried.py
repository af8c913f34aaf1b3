"""The open actions of the event before this one in its series, shown at this one's opening.

Nothing is copied: the next event shows the previous event's rows as they are, live, so an
owner's private link keeps working, a status changed at either event is one change, and no
action is on two boards. Who sees them follows the previous board's rule (server/pages/
actions.py): its people, and everyone once its proceedings are out, so the next event's
attendees and staff see them, and its public screens only once the proceedings are published.
"""

from __future__ import annotations

from dataclasses import dataclass

from server.actions.board import Item, open_actions
from server.events.access import Actor, Role
from server.events.models import Event


@dataclass(frozen=True)
class Carried:
    """The event before, and what is still to do from it."""

    name: str
    slug: str
    actions: list[Item]


async def previous(event: Event) -> Event | None:
    """The event held last before this one in its series, if any."""
    if event.series_id is None:
        return None
    earlier = Event.filter(series_id=event.series_id, date__lt=event.date)
    return await earlier.order_by("-date", "-id").first()


async def carried_over(event: Event, actor: Actor) -> Carried | None:
    """What is still open from the event before, for this viewer; None when there is none
    or it isn't theirs to see."""
    before = await previous(event)
    if before is None or (actor.role < Role.attendee and not before.proceedings_published):
        return None
    found = await open_actions(before)
    return Carried(before.name, before.slug, found) if found else None


def at_opening(pitches: int) -> bool:
    """The opening of the day, before anyone pitches (pitching is open from the event's
    making, so its switch can't say when the day begins)."""
    return pitches == 0
