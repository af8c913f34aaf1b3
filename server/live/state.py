"""What each screen holds of an event: a snapshot for a role, and changes as that role sees them."""

from __future__ import annotations

import asyncio
import json
from collections import OrderedDict, defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from server import metrics
from server.events.access import Actor, Role
from server.events.changes import Change
from server.events.models import Attendee, Event
from server.events.views import event_view, venue_view
from server.grid.agenda import Agenda, agenda_of, agendas
from server.grid.board import load_board
from server.grid.seats import Seating, load_seating, seats_of
from server.grid.views import draft_view, published_view
from server.marketplace.dots import turnout
from server.marketplace.models import Dot, Pitch
from server.marketplace.views import pitches_view, totals_shown

T = TypeVar("T")


@dataclass(frozen=True)
class View:
    """What every screen of a shape sees alike at one seq, and that as JSON, encoded once."""

    state: dict[str, Any]
    text: str


class Snapshot(dict[str, Any]):
    """A screen's snapshot state that knows which of it is the screen's own, so that sending
    it encodes only that: two thousand phones saying hello at once cost one encoding of the
    pitches and the grid, not two thousand."""

    def __init__(self, view: View, own: dict[str, Any]) -> None:
        super().__init__({**view.state, **own})
        self.view, self.own = view, own


async def snapshot(event: Event, actor: Actor, public_url: str) -> Snapshot:
    shape = "staff" if actor.is_staff else "public"
    view = await parts.get(event, shape, lambda: _shared(event, actor.is_staff, public_url))
    own: dict[str, Any] = {"role": actor.role.name}
    if actor.is_staff:
        # Counted afresh for each staff screen (a few): joining moves it without a change.
        own["turnout"] = await turnout(event)
    if actor.attendee is not None:
        everyone = await parts.get(event, "people", lambda: _people(event))
        own["me"] = everyone.me(actor.attendee)
    return Snapshot(view, own)


def encoded(message: dict[str, Any]) -> str:
    """A message as JSON text; a snapshot's shared part is spliced in as already encoded."""
    state = message.get("state")
    if not isinstance(state, Snapshot) or message.keys() != {"type", "state"}:
        return json.dumps(message)
    own = json.dumps(state.own)[1:]  # the screen's own keys and the closing brace
    return (
        '{"type": '
        + json.dumps(message["type"])
        + ', "state": '
        + state.view.text[:-1]
        + ", "
        + own
        + "}"
    )


async def _shared(event: Event, staff: bool, public_url: str) -> View:
    """What every screen of the event sees alike at its seq: staff, or everyone else."""
    metrics.snapshots_built.labels("staff" if staff else "public").inc()
    state: dict[str, Any] = {
        "seq": event.seq,
        "event": event_view(event, public_url),
        **await venue_view(event),
        "pitches": await pitches_view(event, staff),
        "grid": await published_view(event, totals_shown(event, staff)),
    }
    if staff:
        state["draft"] = await draft_view(await load_board(event))
    return View(state, json.dumps(state))


@dataclass(frozen=True)
class People:
    """Every attendee's own part of the event at one seq, read in a few queries: a thousand
    phones reconnecting at once cost one read of everyone's agendas, not one each."""

    dots: dict[int, list[dict[str, int]]]
    pitches: dict[int, list[int]]
    agendas: dict[int, Agenda]
    seating: Seating

    def me(self, attendee: Attendee) -> dict[str, Any]:
        return {
            "id": attendee.id,
            "name": attendee.name,
            "first_time": attendee.first_time,
            "dots": self.dots.get(attendee.id, []),
            "pitches": self.pitches.get(attendee.id, []),
            "agenda": agenda_of(self.agendas, attendee.id),
            "seats": seats_of(self.seating, attendee.id),
        }


async def _people(event: Event) -> People:
    metrics.snapshots_built.labels("people").inc()
    dots: dict[int, list[dict[str, int]]] = defaultdict(list)
    for dot_id, attendee_id, pitch_id in (
        await Dot.filter(event=event).order_by("id").values_list("id", "attendee_id", "pitch_id")
    ):
        dots[int(attendee_id)].append({"id": int(dot_id), "pitch": int(pitch_id)})
    pitches: dict[int, list[int]] = defaultdict(list)
    mine = Pitch.filter(event=event, merged_into_id=None, hidden=False, author_id__not_isnull=True)
    for pitch_id, author_id in await mine.order_by("id").values_list("id", "author_id"):
        pitches[int(author_id)].append(int(pitch_id))
    return People(dict(dots), dict(pitches), await agendas(event), await load_seating(event))


Built = tuple[Any, bool]  # the part, and whether no change landed while building


class Parts:
    """The parts of each event's latest snapshot, per shape, each built once per seq.

    Every change bumps the event's seq, so a part built at a seq stays right until the next;
    a thousand screens saying hello at one seq cost one build, and those asking while it is
    being built wait for it rather than build their own. A change committed while a part was
    being built may be in it already, so that part is used once and not kept.
    """

    def __init__(self, events: int = 256) -> None:
        self._events = events
        self._parts: OrderedDict[tuple[int, str], tuple[int, asyncio.Task[Built]]] = OrderedDict()

    async def get(self, event: Event, shape: str, build: Callable[[], Awaitable[T]]) -> T:
        """The part of this shape at the event's seq; ``build`` makes it when none is held."""
        key = (event.id, shape)
        held = self._parts.get(key)
        if held is not None and held[0] == event.seq:
            task = held[1]
            self._parts.move_to_end(key)
        else:
            task = asyncio.ensure_future(self._build(event, build))
            if held is None or held[0] < event.seq:
                self._keep(key, (event.seq, task))
        try:
            # Shielded: a screen that leaves mid-build doesn't cancel it for the others.
            part, settled = await asyncio.shield(task)
        except Exception:
            self._drop(key, task)  # a failed build (the database away) is tried afresh
            raise
        if not settled:
            self._drop(key, task)
        return cast(T, part)

    async def _build(self, event: Event, build: Callable[[], Awaitable[Any]]) -> Built:
        part = await build()
        now = await Event.get(id=event.id).only("seq")
        return part, now.seq == event.seq

    def _keep(self, key: tuple[int, str], held: tuple[int, asyncio.Task[Built]]) -> None:
        self._parts[key] = held
        self._parts.move_to_end(key)
        while len(self._parts) > self._events * 3:
            self._parts.popitem(last=False)

    def _drop(self, key: tuple[int, str], task: asyncio.Task[Built]) -> None:
        held = self._parts.get(key)
        if held is not None and held[1] is task:
            del self._parts[key]

    def forget(self) -> None:
        """Drops every part (tests switch databases within one process, and ids repeat)."""
        self._parts.clear()


parts = Parts()


def as_seen_by(
    change: Change | dict[str, Any], role: Role, totals_hidden: bool = False
) -> dict[str, Any]:
    """The change message for a role: feedback on sessions reaches only organisers' screens, a
    hidden pitch's text never reaches attendees' screens,
    nor do vote counts while the organiser keeps totals back (``totals_hidden``), nor the
    turnout staff are told."""
    message = change.message() if isinstance(change, Change) else change
    if message["kind"] == "feedback" and role < Role.organiser:
        # Only organisers read every session's feedback; a host reads theirs from its page.
        return {**message, "data": {}}
    if role >= Role.facilitator:
        return message
    if totals_hidden:
        message = without_counts(message)
    kind, data = message["kind"], message["data"]
    if kind == "pitch.saved" and data["pitch"]["hidden"]:
        return {**message, "kind": "pitch.hidden", "data": {"id": data["pitch"]["id"]}}
    if kind == "pitch.hidden":  # it leaves attendees' screens, counts and all
        return {**message, "data": {"id": data["id"]}}
    if kind == "grid.changed":  # attendees see only the published grid
        return {**message, "data": {"version": data["version"]}}
    if kind == "grid.checks":
        return {**message, "data": {}}
    if kind in {"votes", "tally"} and STAFF_ONLY & data.keys():
        return {**message, "data": {k: v for k, v in data.items() if k not in STAFF_ONLY}}
    return message


STAFF_ONLY = {"checks", "turnout"}  # parts of a tally only staff are sent


def without_counts(message: dict[str, Any]) -> dict[str, Any]:
    """The message with no vote count in it, nor a headcount (filled in from the dots, they
    show the same interest): the counts it carries are left empty (null for a pitch), so it
    still says what changed and moves a screen's seq on."""
    kind, data = message["kind"], message["data"]
    if kind == "headcounts":
        return {**message, "data": {"headcounts": {}}}
    if kind == "grid.published":
        return {**message, "data": {**data, "grid": {**data["grid"], "headcounts": {}}}}
    if kind == "pitch.saved":
        return {**message, "data": {**data, "pitch": {**data["pitch"], "votes": None}}}
    if kind in {"votes", "pitch.merged", "pitch.withdrawn", "pitch.hidden"} and "votes" in data:
        return {**message, "data": {**data, "votes": {}}}
    if kind == "tally":
        return {**message, "data": {k: v for k, v in data.items() if k not in COUNTS}}
    return message


COUNTS = {"votes", "headcounts"}  # the parts of a tally that show interest
