"""The database out of reach for a moment: clear 503s, nothing half-written, and recovery
without restarting Snug. A TCP proxy between Snug and PostgreSQL is cut and restored."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.asyncio.client import connect

from tests.conftest import start_server, stop_server
from tests.faults.helpers import CuttableLink
from tests.http.helpers import assert_problem
from tests.live.helpers import NotesPhone, Screen, voting_event


def _voting_event(url: str) -> tuple[Any, str, list[int]]:
    with httpx.Client(base_url=url, timeout=20) as client:
        return voting_event(client)


@pytest.fixture
async def link(postgres_url: str) -> AsyncIterator[tuple[CuttableLink, str]]:
    proxy = CuttableLink(int(postgres_url.rsplit(":", 1)[1].split("/")[0]))
    await proxy.start()
    name = postgres_url.rsplit("/", 1)[1]
    yield proxy, f"postgres://127.0.0.1:{proxy.port}/{name}"
    await proxy.close()


async def test_requests_get_503_while_the_database_is_away_and_work_again_after(
    tmp_path: Path, link: tuple[CuttableLink, str]
) -> None:
    proxy, url = link
    server = await asyncio.to_thread(start_server, tmp_path, {"DATABASE_URL": url})
    try:
        async with httpx.AsyncClient(base_url=server.url, timeout=20) as client:
            event, token, pitches = await asyncio.to_thread(_voting_event, server.url)
            headers = {"Authorization": f"Bearer {token}"}
            before = (await client.get(f"/api/e/{event.slug}")).json()
            async with connect(f"{server.ws_url}/e/{event.slug}/live") as ws:
                screen = Screen(ws)
                await screen.hello(token)
                await screen.expect("snapshot")
                proxy.sever()
                vote = await client.post(
                    f"/api/e/{event.slug}/dots", json={"pitch": pitches[0]}, headers=headers
                )
                problem = assert_problem(vote, 503)
                assert "database" in problem["detail"] and vote.headers["retry-after"]
                assert_problem(await client.get(f"/api/e/{event.slug}"), 503)
                await screen.send({"type": "resume", "since": 0})
                assert (await screen.expect("error"))["status"] == 503  # the socket stays
                proxy.restore()
                after = (await client.get(f"/api/e/{event.slug}")).json()
                assert after == before, "the refused vote left nothing behind"
                vote = await client.post(
                    f"/api/e/{event.slug}/dots", json={"pitch": pitches[0]}, headers=headers
                )
                assert vote.status_code == 201, vote.text
                assert (await screen.expect("change"))["kind"] == "votes"
    finally:
        await asyncio.to_thread(stop_server, server)


def _outage_lines(log: Path) -> list[str]:
    """What the server logged about trouble: warnings, errors, tracebacks, the database."""
    troubled = []
    for line in log.read_text().splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            troubled.append(line)  # a traceback, or a library's own unformatted line
            continue
        if entry["level"] != "info" or "database" in line:
            troubled.append(line)
    return troubled


async def test_an_event_socket_flooded_during_an_outage_answers_each_message_and_recovers(
    tmp_path: Path, link: tuple[CuttableLink, str]
) -> None:
    proxy, url = link
    server = await asyncio.to_thread(start_server, tmp_path, {"DATABASE_URL": url})
    try:
        event, token, pitches = await asyncio.to_thread(_voting_event, server.url)
        logged = len(_outage_lines(tmp_path / "server.log"))
        async with contextlib.AsyncExitStack() as sockets:
            ws = await sockets.enter_async_context(connect(f"{server.ws_url}/e/{event.slug}/live"))
            screen = Screen(ws)
            await screen.hello(token)
            seq = (await screen.expect("snapshot"))["state"]["seq"]
            proxy.sever()
            for _ in range(20):
                # As the public view: one device's hellos are limited, even in an outage.
                for message in ({"type": "hello"}, {"type": "resume", "since": 0}):
                    await screen.send(message)
                    answer = await screen.expect("error")
                    assert answer["status"] == 503 and "database" in answer["message"]
            # A phone that connects during the outage is told at once, and at each message.
            late = Screen(
                await sockets.enter_async_context(connect(f"{server.ws_url}/e/{event.slug}/live"))
            )
            assert (await late.expect("error"))["status"] == 503
            await late.hello(token)
            assert (await late.expect("error"))["status"] == 503
            await asyncio.sleep(2.5)  # long enough for the database driver to retry and fail
            proxy.restore()
            # Both carry on without reconnecting.
            await screen.send({"type": "resume", "since": seq})
            await screen.quiet()
            # The late phone's hello was kept: its next message finds the event, and the hello
            # is answered first, as the phone's own, not taken as a bare one.
            await late.send({"type": "ping"})
            snapshot = await late.expect("snapshot")
            assert (snapshot["state"]["seq"], snapshot["state"]["role"]) == (seq, "attendee")
            await late.expect("pong")
            async with httpx.AsyncClient(base_url=server.url, timeout=20) as client:
                vote = await client.post(
                    f"/api/e/{event.slug}/dots",
                    json={"pitch": pitches[0]},
                    headers={"Authorization": f"Bearer {token}"},
                )
                assert vote.status_code == 201, vote.text
            for phone in (screen, late):
                heard = await phone.expect("change")
                assert (heard["kind"], heard["seq"]) == ("votes", seq + 1)
        lines = _outage_lines(tmp_path / "server.log")[logged:]
        assert len(lines) <= 2, lines
        assert not any("Traceback" in line for line in lines), lines
    finally:
        await asyncio.to_thread(stop_server, server)


async def test_a_notes_socket_during_an_outage_refuses_each_update_and_stores_it_after(
    tmp_path: Path, link: tuple[CuttableLink, str]
) -> None:
    from server.notes.document import NotesContent

    proxy, url = link
    server = await asyncio.to_thread(start_server, tmp_path, {"DATABASE_URL": url})
    try:
        _event, token, pitches = await asyncio.to_thread(_voting_event, server.url)
        logged = len(_outage_lines(tmp_path / "server.log"))
        notes_url = f"{server.ws_url}/e/{_event.slug}/notes/{pitches[0]}/live"
        async with connect(notes_url) as ws:
            phone = NotesPhone(ws)
            await phone.join(token)
            await phone.expect("ack")  # what the join sent back
            proxy.sever()
            for n in range(20):
                refused = await phone.type(NotesContent(summary=f"Draft {n}"))
                assert refused["type"] == "error" and refused["status"] == 503, refused
            await asyncio.sleep(2.5)  # long enough for the database driver to retry and fail
            proxy.restore()
            # The page keeps what wasn't stored; its next change carries it all.
            stored = await phone.type(NotesContent(summary="Kept after the outage"))
            assert stored["type"] == "ack", stored
        lines = _outage_lines(tmp_path / "server.log")[logged:]
        assert len(lines) <= 2, lines
        assert not any("Traceback" in line for line in lines), lines
    finally:
        await asyncio.to_thread(stop_server, server)
