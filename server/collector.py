"""The cycle collector, tuned for a process that holds thousands of sockets.

CPython collects its youngest generation after a set number of new container objects, and a
collection walks every object of the generations it collects that is still alive. In a vote
storm that is every request under way: two thousand of them, each some dozens of objects. A
young generation allowed a hundred thousand objects therefore stopped every socket for 15 to
60 ms at each collection; small, frequent young collections keep each pause to a few
milliseconds. A full collection, over every socket's objects, still runs rarely: CPython waits
until the long-lived objects have grown by a quarter. What exists at startup lives as long as
the process, so it is frozen out of collection altogether.

Each pause is timed into /metrics (snug_gc_pause_seconds), since a pause holds the event loop
like any other work and would otherwise show only as unexplained loop lag. The callback runs
inside whatever allocation set off the collection, in any thread, so it only adds to plain
numbers, taking no lock; the histogram is made from them when /metrics is asked.
"""

from __future__ import annotations

import bisect
import gc
import time
from collections.abc import Iterator
from typing import Any

from prometheus_client.core import HistogramMetricFamily
from prometheus_client.registry import Collector

from server import metrics

YOUNG = 2_000  # new container objects between collections of the youngest generation
MIDDLE = 5  # young collections between collections of the middle one
OLD = 1_000  # middle collections before a full one is considered (CPython adds its own rule)
BOUNDS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0)  # seconds, as buckets


class Pauses(Collector):
    """Each generation's pauses, counted into buckets by the collector's callback."""

    def __init__(self) -> None:
        # Per generation: how many pauses fell in each bucket (the last one: above them all).
        self.buckets = [[0] * (len(BOUNDS) + 1) for _ in range(3)]
        self.sums = [0.0] * 3
        self._started = 0.0

    def timed(self, phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            self._started = time.perf_counter()
            return
        pause = time.perf_counter() - self._started
        generation = info["generation"]
        self.buckets[generation][bisect.bisect_left(BOUNDS, pause)] += 1
        self.sums[generation] += pause

    def collect(self) -> Iterator[HistogramMetricFamily]:
        family = HistogramMetricFamily(
            "snug_gc_pause_seconds",
            "How long each pass of the cycle collector held the process, by generation",
            labels=["generation"],
        )
        for generation, counts in enumerate(self.buckets):
            cumulative, running = [], 0
            for bound, n in zip([*map(str, BOUNDS), "+Inf"], counts, strict=True):
                running += n
                cumulative.append((bound, running))
            family.add_metric([str(generation)], cumulative, self.sums[generation])
        yield family


pauses = Pauses()
metrics.registry.register(pauses)


def settle() -> None:
    """Freezes what startup made and sets the thresholds; times every pause from here on."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(YOUNG, MIDDLE, OLD)
    if pauses.timed not in gc.callbacks:
        gc.callbacks.append(pauses.timed)
