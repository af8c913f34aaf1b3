"""Changing an action's status: the event's staff, or whoever holds the action's private link.

Each change is a write of the event with a Change (``action.status``), so every open board
hears of it and the event's history keeps it.
"""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from server.actions.models import STATUSES, ActionItem
from server.errors import Invalid, NotFound
from server.events.access import Role
from server.events.journal import Journal
from server.language import N_

NO_SUCH = N_("This event has no such action; it may have been taken out of the notes.")


def set_status(
    action_id: int, status: str, *, link_key: str | None = None, taken: bool = False
) -> Callable[[Journal], Awaitable[dict[str, Any]]]:
    """The write that moves an action to ``status``; answers the action's id and status (a
    receipt keeps the answer, so it is plain data). With ``link_key`` (the keyed hash of the
    link it was sent from) the link must be this action's; ``taken``: the attendee asking must
    have taken it onto their page from that link (server/actions/mine.py); else only staff."""

    async def command(journal: Journal) -> dict[str, Any]:
        if link_key is None and not taken:
            journal.actor.require(Role.facilitator)
        row = await ActionItem.get_or_none(id=action_id, event_id=journal.event.id)
        if (
            row is None
            or (link_key is not None and not hmac.compare_digest(row.link_key, link_key))
            or (taken and row.attendee_id != journal.actor.as_attendee().id)
        ):
            raise NotFound(NO_SUCH)
        if status not in STATUSES:
            raise Invalid(N_("Choose open, started, done or dropped."))
        if status == row.status:
            return {"id": row.id, "status": row.status}
        was, row.status, row.status_at = row.status, status, datetime.now(UTC)
        await ActionItem.filter(id=row.id).update(status=status, status_at=row.status_at)
        by = "link" if link_key is not None or taken else journal.actor.label
        data = {"action": row.id, "pitch": row.pitch_id, "status": status, "was": was, "by": by}
        await journal.record("action.status", data)
        return {"id": row.id, "status": row.status}

    return command
