"""What the grid editor shows drawn on the server, from the staff snapshot the live editor
(web/static/js/grid.js) starts from: the draft grid as rooms across and slots down, and every
session with the cell it is in, so each can be placed or moved with a plain form."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from server.language import gettext as _
from server.language.formats import number
from server.pages import words


@dataclass
class Cell:
    room: dict[str, Any]
    slot: dict[str, Any]
    unavailable: bool
    pitch: dict[str, Any] | None = None


@dataclass
class Row:
    slot: dict[str, Any]
    cells: list[Cell] = field(default_factory=list)

    @property
    def kind(self) -> str:
        return str(self.slot.get("kind") or "session")

    @property
    def times(self) -> str:
        return f"{words.clock(self.slot['starts_at'])}\u2013{words.clock(self.slot['ends_at'])}"


@dataclass
class Choice:
    """A session, where it is on the draft grid, and the cell its form offers first."""

    pitch: dict[str, Any]
    room: int | None
    slot: int | None
    where: str


@dataclass
class GridEditor:
    state: dict[str, Any]
    rows: list[Row]
    choices: list[Choice]

    @property
    def draft(self) -> dict[str, Any]:
        return dict(self.state["draft"])

    @property
    def rooms(self) -> list[dict[str, Any]]:
        return list(self.state["rooms"])

    @property
    def session_slots(self) -> list[dict[str, Any]]:
        return [r.slot for r in self.rows if r.kind == "session"]

    @property
    def unplaced(self) -> list[Choice]:
        return sorted(
            (c for c in self.choices if c.where == ""),
            key=lambda c: (-c.pitch["votes"], c.pitch["id"]),
        )

    @property
    def served(self) -> str:
        served = self.draft["checks"]["served"]
        if not self.draft["placements"]:
            return _("No sessions placed yet")
        return _("%(percent)s%% of votes served") % {"percent": number(served["percent"])}


def grid_editor(state: dict[str, Any]) -> GridEditor:
    pitches = {p["id"]: p for p in state["pitches"] if not p["hidden"]}
    at = {(p["room"], p["slot"]): p["pitch"] for p in state["draft"]["placements"]}
    rows = []
    for slot in sorted(state["slots"], key=lambda s: (s["starts_at"], s["id"])):
        row = Row(slot)
        for room in state["rooms"]:
            pitch = pitches.get(at.get((room["id"], slot["id"]), -1))
            row.cells.append(Cell(room, slot, slot["id"] in room["unavailable"], pitch))
        rows.append(row)
    editor = GridEditor(state, rows, [])
    placed = {p["pitch"]: (p["room"], p["slot"]) for p in state["draft"]["placements"]}
    free = _first_free(editor, set(at))
    for pitch in sorted(pitches.values(), key=lambda p: p["id"]):
        cell = placed.get(pitch["id"])
        room, slot = cell or free or (None, None)
        editor.choices.append(Choice(pitch, room, slot, _where(editor, cell) if cell else ""))
    return editor


def _first_free(editor: GridEditor, taken: set[tuple[int, int]]) -> tuple[int, int] | None:
    """The first empty cell a session not on the grid is offered, as the live editor does."""
    for row in editor.rows:
        for cell in row.cells:
            key = (cell.room["id"], cell.slot["id"])
            if row.kind == "session" and not cell.unavailable and key not in taken:
                return key
    return None


def _where(editor: GridEditor, cell: tuple[int, int]) -> str:
    room = next((r["name"] for r in editor.rooms if r["id"] == cell[0]), "a room")
    slot = next((s for s in editor.state["slots"] if s["id"] == cell[1]), None)
    return f"{room}, {words.slot_words(slot)}" if slot else room
