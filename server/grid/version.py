"""The working grid's version: every grid command names the one it was made against."""

from __future__ import annotations

from server.errors import Conflict
from server.events.journal import Journal
from server.language import N_


def require_version(journal: Journal, version: int | None) -> None:
    """Refuses a grid command made against a grid that has changed since."""
    now = journal.event.grid_version
    if version is not None and version != now:
        raise Conflict(
            N_(
                "Someone else changed the grid (you had version %(yours)s, it is now %(now)s). "
                "Your screen has the fresh grid; try again on it."
            ),
            values={"yours": version, "now": now},
        )
