"""Live updates across processes through Redis: two real server processes on PostgreSQL."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from websockets.asyncio.client import connect

from server.live.hub.redis import RedisHub
from tests.conftest import ApiEvent, LiveServer, start_server, stop_server
from tests.live.helpers import NotesPhone, Screen, voting_event


async def test_a_message_published_by_one_process_reaches_sockets_of_another(
    redis_url: str,
) -> None:
    one, two = RedisHub(redis_url), RedisHub(redis_url)
    try:
        async with two.subscribe("event:424242") as queue:
            await two.start()
            await one.publish("event:424242", {"seq": 1, "kind": "votes"})
            await one.publish("event:999999", {"seq": 1, "kind": "other event"})
            assert await asyncio.wait_for(queue.get(), 5) == {"seq": 1, "kind": "votes"}
            await asyncio.sleep(0.2)
            assert queue.empty()
    finally:
        await one.close()
        await two.close()


@pytest.fixture
def two_processes(
    tmp_path: Path, postgres_url: str, redis_url: str
) -> Iterator[tuple[LiveServer, LiveServer, httpx.Client, httpx.Client]]:
    env = {"DATABASE_URL": postgres_url, "REDIS_URL": redis_url}
    first = start_server(tmp_path / "one", env)
    try:
        second = start_server(tmp_path / "two", env)
    except BaseException:
        stop_server(first)
        raise
    with (
        httpx.Client(base_url=first.url, timeout=20) as one,
        httpx.Client(base_url=second.url, timeout=20) as two,
    ):
        yield first, second, one, two
    stop_server(first)
    stop_server(second)


async def test_a_vote_on_one_process_shows_on_the_other_and_a_moved_client_misses_nothing(
    two_processes: tuple[LiveServer, LiveServer, httpx.Client, httpx.Client],
) -> None:
    first, second, client_one, client_two = two_processes
    event, token, pitches = voting_event(client_one)
    over_there = ApiEvent(client_two, event.slug, event.organiser, event.links)
    async with (
        connect(f"{first.ws_url}/e/{event.slug}/live") as ws_one,
        connect(f"{second.ws_url}/e/{event.slug}/live") as ws_two,
    ):
        here, there = Screen(ws_one), Screen(ws_two)
        await here.hello(token)
        await there.hello(token)
        seq = (await here.expect("snapshot"))["state"]["seq"]
        assert (await there.expect("snapshot"))["state"]["seq"] == seq
        event.ok("POST", "/dots", token, json={"pitch": pitches[0]}, status=201)
        heard = await there.expect("change")
        assert (heard["seq"], heard["kind"]) == (seq + 1, "votes")
        over_there.ok("POST", "/dots", token, json={"pitch": pitches[1]}, status=201)
        # Gap-free, whichever process made the change.
        assert [c["seq"] for c in await here.changes(2)] == [seq + 1, seq + 2]
        last = (await there.expect("change"))["seq"]
    # The phone on the first process drops off; changes go on; it comes back to the second.
    event.ok("POST", "/dots", token, json={"pitch": pitches[2]}, status=201)
    over_there.edit(name="Renamed while away")
    async with connect(f"{second.ws_url}/e/{event.slug}/live") as ws:
        moved = Screen(ws)
        await moved.hello(token, since=last)
        missed = await moved.changes(2)
        assert [c["seq"] for c in missed] == [last + 1, last + 2]
        assert [c["kind"] for c in missed] == ["votes", "event.updated"]
        await moved.quiet()


async def test_people_writing_notes_on_two_processes_see_each_other(
    two_processes: tuple[LiveServer, LiveServer, httpx.Client, httpx.Client],
) -> None:
    first, second, client_one, _client_two = two_processes
    event, ana, pitches = voting_event(client_one, pitches=1)
    ben = event.join("Ben")["token"]
    path = f"/e/{event.slug}/notes/{pitches[0]}/live"
    async with (
        connect(f"{first.ws_url}{path}") as ws_one,
        connect(f"{second.ws_url}{path}") as ws_two,
    ):
        here, there = NotesPhone(ws_one), NotesPhone(ws_two)
        await here.join(ana)
        await there.join(ben)
        await here.hears({"type": "presence", "names": ["Ben"], "others": 1})
        await there.hears({"type": "presence", "names": ["Ana"], "others": 1})
        # hears() raises when the word never comes; said here too, so the test reads as one.
        assert here.presence[-1]["names"] == ["Ben"], "Ana, on one process, sees Ben"
        assert there.presence[-1]["names"] == ["Ana"], "Ben, on the other, sees Ana"


async def test_headcounts_follow_votes_taken_by_either_process(
    two_processes: tuple[LiveServer, LiveServer, httpx.Client, httpx.Client],
) -> None:
    """One process measures the headcounts for both (a claim through Redis), and the votes
    each took are all counted, however the claims fell."""
    _first, _second, client_one, client_two = two_processes
    event, _token, pitches = voting_event(client_one, pitches=1)
    staff = event.facilitator()
    state = event.state(staff)
    cell = {"room": state["rooms"][0]["id"], "slot": state["slots"][0]["id"]}
    event.ok("POST", "/grid/move", staff, json={"version": 0, "pitch": pitches[0], **cell})
    event.ok("POST", "/grid/publish", staff, json={"version": 1})
    over_there = ApiEvent(client_two, event.slug, event.organiser, event.links)
    voters = [event.join(f"Voter {n}")["token"] for n in range(12)]
    for n, voter in enumerate(voters):
        (event if n % 2 else over_there).ok(
            "POST", "/dots", voter, json={"pitch": pitches[0]}, status=201
        )
        await asyncio.sleep(0.05)
    deadline = asyncio.get_running_loop().time() + 5
    while True:
        seen = [ev.state(staff)["grid"]["headcounts"] for ev in (event, over_there)]
        if all(counts.get(str(pitches[0])) == len(voters) for counts in seen):
            break
        assert asyncio.get_running_loop().time() < deadline, f"headcounts stayed at {seen}"
        await asyncio.sleep(0.1)


async def test_a_claim_is_held_by_one_process_for_its_seconds(redis_url: str) -> None:
    one, two = RedisHub(redis_url), RedisHub(redis_url)
    name = f"test:{uuid.uuid4().hex}"
    try:
        assert await one.claim(name, 41, 0.3) is None
        assert await two.claim(name, 42, 0.3) == 41, "the other process is told the holder's"
        assert await one.claim(name, 43, 0.3) == 41, "held even against its holder"
        await asyncio.sleep(0.4)
        assert await two.claim(name, 44, 0.3) is None
        assert await one.claim(name, 45, 0.3) == 44
    finally:
        await one.close()
        await two.close()


async def test_a_claim_with_redis_away_is_everyones() -> None:
    """Each process then does the work itself, as with one process."""
    away = RedisHub("redis://127.0.0.1:1")
    try:
        assert await away.claim("test:away", 1, 1.0) is None
    finally:
        await away.close()
