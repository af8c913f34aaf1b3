"""Heavy work runs on its own threads or processes, a bounded number at once, and turns away
the excess."""

from __future__ import annotations

import asyncio
import os
import threading
import time

import pytest

from server.workers import Busy, Processes, Workers


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


def _pid_after(seconds: float) -> int:
    time.sleep(seconds)
    return os.getpid()


def _die() -> None:
    os._exit(1)  # as a worker killed for its memory would


async def test_process_jobs_run_elsewhere_bounded_and_a_dead_worker_is_replaced() -> None:
    processes = Processes("test", processes=1, waiting=1, busy="Drafting; try again.")
    try:
        taken = [asyncio.create_task(processes.run(_pid_after, 0.5)) for _ in range(2)]
        await asyncio.sleep(0.1)
        with pytest.raises(Busy, match="Drafting"):
            await processes.run(_pid_after, 0)
        pids = await asyncio.gather(*taken)
        assert len(set(pids)) == 1 and os.getpid() not in pids
        with pytest.raises(Busy):
            await processes.run(_die)
        assert await processes.run(_pid_after, 0) not in (*pids, os.getpid())
    finally:
        processes.close()
