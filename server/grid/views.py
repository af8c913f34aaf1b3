"""How the grid looks: the published grid for everyone, the draft and its checks for staff."""

from __future__ import annotations

from collections import Counter
from typing import Any

from server.allocation import Grid, Instance, served_votes
from server.events.models import Event
from server.grid.agenda import agendas, counts_in, headcounts
from server.grid.board import Board
from server.grid.models import GridRelease, GridStep
from server.grid.published import published_cells
from server.grid.seats import seat_counts
from server.grid.steps import undo_said
from server.language import N_
from server.workers import Busy, Processes


async def published_view(event: Event, counted: bool = True) -> dict[str, Any]:
    """The published grid; without its headcounts unless ``counted``: they are filled in from
    the dots, so they would show the interest the organiser keeps back with the totals."""
    cells = await published_cells(event)
    return {
        "live": event.grid_live,
        # Published once and taken down since: phones say so, rather than nothing yet.
        "taken_down": not event.grid_live and await _taken_down(event),
        "placements": [{"pitch": p, "room": r, "slot": s} for p, (r, s) in sorted(cells.items())],
        **(counts_in(cells, headcounts(await agendas(event))) if counted else {"headcounts": {}}),
        "seats": await seat_counts(event),
    }


async def _taken_down(event: Event) -> bool:
    latest = await GridRelease.filter(event=event).order_by("-number").only("id", "kind").first()
    return latest is not None and latest.kind == "unpublish"


async def draft_view(board: Board) -> dict[str, Any]:
    published = await published_cells(board.event)
    grid = board.grid
    differs = (
        sorted(p for p in set(grid) | set(published) if grid.get(p) != published.get(p))
        if board.event.grid_live
        else []
    )
    step = await GridStep.filter(event=board.event).order_by("-id").only("id", "what").first()
    return {
        "version": board.event.grid_version,
        "live": board.event.grid_live,
        "placements": [
            {"pitch": p, "room": pl.room_id, "slot": pl.slot_id, "locked": pl.locked}
            for p, pl in sorted(board.placements.items())
        ],
        "differs": differs,
        "checks": await checks_of(board),
        # What "Undo" would take back, in the words of its button; None when nothing would.
        "undo": undo_said(board.event, step.what) if step else None,
    }


# Checking a grid takes about 2 µs a vote: a millisecond for 150 people, 18 ms for 3,000 with
# 9,400 votes between them. Below this many votes (4 ms) it is done at once, where it costs
# about what the trip to a process would.
CHECKS_INLINE = 2_000
_checkers = Processes(
    "checks",
    processes=1,
    waiting=8,
    busy=N_("Snug is checking other grids just now."),
)


async def checks_of(board: Board) -> dict[str, Any]:
    """``checks``, in a process of its own for a board large enough to hold up the event loop."""
    instance, grid = board.instance(), board.grid
    if sum(len(sessions) for sessions in board.votes.values()) < CHECKS_INLINE:
        return checked(instance, grid, board.interest)
    try:
        return await _checkers.run(checked, instance, grid, board.interest)
    except Busy:
        return checked(instance, grid, board.interest)  # an edit is never refused for want of it


def checked(instance: Instance, grid: Grid, interest: dict[int, int]) -> dict[str, Any]:
    """The live checks beside the grid, from plain data, so that a process can make them."""
    served = served_votes(instance, grid)
    capacity = {room.id: room.capacity for room in instance.rooms}
    too_small = [
        {"pitch": p, "room": room, "interest": interest.get(p, 0), "capacity": capacity[room]}
        for p, (room, _slot) in sorted(grid.items())
        if interest.get(p, 0) > capacity[room]
    ]
    clashes: Counter[int] = Counter()
    for sessions in instance.votes.values():
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
        "clashes": [{"slot": s, "attendees": clashes.get(s, 0)} for s in instance.slots],
    }
