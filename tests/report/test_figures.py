"""The report's figures over a real database: a made event with pitches, dots, a published
grid, seats, feedback, notes and actions, counted as the organiser reads them."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

from server.actions import status
from server.actions.models import ActionItem
from server.events.changes import Change
from server.events.erasure import erase_personal_data
from server.events.models import Attendee, Event
from server.events.setup import join
from server.grid import seats
from server.marketplace import dots
from server.notes import editing
from server.notes.document import Action
from server.report.figures import Report, draw
from tests.actions.helpers import write_actions
from tests.conftest import Domain
from tests.feedback.test_sessions import Day, a_day

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)  # two days after the event


async def a_reported_day(domain: Domain) -> tuple[Day, Report]:
    """Ann votes for both sessions of slot one (a clash), Bo for the talk, Cy for the later
    one; Cy, Dee and Eve claim the two seats of "Other" (one waits); Ann and Bo say what they
    thought of the talk; its notes list two actions, one done."""
    day = await a_day(domain)
    await Event.filter(id=day.event.id).update(voting_open=True)
    day.event = await domain.refresh(day.event)
    for name, answer in (("dee", "yes"), ("eve", "unsaid")):
        _attendee, token = await join(day.event, name.title(), domain.keys, answer)
        day.people[name] = await domain.keys.identify(day.event, token)
    await Attendee.filter(id=day.people["ann"].attendee.id).update(first_time="no")
    for name, pitch in (("ann", "talk"), ("ann", "other"), ("bo", "talk"), ("cy", "later")):
        await day.run(name, dots.place_dot, day.pitch[pitch])
    for name in ("cy", "dee", "eve"):
        await day.run(name, seats.claim, day.pitch["other"])
    await day.give("ann", "talk", "useful", "Clear.")
    await day.give("bo", "talk", "not_for_me")
    host = day.people["host"]
    notes = await editing.open_notes(day.event, day.pitch["talk"], host)
    await write_actions(
        domain,
        day.event,
        host,
        notes,
        Action("Draft the plan", "Ann"),
        Action("Ask finance", ""),
    )
    done = await ActionItem.get(pitch_id=day.pitch["talk"], what="Draft the plan")
    await day.run("staff", status.set_status(done.id, "done"))
    return day, await draw(day.event, NOW)


async def test_people_pitches_dots_and_the_votes_the_published_grid_serves(
    domain: Domain,
) -> None:
    _day, report = await a_reported_day(domain)
    # Host, Ann, Bo, Cy, Dee and Eve; the host alone pitched (the staff's pitches are nobody's).
    assert (report.joined, report.pitched, report.voted) == (6, 1, 3)
    assert (report.pitches, report.dots) == (3, 4)
    assert report.published
    served = report.served
    # Ann's two votes in slot one clash: one of them can't be met.
    assert (served.served, served.total, served.lost_to_clashes, served.lost_to_seats) == (
        3,
        4,
        1,
        0,
    )


async def test_first_timers_are_counted_of_those_who_answered(domain: Domain) -> None:
    _day, report = await a_reported_day(domain)
    assert report.first_time == {"yes": 1, "no": 1, "unsaid": 1}
    assert report.answered == 3


async def test_each_session_has_its_seats_feedback_notes_and_actions(domain: Domain) -> None:
    day, report = await a_reported_day(domain)
    by_id = {s.pitch: s for s in report.sessions}
    assert [s.title for s in report.sessions] == ["Talk", "Other", "Later"]  # by time, room
    talk, other, later = (by_id[day.pitch[n]] for n in ("talk", "other", "later"))
    assert (talk.room, talk.starts_at, talk.votes) == ("Hall", "2026-11-23T10:00", 2)
    assert (talk.useful, talk.not_for_me, talk.comments) == (1, 1, 1)
    assert talk.has_notes and talk.notes_chars > 0 and not talk.notes_final
    assert talk.writers == 1
    assert talk.actions == {"open": 1, "started": 0, "done": 1, "dropped": 0}
    assert (other.seated, other.waiting, other.votes) == (2, 1, 1)
    assert (later.useful, later.has_notes, later.writers) == (0, False, 0)
    assert sum(later.actions.values()) == 0


async def test_actions_by_status_day_by_day_since_the_event(domain: Domain) -> None:
    _day, report = await a_reported_day(domain)
    days = [d.day for d in report.actions]
    # From the event's day to the later of today (the actions were made today) and NOW.
    assert days[0] == date(2026, 11, 23)
    assert days == sorted(days) and len(set(days)) == len(days)
    today = report.actions[-1]
    assert today.counts == {"open": 1, "started": 0, "done": 1, "dropped": 0}
    assert report.actions[0].total == 0  # none had been written on the day


async def test_the_report_still_adds_up_once_personal_data_is_erased(domain: Domain) -> None:
    """Erasing clears the change log; an action's last change still says when it moved."""
    day, before = await a_reported_day(domain)
    await domain.run(day.event, day.people["organiser"], erase_personal_data, day.event.slug, "")
    assert await Change.filter(event_id=day.event.id, kind="action.status").count() == 0
    after = await draw(day.event, NOW)
    assert (after.joined, after.voted, after.first_time) == (
        before.joined,
        before.voted,
        before.first_time,
    )
    # Names typed in the notes become "a participant": their length changes, nothing else.
    assert [replace(s, notes_chars=0) for s in after.sessions] == [
        replace(s, notes_chars=0) for s in before.sessions
    ]
    assert [d.counts for d in after.actions] == [d.counts for d in before.actions]
