"""The lookout: looks when woken or when due, goes on after a look fails, and stops when
closed even if its cancellation was swallowed by what it awaited."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time

import pytest

from server.lookout import Lookout


async def test_it_looks_at_once_then_when_woken_and_stops() -> None:
    looks = 0

    async def look() -> float:
        nonlocal looks
        looks += 1
        return 3600.0

    lookout = Lookout(look, "test", retry=3600.0)
    lookout.start()
    await asyncio.sleep(0.01)
    assert looks == 1
    lookout.wake()
    await asyncio.sleep(0.01)
    assert looks == 2
    await asyncio.wait_for(lookout.close(), 1)
    assert looks == 2


async def test_it_looks_again_when_the_look_it_asked_for_is_due() -> None:
    looked = asyncio.Event()
    looks = 0

    async def look() -> float:
        nonlocal looks
        looks += 1
        if looks == 2:
            looked.set()
        return 0.01

    lookout = Lookout(look, "test", retry=3600.0)
    lookout.start()
    await asyncio.wait_for(looked.wait(), 1)  # unwoken: the look it asked for came due
    await lookout.close()
    assert looks >= 2


async def test_closing_stops_it_though_a_look_swallowed_the_cancellation() -> None:
    looking = asyncio.Event()

    async def look() -> float:
        looking.set()
        # As a query cut short can end as if it had simply finished:
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.sleep(0.05)
        return 3600.0  # an hour till the next look

    lookout = Lookout(look, "test", retry=3600.0)
    lookout.start()
    await looking.wait()
    started = time.monotonic()
    # A timed-out close would still return, having cancelled the look's wait once more.
    await asyncio.wait_for(lookout.close(), 2)
    assert time.monotonic() - started < 1, "closing waited for the next look"


async def test_a_look_that_fails_is_logged_and_tried_again_after_its_retry(
    caplog: pytest.LogCaptureFixture,
) -> None:
    looks = 0
    again = asyncio.Event()

    async def look() -> float:
        nonlocal looks
        looks += 1
        if looks == 1:
            raise ConnectionError("the database is away")
        again.set()
        return 3600.0

    lookout = Lookout(look, "test work", retry=0.01)
    with caplog.at_level(logging.ERROR, logger="snug.lookout"):
        lookout.start()
        await asyncio.wait_for(again.wait(), 1)  # unwoken: the retry came due
    await lookout.close()
    assert looks == 2
    assert [r.getMessage() for r in caplog.records] == ["looking for test work failed"]
