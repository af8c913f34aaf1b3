"""An event's archive keeps its actions and their statuses, but not their owners' links."""

from __future__ import annotations

import json

from server.actions import links, status
from server.actions.models import ActionItem
from server.archive.dump import dump
from server.archive.load import load
from server.events.models import Event
from server.notes.document import Action
from tests.actions.helpers import session_of, write_actions
from tests.conftest import Domain


async def test_an_imported_event_keeps_statuses_and_gives_new_links(domain: Domain) -> None:
    event, host, session = await session_of(domain)
    await write_actions(
        domain, event, host, session, Action("Draft the plan", "Priya", "2027-01-31")
    )
    (row,) = await ActionItem.filter(event_id=event.id)
    await domain.writes.run(event, await domain.organiser(event), status.set_status(row.id, "done"))
    old_link = links.secret_of(row, domain.keys)
    archive = await dump(event)
    assert "link" not in json.dumps(archive["actions"])
    await Event.filter(id=event.id).delete()

    imported = await load(json.dumps(archive), domain.keys)

    (copy,) = await ActionItem.filter(event_id=imported.event.id)
    assert (copy.what, copy.owner, str(copy.due), copy.status, copy.key) == (
        "Draft the plan",
        "Priya",
        "2027-01-31",
        "done",
        row.key,
    )
    assert await links.opened_by(imported.event, old_link, domain.keys) is None
    new_link = links.secret_of(copy, domain.keys)
    assert (await links.opened_by(imported.event, new_link, domain.keys)).id == copy.id  # type: ignore[union-attr]
