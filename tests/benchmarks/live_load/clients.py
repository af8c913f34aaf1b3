"""One client process of the live-load benchmark: many screens on one asyncio loop.

Started by tests/benchmarks/live_load.py (run by path, so it needs nothing but `websockets`). It
speaks JSON lines, one request on standard input and one answer on standard output:

    {"op": "connect", "url", "origin", "hellos": [token or null, ...], "compression", "parallel"}
        -> {"connected": n, "failed": n, "error": the first failure or null}
    {"op": "settle", "counts": {pitch: final count}, "deadline": epoch seconds}
        -> {"last": {pitch: [for counts 1..final, the time the last screen here first showed
            that count or more; null when some screen never did]},
            "missing": {pitch: [for counts 1..final, how many screens here never showed it]},
            "messages": messages after the snapshots, "dropped": screens whose socket closed}
    {"op": "close"} -> {"closed": n}

The end of standard input ends the process. On the hot path a screen only parses the message
and appends (count, time) when a pitch's count goes up; the latency sums happen at "settle".
"""

from __future__ import annotations

import asyncio
import json
import time
from collections import defaultdict
from typing import Any

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, WebSocketException
from websockets.typing import Origin

from tests.benchmarks.client_process import Operation, answer_requests, run

SNAPSHOT_TIMEOUT = 60.0


class Screen:
    """One connected screen and what it has shown: per pitch, each rise of the count and when."""

    def __init__(self, socket: ClientConnection) -> None:
        self.socket = socket
        self.best: dict[str, int] = {}
        self.rises: dict[str, list[tuple[int, float]]] = defaultdict(list)
        self.messages = 0
        self.open = True
        self.listener: asyncio.Task[None] | None = None

    def show(self, counts: dict[str, int], at: float) -> None:
        for pitch, count in counts.items():
            if count > self.best.get(pitch, -1):
                self.best[pitch] = count
                self.rises[pitch].append((count, at))

    def reached(self, counts: dict[str, int]) -> bool:
        return all(self.best.get(pitch, -1) >= count for pitch, count in counts.items())

    def first_times(self, pitch: str, final: int) -> list[float | None]:
        """For counts 1..final, when this screen first showed that count or more."""
        rises = self.rises.get(pitch, [])
        times: list[float | None] = []
        i = 0
        for count in range(1, final + 1):
            while i < len(rises) and rises[i][0] < count:
                i += 1
            times.append(rises[i][1] if i < len(rises) else None)
        return times

    async def listen(self) -> None:
        try:
            async for raw in self.socket:
                at = time.time()
                self.messages += 1
                self.show(counts_in(json.loads(raw)), at)
        except ConnectionClosed:
            pass
        finally:
            self.open = False


def counts_in(message: dict[str, Any]) -> dict[str, int]:
    """The vote counts a message shows, whatever its kind: a snapshot's pitches, or any message
    whose data carries counts by pitch (single changes and coalesced ones alike)."""
    if message.get("type") == "snapshot":
        return {str(p["id"]): int(p["votes"]) for p in message["state"].get("pitches", [])}
    data = message.get("data")
    votes = data.get("votes") if isinstance(data, dict) else None
    return {str(k): int(v) for k, v in votes.items()} if isinstance(votes, dict) else {}


class Screens:
    def __init__(self) -> None:
        self.all: list[Screen] = []

    async def connect(self, request: dict[str, Any]) -> dict[str, Any]:
        gate = asyncio.Semaphore(request["parallel"])
        errors: list[str] = []

        async def one(token: str | None) -> None:
            async with gate:
                try:
                    self.all.append(await open_screen(request, token))
                except (OSError, TimeoutError, WebSocketException, ValueError) as exc:
                    errors.append(f"{type(exc).__name__}: {exc}")

        await asyncio.gather(*(one(token) for token in request["hellos"]))
        return {
            "connected": len(request["hellos"]) - len(errors),
            "failed": len(errors),
            "error": errors[0] if errors else None,
        }

    async def settle(self, request: dict[str, Any]) -> dict[str, Any]:
        counts: dict[str, int] = request["counts"]
        while time.time() < request["deadline"]:
            if all(screen.reached(counts) for screen in self.all):
                break
            await asyncio.sleep(0.05)
        last: dict[str, list[float | None]] = {}
        missing: dict[str, list[int]] = {}
        for pitch, final in counts.items():
            latest: list[float] = [0.0] * final
            absent = [0] * final
            for screen in self.all:
                for i, at in enumerate(screen.first_times(pitch, final)):
                    if at is None:
                        absent[i] += 1
                    else:
                        latest[i] = max(latest[i], at)
            last[pitch] = [None if absent[i] else latest[i] for i in range(final)]
            missing[pitch] = absent
        return {
            "last": last,
            "missing": missing,
            "messages": sum(screen.messages for screen in self.all),
            "dropped": sum(not screen.open for screen in self.all),
        }

    async def close(self, _request: dict[str, Any] | None = None) -> dict[str, Any]:
        closed = len(self.all)
        for screen in self.all:
            if screen.listener is not None:
                screen.listener.cancel()
        await asyncio.gather(*(s.socket.close() for s in self.all), return_exceptions=True)
        self.all = []
        return {"closed": closed}


async def open_screen(request: dict[str, Any], token: str | None) -> Screen:
    socket = await connect(
        request["url"],
        origin=Origin(request["origin"]),
        compression=request["compression"],
        proxy=None,
        ping_interval=None,  # browsers answer the server's pings but send none of their own
        open_timeout=SNAPSHOT_TIMEOUT,
        close_timeout=2,
    )
    screen = Screen(socket)
    try:
        await socket.send(json.dumps({"type": "hello", "token": token}))
        async with asyncio.timeout(SNAPSHOT_TIMEOUT):
            while True:
                message = json.loads(await socket.recv())
                if message.get("type") == "snapshot":
                    break
    except BaseException:
        await socket.close()
        raise
    screen.show(counts_in(message), time.time())
    screen.listener = asyncio.create_task(screen.listen())
    return screen


async def serve() -> None:
    screens = Screens()
    operations: dict[str, Operation] = {
        "connect": screens.connect,
        "settle": screens.settle,
        "close": screens.close,
    }
    await answer_requests(operations, screens.close)


if __name__ == "__main__":
    run(serve)
