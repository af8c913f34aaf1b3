"""Reads asked for at the same moment share one query, and nothing is kept afterwards."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import pytest

from server.events.together import Gathered, Together


@dataclass
class Row:
    value: int


async def test_reads_asked_at_once_share_one_and_each_caller_gets_its_own_copy() -> None:
    together: Together[Row] = Together()
    reads = 0

    async def read() -> Row:
        nonlocal reads
        reads += 1
        await asyncio.sleep(0.01)
        return Row(reads)

    rows = await asyncio.gather(*(together.get("demo", read) for _ in range(50)))
    assert reads == 1 and {r.value for r in rows} == {1}
    rows[0].value = 99
    assert rows[1].value == 1, "one caller's change doesn't reach another's copy"
    assert (await together.get("demo", read)).value == 2, "nothing is kept once answered"
    assert (await together.get("other", read)).value == 3, "another key reads for itself"


async def test_a_failed_read_reaches_every_caller_and_the_next_ask_reads_again() -> None:
    together: Together[Row] = Together()
    fail = True

    async def read() -> Row:
        await asyncio.sleep(0.01)
        if fail:
            raise ConnectionError("the database is away")
        return Row(1)

    results = await asyncio.gather(
        *(together.get("demo", read) for _ in range(5)), return_exceptions=True
    )
    assert all(isinstance(r, ConnectionError) for r in results)
    fail = False
    assert (await together.get("demo", read)).value == 1


async def test_a_caller_that_gives_up_does_not_cancel_the_read_for_the_others() -> None:
    together: Together[Row] = Together()

    async def read() -> Row:
        await asyncio.sleep(0.05)
        return Row(7)

    leaving = asyncio.ensure_future(together.get("demo", read))
    staying = asyncio.ensure_future(together.get("demo", read))
    await asyncio.sleep(0.01)
    leaving.cancel()
    with pytest.raises(asyncio.CancelledError):
        await leaving
    assert (await staying).value == 7


async def test_lookups_of_different_keys_in_one_turn_share_one_read() -> None:
    asked: list[list[int]] = []

    async def read_many(keys: list[int]) -> dict[int, Row]:
        asked.append(keys)
        await asyncio.sleep(0.01)
        return {key: Row(key * 10) for key in keys if key != 4}

    gathered: Gathered[int, Row] = Gathered(read_many, most=100)
    rows = await asyncio.gather(*(gathered.get(key) for key in [1, 2, 3, 4, 2]))
    assert asked == [[1, 2, 3, 4]], "one read for the turn, a key asked twice read once"
    assert [r.value if r else None for r in rows] == [10, 20, 30, None, 20]
    assert rows[1] is not rows[4], "each asker gets a copy of its own"
    assert (await gathered.get(5)) == Row(50) and asked[-1] == [5], "nothing is kept"


async def test_a_turn_with_more_keys_than_one_read_takes_splits_them() -> None:
    asked: list[list[int]] = []

    async def read_many(keys: list[int]) -> dict[int, Row]:
        asked.append(keys)
        return {key: Row(key) for key in keys}

    gathered: Gathered[int, Row] = Gathered(read_many, most=3)
    rows = await asyncio.gather(*(gathered.get(key) for key in range(7)))
    assert [r.value for r in rows if r] == list(range(7))
    assert max(len(keys) for keys in asked) <= 3
    assert sorted(key for keys in asked for key in keys) == list(range(7))


async def test_a_failed_gathered_read_reaches_every_asker() -> None:
    async def read_many(keys: list[int]) -> dict[int, Row]:
        await asyncio.sleep(0.01)
        raise ConnectionError("the database is away")

    gathered: Gathered[int, Row] = Gathered(read_many, most=100)
    results = await asyncio.gather(*(gathered.get(k) for k in range(3)), return_exceptions=True)
    assert all(isinstance(r, ConnectionError) for r in results)
