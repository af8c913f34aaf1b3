"""Connections that hold a server's sockets without sending a request in time are closed: one
that sends nothing, one that sends its headers a byte at a time, one left idle after a response.
Headers too large are refused; a live socket, once open, stays."""

from __future__ import annotations

import select
import socket
import time
from collections.abc import Iterator
from urllib.parse import urlsplit

import httpx
import pytest
from websockets.asyncio.client import connect

from server.connections import MAX_HEADER_BYTES
from tests.conftest import LiveServer, event_body, start_server, stop_server

TIMEOUT = 1.0  # HEADER_TIMEOUT for this server, in seconds
KEEP_ALIVE = 5.0  # Uvicorn's timeout_keep_alive as `snug serve` sets it
SLACK = 1.5


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    server = start_server(tmp_path_factory.mktemp("connections"), {"HEADER_TIMEOUT": str(TIMEOUT)})
    yield server
    stop_server(server)


@pytest.fixture
def raw(live: LiveServer) -> Iterator[socket.socket]:
    address = urlsplit(live.url)
    with socket.create_connection((address.hostname, address.port), timeout=10) as sock:
        yield sock


def closed_within(sock: socket.socket, seconds: float) -> float | None:
    """How long until the server closed the connection, reading whatever it sends first."""
    start = time.monotonic()
    while (left := start + seconds - time.monotonic()) > 0:
        if select.select([sock], [], [], left)[0] and sock.recv(65536) == b"":
            return time.monotonic() - start
    return None


def test_a_connection_that_sends_nothing_is_closed(raw: socket.socket) -> None:
    took = closed_within(raw, TIMEOUT + SLACK)
    assert took is not None and took >= TIMEOUT - 0.1


def test_headers_sent_a_byte_at_a_time_are_cut_off(raw: socket.socket) -> None:
    request = b"GET /healthz HTTP/1.1\r\nHost: snug\r\nX-Slow: " + b"s" * 100
    start = time.monotonic()
    for byte in request:
        raw.send(bytes([byte]))
        if closed_within(raw, 0.05) is not None:
            break
    assert time.monotonic() - start < TIMEOUT + SLACK
    raw.setblocking(True)
    with pytest.raises(OSError):  # closed: the rest can't be sent
        for _ in range(3):
            raw.send(b"s")
            time.sleep(0.05)


def test_an_idle_connection_after_a_response_is_closed(raw: socket.socket) -> None:
    raw.sendall(b"GET /healthz HTTP/1.1\r\nHost: snug\r\n\r\n")
    assert raw.recv(65536).startswith(b"HTTP/1.1 200")
    took = closed_within(raw, KEEP_ALIVE + SLACK)
    assert took is not None and took >= KEEP_ALIVE - 0.5


@pytest.mark.parametrize(
    "headers", [40 * (b"X-Many: " + b"x" * 1000 + b"\r\n"), b"X-Long: " + b"x" * 2**20]
)
def test_headers_too_large_are_refused(raw: socket.socket, headers: bytes) -> None:
    raw.sendall(b"GET /healthz HTTP/1.1\r\nHost: snug\r\n" + headers[: MAX_HEADER_BYTES + 1000])
    assert raw.recv(65536).startswith(b"HTTP/1.1 431")
    assert closed_within(raw, SLACK) is not None


def test_requests_on_one_connection_each_get_the_whole_deadline(live: LiveServer) -> None:
    with httpx.Client(base_url=live.url) as client:
        for _ in range(3):
            assert client.get("/healthz").status_code == 200
            time.sleep(TIMEOUT * 0.8)
        # A body is not headers, however large.
        body = b"[" + b"0," * MAX_HEADER_BYTES + b"0]"
        refused = client.post(
            "/api/events", content=body, headers={"content-type": "application/json"}
        )
        assert refused.status_code == 413


async def test_a_live_socket_outlasts_the_deadline(live: LiveServer) -> None:
    async with httpx.AsyncClient(base_url=live.url) as client:
        slug = (await client.post("/api/events", json=event_body())).json()["slug"]
    async with connect(f"{live.ws_url}/e/{slug}/live") as ws:
        await ws.send('{"type": "hello", "token": null, "since": null}')
        assert '"snapshot"' in str(await ws.recv())
        time.sleep(TIMEOUT + SLACK)  # noqa: ASYNC251 (only the server runs meanwhile)
        await ws.send('{"type": "ping"}')
        assert '"pong"' in str(await ws.recv())
