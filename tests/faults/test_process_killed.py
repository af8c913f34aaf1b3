"""A server process killed with SIGKILL in the middle of voting, pitching and writing notes: its
screens move to the other process, resync, and every vote, pitch and note that was
acknowledged is there."""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.asyncio.client import connect

from server.notes.document import NotesContent
from tests.conftest import ApiEvent, LiveServer, event_body, start_server, stop_server
from tests.live.helpers import NotesPhone, Screen, apply, comparable

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


async def _acknowledged(requests: list[asyncio.Future[Any]], count: int) -> None:
    """Returns once `count` of the requests were acknowledged (answered with something)."""
    for answered in asyncio.as_completed(requests):
        count -= bool(await answered)
        if count <= 0:
            return


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
            # Killed once voting is well under way, however busy the machine is.
            await _acknowledged(sent, 5)
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


def _pitch(url: str, slug: str, token: str, title: str) -> str | None:
    """The title when the server acknowledged the pitch; None when the process died first."""
    try:
        response = httpx.post(
            f"{url}/api/e/{slug}/pitches",
            json={"title": title},
            headers={"Authorization": f"Bearer {token}"},
            timeout=10,
        )
    except httpx.TransportError:
        return None
    return title if response.status_code == 201 else None


async def _type_until_cut(phone: NotesPhone, first_line: asyncio.Event) -> str:
    """Appends a line at a time; returns the text the server last acknowledged."""
    acknowledged, lines = "", []
    try:
        for n in range(10_000):
            lines.append(f"Point {n}")
            text = "\n".join(lines)
            answer = await phone.type(NotesContent(discussion=text))
            if answer["type"] == "ack":
                acknowledged = text
                first_line.set()
    except Exception:  # the process is gone
        pass
    return acknowledged


async def test_pitches_and_notes_acknowledged_before_a_kill_are_all_there(
    two_servers: list[LiveServer],
) -> None:
    doomed, survivor = two_servers
    with httpx.Client(base_url=doomed.url, timeout=20) as client:
        event, voters, pitches = _marketplace(client)
    loop = asyncio.get_running_loop()
    async with connect(f"{doomed.ws_url}/e/{event.slug}/notes/{pitches[0]}/live") as ws:
        phone = NotesPhone(ws)
        await phone.join(voters[0])
        first_line = asyncio.Event()
        typing = asyncio.create_task(_type_until_cut(phone, first_line))
        with ThreadPoolExecutor(8) as pool:
            sent = [
                loop.run_in_executor(pool, _pitch, doomed.url, event.slug, token, f"Pitch {n}")
                for n, token in enumerate(voters)
            ]
            # Killed once both are under way, however busy the machine is.
            await _acknowledged(sent, 3)
            await asyncio.wait_for(first_line.wait(), 30)
            doomed.process.send_signal(signal.SIGKILL)
            acknowledged = {title for title in await asyncio.gather(*sent) if title}
        written = await typing
    assert acknowledged and written, "the kill landed while people were pitching and writing"
    with httpx.Client(base_url=survivor.url) as client:
        there = ApiEvent(client, event.slug, event.organiser, event.links)
        titles = {p["title"] for p in there.state()["pitches"]}
        notes = there.ok("GET", f"/pitches/{pitches[0]}/notes", voters[0])["content"]
    assert acknowledged <= titles
    # Everything acknowledged is there; at most the change in flight at the kill came after.
    assert notes["discussion"].startswith(written)
