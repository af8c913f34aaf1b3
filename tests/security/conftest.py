"""A server of their own for the hostile-input tests, with rate limits off.

The fuzzers and the authorisation matrix send thousands of requests from one address; with
limits on, most would be answered 429 and test nothing else (limits have their own tests in
tests/http/test_limits.py), and they would use up the shared server's allowance for the
other tests of the session.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.conftest import LiveServer, start_server, stop_server


@pytest.fixture(scope="session")
def open_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    live = start_server(tmp_path_factory.mktemp("snug-security"), {"RATE_LIMIT_SCALE": "0"})
    yield live
    stop_server(live)


@pytest.fixture(scope="session")
def client(open_server: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=open_server.url, timeout=30, follow_redirects=False) as made:
        yield made


@pytest.fixture(scope="session")
def hostile_client(open_server: LiveServer) -> Iterator[httpx.Client]:
    """For requests that may break the server: a new connection each, so one answered 500
    (after which the server drops the connection) doesn't fail the requests after it."""
    with httpx.Client(
        base_url=open_server.url, timeout=30, headers={"Connection": "close"}
    ) as made:
        yield made
