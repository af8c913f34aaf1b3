"""The board follows the notes: a row per action, kept by its identity in the document."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from server.actions import status
from server.actions.models import ActionItem
from server.events.changes import Change
from server.notes import document
from server.notes.document import Action
from tests.actions.helpers import session_of, write_actions
from tests.conftest import Domain


async def _listed(event_id: int) -> list[tuple[str, str, date | None, str, bool]]:
    rows = await ActionItem.filter(event_id=event_id).order_by("id")
    return [(r.what, r.owner, r.due, r.status, r.removed) for r in rows]


async def test_actions_in_notes_become_rows_with_their_due_dates(domain: Domain) -> None:
    event, host, session = await session_of(domain)
    await write_actions(
        domain,
        event,
        host,
        session,
        Action("Draft the plan", "Priya", "2027-01-31"),
        Action("Book a room"),
    )
    assert await _listed(event.id) == [
        ("Draft the plan", "Priya", date(2027, 1, 31), "open", False),
        ("Book a room", "", None, "open", False),
    ]
    synced = await Change.filter(event_id=event.id, kind="actions.synced")
    assert [c.data for c in synced] == [{"pitch": session.pitch.id}]


async def test_editing_an_actions_words_keeps_its_row(domain: Domain) -> None:
    event, host, session = await session_of(domain)
    edited = await write_actions(domain, event, host, session, Action("Draft the plan", "Priya"))
    (first,) = edited.content.actions
    assert document.ACTION_ID.fullmatch(first.id)
    (row,) = await ActionItem.filter(event_id=event.id)
    changed = replace(first, what="Draft the pilot plan", due="2027-02-01")
    await write_actions(domain, event, host, session, changed)
    (after,) = await ActionItem.filter(event_id=event.id)
    assert (after.id, after.key, after.what, after.due) == (
        row.id,
        first.id,
        "Draft the pilot plan",
        date(2027, 2, 1),
    )


async def test_a_due_date_no_calendar_has_is_left_out(domain: Domain) -> None:
    event, host, session = await session_of(domain)
    edited = await write_actions(
        domain, event, host, session, Action("Ask legal", "Tom", "2027-02-30")
    )
    assert edited.content.actions[0].due == ""
    assert await _listed(event.id) == [("Ask legal", "Tom", None, "open", False)]


async def test_an_action_taken_out_goes_unless_its_status_changed(domain: Domain) -> None:
    event, host, session = await session_of(domain)
    edited = await write_actions(
        domain, event, host, session, Action("Untouched"), Action("Started already", "Ben")
    )
    untouched, started = edited.content.actions
    (_, started_row) = await ActionItem.filter(event_id=event.id).order_by("id")
    staff = await domain.facilitator(event)
    await domain.writes.run(event, staff, status.set_status(started_row.id, "started"))
    await write_actions(domain, event, host, session)
    assert await _listed(event.id) == [("Started already", "Ben", None, "started", True)]
    # Put back in the notes, it is no longer marked as taken out.
    await write_actions(domain, event, host, session, started)
    assert await _listed(event.id) == [("Started already", "Ben", None, "started", False)]
    assert untouched.id


async def test_a_change_to_the_notes_that_leaves_actions_alone_records_nothing(
    domain: Domain,
) -> None:
    event, host, session = await session_of(domain)
    await write_actions(domain, event, host, session, Action("Draft the plan"))
    before = await Change.filter(event_id=event.id).count()
    edited = await write_actions(domain, event, host, session, Action("Draft the plan"))
    assert not edited.actions_changed
    assert await Change.filter(event_id=event.id).count() == before
