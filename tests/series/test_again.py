"""Running an event again: what the next event keeps, what stays behind, who may, and that a
request sent twice makes one event."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from server.errors import Conflict, Forbidden, Invalid
from server.events import setup
from server.events.access import Role
from server.events.models import Attendee, Event, Room, Series, Slot
from server.marketplace import dots, pitches
from server.marketplace.models import Dot, Pitch
from server.notes.models import Notes
from server.series import again
from server.series.listing import events_in_series
from tests.conftest import Domain, unique_name

URL = "https://snug.example"


async def run_again(domain: Domain, event: Event, asked: dict[str, Any], **kw: Any) -> Event:
    organiser = await domain.organiser(event)
    made = await domain.writes.run(
        event, organiser, lambda j: again.run_again(j, asked, domain.keys, URL), **kw
    )
    return await Event.get(slug=made["slug"])


async def test_rooms_slots_settings_and_staff_are_carried_over(domain: Domain) -> None:
    event = await domain.event(
        venue="Town hall", dots_per_attendee=5, dots_stack=True, languages=["cy", "en"]
    )
    slots = await Slot.filter(event=event)
    await setup.put_rooms(
        event,
        [
            {"name": "Hall", "capacity": 90, "features": ["step-free"], "unavailable": []},
            {"name": "Loft", "capacity": 6, "unavailable": [slots[1].id]},
        ],
    )
    event.totals_hidden = True
    await event.save(update_fields=["totals_hidden"])
    facilitator = await setup.new_facilitator_key_for(event, domain.keys)
    event = await domain.refresh(event)

    name = unique_name("Next")
    following = await run_again(domain, event, {"name": name, "date": "2027-03-02"})

    assert (following.name, following.date) == (name, dt.date(2027, 3, 2))
    assert following.timezone == event.timezone and following.venue == "Town hall"
    assert (following.dots_per_attendee, following.dots_stack) == (5, True)
    assert following.languages == ["cy", "en"] and following.totals_hidden is True
    # What happens on the day starts afresh.
    assert (following.pitching_open, following.voting_open, following.grid_live) == (
        True,
        False,
        False,
    )
    assert not following.proceedings_published and following.join_code != event.join_code
    moved = await Slot.filter(event=following)
    assert [(s.starts_at, s.ends_at, s.label) for s in moved] == [
        ("2027-03-02T10:00", "2027-03-02T10:45", "Session 1"),
        ("2027-03-02T11:00", "2027-03-02T11:45", "Session 2"),
    ]
    rooms = await Room.filter(event=following)
    assert [(r.name, r.capacity, r.features) for r in rooms] == [
        ("Hall", 90, ["step-free"]),
        ("Loft", 6, []),
    ]
    assert rooms[0].unavailable == [] and rooms[1].unavailable == [moved[1].id]
    # The same links open the next event, as the same roles.
    assert (await domain.keys.identify(following, domain.secrets[event.id])).role is Role.organiser
    assert (await domain.keys.identify(following, facilitator)).role is Role.facilitator


async def test_nothing_of_the_day_or_its_people_is_carried_over(domain: Domain) -> None:
    event = await domain.event()
    sam = await domain.attendee(event, "Sam")
    pitch = await domain.run(event, sam, pitches.create_pitch, {"title": "Gardens"})
    event.voting_open = True
    await event.save(update_fields=["voting_open"])
    await domain.run(event, sam, dots.place_dot, pitch["id"])

    following = await run_again(domain, await domain.refresh(event), {})

    for model in (Attendee, Pitch, Dot, Notes):
        assert not await model.filter(event_id=following.id).exists(), model.__name__
    assert following.voting_open is False and following.seq == 0
    assert await Pitch.filter(event_id=event.id).count() == 1  # this event keeps its own


async def test_suggestions_move_the_year_on(domain: Domain) -> None:
    event = await domain.event(name=unique_name("Govcamp 2026 in"), date="2026-11-23")
    following = await run_again(domain, event, {})
    assert following.date == dt.date(2027, 11, 23)
    assert following.name == event.name.replace("2026", "2027")
    leap = Event(name="Leap day", date=dt.date(2028, 2, 29))
    assert again.next_date(leap) == dt.date(2029, 2, 28)
    assert again.next_name(leap, dt.date(2029, 2, 28)) == "Leap day 2029"


async def test_the_series_lists_every_event_by_date(domain: Domain) -> None:
    first = await domain.event(date="2026-11-23")
    alone = await events_in_series(first)
    assert [(e["slug"], e["this"]) for e in alone] == [(first.slug, True)]

    third = await run_again(domain, first, {"date": "2028-11-23"})
    first = await domain.refresh(first)
    second = await run_again(domain, first, {"date": "2027-11-23"})
    first = await domain.refresh(first)

    assert first.series_id is not None
    assert first.series_id == second.series_id == third.series_id
    listed = await events_in_series(second)
    assert [e["slug"] for e in listed] == [first.slug, second.slug, third.slug]
    assert [e["this"] for e in listed] == [False, True, False]
    # Deleting one event leaves the others together.
    await Event.filter(id=second.id).delete()
    assert [e["slug"] for e in await events_in_series(first)] == [first.slug, third.slug]
    assert await Series.filter(id=first.series_id).exists()


async def test_only_the_organiser_runs_it_again(domain: Domain) -> None:
    event = await domain.event()
    before = await Event.all().count()
    for actor in (await domain.facilitator(event), await domain.attendee(event)):
        with pytest.raises(Forbidden):
            await domain.writes.run(
                event, actor, lambda j: again.run_again(j, {}, domain.keys, URL)
            )
    assert await Event.all().count() == before
    assert (await domain.refresh(event)).series_id is None


async def test_sent_twice_with_one_key_makes_one_event(domain: Domain) -> None:
    event = await domain.event()
    before = await Event.all().count()
    firsts = [
        await run_again(domain, event, {}, key="again-key-1", fingerprint="asked") for _ in range(2)
    ]
    assert firsts[0].id == firsts[1].id
    assert await Event.all().count() == before + 1


@pytest.mark.parametrize(
    ("asked", "refusal"),
    [
        ({"date": "2026-11-23"}, Invalid),  # the same day as this one
        ({"date": "2025-01-01"}, Invalid),
        # 01:30 on the night the clocks go back happens twice in London.
        ({"date": "2027-10-31"}, Invalid),
    ],
)
async def test_a_refused_date_makes_nothing(
    domain: Domain, asked: dict[str, Any], refusal: type[Exception]
) -> None:
    slots = [{"starts_at": "2026-11-23T01:30", "ends_at": "2026-11-23T02:30"}]
    event = await domain.event(slots=slots)
    before = await Event.all().count()
    with pytest.raises(refusal):
        await run_again(domain, event, asked)
    assert await Event.all().count() == before
    assert (await domain.refresh(event)).series_id is None


async def test_a_taken_address_is_refused(domain: Domain) -> None:
    event = await domain.event()
    other = await domain.event()
    with pytest.raises(Conflict):
        await run_again(domain, event, {"slug": other.slug})
    assert (await domain.refresh(event)).series_id is None


async def test_a_date_too_far_ahead_for_its_slots_is_refused(domain: Domain) -> None:
    two_days = [
        {"starts_at": "2026-11-23T10:00", "ends_at": "2026-11-23T11:00"},
        {"starts_at": "2026-11-24T10:00", "ends_at": "2026-11-24T11:00"},
    ]
    event = await domain.event(slots=two_days)
    with pytest.raises(Invalid, match="too far ahead"):
        await run_again(domain, event, {"date": "9999-12-31"})
    assert (await domain.refresh(event)).series_id is None
    assert again.next_date(Event(date=dt.date(9999, 12, 31))) == dt.date(9999, 12, 31)
