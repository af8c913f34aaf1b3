"""Feedback on every session: once a session has ended, the people who went give one tap
("useful" or "not for me") and a short comment if they like; its host and the organisers read it.

Who went: whoever had the session on their agenda for its slot, chosen or filled from their
votes (server/grid/agenda.py), or claimed a seat in it (server/grid/seats.py). Someone who
walked in without either can still choose it on their agenda afterwards, then say what they
thought. The host gives no feedback on their own session: it is theirs to read.

Anonymous: what was said is kept with its session only. That someone said something is kept
apart, as a keyed hash of the person and the session (server/feedback/models.py), so each
person speaks once per session and nobody can tell which words were theirs. The journal's
change says only how the session's counts stand and the comment, never who; attendees'
screens hear nothing of it (server/live/state.py).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from server.errors import Conflict, Forbidden, Invalid, NotFound
from server.events.access import Actor, Keys, Role
from server.events.journal import Journal
from server.events.models import Event, Slot
from server.feedback.models import ANSWERS, NOT_FOR_ME, USEFUL, Feedback, FeedbackGiven
from server.grid.agenda import agendas
from server.grid.models import SeatClaim
from server.grid.published import published_cells
from server.language import N_
from server.marketplace.models import Pitch
from server.marketplace.pitches import fits_id

PURPOSE = "feedback"


class AlreadyGiven(Conflict):
    """Feedback on a session this person already gave: a form sent twice lands here too."""


@dataclass
class Said:
    """What was said about one session: the counts of each answer and the comments."""

    useful: int = 0
    not_for_me: int = 0
    comments: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        """What the organiser's report counts: each answer, and how many comments."""
        return {
            "useful": self.useful,
            "not_for_me": self.not_for_me,
            "comments": len(self.comments),
        }

    def as_json(self, pitch: Pitch) -> dict[str, Any]:
        return {
            "pitch": pitch.id,
            "title": pitch.title,
            "useful": self.useful,
            "not_for_me": self.not_for_me,
            "comments": list(self.comments),
        }


@dataclass(frozen=True)
class Offer:
    """A session the person went to, as their page offers feedback on it."""

    pitch: int
    title: str
    ends_at: str  # the event's wall clock, "YYYY-MM-DDTHH:MM"
    ended: bool
    given: bool


async def give(
    journal: Journal, keys: Keys, pitch_id: int, answer: str, comment: str, now: str
) -> dict[str, Any]:
    """Keeps one person's word on a session that has ended (``now``: the event's wall clock),
    once, with no trace of who."""
    attendee = journal.actor.as_attendee()
    event = journal.event
    if answer not in ANSWERS:  # the schema says so too; a form may send anything
        raise Invalid(N_("Choose “Useful” or “Not for me”."))
    ends_at = await _ends(event, pitch_id)
    if ends_at > now:
        raise Conflict(
            N_("You can say how this session went once it has ended, at %(ends)s."),
            values={"ends": ends_at[11:16]},
        )
    pitch = await Pitch.get(id=pitch_id)
    if pitch.author_id == attendee.id:
        raise Forbidden(N_("This is your own session: its feedback is yours to read, not to give."))
    if pitch_id not in await _went(event, attendee.id):
        raise Forbidden(
            N_(
                "Feedback comes from the people who went: choose this session on your agenda "
                "for its time first."
            )
        )
    marker = keys.marker(PURPOSE, event.id, pitch_id, attendee.id)
    if await FeedbackGiven.exists(marker=marker):
        raise AlreadyGiven(N_("You've already said how this session went; it counts once."))
    await FeedbackGiven.create(event=event, marker=marker)
    await Feedback.create(event=event, pitch_id=pitch_id, answer=answer, comment=comment.strip())
    said = (await said_about(event, [pitch_id]))[pitch_id]
    await journal.record(
        "feedback", {"pitch": pitch_id, **said.counts(), "comment": comment.strip()}, anonymous=True
    )
    return {"pitch": pitch_id, "given": True}


async def _ends(event: Event, pitch_id: int) -> str:
    cells = await published_cells(event)
    if pitch_id not in cells:
        raise NotFound(N_("That session isn't on the published grid."))
    slot = await Slot.get(id=cells[pitch_id][1])
    return slot.ends_at


async def _went(event: Event, attendee_id: int) -> set[int]:
    """The sessions the person went to: on their agenda, or a seat claimed."""
    agenda = (await agendas(event)).get(attendee_id, {})
    claimed = await SeatClaim.filter(event=event, attendee_id=attendee_id).values_list("pitch_id")
    return {p for p in agenda.values() if p is not None} | {int(p) for (p,) in claimed}


async def offers(event: Event, keys: Keys, attendee_id: int, now: str) -> list[Offer]:
    """The sessions of the published grid the person went to and didn't host, in time order:
    ended or not (a page shows those still on when they end), and whether they have spoken."""
    cells = await published_cells(event)
    went = await _went(event, attendee_id) & set(cells)
    if not went:
        return []
    slots = {s.id: s for s in await Slot.filter(event=event)}
    # Filtered here: staff's pitches have no author, and SQL's NOT (author = x) drops them.
    pitches = [p for p in await Pitch.filter(id__in=list(went)) if p.author_id != attendee_id]
    markers = {keys.marker(PURPOSE, event.id, p.id, attendee_id): p.id for p in pitches}
    spoken = {markers[m] for m in await _given(markers)}
    found = [
        Offer(p.id, p.title, (ends := slots[cells[p.id][1]].ends_at), ends <= now, p.id in spoken)
        for p in pitches
    ]
    return sorted(found, key=lambda o: (o.ends_at, o.pitch))


async def gave_on(event: Event, keys: Keys, attendee_id: int) -> list[int]:
    """The sessions the person gave feedback on (not what they said: that isn't theirs any
    more), for their data export."""
    ids = [int(p) for (p,) in await Pitch.filter(event=event).values_list("id")]
    markers = {keys.marker(PURPOSE, event.id, p, attendee_id): p for p in ids}
    return sorted(markers[m] for m in await _given(markers))


async def _given(markers: dict[str, int]) -> set[str]:
    """Which of these markers are kept."""
    found = await FeedbackGiven.filter(marker__in=list(markers)).values_list("marker")
    return {str(m) for (m,) in found}


async def said_about(event: Event, pitch_ids: list[int] | None = None) -> dict[int, Said]:
    """What was said about each session (those given, else every session with feedback)."""
    rows = Feedback.filter(event=event)
    if pitch_ids is not None:
        rows = rows.filter(pitch_id__in=pitch_ids)
    found: dict[int, Said] = defaultdict(Said)
    for pitch_id in pitch_ids or ():
        found[pitch_id] = Said()
    for row in await rows.order_by("id"):
        said = found[row.pitch_id]
        if row.answer == USEFUL:
            said.useful += 1
        elif row.answer == NOT_FOR_ME:
            said.not_for_me += 1
        if row.comment:
            said.comments.append(row.comment)
    return dict(found)


async def counts(event: Event) -> dict[int, dict[str, int]]:
    """For the organiser's report: per session, how many said useful, not for me, and how
    many left a comment."""
    return {p: said.counts() for p, said in (await said_about(event)).items()}


async def readable(event: Event, actor: Actor, pitch_id: int) -> Pitch:
    """The session whose feedback the asker may read: organisers read every session's, a host
    their own; nobody else any."""
    pitch = await Pitch.get_or_none(id=pitch_id, event=event) if fits_id(pitch_id) else None
    if pitch is None:
        raise NotFound(N_("Nothing in this event has that number; check the link."))
    if actor.role >= Role.organiser:
        return pitch
    if actor.attendee is not None and pitch.author_id == actor.attendee.id:
        return pitch
    raise Forbidden(N_("Only the session's host and the event's organisers can read its feedback."))


async def everything(event: Event, actor: Actor) -> list[tuple[Pitch, Said]]:
    """Every session on the published grid with what was said about it (organisers only)."""
    actor.require(Role.organiser)
    cells = await published_cells(event)
    said = await said_about(event, sorted(cells))
    pitches = await Pitch.filter(id__in=list(cells)).order_by("title", "id")
    return [(p, said[p.id]) for p in pitches]


async def hosted(event: Event, attendee_id: int) -> list[Pitch]:
    """The person's own sessions on the published grid, whose feedback is theirs to read."""
    cells = await published_cells(event)
    return await Pitch.filter(id__in=list(cells), author_id=attendee_id).order_by("id")
