"""The rooms and time slots as grid edits see them: the lists the organiser's page saves,
made from the board with one room or slot added, changed or taken away, and what undoes such
an edit, so that undoing a removal brings the room or slot back under its own id."""

from __future__ import annotations

from typing import Any

from server.errors import NotFound
from server.events.models import Event, Room, Slot
from server.grid.board import Board
from server.language import N_

Items = list[dict[str, Any]]


def rooms_of(board: Board) -> Items:
    """The rooms as ``setup.put_rooms`` takes them, in their order."""
    return [
        {
            "id": r.id,
            "name": r.name,
            "capacity": r.capacity,
            "features": r.features,
            # A slot removed since would make the list invalid; it is no longer there to avoid.
            "unavailable": [s for s in r.unavailable if s in board.slots],
        }
        for r in sorted(board.rooms.values(), key=lambda r: (r.position, r.id))
    ]


def slots_of(board: Board) -> Items:
    """The slots as ``setup.put_slots`` takes them."""
    return [
        {
            "id": s.id,
            "starts_at": s.starts_at,
            "ends_at": s.ends_at,
            "label": s.label,
            "kind": s.kind,
        }
        for s in sorted(board.slots.values(), key=lambda s: (s.starts_at, s.id))
    ]


def find(items: Items, kind: str, item_id: int) -> dict[str, Any]:
    found = next((item for item in items if item["id"] == item_id), None)
    if found is None:
        raise NotFound(
            N_("There is no room %(id)s in this event; it may have been removed.")
            if kind == "room"
            else N_("There is no time slot %(id)s in this event; it may have been removed."),
            values={"id": item_id},
        )
    return found


def kept(board: Board) -> dict[str, Items]:
    """The rooms and slots whole, ids and order included."""
    positions = {r.id: r.position for r in board.rooms.values()}
    return {
        "rooms": [{**room, "position": positions[room["id"]]} for room in rooms_of(board)],
        "slots": slots_of(board),
    }


def inverse(before: dict[str, Items], after: dict[str, Items]) -> dict[str, Any]:
    """What undoes going from ``before`` to ``after``, as an undo step keeps it: the rooms and
    slots the edit changed or removed, as they were, and the ids of those it added. Only
    those: a room the organiser adds meanwhile stays when the edit is undone."""
    found: dict[str, Any] = {}
    for kind in ("rooms", "slots"):
        was = {item["id"]: item for item in before[kind]}
        now = {item["id"]: item for item in after[kind]}
        found[kind] = {
            "restore": [item for i, item in was.items() if now.get(i) != item],
            "remove": sorted(set(now) - set(was)),
        }
    return found


async def restore(event: Event, undo: dict[str, Any]) -> None:
    """Applies what ``inverse`` kept: changed rooms and slots go back, added ones go, and
    removed ones return under their old ids, so the placements kept with them fit again."""
    # Slots first, so that the rooms' "not available in" lists name slots that exist.
    for model, kind in ((Slot, "slots"), (Room, "rooms")):
        rows = undo[kind]["restore"]
        ids = [row["id"] for row in rows]
        existing = {row.id: row for row in await model.filter(event=event, id__in=ids)}
        for row in rows:
            values = {k: v for k, v in row.items() if k != "id"}
            found = existing.get(row["id"])
            if found is None:
                await model.create(event=event, id=row["id"], **values)
            else:
                found.update_from_dict(values)
                await found.save()
        if undo[kind]["remove"]:
            await model.filter(event=event, id__in=undo[kind]["remove"]).delete()
