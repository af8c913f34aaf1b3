"""How the grid looks: the published grid for everyone, the draft and its checks for staff."""

from __future__ import annotations

from collections import Counter
from typing import Any

from server.allocation import served_votes
from server.events.models import Event
from server.grid.agenda import agendas, counts_in, headcounts
from server.grid.board import Board
from server.grid.published import published_cells
from server.grid.seats import seat_counts


async def published_view(event: Event) -> dict[str, Any]:
    cells = await published_cells(event)
    return {
        "live": event.grid_live,
        "placements": [{"pitch": p, "room": r, "slot": s} for p, (r, s) in sorted(cells.items())],
        **counts_in(cells, headcounts(await agendas(event))),
        "seats": await seat_counts(event),
    }


async def draft_view(board: Board) -> dict[str, Any]:
    published = await published_cells(board.event)
    grid = board.grid
    differs = (
        sorted(p for p in set(grid) | set(published) if grid.get(p) != published.get(p))
        if board.event.grid_live
        else []
    )
    return {
        "version": board.event.grid_version,
        "live": board.event.grid_live,
        "placements": [
            {"pitch": p, "room": pl.room_id, "slot": pl.slot_id, "locked": pl.locked}
            for p, pl in sorted(board.placements.items())
        ],
        "differs": differs,
        "checks": checks(board),
    }


def checks(board: Board) -> dict[str, Any]:
    """The live checks beside the grid, recomputed on every change."""
    grid = board.grid
    served = served_votes(board.instance(), grid)
    too_small = [
        {
            "pitch": p,
            "room": room,
            "interest": board.interest.get(p, 0),
            "capacity": board.rooms[room].capacity,
        }
        for p, (room, _slot) in sorted(grid.items())
        if board.interest.get(p, 0) > board.rooms[room].capacity
    ]
    clashes: Counter[int] = Counter()
    for sessions in board.votes.values():
        per_slot = Counter(grid[s][1] for s in sessions if s in grid)
        clashes.update(slot for slot, n in per_slot.items() if n > 1)
    return {
        "served": {
            "served": served.served,
            "total": served.total,
            "percent": round(served.percent, 1),
            "lost_to_clashes": served.lost_to_clashes,
            "lost_to_seats": served.lost_to_seats,
        },
        "too_small": too_small,
        "clashes": [
            {"slot": s, "attendees": clashes.get(s, 0)}
            for s in board.slots
            if board.slots[s].kind == "session"
        ],
    }
