"""Pitching: proposing a session, tidying it, merging duplicates and hiding spam."""

from __future__ import annotations

from typing import Any

from server.errors import Conflict, Forbidden, Invalid, NotFound
from server.events.access import Actor, Role
from server.events.journal import Journal
from server.events.models import Event
from server.events.setup import known_slots
from server.grid.models import Placement
from server.grid.published import published_cells
from server.language import N_, NAMES
from server.marketplace.models import BILINGUAL, Dot, Pitch
from server.marketplace.views import counts_data, pitch_view, seen_by, vote_counts


async def find_pitch(event: Event, pitch_id: int, actor: Actor) -> Pitch:
    pitch = await Pitch.get_or_none(id=pitch_id, event=event) if fits_id(pitch_id) else None
    if pitch is None or not _seen(pitch.merged_into_id, pitch.hidden, actor):
        raise _missing(pitch_id)
    return pitch


async def votable(journal: Journal, pitch_id: int) -> int:
    """The id of a pitch the journal's actor can vote for, checked against the event's pitches
    as its batch read them, once: a vote storm checks thousands."""
    pitches = await journal.shared.get("pitches", lambda: _standing(journal.event))
    found = pitches.get(pitch_id)
    if found is None or not _seen(*found, journal.actor):
        raise _missing(pitch_id)
    return pitch_id


async def _standing(event: Event) -> dict[int, tuple[int | None, bool]]:
    """Whether each of the event's pitches was merged (into which) and is hidden."""
    rows = await Pitch.filter(event=event).values_list("id", "merged_into_id", "hidden")
    return {int(id_): (merged, bool(hidden)) for id_, merged, hidden in rows}


def _seen(merged_into_id: int | None, hidden: bool, actor: Actor) -> bool:
    return merged_into_id is None and (not hidden or actor.is_staff)


def _missing(pitch_id: int) -> NotFound:
    return NotFound(
        N_("There is no pitch %(pitch)s in this event; it may have been merged."),
        values={"pitch": pitch_id},
    )


def session_languages(event: Event) -> list[str]:
    """What a pitch may say its session is held in: one of the event's languages, or both
    when the event has more than one."""
    return [*event.languages, BILINGUAL] if len(event.languages) > 1 else list(event.languages)


def fits_id(number: int) -> bool:
    """Whether a number can be a row id at all; larger ones would overflow the database."""
    return 0 < number < 2**31


async def create_pitch(journal: Journal, fields: dict[str, Any]) -> dict[str, Any]:
    actor, event = journal.actor, journal.event
    actor.require(Role.attendee)
    if not event.pitching_open and not actor.is_staff:
        raise Conflict(N_("Pitching is closed for this event."))
    pitch = await Pitch.create(event=event, author=actor.attendee, **_clean(event, fields))
    view = pitch_view(pitch, 0)
    await journal.record("pitch.saved", {"pitch": view})
    return seen_by(view, event, actor.is_staff)


async def edit_pitch(journal: Journal, pitch_id: int, fields: dict[str, Any]) -> dict[str, Any]:
    actor, event = journal.actor, journal.event
    pitch = await find_pitch(event, pitch_id, actor)
    if not actor.is_staff:
        actor.require(Role.attendee)
        if actor.attendee is None or pitch.author_id != actor.attendee.id:
            raise Forbidden(N_("You can edit only the pitches you made on this device."))
        if "hidden" in fields:
            raise Forbidden(N_("Only facilitators can hide or show pitches."))
    if "unavailable" in fields:
        fields["unavailable"] = await known_slots(event, fields["unavailable"])
    hiding = fields.get("hidden") is True and not pitch.hidden
    pitch.update_from_dict(_clean(event, fields))
    await pitch.save()
    if hiding:
        return await _hide(journal, pitch)
    counts = await vote_counts(event, [pitch.id])
    view = pitch_view(pitch, counts[pitch.id])
    await journal.record("pitch.saved", {"pitch": view})
    return seen_by(view, event, actor.is_staff)


async def withdraw_pitch(journal: Journal, pitch_id: int) -> dict[str, Any]:
    """Its author (or a facilitator) takes a pitch back before it is on the grid: it goes, and
    its dots go back to the people who placed them. Once placed, people may have planned their
    day around it, so a facilitator takes it off the grid first."""
    actor, event = journal.actor, journal.event
    pitch = await find_pitch(event, pitch_id, actor)
    if not actor.is_staff and (actor.attendee is None or pitch.author_id != actor.attendee.id):
        actor.require(Role.attendee)
        raise Forbidden(N_("You can withdraw only the pitches you made on this device."))
    if await Placement.exists(pitch=pitch) or pitch.id in await published_cells(event):
        raise Conflict(
            N_(
                "This session is on the grid already, so people may be planning to go. "
                "Ask a facilitator to take it off the grid first."
            )
        )
    await pitch.delete()
    counts = await vote_counts(event, [pitch.id])
    await journal.record("pitch.withdrawn", {"id": pitch.id, **counts_data(counts)})
    return {"id": pitch.id}


async def merge_pitch(journal: Journal, pitch_id: int, into_id: int) -> dict[str, Any]:
    """Folds a duplicate into another pitch. Its dots move across, but an attendee who voted
    for both keeps no more dots on the result than they had on either one."""
    actor, event = journal.actor, journal.event
    actor.require(Role.facilitator)
    if pitch_id == into_id:
        raise Invalid(N_("A pitch can't be merged into itself."))
    source = await find_pitch(event, pitch_id, actor)
    target = await find_pitch(event, into_id, actor)
    by_attendee: dict[int, tuple[list[Dot], list[Dot]]] = {}
    for dot in await Dot.filter(pitch_id__in=[source.id, target.id]):
        on_source, on_target = by_attendee.setdefault(dot.attendee_id, ([], []))
        (on_source if dot.pitch_id == source.id else on_target).append(dot)
    moving, freeing = [], []
    for on_source, on_target in by_attendee.values():
        keep = max(len(on_source), len(on_target)) - len(on_target)
        moving += [d.id for d in on_source[:keep]]
        freeing += [d.id for d in on_source[keep:]]
    if moving:
        await Dot.filter(id__in=moving).update(pitch_id=target.id)
    if freeing:
        await Dot.filter(id__in=freeing).delete()
    source.merged_into = target
    await source.save(update_fields=["merged_into_id"])
    counts = await vote_counts(event, [target.id])
    await journal.record(
        "pitch.merged", {"id": source.id, "into": target.id, **counts_data(counts)}
    )
    return pitch_view(target, counts[target.id])


async def _hide(journal: Journal, pitch: Pitch) -> dict[str, Any]:
    """Hiding is for spam: its dots go back to the people who placed them."""
    await Dot.filter(pitch=pitch).delete()
    # Staff keep showing the pitch, so the message carries the counts it changed.
    counts = await vote_counts(journal.event, [pitch.id])
    await journal.record("pitch.hidden", {"id": pitch.id, **counts_data(counts)})
    return pitch_view(pitch, 0)


def _clean(event: Event, fields: dict[str, Any]) -> dict[str, Any]:
    cleaned = {k: v.strip() if isinstance(v, str) else v for k, v in fields.items()}
    if "title" in cleaned and not cleaned["title"]:
        raise Invalid(N_("A pitch needs a title."))
    if cleaned.get("language") and cleaned["language"] not in session_languages(event):
        held = " or ".join(NAMES.get(code, code) for code in event.languages)
        raise Invalid(
            N_("Sessions at this event are held in %(held)s; choose that or leave it unsaid."),
            values={"held": held},
        )
    if "tags" in cleaned:
        tags = [t.strip().lower() for t in cleaned["tags"] if t.strip()]
        cleaned["tags"] = list(dict.fromkeys(tags))
    return cleaned
