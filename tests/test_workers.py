"""Heavy work runs on its own threads, a bounded number at once, and turns away the excess."""

from __future__ import annotations

import asyncio
import threading

import pytest

from server.workers import Busy, Workers


async def test_jobs_run_two_at_a_time_and_the_excess_is_turned_away() -> None:
    workers = Workers("test", threads=2, waiting=2, busy="Too much at once; try again.")
    release = threading.Event()
    running, most = 0, 0
    count = threading.Lock()

    def job(n: int) -> int:
        nonlocal running, most
        with count:
            running += 1
            most = max(most, running)
        release.wait(5)
        with count:
            running -= 1
        return n

    taken = [asyncio.create_task(workers.run(job, n)) for n in range(4)]
    await asyncio.sleep(0.1)
    with pytest.raises(Busy, match="Too much at once") as refused:
        await workers.run(job, 4)
    assert refused.value.status == 503
    release.set()
    assert await asyncio.gather(*taken) == [0, 1, 2, 3]
    assert most == 2
    assert await workers.run(job, 5) == 5  # room again once they are done
