"""The working grid's version: every grid command names the one it was made against."""

from __future__ import annotations

from server.errors import Conflict
from server.events.journal import Journal


def require_version(journal: Journal, version: int | None) -> None:
    """Refuses a grid command made against a grid that has changed since."""
    now = journal.event.grid_version
    if version is not None and version != now:
        raise Conflict(
            f"Someone else changed the grid (you had version {version}, it is now {now}). "
            "Your screen has the fresh grid; try again on it."
        )
