"""Pitching, editing, hiding and merging, over a real database."""

from __future__ import annotations

from typing import Any

import pytest

from server.errors import Conflict, Forbidden, Invalid, NotFound
from server.events import setup
from server.events.access import PUBLIC
from server.events.changes import Change
from server.events.models import Event
from server.marketplace import dots, pitches
from server.marketplace.models import Dot, Pitch
from server.marketplace.views import vote_counts
from tests.conftest import Domain


async def voting(domain: Domain, **overrides: Any) -> Event:
    """An event with voting open."""
    event = await domain.event(**overrides)
    await domain.run(
        event, await domain.organiser(event), setup.edit_event, {"voting_open": True}, ""
    )
    return await domain.refresh(event)


async def new_pitch(domain: Domain, event: Event, actor: Any, title: str = "A session") -> int:
    view = await domain.run(event, actor, pitches.create_pitch, {"title": title})
    return int(view["id"])


async def test_attendee_pitches_while_open(domain: Domain) -> None:
    event = await domain.event()
    sam = await domain.attendee(event)
    fields = {
        "title": "  Open data  ",
        "pitch": "Why not?",
        "host": "Sam",
        "format": "demo",
        "tags": ["Data", " data ", "open"],
    }
    view = await domain.run(event, sam, pitches.create_pitch, fields)
    stored = await Pitch.get(id=view["id"])
    assert (stored.title, stored.format, stored.tags) == ("Open data", "demo", ["data", "open"])
    assert stored.author_id == sam.attendee.id
    assert view["votes"] == 0 and view["hidden"] is False
    change = await Change.get(event=event)
    assert (change.kind, change.data["pitch"]) == ("pitch.saved", view)


async def test_pitching_closed_refuses_attendees_but_not_staff(domain: Domain) -> None:
    event = await domain.event()
    organiser = await domain.organiser(event)
    await domain.run(event, organiser, setup.edit_event, {"pitching_open": False}, "")
    sam = await domain.attendee(event)
    before = await domain.rows(event)
    with pytest.raises(Conflict):
        await new_pitch(domain, event, sam)
    with pytest.raises(Forbidden):
        await new_pitch(domain, event, PUBLIC)
    assert await domain.rows(event) == before
    for staff in (organiser, await domain.facilitator(event)):
        await new_pitch(domain, event, staff)
    assert await Pitch.filter(event=event).count() == 2


async def test_author_and_staff_edit_others_cannot(domain: Domain) -> None:
    event = await domain.event()
    author, other = await domain.attendee(event), await domain.attendee(event)
    pitch_id = await new_pitch(domain, event, author)
    view = await domain.run(event, author, pitches.edit_pitch, pitch_id, {"title": "Better"})
    assert view["title"] == "Better"
    facilitator = await domain.facilitator(event)
    await domain.run(event, facilitator, pitches.edit_pitch, pitch_id, {"host": "Fac"})
    before = await domain.rows(event)
    for actor, fields in [
        (other, {"title": "Mine now"}),
        (PUBLIC, {"title": "Anon"}),
        (author, {"hidden": True}),
    ]:
        with pytest.raises(Forbidden):
            await domain.run(event, actor, pitches.edit_pitch, pitch_id, fields)
    assert await domain.rows(event) == before
    stored = await Pitch.get(id=pitch_id)
    assert (stored.title, stored.host) == ("Better", "Fac")


@pytest.mark.parametrize("target", ["another-event", "missing", "huge"])
async def test_unknown_pitch_is_not_found_and_changes_nothing(domain: Domain, target: str) -> None:
    event, other = await domain.event(), await domain.event()
    staff = await domain.organiser(event)
    foreign = await new_pitch(domain, other, await domain.organiser(other))
    pitch_id = {"another-event": foreign, "missing": foreign + 10_000, "huge": 2**40}[target]
    before, before_other = await domain.rows(event), await domain.rows(other)
    with pytest.raises(NotFound):
        await domain.run(event, staff, pitches.edit_pitch, pitch_id, {"title": "x"})
    assert await domain.rows(event) == before
    assert await domain.rows(other) == before_other


async def test_hide_releases_dots_and_unhide_brings_the_pitch_back(domain: Domain) -> None:
    event = await voting(domain)
    facilitator = await domain.facilitator(event)
    sam = await domain.attendee(event)
    pitch_id = await new_pitch(domain, event, sam, "Spam")
    await domain.run(event, sam, dots.place_dot, pitch_id)
    await domain.run(event, await domain.attendee(event), dots.place_dot, pitch_id)
    view = await domain.run(event, facilitator, pitches.edit_pitch, pitch_id, {"hidden": True})
    assert view["hidden"] is True and view["votes"] == 0
    assert await Dot.filter(event=event).count() == 0
    logged = await Change.filter(event=event).order_by("-seq").first()
    assert logged is not None and logged.data == {"id": pitch_id, "votes": {str(pitch_id): 0}}
    # Attendees no longer find it; staff still do.
    with pytest.raises(NotFound):
        await domain.run(event, sam, dots.place_dot, pitch_id)
    with pytest.raises(NotFound):
        await domain.run(event, sam, pitches.edit_pitch, pitch_id, {"title": "Not spam"})
    # The released dot can go elsewhere: sam has all their dots again.
    others = [await new_pitch(domain, event, facilitator, f"P{i}") for i in range(3)]
    for other in others:
        await domain.run(event, sam, dots.place_dot, other)
    shown = await domain.run(event, facilitator, pitches.edit_pitch, pitch_id, {"hidden": False})
    assert shown["hidden"] is False
    last = await Change.filter(event=event).order_by("-seq").first()
    assert last is not None and last.kind == "pitch.saved" and last.data["pitch"] == shown
    await domain.run(event, await domain.attendee(event), dots.place_dot, pitch_id)


async def merge_setup(domain: Domain, stack: bool) -> tuple[Event, Any, int, int]:
    event = await voting(domain, dots_per_attendee=5, dots_stack=stack)
    facilitator = await domain.facilitator(event)
    source = await new_pitch(domain, event, facilitator, "Duplicate")
    target = await new_pitch(domain, event, facilitator, "Original")
    return event, facilitator, source, target


async def place(domain: Domain, event: Event, actor: Any, pitch_id: int, n: int = 1) -> None:
    for _ in range(n):
        await domain.run(event, actor, dots.place_dot, pitch_id)


@pytest.mark.parametrize(
    ("stack", "on_source", "on_target"),
    [(False, 1, 1), (False, 1, 0), (False, 0, 1), (True, 2, 1), (True, 1, 3), (True, 2, 2)],
)
async def test_merge_keeps_the_most_an_attendee_had_on_either(
    domain: Domain, stack: bool, on_source: int, on_target: int
) -> None:
    event, facilitator, source, target = await merge_setup(domain, stack)
    voter = await domain.attendee(event)
    bystander = await domain.attendee(event)
    await place(domain, event, voter, source, on_source)
    await place(domain, event, voter, target, on_target)
    await place(domain, event, bystander, source)
    view = await domain.run(event, facilitator, pitches.merge_pitch, source, target)
    mine = await Dot.filter(attendee=voter.attendee)
    assert [d.pitch_id for d in mine] == [target] * max(on_source, on_target)
    assert [d.pitch_id for d in await Dot.filter(attendee=bystander.attendee)] == [target]
    expected = max(on_source, on_target) + 1
    assert view["votes"] == expected == (await vote_counts(event, [target]))[target]
    change = await Change.filter(event=event).order_by("-seq").first()
    assert change is not None and change.kind == "pitch.merged"
    assert change.data == {"id": source, "into": target, "votes": {str(target): expected}}
    assert (await Pitch.get(id=source)).merged_into_id == target
    with pytest.raises(NotFound):
        await domain.run(event, voter, dots.place_dot, source)


@pytest.mark.parametrize("case", ["itself", "attendee", "merged-source", "other-event", "public"])
async def test_refused_merges_change_nothing(domain: Domain, case: str) -> None:
    event, facilitator, source, target = await merge_setup(domain, False)
    await place(domain, event, await domain.attendee(event), source)
    actor, into = facilitator, target
    if case == "itself":
        into = source
    elif case == "attendee":
        actor = await domain.attendee(event)
    elif case == "public":
        actor = PUBLIC
    elif case == "merged-source":
        third = await new_pitch(domain, event, facilitator, "Third")
        await domain.run(event, facilitator, pitches.merge_pitch, source, third)
    else:
        other = await domain.event()
        into = await new_pitch(domain, other, await domain.organiser(other))
    before = await domain.rows(event)
    with pytest.raises((Invalid, Forbidden, NotFound)):
        await domain.run(event, actor, pitches.merge_pitch, source, into)
    assert await domain.rows(event) == before


async def test_blank_title_is_refused(domain: Domain) -> None:
    event = await domain.event()
    sam = await domain.attendee(event)
    pitch_id = await new_pitch(domain, event, sam)
    before = await domain.rows(event)
    with pytest.raises(Invalid):
        await domain.run(event, sam, pitches.edit_pitch, pitch_id, {"title": "   "})
    with pytest.raises(Invalid):
        await domain.run(event, sam, pitches.create_pitch, {"title": " "})
    assert await domain.rows(event) == before


async def test_a_pitch_says_its_language_from_the_events_own(domain: Domain) -> None:
    """A bilingual event's pitch may be held in Welsh, English or both; an English-only event's
    in English or unsaid. Anything else is refused and changes nothing."""
    event = await domain.event()
    organiser = await domain.organiser(event)
    await domain.run(event, organiser, setup.edit_event, {"languages": ["en", "cy"]}, "")
    event = await domain.refresh(event)
    sam = await domain.attendee(event)
    view = await domain.run(
        event, sam, pitches.create_pitch, {"title": "Sgwrs", "language": "bilingual"}
    )
    assert view["language"] == "bilingual"
    assert (await Pitch.get(id=view["id"])).language == "bilingual"
    view = await domain.run(event, sam, pitches.edit_pitch, view["id"], {"language": "cy"})
    assert (await Pitch.get(id=view["id"])).language == "cy"
    assert (await domain.run(event, sam, pitches.create_pitch, {"title": "Plain"}))[
        "language"
    ] == ""

    english = await domain.event()
    ana = await domain.attendee(english)
    before = await domain.rows(english)
    for said in ("cy", "bilingual", "fr"):
        with pytest.raises(Invalid, match="held in English; choose that or leave it unsaid"):
            await domain.run(english, ana, pitches.create_pitch, {"title": "T", "language": said})
    assert await domain.rows(english) == before
