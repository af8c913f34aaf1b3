"""The change log: one seq per change, no gaps, in order, even under concurrent commands."""

from __future__ import annotations

import asyncio

import pytest

from server.errors import Refused
from server.events import setup
from server.events.changes import Change
from server.events.journal import changes_since
from server.live.hub import event_channel
from server.marketplace import dots, pitches
from server.marketplace.models import Dot
from tests.conftest import Domain
from tests.marketplace.test_pitches import new_pitch, voting


async def seqs(event: object) -> list[int]:
    return [c.seq for c in await Change.filter(event=event).order_by("id")]


async def test_each_change_takes_the_next_seq_and_is_published_after_commit(
    domain: Domain,
) -> None:
    event = await voting(domain)
    staff = await domain.organiser(event)
    async with domain.hub.subscribe(event_channel(event.id)) as queue:
        pitch_id = await new_pitch(domain, event, staff)
        sam = await domain.attendee(event)
        with pytest.raises(Refused):  # refused: seq must not move
            await domain.run(event, sam, pitches.edit_pitch, pitch_id, {"title": "not mine"})
        await domain.run(event, sam, dots.place_dot, pitch_id)
        await domain.run(event, staff, setup.replace_rooms, [{"name": "Hall", "capacity": 9}])
        batches = [queue.get_nowait() for _ in range(queue.qsize())]
    # Each commit is published as one batch of its changes.
    published = [change for batch in batches for change in batch["changes"]]
    assert await seqs(event) == [1, 2, 3, 4]  # voting opened, pitch, dot, rooms
    assert [m["seq"] for m in published] == [2, 3, 4]
    assert [m["kind"] for m in published] == ["pitch.saved", "votes", "venue.updated"]
    assert (await domain.refresh(event)).seq == 4
    replay = await changes_since(await domain.refresh(event), 1, limit=10)
    assert replay is not None
    assert [c.message() for c in replay] == published


async def test_changes_since_gives_none_when_too_far_behind(domain: Domain) -> None:
    event = await voting(domain)
    staff = await domain.organiser(event)
    for i in range(4):
        await new_pitch(domain, event, staff, f"P{i}")
    event = await domain.refresh(event)
    assert await changes_since(event, 0, limit=4) is None
    replay = await changes_since(event, 1, limit=4)
    assert replay is not None and [c.seq for c in replay] == [2, 3, 4, 5]
    assert await changes_since(event, 5, limit=4) == []


@pytest.mark.parametrize("stack", [False, True])
async def test_concurrent_dots_never_exceed_the_allowance(domain: Domain, stack: bool) -> None:
    allowance = 3
    event = await voting(domain, dots_per_attendee=allowance, dots_stack=stack)
    staff = await domain.organiser(event)
    targets = [await new_pitch(domain, event, staff, f"P{i}") for i in range(6)]
    voters = [await domain.attendee(event) for _ in range(3)]
    start = (await domain.refresh(event)).seq
    attempts = [
        domain.run(event, voter, dots.place_dot, targets[i % len(targets)])
        for voter in voters
        for i in range(8)
    ]
    results = await asyncio.gather(*attempts, return_exceptions=True)
    unexpected = [r for r in results if isinstance(r, BaseException) and not isinstance(r, Refused)]
    assert not unexpected, unexpected
    placed = [r for r in results if isinstance(r, dict)]
    for voter in voters:
        assert await Dot.filter(attendee=voter.attendee).count() == allowance
    assert len(placed) == allowance * len(voters)
    end = (await domain.refresh(event)).seq
    # The dots committed together share one count of the pitches they touched; refusals none.
    assert start < end <= start + len(placed)
    assert await seqs(event) == list(range(1, end + 1))
    counted: dict[str, int] = {}
    for change in await Change.filter(event=event, seq__gt=start, kind="votes").order_by("seq"):
        counted.update(change.data["votes"])
    stored = {str(t): await Dot.filter(pitch_id=t).count() for t in targets}
    assert counted == {t: n for t, n in stored.items() if n}, "the last count of each is right"


async def test_concurrent_commands_of_every_kind_get_consecutive_seqs(domain: Domain) -> None:
    event = await voting(domain, dots_per_attendee=20, dots_stack=True)
    staff = await domain.organiser(event)
    pitch_id = await new_pitch(domain, event, staff)
    voter = await domain.attendee(event)
    work = []
    for i in range(10):
        work.append(domain.run(event, staff, pitches.create_pitch, {"title": f"T{i}"}))
        work.append(domain.run(event, voter, dots.place_dot, pitch_id))
        work.append(domain.run(event, staff, pitches.edit_pitch, pitch_id, {"host": f"H{i}"}))
    await asyncio.gather(*work)
    end = (await domain.refresh(event)).seq
    assert await seqs(event) == list(range(1, end + 1)), "gap-free, in commit order"
    kinds = await Change.filter(event=event, seq__gt=2).values_list("kind", flat=True)
    assert kinds.count("pitch.saved") == 20  # ten new, ten edits: one change each
    assert 1 <= kinds.count("votes") <= 10  # the dots of one batch share one count
    assert await Dot.filter(pitch_id=pitch_id).count() == 10
    latest = await Change.filter(event=event, kind="votes").order_by("-seq").first()
    assert latest is not None and latest.data["votes"] == {str(pitch_id): 10}
