"""Each event's screens in this process, and the fan-out of its changes to them.

One subscription to the hub per event per process, not one per screen. Each change is turned
into text once per role, not once per screen, and handed to every screen in a plain loop that
never waits on a socket: each screen has its own outbox, written by its own task, so a slow
phone delays nobody.

Tallies (vote counts, headcounts, grid checks) are absolute, so a run of them becomes one
message with the latest of each, covering their seqs, and an event's tallies go out at most
once a tick: a storm of votes costs each screen four messages a second, not one per vote.
Everything else (a pitch, a placement, a notice) goes out as it is, in order: changes committed
by other processes are first put back in seq order (in_order.py).
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Iterable
from typing import Any, Protocol

from server import metrics
from server.config import Settings
from server.events.access import Role
from server.events.models import Event
from server.live.hub import RESYNC, Hub, event_channel
from server.live.in_order import InOrder
from server.live.state import as_seen_by

TICK = 0.25  # seconds between an event's tallies: at most four a second, however fast votes come
# A tick costs a frame to every screen, so a crowded event ticks less often, keeping its
# tallies within the frames a second a process may spend on them (Settings.tally_frames), but
# never less than once in SLOWEST_TICK. Frames cost the sockets' process and the phones alike:
# at 10,000 screens a process, a tally a second cost more than the votes it told of.
SLOWEST_TICK = 2.5
CROWD = 200  # screens offered a change in one turn of the event loop
TALLIES = frozenset({"votes", "headcounts", "grid.checks"})
Message = dict[str, Any]

log = logging.getLogger("snug.room")


class Listener(Protocol):
    """A screen as the room sees it."""

    role: Role

    def offer(self, first: int, seq: int, text: str) -> None: ...

    def resync(self) -> None: ...


class Room:
    def __init__(self, hub: Hub, event_id: int, rooms: Rooms) -> None:
        self.screens: set[Listener] = set()
        self.subscribed = asyncio.Event()
        self._hub, self._event_id, self._rooms = hub, event_id, rooms
        # Whether the organiser keeps vote counts from all but staff: read once subscribed,
        # then followed from the event's own changes (only newer ones: another process's
        # can arrive late). None while the database can't say.
        self.totals_hidden: bool | None = None
        self._hidden_as_of = -1
        self._in_order = InOrder()
        self._task = asyncio.create_task(self._run())

    def join(self, screen: Listener) -> None:
        self.screens.add(screen)

    def leave(self, screen: Listener) -> None:
        self.screens.discard(screen)
        if not self.screens:
            self._task.cancel()
            self._rooms.forget(self._event_id, self)

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        next_tick = 0.0
        async with self._hub.subscribe(event_channel(self._event_id)) as queue:
            self.subscribed.set()
            # Read after subscribing, so the setting is never older than a change to come.
            await self._read_event()
            while True:
                batch = self._ordered(await self._arrivals(queue))
                wait = next_tick - loop.time()
                if batch and wait > 0 and all(m.get("kind") in TALLIES for m in batch):
                    await asyncio.sleep(wait)
                    batch += self._ordered(_drained(queue, []))
                if not batch:
                    continue
                if self.totals_hidden is None or any(m.get("type") == "resync" for m in batch):
                    # After a resync the hub may have lost the setting's change too.
                    await self._read_event()
                await self._fan_out(batch)
                if any(m.get("kind") in TALLIES for m in batch):
                    next_tick = loop.time() + self.tick

    def _ordered(self, changes: list[Message]) -> list[Message]:
        ready = self._in_order.take(changes, asyncio.get_running_loop().time())
        for seconds in self._in_order.waits():
            metrics.gap_wait_seconds.observe(seconds)
        return ready

    async def _arrivals(self, queue: asyncio.Queue[Message]) -> list[Message]:
        """What the hub has brought, waiting for it; or nothing, once changes held back for a
        gap have waited long enough."""
        wait = self._in_order.wait(asyncio.get_running_loop().time())
        try:
            async with asyncio.timeout(wait):
                first = await queue.get()
        except TimeoutError:
            return []
        return _drained(queue, [first])

    @property
    def tick(self) -> float:
        """Seconds between this room's tallies: four a second, fewer for a crowd (all the
        screens of this process, whichever events they follow)."""
        return min(SLOWEST_TICK, max(TICK, self._rooms.crowd() / self._rooms.tally_frames))

    async def _read_event(self) -> None:
        try:
            found = await Event.filter(id=self._event_id).values_list("totals_hidden", "seq")
        except Exception:  # the database away: asked again before the next changes go out
            return
        hidden, seq = found[0] if found else (False, -1)
        self.totals_hidden, self._hidden_as_of = bool(hidden), seq
        if found:
            self._in_order.start_after(seq)

    async def _fan_out(self, batch: list[Message]) -> None:
        with metrics.fan_out_seconds.time():
            try:
                await self._offer(batch)
            except Exception:
                # A change the room can't shape (a bug) must not end the room: every screen
                # would look live while hearing nothing more. Each catches up from the
                # database instead, and the room goes on with the next change.
                metrics.errors.labels("room").inc()
                log.exception("fanning out changes of event %s failed", self._event_id)
                await self._offer([RESYNC])

    async def _offer(self, batch: list[Message]) -> None:
        if any(m.get("type") == "resync" for m in batch):
            for screen in list(self.screens):
                screen.resync()
            return
        for message in coalesce(batch):
            if message["kind"] == "event.updated" and message["seq"] > self._hidden_as_of:
                self.totals_hidden = bool(message["data"]["event"].get("totals_hidden"))
                self._hidden_as_of = message["seq"]
            hidden = bool(self.totals_hidden)
            texts: dict[Role, str] = {}
            first = int(message.get("first") or message["seq"])
            for n, screen in enumerate(list(self.screens), start=1):
                text = texts.get(screen.role)
                if text is None:
                    text = texts[screen.role] = json.dumps(as_seen_by(message, screen.role, hidden))
                screen.offer(first, message["seq"], text)
                if n % CROWD == 0:
                    # Each offer wakes a screen's writer; a crowd woken at once would hold the
                    # loop for one long turn, so it is woken a part at a time, in order.
                    await asyncio.sleep(0)
            # Counted once per change rather than per screen: this loop is the hot path.
            metrics.messages_sent.labels("event").inc(len(self.screens))


def _drained(queue: asyncio.Queue[Message], batch: list[Message]) -> list[Message]:
    """The batch with everything waiting in the queue, a batch of changes opened up."""
    while not queue.empty():
        batch.append(queue.get_nowait())
    return [one for message in batch for one in message.get("changes", [message])]


def coalesce(changes: Iterable[Message]) -> list[Message]:
    """Runs of consecutive tallies become one "tally" change covering their seqs, holding the
    latest count of every pitch in the run and the latest headcounts and checks; everything
    else passes as it is."""
    merged: list[Message] = []
    for change in changes:
        last = merged[-1] if merged else None
        if (
            last is not None
            and change["kind"] in TALLIES
            and (last["kind"] in TALLIES or last["kind"] == "tally")
            and change["seq"] == last["seq"] + 1
        ):
            votes = {**last["data"].get("votes", {}), **change["data"].get("votes", {})}
            data = {**last["data"], **change["data"]} | ({"votes": votes} if votes else {})
            merged[-1] = {
                **change,
                "kind": "tally",
                "first": last.get("first", last["seq"]),
                "data": data,
            }
        else:
            merged.append(change)
    return merged


class Rooms:
    """The rooms of this process, made when an event's first screen opens and dropped with
    its last."""

    def __init__(self, hub: Hub, tally_frames: int = Settings.tally_frames) -> None:
        self._hub = hub
        self.tally_frames = max(1, tally_frames)  # frames a second this process's tallies cost
        self._rooms: dict[int, Room] = {}

    def enter(self, event_id: int, screen: Listener) -> Room:
        room = self._rooms.get(event_id)
        if room is None:
            room = self._rooms[event_id] = Room(self._hub, event_id, self)
        room.join(screen)
        return room

    def forget(self, event_id: int, room: Room) -> None:
        # Only that room: a screen leaving late must not drop the room its event has since.
        if self._rooms.get(event_id) is room:
            del self._rooms[event_id]

    def crowd(self) -> int:
        """The screens of every room in this process."""
        return sum(len(room.screens) for room in self._rooms.values())

    async def publish(self, event_id: int, changes: list[Message]) -> None:
        """Committed changes, in seq order, to the event's screens in every process: one
        message for the batch, so a group commit of a hundred votes is one publish."""
        await self._hub.publish(event_channel(event_id), {"type": "changes", "changes": changes})
