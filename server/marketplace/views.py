"""How pitches and their counts look to every screen."""

from __future__ import annotations

from typing import Any

from tortoise.functions import Count

from server.events.models import Event
from server.marketplace.models import Dot, Pitch


def pitch_view(pitch: Pitch, votes: int) -> dict[str, Any]:
    return {
        "id": pitch.id,
        "title": pitch.title,
        "pitch": pitch.pitch,
        "host": pitch.host,
        "format": pitch.format,
        "tags": pitch.tags,
        "unavailable": pitch.unavailable,
        "votes": votes,
        "hidden": pitch.hidden,
        "created_at": pitch.created_at.isoformat(),
    }


async def vote_counts(event: Event, pitch_ids: list[int] | None = None) -> dict[int, int]:
    query = Dot.filter(event=event)
    if pitch_ids is not None:
        query = query.filter(pitch_id__in=pitch_ids)
    rows = await query.group_by("pitch_id").annotate(n=Count("id")).values_list("pitch_id", "n")
    counts = {pitch_id: 0 for pitch_id in pitch_ids or []}
    counts.update({int(pitch_id): int(n) for pitch_id, n in rows})
    return counts


def counts_data(counts: dict[int, int]) -> dict[str, Any]:
    """Counts keyed by pitch id as text, since JSON object keys are strings."""
    return {"votes": {str(pitch_id): n for pitch_id, n in counts.items()}}


async def pitches_view(event: Event, include_hidden: bool) -> list[dict[str, Any]]:
    query = Pitch.filter(event=event, merged_into_id=None)
    if not include_hidden:
        query = query.filter(hidden=False)
    pitches = await query
    counts = await vote_counts(event)
    return [pitch_view(p, counts.get(p.id, 0)) for p in pitches]
