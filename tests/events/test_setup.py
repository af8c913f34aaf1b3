"""Setting up an event over a real database: slugs, venue, editing and who is who."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from server.errors import Conflict, Forbidden, Invalid, Unauthorised
from server.events import setup
from server.events.access import Role
from server.events.changes import Change
from server.events.models import Event, Room, Slot
from tests.conftest import ApiEvent, Domain, event_body, unique_name
from tests.http.helpers import assert_problem


async def test_slug_comes_from_the_name_and_duplicates_get_a_number(domain: Domain) -> None:
    name = unique_name("Public Sector Unconf")
    first = await domain.event(name=name)
    second = await domain.event(name=name)
    assert first.slug == setup.slugify(name)
    assert first.slug.startswith("public-sector-unconf-")
    assert second.slug != first.slug
    assert second.slug.startswith(first.slug)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Café Çà Ünconf", "cafe-ca-unconf"),
        ("  --Hello,   World!--  ", "hello-world"),
        ("x" * 80, "x" * 40),
        ("日本語", ""),
    ],
)
def test_slugify(name: str, expected: str) -> None:
    assert setup.slugify(name) == expected


async def test_name_without_letters_still_gets_an_address(domain: Domain) -> None:
    event = await domain.event(name="日本語")
    assert event.slug.startswith("event")


async def test_explicit_slug_is_used_and_a_taken_one_is_refused(domain: Domain) -> None:
    slug = f"my-unconf-{unique_name('').strip().lower()}"
    event = await domain.event(slug=slug)
    assert event.slug == slug
    before = await Event.all().count()
    with pytest.raises(Conflict):
        await domain.event(slug=slug)
    assert await Event.all().count() == before


@pytest.mark.parametrize("slug", ["Upper-Case", "spaces here", "under_score", "trailing-"])
async def test_explicit_slug_in_the_wrong_form_is_refused(domain: Domain, slug: str) -> None:
    before = await Event.all().count()
    with pytest.raises(Invalid):
        await domain.event(slug=slug)
    assert await Event.all().count() == before


@pytest.mark.parametrize("word", sorted(setup.RESERVED_SLUGS))
@pytest.mark.parametrize("explicit", [False, True])
async def test_reserved_words_never_become_an_address(
    domain: Domain, word: str, explicit: bool
) -> None:
    overrides = {"slug": word} if explicit else {"name": word}
    try:
        event = await domain.event(**overrides)
    except (Invalid, Conflict):
        assert explicit, "an address made from a name must always be found"
        return  # refusing a reserved address the organiser typed is fine too
    assert event.slug not in setup.RESERVED_SLUGS


@pytest.mark.parametrize("zone", ["Mars/Olympus_Mons", "../../etc/passwd", "europe/london", ""])
async def test_unknown_time_zone_is_refused(domain: Domain, zone: str) -> None:
    before = await Event.all().count()
    with pytest.raises(Invalid):
        await domain.event(timezone=zone)
    assert await Event.all().count() == before


BAD_VENUES: dict[str, dict[str, Any]] = {
    "slot ends before it starts": {
        "slots": [{"starts_at": "2026-11-23T11:00", "ends_at": "2026-11-23T10:00"}]
    },
    "slot ends as it starts": {
        "slots": [{"starts_at": "2026-11-23T11:00", "ends_at": "2026-11-23T11:00"}]
    },
    "duplicate room names": {
        "rooms": [{"name": "Snug", "capacity": 8}, {"name": " snug ", "capacity": 6}]
    },
}


@pytest.mark.parametrize("case", list(BAD_VENUES))
async def test_creating_with_a_bad_venue_is_refused_and_leaves_nothing(
    domain: Domain, case: str
) -> None:
    """A refused creation must not leave a half-made event behind (nor take its address)."""
    body = event_body(**BAD_VENUES[case])
    counts = [await Event.all().count(), await Room.all().count(), await Slot.all().count()]
    with pytest.raises(Invalid):
        await setup.create_event(body, domain.keys)
    assert [await Event.all().count(), await Room.all().count(), await Slot.all().count()] == (
        counts
    )
    assert not await Event.exists(slug=setup.slugify(body["name"]))


async def test_creation_stores_rooms_and_slots_in_order(domain: Domain) -> None:
    rooms = [
        {"name": "Zeta", "capacity": 30, "features": ["quiet", "projector", "quiet"]},
        {"name": "Alpha", "capacity": 100},
    ]
    event = await domain.event(rooms=rooms, venue="  The Hall ")
    stored = await Room.filter(event=event)
    assert [r.name for r in stored] == ["Zeta", "Alpha"]
    assert stored[0].features == ["projector", "quiet"]
    assert stored[1].features == []
    assert event.venue == "The Hall"
    assert [s.starts_at for s in await Slot.filter(event=event)] == [
        "2026-11-23T10:00",
        "2026-11-23T11:00",
    ]


async def test_edit_event_saves_and_logs_one_change(domain: Domain) -> None:
    event = await domain.event()
    organiser = await domain.organiser(event)
    fields = {
        "name": "  Renamed  ",
        "voting_open": True,
        "dots_per_attendee": 5,
        "date": "2027-01-02",
    }
    view = await domain.run(event, organiser, setup.edit_event, dict(fields), "http://x")
    stored = await domain.refresh(event)
    assert (stored.name, stored.voting_open, stored.dots_per_attendee) == ("Renamed", True, 5)
    assert stored.date.isoformat() == "2027-01-02"
    assert view["name"] == "Renamed"
    changes = await Change.filter(event=event)
    assert [(c.seq, c.kind) for c in changes] == [(1, "event.updated")]
    assert changes[0].data["event"] == view


@pytest.mark.parametrize(
    ("who", "fields", "error"),
    [
        ("organiser", {"timezone": "Not/AZone"}, Invalid),
        ("facilitator", {"name": "Taken over"}, Forbidden),
        ("attendee", {"voting_open": True}, Forbidden),
        ("public", {"voting_open": True}, Forbidden),
    ],
)
async def test_refused_edits_change_nothing(
    domain: Domain, who: str, fields: dict[str, Any], error: type[Exception]
) -> None:
    event = await domain.event()
    actor = await actor_for(domain, event, who)
    before = await domain.rows(event)
    with pytest.raises(error):
        await domain.run(event, actor, setup.edit_event, fields, "http://x")
    assert await domain.rows(event) == before


async def actor_for(domain: Domain, event: Event, who: str) -> Any:
    from server.events.access import PUBLIC

    if who == "public":
        return PUBLIC
    return await getattr(domain, who)(event)


async def test_replace_rooms_keeps_ids_adds_new_and_deletes_missing(domain: Domain) -> None:
    event = await domain.event()
    organiser = await domain.organiser(event)
    kept, dropped = await Room.filter(event=event)
    venue = await domain.run(
        event,
        organiser,
        setup.replace_rooms,
        [
            {"name": "Lounge", "capacity": 12, "features": ["quiet"]},
            {"id": kept.id, "name": "Big hall", "capacity": 120},
        ],
    )
    stored = await Room.filter(event=event)
    assert [r.name for r in stored] == ["Lounge", "Big hall"]
    assert stored[1].id == kept.id and stored[1].capacity == 120
    assert stored[0].id not in (kept.id, dropped.id)
    assert not await Room.exists(id=dropped.id)
    assert [r["id"] for r in venue["rooms"]] == [r.id for r in stored]
    assert [c.kind for c in await Change.filter(event=event)] == ["venue.updated"]


async def test_replace_slots_keeps_ids_adds_new_and_deletes_missing(domain: Domain) -> None:
    event = await domain.event()
    organiser = await domain.organiser(event)
    first, second = await Slot.filter(event=event)
    new = {"starts_at": "2026-11-23T09:00", "ends_at": "2026-11-23T09:30", "label": "Early"}
    moved = {"id": second.id, "starts_at": "2026-11-23T14:00", "ends_at": "2026-11-23T15:00"}
    await domain.run(event, organiser, setup.replace_slots, [moved, new])
    stored = await Slot.filter(event=event)
    assert [(s.starts_at, s.label) for s in stored] == [
        ("2026-11-23T09:00", "Early"),
        ("2026-11-23T14:00", ""),
    ]
    assert stored[1].id == second.id
    assert not await Slot.exists(id=first.id)


@pytest.mark.parametrize("kind", ["rooms", "slots"])
async def test_replace_refuses_an_id_from_another_event(domain: Domain, kind: str) -> None:
    event, other = await domain.event(), await domain.event()
    organiser = await domain.organiser(event)
    model = Room if kind == "rooms" else Slot
    foreign = (await model.filter(event=other))[0]
    mine = await model.filter(event=event)
    item = {"name": "Stolen", "capacity": 5} if kind == "rooms" else dict(SLOT_ITEM)
    items = [{"id": mine[0].id, **item}, {"id": foreign.id, **item}]
    before, before_other = await domain.rows(event), await domain.rows(other)
    command = setup.replace_rooms if kind == "rooms" else setup.replace_slots
    with pytest.raises(Invalid):
        await domain.run(event, organiser, command, items)
    assert await domain.rows(event) == before
    assert await domain.rows(other) == before_other


SLOT_ITEM = {"starts_at": "2026-11-23T16:00", "ends_at": "2026-11-23T17:00"}


@pytest.mark.parametrize(
    ("command", "items", "who", "error"),
    [
        (
            setup.replace_rooms,
            [{"name": "A", "capacity": 1}, {"name": "a", "capacity": 2}],
            "organiser",
            Invalid,
        ),
        (
            setup.replace_slots,
            [{"starts_at": "2026-11-23T12:00", "ends_at": "2026-11-23T11:00"}],
            "organiser",
            Invalid,
        ),
        (setup.replace_rooms, [{"name": "Mine now", "capacity": 1}], "facilitator", Forbidden),
        (setup.replace_slots, [SLOT_ITEM], "attendee", Forbidden),
    ],
    ids=["duplicate-room", "slot-backwards", "facilitator-rooms", "attendee-slots"],
)
async def test_refused_venue_replacements_change_nothing(
    domain: Domain, command: Any, items: list[dict[str, Any]], who: str, error: type[Exception]
) -> None:
    event = await domain.event()
    actor = await actor_for(domain, event, who)
    before = await domain.rows(event)
    with pytest.raises(error):
        await domain.run(event, actor, command, items)
    assert await domain.rows(event) == before


async def test_identify_knows_each_role(domain: Domain) -> None:
    event = await domain.event()
    assert (await domain.organiser(event)).role is Role.organiser
    assert (await domain.facilitator(event)).role is Role.facilitator
    attendee = await domain.attendee(event, "  Sam  ")
    assert attendee.role is Role.attendee
    assert attendee.attendee.name == "Sam"
    assert (await domain.keys.identify(event, None)).role is Role.public
    assert (await domain.keys.identify(event, "")).role is Role.public


async def test_new_facilitator_key_retires_the_old_one(domain: Domain) -> None:
    event = await domain.event()
    old = await setup.new_facilitator_key_for(event, domain.keys)
    new = await setup.new_facilitator_key_for(event, domain.keys)
    assert (await domain.keys.identify(event, new)).role is Role.facilitator
    with pytest.raises(Unauthorised):
        await domain.keys.identify(event, old)


@pytest.mark.parametrize("whose", ["forged", "other-organiser", "other-attendee"])
async def test_unknown_or_foreign_secrets_are_unauthorised(domain: Domain, whose: str) -> None:
    event, other = await domain.event(), await domain.event()
    if whose == "forged":
        secret = "not-a-real-secret"
    elif whose == "other-organiser":
        secret = domain.secrets[other.id]
    else:
        _attendee, secret = await setup.join(other, "", domain.keys)
    with pytest.raises(Unauthorised):
        await domain.keys.identify(event, secret)


async def test_secrets_are_stored_only_as_digests(domain: Domain) -> None:
    event = await domain.event()
    attendee, token = await setup.join(event, "", domain.keys)
    stored = await domain.refresh(event)
    assert domain.secrets[event.id] not in stored.organiser_key
    assert token != attendee.token and token not in attendee.token


async def test_rename(domain: Domain) -> None:
    event = await domain.event()
    attendee = await domain.attendee(event)
    renamed = await setup.rename(attendee, "  Alex ")
    assert renamed.name == "Alex"
    with pytest.raises(Conflict):
        await setup.rename(await domain.organiser(event), "Boss")


# Europe/London: the clocks go forward at 01:00 on 29 March 2026 and back at 02:00 on 25 October.
SKIPPED = {"starts_at": "2026-03-29T01:30", "ends_at": "2026-03-29T03:00"}
REPEATED = {"starts_at": "2026-10-25T00:30", "ends_at": "2026-10-25T01:30"}


@pytest.mark.parametrize(
    ("slot", "words"),
    [(SKIPPED, ["2026-03-29 at 01:30", "doesn't exist", "forward"]), (REPEATED, ["twice", "back"])],
    ids=["skipped", "repeated"],
)
async def test_a_slot_time_the_clocks_skip_or_repeat_is_refused(
    domain: Domain, slot: dict[str, str], words: list[str]
) -> None:
    event = await domain.event()
    organiser = await domain.organiser(event)
    before = await domain.rows(event)
    with pytest.raises(Invalid) as refused:
        await domain.run(event, organiser, setup.replace_slots, [slot])
    assert all(word in refused.value.message for word in [*words, "Europe/London"])
    assert await domain.rows(event) == before
    with pytest.raises(Invalid):
        await domain.event(slots=[slot])


async def test_a_new_zone_that_skips_a_slots_time_is_refused(domain: Domain) -> None:
    # 02:30 on 8 March 2026 is a normal time in London and skipped in New York.
    slot = {"starts_at": "2026-03-08T02:30", "ends_at": "2026-03-08T03:30"}
    event = await domain.event(slots=[slot])
    organiser = await domain.organiser(event)
    before = await domain.rows(event)
    with pytest.raises(Invalid) as refused:
        await domain.run(
            event, organiser, setup.edit_event, {"timezone": "America/New_York"}, "http://x"
        )
    assert "2026-03-08 at 02:30 doesn't exist in America/New_York" in refused.value.message
    assert await domain.rows(event) == before


def test_the_api_refuses_a_skipped_slot_time_in_words(make_event: Callable[..., ApiEvent]) -> None:
    ev = make_event()
    before = ev.state(ev.organiser)["slots"]
    response = ev.call("PUT", "/slots", ev.organiser, json={"slots": [SKIPPED]})
    problem = assert_problem(response, 422)
    assert "2026-03-29 at 01:30 doesn't exist in Europe/London" in problem["detail"]
    assert ev.state(ev.organiser)["slots"] == before
    created = ev.client.post("/api/events", json=event_body(slots=[REPEATED]))
    assert "happens twice in Europe/London" in assert_problem(created, 422)["detail"]
