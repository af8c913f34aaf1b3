"""Redis stopped and started again under two server processes: live updates come back by
themselves, and what was published while it was down reaches screens by a resync."""

from __future__ import annotations

import asyncio
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from websockets.asyncio.client import connect

from tests.conftest import IN_CI, ApiEvent, free_port, start_server, stop_server
from tests.faults.helpers import CuttableLink
from tests.live.helpers import Screen, apply, comparable, voting_event

REDIS_SERVER = "redis-server"


class PrivateRedis:
    """A Redis of this test's own, so stopping it disturbs nothing else on the machine."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                REDIS_SERVER,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            probe = subprocess.run(
                ["redis-cli", "-p", str(self.port), "ping"], capture_output=True, text=True
            )
            if probe.stdout.strip() == "PONG":
                return
            time.sleep(0.05)
        raise RuntimeError("the test's Redis did not start")

    def restart(self) -> None:
        """As an operator would: shut down without saving, then start again."""
        subprocess.run(["redis-cli", "-p", str(self.port), "shutdown", "nosave"], check=False)
        if self.process is not None:
            self.process.wait(timeout=10)
        self.start()

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=10)
            self.process = None


@pytest.fixture
def private_redis() -> Iterator[PrivateRedis]:
    redis = PrivateRedis()
    try:
        redis.start()
    except (FileNotFoundError, RuntimeError) as exc:
        if IN_CI:
            pytest.fail(f"redis-server couldn't be started for the fault test: {exc}")
        pytest.skip(f"redis-server couldn't be started: {exc}")
    yield redis
    redis.stop()


async def test_live_updates_resume_after_redis_restarts(
    tmp_path: Path, postgres_url: str, private_redis: PrivateRedis
) -> None:
    env = {"DATABASE_URL": postgres_url, "REDIS_URL": private_redis.url}
    first = start_server(tmp_path / "one", env)
    second = start_server(tmp_path / "two", env)
    try:
        with (
            httpx.Client(base_url=first.url, timeout=20) as one,
            httpx.Client(base_url=second.url, timeout=20) as two,
        ):
            event, token, (pitch,) = voting_event(one, pitches=1)
            async with connect(f"{second.ws_url}/e/{event.slug}/live") as ws:
                screen = Screen(ws)
                await screen.hello(token)
                seq = (await screen.expect("snapshot"))["state"]["seq"]
                private_redis.stop()
                # Committed while the hub is down: the first process can't pass it on.
                event.ok("POST", "/dots", token, json={"pitch": pitch}, status=201)
                private_redis.start()
                missed = await screen.expect("change")  # the resync brings it from the database
                assert (missed["seq"], missed["kind"]) == (seq + 1, "votes")
                # And live updates flow again without anyone restarting anything.
                ApiEvent(two, event.slug, event.organiser, event.links).edit(name="Back")
                assert (await screen.expect("change"))["seq"] == seq + 2
                event.edit(name="Back again")
                assert (await screen.expect("change"))["seq"] == seq + 3
    finally:
        stop_server(first)
        stop_server(second)


async def test_every_change_made_right_after_a_restart_reaches_the_other_process(
    tmp_path: Path, postgres_url: str, private_redis: PrivateRedis
) -> None:
    env = {"DATABASE_URL": postgres_url, "REDIS_URL": private_redis.url}
    first = start_server(tmp_path / "one", env)
    second = start_server(tmp_path / "two", env)
    try:
        with httpx.Client(base_url=first.url, timeout=20) as one:
            event, token, pitches = voting_event(one, pitches=3)
            async with connect(f"{second.ws_url}/e/{event.slug}/live") as ws:
                screen = Screen(ws)
                await screen.hello(token)
                state = (await screen.expect("snapshot"))["state"]
                start = state["seq"]
                private_redis.restart()
                await asyncio.sleep(2)  # the second process has subscribed again by now
                # Made on the first process, whose connection to Redis is the stale one.
                for n in range(3):
                    event.ok("POST", "/dots", token, json={"pitch": pitches[n]}, status=201)
                    event.edit(name=f"Renamed {n}")
                    event.pitch(token, f"Late session {n}")
                truth = event.state(token)
                applied = []
                while state["seq"] < truth["seq"]:
                    change = await screen.expect("change")  # a few changes come as changes
                    apply(state, change)
                    applied += range(change.get("first", change["seq"]), change["seq"] + 1)
        assert applied == list(range(start + 1, truth["seq"] + 1)), "every change, in order"
        assert comparable(state) == comparable(truth)
    finally:
        stop_server(first)
        stop_server(second)


async def test_a_publish_that_never_reached_redis_makes_every_process_resync(
    tmp_path: Path, postgres_url: str, private_redis: PrivateRedis
) -> None:
    """Only the first process loses Redis: the second's connection never breaks, so nothing
    but the first process can tell it that a change passed it by."""
    link = CuttableLink(private_redis.port)
    await link.start()
    env = {"DATABASE_URL": postgres_url, "REDIS_URL": private_redis.url}
    cut_off = {**env, "REDIS_URL": f"redis://127.0.0.1:{link.port}/0"}
    first = await asyncio.to_thread(start_server, tmp_path / "one", cut_off)
    second = await asyncio.to_thread(start_server, tmp_path / "two", env)
    try:
        with httpx.Client(base_url=first.url, timeout=20) as one:
            event, token, pitches = await asyncio.to_thread(voting_event, one, 2)
            async with connect(f"{second.ws_url}/e/{event.slug}/live") as ws:
                screen = Screen(ws)
                await screen.hello(token)
                seq = (await screen.expect("snapshot"))["state"]["seq"]
                link.sever()
                vote = {"pitch": pitches[0]}
                await asyncio.to_thread(event.ok, "POST", "/dots", token, json=vote, status=201)
                link.restore()
                missed = await screen.expect("change")  # by a resync, from the database
                assert (missed["seq"], missed["kind"]) == (seq + 1, "votes")
                # The first process publishes again as before.
                await asyncio.to_thread(event.edit, name="After the break")
                heard = await screen.expect("change")
                assert (heard["seq"], heard["kind"]) == (seq + 2, "event.updated")
    finally:
        await asyncio.to_thread(stop_server, first)
        await asyncio.to_thread(stop_server, second)
        await link.close()
