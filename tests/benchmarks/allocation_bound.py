"""A proved upper bound on served votes, by column generation over the contents of a slot.

Served votes are a sum over slots of an exact per-slot value (a b-matching of attendees into
the sessions placed there), and the slots are coupled only by "each session at most once". So
the grid problem is a choice of one *configuration* (sessions with their room classes) per slot,
and its Dantzig-Wolfe relaxation - a linear programme over configurations - sees every clash
inside a slot exactly. A room-by-slot model's relaxation cannot: spreading each session over all
slots fractionally dodges every clash, which is why CP-SAT's bound stays near the trivial one.

The master linear programme (GLOP) picks configurations for the slots; pricing (a small MIP per
group of interchangeable slots, CBC, attendance continuous: given the sessions, the b-matching
relaxation is integral) finds the configuration of largest reduced cost. For any prices ``pi >= 0``
on "each session at most once", ``sum(pi) + sum over slots of max(0, best reduced value)`` is a
Lagrangian upper bound on the optimum, valid at every iteration (the pricing MIP's own proved
bound is used, so an unfinished pricing still gives a valid bound). Prices are smoothed towards
the best ones so far (Wentges) to damp the usual oscillation. At the end an integer master over
the generated configurations gives a grid; if its served votes reach the floor of the bound, the
optimum is proved.
"""

from __future__ import annotations

import math
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from server.allocation import Grid, Instance, check, served_votes

Config = tuple[tuple[int, int], ...]
"""One slot's contents: sorted (session id, room class index) pairs."""


def seat_bound(instance: Instance) -> int:
    """An upper bound on served votes in a second, for events too big for column generation.

    A placed session serves at most its voters and at most its room's seats, so no grid serves
    more than the best pairing of sessions with usable cells by ``min(voters, seats)``. That is
    the assignment problem's linear relaxation with clashes, hosts, sessions' unavailable slots
    and locks dropped (each only lowers the optimum), and ``min`` is supermodular, so pairing the
    most-voted session with the biggest cell, the next with the next, and so on solves it.
    """
    known = {session.id for session in instance.sessions}
    votes = Counter(s for voted in instance.votes.values() for s in voted if s in known)
    demand = sorted((votes[s] for s in known), reverse=True)
    seats = sorted(
        (
            room.capacity
            for room in instance.rooms
            for slot in instance.slots
            if slot not in room.unavailable
        ),
        reverse=True,
    )
    return sum(min(d, c) for d, c in zip(demand, seats, strict=False))


class _Problem:
    def __init__(self, instance: Instance) -> None:
        self.instance = instance
        classes: dict[tuple[int, frozenset[int]], list[int]] = defaultdict(list)
        for room in instance.rooms:
            classes[(room.capacity, room.unavailable)].append(room.id)
        self.keys = sorted(classes, key=lambda k: (-k[0], sorted(k[1])))
        self.rooms_of = [classes[k] for k in self.keys]
        self.class_of = {r: i for i, rooms in enumerate(self.rooms_of) for r in rooms}
        self.hosted: dict[str, list[int]] = defaultdict(list)
        for session in instance.sessions:
            for host in session.hosts:
                self.hosted[host].append(session.id)
        self.voters: dict[int, list[int]] = defaultdict(list)
        for attendee, voted in sorted(instance.votes.items()):
            for s in sorted(voted):
                self.voters[s].append(attendee)
        # Slots that no room, host or lock tells apart share one pricing problem.
        groups: dict[Any, list[int]] = {}
        for slot in instance.slots:
            groups.setdefault(self._signature(slot), []).append(slot)
        self.groups = list(groups.values())
        self.group_of = {t: g for g, slots in enumerate(self.groups) for t in slots}
        self.rows = [s.id for s in instance.sessions if s.id not in instance.locks]
        self.forced = {s for s in instance.forced if s not in instance.locks}

    def classes_in(self, slot: int) -> list[tuple[int, int, int]]:
        """(class index, capacity, rooms) for the room classes usable in ``slot``."""
        return [
            (i, key[0], len(self.rooms_of[i]))
            for i, key in enumerate(self.keys)
            if slot not in key[1]
        ]

    def allowed_in(self, slot: int) -> dict[int, list[int]]:
        """Session id -> the room classes it may take in ``slot``."""
        usable = [i for i, _, _ in self.classes_in(slot)]
        allowed: dict[int, list[int]] = {}
        for session in self.instance.sessions:
            if slot in session.unavailable:
                continue
            lock = self.instance.locks.get(session.id)
            if lock is None:
                allowed[session.id] = usable
            elif lock[1] == slot:
                allowed[session.id] = [self.class_of[lock[0]]]
        return allowed

    def _signature(self, slot: int) -> Any:
        allowed = self.allowed_in(slot)
        locked = tuple(sorted(s for s, c in self.instance.locks.items() if c[1] == slot))
        return (
            tuple(self.classes_in(slot)),
            tuple(sorted((s, tuple(c)) for s, c in allowed.items())),
            locked,
        )

    def config_of(self, grid: Mapping[int, tuple[int, int]], slot: int) -> Config:
        return tuple(sorted((s, self.class_of[room]) for s, (room, t) in grid.items() if t == slot))

    def cells(self, config: Config, slot: int) -> Grid:
        """The config as grid cells in ``slot``: locked sessions in their own rooms first."""
        free = {i: list(rooms) for i, rooms in enumerate(self.rooms_of)}
        grid: Grid = {}
        for s, i in config:
            lock = self.instance.locks.get(s)
            if lock is not None:
                free[i].remove(lock[0])
                grid[s] = lock
        for s, i in config:
            if s not in grid:
                grid[s] = (free[i].pop(0), slot)
        return grid

    def value(self, config: Config, slot: int) -> int:
        return served_votes(self.instance, self.cells(config, slot)).served

    def hosts_ok(self, config: Config) -> bool:
        inside = {s for s, _ in config}
        return all(sum(s in inside for s in ss) <= 1 for ss in self.hosted.values())

    def price(
        self, slot: int, pi: Mapping[int, float], seconds: float
    ) -> tuple[Config, float, bool]:
        """The config of ``slot`` with the largest served votes minus ``pi`` of its sessions,
        with the pricing MIP's proved upper bound on that figure and whether it is optimal."""
        from ortools.linear_solver import pywraplp

        allowed = self.allowed_in(slot)
        cap = {i: c for i, c, _ in self.classes_in(slot)}
        m = pywraplp.Solver.CreateSolver("CBC")
        x = {(s, i): m.BoolVar(f"x{s}_{i}") for s, cs in allowed.items() for i in cs}
        y = {s: sum(x[s, i] for i in cs) for s, cs in allowed.items()}
        for s in allowed:
            m.Add(y[s] <= 1)
            if s in self.instance.locks:
                m.Add(y[s] == 1)
        for i, _c, n in self.classes_in(slot):
            m.Add(sum(v for (_s, j), v in x.items() if j == i) <= n)
        for hosted in self.hosted.values():
            here = [s for s in hosted if s in allowed]
            if len(here) > 1:
                m.Add(sum(y[s] for s in here) <= 1)
        attend: dict[int, list[Any]] = defaultdict(list)
        objective = []
        for s, cs in allowed.items():
            ws = []
            for a in self.voters[s]:
                w = m.NumVar(0, 1, f"w{a}_{s}")
                m.Add(w <= y[s])
                attend[a].append(w)
                ws.append(w)
            if ws:
                m.Add(sum(ws) <= sum(cap[i] * x[s, i] for i in cs))
                objective.extend(ws)
        for ws in attend.values():
            if len(ws) > 1:
                m.Add(sum(ws) <= 1)
        m.Maximize(sum(objective) - sum(pi.get(s, 0.0) * y[s] for s in allowed))
        m.SetTimeLimit(max(1, int(seconds * 1000)))
        status = m.Solve()
        config = tuple(sorted(k for k, v in x.items() if v.solution_value() > 0.5))
        return config, m.Objective().BestBound(), status == pywraplp.Solver.OPTIMAL

    def neighbours(self, config: Config, slot: int) -> Iterable[Config]:
        """The config with one unlocked session replaced by another one not in it."""
        allowed = self.allowed_in(slot)
        inside = {s for s, _ in config}
        for j, (s, i) in enumerate(config):
            if s in self.instance.locks:
                continue
            for other, cs in allowed.items():
                if other not in inside and i in cs:
                    trial = tuple(sorted((*config[:j], (other, i), *config[j + 1 :])))
                    if self.hosts_ok(trial):
                        yield trial


def upper_bound(
    instance: Instance, grids: Iterable[Mapping[int, tuple[int, int]]], seconds: float = 900.0
) -> dict[str, Any]:
    """Column generation from the configurations of ``grids`` (valid grids, e.g. the
    allocator's with several seeds): the proved bound, the best grid found and its served
    votes. Stops when the bound's floor meets the best grid, when the relaxation is solved, or
    after ``seconds``."""
    from ortools.linear_solver import pywraplp

    started = time.perf_counter()
    p = _Problem(instance)
    columns: dict[tuple[int, Config], int] = {}

    def add(g: int, config: Config) -> bool:
        if (g, config) in columns:
            return False
        columns[g, config] = p.value(config, p.groups[g][0])
        return True

    best_grid: Grid = {}
    best = -1
    for grid in grids:
        served = served_votes(instance, grid).served
        if served > best and not check(instance, grid):
            best, best_grid = served, dict(grid)
        for slot in instance.slots:
            add(p.group_of[slot], p.config_of(grid, slot))
    bound = math.inf
    center: dict[int, float] | None = None
    alpha = 0.5
    relaxation = math.inf
    while True:
        lp = pywraplp.Solver.CreateSolver("GLOP")
        items = list(columns.items())
        lam = [lp.NumVar(0, lp.infinity(), "") for _ in items]
        convex = [lp.Constraint(-lp.infinity(), len(slots)) for slots in p.groups]
        rows = {s: lp.Constraint(1 if s in p.forced else -lp.infinity(), 1) for s in p.rows}
        objective = lp.Objective()
        for var, ((g, config), value) in zip(lam, items, strict=True):
            convex[g].SetCoefficient(var, 1)
            for s, _i in config:
                if s in rows:
                    rows[s].SetCoefficient(var, 1)
            objective.SetCoefficient(var, value)
        objective.SetMaximization()
        lp.Solve()
        relaxation = objective.Value()
        pi_lp = {
            s: (row.dual_value() if s in p.forced else max(0.0, row.dual_value()))
            for s, row in rows.items()
        }
        mu = [c.dual_value() for c in convex]
        center = center or pi_lp
        pi = {s: alpha * center[s] + (1 - alpha) * pi_lp[s] for s in p.rows}
        lagrangian = sum(pi.values())
        added = 0
        for g, slots in enumerate(p.groups):
            slot = slots[0]
            left = seconds - (time.perf_counter() - started)
            config, price_bound, _optimal = p.price(slot, pi, max(10.0, min(120.0, left)))
            lagrangian += len(slots) * max(0.0, price_bound)
            scored = []
            for trial in (config, *p.neighbours(config, slot)):
                if (g, trial) in columns:
                    continue
                value = p.value(trial, slot)
                reduced = value - sum(pi_lp.get(s, 0.0) for s, _ in trial) - mu[g]
                scored.append((reduced, trial))
            scored.sort(reverse=True)
            for reduced, trial in scored[:15]:
                if reduced > 1e-6 and add(g, trial):
                    added += 1
        if lagrangian < bound:
            bound, center = lagrangian, pi
        if (
            math.floor(bound + 1e-6) <= best
            or bound - relaxation < 1e-4
            or time.perf_counter() - started > seconds
        ):
            break
        if added == 0:
            alpha = 0.0 if alpha <= 0.3 else alpha / 2
        else:
            alpha = min(0.9, alpha + 0.1) if alpha > 0 else 0.5
    if math.floor(bound + 1e-6) > best:
        # The integer master over the configurations found: often a better grid.
        left = seconds - (time.perf_counter() - started)
        grid = _integer_master(p, columns, min(120.0, max(30.0, left)))
        if grid is not None and not check(instance, grid):
            served = served_votes(instance, grid).served
            if served > best:
                best, best_grid = served, grid
    # Only the Lagrangian figure is a bound (the master's value is one only once pricing finds
    # nothing); its floor, as served votes are whole.
    proved_bound = math.floor(bound + 1e-6)
    return {
        "optimum": best,
        "bound": max(proved_bound, best),
        "proved": best >= proved_bound,
        "solver_seconds": round(time.perf_counter() - started, 1),
        "grid": best_grid,
    }


def _integer_master(
    p: _Problem, columns: Mapping[tuple[int, Config], int], seconds: float
) -> Grid | None:
    from ortools.linear_solver import pywraplp

    m = pywraplp.Solver.CreateSolver("CBC")
    items = list(columns.items())
    lam = [m.IntVar(0, len(p.groups[g]), "") for (g, _c), _v in items]
    for g, slots in enumerate(p.groups):
        here = [v for v, ((gg, _c), _val) in zip(lam, items, strict=True) if gg == g]
        m.Add(sum(here) == len(slots))
    uses: dict[int, list[Any]] = defaultdict(list)
    for var, ((_g, config), _value) in zip(lam, items, strict=True):
        for s, _i in config:
            uses[s].append(var)
    for s, vars_ in uses.items():
        if s in p.rows:
            m.Add(sum(vars_) == 1 if s in p.forced else sum(vars_) <= 1)
    m.Maximize(sum(value * var for var, (_k, value) in zip(lam, items, strict=True)))
    m.SetTimeLimit(int(seconds * 1000))
    status = m.Solve()
    if status not in (pywraplp.Solver.OPTIMAL, pywraplp.Solver.FEASIBLE):
        return None
    grid: Grid = {}
    for var, ((g, config), _value) in zip(lam, items, strict=True):
        for _ in range(round(var.solution_value())):
            taken = {t for _s, (_r, t) in grid.items()}
            slot = next(t for t in p.groups[g] if t not in taken)
            grid.update(p.cells(config, slot))
    return grid
