"""The limiter on its own: a moving window, counted in this process or in Redis for every
process, and out of the way (logged once) while Redis is out of reach."""

from __future__ import annotations

import asyncio
import logging
import secrets

import pytest
from limits.aio.storage import MemoryStorage

from server import limits
from server.language import speaking
from server.limits import Limiter, TooFast, limiter_from

PITCHES = 30  # a minute from one device


class Clock:
    """time.time for the limiter and its storage, moved by hand."""

    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    # 50 seconds into a minute, so the next minute starts 10 seconds on.
    at = Clock(1_800_000_000 + 50)
    monkeypatch.setattr("time.time", at)
    return at


async def pitch(limiter: Limiter, device: str) -> None:
    await limiter.check("pitch", "192.0.2.1", device)


async def test_hits_either_side_of_a_minute_boundary_count_together(clock: Clock) -> None:
    limiter = limiter_from("memory://", 1, 20)
    for _ in range(PITCHES):
        await pitch(limiter, "phone")
    clock.now += 15  # a new minute on the wall clock, but only 15 seconds later
    with pytest.raises(TooFast) as refused:
        await pitch(limiter, "phone")
    assert refused.value.retry_after == 45
    assert "30 times a minute from one device" in refused.value.message
    assert "try again in 45 seconds" in refused.value.message
    await pitch(limiter, "another phone")
    clock.now += 46  # the first pitches are a minute old
    await pitch(limiter, "phone")


async def test_creating_and_importing_spend_one_hourly_budget(clock: Clock) -> None:
    limiter = limiter_from("memory://", 1, 3)
    await limiter.check("create", "192.0.2.1", None)
    await limiter.check("import", "192.0.2.1", None)
    await limiter.check("create", "192.0.2.1", None)
    clock.now += 1800
    with pytest.raises(TooFast) as refused:
        await limiter.check("import", "192.0.2.1", None)
    assert refused.value.retry_after == 1800
    assert "3 times an hour from one network" in refused.value.message
    assert "try again in 30 minutes" in refused.value.message
    await limiter.check("create", "192.0.2.2", None)


async def test_two_processes_count_together_in_redis(redis_url: str) -> None:
    first, second = limiter_from(redis_url, 1, 20), limiter_from(redis_url, 1, 20)
    device = secrets.token_hex(8)  # its own count, whatever earlier runs left in Redis
    try:
        for n in range(PITCHES):
            await pitch(first if n % 2 else second, device)
        with pytest.raises(TooFast) as refused:
            await pitch(first, device)
        assert 55 <= refused.value.retry_after <= 60
        with pytest.raises(TooFast):
            await pitch(second, device)
    finally:
        await first.close()
        await second.close()


async def test_without_redis_nobody_is_limited_and_the_outage_is_logged_once(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(limits, "RETRY_STORE", 0)  # every check tries Redis again
    limiter = limiter_from("redis://127.0.0.1:1/0", 1, 20)
    with caplog.at_level(logging.INFO, "snug.limits"):
        for _ in range(PITCHES + 5):
            await pitch(limiter, "phone")
    await limiter.close()
    assert [r.getMessage() for r in caplog.records] == [
        "rate limits are off until their store is back: ConnectionError"
    ]


async def test_expired_counts_are_swept_once_a_minute_not_after_every_hit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sweeps = 0
    sweep = MemoryStorage._MemoryStorage__expire_events  # type: ignore[attr-defined]

    async def counted(storage: MemoryStorage) -> None:
        nonlocal sweeps
        sweeps += 1
        await sweep(storage)

    monkeypatch.setattr(MemoryStorage, "_MemoryStorage__expire_events", counted)
    limiter = limiter_from("memory://", 1, 20)
    for n in range(100):
        await pitch(limiter, f"phone {n}")
        await asyncio.sleep(0.002)
    assert sweeps == 1


def test_open_streams_are_capped_per_network_and_per_device_and_given_back() -> None:
    streams = limits.OpenStreams(scale=0.001)  # 3 per network, 1 per device
    venue = [streams.take("10.0.0.1", None) for _ in range(3)]
    with pytest.raises(TooFast, match="at most 3 live streams open from one network"):
        streams.take("10.0.0.1", None)
    give_back = streams.take("10.0.0.2", "phone")
    with pytest.raises(TooFast, match="at most 1 live stream open from one device"):
        streams.take("10.0.0.3", "phone")  # the same phone on another network
    give_back()
    streams.take("10.0.0.3", "phone")()
    venue[0]()
    streams.take("10.0.0.1", None)
    off = limits.OpenStreams(scale=0)  # RATE_LIMIT_SCALE=0: no limits
    assert len([off.take("10.0.0.1", "phone") for _ in range(10)]) == 10


async def test_a_refusal_is_said_whole_in_the_askers_language(clock: Clock) -> None:
    limiter = limiter_from("memory://", 1, 20)
    for _ in range(PITCHES):
        await pitch(limiter, "phone")
    with pytest.raises(TooFast) as refused:
        await pitch(limiter, "phone")
    with speaking("cy"):
        welsh = refused.value.said()
    assert welsh == (
        "Mae hynny’n gyflymach nag y mae Snug yn ei ganiatáu: 30 gwaith y funud o un ddyfais. "  # noqa: RUF001
        "Ni newidiwyd dim; rhowch gynnig arall arni ymhen 60 eiliad."
    )
    streams = limits.OpenStreams(scale=0.001)
    streams.take("10.0.0.1", "phone")
    with pytest.raises(TooFast) as full, speaking("cy"):
        streams.take("10.0.0.2", "phone")
    with speaking("cy"):
        assert full.value.said().endswith("rhowch gynnig arall arni ymhen 30 eiliad.")
