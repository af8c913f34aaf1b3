"""What the action board shows: the event's actions by session or by owner, each with its
status, its due date and whether it is overdue, and for staff each owner's private link."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from server.actions import board, links
from server.actions.board import STATUS_WORDS, Item
from server.actions.models import STATUSES, ActionItem
from server.events.access import Actor, Keys
from server.events.models import Event
from server.language import gettext as _
from server.language.formats import full_date
from server.language.surfaces import both
from server.series.carried import at_opening, carried_over

VIEWS = ("session", "owner")


@dataclass(frozen=True)
class Group:
    heading: str
    items: list[Item]
    pitch: int | None = None  # the session's notes link, when grouped by session


def groups(items: list[Item], by: str) -> list[Group]:
    if by == "owner":
        return [
            Group(owner or _("Nobody named yet"), mine) for owner, mine in board.by_owner(items)
        ]
    return [Group(title, mine, pitch) for pitch, title, mine in board.by_session(items)]


def status_words(status: str) -> str:
    return _(STATUS_WORDS.get(status, status))


def statuses() -> list[tuple[str, str]]:
    return [(status, status_words(status)) for status in STATUSES]


def due_words(item: Item, today: date) -> str:
    if item.due is None:
        return _("No date")
    if item.overdue(today):
        return _("Overdue: due by %(date)s") % {"date": full_date(item.due)}
    return _("Due by %(date)s") % {"date": full_date(item.due)}


def owner_links(rows: list[ActionItem], keys: Keys, public_url: str, slug: str) -> dict[int, str]:
    """Each action's private update link, for the staff to hand to its owner; none for an
    action whose owner was erased (server/events/erasure.py), whose link no longer opens."""
    secrets = {r.id: links.secret_of(r, keys) for r in rows}
    return {
        r.id: links.address(public_url, slug, secrets[r.id])
        for r in rows
        if keys.digest(secrets[r.id]) == r.link_key
    }


def helpers(today: date) -> dict[str, Any]:
    """What the templates call to say an item's status and due date."""
    return {
        "status_words": status_words,
        "statuses": statuses(),
        "due_words": lambda item: due_words(item, today),
        "overdue": lambda item: item.overdue(today),
    }


async def carried(
    event: Event, actor: Actor, *, languages: list[str] | None = None, pitches: int | None = None
) -> dict[str, Any]:
    """What partials/carried.html needs to show the previous event's open actions: said in
    ``languages`` on a shared screen (the viewer's own elsewhere), and, given how many sessions
    are pitched, only at the opening of the day."""
    if pitches is not None and not at_opening(pitches):
        return {"carried": None}
    today = board.today(event)
    return {
        "carried": await carried_over(event, actor),
        "carried_say": both(languages or []),
        "carried_due": lambda item: due_words(item, today),
        "carried_status": status_words,
    }
