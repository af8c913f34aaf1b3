"""How late this process's event loop runs: the delay every request and socket on it feels.

A task sleeps a short interval over and over; how much later than asked it wakes is how long
something held the loop (a long synchronous call, a large JSON text, a garbage collection).
Requests queue behind it unseen, so this says a process is saturated before anything times out.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque

from server import metrics

INTERVAL = 0.025  # seconds between wake-ups: 40 a second, each a compare and an observe
WINDOW = 10  # seconds the recent maximum covers; shorter than Prometheus's usual scrape gap
# would hide a stall between two scrapes, so /metrics also keeps the maximum since start


class LoopLag:
    def __init__(self, interval: float = INTERVAL, window: int = WINDOW) -> None:
        self.interval = interval
        self.window = window
        self.max = 0.0
        # The largest lag seen in each whole second of the window, oldest first.
        self._seconds: deque[tuple[int, float]] = deque(maxlen=window + 1)

    def record(self, lag: float, now: float) -> None:
        metrics.loop_lag_seconds.observe(lag)
        if lag > self.max:
            self.max = lag
            metrics.loop_lag_max_seconds.set(lag)
        second = int(now)
        if self._seconds and self._seconds[-1][0] == second:
            self._seconds[-1] = (second, max(lag, self._seconds[-1][1]))
        else:
            self._seconds.append((second, lag))

    def recent_max(self, now: float | None = None) -> float:
        """The largest lag in the last ``window`` seconds."""
        since = (time.monotonic() if now is None else now) - self.window
        return max((lag for second, lag in self._seconds if second + 1 > since), default=0.0)

    async def run(self) -> None:
        while True:
            asked = time.monotonic() + self.interval
            await asyncio.sleep(self.interval)
            woke = time.monotonic()
            self.record(max(0.0, woke - asked), woke)


def start() -> asyncio.Task[None]:
    """Watches the running loop until the returned task is cancelled; /metrics reads it."""
    monitor = LoopLag()
    metrics.loop_lag_recent_max_seconds.set_function(monitor.recent_max)
    return asyncio.create_task(monitor.run(), name="loop lag")
