"""Releases of the grid: facilitators edit a draft, and attendees see only what was published.

Each publish keeps a numbered release. Before publishing, the facilitator sees what would change
since the last release and who it touches; afterwards they can read the history, compare two
releases and roll back to an earlier one, which is published as a new release in its turn.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from server.errors import Conflict, NotFound
from server.events.access import Role
from server.events.journal import Journal
from server.events.models import Event
from server.grid.board import Board, Cell, load_board
from server.grid.models import (
    AgendaChoice,
    GridRelease,
    Placement,
    PublishedPlacement,
    SeatClaim,
)
from server.grid.published import published_cells
from server.grid.version import require_version
from server.language import N_
from server.marketplace.models import Dot, Pitch

Cells = dict[int, Cell]  # pitch id -> (room id, slot id)
HISTORY_LENGTH = 200  # releases shown; an event publishes a few dozen at most


@dataclass(frozen=True)
class Shift:
    """One session whose place differs between two grids."""

    pitch: int
    was: Cell | None
    now: Cell | None

    @property
    def kind(self) -> str:
        if self.was is None:
            return "added"
        if self.now is None:
            return "dropped"
        return "moved"

    def as_json(self) -> dict[str, Any]:
        return {
            "pitch": self.pitch,
            "kind": self.kind,
            "from": _cell(self.was),
            "to": _cell(self.now),
            "room_changed": bool(self.was and self.now and self.was[0] != self.now[0]),
            "time_changed": bool(self.was and self.now and self.was[1] != self.now[1]),
        }


def diff(before: Cells, after: Cells) -> list[Shift]:
    """Every session placed differently in ``after`` than in ``before``, by pitch id."""
    return [
        Shift(p, before.get(p), after.get(p))
        for p in sorted(set(before) | set(after))
        if before.get(p) != after.get(p)
    ]


async def concerned(event: Event, pitch_ids: set[int]) -> set[int]:
    """The attendees whose agenda a change to these sessions touches: whoever voted for one,
    chose one in their agenda or claimed a seat in one (the phones that show a notice)."""
    if not pitch_ids:
        return set()
    found: set[int] = set()
    for model in (Dot, AgendaChoice, SeatClaim):
        rows = await model.filter(event=event, pitch_id__in=sorted(pitch_ids)).values_list(
            "attendee_id", flat=True
        )
        found.update(int(str(a)) for a in rows)
    return found


async def seat_claims(event: Event, pitch_ids: set[int]) -> dict[str, int]:
    """The seat claims held or waiting in sessions that move: those people's places change."""
    claims = await SeatClaim.filter(event=event, pitch_id__in=sorted(pitch_ids)).values_list(
        "seated", flat=True
    )
    seated = sum(1 for s in claims if s)
    return {"seated": seated, "waiting": len(claims) - seated}


async def changes(event: Event, before: Cells, after: Cells) -> dict[str, Any]:
    """What going from one grid to another changes, and for whom."""
    shifts = diff(before, after)
    touched = {s.pitch for s in shifts}
    return {
        "changes": [s.as_json() for s in shifts],
        "rooms_changed": sum(1 for s in shifts if s.as_json()["room_changed"]),
        "people": len(await concerned(event, touched)),
        "seat_claims": await seat_claims(event, touched),
    }


async def latest(event: Event) -> GridRelease | None:
    return await GridRelease.filter(event=event).order_by("-number").first()


async def preview(event: Event) -> dict[str, Any]:
    """What publishing the draft now would change since the last release."""
    board = await load_board(event)
    last = await latest(event)
    before = await published_cells(event) if last is not None else {}
    return {
        "version": event.grid_version,
        "live": event.grid_live,
        "release": last.number if last else None,
        **await changes(event, before, board.grid),
    }


async def release(
    event: Event, kind: str, rows: list[dict[str, Any]], source: int | None = None
) -> GridRelease:
    """Keeps a grid (placement rows, as ``Board.rows`` gives) as the next numbered release."""
    last = await latest(event)
    number = (last.number if last else 0) + 1
    return await GridRelease.create(
        event=event, number=number, kind=kind, source=source, placements=rows
    )


async def find(event: Event, number: int) -> GridRelease:
    found = await GridRelease.get_or_none(event=event, number=number)
    if found is None:
        raise NotFound(
            N_("There is no release %(number)s of this grid."), values={"number": number}
        )
    return found


def cells_of(found: GridRelease) -> Cells:
    return {r["pitch_id"]: (r["room_id"], r["slot_id"]) for r in found.placements}


async def history(event: Event) -> list[dict[str, Any]]:
    """The latest releases, newest first, with how many sessions each changed from the one
    before it (one more is read than is shown, for the oldest shown to compare with)."""
    kept = await GridRelease.filter(event=event).order_by("-number").limit(HISTORY_LENGTH + 1)
    kept.reverse()
    shown: list[dict[str, Any]] = []
    before: Cells = cells_of(kept.pop(0)) if len(kept) > HISTORY_LENGTH else {}
    for found in kept:
        cells = cells_of(found)
        shown.append(
            {
                "number": found.number,
                "kind": found.kind,
                "source": found.source,
                "at": found.at.isoformat(),
                "sessions": len(cells),
                "changed": len(diff(before, cells)) if found.kind != "unpublish" else 0,
            }
        )
        before = cells
    return shown[::-1]


async def compare(event: Event, older: int, newer: int) -> dict[str, Any]:
    a, b = await find(event, older), await find(event, newer)
    return {"from": older, "to": newer, **await changes(event, cells_of(a), cells_of(b))}


async def rollback_preview(event: Event, number: int) -> dict[str, Any]:
    """What rolling back to a release would change on attendees' phones."""
    found = await find(event, number)
    before = await published_cells(event) if event.grid_live else {}
    return {"release": number, **await changes(event, before, cells_of(found))}


async def restore_draft(board: Board, number: int) -> dict[str, Any]:
    """Makes the draft the release's grid, leaving out what has gone since (a hidden session,
    a removed room or slot); the grid's rules are checked by the edit that calls this."""
    found = await find(board.event, number)
    sessions = {s.id for s in board.slots.values() if s.kind == "session"}
    await Placement.filter(event=board.event).delete()
    await Placement.bulk_create(
        [
            Placement(event=board.event, **row)
            for row in found.placements
            if row["pitch_id"] in board.pitches
            and row["room_id"] in board.rooms
            and row["slot_id"] in sessions
        ]
    )
    return {"restored": number}


async def unpublish(journal: Journal, version: int) -> GridRelease:
    """Takes the grid off attendees' phones; kept as a release so the history says when."""
    journal.actor.require(Role.facilitator)
    require_version(journal, version)
    if not journal.event.grid_live:
        raise Conflict(N_("The grid isn't published, so there is nothing to unpublish."))
    last = await latest(journal.event)
    # It holds what attendees last saw, not the draft, so comparing and rolling back to it
    # mean what they say.
    taken_down = await release(journal.event, "unpublish", last.placements if last else [])
    journal.event.grid_live = False
    await journal.event.save(update_fields=["grid_live"])
    return taken_down


def _cell(cell: Cell | None) -> dict[str, int] | None:
    return {"room": cell[0], "slot": cell[1]} if cell else None


async def sessions_in(event: Event, kind: str, ids: set[int]) -> list[dict[str, Any]]:
    """The sessions, on the draft or the published grid, in any of these rooms or slots."""
    if not ids:
        return []
    where = {f"{kind}_id__in": sorted(ids)}
    found: set[int] = set()
    for model in (Placement, PublishedPlacement):
        rows = await model.filter(event=event, **where).values_list("pitch_id", flat=True)
        found.update(int(str(p)) for p in rows)
    pitches = await Pitch.filter(id__in=sorted(found)).order_by("id")
    return [{"pitch": p.id, "title": p.title} for p in pitches]
