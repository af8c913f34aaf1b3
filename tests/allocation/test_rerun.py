"""A rerun against the grid people already have moves only what pays for itself, and says which
sessions moved, from where, and why."""

from __future__ import annotations

import random
from dataclasses import replace

from server.allocation import Instance, Room, Session, allocate, check, served_votes
from server.language.sentences import english
from tests.benchmarks.allocation import generate

BUDGET = 0.25
NAMES = {("session", 10): "“Rust”", ("session", 11): "“Go”", ("session", 12): "“Knitting”"}
NAMES.update({("room", 1): "the Hall", ("room", 2): "the Snug", ("slot", 1): "the morning"})
NAMES.update({("slot", 2): "the afternoon"})


def test_a_few_changed_votes_move_nothing_on_the_reference_events() -> None:
    for seed in (1, 2, 3):
        instance = generate("reference", seed)
        first = allocate(instance, budget_seconds=BUDGET)
        votes = dict(instance.votes)
        rng = random.Random(seed)
        for attendee in rng.sample(sorted(votes), 3):
            votes[attendee] = frozenset(rng.sample([s.id for s in instance.sessions], 4))
        again = allocate(replace(instance, votes=votes, previous=first.grid), budget_seconds=BUDGET)
        assert again.moved == 0
        assert again.grid == first.grid
        assert not any(english(why).startswith("Moved") for why in again.reasons.values())


def test_a_move_that_pays_says_what_putting_it_back_would_cost() -> None:
    rooms = (Room(1, 20), Room(2, 2))
    sessions = (Session(10), Session(11))
    previous = {10: (1, 1), 11: (2, 1)}
    # Since the previous grid, "Go" has drawn 15 voters and "Rust" kept 1: they swap rooms.
    votes = {a: frozenset({11}) for a in range(15)}
    votes[99] = frozenset({10})
    instance = Instance(rooms, (1,), sessions, votes, previous=previous, names=NAMES)
    result = allocate(instance)
    assert result.grid == {10: (2, 1), 11: (1, 1)}
    assert result.moved == 2
    back = served_votes(instance, previous).served
    cost = result.served.served - back
    assert cost == 16 - 3
    assert english(result.reasons[11]).startswith(
        f"Moved from the Snug, the morning: putting it back (swapping with “Rust”) would serve "
        f"{cost} fewer votes. 15 votes; the Hall seats 20."
    )
    assert english(result.reasons[10]).startswith(
        "Moved from the Hall, the morning: putting it back"
    )


def test_a_session_whose_room_closed_moves_and_says_so() -> None:
    sessions = (Session(10), Session(11), Session(12))
    votes = {a: frozenset({10 + a % 3}) for a in range(9)}
    previous = {10: (1, 1), 11: (2, 1), 12: (1, 2)}
    rooms = (Room(1, 20, frozenset({2})), Room(2, 20))  # the Hall is out of use after lunch
    instance = Instance(rooms, (1, 2), sessions, votes, previous=previous, names=NAMES)
    result = allocate(instance)
    assert check(instance, result.grid) == []
    assert result.grid[12] == (2, 2)
    assert result.moved == 1
    assert english(result.reasons[12]).startswith(
        "Moved from the Hall, the afternoon: that room is out of use then."
    )
    assert not english(result.reasons[10]).startswith("Moved")


def test_a_session_left_out_of_the_rerun_says_where_it_was() -> None:
    sessions = (Session(10), Session(11))
    votes = {a: frozenset({10}) for a in range(5)}
    previous = {10: (1, 1), 11: (2, 1)}
    rooms = (Room(1, 20), Room(2, 20, frozenset({1})))  # the Snug is now out of use
    instance = Instance(rooms, (1,), sessions, votes, previous=previous, names=NAMES)
    result = allocate(instance)
    assert result.grid == {10: (1, 1)}
    assert result.moved == 1
    [left] = result.left_out
    assert left.session == 11
    assert english(left.reason).endswith(" The previous grid had it in the Snug, the morning.")
