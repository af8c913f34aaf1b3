"""An archive can't bring in what creating or editing an event refuses: a time zone Snug
doesn't know, or a slot time the event's zone skips or shows twice."""

from __future__ import annotations

import json
from typing import Any

import pytest

from server.archive.dump import dump
from server.archive.load import load
from server.errors import Invalid
from server.events.models import Event
from tests.conftest import Domain

# Europe/London: the clocks go forward at 01:00 on 29 March 2026.
SKIPPED = {"starts_at": "2026-03-29T01:30", "ends_at": "2026-03-29T03:00"}


@pytest.mark.parametrize(
    ("damage", "says"),
    [
        (lambda a: a["event"].update(timezone="Mars/Base"), "isn't a time zone Snug knows"),
        (lambda a: a["slots"][0].update(SKIPPED), "doesn't exist in Europe/London"),
    ],
    ids=["unknown-zone", "skipped-time"],
)
async def test_an_archive_with_a_time_no_calendar_can_place_is_refused(
    domain: Domain, damage: Any, says: str
) -> None:
    event = await domain.event()
    archive = await dump(event)
    await Event.filter(id=event.id).delete()
    events = await Event.all().count()
    damage(archive)
    with pytest.raises(Invalid, match=says):
        await load(json.dumps(archive), domain.keys)
    assert await Event.all().count() == events
