"""The allocator on plain data: hard constraints, locks, determinism, left-out and forced
sessions, stability against the previous grid, and served votes against brute force."""

from __future__ import annotations

import itertools
import random
from collections import defaultdict
from collections.abc import Mapping

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from server.allocation import (
    AllocationError,
    Instance,
    Room,
    Served,
    Session,
    allocate,
    check,
    served_votes,
)
from server.allocation.limit import Limit
from server.allocation.problem import build, prepare
from server.allocation.search import _anneal, _seat_gain
from server.language.sentences import english
from tests.benchmarks.allocation_bound import seat_bound

BUDGET = 0.05
# No example database: a .hypothesis folder in the tree would make pytest (norecursedirs set,
# warnings as errors) fail on collection.
SETTINGS = settings(
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)


@st.composite
def instances(draw: st.DrawFn, max_sessions: int = 9) -> Instance:
    n_rooms = draw(st.integers(1, 3))
    slots = tuple(range(1, draw(st.integers(1, 3)) + 1))
    rooms = tuple(
        Room(
            10 + r,
            draw(st.integers(1, 6)),
            frozenset(draw(st.sets(st.sampled_from(slots), max_size=1))),
        )
        for r in range(n_rooms)
    )
    n_sessions = draw(st.integers(0, max_sessions))
    hosts = ["ann", "bob", "cat", "dan", "eve", "fay"]
    sessions = tuple(
        Session(
            100 + s,
            frozenset(draw(st.sets(st.sampled_from(hosts), max_size=2))),
            frozenset(draw(st.sets(st.sampled_from(slots), max_size=1))),
        )
        for s in range(n_sessions)
    )
    ids = [s.id for s in sessions]
    votes: dict[int, frozenset[int]] = {}
    if ids:
        for a in range(draw(st.integers(0, 8))):
            votes[1000 + a] = frozenset(draw(st.sets(st.sampled_from([*ids, 999]), max_size=4)))
    locks: dict[int, tuple[int, int]] = {}
    if ids and draw(st.booleans()):
        s_id = draw(st.sampled_from(ids))
        cell = (draw(st.sampled_from(rooms)).id, draw(st.sampled_from(slots)))
        if not check(Instance(rooms, slots, sessions, votes, {s_id: cell}), {s_id: cell}):
            locks[s_id] = cell
    forced = frozenset(draw(st.sets(st.sampled_from(ids), max_size=2))) if ids else frozenset()
    return Instance(rooms, slots, sessions, votes, locks=locks, forced=forced)


def simple_rules(instance: Instance, grid: Mapping[int, tuple[int, int]]) -> list[str]:
    """An independent re-implementation of the simplest hard constraints."""
    broken = []
    rooms = {r.id: r for r in instance.rooms}
    sessions = {s.id: s for s in instance.sessions}
    cells = list(grid.values())
    if len(cells) != len(set(cells)):
        broken.append("two sessions share a cell")
    for s_id, (room, slot) in grid.items():
        if s_id not in sessions or room not in rooms or slot not in instance.slots:
            broken.append("unknown id")
            continue
        if slot in rooms[room].unavailable:
            broken.append("room unavailable")
        if slot in sessions[s_id].unavailable:
            broken.append("host unavailable")
    for a, b in itertools.combinations(grid, 2):
        if grid[a][1] == grid[b][1] and sessions[a].hosts & sessions[b].hosts:
            broken.append("host in two places")
    return broken


@SETTINGS
@given(instances())
def test_never_breaks_a_hard_constraint_nor_moves_a_lock(instance: Instance) -> None:
    result = allocate(instance, budget_seconds=BUDGET)
    assert check(instance, result.grid) == []
    assert simple_rules(instance, result.grid) == []
    for s_id, cell in instance.locks.items():
        assert result.grid[s_id] == cell
    assert result.served == served_votes(instance, result.grid)
    placed = set(result.grid)
    assert {left.session for left in result.left_out} == {s.id for s in instance.sessions} - placed
    assert set(result.reasons) == placed


@settings(SETTINGS, max_examples=20)
@given(instances(), st.integers(0, 3))
def test_is_deterministic(instance: Instance, seed: int) -> None:
    # Planned work only: the clock caps a run at ten budgets, far beyond these small grids.
    first = allocate(instance, budget_seconds=1.0, seed=seed)
    second = allocate(instance, budget_seconds=1.0, seed=seed)
    assert first.grid == second.grid
    assert first.reasons == second.reasons
    assert first.left_out == second.left_out


def brute_force_served(instance: Instance, grid: Mapping[int, tuple[int, int]]) -> int:
    """Try every choice of one voted session (or none) per attendee in each slot."""
    capacity = {r.id: r.capacity for r in instance.rooms}
    served = 0
    for slot in instance.slots:
        here = {s: capacity[room] for s, (room, t) in grid.items() if t == slot}
        options = [
            [None, *sorted(s for s in voted if s in here)]
            for voted in instance.votes.values()
            if any(s in here for s in voted)
        ]
        best = 0
        for choice in itertools.product(*options):
            seats: dict[int, int] = defaultdict(int)
            for s in choice:
                if s is not None:
                    seats[s] += 1
            if all(n <= here[s] for s, n in seats.items()):
                best = max(best, sum(1 for s in choice if s is not None))
        served += best
    return served


@st.composite
def graded_grids(draw: st.DrawFn) -> tuple[Instance, dict[int, tuple[int, int]]]:
    rooms = tuple(Room(10 + r, draw(st.integers(1, 3))) for r in range(3))
    slots = (1, 2)
    sessions = tuple(Session(100 + s) for s in range(6))
    votes = {
        1000 + a: frozenset(draw(st.sets(st.sampled_from([s.id for s in sessions]), max_size=3)))
        for a in range(draw(st.integers(0, 6)))
    }
    cells = draw(st.permutations([(r.id, t) for r in rooms for t in slots]))
    grid = {s.id: cells[i] for i, s in enumerate(sessions) if draw(st.booleans())}
    return Instance(rooms, slots, sessions, votes), grid


@settings(max_examples=150, deadline=None, database=None)
@given(graded_grids())
def test_served_votes_equals_a_brute_force_count(
    case: tuple[Instance, dict[int, tuple[int, int]]],
) -> None:
    instance, grid = case
    figure = served_votes(instance, grid)
    assert figure.served == brute_force_served(instance, grid)
    assert figure.served + figure.lost_to_clashes + figure.lost_to_seats == figure.total
    assert figure.lost_to_seats >= 0


def test_split_of_losses_between_clashes_and_seats() -> None:
    rooms = (Room(1, 2), Room(2, 1))
    sessions = (Session(10), Session(11), Session(12))
    votes = {
        1: frozenset({10, 11}),  # clash in slot 1: one of the two is lost
        2: frozenset({10}),
        3: frozenset({10}),  # room 1 seats 2: one of attendees 1..3 finds session 10 full
        4: frozenset({12}),
    }
    instance = Instance(rooms, (1, 2), sessions, votes)
    figure = served_votes(instance, {10: (1, 1), 11: (2, 1), 12: (2, 2)})
    # Attendee 1 takes session 11, 2 and 3 fill session 10: only the clash is lost.
    assert figure == Served(served=4, total=5, lost_to_clashes=1, lost_to_seats=0, percent=80.0)
    votes[5] = frozenset({11})
    figure = served_votes(Instance(rooms, (1, 2), sessions, votes), {10: (1, 1), 11: (2, 1)})
    # Session 12 is not placed; 10 (two seats) and 11 (one seat) hold 3 seats for the 4
    # attendees 1, 2, 3 and 5: one clash lost, and one more vote lost to seats.
    assert figure == Served(served=3, total=5, lost_to_clashes=1, lost_to_seats=1, percent=60.0)
    empty = served_votes(instance, {})
    assert empty == Served(0, 0, 0, 0, 100.0)


def test_fewest_voted_are_left_out_unless_forced() -> None:
    rooms = (Room(1, 10),)
    slots = (1, 2)
    sessions = tuple(Session(i) for i in (10, 11, 12, 13))
    votes = {
        1: frozenset({10, 11, 12}),
        2: frozenset({10, 11}),
        3: frozenset({10, 12}),
        4: frozenset({11}),
    }
    instance = Instance(rooms, slots, sessions, votes)
    result = allocate(instance)
    assert set(result.grid) == {10, 11}
    assert [left.session for left in result.left_out] == [12, 13]
    assert result.left_out[1].votes == 0
    nobody = english(result.left_out[1].reason)
    assert nobody.startswith("Left out, with 0 votes. Placing it instead of")
    assert "would serve 3 fewer votes. Nobody voted for it." in nobody
    assert english(result.left_out[0].reason).startswith(
        "Left out, with 2 votes. Placing it instead of"
    )
    forced = allocate(Instance(rooms, slots, sessions, votes, forced=frozenset({13})))
    assert 13 in forced.grid
    assert check(instance, forced.grid) == []


def test_rerunning_with_the_previous_grid_moves_nothing() -> None:
    rooms = (Room(1, 30), Room(2, 10), Room(3, 6), Room(4, 6))
    slots = (1, 2, 3)
    sessions = tuple(Session(100 + i, frozenset({f"h{i % 9}"})) for i in range(14))
    votes = {a: frozenset(100 + (a * k + a // 3) % 14 for k in (1, 3, 5, 7)) for a in range(1, 40)}
    instance = Instance(rooms, slots, sessions, votes, locks={105: (2, 2)})
    first = allocate(instance)
    again = allocate(
        Instance(rooms, slots, sessions, votes, locks={105: (2, 2)}, previous=first.grid)
    )
    assert again.moved == 0
    assert again.grid == first.grid
    # A few votes change: the grid stays put unless a move pays for itself.
    changed = {**votes, 1: frozenset({100, 101}), 2: frozenset({102})}
    after = allocate(
        Instance(rooms, slots, sessions, changed, locks={105: (2, 2)}, previous=first.grid)
    )
    assert check(instance, after.grid) == []
    assert after.moved <= 2


def test_locks_that_break_a_rule_are_refused() -> None:
    rooms = (Room(1, 10, frozenset({1})),)
    instance = Instance(rooms, (1, 2), (Session(10),), {}, locks={10: (1, 1)})
    try:
        allocate(instance)
    except AllocationError as error:
        assert "unavailable" in str(error)
    else:
        raise AssertionError("a lock in an unavailable room was accepted")


def test_reasons_say_where_and_what_a_move_costs() -> None:
    rooms = (Room(1, 20), Room(2, 5))
    sessions = (Session(10), Session(11), Session(12))
    votes = {a: frozenset({10} if a < 15 else {11, 12}) for a in range(20)}
    result = allocate(Instance(rooms, (1, 2), sessions, votes))
    assert result.grid[10][0] == 1
    assert result.grid[11][1] != result.grid[12][1]
    assert "room 1 seats 20." in english(result.reasons[10])
    assert "Moving it costs at least" in english(result.reasons[10])
    assert result.served.served == 25


def test_served_votes_not_the_fewest_votes_decide_who_is_left_out() -> None:
    # One slot, two rooms. Four of the five people who want "Rust" also want "Go", so the two
    # together serve only 5 votes; "Rust" and "Knitting" (the least-voted pitch) serve 8.
    rooms = (Room(1, 10), Room(2, 10))
    sessions = (Session(10), Session(11), Session(12))
    votes = {a: frozenset({10, 11} if a <= 4 else {10}) for a in range(1, 6)}
    votes.update({a: frozenset({12}) for a in (6, 7, 8)})
    # Names are the words to show, quotes and all (the grid quotes titles).
    names = {("session", 10): "“Rust”", ("session", 11): "“Go”", ("session", 12): "“Knitting”"}
    names.update({("room", 1): "the Hall", ("room", 2): "the Snug", ("slot", 1): "the morning"})
    instance = Instance(rooms, (1,), sessions, votes, names=names)
    fewest_rule = {10: (1, 1), 11: (2, 1)}  # leaves out "Knitting", with 3 votes to Go's 4
    assert served_votes(instance, fewest_rule).served == 5
    result = allocate(instance)
    assert set(result.grid) == {10, 12}
    assert result.served.served == 8
    assert [(left.session, left.votes) for left in result.left_out] == [(11, 4)]
    reason = english(result.left_out[0].reason)
    # Instead of "Knitting" it would serve nothing more (its voters are all in "Rust"); instead
    # of "Rust" it gains its 4 voters but loses Rust's 5.
    assert reason.startswith("Left out, with 4 votes. Placing it instead of “Rust” (the ")
    assert reason.endswith(
        "the morning) would serve 1 fewer vote. “Rust” serves more there. "
        "There it would serve 4 votes, and “Rust” serves 5."
    )
    # Forced in, it goes in even though it serves fewer votes.
    forced = allocate(Instance(rooms, (1,), sessions, votes, forced=frozenset({11}), names=names))
    assert 11 in forced.grid
    assert check(instance, forced.grid) == []


@settings(SETTINGS, max_examples=60)
@given(instances(max_sessions=4))
def test_the_benchmarks_seat_bound_is_never_below_the_best_grid(instance: Instance) -> None:
    cells = [(r.id, t) for r in instance.rooms for t in instance.slots]
    best = 0
    for choice in itertools.product([None, *cells], repeat=len(instance.sessions)):
        grid = {s.id: c for s, c in zip(instance.sessions, choice, strict=True) if c is not None}
        if not check(instance, grid):
            best = max(best, served_votes(instance, grid).served)
    assert seat_bound(instance) >= best


@settings(SETTINGS, max_examples=30)
@given(instances(), st.integers(0, 3))
def test_the_search_keeps_its_per_slot_values_exact(instance: Instance, seed: int) -> None:
    # Moves undone on a cheap bound must leave the kept per-slot values exactly right, or the
    # search would steer by wrong figures without ever breaking a rule.
    p = prepare(instance)
    state = build(p, [p.locked.get(s, -1) for s in range(len(p.sessions))])
    locked = set(p.locked.values())
    free = [
        r * state.T + t
        for r in range(state.R)
        for t in range(state.T)
        if p.room_ok[r][t] and r * state.T + t not in locked
    ]
    _anneal(p, state, free, 2000, Limit(60.0), random.Random(seed), 2.0)
    assert state.val == [state.slot_value(t) for t in range(state.T)]


@settings(SETTINGS, max_examples=30)
@given(instances())
def test_the_seat_bound_of_a_swap_is_never_below_its_gain(instance: Instance) -> None:
    grid = allocate(instance, budget_seconds=BUDGET).grid
    p = prepare(instance)
    T = len(p.slots)
    index = {s_id: s for s, s_id in enumerate(p.sessions)}
    rooms = {r_id: r for r, r_id in enumerate(p.rooms)}
    cells = [-1] * len(p.sessions)
    for s_id, (room, slot) in grid.items():
        cells[index[s_id]] = rooms[room] * T + p.slots.index(slot)
    state = build(p, cells)
    n_votes = [len(v) for v in p.voters]
    for c1, c2 in itertools.permutations(range(state.R * T), 2):
        s1, s2 = state.occ[c1], state.occ[c2]
        if c1 % T == c2 % T or (s1 < 0 and s2 < 0):
            continue
        bound = _seat_gain(state, n_votes, s1, c1, s2, c2)
        before = sum(state.val)
        for s in (s1, s2):
            if s >= 0:
                state.remove(s)
        for s, cell in ((s1, c2), (s2, c1)):
            if s >= 0:
                state.place(s, cell)
        assert sum(state.slot_value(t) for t in range(T)) - before <= bound
        state = build(p, cells)
