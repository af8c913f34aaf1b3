"""Building the grid: move, swap, send back, lock, allocate and undo in the draft; publish,
roll back and unpublish releases of it.

Every edit names the grid version it was made against, so two facilitators never silently
overwrite each other; each is checked against the hard rules before it is kept.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from typing import Any

from server.allocation import Allocation, AllocationError, Explanation, Instance, allocate, check
from server.errors import Conflict, NotFound, Refused
from server.events import setup
from server.events.access import Actor, Role
from server.events.journal import Journal
from server.events.models import Event, Room, Slot
from server.grid import releases, seats, venue
from server.grid.board import Board, Cell, load_board
from server.grid.models import GridStep, Placement
from server.grid.published import publish_draft
from server.grid.steps import stored, undo_said
from server.grid.version import require_version
from server.grid.views import draft_view, published_view
from server.language import N_
from server.language.sentences import Sentence
from server.language.sentences import said as sentences_said
from server.language.surfaces import in_each, spoken
from server.workers import Processes

ALLOCATION_BUDGET = 2.0
UNDO_DEPTH = 50

Edit = Callable[[Board], Awaitable[dict[str, Any]]]
# What an edit did, in the words of the editor's "Undo: ..." button, read off the board it
# was made on (so a room removed by it still has its name).
What = Sentence | Callable[[Board], Sentence]


async def edit(
    journal: Journal,
    version: int,
    what: What,
    change: Edit,
    *,
    undoable: bool = True,
    rooms_and_slots: bool = False,
    held: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Applies one edit to the working grid, refusing it if it is stale or breaks a rule.
    ``rooms_and_slots``: the edit may change them, so they are kept for undo and every screen
    hears them. ``held``: filled in by the change with what else its undo must bring back
    (``venue.held``)."""
    journal.actor.require(Role.facilitator)
    event = journal.event
    require_version(journal, version)
    board = await load_board(event)
    # A session hidden or merged since it was placed leaves the grid with the next edit.
    await Placement.filter(event=event).exclude(pitch_id__in=list(board.pitches)).delete()
    before = board.grid
    before_rows = board.rows()
    before_venue = venue.kept(board) if rooms_and_slots else None
    broken_before = {v.english() for v in check(board.instance(before), before)}
    outcome = await change(board)
    said = what(board) if callable(what) else what
    board = await load_board(event)
    broken = [
        v for v in check(board.instance(before), board.grid) if v.english() not in broken_before
    ]
    if broken:
        raise Conflict(N_("That would break a rule: %(rule)s"), values={"rule": broken[0]})
    if before_venue is not None:
        await setup.record_venue(journal)
    if undoable:
        await GridStep.create(
            event=event,
            what=stored(said),
            placements=before_rows,
            venue={**venue.inverse(before_venue, venue.kept(board)), **(held or {})}
            if before_venue
            else None,
        )
        await _trim_undo(journal)
    return await _record(journal, board, outcome)


async def move(journal: Journal, version: int, pitch_id: int, cell: Cell) -> dict[str, Any]:
    """Puts a session in a cell; a session already there swaps into the mover's old place."""

    async def change(board: Board) -> dict[str, Any]:
        _placeable(board, pitch_id)
        room_id, slot_id = cell
        if room_id not in board.rooms or slot_id not in board.slots:
            raise NotFound(N_("That room or slot isn't part of this event."))
        if board.slots[slot_id].kind != "session":
            raise _not_for_sessions(board.slots[slot_id])
        mover = board.placements.get(pitch_id)
        occupant = board.at(cell)
        if occupant is not None and occupant.pitch_id == pitch_id:
            return {}
        for placement in (mover, occupant):
            if placement is not None and placement.locked:
                raise Conflict(
                    N_("“%(title)s” is locked; unlock it before moving it."),
                    values={"title": board.pitches[placement.pitch_id].title},
                )
        old = (mover.room_id, mover.slot_id) if mover else None
        for placement in (mover, occupant):
            if placement is not None:
                await placement.delete()
        await Placement.create(
            event=board.event, pitch_id=pitch_id, room_id=room_id, slot_id=slot_id
        )
        if occupant is not None and old is not None:
            await Placement.create(
                event=board.event, pitch_id=occupant.pitch_id, room_id=old[0], slot_id=old[1]
            )
        return {}

    return await edit(
        journal,
        version,
        lambda b: Sentence.of(N_("move “%(title)s”"), title=_title(b, pitch_id)),
        change,
    )


async def unplace(journal: Journal, version: int, pitch_id: int) -> dict[str, Any]:
    async def change(board: Board) -> dict[str, Any]:
        placement = board.placements.get(pitch_id)
        if placement is None:
            raise NotFound(N_("That session isn't on the grid."))
        if placement.locked:
            raise Conflict(N_("That session is locked; unlock it before taking it off the grid."))
        await placement.delete()
        return {}

    return await edit(
        journal,
        version,
        lambda b: Sentence.of(N_("take “%(title)s” off the grid"), title=_title(b, pitch_id)),
        change,
    )


async def lock(journal: Journal, version: int, pitch_id: int, locked: bool) -> dict[str, Any]:
    async def change(board: Board) -> dict[str, Any]:
        placement = board.placements.get(pitch_id)
        if placement is None:
            raise NotFound(N_("Only a session on the grid can be locked."))
        placement.locked = locked
        await placement.save(update_fields=["locked"])
        return {}

    said = N_("lock “%(title)s”") if locked else N_("unlock “%(title)s”")
    return await edit(
        journal, version, lambda b: Sentence.of(said, title=_title(b, pitch_id)), change
    )


Drafted = Callable[[Journal, int], Awaitable[dict[str, Any]]]
"""Keeps a drafted grid, given the version the facilitator asked on."""

# Drafting takes a second of pure Python for a usual event, several for a large one: one
# draft at a time in a process of its own, two more waiting, so that voting and every screen
# go on meanwhile.
_drafters = Processes(
    "allocate",
    processes=1,
    waiting=2,
    busy=N_("Snug is drafting other grids just now. Try again in a few seconds."),
)


async def drafted(event: Event, actor: Actor) -> Drafted:
    """Fills the grid from the votes, keeping locks and moving as little as it can.

    The allocator works on a snapshot of the board, outside the event's lock and away from the
    event loop; the command returned keeps its grid in one write, if the grid is still the one
    it was drafted from. A refusal met while drafting is raised by that command, in the write,
    where every grid refusal is."""
    found: Allocation | Refused
    try:
        actor.require(Role.facilitator)  # nobody else sets the allocator working
        event = await Event.get(id=event.id)  # the version first, then the board it names
        board = await load_board(event)
        found = await _drafters.run(allocation_of, board.instance(), ALLOCATION_BUDGET)
    except Refused as exc:
        found = exc
    return functools.partial(_keep, found=found, drafted_on=event.grid_version)


def allocation_of(instance: Instance, budget: float) -> Allocation | Conflict:
    """``allocate`` in a drafting process (its AllocationError doesn't survive pickling)."""
    try:
        return allocate(instance, budget_seconds=budget)
    except AllocationError as exc:
        return Conflict(
            N_("The locked sessions break a rule: %(rule)s"), values={"rule": exc.problems[0]}
        )


async def _keep(
    journal: Journal, version: int, *, found: Allocation | Refused, drafted_on: int
) -> dict[str, Any]:
    journal.actor.require(Role.facilitator)
    require_version(journal, version)
    if journal.event.grid_version != drafted_on:
        raise Conflict(
            N_(
                "Someone changed the grid while Snug was drafting it, so the draft wasn't kept. "
                "Your screen has the fresh grid; allocate again on it."
            )
        )
    if isinstance(found, Refused):
        raise found
    result = found
    # Every staff screen reads the same change: each explanation is said in each of the
    # event's languages, and each screen shows its own.
    codes = spoken(journal.event.languages)

    def said(sentences: Explanation) -> dict[str, str]:
        return in_each(codes, lambda: sentences_said(sentences))

    async def change(board: Board) -> dict[str, Any]:
        # Sessions hidden or merged, rooms or slots taken away while drafting stay off the grid;
        # anything else that changed meanwhile (who hosts, who is away) is checked by ``edit``.
        sessions = {s.id for s in board.slots.values() if s.kind == "session"}
        await Placement.filter(event=board.event, locked=False).delete()
        await Placement.bulk_create(
            [
                Placement(event=board.event, pitch_id=p, room_id=r, slot_id=s)
                for p, (r, s) in result.grid.items()
                if p not in board.locks
                and p in board.pitches
                and r in board.rooms
                and s in sessions
            ]
        )
        return {
            "allocation": {
                "moved": result.moved,
                "seconds": round(result.seconds, 3),
                "left_out": [
                    {"pitch": o.session, "votes": o.votes, "reason": said(o.reason)}
                    for o in result.left_out
                ],
                "reasons": {str(p): said(why) for p, why in result.reasons.items()},
                # Said only when the safety cap cut the search short (a very slow machine).
                **({"notice": said((result.notice,))} if result.notice else {}),
            }
        }

    return await edit(journal, version, Sentence.of(N_("allocate")), change)


async def undo(journal: Journal, version: int) -> dict[str, Any]:
    """Puts the grid back as it was before the latest edit kept for undo, rooms and slots too
    if that edit changed them. It is an edit like any other, so every screen sees it."""
    journal.actor.require(Role.facilitator)
    step = await GridStep.filter(event=journal.event).order_by("-id").first()
    if step is None:
        raise Conflict(N_("There is nothing to undo."))

    async def change(board: Board) -> dict[str, Any]:
        await step.delete()  # before the draft is drawn, so its button names the step before
        restored = {}
        if step.venue is not None:
            restored = await venue.restore(board.event, step.venue)
        # What has gone since (a session hidden, a room removed on the organiser's page)
        # stays gone.
        rooms = set(await Room.filter(event=board.event).values_list("id", flat=True))
        slots = set(await Slot.filter(event=board.event).values_list("id", flat=True))
        await Placement.filter(event=board.event).delete()
        await Placement.bulk_create(
            [
                Placement(event=board.event, **row)
                for row in step.placements
                if row["pitch_id"] in board.pitches
                and row["room_id"] in rooms
                and row["slot_id"] in slots
            ]
        )
        return {"undone": undo_said(journal.event, step.what), **restored}

    return await edit(
        journal,
        version,
        Sentence.of(N_("undo")),
        change,
        undoable=False,
        rooms_and_slots=step.venue is not None,
    )


# ---------------------------------------------------------------- rooms and time slots
# Changed from the grid editor, each is a grid edit like a move: versioned, checked against the
# rules, one undo away. Removing a room or slot that holds sessions is refused, naming them,
# unless the facilitator has seen them and confirms.

Items = venue.Items


async def add_room(journal: Journal, version: int, name: str, capacity: int) -> dict[str, Any]:
    def change(rooms: Items) -> None:
        rooms.append({"name": name, "capacity": capacity})

    return await _venue(
        journal,
        version,
        "room",
        Sentence.of(N_("add the room %(room)s"), room=name.strip()),
        change,
    )


async def change_room(
    journal: Journal, version: int, room_id: int, name: str, capacity: int
) -> dict[str, Any]:
    def change(rooms: Items) -> None:
        venue.find(rooms, "room", room_id).update(name=name, capacity=capacity)

    def what(board: Board) -> Sentence:
        return Sentence.of(N_("change the room %(room)s"), room=board.rooms[room_id].name)

    return await _venue(journal, version, "room", what, change)


async def remove_room(
    journal: Journal, version: int, room_id: int, unplace: bool
) -> dict[str, Any]:
    def change(rooms: Items) -> None:
        rooms.remove(venue.find(rooms, "room", room_id))

    def what(board: Board) -> Sentence:
        return Sentence.of(N_("remove the room %(room)s"), room=board.rooms[room_id].name)

    return await _venue(journal, version, "room", what, change, unplace=unplace)


async def add_slot(
    journal: Journal, version: int, starts_at: str, ends_at: str, label: str, kind: str
) -> dict[str, Any]:
    def change(slots: Items) -> None:
        slots.append({"starts_at": starts_at, "ends_at": ends_at, "label": label, "kind": kind})

    return await _venue(
        journal,
        version,
        "slot",
        Sentence.of(N_("add the slot at %(time)s"), time=starts_at[-5:]),
        change,
    )


async def change_slot(
    journal: Journal,
    version: int,
    slot_id: int,
    starts_at: str,
    ends_at: str,
    label: str,
    kind: str,
) -> dict[str, Any]:
    def change(slots: Items) -> None:
        found = venue.find(slots, "slot", slot_id)
        found.update(starts_at=starts_at, ends_at=ends_at, label=label, kind=kind)

    def what(board: Board) -> Sentence:
        return _slot_called(
            board, slot_id, N_("change the slot %(label)s"), N_("change the slot at %(time)s")
        )

    return await _venue(journal, version, "slot", what, change)


async def remove_slot(
    journal: Journal, version: int, slot_id: int, unplace: bool
) -> dict[str, Any]:
    def change(slots: Items) -> None:
        slots.remove(venue.find(slots, "slot", slot_id))

    def what(board: Board) -> Sentence:
        return _slot_called(
            board, slot_id, N_("remove the slot %(label)s"), N_("remove the slot at %(time)s")
        )

    return await _venue(journal, version, "slot", what, change, unplace=unplace)


async def _venue(
    journal: Journal,
    version: int,
    kind: str,
    what: What,
    change: Callable[[Items], None],
    *,
    unplace: bool = True,
) -> dict[str, Any]:
    held: dict[str, Any] = {}

    async def apply(board: Board) -> dict[str, Any]:
        items = venue.rooms_of(board) if kind == "room" else venue.slots_of(board)
        change(items)
        staying = {i["id"] for i in items if "id" in i}
        if not unplace:
            await setup.unplaced_by(board.event, kind, staying)
        there = board.rooms if kind == "room" else board.slots
        held.update(await venue.held(board.event, kind, set(there) - staying))
        if kind == "room":
            await setup.put_rooms(board.event, items)
        else:
            await setup.put_slots(board.event, items)
        return {}

    return await edit(journal, version, what, apply, rooms_and_slots=True, held=held)


async def publish(journal: Journal, version: int) -> dict[str, Any]:
    """Publishes the draft as the next release; phones hear one notice of what moved."""
    journal.actor.require(Role.facilitator)
    require_version(journal, version)
    return await _publish(journal, "publish")


async def rollback(journal: Journal, version: int, number: int) -> dict[str, Any]:
    """Makes the draft an earlier release's grid and publishes it as a new release; the draft
    it replaces is one undo away."""
    journal.actor.require(Role.facilitator)
    await releases.find(journal.event, number)

    async def change(board: Board) -> dict[str, Any]:
        return await releases.restore_draft(board, number)

    await edit(
        journal, version, Sentence.of(N_("roll back to release %(number)s"), number=number), change
    )
    return await _publish(journal, "rollback", number)


async def unpublish(journal: Journal, version: int) -> dict[str, Any]:
    taken_down = await releases.unpublish(journal, version)
    board = await load_board(journal.event)
    return await _record(journal, board, {"release": taken_down.number}, announce=[])


async def _publish(journal: Journal, kind: str, source: int | None = None) -> dict[str, Any]:
    event = journal.event
    board = await load_board(event)
    made = await releases.release(event, kind, board.rows(), source)
    event.grid_live = True
    await event.save(update_fields=["grid_live"])
    moved = await publish_draft(board)
    return await _record(journal, board, {"release": made.number}, announce=moved)


async def _record(
    journal: Journal,
    board: Board,
    outcome: dict[str, Any],
    *,
    announce: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """Records the draft's new version; ``announce``: what moved on phones, when a release
    (or an unpublish) changed what attendees see, told them as one notice."""
    event = board.event
    event.grid_version += 1
    await event.save(update_fields=["grid_version"])
    draft = await draft_view(board)
    await journal.record("grid.changed", {"version": event.grid_version, "draft": draft, **outcome})
    if announce is not None:
        grid = await published_view(event)
        await journal.record("grid.published", {"grid": grid, "moved": announce, **outcome})
        await seats.after_moves(journal, {m["pitch"] for m in announce})
    return {"draft": draft, **outcome}


def _placeable(board: Board, pitch_id: int) -> None:
    if pitch_id not in board.pitches:
        raise NotFound(
            N_("There is no pitch %(pitch)s to place; it may be hidden or merged."),
            values={"pitch": pitch_id},
        )


def _title(board: Board, pitch_id: int) -> str:
    return board.pitches[pitch_id].title


def _slot_called(board: Board, slot_id: int, labelled: str, timed: str) -> Sentence:
    slot = board.slots[slot_id]
    if slot.label:
        return Sentence.of(labelled, label=slot.label)
    return Sentence.of(timed, time=slot.starts_at[-5:])


def _not_for_sessions(slot: Any) -> Conflict:
    """A break or plenary, by its label (the organiser's own words) or its time."""
    plenary = slot.kind != "break"
    if slot.label:
        said = (
            N_("%(label)s is a plenary, not a slot for sessions.")
            if plenary
            else N_("%(label)s is a break, not a slot for sessions.")
        )
        return Conflict(said, values={"label": slot.label})
    said = (
        N_("The slot at %(at)s is a plenary, not a slot for sessions.")
        if plenary
        else N_("The slot at %(at)s is a break, not a slot for sessions.")
    )
    return Conflict(said, values={"at": slot.starts_at[-5:]})


async def _trim_undo(journal: Journal) -> None:
    old = await GridStep.filter(event=journal.event).order_by("-id").offset(UNDO_DEPTH)
    if old:
        await GridStep.filter(id__in=[s.id for s in old]).delete()
