"""Heavy work runs on its own threads or processes, a bounded number at once, and turns away
the excess."""

from __future__ import annotations

import asyncio
import json
import os
import threading
import time

import pytest

from server.archive import load
from server.marketplace.models import Dot
from server.workers import Busy, Processes, Workers
from tests.archive.test_roundtrip import exported_and_removed
from tests.conftest import Domain


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


async def test_a_large_archive_is_read_in_a_process_and_comes_back_whole(
    domain: Domain, monkeypatch: pytest.MonkeyPatch
) -> None:
    archive = await exported_and_removed(domain)
    dot = archive["dots"][0]
    archive["dots"] = [{**dot, "id": 1_000_000 + i} for i in range(3 * load.PIECE)]
    raw = json.dumps(archive)
    assert len(raw) > load.READ_HERE

    def not_here(*_args: object) -> None:
        raise AssertionError("read on the server's own threads")

    monkeypatch.setattr(load, "read", not_here)  # the reading process has its own
    imported = await load.load(raw, domain.keys)
    assert await Dot.filter(event=imported.event).count() == 3 * load.PIECE
