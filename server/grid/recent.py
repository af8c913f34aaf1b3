"""What the latest release of the grid changed, for the projector's board to highlight: the
sessions it moved or newly placed compared with the release before it, for the first minutes
after it went out. Read from the kept releases (server/grid/releases.py), so a reload shows
the same highlights and nothing is stored for them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from server.events.models import Event
from server.grid.models import GridRelease
from server.grid.releases import cells_of, diff

# Long enough to read the board and walk to the new room; afterwards a highlight is old news.
FADE = dt.timedelta(minutes=10)


@dataclass(frozen=True)
class Recent:
    marks: dict[int, str] = field(default_factory=dict)  # pitch id -> "moved" or "new"
    left: int = 0  # seconds the highlights stay on from now

    def as_json(self) -> dict[str, Any]:
        return {"marks": self.marks, "left": self.left, "fade": int(FADE.total_seconds())}


async def latest_changes(event: Event, now: dt.datetime | None = None) -> Recent:
    two = await GridRelease.filter(event=event).order_by("-number").limit(2)
    return between(two[0] if two else None, two[1] if len(two) > 1 else None, now)


def between(
    latest: GridRelease | None, before: GridRelease | None, now: dt.datetime | None = None
) -> Recent:
    """The highlights of ``latest`` against the release ``before`` it, while they last. An
    unpublish takes the grid down, so there is nothing to highlight."""
    if latest is None or latest.kind == "unpublish":
        return Recent()
    left = int((latest.at + FADE - (now or dt.datetime.now(dt.UTC))).total_seconds())
    if left <= 0:
        return Recent()
    after = cells_of(latest)
    shifts = diff(cells_of(before) if before else {}, after)
    return Recent(changed([s.as_json() for s in shifts], [{"pitch": p} for p in after]), left)


def changed(
    moved: Iterable[Mapping[str, Any]], placed: Iterable[Mapping[str, Any]]
) -> dict[int, str]:
    """pitch id -> "moved" or "new". The first publish places everything, which is no news."""
    on_grid = {p["pitch"] for p in placed}
    out = {m["pitch"]: "moved" if m.get("from") else "new" for m in moved if m.get("to")}
    if on_grid and all(out.get(p) == "new" for p in on_grid):
        return {}
    return out
