"""One client process of the vote-storm benchmark: many phones on one asyncio loop.

Started by tests/benchmarks/vote_storm.py (run by path; it needs nothing but `websockets`).
Each phone keeps one HTTP/1.1 connection, as a browser does, spoken by hand here since a
general client's bookkeeping would cost more than the server's answer on two shared cores,
and one live websocket, whose messages are scanned for vote counts and for the answers to the
dots it carries. As web/static/js/live.js does, a phone places its dots on its socket while it
is open, and by HTTP under the same key when the socket doesn't answer (or with "over":
"http", always). Every wait is bounded.
JSON lines, one request on standard input and one answer on standard output:

    {"op": "join", "phones": [{"event", "slug", "url", "ws"}, ...], "start_at"}
        -> {"joined": {event: phones}, "failed", "error", "last_done"}
    {"op": "connect", "start_at"}
        -> {"connected": {event: phones}, "failed", "error", "last_snapshot"}
    {"op": "vote", "pitches": {event: [pitch id, ...]}, "dots", "start_at", "spread", "think",
     "deadline", "seed", "over": "socket" or "http"}
        -> {"acks": [[event, key, dot id, first sent, acked, attempts, "socket" or "http"], ...],
            "failures": [[event, key, last error], ...]}
    {"op": "settle", "counts": {event: {pitch: final count}}, "deadline"}
        -> {"converged_at": {event: when its last phone here showed every final count, or
            null (also when it has no phones here)}, "unconverged": {event: phones},
            "messages": {event: n}, "dropped": {event: phones}}
    {"op": "close"} -> {"closed"}

Times are time.time(), one clock for every process on the machine.
"""

from __future__ import annotations

import asyncio
import functools
import json
import random
import time
import uuid
from array import array
from bisect import bisect_left
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, cast
from urllib.parse import urlsplit

from websockets.client import ClientProtocol
from websockets.frames import Frame, Opcode
from websockets.http11 import Response
from websockets.typing import Origin
from websockets.uri import parse_uri

from tests.benchmarks.client_process import Operation, answer_requests, run

# As web/static/js/api.js: 15 s for an answer, then again with the same key after 600 ms times
# the attempt squared; a person whose phone says it is offline taps again, so the phones here
# keep trying until the run's deadline.
REQUEST_TIMEOUT = 15.0
SNAPSHOT_TIMEOUT = 60.0


class Http:
    """One kept-alive HTTP/1.1 connection; JSON in and out."""

    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def call(
        self, method: str, path: str, body: Any, headers: dict[str, str]
    ) -> tuple[int, Any]:
        try:
            async with asyncio.timeout(REQUEST_TIMEOUT):
                reused = self.writer is not None
                try:
                    return await self._exchange(method, path, body, headers)
                except ConnectionError:
                    if not reused:
                        raise
                    # The server closed an idle kept-alive connection; a browser sends again
                    # on a new one at once, since nothing of an answer had come.
                    self.close()
                    return await self._exchange(method, path, body, headers)
        except BaseException:
            self.close()  # half an answer may be left on it
            raise

    async def _exchange(
        self, method: str, path: str, body: Any, headers: dict[str, str]
    ) -> tuple[int, Any]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        data = json.dumps(body, separators=(",", ":")).encode()  # as JSON.stringify spells it
        head = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        self.writer.write(
            f"{method} {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(data)}\r\n{head}\r\n".encode()
            + data
        )
        await self.writer.drain()
        status_line = await self.reader.readline()
        if not status_line:
            raise ConnectionResetError("the server closed the connection")
        status = int(status_line.split()[1])
        length, keep = None, True
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            if name.lower() == "content-length":
                length = int(value)
            elif name.lower() == "connection" and value.strip().lower() == "close":
                keep = False
        raw = await (self.reader.read() if length is None else self.reader.readexactly(length))
        if length is None or not keep:
            self.close()
        return status, json.loads(raw) if raw else None

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


def counts_in(node: Any, found: dict[str, int]) -> None:
    """Vote counts anywhere in a message: a "votes" mapping of pitch id to count at any depth
    (a change, a coalesced tally), or a pitch object's {"id", "votes"} (a snapshot's pitches)."""
    if isinstance(node, dict):
        votes = node.get("votes")
        if isinstance(votes, dict):
            found.update({str(k): v for k, v in votes.items() if isinstance(v, int)})
        elif isinstance(votes, int) and "id" in node:
            found[str(node["id"])] = votes
        for value in node.values():
            if isinstance(value, dict | list):
                counts_in(value, found)
    elif isinstance(node, list):
        for value in node:
            counts_in(value, found)


def counts_from(message: Any) -> tuple[tuple[str, int], ...]:
    found: dict[str, int] = {}
    counts_in(message, found)
    return tuple(found.items())


@functools.lru_cache(maxsize=256)
def counts_of(raw: str) -> tuple[tuple[str, int], ...]:
    """The vote counts in a message's text. A process's phones all hear the same tallies, so
    each text is read once rather than once a phone."""
    return counts_from(json.loads(raw))


@dataclass
class Vote:
    """One dot as a phone saw it: its key, when first sent, how many tries, by which road
    its last try went, and the dot's id once acknowledged (else the last error)."""

    key: str
    sent: float
    attempts: int = 0
    road: str = ""
    dot: int | None = None
    error: str = ""


class Closed(Exception):
    """The phone's live socket is closed."""


class LiveSocket(asyncio.Protocol):
    """A phone's live websocket on websockets' sans-I/O core: each message is handed on as its
    bytes arrive, with no task, queue or future a message. On two shared cores the general
    client's bookkeeping for every tally cost the phones more than the servers sending them."""

    def __init__(self, url: str, origin: str, heard: Callable[[str], None]) -> None:
        self.protocol = ClientProtocol(parse_uri(url), origin=Origin(origin), max_size=2**24)
        self.heard = heard
        loop = asyncio.get_running_loop()
        self.opened: asyncio.Future[None] = loop.create_future()
        self.closed: asyncio.Future[None] = loop.create_future()
        self.transport: asyncio.Transport | None = None
        self._parts: list[bytes | bytearray | memoryview] = []

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)  # uvloop's is one, unregistered
        self.protocol.send_request(self.protocol.connect())
        self._flush()

    def data_received(self, data: bytes) -> None:
        self.protocol.receive_data(data)
        for event in self.protocol.events_received():
            if isinstance(event, Response):
                self._answered()
            elif isinstance(event, Frame) and event.opcode in (Opcode.TEXT, Opcode.CONT):
                self._text(event)
        self._flush()

    def _answered(self) -> None:
        """The server answered the handshake: the socket is open, or refused."""
        if self.opened.done():
            return
        refused = self.protocol.handshake_exc
        if refused is None:
            self.opened.set_result(None)
        else:
            self.opened.set_exception(refused)

    def _text(self, frame: Frame) -> None:
        self._parts.append(frame.data)
        if frame.fin:
            text = b"".join(self._parts).decode()
            self._parts.clear()
            self.heard(text)

    def eof_received(self) -> None:
        self.protocol.receive_eof()

    def connection_lost(self, exc: Exception | None) -> None:
        if not self.opened.done():
            self.opened.set_exception(Closed())
        if not self.closed.done():
            self.closed.set_result(None)

    def send(self, text: str) -> None:
        if self.closed.done():
            raise Closed()
        self.protocol.send_text(text.encode())
        self._flush()

    def close(self) -> None:
        if self.transport is not None and not self.closed.done():
            self.protocol.send_close()
            self._flush()
            self.transport.close()

    def _flush(self) -> None:
        if self.transport is not None and not self.transport.is_closing():
            self.transport.writelines(self.protocol.data_to_send())


class Phone:
    def __init__(self, spec: dict[str, Any]) -> None:
        self.event: str = str(spec["event"])
        self.slug: str = spec["slug"]
        self.http = Http(spec["url"])
        self.ws_url: str = spec["ws"]
        self.origin: str = spec["url"]
        self.token: str | None = None
        self.socket: LiveSocket | None = None
        self.snapshot: asyncio.Future[Any] | None = None  # while the socket opens
        # Each pitch's counts as they rose on this screen, and when: kept in arrays, not a
        # tuple a rise, since ten thousand phones' rises in tuples made the collector pass
        # over millions of them, and the phones took the cores the servers were measured on.
        self.rises: dict[str, tuple[array[int], array[float]]] = {}
        self.messages = 0
        self.carried: dict[str, asyncio.Future[dict[str, Any] | None]] = {}

    def show(self, found: tuple[tuple[str, int], ...], at: float) -> None:
        for pitch, count in found:
            counts, times = self.rises.get(pitch) or self.rises.setdefault(
                pitch, (array("q"), array("d"))
            )
            if not counts or count > counts[-1]:
                counts.append(count)
                times.append(at)

    def reached(self, counts: dict[str, int]) -> float | None:
        """When this phone first showed every one of these counts (or more), if it did."""
        latest = 0.0
        for pitch, count in counts.items():
            risen, times = self.rises.get(pitch) or ((), ())
            first = bisect_left(risen, count)  # counts only rise
            if first == len(risen):
                return None
            latest = max(latest, times[first])
        return latest

    async def join(self) -> None:
        status, body = await self.http.call(
            "POST", f"/api/e/{self.slug}/attendees", {"name": ""}, {}
        )
        if status != 201:
            raise RuntimeError(f"join answered {status}: {str(body)[:200]}")
        self.token = body["token"]

    async def open(self) -> None:
        loop = asyncio.get_running_loop()
        self.snapshot = loop.create_future()
        parts = urlsplit(self.ws_url)
        socket: LiveSocket | None = None
        try:
            async with asyncio.timeout(SNAPSHOT_TIMEOUT):
                _transport, socket = await loop.create_connection(
                    lambda: LiveSocket(self.ws_url, self.origin, self.heard),
                    parts.hostname or "127.0.0.1",
                    parts.port or 80,
                )
                socket.closed.add_done_callback(self._unanswered)
                await socket.opened
                socket.send(json.dumps({"type": "hello", "token": self.token}))
                snapshot = await self.snapshot
        except BaseException:
            self.snapshot.cancel()
            if socket is not None:
                socket.close()
            raise
        self.socket = socket
        self.show(counts_from(snapshot), time.time())  # each phone's own: read once, above

    def heard(self, raw: str) -> None:
        """Each message as it arrives: the snapshot while the socket opens, then the answers to
        the dots carried and the vote counts."""
        if self.snapshot is not None and not self.snapshot.done():
            message = json.loads(raw)
            if message.get("type") == "snapshot":
                self.snapshot.set_result(message)
            return
        at = time.time()
        self.messages += 1
        if '"key"' in raw:  # the answer to a dot this phone carried
            self.answered(json.loads(raw))
        elif "votes" in raw:  # the rest (pongs, notices) carries no counts
            self.show(counts_of(raw), at)

    def _unanswered(self, _closed: asyncio.Future[None]) -> None:
        """The socket closed: a snapshot or answers still awaited won't come on it."""
        if self.snapshot is not None and not self.snapshot.done():
            self.snapshot.set_exception(Closed())
        for waiting in self.carried.values():
            if not waiting.done():
                waiting.set_result(None)  # sent again by HTTP

    def answered(self, message: dict[str, Any]) -> None:
        waiting = self.carried.get(message.get("key", ""))
        if waiting is not None and not waiting.done():
            waiting.set_result(message)

    async def carry(self, pitch: int, key: str) -> dict[str, Any] | None:
        """A dot sent on the socket: its placed or error message, or None if unanswered."""
        if self.socket is None or self.socket.closed.done():
            return None
        waiting = asyncio.get_running_loop().create_future()
        self.carried[key] = waiting
        try:
            self.socket.send(json.dumps({"type": "dot", "pitch": pitch, "key": key}))
            async with asyncio.timeout(REQUEST_TIMEOUT):
                return await waiting
        except (Closed, TimeoutError):
            return None
        finally:
            del self.carried[key]

    async def vote(self, pitch: int, deadline: float, over_socket: bool) -> Vote:
        """Places one dot, retrying the same key until the server answers."""
        vote = Vote(uuid.uuid4().hex, time.time())
        while time.time() < deadline:
            vote.attempts += 1
            carried = await self.carry(pitch, vote.key) if over_socket else None
            if carried is None:  # by HTTP, as the page sends a dot its socket didn't answer
                vote.road = "http"
                try:
                    status, body = await self.post_dot(pitch, vote.key)
                except (OSError, TimeoutError, asyncio.IncompleteReadError, ValueError) as exc:
                    status, body = 0, f"{type(exc).__name__}: {exc}"
            elif carried["type"] == "placed":
                vote.road, status, body = "socket", 201, carried["dot"]
            else:
                vote.road, status, body = "socket", carried.get("status", 400), carried["message"]
            if status == 201:
                vote.dot = int(body["id"])
                return vote
            vote.error = f"{status}: {str(body)[:200]}"
            if 0 < status < 500 and status != 429:
                break  # refused for good: retrying would be refused again
            await asyncio.sleep(0.6 * min(vote.attempts, 3) ** 2 + random.random() * 0.4)
        return vote

    async def post_dot(self, pitch: int, key: str) -> tuple[int, Any]:
        headers = {"Authorization": f"Bearer {self.token}", "Idempotency-Key": key}
        return await self.http.call("POST", f"/api/e/{self.slug}/dots", {"pitch": pitch}, headers)

    async def close(self) -> None:
        if self.socket is not None:
            self.socket.close()
        self.http.close()


class Phones:
    def __init__(self) -> None:
        self.all: list[Phone] = []

    async def join(self, request: dict[str, Any]) -> dict[str, Any]:
        self.all = [Phone(spec) for spec in request["phones"]]
        await _until(request["start_at"])
        failures = await _each(self.all, Phone.join)
        done = time.time()
        self.all = [phone for phone in self.all if phone.token is not None]
        return {
            "joined": _by_event(self.all),
            "failed": len(failures),
            "error": failures[0] if failures else None,
            "last_done": done,
        }

    async def connect(self, request: dict[str, Any]) -> dict[str, Any]:
        await _until(request["start_at"])
        failures = await _each(self.all, Phone.open)
        return {
            "connected": _by_event([phone for phone in self.all if phone.socket is not None]),
            "failed": len(failures),
            "error": failures[0] if failures else None,
            "last_snapshot": time.time(),
        }

    async def vote(self, request: dict[str, Any]) -> dict[str, Any]:
        acks: list[list[Any]] = []
        failures: list[list[Any]] = []
        chooser = random.Random(request["seed"])

        async def one(phone: Phone, pitches: list[int], delay: float) -> None:
            await asyncio.sleep(delay)
            for n, pitch in enumerate(pitches):  # one after another, each once the last is answered
                if n:  # and, as a person would, after a moment's thought (none by default)
                    await asyncio.sleep(chooser.uniform(0, 2 * request["think"]))
                vote = await phone.vote(pitch, request["deadline"], request["over"] == "socket")
                if vote.dot is None:
                    failures.append([phone.event, vote.key, vote.error])
                else:
                    answered = time.time()
                    ack = [vote.key, vote.dot, vote.sent, answered, vote.attempts, vote.road]
                    acks.append([phone.event, *ack])

        await _until(request["start_at"])
        await asyncio.gather(
            *(
                one(
                    phone,
                    chooser.sample(request["pitches"][phone.event], request["dots"]),
                    chooser.uniform(0, request["spread"]),
                )
                for phone in self.all
            )
        )
        return {"acks": acks, "failures": failures}

    async def settle(self, request: dict[str, Any]) -> dict[str, Any]:
        counts: dict[str, dict[str, int]] = request["counts"]
        watching = [phone for phone in self.all if phone.socket is not None]
        reached: list[float | None] = []
        while True:
            reached = [phone.reached(counts[phone.event]) for phone in watching]
            if None not in reached or time.time() >= request["deadline"]:
                break
            await asyncio.sleep(0.05)
        answer: dict[str, dict[str, Any]] = {
            name: {} for name in ("converged_at", "unconverged", "messages", "dropped")
        }
        for event in counts:
            mine = [(p, at) for p, at in zip(watching, reached, strict=True) if p.event == event]
            shown = [at for _p, at in mine if at is not None]
            answer["converged_at"][event] = (
                max(shown, default=None) if len(shown) == len(mine) else None
            )
            answer["unconverged"][event] = len(mine) - len(shown)
            answer["messages"][event] = sum(p.messages for p, _at in mine)
            answer["dropped"][event] = sum(
                p.socket is not None and p.socket.closed.done() for p, _at in mine
            )
        return answer

    async def close(self, _request: dict[str, Any] | None = None) -> dict[str, Any]:
        await asyncio.gather(*(phone.close() for phone in self.all), return_exceptions=True)
        closed, self.all = len(self.all), []
        return {"closed": closed}


def _by_event(phones: list[Phone]) -> dict[str, int]:
    counted: dict[str, int] = {}
    for phone in phones:
        counted[phone.event] = counted.get(phone.event, 0) + 1
    return counted


async def _until(at: float) -> None:
    await asyncio.sleep(max(0.0, at - time.time()))


async def _each(phones: list[Phone], step: Callable[[Phone], Awaitable[None]]) -> list[str]:
    """Runs the step for every phone at once; the failures, in words."""
    results = await asyncio.gather(*(step(phone) for phone in phones), return_exceptions=True)
    failures = [r for r in results if isinstance(r, BaseException)]
    for failure in failures:
        if not isinstance(failure, Exception | TimeoutError):
            raise failure  # a cancellation is not a phone's failure
    return [f"{type(f).__name__}: {f}" for f in failures]


async def serve() -> None:
    phones = Phones()
    operations: dict[str, Operation] = {
        "join": phones.join,
        "connect": phones.connect,
        "vote": phones.vote,
        "settle": phones.settle,
        "close": phones.close,
    }
    await answer_requests(operations, phones.close)


if __name__ == "__main__":
    run(serve)
