"""The allocator explains itself: for each placed session why it is there and what moving it
would cost, and for each left-out session why it is out, in words a facilitator understands."""

from __future__ import annotations

from server.allocation.limit import Limit
from server.allocation.model import (
    LeftOut,
)
from server.allocation.problem import MOVE_PENALTY, Problem, State


def explain_placements(
    p: Problem, state: State, free_cells: list[int], limit: Limit
) -> dict[int, str]:
    T = state.T
    reasons: dict[int, str] = {}
    free = set(free_cells)
    for s in sorted(range(len(p.sessions)), key=lambda s: p.sessions[s]):
        t = state.slot_of[s]
        if t < 0:
            continue
        r = state.room_of[s]
        room, slot = p.instance.name("room", p.rooms[r]), p.instance.name("slot", p.slots[t])
        votes = len(p.voters[s])
        if s in p.locked:
            reasons[p.sessions[s]] = f"Locked by a facilitator in {room}, {slot}; {votes} votes."
            continue
        clashing = votes - state.n1[s]
        seats = p.cap[r]
        text = f"{votes} votes; {room} seats {seats}" + (
            "." if seats >= votes else f", so up to {votes - seats} of them find it full."
        )
        if clashing:
            text += f" {clashing} of its voters also want another session in {slot}."
        cell = r * T + t
        before = p.previous.get(s, cell)
        if before != cell:
            text = f"{why_moved(p, state, s, before, free)} {text}"
        if limit.over():
            reasons[p.sessions[s]] = text
            continue
        alt = best_alternative(p, state, s, cell, free)
        if alt is None:
            text += " No other cell is open to it (rooms, hosts and locks)."
        else:
            cost, other_cell, other = alt
            name = p.instance.name
            where = f"{name('room', p.rooms[other_cell // T])}, "
            where += name("slot", p.slots[other_cell % T])
            if other >= 0:
                where += f" (swapping with {name('session', p.sessions[other])})"
            if cost > 0:
                text += f" Moving it costs at least {votes_words(cost, 'served')}: the best "
                text += f"other cell is {where}."
            elif cost == 0:
                text += f" It could move to {where} at no cost in served votes."
            else:
                text += f" Moving it to {where} would serve {votes_words(-cost, 'more')}, but "
                text += "it stays where the current grid has it."
        reasons[p.sessions[s]] = text
    return reasons


def why_moved(p: Problem, state: State, s: int, before: int, free: set[int]) -> str:
    """Why ``s`` is no longer in ``before``, its cell in the previous grid."""
    name = p.instance.name
    t = before % state.T
    room, slot = name("room", p.rooms[before // state.T]), name("slot", p.slots[t])
    head = f"Moved from {room}, {slot}:"
    other = state.occ[before]
    if before not in free:
        if other >= 0 and other in p.locked:
            return f"{head} {name('session', p.sessions[other])} is locked there."
        return f"{head} that room is out of use then."
    if not p.sess_ok[s][t]:
        return f"{head} its host cannot run it then."
    if not state.fits(s, before, other):
        return f"{head} its host has another session then."
    loss = move_cost(p, state, s, before)
    if loss is None:
        return f"{head} {name('session', p.sessions[other])}, there now, cannot take its place."
    back = "putting it back"
    if other >= 0:
        back += f" (swapping with {name('session', p.sessions[other])})"
    if loss > 0:
        return f"{head} {back} would serve {votes_words(loss, 'fewer')}."
    return f"{head} {back} would serve no fewer votes, but the time limit cut the run short."


def best_alternative(
    p: Problem, state: State, s: int, cell: int, free: set[int]
) -> tuple[int, int, int] | None:
    """(served votes lost, cell, session swapped with or -1) of the best other cell for ``s``:
    every cell on small grids; on big ones, per slot the room closest in size, and the rooms
    either side of it in its own slot."""
    T = state.T
    t = cell % T
    candidates: list[int]
    if len(free) <= 120:
        candidates = sorted(free)
    else:
        candidates = []
        seats = p.cap[cell // T]
        for u in range(T):
            in_slot = sorted(
                (c for c in free if c % T == u and c != cell),
                key=lambda c: (abs(p.cap[c // T] - seats), c),
            )
            candidates.extend(in_slot[: 3 if u == t else 1])
    best: tuple[int, int, int] | None = None
    for other_cell in candidates:
        loss = move_cost(p, state, s, other_cell)
        if loss is not None and (best is None or loss < best[0]):
            best = (loss, other_cell, state.occ[other_cell])
    return best


def move_cost(p: Problem, state: State, s: int, other_cell: int) -> int | None:
    """Served votes lost by moving placed ``s`` into ``other_cell``, swapping with the session
    there if any (and undoing it); None when that breaks a rule or moves a locked session."""
    cell = state.room_of[s] * state.T + state.slot_of[s]
    if other_cell == cell:
        return None
    other = state.occ[other_cell]
    if other >= 0 and other in p.locked:
        return None
    if not state.fits(s, other_cell, other):
        return None
    if other >= 0 and not state.fits(other, cell, s):
        return None
    loss = -state.relocate(s, other_cell)
    state.relocate(s, cell)
    return loss


def trial(p: Problem, state: State, u: int, cell: int) -> tuple[int, int, int, int]:
    """Put left-out ``u`` into ``cell`` instead of its session (if any), and undo it.

    Returns (change in served votes, change in sessions moved from the previous grid, served
    votes the session in ``cell`` adds to its slot, served votes ``u`` would add there).
    """
    t = cell % state.T
    v = state.occ[cell]
    old = state.val[t]
    moved_before = state.moved
    if v >= 0:
        state.remove(v)
        base = state.slot_value(t)
    else:
        base = old
    state.place(u, cell)
    with_u = state.slot_value(t)
    moved = state.moved - moved_before
    state.remove(u)
    if v >= 0:
        state.place(v, cell)
    return with_u - old, moved, old - base, with_u - base


def votes_words(n: int, more: str = "") -> str:
    """ "1 vote", "3 votes"; with ``more``, "1 more vote", "3 fewer votes"."""
    word = "vote" if n == 1 else "votes"
    return f"{n} {more} {word}" if more else f"{n} {word}"


def explain_left_out(
    p: Problem, state: State, free_cells: list[int], limit: Limit
) -> tuple[LeftOut, ...]:
    """Why each session is not in the grid, in a facilitator's words: its best way in, and what
    that would cost in served votes and why."""
    T = state.T
    name = p.instance.name
    result = []
    for s in sorted(range(len(p.sessions)), key=lambda s: p.sessions[s]):
        if state.slot_of[s] >= 0:
            continue
        votes = len(p.voters[s])
        head = f"Left out: {votes_words(votes)}"
        if s in p.forced:
            reason = (
                "forced in, but no cell is open to it: its host is unavailable or busy, or the "
                "room is out of use, locked or holds another forced session, in every slot"
            )
            result.append(LeftOut(p.sessions[s], votes, reason))
            continue
        options = [
            c
            for c in free_cells
            if (state.occ[c] < 0 or state.occ[c] not in p.forced) and state.fits(s, c, state.occ[c])
        ]
        if not options:
            reason = (
                f"{head}; no cell is open to it: its host is unavailable or busy, or the room is "
                "out of use, locked or holds a forced session, in every slot"
            )
            result.append(LeftOut(p.sessions[s], votes, reason))
            continue
        if limit.over():
            reason = (
                f"{head}; the time limit cut the run short before the cells open to it were weighed"
            )
            result.append(LeftOut(p.sessions[s], votes, reason))
            continue
        trials = []
        for c in options:
            served, moved, brings, adds = trial(p, state, s, c)
            trials.append((served - MOVE_PENALTY * moved, served, -c, moved, brings, adds))
        _, served, minus_cell, moved, brings, adds = max(trials)
        cell = -minus_cell
        t = cell % T
        room, slot = name("room", p.rooms[cell // T]), name("slot", p.slots[t])
        other = state.occ[cell]
        if other < 0:
            reason = (
                f"{head}; it fits in {room}, {slot}, which is free, but the time limit cut the run "
                "short before it was placed"
            )
            result.append(LeftOut(p.sessions[s], votes, reason))
            continue
        instead = f"placing it instead of {name('session', p.sessions[other])} ({room}, {slot})"
        if served > 0:
            if moved > 0 and served <= MOVE_PENALTY * moved:
                reason = (
                    f"{head}; {instead} would serve {votes_words(served, 'more')}, "
                    "not enough to move a session of the grid people already have"
                )
            else:
                reason = (
                    f"{head}; {instead} would serve {votes_words(served, 'more')}, "
                    "but the time limit cut the run short before it was tried"
                )
            result.append(LeftOut(p.sessions[s], votes, reason))
            continue
        figures = f"it would serve {adds} there, {name('session', p.sessions[other])} serves "
        figures += f"{brings}"
        if served == 0:
            reason = f"{head}; {instead} would serve no more votes ({figures})"
            result.append(LeftOut(p.sessions[s], votes, reason))
            continue
        counts = state.cnt
        voters = p.voters[s]
        busy_everywhere = sum(1 for a in voters if all(counts[u][a] for u in range(T)))
        theirs = set(p.voters[other])
        busy_there = sum(1 for a in voters if counts[t][a] - (a in theirs) > 0)
        seats = p.cap[cell // T]
        if votes == 0:
            because = "nobody voted for it"
        elif T > 1 and 2 * busy_everywhere > votes:
            because = (
                f"most of its voters ({busy_everywhere} of {votes}) already have a session "
                "they voted for in every slot"
            )
        elif busy_there > 0 and 2 * busy_there >= votes - adds:
            because = (
                f"{busy_there} of its {votes} voters already "
                f"{'has' if busy_there == 1 else 'have'} another session they voted for in {slot}"
            )
        elif seats < votes:
            because = f"{room} seats only {seats}"
        else:
            because = f"{name('session', p.sessions[other])} serves more there"
        reason = (
            f"{head}; {instead} would serve {votes_words(-served, 'fewer')}, because {because} "
        )
        reason += f"({figures})"
        result.append(LeftOut(p.sessions[s], votes, reason))
    return tuple(_with_previous_cell(p, T, left) for left in result)


def _with_previous_cell(p: Problem, T: int, left: LeftOut) -> LeftOut:
    """A session the previous grid had is moved off it: say where it was."""
    before = p.previous.get(p.sessions.index(left.session))
    if before is None:
        return left
    name = p.instance.name
    where = f"{name('room', p.rooms[before // T])}, {name('slot', p.slots[before % T])}"
    return LeftOut(left.session, left.votes, f"{left.reason}; the previous grid had it in {where}")
