"""Live load: how fast a vote reaches every one of thousands of screens, against the floor.

    python -m tests.benchmarks.live_load [--clients 2000] [--votes-per-second 20] [--seconds 30]
        [--client-processes 4] [--deflate | --no-deflate] [--screens attendee|public]
        [--database-url URL] [--idle-memory-only]

It starts a real Snug server (uvicorn, as tests/conftest.py does, SQLite in a temporary folder
unless --database-url names another database), makes an event with a few pitches through the
HTTP API and joins the voters and the screens' attendees, with rate limits off for this setup
only. Snug is then restarted on the same database (rate limits as the environment sets them)
and the screens connect from separate client processes (tests/benchmarks/live_load/clients.py,
each one asyncio loop). Then a driver here places V dots a second for T seconds over HTTP, each
by a voter who has no dot on that pitch yet, on a steady schedule.

A vote's latency is the time from its send to the moment the LAST screen first showed that
pitch's count at or above the count the vote made. Only the driver votes, so the j-th successful
vote sent to a pitch is taken to make count j: whatever order the server commits them in, count
j cannot exist before the j-th send, so a latency is never credited with time the vote did not
take. Any message that carries counts for a pitch counts as showing them (a change, a coalesced
change, a snapshot). A vote is lost when some screen never showed its count by the end of the
grace period. Everything runs on one machine, so time.time() is one clock for all processes.

The same screens, from the same client processes, are then connected to the floor
(tests/benchmarks/live_load/floor.py): a server written directly on the `websockets` library
that, for each vote the driver sends on its own control socket (no HTTP, no database), adds one
to the count and broadcasts Snug's change message with `websockets.broadcast`; like Snug, it
gathers the votes of a window (--floor-coalesce-ms, default Snug's tick, 250 ms; 0 sends each
vote at once) into one message with the latest counts. Its latency is measured the same way.

Server memory per connection is the growth of the server process's resident memory (VmRSS) from
before the screens connect to after they are all connected and idle, divided by the screens;
it is also given after the votes (buffers and per-message deflate's compressors grow when
messages flow). Snug is restarted on the same database once the event is made, so memory freed
by the joins and reused by the screens does not hide their cost, and a few screens connect and
leave before the weighing, so what the first one sets up is not counted as every screen's.
--idle-memory-only connects idle screens only, without and then with per-message deflate,
against Snug and the floor.

Human-readable lines come first; the last line is one JSON object with the figures. The exit
status is 1 when a vote was lost.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import ctypes
import json
import math
import os
import shlex
import signal
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from websockets.asyncio.client import connect

from server.live.room import TICK
from tests.conftest import ROOT, event_body, free_port

HERE = Path(__file__).with_suffix("")
CLIENTS = HERE / "clients.py"
FLOOR = HERE / "floor.py"
MAX_DOTS = 20  # schemas/defs.json dotsPerAttendee
START_TIMEOUT = 60.0
WARM_UP = 8  # screens connected and closed before the server is weighed
# Snug gathers the counts committed in one tick (server/live/room.py TICK) into one message;
# the floor does the same fan-out, or else, on two cores, the screens that measure it saturate.
FLOOR_WINDOW_MS = TICK * 1000


@dataclass
class Vote:
    pitch: str
    sent: float = 0.0  # time.time() just before sending
    answered: float | None = None  # time.time() when Snug answered the POST
    lag: float = 0.0  # how late the scheduler sent it, in seconds
    ok: bool = False
    error: str | None = None


@dataclass
class Phase:
    """One server's figures: memory with idle screens, and latency when votes flow."""

    name: str
    connected: int = 0
    failed_connections: int = 0
    kib_per_connection: float = 0.0
    kib_per_connection_after_votes: float | None = None
    latencies_ms: list[float] = field(default_factory=list)
    answers_ms: list[float] = field(default_factory=list)  # send to HTTP answer (Snug only)
    votes: int = 0
    failed_votes: int = 0
    lost: int = 0
    missed_deliveries: int = 0
    messages: int = 0
    dropped: int = 0
    send_lag_ms: float = 0.0
    server_cpu_seconds: float = 0.0
    client_cpu_seconds: float = 0.0


# --- processes: everything started here is stopped here, whatever happens -------------------


def _die_with_parent() -> None:
    """If this benchmark is killed outright, its children are told to stop too (Linux)."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


class Children:
    def __init__(self) -> None:
        self.running: list[asyncio.subprocess.Process] = []

    async def start(self, *argv: str, **options: Any) -> asyncio.subprocess.Process:
        # Its own session, so Ctrl-C reaches only this process, which then stops them in order.
        process = await asyncio.create_subprocess_exec(
            *argv, start_new_session=True, preexec_fn=_die_with_parent, **options
        )
        self.running.append(process)
        return process

    async def stop(self, process: asyncio.subprocess.Process) -> None:
        if process.returncode is None:
            process.terminate()
            try:
                await asyncio.wait_for(process.wait(), 10)
            except TimeoutError:
                # Its whole group: a server killed alone leaves its worker pool behind, holding
                # the pipes of whoever reads this benchmark's output.
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                await process.wait()
        if process in self.running:
            self.running.remove(process)

    async def stop_all(self) -> None:
        for process in reversed(list(self.running)):
            await self.stop(process)


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"process {pid} reports no resident memory")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def tree_cpu_seconds(pid: int) -> float:
    """The CPU seconds of a process and of every process under it (a server's workers)."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError):  # a process that ended while being read
            parents[int(stat.parent.name)] = int(stat.read_text().rsplit(")", 1)[1].split()[1])
    tree, grew = {pid}, True
    while grew:
        under = {child for child, parent in parents.items() if parent in tree}
        grew, tree = bool(under - tree), tree | under
    total = 0.0
    for member in tree:
        with contextlib.suppress(OSError):
            total += cpu_seconds(member)
    return total


# --- the two servers -----------------------------------------------------------------------


@dataclass
class Server:
    process: asyncio.subprocess.Process
    url: str  # http:// for Snug, ws:// for the floor

    @property
    def pid(self) -> int:
        return self.process.pid


async def start_snug(
    children: Children,
    data_dir: Path,
    deflate: bool,
    args: argparse.Namespace,
    setup: bool,
    log: Path | None = None,
    app: str = "server.asgi:app",
) -> Server:
    """Snug as a server; for the setup, with no rate limits, since thousands join from one
    address in seconds (the measured server keeps them, or the RATE_LIMIT_SCALE given).
    ``log``: a file for its errors, rather than this terminal. ``app``: another ASGI app to
    serve with the same options, as a floor (tests/benchmarks/vote_storm/http_floor.py)."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "SNUG_DATA_DIR": str(data_dir),
        "DATABASE_URL": args.database_url or f"sqlite://{data_dir / 'snug.sqlite3'}",
        "SECRET_KEY": "live-load-benchmark-secret",
        "PUBLIC_URL": url,
        **({"RATE_LIMIT_SCALE": "0"} if setup else {}),
    }
    errors = None if log is None else log.open("ab")  # the child keeps its own copy
    try:
        process = await children.start(
            sys.executable,
            "-m",
            "uvicorn",
            app,
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
            "--ws-ping-interval",  # the socket options as `snug serve` sets them
            "20",
            "--ws-ping-timeout",
            "20",
            "--ws-max-size",
            str(2 * 2**20),
            "--no-access-log",
            "--no-proxy-headers",  # as `snug serve` without TRUSTED_PROXIES
            "--ws-per-message-deflate",
            str(deflate).lower(),
            *shlex.split(args.uvicorn_args),
            cwd=ROOT,
            env=env,
            stderr=errors,
        )
    finally:
        if errors is not None:
            errors.close()
    deadline = time.monotonic() + START_TIMEOUT
    async with httpx.AsyncClient(trust_env=False) as http:
        while time.monotonic() < deadline and process.returncode is None:
            with contextlib.suppress(httpx.TransportError):
                if (await http.get(f"{url}/healthz", timeout=1)).status_code == 200:
                    return Server(process, url)
            await asyncio.sleep(0.1)
    raise RuntimeError(
        f"Snug did not start; its errors are {'above' if log is None else f'in {log}'}"
    )


async def start_floor(children: Children, deflate: bool, args: argparse.Namespace) -> Server:
    process = await children.start(
        sys.executable,
        str(FLOOR),
        "--pitches",
        str(args.pitches),
        "--coalesce-ms",
        str(args.floor_coalesce_ms),
        *(["--deflate"] if deflate else []),
        stdout=asyncio.subprocess.PIPE,
    )
    assert process.stdout is not None
    line = await asyncio.wait_for(process.stdout.readline(), START_TIMEOUT)
    if not line.startswith(b"listening "):
        raise RuntimeError("The floor server did not start; its errors are above")
    return Server(process, f"ws://127.0.0.1:{int(line.split()[1])}")


# --- the event: pitches, voters and the screens' attendees, made through the API -----------


@dataclass
class Event:
    slug: str
    pitches: list[str]
    voters: list[str]
    screens: list[str | None]  # hello tokens: an attendee's, or None for a public screen


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def answer(response: httpx.Response, status: int) -> Any:
    if response.status_code != status:
        raise RuntimeError(
            f"{response.request.method} {response.request.url.path} answered "
            f"{response.status_code}: {response.text[:300]}"
        )
    return response.json() if response.content else None


async def make_event(url: str, voters: int, screens: int, args: argparse.Namespace) -> Event:
    async with httpx.AsyncClient(base_url=url, timeout=60, trust_env=False) as http:
        made = answer(await http.post("/api/events", json=event_body()), 201)
        slug, organiser = made["slug"], made["organiser_key"]
        attendees = screens if args.screens == "attendee" else 0
        started = time.monotonic()
        tokens = await join(http, slug, args.pitches + voters + attendees)
        print(f"  joined {len(tokens)} attendees in {time.monotonic() - started:.1f} s")
        pitches = []
        for n, token in enumerate(tokens[: args.pitches], start=1):
            made = await http.post(
                f"/api/e/{slug}/pitches", json={"title": f"Pitch {n}"}, headers=bearer(token)
            )
            pitches.append(str(answer(made, 201)["id"]))
        # Each voter places at most one dot on each pitch, so they need as many dots as pitches.
        opened = {"voting_open": True, "dots_per_attendee": args.pitches}
        answer(await http.patch(f"/api/e/{slug}", json=opened, headers=bearer(organiser)), 200)
    voting = tokens[args.pitches : args.pitches + voters]
    watching = tokens[args.pitches + voters :] if attendees else [None] * screens
    return Event(slug, pitches, voting, list(watching))


async def join(http: httpx.AsyncClient, slug: str, count: int) -> list[str]:
    gate = asyncio.Semaphore(16)

    async def one() -> str:
        async with gate:
            response = await http.post(f"/api/e/{slug}/attendees", json={"name": ""})
            return str(answer(response, 201)["token"])

    return list(await asyncio.gather(*(one() for _ in range(count))))


# --- the client processes ------------------------------------------------------------------


class Workers:
    """The client processes, asked the same question at once; see clients.py for the lines."""

    def __init__(self, processes: list[asyncio.subprocess.Process]) -> None:
        self.processes = processes

    @classmethod
    async def start(cls, children: Children, count: int, script: Path = CLIENTS) -> Workers:
        processes = [
            await children.start(
                sys.executable,
                str(script),
                env={**os.environ, "PYTHONPATH": str(ROOT)},  # for tests.benchmarks.client_process
                stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE,
                limit=2**26,
            )
            for _ in range(count)
        ]
        return cls(processes)

    def cpu_seconds(self) -> float:
        return sum(cpu_seconds(process.pid) for process in self.processes)

    async def ask(self, requests: list[dict[str, Any]]) -> list[dict[str, Any]]:
        for process, request in zip(self.processes, requests, strict=True):
            assert process.stdin is not None
            process.stdin.write(json.dumps(request).encode() + b"\n")
            await process.stdin.drain()
        lines = await asyncio.gather(*(self._answer(p) for p in self.processes))
        return [json.loads(line) for line in lines]

    async def _answer(self, process: asyncio.subprocess.Process) -> bytes:
        assert process.stdout is not None
        line = await process.stdout.readline()
        if not line:
            raise RuntimeError("A client process ended early; its errors are above")
        return line

    async def connect(
        self, url: str, origin: str, hellos: list[str | None], deflate: bool
    ) -> tuple[int, int, str | None]:
        count = len(self.processes)
        requests = [
            {
                "op": "connect",
                "url": url,
                "origin": origin,
                "hellos": hellos[i::count],
                "compression": "deflate" if deflate else None,
                "parallel": 16,
            }
            for i in range(count)
        ]
        answers = await self.ask(requests)
        errors = [a["error"] for a in answers if a["error"]]
        connected = sum(a["connected"] for a in answers)
        return connected, sum(a["failed"] for a in answers), errors[0] if errors else None

    async def settle(self, counts: dict[str, int], deadline: float) -> list[dict[str, Any]]:
        request = {"op": "settle", "counts": counts, "deadline": deadline}
        return await self.ask([request] * len(self.processes))

    async def close(self) -> None:
        await self.ask([{"op": "close"}] * len(self.processes))


# --- driving the votes ---------------------------------------------------------------------


def plan(pitches: list[str], total: int) -> list[tuple[Vote, int]]:
    """Votes with their voter's index: voter v's r-th vote goes to pitch (r + v) mod P, so no
    voter votes twice for a pitch, and consecutive votes go to different pitches."""
    voters = math.ceil(total / len(pitches))
    return [
        (Vote(pitches[(i // voters + i % voters) % len(pitches)]), i % voters) for i in range(total)
    ]


async def steadily(
    votes: list[tuple[Vote, int]],
    rate: float,
    send: Callable[[Vote, int], Coroutine[Any, Any, None]],
) -> None:
    """Sends vote i at start + i / rate, without waiting for earlier answers."""
    loop = asyncio.get_running_loop()
    start = loop.time() + 0.1
    sending: list[asyncio.Task[None]] = []
    for i, (vote, voter) in enumerate(votes):
        due = start + i / rate
        await asyncio.sleep(max(0.0, due - loop.time()))
        vote.lag = loop.time() - due
        sending.append(asyncio.create_task(send(vote, voter)))
    await asyncio.gather(*sending)


async def drive_snug(url: str, event: Event, votes: list[tuple[Vote, int]], rate: float) -> None:
    limits = httpx.Limits(max_connections=64, max_keepalive_connections=64)
    async with httpx.AsyncClient(base_url=url, timeout=30, limits=limits, trust_env=False) as http:

        async def cast(vote: Vote, voter: int) -> None:
            vote.sent = time.time()
            try:
                response = await http.post(
                    f"/api/e/{event.slug}/dots",
                    json={"pitch": int(vote.pitch)},
                    headers=bearer(event.voters[voter]),
                )
            except httpx.HTTPError as exc:
                vote.error = f"{type(exc).__name__}: {exc}"
                return
            vote.answered = time.time()
            vote.ok = response.status_code == 201
            if not vote.ok:
                vote.error = f"{response.status_code}: {response.text[:200]}"

        await steadily(votes, rate, cast)


async def drive_floor(url: str, votes: list[tuple[Vote, int]], rate: float) -> None:
    async with connect(f"{url}/control", compression=None, proxy=None) as control:

        async def cast(vote: Vote, _voter: int) -> None:
            vote.sent = time.time()
            await control.send(json.dumps({"pitch": int(vote.pitch)}))
            vote.ok = True

        await steadily(votes, rate, cast)


# --- one phase: connect, weigh, drive, settle, measure -------------------------------------


@dataclass
class Run:
    workers: Workers
    server: Server
    ws_url: str
    origin: str
    hellos: list[str | None]
    deflate: bool


@contextlib.asynccontextmanager
async def screens_on(run: Run, phase: Phase, idle_seconds: float) -> AsyncIterator[int]:
    """Connects the screens and weighs them; yields the server's memory before they came."""
    # A few screens first, so what the first one sets up once is not counted for all of them.
    await run.workers.connect(run.ws_url, run.origin, run.hellos[:WARM_UP], run.deflate)
    await run.workers.close()
    before = rss_kib(run.server.pid)
    started = time.monotonic()
    phase.connected, phase.failed_connections, error = await run.workers.connect(
        run.ws_url, run.origin, run.hellos, run.deflate
    )
    print(
        f"  {phase.name}: {phase.connected} screens connected in "
        f"{time.monotonic() - started:.1f} s, {phase.failed_connections} failed"
        + (f" (first: {error})" if error else "")
    )
    await asyncio.sleep(idle_seconds)
    phase.kib_per_connection = (rss_kib(run.server.pid) - before) / max(phase.connected, 1)
    try:
        yield before
    finally:
        await run.workers.close()


async def measure(
    run: Run,
    phase: Phase,
    votes: list[tuple[Vote, int]],
    drive: Callable[[], Awaitable[None]],
    args: argparse.Namespace,
) -> None:
    async with screens_on(run, phase, args.idle_seconds) as before:
        server_cpu, client_cpu = cpu_seconds(run.server.pid), run.workers.cpu_seconds()
        await drive()
        phase.server_cpu_seconds = cpu_seconds(run.server.pid) - server_cpu
        phase.client_cpu_seconds = run.workers.cpu_seconds() - client_cpu
        finals, tagged = tag([vote for vote, _ in votes])
        reports = await run.workers.settle(finals, time.time() + args.grace)
        after = rss_kib(run.server.pid)
        phase.kib_per_connection_after_votes = (after - before) / max(phase.connected, 1)
    sent = [vote for vote, _ in votes]
    phase.votes = len(sent)
    phase.failed_votes = sum(not vote.ok for vote in sent)
    phase.answers_ms = [(v.answered - v.sent) * 1000 for v in sent if v.answered is not None]
    phase.send_lag_ms = max((vote.lag for vote in sent), default=0.0) * 1000
    phase.messages = sum(r["messages"] for r in reports)
    phase.dropped = sum(r["dropped"] for r in reports)
    phase.missed_deliveries = sum(sum(m) for r in reports for m in r["missing"].values())
    for vote, count in tagged:
        shown = [r["last"][vote.pitch][count - 1] for r in reports]
        if None in shown:
            phase.lost += 1
        else:
            phase.latencies_ms.append((max(shown) - vote.sent) * 1000)
    errors = [vote.error for vote in sent if vote.error]
    if errors:
        print(f"  {phase.name}: {len(errors)} votes refused or failed (first: {errors[0]})")


def tag(votes: list[Vote]) -> tuple[dict[str, int], list[tuple[Vote, int]]]:
    """Final count per pitch, and each successful vote with the count it is taken to make."""
    by_pitch: dict[str, list[Vote]] = defaultdict(list)
    for vote in votes:
        if vote.ok:
            by_pitch[vote.pitch].append(vote)
    tagged = [
        (vote, n)
        for made in by_pitch.values()
        for n, vote in enumerate(sorted(made, key=lambda v: v.sent), start=1)
    ]
    return {pitch: len(made) for pitch, made in by_pitch.items()}, tagged


def percentile(values: list[float], q: float) -> float | None:
    """Nearest rank: the smallest value with at least q of the values at or below it."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


# --- the two modes -------------------------------------------------------------------------


async def snug_run(
    children: Children,
    workers: Workers,
    folder: Path,
    deflate: bool,
    voters: int,
    args: argparse.Namespace,
) -> tuple[Run, Event]:
    """Snug with the event made, restarted afterwards so that the memory the joins left behind
    in the process does not hide what the screens take."""
    made = await start_snug(children, folder, deflate, args, setup=True)
    event = await make_event(made.url, voters, args.clients, args)
    await children.stop(made.process)
    snug = await start_snug(children, folder, deflate, args, setup=False)
    ws_url = f"{snug.url.replace('http', 'ws', 1)}/e/{event.slug}/live"
    return Run(workers, snug, ws_url, snug.url, event.screens, deflate), event


async def floor_run(
    children: Children,
    workers: Workers,
    deflate: bool,
    hellos: list[str | None],
    args: argparse.Namespace,
) -> Run:
    floor = await start_floor(children, deflate, args)
    return Run(workers, floor, f"{floor.url}/live", "http://127.0.0.1", hellos, deflate)


async def full_run(
    children: Children, workers: Workers, args: argparse.Namespace
) -> dict[str, Any]:
    total = round(args.votes_per_second * args.seconds)
    rate = args.votes_per_second
    ours, base = Phase("Snug"), Phase("floor")
    with tempfile.TemporaryDirectory(prefix="snug-live-load-") as folder:
        voters = math.ceil(total / args.pitches)
        run, event = await snug_run(children, workers, Path(folder), args.deflate, voters, args)
        votes = plan(event.pitches, total)
        await measure(
            run, ours, votes, lambda: drive_snug(run.server.url, event, votes, rate), args
        )
        await children.stop(run.server.process)
    floor = await floor_run(children, workers, args.deflate, event.screens, args)
    floor_votes = plan([str(n) for n in range(1, args.pitches + 1)], total)
    await measure(
        floor, base, floor_votes, lambda: drive_floor(floor.server.url, floor_votes, rate), args
    )
    await children.stop(floor.server.process)
    for phase in (ours, base):
        describe(phase)
    p99, floor_p99 = percentile(ours.latencies_ms, 0.99), percentile(base.latencies_ms, 0.99)
    return {
        "clients": ours.connected,
        "votes": ours.votes,
        "failed_votes": ours.failed_votes,
        "p50_ms": rounded(percentile(ours.latencies_ms, 0.50)),
        "p95_ms": rounded(percentile(ours.latencies_ms, 0.95)),
        "p99_ms": rounded(p99),
        "max_ms": rounded(max(ours.latencies_ms, default=None)),
        "lost": ours.lost,
        "missed_deliveries": ours.missed_deliveries,
        "dropped_connections": ours.dropped,
        "messages": ours.messages,
        "kib_per_connection": rounded(ours.kib_per_connection),
        "kib_per_connection_after_votes": rounded(ours.kib_per_connection_after_votes),
        "answer_p50_ms": rounded(percentile(ours.answers_ms, 0.50)),
        "answer_p99_ms": rounded(percentile(ours.answers_ms, 0.99)),
        "server_cpu_seconds": rounded(ours.server_cpu_seconds),
        "client_cpu_seconds": rounded(ours.client_cpu_seconds),
        "send_lag_max_ms": rounded(ours.send_lag_ms),
        "floor_clients": base.connected,
        "floor_p50_ms": rounded(percentile(base.latencies_ms, 0.50)),
        "floor_p95_ms": rounded(percentile(base.latencies_ms, 0.95)),
        "floor_p99_ms": rounded(floor_p99),
        "floor_lost": base.lost,
        "floor_messages": base.messages,
        "floor_kib_per_connection": rounded(base.kib_per_connection),
        "floor_server_cpu_seconds": rounded(base.server_cpu_seconds),
        "floor_client_cpu_seconds": rounded(base.client_cpu_seconds),
        "p99_ratio_vs_floor": rounded(p99 / floor_p99 if p99 and floor_p99 else None, 2),
        **parameters(args),
    }


async def idle_memory(
    children: Children, workers: Workers, args: argparse.Namespace
) -> dict[str, Any]:
    figures: dict[str, Any] = {"mode": "idle-memory"}
    for deflate in (False, True):
        suffix = "deflate" if deflate else "no_deflate"
        label = "with deflate" if deflate else "without deflate"
        ours, base = Phase(f"Snug {label}"), Phase(f"floor {label}")
        with tempfile.TemporaryDirectory(prefix="snug-live-load-") as folder:
            run, event = await snug_run(children, workers, Path(folder), deflate, 0, args)
            async with screens_on(run, ours, args.idle_seconds):
                pass
            await children.stop(run.server.process)
        run = await floor_run(children, workers, deflate, event.screens, args)
        async with screens_on(run, base, args.idle_seconds):
            pass
        await children.stop(run.server.process)
        for phase in (ours, base):
            print(f"{phase.name}: {phase.kib_per_connection:.1f} KiB per idle connection")
        figures[f"clients_{suffix}"] = ours.connected
        figures[f"kib_per_connection_{suffix}"] = rounded(ours.kib_per_connection)
        figures[f"floor_kib_per_connection_{suffix}"] = rounded(base.kib_per_connection)
    return {**figures, **parameters(args)}


def describe(phase: Phase) -> None:
    def spread(values: list[float]) -> str:
        qs = [percentile(values, q) for q in (0.5, 0.95, 0.99, 1.0)]
        return " / ".join("-" if v is None else f"{v:.0f}" for v in qs) + " ms"

    after = phase.kib_per_connection_after_votes or 0.0
    print(f"{phase.name}:")
    print(f"  {phase.connected} screens, {phase.votes} votes sent, {phase.failed_votes} failed")
    print(f"  vote to last screen, p50 / p95 / p99 / max: {spread(phase.latencies_ms)}")
    if phase.answers_ms:
        print(f"  vote to its HTTP answer, p50 / p95 / p99 / max: {spread(phase.answers_ms)}")
    print(
        f"  {phase.lost} votes lost, {phase.missed_deliveries} counts missed by a screen, "
        f"{phase.messages} messages, {phase.dropped} sockets dropped"
    )
    print(
        f"  server memory: {phase.kib_per_connection:.1f} KiB per idle connection, "
        f"{after:.1f} after the votes"
    )
    print(
        f"  CPU while voting: server {phase.server_cpu_seconds:.1f} s, client processes "
        f"{phase.client_cpu_seconds:.1f} s; votes sent at most {phase.send_lag_ms:.0f} ms late"
    )


def rounded(value: float | None, digits: int = 1) -> float | None:
    return None if value is None else round(value, digits)


def parameters(args: argparse.Namespace) -> dict[str, Any]:
    common = {
        "requested_clients": args.clients,
        "client_processes": args.client_processes,
        "screens": args.screens,
        "database": args.database_url.split(":", 1)[0] if args.database_url else "sqlite",
    }
    if args.idle_memory_only:
        return common
    return {
        **common,
        "deflate": args.deflate,
        "votes_per_second": args.votes_per_second,
        "seconds": args.seconds,
        "pitches": args.pitches,
        "floor_coalesce_ms": args.floor_coalesce_ms,
    }


async def benchmark(args: argparse.Namespace) -> dict[str, Any]:
    task = asyncio.current_task()
    assert task is not None
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, task.cancel)
    children = Children()
    # Others' work on the machine shows in the figures; the load says how busy it was.
    load = {"load_average_before": round(os.getloadavg()[0], 2)}
    print(f"Load average before: {load['load_average_before']:.2f}")
    try:
        workers = await Workers.start(children, args.client_processes)
        if args.idle_memory_only:
            figures = await idle_memory(children, workers, args)
        else:
            figures = await full_run(children, workers, args)
        return {**figures, **load, "load_average_after": round(os.getloadavg()[0], 2)}
    finally:
        await children.stop_all()


def arguments(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m tests.benchmarks.live_load", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--clients", type=int, default=2000, help="screens to connect")
    parser.add_argument("--votes-per-second", type=float, default=20.0)
    parser.add_argument("--seconds", type=float, default=30.0, help="how long to vote")
    parser.add_argument("--client-processes", type=int, default=4)
    parser.add_argument(
        "--deflate",
        action=argparse.BooleanOptionalAction,
        default=False,
        help="per-message deflate on the server and offered by the screens (default: off)",
    )
    parser.add_argument(
        "--screens",
        choices=["attendee", "public"],
        default="attendee",
        help="screens say hello with an attendee's token, or as the public (default: attendee)",
    )
    parser.add_argument(
        "--pitches",
        type=int,
        default=10,
        choices=range(1, MAX_DOTS + 1),
        metavar="1-20",
        help="pitches voted on (default 10); each voter has a dot for each",
    )
    parser.add_argument(
        "--floor-coalesce-ms",
        type=float,
        default=FLOOR_WINDOW_MS,
        help="the floor gathers votes this long before it broadcasts their latest counts, as "
        f"Snug does (default {FLOOR_WINDOW_MS:g}, Snug's tick; 0 broadcasts each vote at once)",
    )
    parser.add_argument("--database-url", help="Snug's database (default: SQLite, temporary)")
    parser.add_argument("--uvicorn-args", default="", help="more options for uvicorn, quoted")
    parser.add_argument(
        "--grace", type=float, default=10.0, help="seconds after the last vote to wait for it"
    )
    parser.add_argument(
        "--idle-seconds", type=float, default=3.0, help="idle time before weighing the server"
    )
    parser.add_argument(
        "--idle-memory-only",
        action="store_true",
        help="only weigh idle connections, without and with per-message deflate",
    )
    return parser.parse_args(argv)


def run_to_end(
    measure: Callable[[argparse.Namespace], Coroutine[Any, Any, dict[str, Any]]],
    args: argparse.Namespace,
    faults: tuple[str, ...],
) -> None:
    """Runs a benchmark, prints its figures as the last line, and exits 1 when any of the
    ``faults`` is not 0 (a lost vote is a fault, whatever the speed)."""
    try:
        figures = asyncio.run(measure(args))
    except (KeyboardInterrupt, asyncio.CancelledError):
        print("Stopped; every process it started has been stopped too.", file=sys.stderr)
        sys.exit(130)
    print(json.dumps(figures))
    if any(figures.get(fault) for fault in faults):
        sys.exit(1)


def main(argv: list[str] | None = None) -> None:
    run_to_end(benchmark, arguments(argv), ("lost", "floor_lost"))


if __name__ == "__main__":
    main()
