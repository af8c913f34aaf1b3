"""The room's fan-out: vote counts of one tick merged, everything else passed as it is, and a
screen that can't keep up sent a catch-up instead of stalling the others."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from server.events.access import Role
from server.live.hub import event_channel
from server.live.hub.memory import MemoryHub
from server.live.room import TICK, Rooms, coalesce


def _votes(seq: int, **counts: int) -> dict[str, Any]:
    return {"type": "change", "seq": seq, "kind": "votes", "data": {"votes": counts}}


def test_runs_of_vote_counts_become_one_change_with_the_latest_counts() -> None:
    saved = {"type": "change", "seq": 4, "kind": "pitch.saved", "data": {"pitch": {"id": 1}}}
    merged = coalesce([_votes(1, a=1), _votes(2, b=1), _votes(3, a=2), saved, _votes(5, b=2)])
    assert merged == [
        {**_votes(3, a=2, b=1), "first": 1},
        saved,
        _votes(5, b=2),
    ]
    assert coalesce([_votes(1, a=1), _votes(3, a=2)]) == [_votes(1, a=1), _votes(3, a=2)]


class FakeScreen:
    def __init__(self, role: Role) -> None:
        self.role = role
        self.got: list[tuple[int, int, dict[str, Any]]] = []
        self.resyncs = 0

    def offer(self, first: int, seq: int, text: str) -> None:
        self.got.append((first, seq, json.loads(text)))

    def resync(self) -> None:
        self.resyncs += 1


async def test_a_tick_of_votes_reaches_every_screen_as_one_message_per_role() -> None:
    hub = MemoryHub()
    rooms = Rooms(hub)
    staff, phone = FakeScreen(Role.facilitator), FakeScreen(Role.attendee)
    room = rooms.enter(7, staff)
    rooms.enter(7, phone)
    await room.subscribed.wait()
    for seq in (1, 2, 3):
        await hub.publish(event_channel(7), _votes(seq, a=seq))
    checks = {"type": "change", "seq": 4, "kind": "grid.checks", "data": {"checks": {"x": 1}}}
    await hub.publish(event_channel(7), checks)
    await asyncio.sleep(TICK * 3)
    assert [(f, s) for f, s, _ in staff.got] == [(1, 3), (4, 4)]
    assert staff.got[1][2]["data"] == {"checks": {"x": 1}}
    assert phone.got[1][2]["data"] == {}, "attendees don't see the draft's checks"
    await hub.publish(event_channel(7), {"type": "resync"})
    await asyncio.sleep(0.05)
    assert (staff.resyncs, phone.resyncs) == (1, 1)
    room.leave(staff)
    room.leave(phone)
