"""How pitches and their counts look to every screen."""

from __future__ import annotations

from typing import Any

from tortoise.functions import Count

from server.db import pairs
from server.events.models import Event
from server.marketplace.models import Dot, Pitch

Dots = list[tuple[int, int]]  # (attendee id, pitch id) of each dot placed


def totals_shown(event: Event, staff: bool) -> bool:
    """Whether running totals reach a screen: staff always see them; everyone else only while
    the organiser isn't keeping them back (so early counts don't sway later votes)."""
    return staff or not event.totals_hidden


def pitch_view(pitch: Pitch, votes: int | None) -> dict[str, Any]:
    return {
        "id": pitch.id,
        "title": pitch.title,
        "pitch": pitch.pitch,
        "host": pitch.host,
        "format": pitch.format,
        "language": pitch.language,
        "tags": pitch.tags,
        "unavailable": pitch.unavailable,
        "votes": votes,
        "hidden": pitch.hidden,
        "created_at": pitch.created_at.isoformat(),
    }


async def placed_dots(event: Event) -> Dots:
    """Every dot of the event, as plain pairs: the grid's checks and headcounts read them all,
    up to once a second in a storm, and the ORM's models would cost more than the reading."""
    return await pairs(Dot, "attendee_id", "pitch_id", event.id)


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


async def pitches_view(event: Event, staff: bool) -> list[dict[str, Any]]:
    """The pitches a screen shows: staff see hidden ones too, and the counts are left out
    (null) where the organiser keeps totals back."""
    query = Pitch.filter(event=event, merged_into_id=None)
    if not staff:
        query = query.filter(hidden=False)
    pitches = await query
    if not totals_shown(event, staff):
        return [pitch_view(p, None) for p in pitches]
    counts = await vote_counts(event)
    return [pitch_view(p, counts.get(p.id, 0)) for p in pitches]


def seen_by(view: dict[str, Any], event: Event, staff: bool) -> dict[str, Any]:
    """A pitch as an answer to one asker: without its count where totals are kept back."""
    return view if totals_shown(event, staff) else {**view, "votes": None}
