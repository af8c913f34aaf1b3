"""What the latest publish changed, as the projector's board highlights it."""

from __future__ import annotations

from typing import Any

from server.grid.recent import changed

CELL = {"room": 1, "slot": 2}


def test_moves_and_newly_placed_sessions_are_news() -> None:
    moved: list[dict[str, Any]] = [
        {"pitch": 1, "from": CELL, "to": {"room": 3, "slot": 2}},
        {"pitch": 2, "from": None, "to": CELL},
        {"pitch": 3, "from": CELL, "to": None},  # taken off the grid: no cell to mark
    ]
    placed = [{"pitch": 1}, {"pitch": 2}, {"pitch": 4}]
    assert changed(moved, placed) == {1: "moved", 2: "new"}


def test_the_first_publish_is_no_news() -> None:
    moved = [{"pitch": p, "from": None, "to": CELL} for p in (1, 2)]
    assert changed(moved, [{"pitch": 1}, {"pitch": 2}]) == {}
    assert changed([], []) == {}
