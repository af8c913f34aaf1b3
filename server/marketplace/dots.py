"""Voting with dots: place, move and withdraw, within the event's allowance."""

from __future__ import annotations

from typing import Any

from tortoise import timezone
from tortoise.expressions import Subquery
from tortoise.functions import Count

from server.db import insert_returning
from server.errors import Conflict, NotFound, Unauthorised
from server.events import setup
from server.events.access import NOT_RECOGNISED
from server.events.journal import Appending, Journal
from server.events.models import Attendee, Event
from server.language import N_, Nn_
from server.marketplace.models import Dot, Pitch
from server.marketplace.pitches import find_pitch, fits_id, votable
from server.marketplace.views import counts_data, vote_counts


def _voter(journal: Journal) -> Attendee:
    attendee = journal.actor.as_attendee()
    if not journal.event.voting_open:
        raise Conflict(N_("Voting is closed for this event."))
    return attendee


def placing(pitch_id: int) -> Appending[dict[str, Any]]:
    """Placing a dot, as a command whose dot its batch inserts with the others'."""
    return Appending(lambda journal: place_dot(journal, pitch_id))


async def place_dot(journal: Journal, pitch_id: int) -> dict[str, Any]:
    attendee = _voter(journal)
    await _still_theirs(journal, attendee)
    event = journal.event
    pitch_id = await votable(journal, pitch_id)
    used = (await _placed(journal)).setdefault(attendee.id, [])
    if len(used) >= event.dots_per_attendee:
        raise Conflict(
            Nn_(
                "You have placed all %(dots)s of your dots. "
                "Move or withdraw one to vote for this pitch.",
                "You have placed all %(dots)s of your dots. "
                "Move or withdraw one to vote for this pitch.",
            ),
            values={"dots": event.dots_per_attendee},
            n=event.dots_per_attendee,
        )
    if not event.dots_stack and pitch_id in used:
        raise Conflict(N_("You already have a dot on this pitch; this event allows one per pitch."))
    placed = {"id": 0, "pitch": pitch_id}  # its id once the batch has inserted it
    journal.shared.later("dots", _insert).append((event.id, attendee.id, placed))
    used.append(pitch_id)
    journal.kept_shared()
    await _record_counts(journal, [pitch_id])
    return placed


async def _insert(placing: list[tuple[int, int, dict[str, Any]]]) -> None:
    """Inserts a batch's dots in one statement and tells each vote its dot's id. Identical
    dots (the same person's on one pitch) are alike, so which gets which id doesn't matter."""
    now = timezone.now()
    rows = [
        {
            "event_id": event_id,
            "attendee_id": attendee_id,
            "pitch_id": placed["pitch"],
            "placed_at": now,
        }
        for event_id, attendee_id, placed in placing
    ]
    ids: dict[tuple[int, int], list[int]] = {}
    for row in await insert_returning(Dot, rows, ("id", "attendee_id", "pitch_id")):
        ids.setdefault((int(row["attendee_id"]), int(row["pitch_id"])), []).append(int(row["id"]))
    for _, attendee_id, placed in placing:
        placed["id"] = ids[(attendee_id, placed["pitch"])].pop()


async def _still_theirs(journal: Journal, attendee: Attendee) -> None:
    """Refuses a voter whose token was replaced after they were identified (personal data
    erased, a link reissued). A phone's live socket identifies it once, at its hello, and
    places its dots for as long as it stays open; this holds them to the token as committed,
    for one read a batch rather than a lookup a dot."""

    async def read() -> dict[int, str]:
        voters = [a.attendee.id for a in journal.shared.actors if a.attendee is not None]
        return dict(await Attendee.filter(id__in=voters).values_list("id", "token"))

    if (await journal.shared.get("tokens", read)).get(attendee.id) != attendee.token:
        raise Unauthorised(NOT_RECOGNISED)


async def _placed(journal: Journal) -> dict[int, list[int]]:
    """The pitches each voter in the journal's batch has dots on, read once for the batch."""

    async def read() -> dict[int, list[int]]:
        voters = [a.attendee.id for a in journal.shared.actors if a.attendee is not None]
        placed: dict[int, list[int]] = {voter: [] for voter in voters}
        rows = Dot.filter(event=journal.event, attendee_id__in=voters)
        for voter, pitch in await rows.values_list("attendee_id", "pitch_id"):
            placed[int(voter)].append(int(pitch))
        return placed

    return await journal.shared.get("placed", read)


async def move_dot(journal: Journal, dot_id: int, pitch_id: int) -> dict[str, Any]:
    attendee = _voter(journal)
    event = journal.event
    dot = await _own_dot(event, attendee, dot_id)
    pitch = await find_pitch(event, pitch_id, journal.actor)
    if pitch.id == dot.pitch_id:
        return {"id": dot.id, "pitch": pitch.id}
    if not event.dots_stack and await Dot.exists(event=event, attendee=attendee, pitch=pitch):
        raise Conflict(N_("You already have a dot on that pitch; this event allows one per pitch."))
    was = dot.pitch_id
    dot.pitch = pitch
    await dot.save(update_fields=["pitch_id"])
    await _record_counts(journal, [was, pitch.id])
    return {"id": dot.id, "pitch": pitch.id}


async def withdraw_dot(journal: Journal, dot_id: int) -> None:
    attendee = _voter(journal)
    dot = await _own_dot(journal.event, attendee, dot_id)
    await dot.delete()
    await _record_counts(journal, [dot.pitch_id])


async def take_back(journal: Journal, pitch_id: int) -> None:
    """Withdraws one of this person's dots from a pitch, the latest placed."""
    attendee = _voter(journal)
    dot = (
        await Dot.filter(event=journal.event, attendee=attendee, pitch_id=pitch_id)
        .order_by("-id")
        .first()
        if fits_id(pitch_id)
        else None
    )
    if dot is None:
        raise NotFound(N_("You have no dot on that pitch to take back."))
    await withdraw_dot(journal, dot.id)


async def edit_event(journal: Journal, fields: dict[str, Any], public_url: str) -> dict[str, Any]:
    """Edits the event's settings. Revealing totals that were kept back sends every screen
    the count of every pitch at once, since the changes made meanwhile carried none."""
    revealing = journal.event.totals_hidden and fields.get("totals_hidden") is False
    view = await setup.edit_event(journal, fields, public_url)
    if revealing:
        shown = Pitch.filter(event=journal.event, merged_into_id=None, hidden=False)
        await _record_counts(journal, [p.id for p in await shown.only("id")])
    return view


async def _own_dot(event: Event, attendee: Attendee, dot_id: int) -> Dot:
    dot = (
        await Dot.get_or_none(id=dot_id, event=event, attendee=attendee)
        if fits_id(dot_id)
        else None
    )
    if dot is None:
        raise NotFound(
            N_("You have no dot %(dot)s; it may already have been withdrawn."),
            values={"dot": dot_id},
        )
    return dot


async def _record_counts(journal: Journal, pitch_ids: list[int]) -> None:
    journal.tally("votes", pitch_ids, _counts)


async def _counts(event: Event, pitch_ids: list[int]) -> dict[str, Any]:
    # Staff are told how many have voted as the counts move (server/live/state.py keeps the
    # turnout from everyone else).
    return {**counts_data(await vote_counts(event, pitch_ids)), "turnout": await turnout(event)}


async def turnout(event: Event) -> dict[str, int]:
    """How many have joined the event, and how many of them have a dot placed. Counted in the
    database, in one statement: every batch of a storm asks, and the voters may be thousands."""
    joined = Attendee.filter(event_id=event.id).annotate(n=Count("id")).values("n")
    voters = Dot.filter(event_id=event.id).annotate(n=Count("attendee_id", distinct=True))
    counts = Event.filter(id=event.id).annotate(
        joined=Subquery(joined), voted=Subquery(voters.values("n"))
    )
    found = await counts.first().values("joined", "voted")  # none once the event is gone
    return {k: int(found[k]) if found else 0 for k in ("joined", "voted")}
