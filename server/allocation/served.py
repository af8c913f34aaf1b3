"""Served votes (an exact per-slot max-flow) and the hard-constraint check."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence

from server.allocation.model import Cell, Instance, Served
from server.language import N_
from server.language.sentences import Sentence


def match_multis(neighbours: Sequence[Sequence[int]], residual: Mapping[int, int]) -> int:
    """Exact maximum b-matching of attendees (each to one of ``neighbours[i]``) into sessions
    with ``residual`` free seats: greedy, then an augmenting path for each attendee left over.

    With the attendees who voted for only one session of the slot already seated (see
    ``slot_served``), this is the rest of the max-flow, so the sum is exact.
    """
    return sum(1 for x in seat_assignment(neighbours, residual) if x >= 0)


def seat_assignment(neighbours: Sequence[Sequence[int]], residual: Mapping[int, int]) -> list[int]:
    """The matching ``match_multis`` counts: for each attendee, the session they are seated
    in, or -1. An attendee earlier in ``neighbours`` is never unseated for a later one."""
    free = dict(residual)
    holders: dict[int, list[int]] = defaultdict(list)
    at: list[int] = [-1] * len(neighbours)
    waiting: list[int] = []
    matched = 0
    for i, options in enumerate(neighbours):
        best, best_free = -1, 0
        for x in options:
            f = free.get(x, 0)
            if f > best_free:
                best, best_free = x, f
        if best >= 0:
            free[best] = best_free - 1
            holders[best].append(i)
            at[i] = best
            matched += 1
        else:
            waiting.append(i)
    for i in waiting:
        # Breadth-first search over sessions: from a full session to the attendees seated in it
        # and on to their other sessions, until a session with a free seat.
        parent: dict[int, tuple[int, int]] = {}
        queue: list[int] = []
        for x in neighbours[i]:
            if x in free and x not in parent:
                parent[x] = (i, -1)
                queue.append(x)
        found = -1
        head = 0
        while head < len(queue):
            x = queue[head]
            head += 1
            if free[x] > 0:
                found = x
                break
            for j in holders[x]:
                for y in neighbours[j]:
                    if y in free and y not in parent:
                        parent[y] = (j, x)
                        queue.append(y)
        if found < 0:
            continue
        free[found] -= 1
        y = found
        while True:
            j, came_from = parent[y]
            holders[y].append(j)
            at[j] = y
            if came_from < 0:
                break
            holders[came_from].remove(j)
            y = came_from
        matched += 1
    return at


def slot_served(
    voted: Mapping[int, Sequence[int]], capacity: Mapping[int, int]
) -> tuple[int, int, int]:
    """(served, total, lost to clashes) in one slot.

    ``voted`` maps each attendee to their voted sessions placed in the slot, ``capacity`` each
    session placed in the slot to its room's seats. Attendees with one voted session in the slot
    fill its seats first (some maximum flow always does), the others are matched exactly.
    """
    singles: dict[int, int] = defaultdict(int)
    multis: list[Sequence[int]] = []
    total = clashes = 0
    for options in voted.values():
        total += len(options)
        if len(options) == 1:
            singles[options[0]] += 1
        elif len(options) > 1:
            clashes += len(options) - 1
            multis.append(options)
    served = 0
    residual: dict[int, int] = {}
    for x, cap in capacity.items():
        n = singles.get(x, 0)
        served += min(n, cap)
        if cap > n:
            residual[x] = cap - n
    if multis:
        served += match_multis(multis, residual)
    return served, total, clashes


def served_votes(instance: Instance, grid: Mapping[int, Cell]) -> Served:
    """The served-votes figure of ``grid`` (see ``Served``). Cells with unknown rooms and votes
    for unknown or unplaced sessions count for nothing; a room holding two sessions is shared
    by them in the order given (``check`` reports it)."""
    capacity_of = {room.id: room.capacity for room in instance.rooms}
    slot_of: dict[int, int] = {}
    capacity: dict[int, dict[int, int]] = defaultdict(dict)
    for session, (room, slot) in grid.items():
        if room in capacity_of:
            slot_of[session] = slot
            capacity[slot][session] = capacity_of[room]
    by_slot: dict[int, dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
    for attendee, sessions in instance.votes.items():
        for session in sorted(sessions):
            if session in slot_of:
                by_slot[slot_of[session]][attendee].append(session)
    served = total = clashes = 0
    for slot, voted in by_slot.items():
        s, t, c = slot_served(voted, capacity[slot])
        served += s
        total += t
        clashes += c
    percent = 100.0 * served / total if total else 100.0
    return Served(served, total, clashes, total - served - clashes, percent)


def check(instance: Instance, grid: Mapping[int, Cell]) -> list[Sentence]:
    """Every hard constraint ``grid`` breaks, in words; an empty list means a valid grid."""
    problems: list[Sentence] = []
    rooms = {room.id: room for room in instance.rooms}
    sessions = {session.id: session for session in instance.sessions}
    slots = set(instance.slots)
    cells: dict[Cell, list[int]] = defaultdict(list)
    hosts_in_slot: dict[tuple[int, str], list[int]] = defaultdict(list)
    n = instance.name
    for session_id, (room_id, slot) in sorted(grid.items()):
        session = sessions.get(session_id)
        room = rooms.get(room_id)
        what = n("session", session_id)
        if session is None:
            problems.append(
                Sentence.of(N_("%(session)s is not one of the sessions."), session=what)
            )
        if room is None:
            problems.append(
                Sentence.of(
                    N_("%(session)s is in room %(room)s, which is not a room."),
                    session=what,
                    room=room_id,
                )
            )
        if slot not in slots:
            problems.append(
                Sentence.of(
                    N_("%(session)s is in %(slot)s, which is not a session slot."),
                    session=what,
                    slot=n("slot", slot),
                )
            )
        cells[(room_id, slot)].append(session_id)
        if room is not None and slot in room.unavailable:
            problems.append(
                Sentence.of(
                    N_("%(room)s is unavailable in %(slot)s."),
                    room=n("room", room_id),
                    slot=n("slot", slot),
                )
            )
        if session is not None:
            if slot in session.unavailable:
                problems.append(
                    Sentence.of(
                        N_("The host of %(session)s cannot run it in %(slot)s."),
                        session=what,
                        slot=n("slot", slot),
                    )
                )
            for host in sorted(session.hosts):
                hosts_in_slot[(slot, host)].append(session_id)
    for (room_id, slot), in_cell in sorted(cells.items()):
        if len(in_cell) > 1:
            problems.append(
                Sentence.of(
                    N_("%(room)s in %(slot)s holds more than one session: %(sessions)s."),
                    room=n("room", room_id),
                    slot=n("slot", slot),
                    sessions=_named(instance, in_cell),
                )
            )
    for (slot, host), hosted in sorted(hosts_in_slot.items()):
        if len(hosted) > 1:
            problems.append(
                Sentence.of(
                    N_("The host “%(host)s” would be in two places in %(slot)s: %(sessions)s."),
                    host=host,
                    slot=n("slot", slot),
                    sessions=_named(instance, hosted),
                )
            )
    for session_id, cell in sorted(instance.locks.items()):
        if grid.get(session_id) != cell:
            problems.append(_unlocked(instance, session_id, cell, grid.get(session_id)))
    return problems


def _named(instance: Instance, sessions: list[int]) -> tuple[str | Sentence, ...]:
    return tuple(instance.name("session", s) for s in sessions)


def _unlocked(instance: Instance, session: int, locked: Cell, now: Cell | None) -> Sentence:
    """A locked session that is not in its cell, and where it is instead."""
    n = instance.name
    where = {"session": n("session", session), "room": n("room", locked[0])}
    where["slot"] = n("slot", locked[1])
    if now is None:
        off = N_("%(session)s is locked in %(room)s, %(slot)s, but is not placed.")
        return Sentence.of(off, **where)
    moved = N_("%(session)s is locked in %(room)s, %(slot)s, but is in %(now_room)s, %(now_slot)s.")
    return Sentence.of(moved, now_room=n("room", now[0]), now_slot=n("slot", now[1]), **where)
