"""Vote storm: the two minutes after "vote now", when every phone in the room votes at once.

    python -m tests.benchmarks.vote_storm [--phones 2000] [--dots 3] [--database-url URL]
        [--processes N [--hub-url redis://...]] [--client-processes 2] [--draft]
        [--second-event] [--think T] [--spread S] [--over-http] [--http-floor]
        [--tally-frames F]

It starts real Snug servers (uvicorn, as tests/benchmarks/live_load.py does; SQLite in a
temporary folder, or a fresh database made on the PostgreSQL server that --database-url names
and dropped afterwards). With --processes N, N servers share the database and a redis:// hub,
and the phones are spread over their ports as a load balancer would. Rate limits are off
(RATE_LIMIT_SCALE=0): a venue's phones come from many addresses, these from one. Each server
spends at most --tally-frames frames a second on live tallies (TALLY_FRAMES; the README's
"Several processes" says how to choose it where processes outnumber cores).

Each event is shaped like a real one: 10 rooms, 5 slots, 40 pitches from 40 attendees who
also voted in an earlier round, whose grid the organiser allocated and published through the
API; voting is then open with --dots dots each. Then, from separate client processes
(tests/benchmarks/vote_storm/phones.py):

1. every phone joins over HTTP at once (joins_per_s);
2. every phone opens the live websocket, says hello with its token and waits for its snapshot
   (snapshots_s: from the start until the last snapshot; hello_longest_at_most_ms: the bucket
   of the servers' snug_hello_seconds the longest time from a hello to its snapshot being
   sent fits in, the servers' own part of it);
3. once the servers' loops are quiet, every phone starts within --spread seconds and places
   its dots one after another, each as soon as the last is acknowledged, with a key it keeps
   when it retries (votes_per_s, ack latency percentiles). As the attendee page does, it sends
   each dot on its live socket, and by HTTP under the same key when the socket doesn't answer;
   with --over-http, always by HTTP, as a page without a live socket does. With
   --think T a phone waits a random 0 to 2T seconds between its dots, as a person reading the
   next pitch would: without it every phone has a vote waiting at every moment, so the
   acknowledgement latency is the queue's length over the rate (2,000 phones at 1,000 votes a
   second wait 2 s each), whatever the server does; with it the latency is the server's own;
4. the final counts are read from the database, and converged_ms is the time from the last
   acknowledgement (or, if some votes went unanswered, from the end of voting) until every
   socket has shown every final count (in any message whose data carries a "votes" mapping,
   or a snapshot's pitches);
5. the database is checked: lost counts acknowledged dots that are not there, double_counted
   the storm's dots beyond the distinct keys acknowledged and the votes never answered (which
   may have been stored; unanswered_stored says how many of those were).

max_loop_lag_ms is the largest snug_event_loop_lag_recent_max_seconds read from the servers'
/metrics every 250 ms from the start of the storm until it converged (the storm waits for the
10-second window to be free of the joins' lag). With --draft the organiser asks for a draft
allocation one second into the storm, and the lag read while it runs is given too. With
--second-event a second event of as many phones storms at the same time, and both are given.
gc_pauses counts the servers' cycle-collector pauses from the start of the storm until it
converged (gc_full_collections of them over the whole heap, gc_pause_s their total seconds),
and gc_longest_pause_at_most_ms is the bucket of snug_gc_pause_seconds the longest
fits in: a pause holds the loop like any other work. With several processes, gap_waits counts
the times a room held changes back for one another process had committed but not yet
published, and gap_longest_wait_at_most_ms is the bucket of snug_gap_wait_seconds the longest
fits in (server/live/in_order.py). broadcast_longest_at_most_ms is the bucket of
snug_broadcast_seconds the longest fan-out of a change to every screen's outbox fits in.

server_cpu_s is the CPU the servers (and the worker processes under them) spent while the
phones voted, and votes_per_server_cpu_s the acknowledged votes over it: what a vote costs,
whatever else was running on the machine, the phones included.

The floor, in the same run and on the same database: the storm's acknowledged dot rows
inserted again through the raw driver (aiosqlite; asyncpg, 8 connections), one transaction
per vote and then 50 votes per transaction, and deleted again. With --http-floor, the
transport's floor too: the same phones join (and connect) and vote again, the same way, with
the same spread and think time, against uvicorn and Starlette answering from memory
(tests/benchmarks/vote_storm/http_floor.py), which is what the transport alone allows on this
machine (http_floor in the JSON).

Human-readable lines come first; the last line is one JSON object. The exit status is 1 when a
vote was lost or counted twice, or when a phone that joined never had its snapshot.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import secrets
import signal
import tempfile
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiosqlite
import asyncpg
import httpx

from server.config import Settings
from tests.benchmarks.live_load import (
    Children,
    Server,
    Workers,
    answer,
    bearer,
    percentile,
    rounded,
    run_to_end,
    start_snug,
    tree_cpu_seconds,
)
from tests.conftest import event_body

PHONES = Path(__file__).with_suffix("") / "phones.py"
PITCHES = 40
ROOMS = [("Hall", 250), ("Library", 120), ("Kitchen", 60), ("Garden", 60), ("Attic", 40)]
ROOMS += [(f"Snug {n}", size) for n, size in enumerate((30, 25, 20, 15, 10), start=1)]
SLOTS = [("09:30", "10:15"), ("10:30", "11:15"), ("11:30", "12:15"), ("14:00", "14:45")]
SLOTS += [("15:00", "15:45")]
QUIET = 0.05  # seconds of loop lag under which the storm may start
WINDOW = 11.0  # the servers' recent-lag window, and a second more
LAG_GAUGE = "snug_event_loop_lag_recent_max_seconds"
FLOOR_BATCH = 50
SETUP_PARALLEL = 16


@dataclass
class Storm:
    """One event under the storm, and what its phones saw."""

    slug: str
    organiser: str
    pitches: list[int]
    earlier_dots: int = 0
    joined: int = 0
    join_seconds: float = 0.0
    connected: int = 0
    snapshot_seconds: float = 0.0
    acks: list[list[Any]] = field(default_factory=list)
    failures: list[list[Any]] = field(default_factory=list)
    converged_ms: float | None = None
    unconverged: int = 0
    messages: int = 0
    dropped: int = 0
    lost: int = 0
    double_counted: int = 0
    unanswered_stored: int = 0


# --- the database: fresh for the run, read directly at the end -----------------------------


class Database:
    """The run's database through its raw driver: for the checks and the floor."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.sqlite = url.startswith("sqlite://")

    @contextlib.asynccontextmanager
    async def connection(self) -> AsyncIterator[Any]:
        if self.sqlite:
            # Autocommit, as Tortoise connects, so BEGIN and COMMIT are said outright.
            path = self.url.removeprefix("sqlite://")
            async with aiosqlite.connect(path, isolation_level=None) as db:
                await db.execute("PRAGMA foreign_keys=ON")  # as Tortoise's connection does
                yield db
        else:
            db = await asyncpg.connect(self.url, timeout=10)
            try:
                yield db
            finally:
                await db.close()

    async def rows(self, sql: str, *values: Any) -> list[tuple[Any, ...]]:
        async with self.connection() as db:
            if self.sqlite:
                async with db.execute(sql, values) as cursor:
                    return [tuple(row) for row in await cursor.fetchall()]
            return [tuple(row) for row in await db.fetch(_numbered(sql), *values)]


def _numbered(sql: str) -> str:
    """SQLite's ? placeholders as PostgreSQL's $1, $2..."""
    parts = sql.split("?")
    return "".join(f"{part}${n}" for n, part in enumerate(parts[:-1], start=1)) + parts[-1]


@contextlib.asynccontextmanager
async def fresh_database(args: argparse.Namespace, folder: Path) -> AsyncIterator[str]:
    if not args.database_url:
        yield f"sqlite://{folder / 'snug.sqlite3'}"
        return
    admin_url = args.database_url.replace("postgresql://", "postgres://", 1)
    name = f"snug_storm_{secrets.token_hex(4)}"
    admin = await asyncpg.connect(admin_url, timeout=10)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield admin_url.rsplit("/", 1)[0] + f"/{name}"
        finally:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


# --- the servers and the events ------------------------------------------------------------


async def start_servers(
    children: Children, folder: Path, database_url: str, args: argparse.Namespace
) -> list[Server]:
    # The servers inherit this process's environment; the hub is the one thing they must share.
    os.environ.pop("REDIS_URL", None)
    os.environ["HUB_URL"] = args.hub_url
    os.environ["TALLY_FRAMES"] = str(args.tally_frames)
    options = argparse.Namespace(database_url=database_url, uvicorn_args="")
    # One after another, so that only the first migrates an empty database.
    return [
        await start_snug(children, folder, False, options, True, folder / f"server-{n}.log")
        for n in range(args.processes)
    ]


def server_errors(folder: Path) -> int:
    """The servers' logged errors, counted, and the kinds of them said (their logs go with the
    temporary folder)."""
    kinds: dict[str, int] = {}
    count = 0
    for log in sorted(folder.glob("server-*.log")):
        for line in log.read_text(errors="replace").splitlines():
            if line.startswith("ERROR"):
                count += 1
            elif line.startswith('{"error"'):
                kinds[line] = kinds.get(line, 0) + 1
    for line, times in sorted(kinds.items(), key=lambda kind: -kind[1])[:5]:
        print(f"  server logged {times} times: {line[:200]}")
    return count


async def make_event(url: str, dots: int) -> Storm:
    """An event as it stands when voting opens for a second round: pitches voted on before,
    allocated and published."""
    day = "2026-11-23"
    body = event_body(
        rooms=[{"name": name, "capacity": size, "features": []} for name, size in ROOMS],
        slots=[
            {"starts_at": f"{day}T{a}", "ends_at": f"{day}T{b}", "label": f"Session {n}"}
            for n, (a, b) in enumerate(SLOTS, start=1)
        ],
    )
    async with httpx.AsyncClient(base_url=url, timeout=120, trust_env=False) as http:
        made = answer(await http.post("/api/events", json=body), 201)
        slug, organiser = made["slug"], made["organiser_key"]
        gate = asyncio.Semaphore(SETUP_PARALLEL)

        async def author(n: int) -> tuple[str, int]:
            async with gate:
                joined = await http.post(f"/api/e/{slug}/attendees", json={"name": f"A{n}"})
                token = answer(joined, 201)["token"]
                pitched = await http.post(
                    f"/api/e/{slug}/pitches", json={"title": f"Pitch {n}"}, headers=bearer(token)
                )
                return token, int(answer(pitched, 201)["id"])

        authors = await asyncio.gather(*(author(n) for n in range(PITCHES)))
        pitches = [pitch for _token, pitch in authors]
        opened = {"voting_open": True, "dots_per_attendee": dots}
        answer(await http.patch(f"/api/e/{slug}", json=opened, headers=bearer(organiser)), 200)

        async def earlier_round(n: int, token: str) -> None:
            async with gate:
                for k in range(1, dots + 1):  # on the next pitches along, not their own
                    pitch = pitches[(n + k) % PITCHES]
                    placed = await http.post(
                        f"/api/e/{slug}/dots", json={"pitch": pitch}, headers=bearer(token)
                    )
                    answer(placed, 201)

        await asyncio.gather(*(earlier_round(n, token) for n, (token, _) in enumerate(authors)))
        for step in ("allocate", "publish"):
            await grid_step(http, slug, organiser, step)
    return Storm(slug, organiser, pitches, earlier_dots=PITCHES * dots)


async def grid_step(http: httpx.AsyncClient, slug: str, organiser: str, step: str) -> None:
    state = answer(await http.get(f"/api/e/{slug}", headers=bearer(organiser)), 200)
    version = state["draft"]["version"]
    done = await http.post(
        f"/api/e/{slug}/grid/{step}", json={"version": version}, headers=bearer(organiser)
    )
    answer(done, 200)


# --- the client processes ------------------------------------------------------------------


async def ask(workers: Workers, requests: list[dict[str, Any]], within: float) -> list[Any]:
    """Every wait is bounded: a client process that hangs ends the run, not the machine."""
    return await asyncio.wait_for(workers.ask(requests), within)


def phone_specs(storms: list[Storm], servers: list[Server], phones: int) -> list[dict[str, Any]]:
    """Each event's phones, spread over the servers as a load balancer would."""
    specs = []
    for e, storm in enumerate(storms):
        for i in range(phones):
            url = servers[i % len(servers)].url
            ws = f"{url.replace('http', 'ws', 1)}/e/{storm.slug}/live"
            specs.append({"event": e, "slug": storm.slug, "url": url, "ws": ws})
    return specs


# --- the servers' loop lag -----------------------------------------------------------------


async def loop_lag(http: httpx.AsyncClient, servers: list[Server]) -> float:
    """The largest recent loop lag of any server, in seconds."""
    pages = await asyncio.gather(*(http.get(f"{s.url}/metrics", timeout=10) for s in servers))
    values = [
        float(line.split()[-1])
        for page in pages
        for line in page.text.splitlines()
        if line.startswith(f"{LAG_GAUGE} ")
    ]
    if len(values) != len(servers):
        raise RuntimeError(f"{LAG_GAUGE} is missing from /metrics")
    return max(values)


@dataclass
class LagWatch:
    """Reads the servers' recent loop lag four times a second while the storm runs."""

    readings: list[tuple[float, float]] = field(default_factory=list)  # (time, seconds)

    async def run(self, http: httpx.AsyncClient, servers: list[Server]) -> None:
        while True:
            with contextlib.suppress(httpx.HTTPError):
                self.readings.append((time.time(), await loop_lag(http, servers)))
            await asyncio.sleep(0.25)

    def max_ms(self, start: float = 0.0, end: float = float("inf")) -> float | None:
        during = [lag for at, lag in self.readings if start <= at <= end]
        return max(during) * 1000 if during else None


GC = "snug_gc_pause_seconds"
GAP = "snug_gap_wait_seconds"
BROADCAST = "snug_broadcast_seconds"
HELLO = "snug_hello_seconds"


async def histograms(http: httpx.AsyncClient, servers: list[Server]) -> dict[str, float]:
    """The servers' histograms of pauses and waits so far, summed over servers: for each of
    GC (server/collector.py), GAP, BROADCAST (server/live/room.py) and HELLO
    (server/live/socket.py): "<name> le=<bound>" how many
    took at most that long, "<name> seconds" their total; "full" how many collector pauses
    were full collections (generation 2)."""
    pages = await asyncio.gather(*(http.get(f"{s.url}/metrics", timeout=10) for s in servers))
    counts: dict[str, float] = {}
    for line in (line for page in pages for line in page.text.splitlines()):
        name = next((n for n in (GC, GAP, BROADCAST, HELLO) if line.startswith(n)), None)
        if name is None:
            continue
        value = float(line.split()[-1])
        if line.startswith(f"{name}_bucket"):
            key = f"{name} le=" + line.split('le="', 1)[1].split('"', 1)[0]
            counts[key] = counts.get(key, 0.0) + value
            if 'generation="2"' in line and key.endswith("le=+Inf"):
                counts["full"] = counts.get("full", 0.0) + value
        elif line.startswith(f"{name}_sum"):
            counts[f"{name} seconds"] = counts.get(f"{name} seconds", 0.0) + value
    return counts


def grown(before: dict[str, float], after: dict[str, float]) -> dict[str, float]:
    """What each count and total of ``histograms`` grew by between two readings."""
    return {key: after[key] - before.get(key, 0.0) for key in after}


def longest_ms(grew: dict[str, float], name: str) -> float | str | None:
    """The bucket bound, in ms, the longest of a histogram's new observations fits in; None
    when there were none; ">bound" when it was beyond the last bound (JSON has no infinity)."""
    total = grew.get(f"{name} le=+Inf", 0.0)
    prefix = f"{name} le="
    new = [(key[len(prefix) :], n) for key, n in grew.items() if key.startswith(prefix)]
    bounds = sorted((float(bound), n) for bound, n in new)
    bound = next((b for b, n in bounds if n >= total), None) if total else None
    if bound is None or bound != float("inf"):
        return None if bound is None else rounded(bound * 1000)
    return f">{rounded(bounds[-2][0] * 1000)}"


def at_most(longest: float | str | None) -> str:
    """``longest_ms`` in words."""
    if isinstance(longest, str):
        return f"over {longest[1:]} ms"
    return "none" if longest is None else f"at most {longest} ms"


def histogram_figures(before: dict[str, float], after: dict[str, float]) -> dict[str, Any]:
    """How many collector pauses the storm saw, how long they took in all, how many were full
    collections, and the bucket bound the longest fits in; as many of the last for the waits
    on gaps between processes' changes and for the fan-outs."""
    grew = grown(before, after)
    return {
        "gc_pauses": int(grew.get(f"{GC} le=+Inf", 0.0)),
        "gc_full_collections": int(grew.get("full", 0.0)),
        "gc_pause_s": rounded(grew.get(f"{GC} seconds", 0.0), 2),
        "gc_longest_pause_at_most_ms": longest_ms(grew, GC),
        "gap_waits": int(grew.get(f"{GAP} le=+Inf", 0.0)),
        "gap_longest_wait_at_most_ms": longest_ms(grew, GAP),
        "broadcasts": int(grew.get(f"{BROADCAST} le=+Inf", 0.0)),
        "broadcast_longest_at_most_ms": longest_ms(grew, BROADCAST),
    }


async def until_quiet(http: httpx.AsyncClient, servers: list[Server]) -> float:
    """Waits until no server's loop was held lately, or until the window has passed, so the
    storm's readings don't carry the joins' lag; returns the wait."""
    started = time.time()
    for _ in range(int(WINDOW * 2)):
        if await loop_lag(http, servers) <= QUIET:
            break
        await asyncio.sleep(0.5)
    return time.time() - started


# --- the storm -----------------------------------------------------------------------------


async def storm(
    workers: Workers,
    servers: list[Server],
    storms: list[Storm],
    database: Database,
    args: argparse.Namespace,
) -> dict[str, Any]:
    n = len(workers.processes)
    specs = phone_specs(storms, servers, args.phones)
    figures: dict[str, Any] = {}
    start = time.time() + 1.0
    joins = await ask(
        workers,
        [{"op": "join", "phones": specs[i::n], "start_at": start} for i in range(n)],
        args.timeout,
    )
    figures["joins_s"] = max(a["last_done"] for a in joins) - start
    _say_failures("joins", joins)
    for e, s in enumerate(storms):
        s.joined = sum(a["joined"].get(str(e), 0) for a in joins)
        s.join_seconds = figures["joins_s"]
    print(f"  {sum(s.joined for s in storms)} phones joined in {figures['joins_s']:.1f} s")

    async with httpx.AsyncClient(trust_env=False) as http:
        before = await histograms(http, servers)
        start = time.time() + 0.5
        connects = await ask(workers, [{"op": "connect", "start_at": start}] * n, args.timeout)
        hellos = grown(before, await histograms(http, servers))
    figures["snapshots_s"] = max(a["last_snapshot"] for a in connects) - start
    figures["hello_longest_at_most_ms"] = longest_ms(hellos, HELLO)
    _say_failures("sockets", connects)
    for e, s in enumerate(storms):
        s.connected = sum(a["connected"].get(str(e), 0) for a in connects)
    connected = sum(s.connected for s in storms)
    print(
        f"  {connected} sockets had their snapshot {figures['snapshots_s']:.1f} s after opening "
        f"(the servers' part, from hello to snapshot sent: "
        f"{at_most(figures['hello_longest_at_most_ms'])})"
    )

    async with httpx.AsyncClient(trust_env=False) as http:
        figures["quiet_wait_s"] = await until_quiet(http, servers)
        watch = LagWatch()
        watching = asyncio.create_task(watch.run(http, servers))
        paused = await histograms(http, servers)
        try:
            figures.update(await vote(workers, servers, storms, database, watch, args))
        finally:
            watching.cancel()
        figures.update(histogram_figures(paused, await histograms(http, servers)))
    return figures


def _say_failures(what: str, answers: list[dict[str, Any]]) -> None:
    failed = sum(a["failed"] for a in answers)
    if failed:
        first = next(a["error"] for a in answers if a["error"])
        print(f"  {failed} {what} failed (first: {first})")


def vote_request(storms: list[Storm], args: argparse.Namespace) -> dict[str, Any]:
    """What every phone is asked to do when voting opens, half a second from now."""
    start = time.time() + 0.5
    return {
        "op": "vote",
        "pitches": {str(e): s.pitches for e, s in enumerate(storms)},
        "dots": args.dots,
        "start_at": start,
        "spread": args.spread,
        "think": args.think,
        "deadline": start + args.timeout,
        "over": "http" if args.over_http else "socket",
    }


async def vote(
    workers: Workers,
    servers: list[Server],
    storms: list[Storm],
    database: Database,
    watch: LagWatch,
    args: argparse.Namespace,
) -> dict[str, Any]:
    n = len(workers.processes)
    request = vote_request(storms, args)
    start = request["start_at"]
    server_cpu = sum(tree_cpu_seconds(s.pid) for s in servers)
    draft = asyncio.create_task(draft_during(servers[0].url, storms[0], start, args))
    answers = await ask(
        workers, [{**request, "seed": i} for i in range(n)], args.timeout + args.spread + 30
    )
    voted = time.time()
    drafted = await asyncio.wait_for(draft, args.timeout)
    figures: dict[str, Any] = {"server_cpu_s": sum(tree_cpu_seconds(s.pid) for s in servers)}
    figures["server_cpu_s"] -= server_cpu
    for answer_ in answers:
        for ack in answer_["acks"]:
            storms[int(ack[0])].acks.append(ack)
        for failure in answer_["failures"]:
            storms[int(failure[0])].failures.append(failure)
    finals = {str(e): await final_counts(database, s) for e, s in enumerate(storms)}
    settled = await ask(
        workers,
        [{"op": "settle", "counts": finals, "deadline": time.time() + args.grace}] * n,
        args.grace + 30,
    )
    for e, s in enumerate(storms):
        event = str(e)
        s.unconverged = sum(a["unconverged"][event] for a in settled)
        s.messages = sum(a["messages"][event] for a in settled)
        s.dropped = sum(a["dropped"][event] for a in settled)
        converged = [a["converged_at"][event] for a in settled]
        # Votes never answered may have been stored at any time until the phones gave up.
        last = voted if s.failures else max((ack[4] for ack in s.acks), default=voted)
        if not s.unconverged:
            # A socket may show the last count before that vote's answer reaches its phone: 0.
            shown = max((at for at in converged if at is not None), default=last)
            s.converged_ms = max(0.0, shown - last) * 1000
        await check(database, s)
    figures["max_loop_lag_ms"] = watch.max_ms(start)
    if drafted is not None:
        figures["draft_ms"] = (drafted[1] - drafted[0]) * 1000
        figures["draft_loop_lag_ms"] = watch.max_ms(drafted[0], drafted[1] + 0.5)
    return figures


async def draft_during(
    url: str, storm_: Storm, start: float, args: argparse.Namespace
) -> tuple[float, float] | None:
    """With --draft: the facilitator allocates a draft a second into the storm."""
    if not args.draft:
        return None
    await asyncio.sleep(max(0.0, start + 1.0 - time.time()))
    began = time.time()
    async with httpx.AsyncClient(base_url=url, timeout=args.timeout, trust_env=False) as http:
        await grid_step(http, storm_.slug, storm_.organiser, "allocate")
    ended = time.time()
    print(f"  the draft allocation took {ended - began:.1f} s during the storm")
    return began, ended


async def event_id(database: Database, slug: str) -> int:
    return int((await database.rows("SELECT id FROM event WHERE slug = ?", slug))[0][0])


async def final_counts(database: Database, storm_: Storm) -> dict[str, int]:
    rows = await database.rows(
        "SELECT pitch_id, COUNT(*) FROM dot WHERE event_id = ? GROUP BY pitch_id",
        await event_id(database, storm_.slug),
    )
    return {str(pitch): int(count) for pitch, count in rows}


async def check(database: Database, storm_: Storm) -> None:
    """Lost: acknowledged dots not in the database. Double counted: the storm's dots beyond
    the distinct Idempotency-Keys acknowledged and the votes never answered."""
    rows = await database.rows(
        "SELECT id FROM dot WHERE event_id = ?", await event_id(database, storm_.slug)
    )
    stored = {int(row[0]) for row in rows}
    acked_dots = {int(ack[2]) for ack in storm_.acks}
    keys = {ack[1] for ack in storm_.acks}
    storm_.lost = len(acked_dots - stored) + (len(keys) - len(acked_dots))
    beyond = len(stored) - storm_.earlier_dots - len(keys)
    # A vote whose phone gave up unanswered may still have been stored, once: not a double.
    storm_.unanswered_stored = max(0, min(beyond, len(storm_.failures)))
    storm_.double_counted = max(0, beyond - len(storm_.failures))


# --- the floor -----------------------------------------------------------------------------


async def floor(database: Database, dot_ids: list[int]) -> tuple[float, float]:
    """Votes a second through the raw driver: one transaction each, and FLOOR_BATCH a
    transaction, inserting the storm's acknowledged rows again (then deleting them)."""
    if not dot_ids:
        return 0.0, 0.0
    listed = ",".join(str(i) for i in dot_ids)
    rows = await database.rows(
        f"SELECT event_id, attendee_id, pitch_id FROM dot WHERE id IN ({listed})"
    )
    newest = int((await database.rows("SELECT MAX(id) FROM dot"))[0][0])
    rates = []
    for batch in (1, FLOOR_BATCH):
        began = time.perf_counter()
        if database.sqlite:
            await _sqlite_inserts(database, rows, batch)
        else:
            await _postgres_inserts(database, rows, batch)
        rates.append(len(rows) / (time.perf_counter() - began))
        await database.rows("DELETE FROM dot WHERE id > ? RETURNING id", newest)
    return rates[0], rates[1]


INSERT = "INSERT INTO dot (event_id, attendee_id, pitch_id, placed_at) VALUES (?, ?, ?, ?)"


async def _sqlite_inserts(database: Database, rows: list[tuple[Any, ...]], batch: int) -> None:
    async with database.connection() as db:
        for i in range(0, len(rows), batch):
            now = datetime.now(UTC).isoformat()
            await db.execute("BEGIN")
            await db.executemany(INSERT, [(*row, now) for row in rows[i : i + batch]])
            await db.execute("COMMIT")


async def _postgres_inserts(database: Database, rows: list[tuple[Any, ...]], batch: int) -> None:
    # Eight writers, as a server's pool would have several requests in flight at once.
    chunks = [rows[i : i + batch] for i in range(0, len(rows), batch)]
    queue: asyncio.Queue[list[tuple[Any, ...]]] = asyncio.Queue()
    for chunk in chunks:
        queue.put_nowait(chunk)

    async def writer() -> None:
        async with database.connection() as db:
            while not queue.empty():
                chunk = queue.get_nowait()
                async with db.transaction():
                    now = datetime.now(UTC)
                    await db.executemany(_numbered(INSERT), [(*row, now) for row in chunk])

    await asyncio.gather(*(writer() for _ in range(8)))


# --- the run -------------------------------------------------------------------------------


async def benchmark(args: argparse.Namespace) -> dict[str, Any]:
    task = asyncio.current_task()
    assert task is not None
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, task.cancel)
    children = Children()
    load_before = round(os.getloadavg()[0], 2)
    print(f"Load average before: {load_before:.2f}")
    try:
        with tempfile.TemporaryDirectory(prefix="snug-vote-storm-") as folder:
            async with fresh_database(args, Path(folder)) as url:
                try:
                    figures = await run(children, Path(folder), url, args)
                finally:
                    await children.stop_all()  # before the database is dropped
                    errors = server_errors(Path(folder))
    finally:
        await children.stop_all()
    return {
        **figures,
        "server_errors": errors,
        "load_average_before": load_before,
        "load_average_after": _load(),
    }


def _load() -> float:
    return round(os.getloadavg()[0], 2)


async def run(
    children: Children, folder: Path, url: str, args: argparse.Namespace
) -> dict[str, Any]:
    servers = await start_servers(children, folder, url, args)
    database = Database(url)
    events = 2 if args.second_event else 1
    storms = [await make_event(servers[0].url, args.dots) for _ in range(events)]
    print(f"{events} event(s) made: {PITCHES} pitches, published grid, voting open")
    workers = await Workers.start(children, args.client_processes, PHONES)
    figures = await storm(workers, servers, storms, database, args)
    await ask(workers, [{"op": "close"}] * len(workers.processes), 60)
    if args.http_floor:
        figures["http_floor"] = await http_floor(children, folder, workers, storms, args)
    acked = [int(ack[2]) for s in storms for ack in s.acks]
    acked_votes = len(acked)
    floor_rate, batch_rate = await floor(database, acked)
    results = [summary(s, figures, args) for s in storms]
    for s, result in zip(storms, results, strict=True):
        describe(s, result)
    first = results[0]
    ratio = first["votes_per_s"] / floor_rate if floor_rate and first["votes_per_s"] else None
    batch_ratio = first["votes_per_s"] / batch_rate if batch_rate and first["votes_per_s"] else None
    print(
        f"floor: {floor_rate:.0f} votes/s one transaction each, {batch_rate:.0f} votes/s "
        f"{FLOOR_BATCH} a transaction; Snug is {ratio or 0:.3f} and {batch_ratio or 0:.3f} of them"
    )
    print(f"max loop lag during the storm: {figures['max_loop_lag_ms'] or 0:.0f} ms")
    print(
        f"  cycle-collector pauses: {figures['gc_pauses']} ({figures['gc_full_collections']} "
        f"full), {figures['gc_pause_s']} s in all, the longest "
        f"{at_most(figures['gc_longest_pause_at_most_ms'])}"
    )
    print(
        f"  fan-outs: {figures['broadcasts']}, the longest (from the hub to every screen's "
        f"outbox) {at_most(figures['broadcast_longest_at_most_ms'])}"
    )
    if figures["gap_waits"]:
        print(
            f"  waits for another process's changes: {figures['gap_waits']}, the longest "
            f"{at_most(figures['gap_longest_wait_at_most_ms'])}"
        )
    if "draft_ms" in figures:
        print(f"  during the draft allocation: {figures['draft_loop_lag_ms'] or 0:.0f} ms")
    if "http_floor" in figures:
        f = figures["http_floor"]
        print(
            f"transport floor (the same phones, uvicorn and Starlette answering from memory): "
            f"{f['votes_per_s']} votes/s ({f['votes_by_http']} by HTTP), "
            f"ack p50 / p99 {f['p50_ack_ms']} / {f['p99_ack_ms']} ms"
        )
    return {
        **first,
        "max_loop_lag_ms": rounded(figures["max_loop_lag_ms"]),
        "gc_pauses": figures["gc_pauses"],
        "gc_full_collections": figures["gc_full_collections"],
        "gc_pause_s": figures["gc_pause_s"],
        "gc_longest_pause_at_most_ms": figures["gc_longest_pause_at_most_ms"],
        "gap_waits": figures["gap_waits"],
        "gap_longest_wait_at_most_ms": figures["gap_longest_wait_at_most_ms"],
        "broadcast_longest_at_most_ms": figures["broadcast_longest_at_most_ms"],
        "floor_votes_per_s": rounded(floor_rate),
        "ratio_to_floor": rounded(ratio, 3),
        "batch_floor_votes_per_s": rounded(batch_rate),
        "ratio_to_batch_floor": rounded(batch_ratio, 3),
        "snapshots_s": rounded(figures["snapshots_s"], 2),
        "hello_longest_at_most_ms": figures["hello_longest_at_most_ms"],
        "quiet_wait_s": rounded(figures["quiet_wait_s"]),
        "server_cpu_s": rounded(figures["server_cpu_s"]),
        # Votes a second of the servers' own CPU: what the votes cost, whatever else the
        # machine (and the phones, on the same cores) was doing at the time.
        "votes_per_server_cpu_s": rounded(acked_votes / max(figures["server_cpu_s"], 1e-9)),
        **(
            {
                "draft_ms": rounded(figures["draft_ms"]),
                "draft_loop_lag_ms": rounded(figures["draft_loop_lag_ms"]),
            }
            if "draft_ms" in figures
            else {}
        ),
        **({"second_event": results[1]} if len(results) > 1 else {}),
        **({"http_floor": figures["http_floor"]} if "http_floor" in figures else {}),
        "lost": sum(r["lost"] for r in results),
        "double_counted": sum(r["double_counted"] for r in results),
        "processes": args.processes,
        "tally_frames": args.tally_frames,
        "client_processes": args.client_processes,
        "spread_s": args.spread,
        "dots_over": "http" if args.over_http else "socket",
        "think_s": args.think,
        "database": url.split(":", 1)[0],
        "hub": args.hub_url.split(":", 1)[0],
    }


# --- the HTTP floor ------------------------------------------------------------------------


async def http_floor(
    children: Children,
    folder: Path,
    workers: Workers,
    storms: list[Storm],
    args: argparse.Namespace,
) -> dict[str, Any]:
    """The same phones join and vote, as in the storm, against the bare server stack."""
    # Beside phones.py, which is run by path too: this folder is no package.
    options = argparse.Namespace(database_url=None, uvicorn_args=f"--app-dir {PHONES.parent}")
    bare = await start_snug(
        children, folder, False, options, True, folder / "floor.log", "http_floor:app"
    )
    n = len(workers.processes)
    specs = phone_specs(storms, [bare], args.phones)
    start = time.time() + 1.0
    await ask(
        workers,
        [{"op": "join", "phones": specs[i::n], "start_at": start} for i in range(n)],
        args.timeout,
    )
    if not args.over_http:
        await ask(workers, [{"op": "connect", "start_at": time.time()}] * n, args.timeout)
    request = vote_request(storms, args)
    answers = await ask(
        workers, [{**request, "seed": i} for i in range(n)], args.timeout + args.spread + 30
    )
    await ask(workers, [{"op": "close"}] * n, 60)
    acks = [ack for answer_ in answers for ack in answer_["acks"]]
    latencies = [(ack[4] - ack[3]) * 1000 for ack in acks]
    span = max((a[4] for a in acks), default=0.0) - min((a[3] for a in acks), default=0.0)
    return {
        "votes": len(acks),
        "votes_by_http": sum(ack[6] == "http" for ack in acks),
        "failed_votes": sum(len(a["failures"]) for a in answers),
        "votes_per_s": rounded(len(acks) / span if span > 0 else None),
        "p50_ack_ms": rounded(percentile(latencies, 0.50)),
        "p99_ack_ms": rounded(percentile(latencies, 0.99)),
        "server_cpu_s": rounded(tree_cpu_seconds(bare.pid)),
    }


def summary(s: Storm, figures: dict[str, Any], args: argparse.Namespace) -> dict[str, Any]:
    latencies = [(ack[4] - ack[3]) * 1000 for ack in s.acks]
    first_sent = min((ack[3] for ack in s.acks), default=0.0)
    last_ack = max((ack[4] for ack in s.acks), default=0.0)
    span = last_ack - first_sent
    return {
        "phones": args.phones,
        "joined": s.joined,
        "connected": s.connected,
        # Phones that joined but never had their snapshot: they showed no counts, and their
        # dots went by HTTP, so the storm measured is not the one asked for.
        "unconnected": s.joined - s.connected,
        "votes": len(s.acks),
        "failed_votes": len(s.failures),
        "retried_votes": sum(ack[5] > 1 for ack in s.acks),
        "votes_by_http": sum(ack[6] == "http" for ack in s.acks),
        "joins_per_s": rounded(s.joined / s.join_seconds if s.join_seconds else None),
        "votes_per_s": rounded(len(s.acks) / span if span > 0 else None),
        "p50_ack_ms": rounded(percentile(latencies, 0.50)),
        "p95_ack_ms": rounded(percentile(latencies, 0.95)),
        "p99_ack_ms": rounded(percentile(latencies, 0.99)),
        "max_ack_ms": rounded(max(latencies, default=None)),
        "converged_ms": rounded(s.converged_ms),
        "unconverged_sockets": s.unconverged,
        "dropped_sockets": s.dropped,
        "messages": s.messages,
        "lost": s.lost,
        "double_counted": s.double_counted,
        "unanswered_stored": s.unanswered_stored,
    }


def describe(s: Storm, r: dict[str, Any]) -> None:
    print(f"event {s.slug}:")
    print(f"  {r['joined']} phones joined, {r['joins_per_s']} joins/s")
    print(
        f"  {r['votes']} votes acknowledged ({r['failed_votes']} failed, {r['retried_votes']} "
        f"retried, {r['votes_by_http']} by HTTP), {r['votes_per_s']} votes/s"
    )
    print(
        f"  ack p50 / p95 / p99 / max: {r['p50_ack_ms']} / {r['p95_ack_ms']} / "
        f"{r['p99_ack_ms']} / {r['max_ack_ms']} ms"
    )
    print(
        f"  converged {r['converged_ms']} ms after the last ack ({r['unconverged_sockets']} "
        f"sockets never showed the final counts, {r['dropped_sockets']} dropped)"
    )
    print(f"  {r['lost']} lost, {r['double_counted']} counted twice")
    if s.failures:
        print(f"  first failure: {s.failures[0][2]}")


def arguments(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m tests.benchmarks.vote_storm", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--phones", type=int, default=2000, help="phones per event")
    parser.add_argument("--dots", type=int, default=3, choices=range(1, 21), metavar="1-20")
    parser.add_argument(
        "--database-url", help="a PostgreSQL server's database; a fresh one is made beside it"
    )
    parser.add_argument("--processes", type=int, default=1, help="Snug server processes")
    parser.add_argument("--hub-url", help="the hub they share (default: memory:// for one)")
    parser.add_argument("--client-processes", type=int, default=2)
    parser.add_argument("--spread", type=float, default=2.0, help="seconds the phones start in")
    parser.add_argument(
        "--think", type=float, default=0.0, help="mean seconds a person waits between dots"
    )
    parser.add_argument(
        "--over-http",
        action="store_true",
        help="phones POST their dots, as a page without a live socket does (default: on it)",
    )
    parser.add_argument("--draft", action="store_true", help="allocate a draft mid-storm")
    parser.add_argument("--second-event", action="store_true", help="two events storm at once")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds any phase may take")
    parser.add_argument(
        "--http-floor",
        action="store_true",
        help="then the same phones against uvicorn and Starlette answering from memory",
    )
    parser.add_argument(
        "--grace", type=float, default=30.0, help="seconds to wait for sockets to converge"
    )
    parser.add_argument(
        "--tally-frames",
        type=int,
        default=Settings.tally_frames,
        help="TALLY_FRAMES for each server: frames a second it may spend on live tallies",
    )
    args = parser.parse_args(argv)
    if args.processes > 1 and not (args.hub_url or "").startswith("redis://"):
        parser.error("--processes above 1 needs --hub-url redis://...")
    args.hub_url = args.hub_url or "memory://"
    return args


def main(argv: list[str] | None = None) -> None:
    run_to_end(benchmark, arguments(argv), ("lost", "double_counted", "unconnected"))


if __name__ == "__main__":
    main()
