"""Votes feed the agendas' pre-filled choices and the grid's checks, so when votes change the
screens showing those hear of it too: after the votes are committed, debounced per event
(server/events/writes.py), never inside a vote's own write."""

from __future__ import annotations

from typing import Any

from server.events.access import SNUG
from server.events.batch import Command
from server.events.changes import Change
from server.events.journal import Journal
from server.events.models import Event
from server.events.writes import OVERTAKEN, Reaction
from server.grid.agenda import agendas, counts_in, headcounts
from server.grid.board import load_board
from server.grid.models import Placement
from server.grid.published import published_cells
from server.grid.views import checks_of
from server.marketplace.views import placed_dots

# Changes other than votes that move headcounts or checks, or record them: one of these landing
# between the measuring and the recording may make the figures measured stale.
MOVES_THE_GRID = ("grid.changed", "grid.published", "headcounts", "grid.checks", "venue.updated")
Found = list[tuple[str, dict[str, Any]]]


async def after_votes(event: Event) -> Command[object] | None:
    """The headcounts and checks the committed votes make, measured outside the event's lock,
    as a write recording them; None before any grid is drafted, when neither exists. The
    write answers OVERTAKEN, recording nothing, when what was measured may be stale."""
    if event.grid_version == 0:
        return None  # no grid has been drafted yet, the usual case while voting
    found, seen = await _measure(event), event.seq
    if not found:
        return None

    async def record(journal: Journal) -> object:
        moved = Change.filter(event_id=journal.event.id, seq__gt=seen, kind__in=MOVES_THE_GRID)
        if await moved.exists():
            # Measuring again here would hold the event's lock through a dozen reads, and
            # with several processes another's follow-up lands in nearly every gap: measure
            # again outside the lock instead, a moment later.
            return OVERTAKEN
        for kind, data in found:
            await journal.record(kind, data)
        return None

    return record


async def _measure(event: Event) -> Found:
    found: Found = []
    placed = await Placement.exists(event=event)
    if not (event.grid_live or placed):
        return found
    dots = await placed_dots(event)  # 30,000 rows at 10,000 people: read once for both
    if event.grid_live:
        cells = await published_cells(event)
        found.append(("headcounts", counts_in(cells, headcounts(await agendas(event, dots)))))
    if placed:
        found.append(("grid.checks", {"checks": await checks_of(await load_board(event, dots))}))
    return found


# Every change that moves dots: placing and taking back, and pitches leaving with theirs.
FOLLOW_VOTES = Reaction(
    kinds=frozenset({"votes", "pitch.withdrawn", "pitch.merged", "pitch.hidden"}),
    build=after_votes,
    actor=SNUG,
    # Measuring reads every agenda and the whole grid: in a storm, once a second is enough for
    # the facilitators' headcounts, and took a tenth of one process's time at four a second.
    busy_delay=1.0,
    # Every process's votes move the same headcounts: with several, one measures for all.
    shared=True,
)
