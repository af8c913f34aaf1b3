"""The board read back: by session, by owner, overdue, what is open and what falls due."""

from __future__ import annotations

from datetime import date

from server.actions import board, status
from server.actions.models import ActionItem
from server.notes.document import Action
from tests.actions.helpers import session_of, write_actions
from tests.conftest import Domain


async def test_by_owner_gathers_one_owner_however_typed(domain: Domain) -> None:
    event, host, session = await session_of(domain)
    await write_actions(
        domain,
        event,
        host,
        session,
        Action("Late", "ana", "2027-01-31"),
        Action("Early", "Ana ", "2027-01-02"),
        Action("Nobody's"),
        Action("Ben's", "Ben"),
    )
    grouped = board.by_owner(await board.items(event))
    assert [(owner, [i.what for i in mine]) for owner, mine in grouped] == [
        ("ana", ["Early", "Late"]),
        ("Ben", ["Ben's"]),
        ("", ["Nobody's"]),
    ]
    (session_group,) = board.by_session(await board.items(event))
    assert session_group[1] == "Open data"


async def test_open_actions_and_those_due_soon(domain: Domain) -> None:
    event, host, session = await session_of(domain)
    await write_actions(
        domain,
        event,
        host,
        session,
        Action("Soon", "Ana", "2027-01-05"),
        Action("Later", "Ana", "2027-03-01"),
        Action("Done soon", "Ana", "2027-01-04"),
        Action("Past", "Ana", "2026-12-01"),
    )
    done = await ActionItem.filter(event_id=event.id, what="Done soon").first()
    assert done is not None
    await domain.writes.run(
        event, await domain.facilitator(event), status.set_status(done.id, "done")
    )
    assert [i.what for i in await board.open_actions(event)] == ["Soon", "Later", "Past"]
    due = await board.due_within(event, 7, date(2027, 1, 1))
    assert [i.what for i in due] == ["Soon"]
    past = next(i for i in await board.items(event) if i.what == "Past")
    assert past.overdue(date(2027, 1, 1)) and not past.overdue(date(2026, 11, 30))
