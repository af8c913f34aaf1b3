"""The allocator: a greedy construction, then simulated annealing over cell swaps and swaps of
placed and left-out sessions, then a last pass that lets a left-out session in wherever that
serves more votes, so served votes, not vote counts, decide which sessions are left out.

Every move changes at most two slots, and the served votes of a slot are kept per slot, so a
move costs two per-slot max-flows on the attendees it touches rather than the whole grid.
Per slot and attendee the state counts their voted sessions there; an attendee with one such
session is a "single" for it (they go there, seats allowing), and only attendees with two or
more ("multis") need the matching in ``match_multis``.

The search runs a fixed number of moves worked out from the size of the instance and the time
budget, so the same input and seed give the same grid; the budget is also a hard stop, reached
only on a machine much slower than planned for.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass

from server.allocation.model import (
    Allocation,
    AllocationError,
    Cell,
    Grid,
    Instance,
    LeftOut,
)
from server.allocation.served import check, match_multis, served_votes

MOVE_PENALTY = 1.0
"""Served votes a move away from ``instance.previous`` must gain to be worth making."""

START_TEMPERATURE = 2.0
START_TEMPERATURE_PREVIOUS = 0.6
END_TEMPERATURE = 0.1
RESTARTS = 3

_WORK_PER_SECOND = 6_000_000.0
"""Calibration: units of ``_move_work`` this allocator gets through in a second, with room to
spare, on the slower machines it runs on (a shared 2-core runner)."""


@dataclass
class _Problem:
    rooms: list[int]
    slots: list[int]
    sessions: list[int]
    cap: list[int]
    room_ok: list[list[bool]]  # [r][t]
    sess_ok: list[list[bool]]  # [s][t]
    hosts: list[list[int]]
    voters: list[list[int]]
    votes_of: list[list[int]]
    locked: dict[int, int]  # session index -> flat cell index
    forced: set[int]
    previous: dict[int, int]  # session index -> flat cell index (unlocked, valid cells only)
    instance: Instance


def _prepare(instance: Instance) -> _Problem:
    rooms = [room.id for room in instance.rooms]
    slots = list(instance.slots)
    slot_index = {slot: t for t, slot in enumerate(slots)}
    room_index = {room: r for r, room in enumerate(rooms)}
    sessions = [session.id for session in instance.sessions]
    session_index = {session: s for s, session in enumerate(sessions)}
    host_ids: dict[str, int] = {}
    hosts = [
        [host_ids.setdefault(h, len(host_ids)) for h in sorted(session.hosts)]
        for session in instance.sessions
    ]
    t_count = len(slots)
    room_ok = [[slot not in room.unavailable for slot in slots] for room in instance.rooms]
    sess_ok = [[slot not in session.unavailable for slot in slots] for session in instance.sessions]
    voters: list[list[int]] = [[] for _ in sessions]
    votes_of: list[list[int]] = []
    for attendee in sorted(instance.votes):
        known = sorted({session_index[s] for s in instance.votes[attendee] if s in session_index})
        if not known:
            continue
        a = len(votes_of)
        votes_of.append(known)
        for s in known:
            voters[s].append(a)

    def flat(cell: Cell) -> int:
        return room_index[cell[0]] * t_count + slot_index[cell[1]]

    locked = {session_index[s]: flat(cell) for s, cell in instance.locks.items()}
    previous: dict[int, int] = {}
    for s_id, cell in sorted(instance.previous.items()):
        if s_id not in session_index or cell[0] not in room_index or cell[1] not in slot_index:
            continue
        if session_index[s_id] not in locked:
            previous[session_index[s_id]] = flat(cell)
    forced = {session_index[s] for s in instance.forced if s in session_index}
    return _Problem(
        rooms=rooms,
        slots=slots,
        sessions=sessions,
        cap=[room.capacity for room in instance.rooms],
        room_ok=room_ok,
        sess_ok=sess_ok,
        hosts=hosts,
        voters=voters,
        votes_of=votes_of,
        locked=locked,
        forced=forced,
        previous=previous,
        instance=instance,
    )


class _State:
    """A grid with the per-slot counts that make a move's served-votes change cheap."""

    def __init__(self, p: _Problem) -> None:
        self.p = p
        self.T = len(p.slots)
        self.R = len(p.rooms)
        n_s = len(p.sessions)
        n_a = len(p.votes_of)
        self.slot_of = [-1] * n_s
        self.room_of = [-1] * n_s
        self.occ = [-1] * (self.R * self.T)
        self.cnt = [[0] * n_a for _ in range(self.T)]
        self.n1 = [0] * n_s
        self.multis: list[dict[int, None]] = [{} for _ in range(self.T)]
        self.host_cnt: list[dict[int, int]] = [{} for _ in range(self.T)]
        self.val = [0] * self.T
        self.moved = len(p.previous)  # a session of the previous grid left out counts as moved

    # -- primitive changes (they leave ``val`` to the caller) --

    def place(self, s: int, cell: int) -> None:
        r, t = divmod(cell, self.T)
        self.slot_of[s] = t
        self.room_of[s] = r
        self.occ[cell] = s
        hc = self.host_cnt[t]
        for h in self.p.hosts[s]:
            hc[h] = hc.get(h, 0) + 1
        counts = self.cnt[t]
        slot_of = self.slot_of
        n1 = self.n1
        votes_of = self.p.votes_of
        multis = self.multis[t]
        n = 0
        for a in self.p.voters[s]:
            c = counts[a]
            counts[a] = c + 1
            if c == 0:
                n += 1
            elif c == 1:
                for y in votes_of[a]:
                    if y != s and slot_of[y] == t:
                        n1[y] -= 1
                        break
                multis[a] = None
        n1[s] = n
        if self.p.previous.get(s) == cell:
            self.moved -= 1

    def remove(self, s: int) -> int:
        t = self.slot_of[s]
        cell = self.room_of[s] * self.T + t
        self.occ[cell] = -1
        self.slot_of[s] = -1
        self.room_of[s] = -1
        hc = self.host_cnt[t]
        for h in self.p.hosts[s]:
            hc[h] -= 1
        counts = self.cnt[t]
        slot_of = self.slot_of
        n1 = self.n1
        votes_of = self.p.votes_of
        multis = self.multis[t]
        for a in self.p.voters[s]:
            c = counts[a]
            counts[a] = c - 1
            if c == 2:
                for y in votes_of[a]:
                    if slot_of[y] == t:
                        n1[y] += 1
                        break
                del multis[a]
        n1[s] = 0
        if self.p.previous.get(s) == cell:
            self.moved += 1
        return cell

    def swap_rooms(self, s1: int, s2: int) -> None:
        """Exchange the rooms of two sessions in one slot (no attendance counts change)."""
        r1, r2, t = self.room_of[s1], self.room_of[s2], self.slot_of[s1]
        c1, c2 = r1 * self.T + t, r2 * self.T + t
        prev = self.p.previous
        before = (prev.get(s1, c1) != c1) + (prev.get(s2, c2) != c2)
        self.room_of[s1], self.room_of[s2] = r2, r1
        self.occ[c1], self.occ[c2] = s2, s1
        after = (prev.get(s1, c2) != c2) + (prev.get(s2, c1) != c1)
        self.moved += after - before

    def slot_value(self, t: int) -> int:
        T = self.T
        occ = self.occ
        n1 = self.n1
        cap = self.p.cap
        served = 0
        residual: dict[int, int] = {}
        for r in range(self.R):
            x = occ[r * T + t]
            if x >= 0:
                n = n1[x]
                c = cap[r]
                if n >= c:
                    served += c
                else:
                    served += n
                    residual[x] = c - n
        multis = self.multis[t]
        if multis:
            slot_of = self.slot_of
            votes_of = self.p.votes_of
            neighbours = [[y for y in votes_of[a] if slot_of[y] == t] for a in multis]
            served += match_multis(neighbours, residual)
        return served

    def fits(self, s: int, cell: int, leaving: int = -1) -> bool:
        """Can ``s`` go into ``cell`` if ``leaving`` (a session in that slot, or -1) leaves it?"""
        t = cell % self.T
        if not self.p.sess_ok[s][t]:
            return False
        if self.slot_of[s] == t:
            return True
        hc = self.host_cnt[t]
        leaving_hosts = self.p.hosts[leaving] if leaving >= 0 else ()
        return all(hc.get(h, 0) - (h in leaving_hosts) <= 0 for h in self.p.hosts[s])

    def grid(self) -> list[int]:
        pairs = zip(self.room_of, self.slot_of, strict=True)
        return [r * self.T + t if t >= 0 else -1 for r, t in pairs]


def _build(p: _Problem, cells: Sequence[int]) -> _State:
    state = _State(p)
    for s, cell in enumerate(cells):
        if cell >= 0:
            state.place(s, cell)
    state.val = [state.slot_value(t) for t in range(state.T)]
    return state


def _construct(p: _Problem, state: _State, free_cells: list[int]) -> None:
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


def _move_work(p: _Problem, state: _State) -> float:
    voters = sum(len(v) for v in p.voters) / max(1, len(p.sessions))
    multis = sum(len(m) for m in state.multis) / max(1, state.T)
    return 40.0 + 2.0 * voters + 2.0 * state.R + 6.0 * multis


def _anneal(
    p: _Problem,
    state: _State,
    free_cells: list[int],
    moves: int,
    deadline: float,
    rng: random.Random,
    start_temperature: float,
) -> list[int]:
    """Simulated annealing over swaps of two cells' contents (either may be empty) and swaps of
    a placed session (never a forced one) with a left-out one, whatever their votes: served
    votes decide which sessions are left out. Returns the best grid seen, by served votes less
    ``MOVE_PENALTY`` per session moved from the previous grid.
    """
    T = state.T
    n_cells = len(free_cells)
    if n_cells == 0 or moves <= 0:
        return state.grid()
    locked = p.locked
    forced = p.forced
    out = [s for s in range(len(p.sessions)) if state.slot_of[s] < 0 and s not in locked]
    val = state.val
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
            if time.perf_counter() > deadline:
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
            new = state.slot_value(t)
            delta = new - old - MOVE_PENALTY * (state.moved - moved_before)
            if delta >= 0 or rnd() < math.exp(delta / temperature):
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
                    new = state.slot_value(t1)
                    delta = new - old - MOVE_PENALTY * (state.moved - moved_before)
                    if delta >= 0 or rnd() < math.exp(delta / temperature):
                        val[t1] = new
                        current += delta
                    else:
                        state.remove(s)
                        state.place(s, src)
                        continue
                else:
                    old = val[t1]
                    state.swap_rooms(s1, s2)
                    new = state.slot_value(t1)
                    delta = new - old - MOVE_PENALTY * (state.moved - moved_before)
                    if delta >= 0 or rnd() < math.exp(delta / temperature):
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
                old1, old2 = val[t1], val[t2]
                if s1 >= 0:
                    state.remove(s1)
                if s2 >= 0:
                    state.remove(s2)
                    state.place(s2, c1)
                if s1 >= 0:
                    state.place(s1, c2)
                new1 = state.slot_value(t1)
                new2 = state.slot_value(t2)
                delta = new1 + new2 - old1 - old2 - MOVE_PENALTY * (state.moved - moved_before)
                if delta >= 0 or rnd() < math.exp(delta / temperature):
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


def allocate(instance: Instance, *, budget_seconds: float = 1.0, seed: int = 0) -> Allocation:
    """Fill the grid: every hard constraint kept, locks untouched, forced sessions in, when
    cells run short the sessions left out whose absence costs the fewest served votes (not
    simply the fewest-voted), as many served votes as the search finds, and few moves away
    from ``instance.previous``. Raises ``AllocationError`` when the locks
    themselves break a hard constraint."""
    started = time.perf_counter()
    deadline = started + 0.85 * budget_seconds
    problems = check(instance, dict(instance.locks))
    if problems:
        raise AllocationError(problems)
    p = _prepare(instance)
    rng = random.Random(seed)
    state = _State(p)
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
    # Small grids need few moves: stopping early keeps the run far from the deadline.
    moves = min(
        int(budget_seconds * 0.8 * _WORK_PER_SECOND / work), 1000 + 200 * len(free_cells) ** 2
    )
    start_temperature = START_TEMPERATURE_PREVIOUS if p.previous else START_TEMPERATURE
    start = state.grid()
    best_grid = start
    best_value = -math.inf
    for _ in range(RESTARTS):
        run = _build(p, start)
        grid_found = _anneal(
            p, run, free_cells, moves // RESTARTS, deadline, rng, start_temperature
        )
        state = _build(p, grid_found)
        value = sum(state.val) - MOVE_PENALTY * state.moved
        if value > best_value:
            best_value, best_grid = value, grid_found
    state = _build(p, best_grid)
    _settle_left_out(p, state, free_cells, started + 0.9 * budget_seconds)
    grid: Grid = {
        p.sessions[s]: (p.rooms[cell // T], p.slots[cell % T])
        for s, cell in enumerate(state.grid())
        if cell >= 0
    }
    served = served_votes(instance, grid)
    left_out = _left_out(p, state, free_cells, started + 0.95 * budget_seconds)
    reasons = _reasons(p, state, free_cells, started + budget_seconds)
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
        seconds=time.perf_counter() - started,
    )


def _reasons(p: _Problem, state: _State, free_cells: list[int], deadline: float) -> dict[int, str]:
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
        if time.perf_counter() > deadline:
            reasons[p.sessions[s]] = text
            continue
        cell = r * T + t
        alt = _best_alternative(p, state, s, cell, free)
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
                text += f" Moving it costs at least {cost} served votes: the best other cell "
                text += f"is {where}."
            elif cost == 0:
                text += f" It could move to {where} at no cost in served votes."
            else:
                text += f" Moving it to {where} would serve {-cost} more votes, but it stays "
                text += "where the current grid has it."
        reasons[p.sessions[s]] = text
    return reasons


def _best_alternative(
    p: _Problem, state: _State, s: int, cell: int, free: set[int]
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
    val = state.val
    best: tuple[int, int, int] | None = None
    for other_cell in candidates:
        if other_cell == cell:
            continue
        other = state.occ[other_cell]
        u = other_cell % T
        if other >= 0 and other in p.locked:
            continue
        if not state.fits(s, other_cell, other):
            continue
        if other >= 0 and not state.fits(other, cell, s):
            continue
        if u == t:
            if other >= 0:
                state.swap_rooms(s, other)
                loss = val[t] - state.slot_value(t)
                state.swap_rooms(s, other)
            else:
                state.remove(s)
                state.place(s, other_cell)
                loss = val[t] - state.slot_value(t)
                state.remove(s)
                state.place(s, cell)
        else:
            state.remove(s)
            if other >= 0:
                state.remove(other)
                state.place(other, cell)
            state.place(s, other_cell)
            loss = val[t] + val[u] - state.slot_value(t) - state.slot_value(u)
            state.remove(s)
            if other >= 0:
                state.remove(other)
                state.place(other, other_cell)
            state.place(s, cell)
        if best is None or loss < best[0]:
            best = (loss, other_cell, other)
    return best


def _trial(p: _Problem, state: _State, u: int, cell: int) -> tuple[int, int, int, int]:
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


def _settle_left_out(p: _Problem, state: _State, free_cells: list[int], deadline: float) -> None:
    """Put left-out sessions into free cells that can take them, forced ones in over anything
    but another forced session, and any other left-out session in place of a placed one when
    that serves more votes (less ``MOVE_PENALTY`` per move), until no such change is left."""
    while time.perf_counter() < deadline:
        best: tuple[float, int, int] | None = None
        out = sorted(
            (s for s in range(len(p.sessions)) if state.slot_of[s] < 0 and s not in p.locked),
            key=lambda s: (s not in p.forced, p.sessions[s]),
        )
        for u in out:
            for cell in free_cells:
                v = state.occ[cell]
                if v >= 0 and v in p.forced:
                    continue
                if not state.fits(u, cell, v):
                    continue
                served, moved, _, _ = _trial(p, state, u, cell)
                value = served - MOVE_PENALTY * moved
                if v < 0:
                    value += 1_000_000.0  # a free cell it fits: always worth filling
                if u in p.forced:
                    value += 2_000_000.0
                if value > 1e-9 and (best is None or value > best[0]):
                    best = (value, u, cell)
            if best is not None and best[0] >= 1_000_000.0:
                break  # a free cell, or a forced session's way in: take it at once
        if best is None:
            return
        _, u, cell = best
        t = cell % state.T
        v = state.occ[cell]
        if v >= 0:
            state.remove(v)
        state.place(u, cell)
        state.val[t] = state.slot_value(t)


def _votes(n: int, more: str = "") -> str:
    """ "1 vote", "3 votes"; with ``more``, "1 more vote", "3 fewer votes"."""
    word = "vote" if n == 1 else "votes"
    return f"{n} {more} {word}" if more else f"{n} {word}"


def _left_out(
    p: _Problem, state: _State, free_cells: list[int], deadline: float
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
        head = f"Left out: {_votes(votes)}"
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
        if time.perf_counter() > deadline:
            reason = f"{head}; the time budget ran out before the cells open to it were weighed"
            result.append(LeftOut(p.sessions[s], votes, reason))
            continue
        trials = []
        for c in options:
            served, moved, brings, adds = _trial(p, state, s, c)
            trials.append((served - MOVE_PENALTY * moved, served, -c, moved, brings, adds))
        _, served, minus_cell, moved, brings, adds = max(trials)
        cell = -minus_cell
        t = cell % T
        room, slot = name("room", p.rooms[cell // T]), name("slot", p.slots[t])
        other = state.occ[cell]
        if other < 0:
            reason = (
                f"{head}; it fits in {room}, {slot}, which is free, but the time budget ran out "
                "before it was placed"
            )
            result.append(LeftOut(p.sessions[s], votes, reason))
            continue
        instead = f"placing it instead of {name('session', p.sessions[other])} ({room}, {slot})"
        if served > 0:
            if moved > 0 and served <= MOVE_PENALTY * moved:
                reason = (
                    f"{head}; {instead} would serve {_votes(served, 'more')}, not enough to move "
                    "a session of the grid people already have"
                )
            else:
                reason = (
                    f"{head}; {instead} would serve {_votes(served, 'more')}, but the search ran "
                    "out of time before trying it"
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
        reason = f"{head}; {instead} would serve {_votes(-served, 'fewer')}, because {because} "
        reason += f"({figures})"
        result.append(LeftOut(p.sessions[s], votes, reason))
    return tuple(result)
