"""What the latest publish changed, for the projector's board to highlight: the sessions it
moved or newly placed. Read from the log's last "grid.published" change, so it costs one
query and nothing is stored for it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from server.events.changes import Change
from server.events.models import Event


async def last_moves(event: Event) -> dict[int, str]:
    latest = Change.filter(event=event, kind="grid.published").order_by("-seq")
    data = await latest.first().values_list("data", flat=True)
    if not isinstance(data, dict):
        return {}
    return changed(data.get("moved") or [], data.get("grid", {}).get("placements") or [])


def changed(
    moved: Iterable[Mapping[str, Any]], placed: Iterable[Mapping[str, Any]]
) -> dict[int, str]:
    """pitch id -> "moved" or "new". The first publish places everything, which is no news."""
    on_grid = {p["pitch"] for p in placed}
    out = {m["pitch"]: "moved" if m.get("from") else "new" for m in moved if m.get("to")}
    if on_grid and all(out.get(p) == "new" for p in on_grid):
        return {}
    return out
