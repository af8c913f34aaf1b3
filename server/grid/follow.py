"""Votes feed the agendas' pre-filled choices and the grid's checks, so when votes change the
screens showing those hear of it too, in the same transaction as the votes."""

from __future__ import annotations

from server.events.journal import Journal
from server.grid.agenda import agendas, counts_in, headcounts
from server.grid.board import load_board
from server.grid.models import Placement
from server.grid.published import published_cells
from server.grid.views import checks


async def after_votes(journal: Journal) -> None:
    event = journal.event
    if event.grid_version == 0:
        return  # no grid has been drafted yet, the usual case while voting
    if event.grid_live:
        cells = await published_cells(event)
        await journal.record("headcounts", counts_in(cells, headcounts(await agendas(event))))
    if await Placement.exists(event=event):
        await journal.record("grid.checks", {"checks": checks(await load_board(event))})
