"""The allocator: a greedy construction, then simulated annealing over cell swaps and swaps of
placed and left-out sessions, then a last pass that lets a left-out session in wherever that
serves more votes, so served votes, not vote counts, decide which sessions are left out.

Every move changes at most two slots, and the served votes of a slot are kept per slot, so a
move costs two per-slot max-flows on the attendees it touches rather than the whole grid.
Per slot and attendee the state counts their voted sessions there; an attendee with one such
session is a "single" for it (they go there, seats allowing), and only attendees with two or
more ("multis") need the matching in ``match_multis``.

The search runs a fixed number of moves worked out from the size of the instance and the time
budget, and the later passes and the explanations a fixed amount of work, so the same input and
seed give the same grid and the same words on any machine under any load. Only a wall-clock cap
of several times the budget (``limit.py``) can cut a run short, and the result then says so.
"""

from __future__ import annotations

import math
import random

from server.allocation.explain import explain_left_out, explain_placements, move_cost, trial
from server.allocation.limit import Limit
from server.allocation.model import (
    Allocation,
    AllocationError,
    Grid,
    Instance,
)
from server.allocation.problem import MOVE_PENALTY, Problem, State, build, prepare
from server.allocation.served import check, served_votes

START_TEMPERATURE = 2.0
START_TEMPERATURE_PREVIOUS = 0.6
END_TEMPERATURE = 0.1
RESTARTS = 3

_WORK_PER_SECOND = 6_000_000.0
"""Calibration: how many units of ``_move_work`` a second of budget buys. It sets how many moves
a budget plans, never when the search stops, so a busier machine takes longer for the same grid.
Set so the reference event plans about 0.6 s on an idle core of the shared 2-core machine the
benchmark runs on (most moves are undone on their cheap bound, so a unit costs less than the
estimate in ``_move_work`` suggests)."""


def _construct(p: Problem, state: State, free_cells: list[int]) -> None:
    """Place the previous grid where it is still valid, then each other session in order of
    forced first and then most votes, into the slot where it adds most served votes, in that
    slot's biggest free room."""
    T = state.T
    free = set(free_cells)
    for s, cell in sorted(p.previous.items()):
        if cell in free and state.occ[cell] < 0 and state.fits(s, cell):
            state.place(s, cell)
    for t in range(T):
        state.val[t] = state.slot_value(t)
    order = sorted(
        (s for s in range(len(p.sessions)) if state.slot_of[s] < 0 and s not in p.locked),
        key=lambda s: (s not in p.forced, -len(p.voters[s]), p.sessions[s]),
    )
    by_slot: list[list[int]] = [[] for _ in range(T)]
    for cell in sorted(free, key=lambda c: (-p.cap[c // T], c)):
        by_slot[cell % T].append(cell)
    for s in order:
        best: tuple[int, int, int] | None = None
        best_cell = -1
        for t in range(T):
            room_cell = next((c for c in by_slot[t] if state.occ[c] < 0), -1)
            if room_cell < 0 or not state.fits(s, room_cell):
                continue
            state.place(s, room_cell)
            gain = state.slot_value(t) - state.val[t]
            state.remove(s)
            key = (gain, p.cap[room_cell // T], -t)
            if best is None or key > best:
                best, best_cell = key, room_cell
        if best_cell >= 0:
            state.place(s, best_cell)
            t = best_cell % T
            state.val[t] = state.slot_value(t)


def _move_work(p: Problem, state: State) -> float:
    voters = sum(len(v) for v in p.voters) / max(1, len(p.sessions))
    multis = sum(len(m) for m in state.multis) / max(1, state.T)
    return 40.0 + 2.0 * voters + 2.0 * state.R + 6.0 * multis


def _anneal(
    p: Problem,
    state: State,
    free_cells: list[int],
    moves: int,
    limit: Limit,
    rng: random.Random,
    start_temperature: float,
) -> list[int]:
    """Simulated annealing over swaps of two cells' contents (either may be empty) and swaps of
    a placed session (never a forced one) with a left-out one, whatever their votes: served
    votes decide which sessions are left out. Returns the best grid seen, by served votes less
    ``MOVE_PENALTY`` per session moved from the previous grid.

    Each move draws its acceptance threshold first (Metropolis: a change of ``delta`` passes
    when ``delta >= temperature * log(u)``), so a move whose slots' cheap upper bound
    (``State.slot_bound``) already falls short is undone without its exact matching.
    """
    T = state.T
    n_cells = len(free_cells)
    if n_cells == 0 or moves <= 0:
        return state.grid()
    locked = p.locked
    forced = p.forced
    out = [s for s in range(len(p.sessions)) if state.slot_of[s] < 0 and s not in locked]
    val = state.val
    previous = p.previous
    n_votes = [len(v) for v in p.voters]
    current = sum(val) - MOVE_PENALTY * state.moved
    best = current
    best_grid = state.grid()
    end_temperature = END_TEMPERATURE
    temperature = start_temperature
    ratio = end_temperature / start_temperature
    rnd = rng.random
    for it in range(moves):
        if it & 255 == 0:
            temperature = start_temperature * ratio ** (it / moves)
            if limit.over():
                break
        moved_before = state.moved
        if out and rnd() < 0.05:
            # A left-out session in for a placed one (or into an empty cell).
            ui = int(rnd() * len(out))
            u = out[ui]
            cell = free_cells[int(rnd() * n_cells)]
            victim = state.occ[cell]
            if victim >= 0 and victim in forced:
                continue
            if not state.fits(u, cell, victim):
                continue
            t = cell % T
            old = val[t]
            if victim >= 0:
                state.remove(victim)
            state.place(u, cell)
            penalty = MOVE_PENALTY * (state.moved - moved_before)
            least = temperature * math.log(1.0 - rnd()) + old + penalty
            new = state.slot_value(t) if state.slot_bound(t) >= least else -1
            if new >= least:
                delta = new - old - penalty
                val[t] = new
                current += delta
                if victim >= 0:
                    out[ui] = victim
                else:
                    out.pop(ui)
            else:
                state.remove(u)
                if victim >= 0:
                    state.place(victim, cell)
                continue
        else:
            c1 = free_cells[int(rnd() * n_cells)]
            c2 = free_cells[int(rnd() * n_cells)]
            s1 = state.occ[c1]
            s2 = state.occ[c2]
            if c1 == c2 or (s1 < 0 and s2 < 0):
                continue
            t1 = c1 % T
            t2 = c2 % T
            if t1 == t2:
                if s1 < 0 or s2 < 0:
                    # A session into an empty room of its own slot.
                    s, src, dst = (s1, c1, c2) if s1 >= 0 else (s2, c2, c1)
                    old = val[t1]
                    state.remove(s)
                    state.place(s, dst)
                    penalty = MOVE_PENALTY * (state.moved - moved_before)
                    least = temperature * math.log(1.0 - rnd()) + old + penalty
                    new = state.slot_value(t1) if state.slot_bound(t1) >= least else -1
                    if new >= least:
                        delta = new - old - penalty
                        val[t1] = new
                        current += delta
                    else:
                        state.remove(s)
                        state.place(s, src)
                        continue
                else:
                    old = val[t1]
                    state.swap_rooms(s1, s2)
                    penalty = MOVE_PENALTY * (state.moved - moved_before)
                    least = temperature * math.log(1.0 - rnd()) + old + penalty
                    new = state.slot_value(t1) if state.slot_bound(t1) >= least else -1
                    if new >= least:
                        delta = new - old - penalty
                        val[t1] = new
                        current += delta
                    else:
                        state.swap_rooms(s1, s2)
                        continue
            else:
                if s1 >= 0 and not state.fits(s1, c2, s2):
                    continue
                if s2 >= 0 and not state.fits(s2, c1, s1):
                    continue
                threshold = temperature * math.log(1.0 - rnd())
                penalty = MOVE_PENALTY * _moves_made(previous, s1, c1, s2, c2)
                if _seat_gain(state, n_votes, s1, c1, s2, c2) - penalty < threshold:
                    continue  # even the seats alone cannot make this move pass
                old1, old2 = val[t1], val[t2]
                if s1 >= 0:
                    state.remove(s1)
                if s2 >= 0:
                    state.remove(s2)
                    state.place(s2, c1)
                if s1 >= 0:
                    state.place(s1, c2)
                least = threshold + old1 + old2 + penalty
                if state.slot_bound(t1) + state.slot_bound(t2) >= least:
                    new1 = state.slot_value(t1)
                    new2 = state.slot_value(t2)
                else:
                    new1 = new2 = -1
                if new1 + new2 >= least:
                    delta = new1 + new2 - old1 - old2 - penalty
                    val[t1] = new1
                    val[t2] = new2
                    current += delta
                else:
                    if s1 >= 0:
                        state.remove(s1)
                    if s2 >= 0:
                        state.remove(s2)
                        state.place(s2, c2)
                    if s1 >= 0:
                        state.place(s1, c1)
                    continue
        if current > best + 1e-9:
            best = current
            best_grid = state.grid()
    return best_grid


def _seat_gain(state: State, n_votes: list[int], s1: int, c1: int, s2: int, c2: int) -> int:
    """An upper bound, from seats alone, on the served votes gained by swapping the contents
    of cells ``c1`` and ``c2`` in different slots (``s1``, ``s2``; -1 for empty), read before
    making the swap. A session leaving a slot loses at least its singles it seats (they have
    nothing else there); one arriving adds at most its voters, and at most its room's seats."""
    cap = state.p.cap
    T = state.T
    cap1, cap2 = cap[c1 // T], cap[c2 // T]
    n1 = state.n1
    gain = 0
    if s1 >= 0:
        gain += min(n_votes[s1], cap2) - min(n1[s1], cap1)
    if s2 >= 0:
        gain += min(n_votes[s2], cap1) - min(n1[s2], cap2)
    return gain


def _moves_made(previous: dict[int, int], s1: int, c1: int, s2: int, c2: int) -> int:
    """The change in sessions moved from the previous grid when ``s1`` (in ``c1``) and ``s2``
    (in ``c2``) swap cells (-1 for an empty cell)."""
    if not previous:
        return 0
    made = 0
    if s1 >= 0:
        made += (previous.get(s1) == c1) - (previous.get(s1) == c2)
    if s2 >= 0:
        made += (previous.get(s2) == c2) - (previous.get(s2) == c1)
    return made


def allocate(instance: Instance, *, budget_seconds: float = 1.0, seed: int = 0) -> Allocation:
    """Fill the grid: every hard constraint kept, locks untouched, forced sessions in, when
    cells run short the sessions left out whose absence costs the fewest served votes (not
    simply the fewest-voted), as many served votes as the search finds, and few moves away
    from ``instance.previous``. Raises ``AllocationError`` when the locks
    themselves break a hard constraint."""
    limit = Limit(budget_seconds)
    problems = check(instance, dict(instance.locks))
    if problems:
        raise AllocationError(problems)
    p = prepare(instance)
    rng = random.Random(seed)
    state = State(p)
    T = state.T
    for s, cell in sorted(p.locked.items()):
        state.place(s, cell)
    locked_cells = set(p.locked.values())
    free_cells = [
        r * T + t
        for r in range(state.R)
        for t in range(T)
        if p.room_ok[r][t] and r * T + t not in locked_cells
    ]
    _construct(p, state, free_cells)
    work = _move_work(p, state)
    # Small grids need few moves: more would only spend the budget.
    moves = min(
        int(budget_seconds * 0.8 * _WORK_PER_SECOND / work), 1000 + 200 * len(free_cells) ** 2
    )
    start_temperature = START_TEMPERATURE_PREVIOUS if p.previous else START_TEMPERATURE
    start = state.grid()
    start_value = sum(state.val) - MOVE_PENALTY * state.moved
    best_grid = start
    best_value = -math.inf
    for _ in range(RESTARTS):
        run = build(p, start)
        grid_found = _anneal(p, run, free_cells, moves // RESTARTS, limit, rng, start_temperature)
        state = build(p, grid_found)
        value = sum(state.val) - MOVE_PENALTY * state.moved
        if value > best_value:
            best_value, best_grid = value, grid_found
        if value <= start_value + 1e-9:
            # Nothing better than the start in a whole run (a big event's greedy grid close to
            # its bound, or a rerun whose grid still holds): further runs' moves are saved.
            break
    state = build(p, best_grid)
    while True:
        _settle_left_out(p, state, free_cells, limit)
        if not _restore_moved(p, state, set(free_cells), limit):
            break
    grid: Grid = {
        p.sessions[s]: (p.rooms[cell // T], p.slots[cell % T])
        for s, cell in enumerate(state.grid())
        if cell >= 0
    }
    served = served_votes(instance, grid)
    left_out = explain_left_out(p, state, free_cells, limit)
    reasons = explain_placements(p, state, free_cells, limit)
    moved = sum(
        1
        for s_id, cell in instance.previous.items()
        if s_id not in instance.locks and grid.get(s_id) != cell
    )
    return Allocation(
        grid=grid,
        served=served,
        moved=moved,
        left_out=left_out,
        reasons=reasons,
        seconds=limit.elapsed(),
        capped=limit.hit,
        notice=limit.notice(),
    )


def _settle_left_out(p: Problem, state: State, free_cells: list[int], limit: Limit) -> None:
    """Put left-out sessions into free cells that can take them, forced ones in over anything
    but another forced session, and any other left-out session in place of a placed one when
    that serves more votes (less ``MOVE_PENALTY`` per move), until no such change is left.

    Passes over the left-out sessions (forced first), each going to its best cell at once; a
    session it displaces waits for the next pass. Every change gains, so this ends; only the
    safety cap can stop it sooner."""
    changed = True
    while changed:
        changed = False
        out = sorted(
            (s for s in range(len(p.sessions)) if state.slot_of[s] < 0 and s not in p.locked),
            key=lambda s: (s not in p.forced, p.sessions[s]),
        )
        for u in out:
            if limit.over():
                return
            cell = _best_way_in(p, state, u, free_cells)
            if cell >= 0:
                v = state.occ[cell]
                if v >= 0:
                    state.remove(v)
                state.place(u, cell)
                t = cell % state.T
                state.val[t] = state.slot_value(t)
                changed = True


def _best_way_in(p: Problem, state: State, u: int, free_cells: list[int]) -> int:
    """The cell where left-out ``u`` gains most (a free cell it fits before any other, and
    for a forced session any cell), or -1 when no cell gains."""
    best, best_cell = 1e-9, -1
    for cell in free_cells:
        v = state.occ[cell]
        if v >= 0 and v in p.forced:
            continue
        if not state.fits(u, cell, v):
            continue
        served, moved, _, _ = trial(p, state, u, cell)
        value = served - MOVE_PENALTY * moved
        if v < 0:
            value += 1_000_000.0  # a free cell it fits: always worth filling
        if u in p.forced:
            value += 2_000_000.0
        if value > best:
            best, best_cell = value, cell
    return best_cell


def _restore_moved(p: Problem, state: State, free: set[int], limit: Limit) -> bool:
    """Put each session the search moved back in its cell of the previous grid (swapping with
    the session there) wherever that loses fewer served votes than ``MOVE_PENALTY`` per move
    undone: the search keeps a move only for what it gains, not for where it happened to end.
    Returns whether anything went back."""
    changed = False
    for s, cell in sorted(p.previous.items()):
        if limit.over():
            break
        if state.slot_of[s] < 0 or cell not in free:
            continue
        moved_before = state.moved
        here = state.room_of[s] * state.T + state.slot_of[s]
        loss = move_cost(p, state, s, cell)
        if loss is None:
            continue
        state.relocate(s, cell)
        if MOVE_PENALTY * (moved_before - state.moved) - loss > 1e-9:
            changed = True
        else:
            state.relocate(s, here)
    return changed
