"""The next event shows the previous one's open actions, live, without copying them."""

from __future__ import annotations

from server.actions import status
from server.actions.models import ActionItem
from server.events.access import PUBLIC
from server.events.models import Event
from server.notes.document import Action
from server.series.carried import carried_over
from tests.actions.helpers import session_of, write_actions
from tests.conftest import Domain
from tests.series.test_again import run_again


async def test_the_next_event_shows_what_is_still_open_from_the_one_before(
    domain: Domain,
) -> None:
    event, host, session = await session_of(domain)
    await write_actions(
        domain,
        event,
        host,
        session,
        Action("Draft the plan", "Priya", "2027-01-31"),
        Action("Book a room", "Tom"),
        Action("Thank the venue", "Ana"),
    )
    rows = await ActionItem.filter(event_id=event.id).order_by("id")
    staff = await domain.facilitator(event)
    await domain.writes.run(event, staff, status.set_status(rows[1].id, "started"))
    await domain.writes.run(event, staff, status.set_status(rows[2].id, "done"))
    following = await run_again(domain, await domain.refresh(event), {})
    newcomer = await domain.attendee(following, "Bo")

    shown = await carried_over(following, newcomer)
    assert shown is not None and shown.slug == event.slug
    assert [(i.what, i.status) for i in shown.actions] == [
        ("Draft the plan", "open"),
        ("Book a room", "started"),
    ]
    assert await ActionItem.filter(event_id=following.id).count() == 0, "nothing is copied"
    assert await carried_over(event, newcomer) is None, "the first event has none before it"

    # Live: a status changed at the event before is what the next one shows.
    await domain.writes.run(event, staff, status.set_status(rows[0].id, "done"))
    shown = await carried_over(following, newcomer)
    assert shown is not None and [i.what for i in shown.actions] == ["Book a room"]

    # The public (the projector) sees them once the event before is public.
    assert await carried_over(following, PUBLIC) is None
    await Event.filter(id=event.id).update(proceedings_published=True)
    assert await carried_over(following, PUBLIC) is not None

    # A third event shows the second's, which has none, not the first's.
    domain.secrets[following.id] = domain.secrets[event.id]  # the organiser link opens both
    third = await run_again(domain, await domain.refresh(following), {})
    assert await carried_over(third, newcomer) is None
