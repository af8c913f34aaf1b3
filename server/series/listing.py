"""The events of a series, in the order they are held, for the series page."""

from __future__ import annotations

from typing import Any

from server.events.models import Event


async def events_in_series(event: Event) -> list[dict[str, Any]]:
    """Each event of the series by date (this one alone when it was never run again): its
    name, date and address, whether its proceedings are public, and whether it is this one."""
    found = (
        await Event.filter(series_id=event.series_id).order_by("date", "id")
        if event.series_id is not None
        else [event]
    )
    return [
        {
            "slug": each.slug,
            "name": each.name,
            "date": each.date,
            "proceedings": each.proceedings_published,
            "this": each.id == event.id,
        }
        for each in found
    ]
