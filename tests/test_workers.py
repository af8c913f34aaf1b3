"""Heavy work runs on its own threads or processes, a bounded number at once, and turns away
the excess."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from server.archive import load
from server.marketplace.models import Dot
from server.workers import WORKER_NICENESS, Busy, Processes, Workers
from tests.archive.test_roundtrip import exported_and_removed
from tests.conftest import ROOT, Domain


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


async def test_a_worker_process_gives_way_to_the_servers_loop() -> None:
    processes = Processes("test", processes=1, waiting=1, busy="Drafting; try again.")
    try:
        assert await processes.run(os.nice, 0) >= os.nice(0) + WORKER_NICENESS
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


def _pids() -> tuple[int, int]:
    """A worker's own pid, and its parent's (the fork server)."""
    return os.getpid(), os.getppid()


SERVER_KILLED = """
import asyncio, json, os, signal, sys
from server.workers import Processes
from tests.test_workers import _pids

async def main():
    pool = Processes("killed", processes=1, waiting=1, busy="busy")
    print(json.dumps(await pool.run(_pids)), flush=True)
    os.kill(os.getpid(), signal.SIGKILL)  # no shutdown of any kind: as the OOM killer does

if __name__ == "__main__":
    asyncio.run(main())
"""


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def test_a_killed_servers_worker_processes_end_with_it(tmp_path: Path) -> None:
    """A worker waits for its next job on a pipe it also holds the other end of, so it never
    hears that the server is gone; nor does the fork server, while a worker lives. Killed
    outright, a server left both behind, some 160 MB, for good."""
    script = tmp_path / "killed.py"
    script.write_text(SERVER_KILLED)
    errors = tmp_path / "errors.txt"
    with errors.open("w") as stderr:
        server = subprocess.Popen(
            [sys.executable, str(script)],
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
        )
    assert server.stdout is not None
    with server.stdout:  # read to the line, not to the end: what outlives it holds the pipe
        said = server.stdout.readline()
    assert server.wait(timeout=60) == -signal.SIGKILL, errors.read_text()
    worker, fork_server = json.loads(said)
    deadline = time.monotonic() + 10
    while (_alive(worker) or _alive(fork_server)) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = [pid for pid in (worker, fork_server) if _alive(pid)]
    for pid in left:  # not to leave them to the rest of the run either
        os.kill(pid, signal.SIGKILL)
    assert not left, "the worker or the fork server outlived the server"
