"""The demo was run again: its series page lists next year's event, which opens with the demo's
actions still to do, shown on its public screen since the demo's proceedings are out."""

from __future__ import annotations

from server.actions.board import open_actions
from server.demo import NEXT_SLUG, load_demo
from server.events.access import PUBLIC
from server.events.models import Event
from server.series.carried import carried_over
from server.series.listing import events_in_series
from tests.conftest import Domain


async def test_the_demo_is_one_of_a_series_whose_next_event_shows_what_is_open(
    domain: Domain,
) -> None:
    event = await load_demo(domain.keys, "https://snug.example")
    assert (await load_demo(domain.keys, "https://snug.example")).id == event.id, "loads once"
    listed = await events_in_series(event)
    assert [e["slug"] for e in listed] == ["demo", NEXT_SLUG]
    following = await Event.get(slug=NEXT_SLUG)
    shown = await carried_over(following, PUBLIC)
    assert shown is not None and shown.slug == "demo"
    assert [i.id for i in shown.actions] == [i.id for i in await open_actions(event)]
    assert {i.status for i in shown.actions} == {"open", "started"}
