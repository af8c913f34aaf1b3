"""Erasing personal data keeps every action on the board, with an erased owner removed."""

from __future__ import annotations

from server.actions import links, mine, status
from server.actions.models import ActionItem
from server.events.erasure import PSEUDONYM, erase_personal_data
from server.notes.document import Action
from tests.actions.helpers import session_of, write_actions
from tests.conftest import Domain


async def test_an_erased_owners_actions_stay_without_them(domain: Domain) -> None:
    event, host, session = await session_of(domain)
    await domain.attendee(event, "Priya Shah")
    await write_actions(
        domain,
        event,
        host,
        session,
        Action("Send Priya Shah the slides", "Priya", "2027-01-31"),
        Action("Book a room", "the team"),
    )
    priyas, teams = await ActionItem.filter(event_id=event.id).order_by("id")
    priya = await domain.attendee(event, "Priya")
    await domain.writes.run(event, priya, mine.take(priyas.id, priyas.link_key))
    assert [i.id for i in await mine.taken_by(event, priya.as_attendee().id)] == [priyas.id]
    organiser = await domain.organiser(event)
    await domain.writes.run(event, organiser, status.set_status(priyas.id, "done"))
    old_link = links.secret_of(priyas, domain.keys)

    await domain.run(event, organiser, erase_personal_data, event.slug, "https://snug.test")

    after, kept = await ActionItem.filter(event_id=event.id).order_by("id")
    assert (after.what, after.owner, after.status, str(after.due)) == (
        f"Send {PSEUDONYM} the slides",
        PSEUDONYM,
        "done",
        "2027-01-31",
    )
    assert await links.opened_by(event, old_link, domain.keys) is None
    assert after.attendee_id is None  # on nobody's own page any more
    assert await links.opened_by(event, links.secret_of(after, domain.keys), domain.keys) is None
    # An owner who isn't a person Snug knew keeps their action, and its link, as they were.
    assert (kept.owner, kept.link_key) == ("the team", teams.link_key)
