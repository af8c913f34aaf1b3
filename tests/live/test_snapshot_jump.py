"""The replay limit and the jump in seq that erasure and import make are one setting
(server/limits.py): a screen that knew an event before its seq jumped always takes a snapshot."""

from __future__ import annotations

from tortoise.expressions import F

from server.events.models import Event
from server.limits import REPLAY_LIMIT, SNAPSHOT_JUMP
from server.live.screen import catch_up
from server.marketplace.pitches import create_pitch
from tests.conftest import Domain

URL = "http://snug.test"


async def test_a_screen_that_knew_the_event_before_its_seq_jumped_takes_a_snapshot(
    domain: Domain,
) -> None:
    event = await domain.event()
    staff = await domain.facilitator(event)
    await domain.run(event, staff, create_pitch, {"title": "Before the jump"})
    known = (await domain.refresh(event)).seq
    await Event.filter(id=event.id).update(seq=F("seq") + SNAPSHOT_JUMP)
    event = await domain.refresh(event)
    [caught] = await catch_up(event, staff, known, URL)
    assert caught["type"] == "snapshot" and caught["state"]["seq"] == known + SNAPSHOT_JUMP
    # A screen no further behind than the replay limit is sent what it missed (here nothing).
    assert await catch_up(event, staff, event.seq - REPLAY_LIMIT, URL) == []
