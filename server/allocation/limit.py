"""The allocator's wall-clock safety net.

The search and the explanations do a fixed amount of work worked out from the instance and the
budget, never from the clock, so the same input gives the same grid and the same words on any
machine under any load. The clock only stops a run that has taken many times its budget (a
machine far slower or busier than planned for), and the result then says so.
"""

from __future__ import annotations

import time

from server.language import N_
from server.language.sentences import Sentence

SAFETY_FACTOR = 10.0
"""A run stops early only after this many times its budget: a machine shared with test suites
can run the allocator four or five times slower than idle, and that must not change the grid."""


class Limit:
    def __init__(self, budget_seconds: float) -> None:
        self.started = time.perf_counter()
        self.cap_seconds = SAFETY_FACTOR * budget_seconds
        self.hit = False

    def over(self) -> bool:
        """Has the run passed its cap? Once it has, every later call says so too."""
        if not self.hit and time.perf_counter() - self.started > self.cap_seconds:
            self.hit = True
        return self.hit

    def elapsed(self) -> float:
        return time.perf_counter() - self.started

    def notice(self) -> Sentence | None:
        """The sentence a caller shows when the cap cut the run short, else None."""
        if not self.hit:
            return None
        stopped = N_(
            "The allocator stopped at its time limit (%(seconds)s s) before finishing its "
            "planned search, because the server was busy: this grid is valid but may serve "
            "fewer votes than a full run, and running it again may give a different one."
        )
        return Sentence.of(stopped, seconds=f"{self.cap_seconds:g}")
