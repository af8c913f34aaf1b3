"""An owner's actions on their own event page: opening an action's private link on the phone
they joined with, they take it onto their page, and update it there among their agenda.

The link stays what lets them: taking an action needs both the link and the person's own
sign-in to the event, so a name typed the same by someone else opens nothing.
"""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable
from typing import Any

from server.actions import board
from server.actions.board import Item
from server.actions.models import ActionItem
from server.actions.status import NO_SUCH
from server.errors import NotFound
from server.events.journal import Journal
from server.events.models import Event


def take(action_id: int, link_key: str) -> Callable[[Journal], Awaitable[dict[str, Any]]]:
    """The write that puts the action whose link this is on the asking attendee's page (from
    whoever had it before: the link's holder is its owner)."""

    async def command(journal: Journal) -> dict[str, Any]:
        attendee = journal.actor.as_attendee()
        row = await ActionItem.get_or_none(id=action_id, event_id=journal.event.id)
        if row is None or not hmac.compare_digest(row.link_key, link_key):
            raise NotFound(NO_SUCH)
        await ActionItem.filter(id=row.id).update(attendee_id=attendee.id)
        return {"id": row.id, "taken": True}

    return command


async def taken_by(event: Event, attendee_id: int) -> list[Item]:
    """The actions this person took onto their page, soonest due first."""
    rows = await ActionItem.filter(event_id=event.id, attendee_id=attendee_id)
    return sorted(await board.items(event, rows=rows), key=lambda i: (i.due is None, i.due, i.id))
