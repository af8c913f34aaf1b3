"""The allocator's grid and words depend on its input alone, not on the clock or the load: the
search does planned work, and the clock only caps a run that takes many times its budget."""

from __future__ import annotations

import multiprocessing
import os
import pickle
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager

import pytest

from server.allocation import Allocation, Instance, allocate, check
from server.allocation.limit import SAFETY_FACTOR
from tests.benchmarks.allocation import generate

BUDGET = 1.0


def outcome(result: Allocation) -> tuple[object, ...]:
    """Everything but the seconds taken."""
    return (result.grid, result.served, result.moved, result.left_out, result.reasons)


@pytest.fixture(scope="module")
def reference() -> Instance:
    return generate("reference", 1)


@pytest.fixture(scope="module")
def plain_run(reference: Instance) -> Allocation:
    return allocate(reference, budget_seconds=BUDGET)


def stepping_clock(step: float) -> Callable[[], float]:
    """A clock that moves on ``step`` seconds at each reading, whatever the real time."""
    now = [0.0]

    def read() -> float:
        now[0] += step
        return now[0]

    return read


def readings(instance: Instance) -> int:
    """How often one run reads the clock (the same for every run: the work is planned)."""
    count = [0]
    real = time.perf_counter

    def read() -> float:
        count[0] += 1
        return real()

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(time, "perf_counter", read)
        allocate(instance, budget_seconds=BUDGET)
    return count[0]


def test_a_slow_clock_changes_nothing_below_the_cap(
    reference: Instance, plain_run: Allocation, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The clock reads as if the run took 8 budgets: far past where the old deadlines cut the
    # search and the explanations short (0.85 to 1 budget), still short of the safety cap.
    total = 8.0 * BUDGET
    assert total < SAFETY_FACTOR * BUDGET
    monkeypatch.setattr(time, "perf_counter", stepping_clock(total / readings(reference)))
    slow = allocate(reference, budget_seconds=BUDGET)
    assert not plain_run.capped
    assert not slow.capped
    assert slow.notice is None
    assert outcome(slow) == outcome(plain_run)
    assert slow.seconds > 7.0 * BUDGET  # the clock really did run slow


def spin(stop: multiprocessing.synchronize.Event) -> None:
    # The lowest priority: the cores stay busy, but this shared machine's other work (and so
    # the time the allocator takes) is not pushed towards the safety cap.
    os.nice(19)
    while not stop.is_set():
        pass


@contextmanager
def busy_cpu(processes: int) -> Iterator[None]:
    context = multiprocessing.get_context("spawn")
    stop = context.Event()
    spinners = [context.Process(target=spin, args=(stop,)) for _ in range(processes)]
    for p in spinners:
        p.start()
    try:
        yield
    finally:
        stop.set()
        for p in spinners:
            p.join()


def test_a_busy_machine_gives_the_same_grid_and_words(
    reference: Instance, plain_run: Allocation
) -> None:
    with busy_cpu(processes=2):
        busy = allocate(reference, budget_seconds=BUDGET)
    assert not busy.capped
    assert outcome(busy) == outcome(plain_run)


def test_a_run_past_its_cap_stops_and_says_so(
    reference: Instance, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Every reading of the clock is a whole budget later: the cap is passed during the search.
    monkeypatch.setattr(time, "perf_counter", stepping_clock(BUDGET))
    capped = allocate(reference, budget_seconds=BUDGET)
    assert capped.capped
    assert capped.notice is not None
    assert "stopped at its time limit (10 s)" in capped.notice.english()
    assert check(reference, capped.grid) == []
    assert set(capped.reasons) == set(capped.grid)


def test_a_worker_process_gives_the_same_result(reference: Instance, plain_run: Allocation) -> None:
    bare = Instance(reference.rooms, reference.slots, reference.sessions, reference.votes)
    assert pickle.loads(pickle.dumps(bare)) == bare  # the defaults pickle too
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        there = pool.submit(allocate, reference, budget_seconds=BUDGET).result()
    assert outcome(there) == outcome(plain_run)
    assert pickle.loads(pickle.dumps(plain_run)) == plain_run
