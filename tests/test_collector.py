"""The cycle collector's settings: startup's objects frozen, small young generations, and
every pause timed into /metrics."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest
from prometheus_client import generate_latest

from server import collector, metrics


@pytest.fixture
def settled() -> Iterator[None]:
    before = gc.get_threshold()
    collector.settle()
    try:
        yield
    finally:
        gc.callbacks.remove(collector.pauses.timed)
        gc.unfreeze()
        gc.set_threshold(*before)


def _collections(generation: int) -> float:
    served = generate_latest(metrics.registry).decode()
    name = f'snug_gc_pause_seconds_count{{generation="{generation}"}}'
    found = [float(line.split()[-1]) for line in served.splitlines() if line.startswith(name)]
    return found[0] if found else 0.0


@pytest.mark.usefixtures("settled")
def test_startup_is_frozen_and_young_generations_stay_small() -> None:
    assert gc.get_freeze_count() > 0
    assert gc.get_threshold() == (collector.YOUNG, collector.MIDDLE, collector.OLD)
    assert collector.YOUNG <= 5_000, "a large young generation is a long pause in a storm"


@pytest.mark.usefixtures("settled")
def test_each_pause_is_timed_by_generation() -> None:
    full, young = _collections(2), _collections(0)
    gc.collect()
    assert _collections(2) == full + 1
    # Objects that reference themselves, as a request's objects often do: enough to cross the
    # young threshold several times, so the collector runs by itself.
    for _ in range(collector.YOUNG * 5):
        cycle: list[object] = []
        cycle.append(cycle)
    assert _collections(0) > young


def test_settling_twice_times_each_pause_once(settled: None) -> None:
    collector.settle()
    assert gc.callbacks.count(collector.pauses.timed) == 1
