"""The protocol's core, with no socket or stream: what a screen is sent to catch up from a seq,
and how it keeps its outbox in order, whatever carries its messages."""

from __future__ import annotations

import asyncio
import gc
import json
import weakref
from typing import Any

import pytest

from server.live import screen as core
from server.live import state
from server.live.screen import Screen, catch_up, seq_of
from server.marketplace.pitches import create_pitch, edit_pitch
from tests.conftest import Domain


class Recorder:
    """A transport that keeps what it was sent; ``broken`` says the screen gave up on it."""

    def __init__(self, fail: bool = False) -> None:
        self.sent: list[tuple[dict[str, Any], int | None]] = []
        self.broken_times = 0
        self._fail = fail

    async def send(self, text: str, seq: int | None) -> None:
        if self._fail:
            raise ConnectionResetError("the browser went away mid-write")
        self.sent.append((json.loads(text), seq))

    async def broken(self) -> None:
        self.broken_times += 1


async def _event_with_a_hidden_pitch(domain: Domain) -> tuple[Any, Any, int]:
    event = await domain.event()
    staff = await domain.facilitator(event)
    pitch = await domain.run(event, staff, create_pitch, {"title": "Spam", "pitch": "Buy now"})
    await domain.run(event, staff, edit_pitch, pitch["id"], {"hidden": True})
    await domain.run(event, staff, edit_pitch, pitch["id"], {"pitch": "Buy now, twice"})
    await domain.run(event, staff, create_pitch, {"title": "Open data"})
    return await domain.refresh(event), staff, pitch["id"]


async def test_catching_up_replays_what_was_missed_as_the_role_sees_it(domain: Domain) -> None:
    event, staff, hidden = await _event_with_a_hidden_pitch(domain)
    attendee = await domain.attendee(event, "Ann")
    public_url = "http://snug.test"
    seen = await catch_up(event, attendee, event.seq - 2, public_url)
    assert [m["seq"] for m in seen] == [event.seq - 1, event.seq]
    assert seen[0] == {**seen[0], "kind": "pitch.hidden", "data": {"id": hidden}}
    assert "Buy now" not in json.dumps(seen)
    staff_seen = await catch_up(event, staff, event.seq - 2, public_url)
    assert staff_seen[0]["data"]["pitch"]["pitch"] == "Buy now, twice"
    assert await catch_up(event, attendee, event.seq, public_url) == []


async def test_catching_up_from_nowhere_ahead_or_too_far_behind_is_a_snapshot(
    domain: Domain, monkeypatch: pytest.MonkeyPatch
) -> None:
    event, _staff, _hidden = await _event_with_a_hidden_pitch(domain)
    attendee = await domain.attendee(event, "Ann")
    url = "http://snug.test"
    [fresh] = await catch_up(event, attendee, None, url)
    assert fresh["type"] == "snapshot" and fresh["state"]["me"]["name"] == "Ann"
    assert seq_of(fresh) == event.seq
    assert await catch_up(event, attendee, event.seq + 1, url) == [fresh]
    monkeypatch.setattr(core, "REPLAY_LIMIT", 1)
    assert await catch_up(event, attendee, event.seq - 2, url) == [fresh]


async def test_a_gap_in_what_the_room_offers_is_filled_from_the_database(domain: Domain) -> None:
    event, staff, _hidden = await _event_with_a_hidden_pitch(domain)
    transport = Recorder()
    screen = Screen(transport, event, "http://snug.test")
    screen.actor = staff
    await screen.catch_up(event.seq - 3)
    assert [seq for _m, seq in transport.sent] == [event.seq - 2, event.seq - 1, event.seq]
    await domain.run(event, staff, create_pitch, {"title": "Later"})
    await domain.run(event, staff, create_pitch, {"title": "Later still"})
    latest = event.seq + 2
    # Only the last change reaches this screen (the hub lost one): it catches up instead.
    screen.offer(latest, latest, json.dumps({"type": "change", "seq": latest}))
    await asyncio.sleep(0.5)
    titles = [m["data"]["pitch"]["title"] for m, _seq in transport.sent[3:]]
    assert titles == ["Later", "Later still"] and screen.sent == latest
    screen.close()


async def test_a_screen_whose_transport_fails_is_closed_so_it_comes_back(domain: Domain) -> None:
    event = await domain.event()
    transport = Recorder(fail=True)
    screen = Screen(transport, event, "http://snug.test")
    await screen.start(None)
    assert transport.broken_times == 1


async def test_a_snapshot_is_sent_as_its_shared_part_encoded_once_and_the_screen_own(
    domain: Domain, monkeypatch: pytest.MonkeyPatch
) -> None:
    event, staff, _hidden = await _event_with_a_hidden_pitch(domain)
    ann, kim = await domain.attendee(event, "Ann"), await domain.attendee(event, "Kim")
    encodings: list[object] = []
    real = json.dumps

    def counting(value: object, **kwargs: Any) -> str:
        encodings.append(value)
        return real(value, **kwargs)

    monkeypatch.setattr(state.json, "dumps", counting)
    public_url = "http://snug.test"
    texts = []
    for who in (ann, kim, staff):
        (message,) = await catch_up(event, who, None, public_url)
        texts.append(state.encoded(message))
        assert json.loads(texts[-1]) == json.loads(real(message)), "the same as encoded whole"
    assert json.loads(texts[0])["state"]["me"]["name"] == "Ann"
    assert json.loads(texts[1])["state"]["me"]["name"] == "Kim"
    assert "Buy now" not in texts[0] and "Buy now" in texts[2]
    shared = [e for e in encodings if isinstance(e, dict) and "pitches" in e]
    assert len(shared) == 2, "the public part once for both phones, the staff part once"
    assert not any(isinstance(e, dict) and "state" in e for e in encodings), "none encoded whole"


async def test_a_screen_lets_go_of_its_writer_once_the_outbox_is_sent(domain: Domain) -> None:
    """Thousands of screens each keeping a finished writer till the next tick made every
    middle pass of the cycle collector walk them: once sent, the writer is freed at once, by
    its last reference going rather than by a collection."""
    event = await domain.event()
    transport = Recorder()
    screen = Screen(transport, event, "http://snug.test")
    await screen.catch_up(event.seq)
    later = event.seq + 1
    gc.disable()
    try:
        screen.offer(later, later, json.dumps({"type": "change", "seq": later}))
        writer = weakref.ref(screen._writer)
        assert writer() is not None
        await asyncio.sleep(0.1)
        assert transport.sent[-1][1] == later
        assert writer() is None
    finally:
        gc.enable()
        screen.close()
