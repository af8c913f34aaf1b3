"""A server process killed with SIGKILL in the middle of voting: its screens move to the other
process, resync, and every vote that was acknowledged is there."""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from websockets.asyncio.client import connect

from tests.conftest import ApiEvent, LiveServer, event_body, start_server, stop_server
from tests.live.helpers import Screen, apply, comparable

VOTERS = 40
PITCHES = 6


@pytest.fixture
def two_servers(tmp_path: Path, postgres_url: str, redis_url: str) -> Iterator[list[LiveServer]]:
    # Behind one load balancer both processes have the same public address.
    env = {"DATABASE_URL": postgres_url, "REDIS_URL": redis_url, "PUBLIC_URL": "https://snug.test"}
    servers = [start_server(tmp_path / "one", env), start_server(tmp_path / "two", env)]
    yield servers
    for server in servers:
        stop_server(server)


def _marketplace(client: httpx.Client) -> tuple[ApiEvent, list[str], list[int]]:
    made = client.post("/api/events", json=event_body()).json()
    event = ApiEvent(client, made["slug"], made["organiser_key"], made["links"])
    event.edit(voting_open=True)
    voters = [event.join()["token"] for _ in range(VOTERS)]
    pitches = [event.pitch(voters[0], f"Session {n}")["id"] for n in range(PITCHES)]
    return event, voters, pitches


def _vote(url: str, slug: str, token: str, pitch: int) -> bool:
    """True when the server acknowledged the vote; False when the process died first."""
    try:
        response = httpx.post(
            f"{url}/api/e/{slug}/dots",
            json={"pitch": pitch},
            headers={"Authorization": f"Bearer {token}"},
            timeout=10,
        )
    except httpx.TransportError:
        return False
    return response.status_code == 201


async def test_votes_survive_a_killed_process_and_its_screens_resync_elsewhere(
    two_servers: list[LiveServer],
) -> None:
    doomed, survivor = two_servers
    with httpx.Client(base_url=doomed.url, timeout=20) as client:
        event, voters, pitches = _marketplace(client)
    ballots = [(t, pitches[(i + n) % PITCHES]) for i, t in enumerate(voters) for n in range(3)]
    async with connect(f"{doomed.ws_url}/e/{event.slug}/live") as ws:
        screen = Screen(ws)
        await screen.hello()
        state = (await screen.expect("snapshot"))["state"]
        loop = asyncio.get_running_loop()
        with ThreadPoolExecutor(8) as pool:
            sent = [
                loop.run_in_executor(pool, _vote, doomed.url, event.slug, token, pitch)
                for token, pitch in ballots
            ]
            await asyncio.sleep(0.4)  # voting is well under way
            doomed.process.send_signal(signal.SIGKILL)
            acknowledged = sum(await asyncio.gather(*sent))
        # Whatever reached this screen before the kill is applied; the rest comes on resync.
        try:
            while True:
                apply(state, await screen.expect("change"))
        except Exception:  # the connection died with the process
            pass
    assert 0 < acknowledged < len(ballots), "the kill landed in the middle of voting"
    async with connect(f"{survivor.ws_url}/e/{event.slug}/live") as ws:
        moved = Screen(ws)
        await moved.hello(since=state["seq"])
        with httpx.Client(base_url=survivor.url) as client:
            truth = ApiEvent(client, event.slug, event.organiser, event.links).state()
        while state["seq"] < truth["seq"]:
            message = await moved.recv()
            if message["type"] == "snapshot":
                state = message["state"]
            else:
                apply(state, message)
    stored = sum(p["votes"] for p in truth["pitches"])
    # Every acknowledged vote is stored; at most the requests in flight at the kill also landed.
    assert acknowledged <= stored <= acknowledged + 8
    assert comparable(state) == comparable(truth)
