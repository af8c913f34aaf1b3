"""Feedback on sessions over a real database: who may give it and when, once each, anonymous,
who reads it, the counts the organiser's report reads, and erasure."""

from __future__ import annotations

from typing import Any

import pytest

from server.errors import Conflict, Forbidden, Invalid, NotFound
from server.events.access import Keys, Role
from server.events.changes import Change
from server.events.erasure import erase_personal_data
from server.events.models import Event, Room, Slot
from server.feedback import sessions
from server.feedback.models import Feedback, FeedbackGiven
from server.grid import editing, seats
from server.live.state import as_seen_by
from server.marketplace import pitches
from server.validation import validate
from tests.conftest import Domain

AFTER = "2026-11-23T10:45"  # slot one's end, on the event's clock
DURING = "2026-11-23T10:44"


class Day:
    """Two sessions in slot one (10:00 to 10:45) and one in slot two, published; the host
    pitched "talk", which Ann and Bo chose on their agendas."""

    def __init__(self, domain: Domain, event: Event) -> None:
        self.domain, self.event = domain, event
        self.pitch: dict[str, int] = {}
        self.people: dict[str, Any] = {}

    async def run(self, who: str, command: Any, *args: Any) -> Any:
        return await self.domain.run(self.event, self.people[who], command, *args)

    async def give(self, who: str, name: str, answer: str = "useful", comment: str = "") -> Any:
        keys, pitch = self.domain.keys, self.pitch[name]
        return await self.run(who, sessions.give, keys, pitch, answer, comment, AFTER)


async def a_day(domain: Domain) -> Day:
    event = await domain.event(
        rooms=[{"name": "Hall", "capacity": 50}, {"name": "Snug", "capacity": 2}],
        slots=[
            {"starts_at": "2026-11-23T10:00", "ends_at": "2026-11-23T10:45", "label": "One"},
            {"starts_at": "2026-11-23T11:00", "ends_at": "2026-11-23T11:45", "label": "Two"},
        ],
    )
    day = Day(domain, event)
    day.people["staff"] = await domain.facilitator(event)
    day.people["organiser"] = await domain.organiser(event)
    for name in ("host", "ann", "bo", "cy"):
        day.people[name] = await domain.attendee(event, name.title())
    hall, snug = [r.id for r in await Room.filter(event=event).order_by("position")]
    one, two = [s.id for s in await Slot.filter(event=event).order_by("starts_at")]
    cells = {"talk": (hall, one), "other": (snug, one), "later": (hall, two)}
    for version, (name, cell) in enumerate(cells.items()):
        author = "host" if name == "talk" else "staff"
        made = await day.run(author, pitches.create_pitch, {"title": name.title()})
        day.pitch[name] = made["id"]
        await day.run("staff", editing.move, version, made["id"], cell)
    await day.run("staff", editing.publish, len(cells))
    for name in ("ann", "bo"):
        await day.run(name, seats.choose, one, day.pitch["talk"])
    return day


async def test_people_who_went_say_once_and_the_host_reads_counts_and_comments(
    domain: Domain,
) -> None:
    day = await a_day(domain)
    assert await day.give("ann", "talk", "useful", "  Clear and practical.  ") == {
        "pitch": day.pitch["talk"],
        "given": True,
    }
    await day.give("bo", "talk", "not_for_me")
    said = (await sessions.said_about(day.event, [day.pitch["talk"]]))[day.pitch["talk"]]
    assert (said.useful, said.not_for_me, said.comments) == (1, 1, ["Clear and practical."])
    with pytest.raises(sessions.AlreadyGiven):
        await day.give("ann", "talk", "not_for_me", "Changed my mind")
    assert await Feedback.filter(event=day.event).count() == 2
    # The organiser's report reads counts per session.
    assert await sessions.counts(day.event) == {
        day.pitch["talk"]: {"useful": 1, "not_for_me": 1, "comments": 1}
    }


async def test_feedback_keeps_no_trace_of_who_gave_it(domain: Domain) -> None:
    day = await a_day(domain)
    await day.give("ann", "talk", "useful", "Good")
    row = await Feedback.get(event=day.event)
    assert set(Feedback._meta.fields_db_projection) == {
        "id",
        "event_id",
        "pitch_id",
        "answer",
        "comment",
    }
    assert row.answer == "useful"
    (marker,) = await FeedbackGiven.filter(event=day.event)
    ann = day.people["ann"].attendee
    # A keyed hash: without the server's key, the database can't say whose it is.
    made = (sessions.PURPOSE, day.event.id, day.pitch["talk"], ann.id)
    assert marker.marker == domain.keys.marker(*made) != Keys("another key").marker(*made)
    assert set(FeedbackGiven._meta.fields_db_projection) == {"marker", "event_id"}
    change = await Change.get(event=day.event, kind="feedback")
    assert change.actor == "attendee"  # not attendee:<id>
    assert change.data == {
        "pitch": day.pitch["talk"],
        "useful": 1,
        "not_for_me": 0,
        "comments": 1,
        "comment": "Good",
    }
    validate("server-change", change.message())
    # Only organisers' screens hear what was said; everyone else only that something changed.
    assert as_seen_by(change, Role.organiser)["data"] == change.data
    for role in (Role.facilitator, Role.attendee, Role.public):
        assert as_seen_by(change, role)["data"] == {}
    # The person's export lists the session, not what they said.
    assert await sessions.gave_on(day.event, domain.keys, ann.id) == [day.pitch["talk"]]
    assert await sessions.gave_on(day.event, domain.keys, day.people["bo"].attendee.id) == []


async def test_before_the_session_ends_it_is_refused(domain: Domain) -> None:
    day = await a_day(domain)
    keys, talk = domain.keys, day.pitch["talk"]
    with pytest.raises(Conflict, match="once it has ended"):
        await day.run("ann", sessions.give, keys, talk, "useful", "", DURING)
    assert not await Feedback.filter(event=day.event).exists()
    assert not await FeedbackGiven.filter(event=day.event).exists()


async def test_only_people_who_went_and_not_the_host(domain: Domain) -> None:
    day = await a_day(domain)
    with pytest.raises(Forbidden, match="people who went"):
        await day.give("cy", "talk")  # never chose it, nor claimed a seat
    with pytest.raises(Forbidden, match="your own session"):
        await day.give("host", "talk")
    with pytest.raises(Conflict):  # staff have no agenda to have gone by
        await day.give("staff", "talk")
    with pytest.raises(Invalid):
        await day.give("ann", "talk", "meh")
    # A seat claimed counts as going.
    await day.run("cy", seats.claim, day.pitch["other"])
    await day.give("cy", "other", "useful")
    # Only sessions on the published grid.
    unplaced = await day.run("host", pitches.create_pitch, {"title": "Not on the grid"})
    with pytest.raises(NotFound):
        await day.run("ann", sessions.give, domain.keys, unplaced["id"], "useful", "", AFTER)


async def test_host_and_organisers_read_it_nobody_else(domain: Domain) -> None:
    day = await a_day(domain)
    talk = day.pitch["talk"]
    assert (await sessions.readable(day.event, day.people["host"], talk)).id == talk
    assert (await sessions.readable(day.event, day.people["organiser"], talk)).id == talk
    for who in ("ann", "staff"):
        with pytest.raises(Forbidden):
            await sessions.readable(day.event, day.people[who], talk)
    with pytest.raises(Forbidden):
        await sessions.everything(day.event, day.people["staff"])
    found = await sessions.everything(day.event, day.people["organiser"])
    assert {p.id for p, _said in found} == set(day.pitch.values())


async def test_offers_list_sessions_gone_to_ended_or_not_and_given(domain: Domain) -> None:
    day = await a_day(domain)
    two = (await Slot.filter(event=day.event).order_by("starts_at"))[1].id
    await day.run("ann", seats.choose, two, day.pitch["later"])
    await day.give("ann", "talk")
    ann = day.people["ann"].attendee.id
    offers = await sessions.offers(day.event, domain.keys, ann, AFTER)
    assert [(o.title, o.ended, o.given) for o in offers] == [
        ("Talk", True, True),
        ("Later", False, False),
    ]
    host = day.people["host"].attendee.id
    assert await sessions.offers(day.event, domain.keys, host, AFTER) == []
    assert [p.id for p in await sessions.hosted(day.event, host)] == [day.pitch["talk"]]


async def test_erasure_removes_the_markers_and_names_typed_in_comments(domain: Domain) -> None:
    day = await a_day(domain)
    await day.run("host", pitches.edit_pitch, day.pitch["talk"], {"host": "Dana Hostley"})
    await day.give("ann", "talk", "useful", "Dana Hostley explained it well")
    await domain.run(day.event, day.people["organiser"], erase_personal_data, day.event.slug, "")
    assert not await FeedbackGiven.filter(event=day.event).exists()
    (row,) = await Feedback.filter(event=day.event)
    assert row.comment == "a participant explained it well"
    assert row.answer == "useful"
