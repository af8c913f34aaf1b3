"""Changing a status: staff, or the action's own link; each change a Change in the history."""

from __future__ import annotations

import pytest

from server.actions import links, status
from server.actions.models import ActionItem
from server.errors import Forbidden, Invalid, NotFound
from server.events.access import PUBLIC
from server.events.changes import Change
from server.notes.document import Action
from tests.actions.helpers import session_of, write_actions
from tests.conftest import Domain


async def _one(domain: Domain) -> tuple[object, object, ActionItem]:
    event, host, session = await session_of(domain)
    await write_actions(domain, event, host, session, Action("Draft the plan", "Priya"))
    (row,) = await ActionItem.filter(event_id=event.id)
    return event, host, row


async def test_staff_change_a_status_through_the_write_runner(domain: Domain) -> None:
    event, _host, row = await _one(domain)
    staff = await domain.facilitator(event)
    answer = await domain.writes.run(event, staff, status.set_status(row.id, "done"))
    assert answer == {"id": row.id, "status": "done"}
    changed = await ActionItem.get(id=row.id)
    assert (changed.status, changed.status_at is not None) == ("done", True)
    (change,) = await Change.filter(event_id=event.id, kind="action.status")
    assert change.data == {
        "action": row.id,
        "pitch": row.pitch_id,
        "status": "done",
        "was": "open",
        "by": "facilitator",
    }
    assert change.seq == (await domain.refresh(event)).seq


async def test_attendees_cannot_change_a_status_without_the_link(domain: Domain) -> None:
    event, host, row = await _one(domain)
    with pytest.raises(Forbidden):
        await domain.writes.run(event, host, status.set_status(row.id, "done"))
    assert (await ActionItem.get(id=row.id)).status == "open"


async def test_the_link_changes_its_own_action_only(domain: Domain) -> None:
    event, host, session = await session_of(domain)
    await write_actions(domain, event, host, session, Action("One"), Action("Two"))
    one, two = await ActionItem.filter(event_id=event.id).order_by("id")
    secret = links.secret_of(one, domain.keys)
    assert (await links.opened_by(event, secret, domain.keys)).id == one.id
    assert await links.opened_by(event, secret + "x", domain.keys) is None
    with pytest.raises(NotFound):
        await domain.writes.run(
            event, PUBLIC, status.set_status(two.id, "done", link_key=one.link_key)
        )
    await domain.writes.run(
        event, PUBLIC, status.set_status(one.id, "started", link_key=one.link_key)
    )
    assert [(r.status) for r in await ActionItem.filter(event_id=event.id).order_by("id")] == [
        "started",
        "open",
    ]
    (change,) = await Change.filter(event_id=event.id, kind="action.status")
    assert change.data["by"] == "link"


async def test_the_stored_link_key_is_a_keyed_hash_not_the_secret(domain: Domain) -> None:
    _event, _host, row = await _one(domain)
    secret = links.secret_of(row, domain.keys)
    assert secret not in (row.link_key, row.link_salt)
    assert row.link_key == domain.keys.digest(secret)


async def test_a_status_that_isnt_one_is_refused(domain: Domain) -> None:
    event, _host, row = await _one(domain)
    staff = await domain.facilitator(event)
    with pytest.raises(Invalid):
        await domain.writes.run(event, staff, status.set_status(row.id, "finished"))
    assert not await Change.filter(event_id=event.id, kind="action.status").exists()
