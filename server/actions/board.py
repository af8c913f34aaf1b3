"""The event's actions as the board, the feeds and the proceedings read them: by session, by
owner, what is still open and what falls due soon."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from server.actions.models import ActionItem
from server.events.models import Event
from server.language import N_
from server.marketplace.models import Pitch

UNDONE = ("open", "started")
STATUS_WORDS = {
    "open": N_("Open"),
    "started": N_("Started"),
    "done": N_("Done"),
    "dropped": N_("Dropped"),
}


@dataclass(frozen=True)
class Item:
    """One action on the board: no secret of it, so it may go to anyone who sees the board."""

    id: int
    pitch: int
    session: str
    what: str
    owner: str
    due: date | None
    status: str
    removed: bool  # taken out of the notes, kept because its status had changed
    status_at: datetime | None

    def overdue(self, today: date) -> bool:
        return self.due is not None and self.due < today and self.status in UNDONE

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "session": {"id": self.pitch, "title": self.session},
            "what": self.what,
            "owner": self.owner,
            "due": self.due.isoformat() if self.due else None,
            "status": self.status,
            "removed": self.removed,
            "status_changed_at": self.status_at.isoformat() if self.status_at else None,
        }


async def items(event: Event, *, rows: Iterable[ActionItem] | None = None) -> list[Item]:
    """Every action of the event, in the order their sessions and notes list them."""
    found = list(rows) if rows is not None else await ActionItem.filter(event_id=event.id)
    titles = dict(await Pitch.filter(event_id=event.id).values_list("id", "title"))
    return [
        Item(
            r.id,
            r.pitch_id,
            str(titles.get(r.pitch_id, "")),
            r.what,
            r.owner,
            r.due,
            r.status,
            r.removed,
            r.status_at,
        )
        for r in sorted(found, key=lambda r: (r.pitch_id, r.id))
    ]


def by_session(shown: list[Item]) -> list[tuple[int, str, list[Item]]]:
    """(pitch id, session title, its actions) for each session with actions."""
    groups: dict[int, list[Item]] = {}
    for item in shown:
        groups.setdefault(item.pitch, []).append(item)
    return [(pitch, group[0].session, group) for pitch, group in groups.items()]


def by_owner(shown: list[Item]) -> list[tuple[str, list[Item]]]:
    """(owner, their actions), owners alphabetically; actions nobody owns last, under ""."""
    groups: dict[str, list[Item]] = {}
    names: dict[str, str] = {}
    for item in shown:
        folded = owner_key(item.owner)
        names.setdefault(folded, item.owner.strip())
        groups.setdefault(folded, []).append(item)
    order = sorted(groups, key=lambda folded: (folded == "", folded))
    return [(names[folded], sorted(groups[folded], key=_by_due)) for folded in order]


async def owned_by(event: Event, name: str) -> list[Item]:
    """The actions whose owner is named as this person is (owners are typed as names, so the
    same name is the same owner); none for someone who gave no name."""
    if not owner_key(name):
        return []
    rows = [
        row
        for row in await ActionItem.filter(event_id=event.id)
        if owner_key(row.owner) == owner_key(name)
    ]
    return await items(event, rows=rows)


def owner_key(owner: str) -> str:
    """Owners as people type them: "Ana", "ana " and "ANA" are one owner."""
    return " ".join(owner.split()).casefold()


def _by_due(item: Item) -> tuple[date, int]:
    return (item.due or date.max, item.id)


def today(event: Event, now: datetime | None = None) -> date:
    """Today where the event is held: an action is overdue there, not in UTC."""
    return (now or datetime.now(UTC)).astimezone(ZoneInfo(event.timezone)).date()


async def open_actions(event: Event) -> list[Item]:
    """What is still to do, for carrying over to the next event in a series."""
    return [i for i in await items(event) if i.status in UNDONE and not i.removed]


async def due_within(event: Event, days: int, on: date) -> list[Item]:
    """Open actions falling due from ``on`` to ``days`` days after it, soonest first: what a
    reminder before the due date would be about."""
    last = on + timedelta(days=days)
    due = [i for i in await open_actions(event) if i.due is not None and on <= i.due <= last]
    return sorted(due, key=_by_due)
