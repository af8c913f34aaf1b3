"""Plain data that goes into and comes out of the allocator: no database, no I/O."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from server.language import N_
from server.language.sentences import Sentence, english

Cell = tuple[int, int]
"""(room id, slot id)."""

Grid = dict[int, Cell]
"""Session id -> (room id, slot id)."""

Explanation = tuple[Sentence, ...]
"""Whole sentences, said one after another in the reader's language (``sentences.said``)."""


# What an explanation calls a room, slot or session the instance gives no name.
UNNAMED = {"room": N_("room %(id)s"), "slot": N_("slot %(id)s"), "session": N_("session %(id)s")}


@dataclass(frozen=True)
class Room:
    id: int
    capacity: int
    unavailable: frozenset[int] = frozenset()
    """Slot ids in which the room cannot be used."""


@dataclass(frozen=True)
class Session:
    id: int
    hosts: frozenset[str] = frozenset()
    """Host keys (normalised host names); one host cannot be in two places in one slot."""
    unavailable: frozenset[int] = frozenset()
    """Slot ids in which a host of the session cannot run it."""


@dataclass(frozen=True)
class Instance:
    rooms: tuple[Room, ...]
    slots: tuple[int, ...]
    """Only the slots sessions may go in (session-kind slots), in time order."""
    sessions: tuple[Session, ...]
    votes: Mapping[int, frozenset[int]]
    """Attendee id -> the session ids they voted for (several dots on one session count once)."""
    # Plain dicts by default (not read-only views): an instance is pickled to a worker process.
    locks: Mapping[int, Cell] = field(default_factory=dict)
    """Session id -> the cell it must stay in."""
    previous: Mapping[int, Cell] = field(default_factory=dict)
    """The current grid: re-running moves as few unlocked sessions as it can."""
    forced: frozenset[int] = frozenset()
    """Sessions the facilitator forces in even if they would be left out."""
    names: Mapping[tuple[str, int], str | Sentence] = field(default_factory=dict)
    """How explanations name things: ("room" | "slot" | "session", id) -> words people know
    (a sentence where Snug's own words name it: "the 09:00 slot")."""

    def name(self, kind: str, id_: int) -> str | Sentence:
        return self.names.get((kind, id_)) or Sentence.of(UNNAMED[kind], id=id_)


@dataclass(frozen=True)
class Served:
    """How many votes a grid serves, and where the rest are lost.

    ``served`` is the largest number of (attendee, voted session) pairs that can all happen,
    each attendee attending at most one session per slot and no room over its capacity.
    ``total`` counts every vote for a placed session. The loss ``total - served`` splits as:
    ``lost_to_clashes``, for each attendee and slot, the number of their voted sessions in that
    slot minus one (when they have two or more there; they can attend only one), and
    ``lost_to_seats``, the rest (``total - served - lost_to_clashes``, never negative): votes of
    attendees who could attend but find the room full. The three always add up to ``total``.
    """

    served: int
    total: int
    lost_to_clashes: int
    lost_to_seats: int
    percent: float


@dataclass(frozen=True)
class LeftOut:
    session: int
    votes: int
    reason: Explanation


@dataclass(frozen=True)
class Allocation:
    grid: Grid
    served: Served
    moved: int
    """Unlocked sessions of ``instance.previous`` that are now in another cell or left out."""
    left_out: tuple[LeftOut, ...]
    reasons: Mapping[int, Explanation]
    """Per placed session: why this room and slot, and what moving it would cost."""
    seconds: float
    capped: bool = False
    """The wall-clock safety net stopped the run before its planned work was done (a machine
    far busier than planned for): the grid is valid but another run may give a different one."""
    notice: Sentence | None = None
    """When ``capped``, a sentence saying so that callers can show."""


class AllocationError(ValueError):
    """The locks themselves break a hard constraint, so no valid grid keeps them."""

    def __init__(self, problems: list[Sentence]) -> None:
        super().__init__(english(problems))
        self.problems = problems
