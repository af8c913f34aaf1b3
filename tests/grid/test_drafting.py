"""Drafting the grid away from the event loop: voting goes on meanwhile, and a draft made on a
grid that changed before it was kept is refused, or kept without what went away."""

from __future__ import annotations

import asyncio
import dataclasses
import gc
import time
from collections.abc import Iterator
from typing import Any

import pytest

from server import collector
from server.errors import Conflict, Forbidden
from server.events.changes import Change
from server.events.models import Attendee, Event, Room, Slot
from server.grid import agenda, editing, views
from server.grid.board import load_board
from server.grid.models import Placement
from server.language.sentences import Sentence
from server.marketplace import dots, pitches
from server.marketplace.models import Dot, Pitch
from server.validation import validate
from tests.benchmarks.allocation import SHAPES, generate
from tests.conftest import Domain
from tests.grid.test_editing import Setting, setting

MAX_LAG = 0.050
TICK = 0.010


async def reference_event(domain: Domain) -> Setting:
    """The allocation benchmark's reference event (150 people, 40 pitches, 7 rooms, 5 slots)
    made as rows, with its votes as dots."""
    shape, instance = SHAPES["reference"], generate("reference", 1)
    slots = [
        {"starts_at": f"2026-11-23T{9 + i:02}:00", "ends_at": f"2026-11-23T{9 + i:02}:45"}
        for i in range(shape.slots)
    ]
    rooms = [{"name": f"Room {i}", "capacity": c} for i, c in enumerate(shape.capacities)]
    event = await domain.event(rooms=rooms, slots=slots)
    made = Setting(domain, event)
    made.rooms = [r.id for r in await Room.filter(event=event).order_by("position")]
    made.slots = [s.id for s in await Slot.filter(event=event).order_by("starts_at")]
    made.staff = await domain.facilitator(event)
    await Pitch.bulk_create(
        [
            Pitch(event=event, title=f"Session {s.id}", host=next(iter(s.hosts)))
            for s in instance.sessions
        ]
    )
    pitch_of = dict(
        zip(
            [s.id for s in instance.sessions],
            [p.id for p in await Pitch.filter(event=event).order_by("id")],
            strict=True,
        )
    )
    made.pitches = list(pitch_of.values())
    await Attendee.bulk_create(
        [Attendee(event=event, token=f"reference-{event.id}-{a}") for a in instance.votes]
    )
    people = await Attendee.filter(event=event).order_by("id").values_list("id", flat=True)
    await Dot.bulk_create(
        [
            Dot(event=event, attendee_id=person, pitch_id=pitch_of[session])
            for person, voted in zip(people, instance.votes.values(), strict=True)
            for session in voted
        ]
    )
    await Event.filter(id=event.id).update(voting_open=True, dots_per_attendee=8)
    return made


class Ticker:
    """How late a task sleeping TICK at a time wakes: what every socket waits on the loop."""

    def __init__(self) -> None:
        self.worst = 0.0
        self._task = asyncio.create_task(self._tick())

    async def _tick(self) -> None:
        while True:
            started = time.perf_counter()
            await asyncio.sleep(TICK)
            self.worst = max(self.worst, time.perf_counter() - started - TICK)

    def stop(self) -> float:
        self._task.cancel()
        return self.worst


@pytest.fixture
def settled_heap() -> Iterator[None]:
    """This process's cycle collector set as a server's is at startup (server/collector.py):
    what exists is frozen, the young generation small. Unsettled, a full collection here
    walks every object every earlier test left, and held the loop 145 to 291 ms at random in
    the suite's runs: a pause a server, which settles its own heap, never has."""
    thresholds, callbacks = gc.get_threshold(), list(gc.callbacks)
    collector.settle()
    yield
    gc.unfreeze()
    gc.set_threshold(*thresholds)
    gc.callbacks[:] = callbacks


@pytest.mark.usefixtures("settled_heap")
async def test_votes_are_taken_and_the_loop_keeps_time_while_a_grid_is_drafted(
    domain: Domain,
) -> None:
    s = await reference_event(domain)
    voters = [await domain.attendee(s.event) for _ in range(10)]
    ticker = Ticker()
    drafting = asyncio.create_task(s.allocate(0))  # the first may start the worker process
    voted_while_drafting = 0
    for voter in voters:
        for pitch_id in s.pitches[:8]:
            if drafting.done():
                break
            await domain.run(s.event, voter, dots.place_dot, pitch_id)
            voted_while_drafting += not drafting.done()
    result = await drafting
    lag = ticker.stop()
    assert result["allocation"]["seconds"] > 0.2  # the draft took long enough to matter
    # Before, the allocator held the loop, and with it every vote, until it was done.
    assert voted_while_drafting >= 5
    assert lag < MAX_LAG, f"the event loop was held up {lag * 1000:.0f} ms during a draft"
    assert await Placement.filter(event=s.event).count() == len(result["draft"]["placements"]) > 0


async def test_a_draft_on_a_grid_changed_meanwhile_is_refused_and_changes_nothing(
    domain: Domain,
) -> None:
    s = await setting(domain)
    keep = await editing.drafted(s.event, s.staff)
    await s.run(editing.move, 0, s.pitches[0], (s.rooms[0], s.slots[0]))
    before = await domain.rows(s.event)
    with pytest.raises(Conflict, match="changed the grid while Snug was drafting"):
        await s.run(keep, 1)
    assert await domain.rows(s.event) == before


async def test_a_draft_asked_on_a_stale_grid_is_refused_as_every_stale_edit(
    domain: Domain,
) -> None:
    s = await setting(domain)
    await s.run(editing.move, 0, s.pitches[0], (s.rooms[0], s.slots[0]))
    with pytest.raises(Conflict, match="Someone else changed the grid"):
        await s.allocate(0)


async def test_a_session_withdrawn_while_drafting_is_left_off_the_kept_grid(
    domain: Domain,
) -> None:
    s = await setting(domain)
    keep = await editing.drafted(s.event, s.staff)
    gone = s.pitches[0]
    await s.run(pitches.withdraw_pitch, gone)
    await s.run(keep, 0)
    assert set(await s.grid()) == set(s.pitches[1:])


async def test_a_rule_broken_by_a_change_while_drafting_refuses_the_draft(
    domain: Domain,
) -> None:
    s = await setting(domain)
    keep = await editing.drafted(s.event, s.staff)
    assert await s.version() == 0  # a host's hours don't change the grid's version
    # The draft placed every session; now the first one's host can come at no time.
    await s.run(pitches.edit_pitch, s.pitches[0], {"unavailable": s.slots})
    before = await domain.rows(s.event)
    with pytest.raises(Conflict, match="would break a rule"):
        await s.run(keep, 0)
    assert await domain.rows(s.event) == before


async def test_only_facilitators_set_the_allocator_working(domain: Domain) -> None:
    s = await setting(domain)
    attendee = await domain.attendee(s.event)
    keep = await editing.drafted(s.event, attendee)
    before = await domain.rows(s.event)
    with pytest.raises(Forbidden):
        await domain.run(s.event, attendee, keep, 0)
    assert await domain.rows(s.event) == before


async def test_checks_of_a_large_board_are_made_in_a_process_and_say_the_same(
    domain: Domain, monkeypatch: pytest.MonkeyPatch
) -> None:
    s = await reference_event(domain)
    await s.allocate(0)
    board = await load_board(s.event)
    here = views.checked(board.instance(), board.grid, board.interest)
    assert here["served"]["total"] > 0

    def not_here(*_args: object) -> None:
        raise AssertionError("checked on the event loop")

    monkeypatch.setattr(views, "CHECKS_INLINE", 0)
    monkeypatch.setattr(views, "served_votes", not_here)  # the checking process has its own
    assert await views.checks_of(board) == here


async def test_a_draft_cut_short_by_the_safety_cap_says_so_and_a_full_one_does_not(
    domain: Domain, monkeypatch: pytest.MonkeyPatch
) -> None:
    s = await setting(domain)
    full = await s.allocate(0)
    assert "notice" not in full["allocation"]

    async def capped_run(job: Any, *args: Any) -> Any:
        done = job(*args)  # the allocator itself, here rather than in its process
        stopped = Sentence.of("Stopped at its time limit.")
        return dataclasses.replace(done, capped=True, notice=stopped)

    monkeypatch.setattr(editing._drafters, "run", capped_run)
    cut = await s.allocate(await s.version())
    assert cut["allocation"]["notice"] == {"en": "Stopped at its time limit."}


async def test_a_bilingual_events_draft_explains_itself_in_welsh_and_english(
    domain: Domain,
) -> None:
    s = await setting(domain)
    await Event.filter(id=s.event.id).update(languages=["cy", "en"])
    await s.run(pitches.edit_pitch, s.pitches[3], {"unavailable": s.slots})  # left out
    done = (await s.allocate(0))["allocation"]
    placed = done["reasons"][str(s.pitches[0])]
    assert set(placed) == {"cy", "en"}
    assert "seats" in placed["en"] and "seats" not in placed["cy"]
    assert "pleidlais" in placed["cy"] or "pleidleisiau" in placed["cy"]
    [left] = done["left_out"]
    assert left["reason"]["en"].startswith("Left out, with 0 votes. No cell is open to it")
    left_out_in_welsh = "Wedi’i gadael allan, gyda 0 pleidlais. Does dim cell"  # noqa: RUF001
    assert left["reason"]["cy"].startswith(left_out_in_welsh)
    changed = await Change.filter(event=s.event, kind="grid.changed").order_by("-seq").first()
    assert changed is not None and changed.data["allocation"] == done
    validate("server-change", changed.message())


async def test_agendas_of_many_voters_are_filled_in_a_process_and_say_the_same(
    domain: Domain, monkeypatch: pytest.MonkeyPatch
) -> None:
    s = await reference_event(domain)
    await s.allocate(0)
    await s.run(editing.publish, await s.version())
    here = await agenda.agendas(s.event)
    assert sum(len(a) for a in here.values()) > 100, "the votes fill the published slots"

    handed: list[object] = []
    run = agenda._fillers.run

    async def handing(job: Any, *args: Any) -> Any:
        handed.append(job)
        return await run(job, *args)

    monkeypatch.setattr(agenda, "FILL_INLINE", 0)
    monkeypatch.setattr(agenda._fillers, "run", handing)
    assert await agenda.agendas(s.event) == here
    assert handed == [agenda.filled], "filled by the process, not on the event loop"
