"""The rooms and time slots as grid edits see them: the lists the organiser's page saves,
made from the board with one room or slot added, changed or taken away, and what undoes such
an edit, so that undoing a removal brings the room or slot back under its own id."""

from __future__ import annotations

import itertools
from typing import Any

from server.errors import Conflict, Invalid, NotFound
from server.events import setup
from server.events.models import Attendee, Event
from server.grid.board import Board, load_board
from server.grid.models import AgendaChoice, PublishedPlacement
from server.language import N_
from server.marketplace.models import Pitch

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
    """The rooms and slots whole, ids and order included (a room's place in the list as
    ``position``)."""
    return {
        "rooms": [{**room, "position": i} for i, room in enumerate(rooms_of(board))],
        "slots": slots_of(board),
    }


def inverse(before: dict[str, Items], after: dict[str, Items]) -> dict[str, Any]:
    """What undoes going from ``before`` to ``after``, as an undo step keeps it: the rooms and
    slots the edit changed or removed, as they were, and the ids of those it added. Only
    those: a room the organiser adds meanwhile stays when the edit is undone, and a room that
    only moved up the list because one above it went is not kept (undo puts a removed room
    back in its old place, ``position``, among the rooms there are then)."""
    found: dict[str, Any] = {}
    for kind in ("rooms", "slots"):
        was = {item["id"]: item for item in before[kind]}
        now = {item["id"]: _placeless(item) for item in after[kind]}
        found[kind] = {
            "restore": [
                item if i not in now else _placeless(item)
                for i, item in was.items()
                if now.get(i) != _placeless(item)
            ],
            "remove": sorted(set(now) - set(was)),
        }
    return found


def _placeless(item: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in item.items() if k != "position"}


async def restore(event: Event, undo: dict[str, Any]) -> dict[str, Any]:
    """Applies what ``inverse`` kept, through the same checks as every change of the rooms and
    slots (``setup.put_rooms``, ``setup.put_slots``): changed rooms and slots go back, added
    ones go, and removed ones return under their old ids, so the placements kept with them
    fit again. A room that comes back to find another room with its name since is given a
    name of its own, "Hall (2)", said in what is returned; a change the checks refuse now
    (a time the clocks skip in a new time zone, the most rooms an event may have) refuses
    the undo, changing nothing."""
    board = await load_board(event)
    slots = slots_of(board)
    _apply(slots, undo["slots"])
    rooms = rooms_of(board)
    back = _apply(rooms, undo["rooms"])
    slot_ids = {s["id"] for s in slots}
    for room in rooms:  # a slot removed since can't be one a room is kept out of
        room["unavailable"] = [s for s in room.get("unavailable", []) if s in slot_ids]
    renamed = _named_apart(rooms, back)
    try:
        # Slots first, so that the rooms' "not available in" lists name slots that exist.
        await setup.put_slots(event, slots, returning=True)
        await setup.put_rooms(event, rooms, returning=True)
    except Invalid as exc:
        raise Conflict(
            N_("The last change can't be undone now: %(why)s Nothing was changed."),
            values={"why": exc},
        ) from None
    there = {"room_id": {r["id"] for r in rooms}, "slot_id": slot_ids}
    await _published_again(event, undo.get("published", []), there)
    await _chosen_again(event, undo.get("choices", []))
    return {"renamed": renamed} if renamed else {}


async def held(event: Event, kind: str, ids: set[int]) -> dict[str, Any]:
    """What removing these rooms or slots takes with it beyond the draft, kept so that undoing
    the removal brings it back: where the published grid had the sessions in them (removing
    a room or slot takes its sessions off the published grid at once), and, for slots,
    people's agenda choices in them (removing a slot deletes them)."""
    if not ids:
        return {}
    where = {f"{kind}_id__in": sorted(ids)}
    published = await PublishedPlacement.filter(event=event, **where).values(
        "pitch_id", "room_id", "slot_id"
    )
    found: dict[str, Any] = {"published": [dict(row) for row in published]} if published else {}
    if kind == "slot":
        choices = await AgendaChoice.filter(event=event, **where).values(
            "attendee_id", "slot_id", "pitch_id"
        )
        if choices:
            found["choices"] = [dict(row) for row in choices]
    return found


async def _published_again(
    event: Event, rows: list[dict[str, Any]], there: dict[str, set[int]]
) -> None:
    """Puts sessions back in their published rooms and slots, each only if it is still as the
    removal left it (the other half of its cell unchanged: no publish has placed it since)
    and its room and slot are both there now."""
    for row in rows:
        if not all(row[key] in ids for key, ids in there.items()):
            continue
        found = await PublishedPlacement.get_or_none(event=event, pitch_id=row["pitch_id"])
        if found is None:
            continue
        left = (found.room_id is None and found.slot_id == row["slot_id"]) or (
            found.slot_id is None and found.room_id == row["room_id"]
        )
        if left:
            found.room_id, found.slot_id = row["room_id"], row["slot_id"]
            found.sequence += 1  # calendars hear the session is on again
            await found.save()


async def _chosen_again(event: Event, rows: list[dict[str, Any]]) -> None:
    """Gives people back the agenda choices they had in a slot that returns, if they and the
    session chosen are still part of the event."""
    if not rows:
        return
    people = set(
        await Attendee.filter(
            event=event, id__in=sorted({r["attendee_id"] for r in rows})
        ).values_list("id", flat=True)
    )
    chosen = sorted({r["pitch_id"] for r in rows if r["pitch_id"] is not None})
    pitches = set(await Pitch.filter(event=event, id__in=chosen).values_list("id", flat=True))
    await AgendaChoice.bulk_create(
        [
            AgendaChoice(event=event, **row)
            for row in rows
            if row["attendee_id"] in people
            and (row["pitch_id"] is None or row["pitch_id"] in pitches)
        ]
    )


def _apply(items: Items, undo: dict[str, Any]) -> set[int]:
    """Takes the added items out of the list and puts the kept ones back: changed ones where
    they are now, removed ones at their old place. Returns the ids of the items put back."""
    gone = set(undo["remove"])
    items[:] = [item for item in items if item["id"] not in gone]
    by_id = {item["id"]: item for item in items}
    returning = []
    for row in undo["restore"]:
        values = _placeless(row)
        if row["id"] in by_id:
            by_id[row["id"]].update(values)
        else:
            returning.append((row.get("position", len(items)), row["id"], values))
    for position, _id, values in sorted(returning, key=lambda r: (r[0], r[1])):
        items.insert(min(position, len(items)), values)
    return {row["id"] for row in undo["restore"]}


def _named_apart(rooms: Items, back: set[int]) -> list[dict[str, Any]]:
    """Renames each room undo puts back whose name another room has taken meanwhile."""
    renamed = []
    for room in rooms:
        if room["id"] not in back:
            continue
        taken = {r["name"].strip().casefold() for r in rooms if r is not room}
        name = room["name"].strip()
        if name.casefold() not in taken:
            continue
        for n in itertools.count(2):
            tail = f" ({n})"
            candidate = name[: setup.ROOM_NAME_LENGTH - len(tail)].rstrip() + tail
            if candidate.casefold() not in taken:
                break
        renamed.append({"room": room["id"], "was": name, "now": candidate})
        room["name"] = candidate
    return renamed
