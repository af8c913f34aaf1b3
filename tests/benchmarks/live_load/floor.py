"""The floor of the live-load benchmark: the same fan-out written directly on `websockets`.

No framework, no database: what a process can do at best with the library's own broadcast.
Screens connect on any path, send their hello, get a snapshot of the counts and then every
change. The driver opens one more socket on /control and sends one text message per vote,
{"pitch": id}; each one adds a vote to that pitch and is broadcast at once to every screen as
the message Snug sends, {"type": "change", "seq", "kind": "votes", "data": {"votes": {id: n}}}.
With --coalesce-ms M, as Snug does, a vote instead opens a window of M milliseconds (unless one
is open) at whose end one message goes out with the latest counts of the pitches voted on.

    python tests/benchmarks/live_load/floor.py --pitches 10 [--deflate] [--coalesce-ms 0]

It prints "listening <port>" once it accepts connections, and runs until it is terminated.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource

from websockets.asyncio.server import ServerConnection, broadcast, serve


class Floor:
    def __init__(self, pitches: int, window: float) -> None:
        self.counts = {str(pitch): 0 for pitch in range(1, pitches + 1)}
        self.seq = 0
        self.screens: set[ServerConnection] = set()
        self.window = window  # seconds; 0 sends each vote at once
        self.voted: set[str] = set()

    async def handle(self, socket: ServerConnection) -> None:
        if socket.request is not None and socket.request.path == "/control":
            async for raw in socket:
                self.vote(str(json.loads(raw)["pitch"]))
            return
        await socket.recv()  # the hello; who it is changes nothing here
        await socket.send(json.dumps({"type": "snapshot", "state": self.state()}))
        self.screens.add(socket)
        try:
            await socket.wait_closed()
        finally:
            self.screens.discard(socket)

    def state(self) -> dict[str, object]:
        pitches = [{"id": int(pitch), "votes": n} for pitch, n in self.counts.items()]
        return {"seq": self.seq, "pitches": pitches}

    def vote(self, pitch: str) -> None:
        self.counts[pitch] += 1
        opens = not self.voted
        self.voted.add(pitch)
        if not self.window:
            self.broadcast()
        elif opens:
            asyncio.get_running_loop().call_later(self.window, self.broadcast)

    def broadcast(self) -> None:
        self.seq += 1
        data = {"votes": {pitch: self.counts[pitch] for pitch in sorted(self.voted)}}
        self.voted.clear()
        change = {"type": "change", "seq": self.seq, "kind": "votes", "data": data}
        broadcast(self.screens, json.dumps(change))


async def run(pitches: int, deflate: bool, coalesce_ms: float) -> None:
    floor = Floor(pitches, coalesce_ms / 1000)
    async with serve(
        floor.handle,
        "127.0.0.1",
        0,
        compression="deflate" if deflate else None,
        ping_interval=20,  # as Snug's server pings
        ping_timeout=20,
        backlog=2048,  # uvicorn's default
    ) as server:
        port = next(iter(server.sockets)).getsockname()[1]
        print(f"listening {port}", flush=True)
        await server.serve_forever()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pitches", type=int, default=10)
    parser.add_argument("--deflate", action="store_true", help="offer per-message deflate")
    parser.add_argument("--coalesce-ms", type=float, default=0.0, help="0: each vote at once")
    args = parser.parse_args()
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    try:
        import uvloop  # as uvicorn uses when it is installed
    except ImportError:
        asyncio.run(run(args.pitches, args.deflate, args.coalesce_ms))
    else:
        uvloop.run(run(args.pitches, args.deflate, args.coalesce_ms))


if __name__ == "__main__":
    main()
