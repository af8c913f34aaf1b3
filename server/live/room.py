"""Each event's screens in this process, and the fan-out of its changes to them.

One subscription to the hub per event per process, not one per screen. Each change is turned
into text once per role, not once per screen, and handed to every screen in a plain loop that
never waits on a socket: each screen has its own outbox, written by its own task, so a slow
phone delays nobody. Vote counts are absolute, so the counts committed within one tick go out
as one message that covers their seqs; a dot placed every few milliseconds costs each screen
a few messages a second, not hundreds.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Iterable
from typing import Any, Protocol

from server import metrics
from server.events.access import Role
from server.live.hub import Hub, event_channel
from server.live.state import as_seen_by

TICK = 0.1  # seconds to gather vote counts before they go out together
Message = dict[str, Any]


class Listener(Protocol):
    """A screen as the room sees it."""

    role: Role

    def offer(self, first: int, seq: int, text: str) -> None: ...

    def resync(self) -> None: ...


class Room:
    def __init__(self, hub: Hub, event_id: int, on_empty: Callable[[], None]) -> None:
        self.screens: set[Listener] = set()
        self.subscribed = asyncio.Event()
        self._hub, self._event_id, self._on_empty = hub, event_id, on_empty
        self._task = asyncio.create_task(self._run())

    def join(self, screen: Listener) -> None:
        self.screens.add(screen)

    def leave(self, screen: Listener) -> None:
        self.screens.discard(screen)
        if not self.screens:
            self._task.cancel()
            self._on_empty()

    async def _run(self) -> None:
        async with self._hub.subscribe(event_channel(self._event_id)) as queue:
            self.subscribed.set()
            while True:
                batch = [await queue.get()]
                if batch[0].get("kind") == "votes":
                    await asyncio.sleep(TICK)
                while not queue.empty():
                    batch.append(queue.get_nowait())
                self._fan_out(batch)

    def _fan_out(self, batch: list[Message]) -> None:
        with metrics.fan_out_seconds.time():
            self._offer(batch)

    def _offer(self, batch: list[Message]) -> None:
        if any(m.get("type") == "resync" for m in batch):
            for screen in list(self.screens):
                screen.resync()
            return
        for message in coalesce(batch):
            texts: dict[Role, str] = {}
            first = int(message.get("first") or message["seq"])
            for screen in list(self.screens):
                text = texts.get(screen.role)
                if text is None:
                    text = texts[screen.role] = json.dumps(as_seen_by(message, screen.role))
                screen.offer(first, message["seq"], text)
            # Counted once per change rather than per screen: this loop is the hot path.
            metrics.messages_sent.labels("event").inc(len(self.screens))


def coalesce(changes: Iterable[Message]) -> list[Message]:
    """Runs of consecutive vote-count changes become one change covering their seqs, holding
    the latest count of every pitch in the run; everything else passes as it is."""
    merged: list[Message] = []
    for change in changes:
        last = merged[-1] if merged else None
        if (
            last is not None
            and change["kind"] == "votes" == last["kind"]
            and change["seq"] == last["seq"] + 1
        ):
            votes = {**last["data"]["votes"], **change["data"]["votes"]}
            merged[-1] = {
                **change,
                "first": last.get("first", last["seq"]),
                "data": {**change["data"], "votes": votes},
            }
        else:
            merged.append(change)
    return merged


class Rooms:
    """The rooms of this process, made when an event's first screen opens and dropped with
    its last."""

    def __init__(self, hub: Hub) -> None:
        self._hub = hub
        self._rooms: dict[int, Room] = {}

    def enter(self, event_id: int, screen: Listener) -> Room:
        room = self._rooms.get(event_id)
        if room is None:

            def forget() -> None:
                del self._rooms[event_id]

            room = self._rooms[event_id] = Room(self._hub, event_id, forget)
        room.join(screen)
        return room
