"""Shared fixtures: a real Snug server in its own process on an ephemeral port."""

from __future__ import annotations

import asyncio
import json
import os
import secrets as _secrets
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis.configuration import set_hypothesis_home_dir

ROOT = Path(__file__).resolve().parent.parent
IN_CI = os.environ.get("CI", "").lower() == "true"
# Hypothesis keeps its files outside the work tree: a .hypothesis folder there would make
# pytest's collection warn (norecursedirs replaces the default ignores), and warnings are errors.
set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "snug-hypothesis")


@dataclass
class LiveServer:
    url: str
    ws_url: str
    process: subprocess.Popen[bytes]
    data_dir: Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(
    data_dir: Path, env: dict[str, str] | None = None, args: tuple[str, ...] = ()
) -> LiveServer:
    """``args``: more for ``snug serve``; none that would make it listen beyond 127.0.0.1."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    environment = {
        **os.environ,
        "SNUG_DATA_DIR": str(data_dir),
        "DATABASE_URL": f"sqlite://{data_dir / 'snug.sqlite3'}",
        "SECRET_KEY": "test-secret-not-for-production",
        "PUBLIC_URL": url,
        # The suite creates hundreds of events from 127.0.0.1; a test that wants the default
        # passes EVENT_CREATION_LIMIT="" (tests/http/test_limits.py).
        "EVENT_CREATION_LIMIT": "100000",
        **(env or {}),
    }
    # As people run it: `snug serve`, with its socket limits and logging. Its JSON-lines log
    # goes to a file beside the database, to read when a test fails.
    data_dir.mkdir(parents=True, exist_ok=True)
    log = (data_dir / "server.log").open("a")
    process = subprocess.Popen(
        [sys.executable, "-m", "server", "serve", "--port", str(port), *args],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    log.close()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                return LiveServer(url, url.replace("http", "ws", 1), process, data_dir)
        except httpx.TransportError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("Snug did not start within 30 seconds")


def stop_server(server: LiveServer) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.process.kill()


@pytest.fixture(scope="session", params=["sqlite", "postgres"])
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    """One server for the session per database, SQLite and PostgreSQL, so every API, socket
    and browser test runs on both; each test makes its own event, so tests don't interfere."""
    folder = tmp_path_factory.mktemp("snug")
    with fresh_database(request.param, folder) as url:
        live = start_server(folder, {"DATABASE_URL": url})
        yield live
        stop_server(live)


POSTGRES_ADMIN_URL = os.environ.get("SNUG_TEST_POSTGRES", "postgres://127.0.0.1:5432/test")
SLOTS = [
    {"starts_at": "2026-11-23T10:00", "ends_at": "2026-11-23T10:45", "label": "Session 1"},
    {"starts_at": "2026-11-23T11:00", "ends_at": "2026-11-23T11:45", "label": "Session 2"},
]
ROOMS = [
    {"name": "Auditorium", "capacity": 100, "features": ["projector", "step-free"]},
    {"name": "Snug 1", "capacity": 8, "features": []},
]


def unique_name(prefix: str = "Test event") -> str:
    return f"{prefix} {_secrets.token_hex(4)}"


def event_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": unique_name(),
        "date": "2026-11-23",
        "timezone": "Europe/London",
        "rooms": [dict(r) for r in ROOMS],
        "slots": [dict(s) for s in SLOTS],
    }
    body.update(overrides)
    return body


@dataclass
class ApiEvent:
    """An event made through the HTTP API, with its organiser secret and a client."""

    client: httpx.Client
    slug: str
    organiser: str
    links: dict[str, str]

    def call(self, method: str, path: str = "", token: str | None = None, **kw: Any) -> Any:
        headers = dict(kw.pop("headers", {}))
        if token:
            headers["Authorization"] = f"Bearer {token}"
        return self.client.request(method, f"/api/e/{self.slug}{path}", headers=headers, **kw)

    def ok(
        self, method: str, path: str = "", token: str | None = None, status: int = 200, **kw: Any
    ) -> Any:
        response = self.call(method, path, token, **kw)
        assert response.status_code == status, (method, path, response.status_code, response.text)
        return response.json() if response.content else None

    def join(self, name: str = "") -> dict[str, Any]:
        return dict(self.ok("POST", "/attendees", json={"name": name}, status=201))

    def facilitator(self) -> str:
        return str(
            self.ok("POST", "/facilitator-link", self.organiser, status=201)["facilitator_key"]
        )

    def state(self, token: str | None = None) -> dict[str, Any]:
        return dict(self.ok("GET", "", token))

    def settled(self) -> dict[str, Any]:
        """The state once Snug's follow-ups of the latest changes (headcounts and checks, a
        tick after the votes they follow) are recorded: none waits, by the server's metrics."""
        for _ in range(100):
            metrics = self.client.get("/metrics").text
            if "\nsnug_follow_ups_waiting 0.0\n" in metrics:
                return self.state()
            time.sleep(0.05)
        raise AssertionError("Snug's follow-ups never finished")

    def pitch(self, token: str, title: str = "A session", **fields: Any) -> dict[str, Any]:
        return dict(self.ok("POST", "/pitches", token, json={"title": title, **fields}, status=201))

    def edit(self, **fields: Any) -> dict[str, Any]:
        return dict(self.ok("PATCH", "", self.organiser, json=fields))


@pytest.fixture(scope="session")
def http(server: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=20, follow_redirects=False) as client:
        yield client


@pytest.fixture
def make_event(http: httpx.Client) -> Callable[..., ApiEvent]:
    """Makes a fresh event through the API (each test its own, so tests don't interfere)."""

    def make(**overrides: Any) -> ApiEvent:
        response = http.post("/api/events", json=event_body(**overrides))
        assert response.status_code == 201, response.text
        made = response.json()
        return ApiEvent(http, made["slug"], made["organiser_key"], made["links"])

    return make


def json_size(value: Any) -> int:
    return len(json.dumps(value))


# Domain tests: the real migrations over SQLite (a temp file) and PostgreSQL (a fresh database).


async def _postgres_admin() -> Any:
    import asyncpg

    try:
        return await asyncpg.connect(POSTGRES_ADMIN_URL, timeout=5)
    except (OSError, TimeoutError, asyncpg.PostgresError) as exc:
        message = (
            f"PostgreSQL isn't reachable at {POSTGRES_ADMIN_URL} ({exc!r}); "
            "start it or set SNUG_TEST_POSTGRES to run the PostgreSQL half of the domain tests."
        )
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)


@contextmanager
def fresh_database(kind: str, folder: Path) -> Iterator[str]:
    """A database URL for a server process: a SQLite file, or a new PostgreSQL database."""
    if kind == "sqlite":
        yield f"sqlite://{folder / 'snug.sqlite3'}"
        return
    name = f"snug_test_{_secrets.token_hex(6)}"

    async def admin(sql: str) -> None:
        connection = await _postgres_admin()
        try:
            await connection.execute(sql)
        finally:
            await connection.close()

    # A thread of its own: this may run while the test session's event loop is running.
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, admin(f'CREATE DATABASE "{name}"')).result()
        try:
            yield POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
        finally:
            pool.submit(
                asyncio.run, admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            ).result()


@pytest.fixture
async def postgres_url() -> AsyncIterator[str]:
    """A fresh, empty PostgreSQL database for servers started by one test."""
    admin = await _postgres_admin()
    name = f"snug_test_{_secrets.token_hex(6)}"
    await admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


REDIS_URL = os.environ.get("SNUG_TEST_REDIS", "redis://127.0.0.1:6379/0")


@pytest.fixture
async def redis_url() -> str:
    """The machine's Redis; CI fails without it, elsewhere the test is skipped."""
    from redis import asyncio as redis
    from redis.exceptions import RedisError

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        await client.ping()
    except (RedisError, OSError) as exc:
        message = f"Redis isn't reachable at {REDIS_URL} ({exc!r}); start it (see README)."
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    finally:
        await client.aclose()
    return REDIS_URL


@pytest.fixture(scope="session", params=["sqlite", "postgres"])
async def database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[str]:
    """A migrated, connected database for the whole session, once per backend."""
    from server import db

    admin = None
    if request.param == "sqlite":
        url = f"sqlite://{tmp_path_factory.mktemp('domain') / 'snug.sqlite3'}"
    else:
        admin = await _postgres_admin()
        name = f"snug_test_{_secrets.token_hex(6)}"
        await admin.execute(f'CREATE DATABASE "{name}"')
        url = POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    # Tortoise caches each model's SQL by connection name ("default"), whatever the dialect;
    # both backends run in this one process, so start each with an empty cache.
    from tortoise.backends.base.executor import EXECUTOR_CACHE

    EXECUTOR_CACHE.clear()
    # Decoded notes documents are cached by id, and ids repeat across the two databases.
    from server.live.state import parts
    from server.notes.store import forget_cached

    forget_cached()
    parts.forget()  # snapshots' shared parts are cached by event id too
    try:
        await db.migrate(url)
        await db.connect(url)
        try:
            yield url
        finally:
            await db.disconnect()
    finally:
        if admin is not None:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            await admin.close()


class Domain:
    """Calls the domain functions directly, as the transports do, with a MemoryHub."""

    def __init__(self, url: str) -> None:
        from server.events.access import Keys
        from server.events.writes import Writes
        from server.grid.follow import FOLLOW_VOTES
        from server.live.hub.memory import MemoryHub
        from server.live.room import Rooms

        self.url = url
        self.keys = Keys("domain-test-secret")
        self.hub = MemoryHub()
        self.writes = Writes(Rooms(self.hub).publish)
        self.writes.react(FOLLOW_VOTES)
        self.secrets: dict[int, str] = {}

    async def event(self, **overrides: Any) -> Any:
        from server.events.setup import create_event

        event, secret = await create_event(event_body(**overrides), self.keys)
        self.secrets[event.id] = secret
        return event

    async def organiser(self, event: Any) -> Any:
        return await self.keys.identify(event, self.secrets[event.id])

    async def facilitator(self, event: Any) -> Any:
        from server.events.setup import new_facilitator_key_for

        return await self.keys.identify(event, await new_facilitator_key_for(event, self.keys))

    async def attendee(self, event: Any, name: str = "") -> Any:
        from server.events.setup import join

        _attendee, token = await join(event, name, self.keys)
        return await self.keys.identify(event, token)

    async def run(
        self, event: Any, actor: Any, command: Callable[..., Awaitable[Any]], *args: Any
    ) -> Any:
        return await self.writes.run(event, actor, lambda journal: command(journal, *args))

    async def refresh(self, event: Any) -> Any:
        from server.events.models import Event

        return await Event.get(id=event.id)

    async def rows(self, event: Any) -> dict[str, Any]:
        """Every stored row that belongs to the event, to show a refusal changed nothing."""
        from server.events.changes import Change, Receipt
        from server.events.models import Attendee, Event, Room, Slot
        from server.feedback.models import Feedback, FeedbackGiven
        from server.grid.models import (
            AgendaChoice,
            GridStep,
            Placement,
            PublishedPlacement,
            SeatClaim,
        )
        from server.marketplace.models import Dot, Pitch

        found: dict[str, Any] = {"event": await Event.filter(id=event.id).values()}
        found["FeedbackGiven"] = await FeedbackGiven.filter(event_id=event.id).values()
        grid = (Placement, PublishedPlacement, GridStep, AgendaChoice, SeatClaim)
        for model in (Room, Slot, Attendee, Pitch, Dot, Change, Receipt, Feedback, *grid):
            found[model.__name__] = await model.filter(event_id=event.id).order_by("id").values()
        return found


@pytest.fixture
async def domain(database_url: str) -> AsyncIterator[Domain]:
    found = Domain(database_url)
    yield found
    await found.writes.close()  # follow-ups still waiting belong to this test's database
