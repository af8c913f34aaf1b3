"""Keyed writes are done once: the same key again answers as the first time, even in a race."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from server.errors import Conflict, Invalid
from server.events import erasure, receipts, setup
from server.events.changes import Change, Receipt
from server.marketplace import dots
from server.marketplace.models import Dot
from tests.conftest import Domain
from tests.marketplace.test_pitches import new_pitch, voting

ASKED = receipts.fingerprint("POST", "/api/e/x/dots", b'{"pitch": 1}')


async def place(
    domain: Domain, event: Any, actor: Any, pitch: int, key: str, asked: str = ASKED
) -> Any:
    return await domain.writes.run(
        event,
        actor,
        lambda journal: dots.place_dot(journal, pitch),
        key=key,
        fingerprint=asked,
    )


async def test_the_same_key_again_answers_the_same_without_voting_twice(domain: Domain) -> None:
    event = await voting(domain)
    pitch = await new_pitch(domain, event, await domain.organiser(event))
    sam = await domain.attendee(event)
    first = await place(domain, event, sam, pitch, "tap-once-0001")
    changes = await Change.filter(event=event).count()
    again = await place(domain, event, sam, pitch, "tap-once-0001")
    assert again == first
    assert await Dot.filter(event=event).count() == 1
    assert await Change.filter(event=event).count() == changes  # nothing new to tell screens


async def test_copies_racing_each_other_vote_once(domain: Domain) -> None:
    event = await voting(domain, dots_per_attendee=5, dots_stack=True)
    pitch = await new_pitch(domain, event, await domain.organiser(event))
    sam = await domain.attendee(event)
    answers = await asyncio.gather(
        *(place(domain, event, sam, pitch, "racing-key") for _ in range(6))
    )
    assert await Dot.filter(event=event).count() == 1
    assert all(answer == answers[0] for answer in answers)


async def test_another_key_is_another_vote(domain: Domain) -> None:
    event = await voting(domain, dots_per_attendee=5, dots_stack=True)
    pitch = await new_pitch(domain, event, await domain.organiser(event))
    sam = await domain.attendee(event)
    first = await place(domain, event, sam, pitch, "first-key")
    second = await place(domain, event, sam, pitch, "second-key")
    assert first["id"] != second["id"]
    assert await Dot.filter(event=event).count() == 2


async def test_another_persons_key_finds_nothing_of_the_first(domain: Domain) -> None:
    event = await voting(domain)
    pitch = await new_pitch(domain, event, await domain.organiser(event))
    sam, kim = await domain.attendee(event), await domain.attendee(event)
    sams = await place(domain, event, sam, pitch, "shared-key")
    kims = await place(domain, event, kim, pitch, "shared-key")
    assert kims["id"] != sams["id"]
    owners = await Dot.filter(event=event).values_list("attendee_id", flat=True)
    assert sorted(owners) == sorted([sam.attendee.id, kim.attendee.id])


@pytest.mark.parametrize("key", ["short", "x" * 65, "has space", "ünïcode-key", "a/b/c/d/e", ""])
async def test_a_bad_key_is_refused_before_anything_changes(domain: Domain, key: str) -> None:
    event = await voting(domain)
    pitch = await new_pitch(domain, event, await domain.organiser(event))
    sam = await domain.attendee(event)
    before = await domain.rows(event)
    with pytest.raises(receipts.BadKey) as refused:
        await place(domain, event, sam, pitch, key)
    assert refused.value.status == 400
    assert await domain.rows(event) == before


async def test_a_key_used_for_another_change_is_refused(domain: Domain) -> None:
    event = await voting(domain, dots_per_attendee=5, dots_stack=True)
    pitch = await new_pitch(domain, event, await domain.organiser(event))
    sam = await domain.attendee(event)
    await place(domain, event, sam, pitch, "reused-key")
    before = await domain.rows(event)
    other = receipts.fingerprint("POST", "/api/e/x/dots", b'{"pitch": 2}')
    with pytest.raises(Invalid, match="different change"):
        await place(domain, event, sam, pitch, "reused-key", asked=other)
    assert await domain.rows(event) == before


async def test_a_refused_write_keeps_no_receipt_so_it_can_be_sent_again(domain: Domain) -> None:
    event = await domain.event()
    staff = await domain.organiser(event)
    pitch = await new_pitch(domain, event, staff)
    sam = await domain.attendee(event)
    with pytest.raises(Conflict, match="Voting is closed"):
        await place(domain, event, sam, pitch, "too-early-key")
    assert not await Receipt.filter(event=event).exists()
    await domain.run(event, staff, setup.edit_event, {"voting_open": True}, "")
    placed = await place(domain, event, sam, pitch, "too-early-key")
    assert await Dot.filter(event=event).values_list("id", flat=True) == [placed["id"]]


async def test_an_expired_receipt_no_longer_answers(domain: Domain) -> None:
    event = await voting(domain, dots_per_attendee=5, dots_stack=True)
    pitch = await new_pitch(domain, event, await domain.organiser(event))
    sam = await domain.attendee(event)
    await place(domain, event, sam, pitch, "old-key-123")
    long_ago = datetime.now(UTC) - receipts.LIFETIME - timedelta(minutes=1)
    await Receipt.filter(event=event).update(at=long_ago)
    await place(domain, event, sam, pitch, "old-key-123")
    assert await Dot.filter(event=event).count() == 2
    assert await Receipt.filter(event=event).count() == 1  # the old one gave way


async def test_pruning_drops_the_expired_and_keeps_the_newest_within_the_bound(
    domain: Domain, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(receipts, "PRUNE_EVERY", 1)
    monkeypatch.setattr(receipts, "MAX_PER_EVENT", 3)
    event = await voting(domain, dots_per_attendee=9, dots_stack=True)
    pitch = await new_pitch(domain, event, await domain.organiser(event))
    sam = await domain.attendee(event)
    await place(domain, event, sam, pitch, "expired-key")
    await Receipt.filter(event=event).update(at=datetime.now(UTC) - timedelta(days=3))
    await place(domain, event, sam, pitch, "key-number-1")
    assert await Receipt.filter(event=event).values_list("key", flat=True) == ["key-number-1"]
    for n in range(2, 6):
        await place(domain, event, sam, pitch, f"key-number-{n}")
    kept = await Receipt.filter(event=event).order_by("id").values_list("key", flat=True)
    assert kept == ["key-number-3", "key-number-4", "key-number-5"]


async def test_an_answer_that_is_not_plain_json_is_a_bug_not_a_receipt(domain: Domain) -> None:
    event = await voting(domain)
    staff = await domain.organiser(event)

    async def answers_a_tuple(_journal: Any) -> Any:
        return (1, 2)

    with pytest.raises(TypeError, match="plain JSON"):
        await domain.writes.run(event, staff, answers_a_tuple, key="tuple-key")
    assert not await Receipt.filter(event=event).exists()


async def test_erasing_personal_data_erases_receipts(domain: Domain) -> None:
    event = await voting(domain)
    staff = await domain.organiser(event)
    pitch = await new_pitch(domain, event, staff)
    await place(domain, event, await domain.attendee(event, "Sam"), pitch, "before-erasure")
    await domain.run(event, staff, erasure.erase_personal_data, event.slug, "")
    assert not await Receipt.filter(event=event).exists()
