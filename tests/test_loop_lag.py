"""The event-loop lag monitor: a held loop shows as lag, a quiet one doesn't, and /metrics
serves it from the running server."""

from __future__ import annotations

import asyncio
import time

import httpx
from prometheus_client import generate_latest

from server import metrics
from server.loop_lag import LoopLag
from tests.conftest import LiveServer


def _value(text: str, name: str) -> float:
    values = [float(line.split()[-1]) for line in text.splitlines() if line.startswith(f"{name} ")]
    assert len(values) == 1, f"{name} is missing from /metrics"
    return values[0]


async def _watching(monitor: LoopLag, work: float, block: float = 0.0) -> None:
    task = asyncio.create_task(monitor.run())
    try:
        await asyncio.sleep(work)
        time.sleep(block)  # noqa: ASYNC251 - holds the loop, as a long synchronous call would
        await asyncio.sleep(work)
    finally:
        task.cancel()


async def test_a_held_loop_shows_as_lag() -> None:
    monitor = LoopLag(interval=0.02)
    await _watching(monitor, 0.1, block=0.2)
    assert monitor.max >= 0.15
    assert monitor.recent_max() >= 0.15
    served = generate_latest(metrics.registry).decode()
    assert _value(served, "snug_event_loop_lag_max_seconds") >= 0.15


async def test_a_quiet_loop_shows_little_lag() -> None:
    monitor = LoopLag(interval=0.02)
    await _watching(monitor, 0.2)
    # Generous: the machine is shared, so a wake-up can be late by the scheduler's doing.
    assert 0.0 <= monitor.max < 0.1


def test_the_recent_maximum_forgets_what_left_the_window() -> None:
    monitor = LoopLag(window=3)
    monitor.record(0.5, now=100.2)
    monitor.record(0.01, now=102.5)
    assert monitor.recent_max(now=102.9) == 0.5
    assert monitor.recent_max(now=104.5) == 0.01
    assert monitor.recent_max(now=200.0) == 0.0
    assert monitor.max == 0.5


def test_the_server_serves_its_loop_lag(server: LiveServer) -> None:
    def read() -> str:
        return httpx.get(f"{server.url}/metrics", timeout=10, trust_env=False).text

    first = _value(read(), "snug_event_loop_lag_seconds_count")
    time.sleep(0.3)
    text = read()
    assert _value(text, "snug_event_loop_lag_seconds_count") >= first + 5  # it keeps watching
    assert _value(text, "snug_event_loop_lag_max_seconds") >= 0.0
    assert (
        0.0
        <= _value(text, "snug_event_loop_lag_recent_max_seconds")
        <= _value(text, "snug_event_loop_lag_max_seconds")
    )
