"""Group commit: writes to one event gathered into few transactions, each answered only once
committed, a bad one failing alone; and the follow-ups that votes set off, after commit."""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from tortoise import connections
from tortoise.backends.base.client import TransactionalDBClient

from server import metrics
from server.errors import Conflict, NotFound, Refused
from server.events import receipts
from server.events.access import SNUG
from server.events.changes import Change, Receipt
from server.events.journal import Journal
from server.events.models import Event
from server.events.writes import ANSWERED_AT_ONCE, BATCH, Reaction, Writes
from server.grid import editing
from server.grid.models import Placement
from server.marketplace import dots, pitches
from server.marketplace.models import Dot, Pitch
from tests.conftest import Domain
from tests.marketplace.test_pitches import new_pitch, voting


def _batches() -> tuple[float, float]:
    """Batches committed so far, and the writes in them."""
    found = {s.name: s.value for m in metrics.write_batch.collect() for s in m.samples}
    return found["snug_write_batch_size_count"], found["snug_write_batch_size_sum"]


def _place(domain: Domain, event: Any, voter: Any, pitch: int, key: str | None = None) -> Any:
    """A dot placed as a phone places it: its batch inserts it with the others'."""
    asked = receipts.fingerprint("POST", "/api/e/x/dots", b'{"pitch": %d}' % pitch)
    return domain.writes.run(event, voter, dots.placing(pitch), key=key, fingerprint=asked)


async def test_a_storm_of_votes_is_committed_in_few_transactions(
    domain: Domain, caplog: pytest.LogCaptureFixture
) -> None:
    event = await voting(domain)
    staff = await domain.organiser(event)
    pitch = await new_pitch(domain, event, staff)
    voters = [await domain.attendee(event) for _ in range(60)]
    start = (await domain.refresh(event)).seq
    batches, writes = _batches()
    with caplog.at_level(logging.DEBUG, logger="tortoise.db_client"):
        placed = await asyncio.gather(*(_place(domain, event, v, pitch) for v in voters))
    batches_after, writes_after = _batches()
    assert writes_after - writes == 60
    assert batches_after - batches < 20, "sixty writes at once share transactions"
    inserts = [r for r in caplog.records if r.getMessage().startswith('INSERT INTO "dot"')]
    assert len(inserts) == batches_after - batches, "one insert of dots a batch"
    # Each vote is told its own dot.
    stored = dict(await Dot.filter(pitch_id=pitch).values_list("id", "attendee_id"))
    assert {p["id"]: stored.get(p["id"]) for p in placed} == {
        p["id"]: v.attendee.id for p, v in zip(placed, voters, strict=True)
    }
    assert len(stored) == 60
    # The sixty votes' counts are recorded once per batch, after its writes, gap-free.
    votes = await Change.filter(event_id=event.id, seq__gt=start, kind="votes").order_by("seq")
    end = (await domain.refresh(event)).seq
    assert [c.seq for c in votes] == list(range(start + 1, end + 1))
    assert len(votes) == batches_after - batches
    counts = [c.data["votes"][str(pitch)] for c in votes]
    assert counts == sorted(counts) and counts[-1] == 60


async def test_a_write_that_fails_in_a_batch_fails_alone_and_changes_nothing(
    domain: Domain,
) -> None:
    event = await voting(domain, dots_per_attendee=1)
    staff = await domain.organiser(event)
    first, second = [await new_pitch(domain, event, staff, t) for t in ("One", "Two")]
    sam, ann = await domain.attendee(event), await domain.attendee(event)
    start = (await domain.refresh(event)).seq

    async def broken(journal: Journal) -> None:
        await journal.record("votes", {"votes": {str(first): 99}})
        await Dot.create(event=journal.event, attendee=ann.attendee, pitch_id=first)
        raise RuntimeError("a bug halfway through a write")

    results = await asyncio.gather(
        _place(domain, event, sam, first),
        domain.writes.run(event, staff, broken),
        _place(domain, event, sam, second),  # one dot only: refused
        _place(domain, event, ann, second),
        return_exceptions=True,
    )
    assert isinstance(results[0], dict) and isinstance(results[3], dict)
    assert await Dot.get(id=results[0]["id"], attendee=sam.attendee, pitch_id=first)
    assert await Dot.get(id=results[3]["id"], attendee=ann.attendee, pitch_id=second)
    assert isinstance(results[1], RuntimeError)
    assert isinstance(results[2], Conflict)
    dots_now = await Dot.filter(event_id=event.id).values_list("attendee_id", "pitch_id")
    assert sorted(dots_now) == sorted([(sam.attendee.id, first), (ann.attendee.id, second)])
    # One batch: its two votes' counts recorded once, and nothing of the broken write.
    changes = await Change.filter(event_id=event.id, seq__gt=start).order_by("seq")
    assert [(c.seq, c.kind) for c in changes] == [(start + 1, "votes")], "no number for it"
    assert changes[0].data["votes"] == {str(first): 1, str(second): 1}
    assert (await domain.refresh(event)).seq == start + 1


async def _published(domain: Domain) -> tuple[Event, Any, list[int]]:
    event = await voting(domain)
    staff = await domain.organiser(event)
    pitches = [await new_pitch(domain, event, staff, f"P{i}") for i in range(2)]
    event = await domain.refresh(event)
    room, slot = (await event.rooms.all())[0].id, (await event.slots.all())[0].id
    await domain.run(event, staff, editing.move, 0, pitches[0], (room, slot))
    await domain.run(event, staff, editing.publish, 1)
    await domain.writes.idle()
    return event, staff, pitches


async def test_votes_are_followed_by_headcounts_and_checks_after_commit_not_per_vote(
    domain: Domain,
) -> None:
    event, _staff, pitches = await _published(domain)
    start = (await domain.refresh(event)).seq
    voters = [await domain.attendee(event) for _ in range(30)]
    for voter in voters:  # one after another, as fast as they are answered
        await domain.run(event, voter, dots.place_dot, pitches[0])
    await domain.writes.idle()
    after = await Change.filter(event_id=event.id, seq__gt=start).values_list("actor", "kind")
    by_voters = {kind for actor, kind in after if actor.startswith("attendee:")}
    assert by_voters == {"votes"}, "a vote's own write records only the votes"
    follow_ups = [kind for actor, kind in after if actor == "snug"]
    assert 2 <= len(follow_ups) < 30, "debounced: fewer follow-ups than votes"
    latest = await Change.filter(event_id=event.id, kind="headcounts").order_by("-seq").first()
    assert latest is not None and latest.data["headcounts"][str(pitches[0])] == 30
    assert latest.actor == "snug"
    checks = await Change.filter(event_id=event.id, kind="grid.checks").order_by("-seq").first()
    assert checks is not None and checks.actor == "snug"


async def _measured_then_overtaken(
    domain: Domain,
    monkeypatch: pytest.MonkeyPatch,
    vote_for: int,
    overtake: Callable[[], Awaitable[None]],
) -> tuple[int, int]:
    """A vote's follow-up measures, then waits while ``overtake`` runs before it records; the
    times it measured and the event's seq once ``overtake`` was done."""
    from server.grid import follow

    measured, release = asyncio.Event(), asyncio.Event()
    real = follow._measure
    calls = 0

    async def slow_measure(ev: Event) -> Any:
        nonlocal calls
        calls += 1
        # Measuring reads the whole grid: inside a write it would hold the event's lock.
        assert not isinstance(connections.get("default"), TransactionalDBClient)
        found = await real(ev)
        if calls == 1:  # the first measure, outside the lock, waits while the grid moves
            measured.set()
            await release.wait()
        return found

    monkeypatch.setattr(follow, "_measure", slow_measure)
    event = await Event.get(id=(await Pitch.get(id=vote_for)).event_id)
    await domain.run(event, await domain.attendee(event), dots.place_dot, vote_for)
    await measured.wait()
    await overtake()
    overtaken_at = (await domain.refresh(event)).seq
    release.set()
    await domain.writes.idle()
    return calls, overtaken_at


async def test_a_follow_up_measured_before_the_grid_moved_measures_again(
    domain: Domain, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Headcounts measured outside the lock, then a session moved before they were recorded:
    the stale figures must not be what the screens hear last, nor heard at all."""
    event, staff, pitches = await _published(domain)

    async def move() -> None:
        room, slot = (await event.rooms.all())[0].id, (await event.slots.all())[0].id
        await Placement.filter(event_id=event.id).delete()
        version = (await domain.refresh(event)).grid_version
        await domain.run(event, staff, editing.move, version, pitches[1], (room, slot))
        await domain.run(event, staff, editing.publish, version + 1)

    calls, moved_at = await _measured_then_overtaken(domain, monkeypatch, pitches[1], move)
    assert calls == 2, "measured again, outside the lock"
    after = await Change.filter(event_id=event.id, kind="headcounts", seq__gt=moved_at)
    assert [set(c.data["headcounts"]) for c in after] == [{str(pitches[1])}], "only fresh ones"


async def test_a_follow_up_overtaken_by_another_processes_records_nothing_stale(
    domain: Domain, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With several processes, another's follow-up can record between this one's measuring and
    recording: this one measures again rather than record what may be older."""
    event, _staff, pitches = await _published(domain)

    async def elsewhere(journal: Journal) -> None:
        await journal.record("headcounts", {"headcounts": {str(pitches[0]): 0}})

    async def another_process() -> None:
        await domain.run(event, SNUG, elsewhere)

    calls, overtaken_at = await _measured_then_overtaken(
        domain, monkeypatch, pitches[0], another_process
    )
    assert calls == 2, "measured again once overtaken"
    after = await Change.filter(event_id=event.id, seq__gt=overtaken_at, kind="headcounts")
    assert len(after) == 1, "recorded once, from the second measure"
    assert after[0].data["headcounts"][str(pitches[0])] == 1, "the vote is counted"


async def test_refusals_in_a_batch_do_not_disturb_the_others(domain: Domain) -> None:
    event = await voting(domain, dots_per_attendee=2)
    staff = await domain.organiser(event)
    pitch = await new_pitch(domain, event, staff)
    sam = await domain.attendee(event)
    tries = await asyncio.gather(
        *(_place(domain, event, sam, pitch) for _ in range(6)), return_exceptions=True
    )
    assert sum(isinstance(t, dict) for t in tries) == 1, "one dot per pitch"
    assert all(isinstance(t, dict | Refused) for t in tries)
    assert await Dot.filter(attendee=sam.attendee).count() == 1


async def test_one_key_sent_twice_within_one_batch_is_done_once(domain: Domain) -> None:
    event = await voting(domain, dots_per_attendee=3, dots_stack=True)
    staff = await domain.organiser(event)
    pitch = await new_pitch(domain, event, staff)
    sam = await domain.attendee(event)
    first, second, third = await asyncio.gather(
        *(_place(domain, event, sam, pitch, key="twice-in-one") for _ in range(3))
    )
    assert first == second == third
    assert await Dot.filter(attendee=sam.attendee).values_list("id", flat=True) == [first["id"]]
    receipt = await Receipt.get(event_id=event.id, key="twice-in-one")
    assert json.loads(receipt.answer) == first, "kept with the id the batch gave the dot"


async def test_the_dots_placed_earlier_in_a_batch_are_there_for_the_writes_after_them(
    domain: Domain,
) -> None:
    """A batch inserts its votes' dots together, but before any other kind of write reads."""
    event = await voting(domain)
    staff = await domain.organiser(event)
    sam, kim, ann = [await domain.attendee(event) for _ in range(3)]
    pitch = await new_pitch(domain, event, staff)

    async def count_dots(journal: Journal) -> int:
        return await Dot.filter(event=journal.event).count()

    first, seen, last = await asyncio.gather(
        _place(domain, event, sam, pitch),
        domain.writes.run(event, kim, count_dots),
        _place(domain, event, ann, pitch),
    )
    assert seen == 1, "the write after a vote sees its dot"
    left = await Dot.filter(event_id=event.id).values_list("id", "attendee_id")
    assert sorted(left) == sorted([(first["id"], sam.attendee.id), (last["id"], ann.attendee.id)])


async def test_a_batch_forgets_what_its_votes_read_once_a_pitch_is_withdrawn_in_it(
    domain: Domain,
) -> None:
    """Votes in one batch share one read of the pitches and the voters' dots; a write that
    changes a pitch between two of them makes the next read afresh."""
    event = await voting(domain)
    staff = await domain.organiser(event)
    sam, ann, kim, host = [await domain.attendee(event) for _ in range(4)]
    pitch = await new_pitch(domain, event, host)  # its host withdraws it, in the queue's order
    other = await new_pitch(domain, event, staff, "Two")
    results = await asyncio.gather(
        _place(domain, event, sam, pitch),
        _place(domain, event, kim, other),
        domain.run(event, host, pitches.withdraw_pitch, pitch),
        _place(domain, event, ann, pitch),
        return_exceptions=True,
    )
    assert isinstance(results[0], dict) and isinstance(results[1], dict)
    assert isinstance(results[3], NotFound), "the vote after the withdrawal is refused"
    left = await Dot.filter(event_id=event.id).values_list("attendee_id", "pitch_id")
    assert left == [(kim.attendee.id, other)], "sam's dot went back with the pitch"


async def test_a_facilitators_write_is_committed_ahead_of_a_storm_of_votes(
    domain: Domain,
) -> None:
    event = await voting(domain)
    staff = await domain.organiser(event)
    pitch = await new_pitch(domain, event, staff)
    voters = [await domain.attendee(event) for _ in range(BATCH * 2 + 50)]

    async def count_dots(journal: Journal) -> int:
        return await Dot.filter(event=journal.event).count()

    storm = [asyncio.ensure_future(_place(domain, event, v, pitch)) for v in voters]
    await asyncio.sleep(0)  # the votes are queued first
    seen = await domain.writes.run(event, staff, count_dots)
    await asyncio.gather(*storm)
    assert seen <= BATCH, "it waited for the batch under way at most, not for every vote"
    assert await Dot.filter(event=event).count() == len(voters)


async def test_a_large_batch_s_writers_hear_their_answers_a_part_a_turn(domain: Domain) -> None:
    """Each writer woken sends its response in that turn of the event loop, so a batch's
    answers are told a part at a time rather than all in one long turn."""
    event = await voting(domain)
    voters = [await domain.attendee(event) for _ in range(3 * ANSWERED_AT_ONCE)]
    turn = 0

    async def count_turns() -> None:
        nonlocal turn
        while True:
            await asyncio.sleep(0)
            turn += 1

    async def nothing(journal: Journal) -> None:
        return None

    async def answered_in_turn(voter: Any) -> int:
        await domain.writes.run(event, voter, nothing)
        return turn

    batches, writes = _batches()
    counting = asyncio.create_task(count_turns())
    turns = await asyncio.gather(*(answered_in_turn(v) for v in voters))
    counting.cancel()
    batches_after, writes_after = _batches()
    assert writes_after - writes == len(voters)
    assert batches_after - batches <= 2, "they were committed together"
    most_in_one_turn = max(turns.count(t) for t in set(turns))
    assert most_in_one_turn <= ANSWERED_AT_ONCE < len(voters)


async def test_a_follow_up_kept_busy_runs_less_often_and_a_lone_one_soon(domain: Domain) -> None:
    event = await domain.event()
    loop = asyncio.get_running_loop()
    runs: list[float] = []

    async def build(_event: Event) -> None:
        runs.append(loop.time())

    reaction = Reaction(frozenset(), build, SNUG, delay=0.05, busy_delay=1.0)
    began = loop.time()
    while loop.time() - began < 2.5:  # a storm: changes to follow faster than the delay
        domain.writes.soon(event.id, reaction)
        await asyncio.sleep(0.01)
    await domain.writes.idle()
    first, *busy = runs
    assert first - began < 0.5
    gaps = [later - earlier for earlier, later in zip(runs, busy, strict=False)]
    assert gaps and min(gaps) >= 1.0, gaps
    runs.clear()
    asked = loop.time()
    domain.writes.soon(event.id, reaction)
    await domain.writes.idle()
    assert len(runs) == 1 and runs[0] - asked < 0.5, "a lone change is followed soon again"


async def _storm_in_two_processes(
    domain: Domain, shared: bool
) -> tuple[list[tuple[float, int]], int]:
    """Votes committed by two processes' writes for about two seconds, each following them
    up with the same reaction; the runs (when, as of which seq) and the last vote's seq."""
    event = await voting(domain)
    pitch = await new_pitch(domain, event, await domain.organiser(event))
    voters = [await domain.attendee(event) for _ in range(60)]
    loop = asyncio.get_running_loop()
    held: dict[str, tuple[int, float]] = {}

    async def claim(name: str, value: int, seconds: float) -> int | None:
        """A hub's claim, shared by the two processes."""
        found = held.get(name)
        if found is not None and found[1] > loop.time():
            return found[0]
        held[name] = (value, loop.time() + seconds)
        return None

    async def publish(_event_id: int, _changes: list[dict[str, Any]]) -> None:
        pass

    runs: list[tuple[float, int]] = []

    async def build(found: Event) -> None:
        runs.append((loop.time(), found.seq))

    reaction = Reaction(
        frozenset({"votes"}), build, SNUG, delay=0.05, busy_delay=0.5, shared=shared
    )
    processes = [Writes(publish, claim), Writes(publish, claim)]
    for writes in processes:
        writes.react(reaction)
    asked = receipts.fingerprint("POST", "/api/e/x/dots", b'{"pitch": %d}' % pitch)
    for n, voter in enumerate(voters):
        writes = processes[n % 2]
        await writes.run(event, voter, dots.placing(pitch), fingerprint=asked)
        await asyncio.sleep(0.03)
    last = (await domain.refresh(event)).seq
    for writes in processes:
        await writes.idle()
    return runs, last


async def test_a_shared_follow_up_runs_in_one_process_at_a_time_for_both(domain: Domain) -> None:
    alone, _last = await _storm_in_two_processes(domain, shared=False)
    runs, last = await _storm_in_two_processes(domain, shared=True)
    assert len(runs) < 0.75 * len(alone), (runs, alone)
    gaps = [later - earlier for (earlier, _), (later, _) in itertools.pairwise(runs)]
    assert min(gaps) >= 0.4, f"never two at once: {gaps}"
    assert max(seq for _, seq in runs) >= last, "the last votes, whichever process took them"


async def test_writes_that_come_while_a_batch_waits_for_the_lock_ride_in_it(
    domain: Domain, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With several processes a batch waits for the event's row about as long as it then holds
    it: the writes that come meanwhile are taken into that batch, not left for the next."""
    event = await voting(domain)
    staff = await domain.organiser(event)
    pitch = await new_pitch(domain, event, staff)
    voters = [await domain.attendee(event) for _ in range(3)]
    waiting, released = asyncio.Event(), asyncio.Event()
    lock = Event.select_for_update

    class HeldElsewhere:
        """The row, locked by another process until ``released``."""

        async def get(self, **where: Any) -> Event:
            waiting.set()
            await released.wait()
            return await lock().get(**where)

    monkeypatch.setattr(Event, "select_for_update", HeldElsewhere)
    batches, writes = _batches()
    first = asyncio.ensure_future(_place(domain, event, voters[0], pitch))
    await waiting.wait()
    later = [asyncio.ensure_future(_place(domain, event, v, pitch)) for v in voters[1:]]
    await asyncio.sleep(0)
    released.set()
    placed = await asyncio.gather(first, *later)
    assert len({dot["id"] for dot in placed}) == 3
    assert _batches() == (batches + 1, writes + 3)
