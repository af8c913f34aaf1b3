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
like any other work and would otherwise show only as unexplained loop lag.
"""

from __future__ import annotations

import gc
import time
from typing import Any

from server import metrics

YOUNG = 2_000  # new container objects between collections of the youngest generation
MIDDLE = 5  # young collections between collections of the middle one
OLD = 1_000  # middle collections before a full one is considered (CPython adds its own rule)


def settle() -> None:
    """Freezes what startup made and sets the thresholds; times every pause from here on."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(YOUNG, MIDDLE, OLD)
    if _timed not in gc.callbacks:
        gc.callbacks.append(_timed)


_started = 0.0


def _timed(phase: str, info: dict[str, Any]) -> None:
    global _started
    if phase == "start":
        _started = time.perf_counter()
        return
    pause = time.perf_counter() - _started
    metrics.gc_pause_seconds.labels(str(info["generation"])).observe(pause)
