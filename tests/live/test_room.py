"""The room's fan-out: the tallies of one tick merged, everything else passed as it is, at most
one tally a tick, and a screen that can't keep up sent a catch-up instead of stalling the
others."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from itertools import pairwise
from typing import Any

from server.config import Settings
from server.events.access import Role
from server.events.models import Event
from server.live.hub import event_channel
from server.live.hub.memory import MemoryHub
from server.live.in_order import GAP_WAIT
from server.live.room import CROWD, SLOWEST_TICK, TICK, Rooms, coalesce
from tests.conftest import Domain
from tests.marketplace.test_pitches import voting

NO_SUCH_EVENT = 2_000_000_011


def _votes(seq: int, **counts: int) -> dict[str, Any]:
    return {"type": "change", "seq": seq, "kind": "votes", "data": {"votes": counts}}


def _tally(first: int, seq: int, **data: Any) -> dict[str, Any]:
    return {"type": "change", "seq": seq, "kind": "tally", "first": first, "data": data}


def test_runs_of_tallies_become_one_change_with_the_latest_of_each() -> None:
    saved = {"type": "change", "seq": 4, "kind": "pitch.saved", "data": {"pitch": {"id": 1}}}
    heads = {"type": "change", "seq": 6, "kind": "headcounts", "data": {"headcounts": {"1": 3}}}
    merged = coalesce(
        [_votes(1, a=1), _votes(2, b=1), _votes(3, a=2), saved, _votes(5, b=2), heads]
    )
    assert merged == [
        _tally(1, 3, votes={"a": 2, "b": 1}),
        saved,
        _tally(5, 6, votes={"b": 2}, headcounts={"1": 3}),
    ]
    assert coalesce([_votes(1, a=1), _votes(3, a=2)]) == [_votes(1, a=1), _votes(3, a=2)]


class FakeScreen:
    def __init__(self, role: Role) -> None:
        self.role = role
        self.got: list[tuple[int, int, dict[str, Any]]] = []
        self.resyncs = 0
        self.heard = asyncio.Event()

    def offer(self, first: int, seq: int, text: str) -> None:
        self.got.append((first, seq, json.loads(text)))
        self.heard.set()

    def resync(self) -> None:
        self.resyncs += 1
        self.heard.set()


async def test_a_tick_of_tallies_reaches_every_screen_as_one_message_per_role() -> None:
    hub = MemoryHub()
    rooms = Rooms(hub)
    staff, phone = FakeScreen(Role.facilitator), FakeScreen(Role.attendee)
    room = rooms.enter(7, staff)
    rooms.enter(7, phone)
    await room.subscribed.wait()
    checks = {"type": "change", "seq": 4, "kind": "grid.checks", "data": {"checks": {"x": 1}}}
    await rooms.publish(7, [_votes(1, a=1), _votes(2, a=2), _votes(3, a=3), checks])
    await asyncio.sleep(TICK / 5)
    assert [(f, s) for f, s, _ in staff.got] == [(1, 4)]
    assert staff.got[0][2]["data"] == {"votes": {"a": 3}, "checks": {"x": 1}}
    assert phone.got[0][2]["data"] == {"votes": {"a": 3}}, "attendees don't see the checks"
    await hub.publish(event_channel(7), {"type": "resync"})
    await asyncio.sleep(0.05)
    assert (staff.resyncs, phone.resyncs) == (1, 1)
    room.leave(staff)
    room.leave(phone)


async def test_tallies_go_out_at_most_once_a_tick_and_other_changes_at_once() -> None:
    hub = MemoryHub()
    rooms = Rooms(hub)
    screen = FakeScreen(Role.attendee)
    room = rooms.enter(8, screen)
    await room.subscribed.wait()
    loop = asyncio.get_running_loop()
    started = loop.time()
    seen: list[float] = []
    for seq in range(1, 41):  # a vote every 10 ms for 0.4 s
        await rooms.publish(8, [_votes(seq, a=seq)])
        await asyncio.sleep(0.01)
        if len(screen.got) > len(seen):
            seen.append(loop.time() - started)
    await asyncio.sleep(TICK * 2)
    assert screen.got[-1][1] == 40, "the last tally covers the last vote"
    assert screen.got[-1][2]["data"] == {"votes": {"a": 40}}
    assert all(b[0] == a[1] + 1 for a, b in pairwise(screen.got)), "each takes on from the last"
    assert len(screen.got) <= 0.5 / TICK + 2, "no more than one tally a tick"
    pitch = {"id": 1, "hidden": False}
    saved = {"type": "change", "seq": 41, "kind": "pitch.saved", "data": {"pitch": pitch}}
    await rooms.publish(8, [saved])
    await asyncio.sleep(0.02)
    assert screen.got[-1][2]["kind"] == "pitch.saved", "a pitch doesn't wait for the tick"
    room.leave(screen)


async def test_a_change_the_room_cannot_shape_sends_screens_to_catch_up_and_the_room_goes_on(
    caplog: Any,
) -> None:
    hub = MemoryHub()
    rooms = Rooms(hub)
    screen = FakeScreen(Role.attendee)
    room = rooms.enter(9, screen)
    await room.subscribed.wait()
    broken = {"type": "change", "seq": 1, "kind": "pitch.saved", "data": {"pitch": {"id": 1}}}
    await rooms.publish(9, [broken])  # no "hidden": shaping it for attendees fails
    await asyncio.sleep(0.05)
    assert screen.resyncs == 1, "told to catch up from the database"
    assert "fanning out changes of event 9 failed" in caplog.text
    await rooms.publish(9, [_votes(2, a=1)])
    await asyncio.sleep(0.05)
    assert screen.got[-1][1] == 2, "the room still fans out what comes next"
    room.leave(screen)


async def test_a_crowded_room_ticks_less_often_but_at_least_every_few_seconds() -> None:
    """Each tick is a frame to every screen: a crowd is sent its tallies less often, so a storm
    costs the same frames a second however many are watching."""
    frames = Settings.tally_frames
    rooms = Rooms(MemoryHub())
    screens = [FakeScreen(Role.attendee) for _ in range(frames * 3)]
    room = rooms.enter(9, screens[0])
    ticks = {}
    for crowd in (1, frames // 4, frames // 2, frames * 2, frames * 3):
        for screen in screens[:crowd]:
            room.join(screen)
        ticks[crowd] = room.tick
    assert ticks[1] == ticks[frames // 4] == TICK, "four a second for a room of a thousand"
    assert ticks[frames // 2] == 0.5, "twice a second for two thousand"
    assert ticks[frames * 2] == 2.0, "every two seconds for eight thousand"
    assert ticks[frames * 3] == SLOWEST_TICK == 2.5, "never less than every two and a half"
    for screen in screens:
        room.leave(screen)


async def test_the_frames_for_tallies_are_shared_by_every_event_of_the_process() -> None:
    """Processes that share cores can be given fewer frames; two events of 500 screens cost
    the process as many frames as one of 1,000."""
    rooms = Rooms(MemoryHub(), tally_frames=1000)
    screens = [FakeScreen(Role.attendee) for _ in range(1000)]
    one, other = rooms.enter(12, screens[0]), rooms.enter(13, screens[500])
    for screen in screens[:500]:
        one.join(screen)
    for screen in screens[500:]:
        other.join(screen)
    assert one.tick == other.tick == 1.0, "a thousand screens, a thousand frames: once a second"
    for screen in screens[:500]:
        one.leave(screen)
    assert other.tick == 0.5, "the other event's 500 alone: twice a second"
    for screen in screens[500:]:
        other.leave(screen)


async def test_a_crowd_is_offered_a_change_a_part_at_a_time_and_all_of_it_in_order() -> None:
    """Offering one change to thousands of screens wakes thousands of writers; it is spread
    over turns of the loop, so nothing else waits behind one long turn."""
    turns = 0

    async def count_turns() -> None:
        nonlocal turns
        while True:
            turns += 1
            await asyncio.sleep(0)

    class Timed(FakeScreen):
        def offer(self, first: int, seq: int, text: str) -> None:
            super().offer(first, seq, text)
            self.turn = turns

    rooms = Rooms(MemoryHub())
    screens = [Timed(Role.attendee) for _ in range(CROWD * 3)]
    room = rooms.enter(10, screens[0])
    for screen in screens[1:]:
        room.join(screen)
    await room.subscribed.wait()
    counter = asyncio.create_task(count_turns())
    pitch = {"id": 1, "hidden": False}
    saved = {"type": "change", "seq": 1, "kind": "pitch.saved", "data": {"pitch": pitch}}
    await rooms.publish(10, [saved])
    await asyncio.sleep(0.05)
    counter.cancel()
    assert all([s for _f, s, _m in screen.got] == [1] for screen in screens)
    offered_in = sorted({screen.turn for screen in screens})
    assert len(offered_in) >= 3, "three crowds' worth, offered over three turns at least"
    for screen in screens:
        room.leave(screen)


async def test_changes_committed_by_other_processes_reach_screens_in_seq_order() -> None:
    """Another process's commit can reach the hub after a later one's: the room waits for it
    rather than hand screens a gap they would fill from the database."""
    # No event of this id, so the room starts from the first change it hears, not from the
    # seq of an event another test left behind.
    rooms = Rooms(MemoryHub())
    screen = FakeScreen(Role.attendee)
    room = rooms.enter(NO_SUCH_EVENT, screen)
    await room.subscribed.wait()

    def saved(seq: int) -> dict[str, Any]:
        pitch = {"id": seq, "hidden": False}
        return {"type": "change", "seq": seq, "kind": "pitch.saved", "data": {"pitch": pitch}}

    await rooms.publish(NO_SUCH_EVENT, [saved(1)])
    await rooms.publish(NO_SUCH_EVENT, [saved(3), saved(4)])
    await until(screen, lambda: len(screen.got) == 1)
    await asyncio.sleep(GAP_WAIT / 4)
    assert [s for _f, s, _m in screen.got] == [1], "3 and 4 wait for 2"
    await rooms.publish(NO_SUCH_EVENT, [saved(2)])
    await until(screen, lambda: len(screen.got) == 4)
    assert [s for _f, s, _m in screen.got] == [1, 2, 3, 4]
    loop = asyncio.get_running_loop()
    published = loop.time()
    await rooms.publish(NO_SUCH_EVENT, [saved(6)])
    await until(screen, lambda: len(screen.got) == 5, GAP_WAIT + 5)
    assert loop.time() - published >= GAP_WAIT * 0.9, "6 waited for 5"
    assert [s for _f, s, _m in screen.got] == [1, 2, 3, 4, 6], "5 never came: 6 went anyway"
    assert screen.resyncs == 0
    room.leave(screen)


async def test_a_room_awaits_the_changes_after_the_seq_its_event_had_when_it_began(
    domain: Domain,
) -> None:
    event = await voting(domain)
    await Event.filter(id=event.id).update(totals_hidden=True)
    seq = (await domain.refresh(event)).seq
    rooms = Rooms(MemoryHub())
    screen = FakeScreen(Role.attendee)
    room = rooms.enter(event.id, screen)
    await room.subscribed.wait()
    late = {"type": "change", "seq": seq, "kind": "event.updated"}
    await rooms.publish(event.id, [_votes(seq + 2, a=2)])
    await asyncio.sleep(GAP_WAIT / 4)
    assert screen.got == [], "seq + 2 waits for seq + 1"
    await rooms.publish(event.id, [{**late, "data": {"event": {"totals_hidden": False}}}])
    await until(screen, lambda: len(screen.got) + screen.resyncs >= 1)
    assert room.totals_hidden is True, "a change from before the room began changes nothing"
    await rooms.publish(event.id, [_votes(seq + 1, a=1)])
    await until(screen, lambda: any(s == seq + 2 for _f, s, _m in screen.got))
    assert [(f, s) for f, s, _m in screen.got][-1] == (seq + 1, seq + 2), "one tally, in order"
    room.leave(screen)


async def until(screen: FakeScreen, done: Callable[[], bool], within: float = 5.0) -> None:
    """Waits as long as a loaded machine needs for what the screen heard to make ``done``
    true, failing after ``within`` seconds."""
    async with asyncio.timeout(within):
        while True:
            screen.heard.clear()
            if done():
                return
            await screen.heard.wait()


async def test_a_screen_leaving_an_emptied_room_again_leaves_the_events_new_room_alone() -> None:
    rooms = Rooms(MemoryHub())
    first, second = FakeScreen(Role.attendee), FakeScreen(Role.attendee)
    old = rooms.enter(14, first)
    old.leave(first)
    new = rooms.enter(14, second)
    assert new is not old
    old.leave(first)  # late, twice
    assert rooms.enter(14, first) is new, "the event keeps its room"
    new.leave(first)
    new.leave(second)
