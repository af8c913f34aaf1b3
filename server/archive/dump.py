"""Exporting an event: every row that belongs to it, as one JSON document."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from server.archive.tables import FORMAT, TABLES, VERSION, encode
from server.events.models import Event
from server.notes import document, store
from server.notes.models import Notes


async def dump(event: Event) -> dict[str, Any]:
    """The event's archive. Each notes document is stored whole, its state merged with the
    updates not yet compacted into it, since the update rows are only a write buffer."""
    (row,) = await Event.filter(id=event.id).values()
    row["series_id"] = None  # its series' other events aren't in the archive
    archive: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": datetime.now(UTC).isoformat(),
        "event": encode(Event, row),
    }
    for table in TABLES:
        query = table.model.filter(**{table.scope: event.id}).order_by("id")
        rows = await query.values("id", *table.columns)
        if table.model is Notes:
            await _merge_updates(rows)
        archive[table.key] = [encode(table.model, r) for r in rows]
    return archive


async def _merge_updates(rows: list[dict[str, Any]]) -> None:
    # Each document as committed, read under its lock: a compaction can't fall in between.
    for row in rows:
        notes = await Notes.get(id=row["id"])
        row["state"] = document.diff(await store.document_now(notes), None)
