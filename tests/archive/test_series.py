"""An event of a series round-trips through its archive: the archive holds the event, not its
series, so the import stands alone and the series it came from is untouched."""

from __future__ import annotations

import json

import pytest

from server.archive.dump import dump
from server.archive.load import load
from server.errors import Invalid
from server.events.models import Event
from server.series import again
from server.series.listing import events_in_series
from tests.conftest import Domain, unique_name


async def test_an_event_of_a_series_round_trips_outside_it(domain: Domain) -> None:
    event = await domain.event()
    organiser = await domain.organiser(event)
    await domain.writes.run(
        event, organiser, lambda j: again.run_again(j, {}, domain.keys, "https://snug.example")
    )
    event = await domain.refresh(event)
    assert event.series_id is not None

    archive = await dump(event)
    assert archive["event"]["series_id"] is None
    slug = unique_name("copy").lower().replace(" ", "-")
    imported = await load(json.dumps(archive), domain.keys, slug)

    assert imported.event.series_id is None
    assert len((await dump(imported.event))["rooms"]) == len(archive["rooms"]) == 2
    assert [e["slug"] for e in await events_in_series(imported.event)] == [slug]
    assert len(await events_in_series(event)) == 2  # the series it came from is as it was


async def test_an_archive_made_before_series_still_loads(domain: Domain) -> None:
    archive = await dump(await domain.event())
    del archive["event"]["series_id"]
    slug = unique_name("older").lower().replace(" ", "-")
    assert (await load(json.dumps(archive), domain.keys, slug)).event.series_id is None


async def test_an_archive_naming_a_series_is_refused(domain: Domain) -> None:
    archive = await dump(await domain.event())
    archive["event"]["series_id"] = 1
    with pytest.raises(Invalid):
        await load(json.dumps(archive), domain.keys, unique_name("x").lower().replace(" ", "-"))
    assert not await Event.filter(series_id=1, slug__startswith="x-").exists()
