"""The published grid: where attendees are told each session is."""

from __future__ import annotations

from typing import Any

from server.events.models import Event
from server.grid.board import Board, Cell
from server.grid.models import PublishedPlacement


async def published_cells(event: Event) -> dict[int, Cell]:
    rows = await PublishedPlacement.filter(event=event, room_id__isnull=False)
    return {r.pitch_id: (r.room_id, r.slot_id) for r in rows if r.room_id and r.slot_id}


async def publish_draft(board: Board) -> list[dict[str, Any]]:
    """Makes the published grid match the draft; returns what moved, from where to where."""
    before = await published_cells(board.event)
    rows = {r.pitch_id: r for r in await PublishedPlacement.filter(event=board.event)}
    after = board.grid
    moved = []
    for pitch_id in sorted(set(before) | set(after)):
        was, now = before.get(pitch_id), after.get(pitch_id)
        if was == now:
            continue
        moved.append({"pitch": pitch_id, "from": _cell(was), "to": _cell(now)})
        row = rows.get(pitch_id)
        room_id, slot_id = now if now else (None, None)
        if row is None:
            await PublishedPlacement.create(
                event=board.event, pitch_id=pitch_id, room_id=room_id, slot_id=slot_id
            )
        else:
            row.room_id, row.slot_id, row.sequence = room_id, slot_id, row.sequence + 1
            await row.save()
    return moved


def _cell(cell: Cell | None) -> dict[str, int] | None:
    return {"room": cell[0], "slot": cell[1]} if cell else None
