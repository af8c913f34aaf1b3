"""Benchmark of the allocator against the proved optimum of served votes.

    python -m tests.benchmarks.allocation [--recompute] [--solver-seconds N]

Generates seeded instances at three sizes (small, the reference event, the large event), runs
the allocator and a naive baseline on each, and for small and reference instances compares
their served votes with the proved optimum. The optimum is proved by column generation over the
contents of a slot (``allocation_bound.py``: a Dantzig-Wolfe bound that sees clashes, seeded with
the allocator's grids from several seeds), and where that leaves a gap, by OR-Tools CP-SAT on a
room-by-slot model started from the best grid found. Proved figures are cached in
``allocation_optima.json`` beside this file, keyed by generator version, size and seed;
``--recompute`` proves them again (minutes). Where optimality is not proved within the limits
the ratio is taken against the proved upper bound and marked as a floor. The large event is too
big for that: it is scored against ``seat_bound`` (each session serves at most its voters and
its room's seats; clashes ignored), so its ratio is a floor on the ratio to its optimum. The
last line printed is one JSON object with the headline figures.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import sys
import time
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from server.allocation import Grid, Instance, Room, Session, allocate, check, served_votes
from tests.benchmarks.allocation_bound import seat_bound, upper_bound

GENERATOR_VERSION = 1
CACHE = Path(__file__).with_name("allocation_optima.json")


@dataclass(frozen=True)
class Shape:
    attendees: int
    pitches: int
    capacities: tuple[int, ...]
    slots: int
    topics: int
    locks: int
    budget: float


SHAPES = {
    "small": Shape(40, 14, (25, 10, 6, 6), 3, 3, 1, 1.0),
    "reference": Shape(150, 40, (100, 35, 10, 8, 8, 8, 8), 5, 5, 1, 1.0),
    "large": Shape(
        3000,
        400,
        (500, 400, 300, 200, 200, 150, 150, 150, *[100] * 5, *[60] * 6, *[25] * 6),
        16,
        12,
        3,
        8.0,
    ),
}
SEEDS = {"small": (1, 2, 3), "reference": (1, 2, 3), "large": (1,)}


def generate(size: str, seed: int) -> Instance:
    """A seeded event: Zipf-like popularity, attendees leaning towards one or two topics,
    friends who vote alike, 3 to 8 dots each, skewed rooms with identical snugs, a few shared
    hosts, hosts' unavailable slots, a room out of use in one slot, and a few locks."""
    shape = SHAPES[size]
    rng = random.Random(f"snug-allocation-v{GENERATOR_VERSION}-{size}-{seed}")
    n_slots = shape.slots
    slots = tuple(range(1, n_slots + 1))
    ranks = list(range(1, shape.pitches + 1))
    rng.shuffle(ranks)
    weight = [1.0 / rank**0.9 for rank in ranks]
    topic = [rng.randrange(shape.topics) for _ in range(shape.pitches)]
    session_ids = [100 + i for i in range(shape.pitches)]
    votes: dict[int, frozenset[int]] = {}
    leanings: list[tuple[int, ...]] = []
    for a in range(shape.attendees):
        if leanings and rng.random() < 0.3:
            friend = rng.randrange(len(leanings))
            leaning = leanings[friend]
            base = sorted(votes[1000 + friend])
            chosen = set(rng.sample(base, k=max(1, len(base) // 2)))
        else:
            leaning = tuple(rng.sample(range(shape.topics), k=rng.choice((1, 1, 2))))
            chosen = set()
        leanings.append(leaning)
        dots = rng.randint(3, 8)
        bias = [w * (5.0 if topic[i] in leaning else 1.0) for i, w in enumerate(weight)]
        while dots > len(chosen) and len(chosen) < shape.pitches:
            pick = rng.choices(range(shape.pitches), weights=bias, k=1)[0]
            chosen.add(session_ids[pick])
            dots -= 1  # several dots on one session count once
        votes[1000 + a] = frozenset(chosen)
    hosts = [f"host-{i}" for i in range(shape.pitches)]
    for i in range(shape.pitches):
        if i > 0 and rng.random() < 0.1:
            hosts[i] = hosts[rng.randrange(i)]  # one person hosting two sessions
    sessions = []
    for i, s_id in enumerate(session_ids):
        unavailable = frozenset({rng.choice(slots)}) if rng.random() < 0.1 else frozenset()
        sessions.append(Session(s_id, frozenset({hosts[i]}), unavailable))
    rooms = []
    for r, capacity in enumerate(shape.capacities):
        unavailable = frozenset({slots[0]}) if r == len(shape.capacities) - 1 else frozenset()
        rooms.append(Room(10 + r, capacity, unavailable))
    locks: dict[int, tuple[int, int]] = {}
    by_votes = sorted(session_ids, key=lambda s: -sum(s in v for v in votes.values()))
    candidates = by_votes[len(by_votes) // 4 : len(by_votes) // 2]
    for s_id in rng.sample(candidates, k=shape.locks):
        for _ in range(100):
            cell = (rng.choice(rooms).id, rng.choice(slots))
            trial = {**locks, s_id: cell}
            if not check(Instance(tuple(rooms), slots, tuple(sessions), votes, trial), trial):
                locks = trial
                break
    return Instance(tuple(rooms), slots, tuple(sessions), votes, locks=locks)


def baseline(instance: Instance) -> Grid:
    """The naive grid: the locks, then sessions by most votes, each into the biggest room still
    free, taking the rooms biggest first and, for each room, the slots in order."""
    grid: Grid = dict(instance.locks)
    count: dict[int, int] = defaultdict(int)
    for voted in instance.votes.values():
        for s in voted:
            count[s] += 1
    waiting = sorted(
        (s for s in instance.sessions if s.id not in grid), key=lambda s: (-count[s.id], s.id)
    )
    taken = set(grid.values())
    for room in sorted(instance.rooms, key=lambda r: (-r.capacity, r.id)):
        for slot in instance.slots:
            if (room.id, slot) in taken or slot in room.unavailable:
                continue
            for session in waiting:
                trial = {**grid, session.id: (room.id, slot)}
                if not check(instance, trial):
                    grid = trial
                    taken.add((room.id, slot))
                    waiting.remove(session)
                    break
    return grid


def solve(
    instance: Instance,
    seconds: float,
    hint: Mapping[int, tuple[int, int]],
    fix: bool = False,
    workers: int = 8,
) -> dict[str, Any]:
    """Maximum served votes by CP-SAT, identical rooms (same capacity and availability)
    aggregated into one class with a count, so their symmetry costs nothing; seats limited per
    session and slot; slots that nothing tells apart ordered by served votes. The grid ``hint``
    starts the search (``fix`` holds it there, to cross-check ``served_votes``). Several workers
    (a portfolio) prove far faster than two, even on two cores."""
    from ortools.sat.python import cp_model

    model = cp_model.CpModel()
    classes: dict[tuple[int, frozenset[int]], list[int]] = defaultdict(list)
    for room in instance.rooms:
        classes[(room.capacity, room.unavailable)].append(room.id)
    class_of = {r: key for key, ids in classes.items() for r in ids}
    keys = sorted(classes, key=lambda k: (-k[0], sorted(k[1])))
    x: dict[tuple[int, int, int], Any] = {}
    for session in instance.sessions:
        lock = instance.locks.get(session.id)
        for k, key in enumerate(keys):
            for slot in instance.slots:
                if slot in key[1] or slot in session.unavailable:
                    continue
                if lock is not None and (class_of[lock[0]] != key or lock[1] != slot):
                    continue
                x[session.id, k, slot] = model.new_bool_var(f"x{session.id}_{k}_{slot}")
    placed_in: dict[tuple[int, int], list[Any]] = defaultdict(list)
    seats: dict[tuple[int, int], list[tuple[Any, int]]] = defaultdict(list)
    for (s, k, slot), var in x.items():
        placed_in[s, slot].append(var)
        seats[s, slot].append((var, keys[k][0]))
    for session in instance.sessions:
        here = [v for (s, _k, _t), v in x.items() if s == session.id]
        if session.id in instance.locks or session.id in instance.forced:
            model.add(sum(here) == 1)
        else:
            model.add(sum(here) <= 1)
    for k, key in enumerate(keys):
        for slot in instance.slots:
            vars_ = [v for (s, kk, t), v in x.items() if kk == k and t == slot]
            if vars_:
                model.add(sum(vars_) <= len(classes[key]))
    hosted: dict[str, list[int]] = defaultdict(list)
    for session in instance.sessions:
        for h in session.hosts:
            hosted[h].append(session.id)
    for sessions in hosted.values():
        if len(sessions) > 1:
            for slot in instance.slots:
                model.add(sum(v for s in sessions for v in placed_in[s, slot]) <= 1)
    attend: dict[tuple[int, int], list[Any]] = defaultdict(list)
    objective = []
    for a, voted in sorted(instance.votes.items()):
        per_slot: dict[int, list[Any]] = defaultdict(list)
        for s in sorted(voted):
            per_session = []
            for slot in instance.slots:
                if placed_in[s, slot]:
                    w = model.new_bool_var(f"w{a}_{s}_{slot}")
                    model.add(w <= sum(placed_in[s, slot]))
                    per_slot[slot].append(w)
                    per_session.append(w)
                    attend[s, slot].append(w)
                    objective.append(w)
            if len(per_session) > 1:
                model.add_at_most_one(per_session)
        for ws in per_slot.values():
            if len(ws) > 1:
                model.add_at_most_one(ws)
    # Seats per session and slot (not summed over slots): the same integer solutions, a much
    # tighter linear relaxation when a session is spread fractionally over several slots.
    for (s, slot), ws in attend.items():
        model.add(sum(ws) <= sum(cap * v for v, cap in seats[s, slot]))
    by_slot: dict[int, list[Any]] = defaultdict(list)
    for (_s, slot), ws in attend.items():
        by_slot[slot].extend(ws)
    groups = _interchangeable_slots(instance)
    for group in groups:
        # Slots alike in every constraint can be reordered freely: keep them by served votes.
        for a, b in itertools.pairwise(group):
            model.add(sum(by_slot[a]) >= sum(by_slot[b]))
    hint = _order_slots(instance, hint, groups)
    model.maximize(sum(objective))
    for (s, k, slot), var in x.items():
        cell = hint.get(s)
        chosen = cell is not None and class_of[cell[0]] == keys[k] and cell[1] == slot
        model.add_hint(var, chosen)
        if fix:
            model.add(var == chosen)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = seconds
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = 0
    started = time.perf_counter()
    status = solver.solve(model)
    return {
        "optimum": round(solver.objective_value),
        "bound": int(solver.best_objective_bound + 1e-6),
        "proved": status == cp_model.OPTIMAL,
        "solver_seconds": round(time.perf_counter() - started, 1),
    }


def _interchangeable_slots(instance: Instance) -> list[list[int]]:
    """Groups (two or more, in time order) of slots that no room, host or lock tells apart."""
    signature: dict[tuple[frozenset[int], frozenset[int]], list[int]] = defaultdict(list)
    locked_slots = {cell[1] for cell in instance.locks.values()}
    for slot in instance.slots:
        if slot in locked_slots:
            continue
        rooms = frozenset(r.id for r in instance.rooms if slot in r.unavailable)
        sessions = frozenset(s.id for s in instance.sessions if slot in s.unavailable)
        signature[rooms, sessions].append(slot)
    return [group for group in signature.values() if len(group) > 1]


def _order_slots(
    instance: Instance, grid: Mapping[int, tuple[int, int]], groups: list[list[int]]
) -> dict[int, tuple[int, int]]:
    """``grid`` with the contents of each group of interchangeable slots reordered so that their
    served votes do not increase, as the symmetry-breaking constraints require."""
    moved = dict(grid)
    for group in groups:
        served = {
            t: served_votes(instance, {s: c for s, c in grid.items() if c[1] == t}).served
            for t in group
        }
        ranked = sorted(group, key=lambda t: (-served[t], t))
        to = dict(zip(ranked, group, strict=True))
        for s, (room, t) in grid.items():
            if t in to:
                moved[s] = (room, to[t])
    return moved


def prove(
    instance: Instance, size: str, grid: Grid, seconds: float, workers: int
) -> dict[str, Any]:
    """The optimum of ``instance`` (or the best grid and bound found): column generation from
    the allocator's grids with a dozen seeds, then CP-SAT from the best grid if a gap is left."""
    grids = [grid]
    for seed in range(1, 12):
        grids.append(allocate(instance, budget_seconds=SHAPES[size].budget, seed=seed).grid)
    found = upper_bound(instance, grids, seconds)
    best = found.pop("grid")
    found["method"] = "column generation"
    if not found["proved"]:
        cp = solve(instance, seconds, best, workers=workers)
        cp["solver_seconds"] = round(cp["solver_seconds"] + found["solver_seconds"], 1)
        cp["method"] = "column generation, CP-SAT"
        found = _tighter(found, cp)
    return found


def _tighter(known: dict[str, Any] | None, found: dict[str, Any]) -> dict[str, Any]:
    """Both runs prove facts about the same instance: keep the best grid and the lowest bound."""
    if known is None:
        return found
    optimum = max(known["optimum"], found["optimum"])
    bound = min(known["bound"], found["bound"])
    return {
        "optimum": optimum,
        "bound": bound,
        "proved": known["proved"] or found["proved"] or optimum >= bound,
        "solver_seconds": found["solver_seconds"],
        "method": found.get("method", known.get("method", "CP-SAT")),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--recompute", action="store_true", help="prove the optima again")
    parser.add_argument("--solver-seconds", type=float, default=300.0)
    parser.add_argument("--workers", type=int, default=8, help="CP-SAT workers")
    parser.add_argument("--sizes", default="small,reference,large")
    args = parser.parse_args(argv)
    cache: dict[str, Any] = json.loads(CACHE.read_text()) if CACHE.exists() else {}
    rows = []
    for size in args.sizes.split(","):
        for seed in SEEDS[size]:
            instance = generate(size, seed)
            cpu_started = time.process_time()
            result = allocate(instance, budget_seconds=SHAPES[size].budget, seed=0)
            cpu_seconds = time.process_time() - cpu_started
            problems = check(instance, result.grid)
            started = time.perf_counter()
            naive = baseline(instance)
            naive_seconds = time.perf_counter() - started
            naive_served = served_votes(instance, naive).served
            row: dict[str, Any] = {
                "size": size,
                "seed": seed,
                "served": result.served.served,
                "percent": round(result.served.percent, 2),
                "seconds": round(result.seconds, 3),
                "cpu_seconds": round(cpu_seconds, 3),
                "baseline_served": naive_served,
                "baseline_seconds": round(naive_seconds, 3),
                "valid": not problems,
                "capped": result.capped,
                "seat_bound": seat_bound(instance),
            }
            if size == "large":
                row["ratio_to_bound"] = round(result.served.served / row["seat_bound"], 4)
            if size != "large":
                key = f"v{GENERATOR_VERSION}-{size}-{seed}"
                if args.recompute or key not in cache:
                    found = prove(
                        instance, size, result.grid, args.solver_seconds, workers=args.workers
                    )
                    cache[key] = _tighter(cache.get(key), found)
                    CACHE.write_text(json.dumps(cache, indent=2, sort_keys=True) + "\n")
                known = cache[key]
                reference = known["optimum"] if known["proved"] else known["bound"]
                row["optimum"] = reference
                row["proved"] = known["proved"]
                row["ratio"] = round(result.served.served / reference, 4)
                row["baseline_ratio"] = round(naive_served / reference, 4)
            rows.append(row)
            print(_describe(row), flush=True)
    scored = [r for r in rows if "ratio" in r]
    large = [r for r in rows if r["size"] == "large"]
    summary = {
        "min_ratio_to_optimum": min((r["ratio"] for r in scored), default=None),
        "all_optima_proved": all(r["proved"] for r in scored),
        "max_reference_seconds": max(
            (r["seconds"] for r in rows if r["size"] == "reference"), default=None
        ),
        "max_small_seconds": max(
            (r["seconds"] for r in rows if r["size"] == "small"), default=None
        ),
        "large_seconds": max((r["seconds"] for r in large), default=None),
        "max_reference_cpu_seconds": max(
            (r["cpu_seconds"] for r in rows if r["size"] == "reference"), default=None
        ),
        "large_cpu_seconds": max((r["cpu_seconds"] for r in large), default=None),
        # The machine is shared: wall-clock seconds mean little without the load they ran under.
        "load_average": round(os.getloadavg()[0], 2),
        "large_served_percent": min((r["percent"] for r in large), default=None),
        "large_ratio_to_bound": min((r["ratio_to_bound"] for r in large), default=None),
        "large_seat_bound": min((r["seat_bound"] for r in large), default=None),
        "large_baseline_served_ratio": min(
            (round(r["served"] / r["baseline_served"], 4) for r in large), default=None
        ),
        "baseline_min_ratio_to_optimum": min((r["baseline_ratio"] for r in scored), default=None),
        "all_valid": all(r["valid"] for r in rows),
        "any_capped": any(r["capped"] for r in rows),
        "bounds_hold": all(r["seat_bound"] >= r.get("optimum", r["served"]) for r in rows),
    }
    print(json.dumps(summary))
    if not summary["all_valid"]:
        sys.exit(1)


def _describe(row: dict[str, Any]) -> str:
    text = (
        f"{row['size']:>9} seed {row['seed']}: allocator {row['served']} served "
        f"({row['percent']}% of votes for placed sessions) in {row['seconds']} s "
        f"({row['cpu_seconds']} s of CPU)"
    )
    if "ratio" in row:
        what = "optimum" if row["proved"] else "upper bound (ratio is a floor)"
        text += (
            f", {row['ratio']} of the {what} {row['optimum']}; baseline {row['baseline_served']}"
            f" = {row['baseline_ratio']} in {row['baseline_seconds']} s"
        )
    else:
        text += (
            f", {row['ratio_to_bound']} of the seat bound {row['seat_bound']}; baseline "
            f"{row['baseline_served']} in {row['baseline_seconds']} s"
        )
    if row["capped"]:
        text += "; CAPPED by the time limit"
    if not row["valid"]:
        text += "; INVALID GRID"
    return text


if __name__ == "__main__":
    main()
