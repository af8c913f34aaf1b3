"""The allocator explains itself: for each placed session why it is there and what moving it
would cost, and for each left-out session why it is out, in words a facilitator understands:
whole sentences marked for the catalogue, said in each reader's language where the draft is
kept (the allocator runs in a worker process, where no one's language is known)."""

from __future__ import annotations

from server.allocation.limit import Limit
from server.allocation.model import Explanation, LeftOut
from server.allocation.problem import MOVE_PENALTY, Problem, State
from server.language import N_, Nn_
from server.language.sentences import Sentence, Value


def explain_placements(
    p: Problem, state: State, free_cells: list[int], limit: Limit
) -> dict[int, Explanation]:
    T = state.T
    reasons: dict[int, Explanation] = {}
    free = set(free_cells)
    for s in sorted(range(len(p.sessions)), key=lambda s: p.sessions[s]):
        t = state.slot_of[s]
        if t < 0:
            continue
        r = state.room_of[s]
        here = _cell_words(p, T, r * T + t)
        votes = len(p.voters[s])
        if s in p.locked:
            locked = Nn_(
                "Locked by a facilitator in %(room)s, %(slot)s, with %(n)s vote.",
                "Locked by a facilitator in %(room)s, %(slot)s, with %(n)s votes.",
            )
            reasons[p.sessions[s]] = (Sentence.of(locked, votes, **here),)
            continue
        said: list[Sentence] = []
        cell = r * T + t
        before = p.previous.get(s, cell)
        if before != cell:
            said.append(why_moved(p, state, s, before, free))
        said.extend(_seats_and_clashes(p, state, s, here))
        if not limit.over():
            said.append(_cost_of_moving(p, state, s, cell, free))
        reasons[p.sessions[s]] = tuple(said)
    return reasons


def _seats_and_clashes(p: Problem, state: State, s: int, here: Words) -> list[Sentence]:
    """How many voted for ``s``, whether its room seats them, and how many of them want
    another session in its slot."""
    votes = len(p.voters[s])
    seats = p.cap[state.room_of[s]]
    if seats >= votes:
        seated = Nn_(
            "%(n)s vote; %(room)s seats %(seats)s.", "%(n)s votes; %(room)s seats %(seats)s."
        )
        said = [Sentence.of(seated, votes, room=here["room"], seats=seats)]
    else:
        full = Nn_(
            "%(n)s vote; %(room)s seats %(seats)s, so up to %(full)s of them find it full.",
            "%(n)s votes; %(room)s seats %(seats)s, so up to %(full)s of them find it full.",
        )
        said = [Sentence.of(full, votes, room=here["room"], seats=seats, full=votes - seats)]
    clashing = votes - state.n1[s]
    if clashing:
        elsewhere = Nn_(
            "%(n)s of its voters also wants another session in %(slot)s.",
            "%(n)s of its voters also want another session in %(slot)s.",
        )
        said.append(Sentence.of(elsewhere, clashing, slot=here["slot"]))
    return said


def _cost_of_moving(p: Problem, state: State, s: int, cell: int, free: set[int]) -> Sentence:
    """What moving placed ``s`` to its best other cell would cost in served votes."""
    alt = best_alternative(p, state, s, cell, free)
    if alt is None:
        return Sentence.of(N_("No other cell is open to it (rooms, hosts and locks)."))
    cost, other_cell, other = alt
    there = _cell_words(p, state.T, other_cell)
    swapping = other >= 0
    if swapping:
        there["session"] = p.instance.name("session", p.sessions[other])
    if cost > 0:
        costs = (
            Nn_(
                "Moving it costs at least %(n)s served vote: the best other cell is %(room)s, "
                "%(slot)s (swapping with %(session)s).",
                "Moving it costs at least %(n)s served votes: the best other cell is %(room)s, "
                "%(slot)s (swapping with %(session)s).",
            )
            if swapping
            else Nn_(
                "Moving it costs at least %(n)s served vote: the best other cell is %(room)s, "
                "%(slot)s.",
                "Moving it costs at least %(n)s served votes: the best other cell is %(room)s, "
                "%(slot)s.",
            )
        )
        return Sentence.of(costs, cost, **there)
    if cost == 0:
        free_move = (
            N_(
                "It could move to %(room)s, %(slot)s (swapping with %(session)s) at no cost in "
                "served votes."
            )
            if swapping
            else N_("It could move to %(room)s, %(slot)s at no cost in served votes.")
        )
        return Sentence.of(free_move, **there)
    gains = (
        Nn_(
            "Moving it to %(room)s, %(slot)s (swapping with %(session)s) would serve %(n)s more "
            "vote, but it stays where the current grid has it.",
            "Moving it to %(room)s, %(slot)s (swapping with %(session)s) would serve %(n)s more "
            "votes, but it stays where the current grid has it.",
        )
        if swapping
        else Nn_(
            "Moving it to %(room)s, %(slot)s would serve %(n)s more vote, but it stays where "
            "the current grid has it.",
            "Moving it to %(room)s, %(slot)s would serve %(n)s more votes, but it stays where "
            "the current grid has it.",
        )
    )
    return Sentence.of(gains, -cost, **there)


def why_moved(p: Problem, state: State, s: int, before: int, free: set[int]) -> Sentence:
    """Why ``s`` is no longer in ``before``, its cell in the previous grid."""
    name = p.instance.name
    t = before % state.T
    there = _cell_words(p, state.T, before)
    other = state.occ[before]
    if other >= 0:
        there["session"] = name("session", p.sessions[other])
    if before not in free:
        if other >= 0 and other in p.locked:
            return Sentence.of(
                N_("Moved from %(room)s, %(slot)s: %(session)s is locked there."), **there
            )
        return Sentence.of(
            N_("Moved from %(room)s, %(slot)s: that room is out of use then."), **there
        )
    if not p.sess_ok[s][t]:
        return Sentence.of(
            N_("Moved from %(room)s, %(slot)s: its host cannot run it then."), **there
        )
    if not state.fits(s, before, other):
        return Sentence.of(
            N_("Moved from %(room)s, %(slot)s: its host has another session then."), **there
        )
    loss = move_cost(p, state, s, before)
    if loss is None:
        return Sentence.of(
            N_("Moved from %(room)s, %(slot)s: %(session)s, there now, cannot take its place."),
            **there,
        )
    if loss > 0:
        fewer = (
            Nn_(
                "Moved from %(room)s, %(slot)s: putting it back (swapping with %(session)s) "
                "would serve %(n)s fewer vote.",
                "Moved from %(room)s, %(slot)s: putting it back (swapping with %(session)s) "
                "would serve %(n)s fewer votes.",
            )
            if other >= 0
            else Nn_(
                "Moved from %(room)s, %(slot)s: putting it back would serve %(n)s fewer vote.",
                "Moved from %(room)s, %(slot)s: putting it back would serve %(n)s fewer votes.",
            )
        )
        return Sentence.of(fewer, loss, **there)
    no_fewer = (
        N_(
            "Moved from %(room)s, %(slot)s: putting it back (swapping with %(session)s) would "
            "serve no fewer votes, but the time limit cut the run short."
        )
        if other >= 0
        else N_(
            "Moved from %(room)s, %(slot)s: putting it back would serve no fewer votes, but the "
            "time limit cut the run short."
        )
    )
    return Sentence.of(no_fewer, **there)


Words = dict[str, Value]


def _cell_words(p: Problem, T: int, cell: int) -> Words:
    """The placeholders naming a cell: its room and slot, as the instance names them."""
    return {
        "room": p.instance.name("room", p.rooms[cell // T]),
        "slot": p.instance.name("slot", p.slots[cell % T]),
    }


def best_alternative(
    p: Problem, state: State, s: int, cell: int, free: set[int]
) -> tuple[int, int, int] | None:
    """(served votes lost, cell, session swapped with or -1) of the best other cell for ``s``:
    every cell on small grids; on big ones, per slot the room closest in size, and the rooms
    either side of it in its own slot."""
    T = state.T
    t = cell % T
    candidates: list[int]
    if len(free) <= 120:
        candidates = sorted(free)
    else:
        candidates = []
        seats = p.cap[cell // T]
        for u in range(T):
            in_slot = sorted(
                (c for c in free if c % T == u and c != cell),
                key=lambda c: (abs(p.cap[c // T] - seats), c),
            )
            candidates.extend(in_slot[: 3 if u == t else 1])
    best: tuple[int, int, int] | None = None
    for other_cell in candidates:
        loss = move_cost(p, state, s, other_cell)
        if loss is not None and (best is None or loss < best[0]):
            best = (loss, other_cell, state.occ[other_cell])
    return best


def move_cost(p: Problem, state: State, s: int, other_cell: int) -> int | None:
    """Served votes lost by moving placed ``s`` into ``other_cell``, swapping with the session
    there if any (and undoing it); None when that breaks a rule or moves a locked session."""
    cell = state.room_of[s] * state.T + state.slot_of[s]
    if other_cell == cell:
        return None
    other = state.occ[other_cell]
    if other >= 0 and other in p.locked:
        return None
    if not state.fits(s, other_cell, other):
        return None
    if other >= 0 and not state.fits(other, cell, s):
        return None
    loss = -state.relocate(s, other_cell)
    state.relocate(s, cell)
    return loss


def trial(p: Problem, state: State, u: int, cell: int) -> tuple[int, int, int, int]:
    """Put left-out ``u`` into ``cell`` instead of its session (if any), and undo it.

    Returns (change in served votes, change in sessions moved from the previous grid, served
    votes the session in ``cell`` adds to its slot, served votes ``u`` would add there).
    """
    t = cell % state.T
    v = state.occ[cell]
    old = state.val[t]
    moved_before = state.moved
    if v >= 0:
        state.remove(v)
        base = state.slot_value(t)
    else:
        base = old
    state.place(u, cell)
    with_u = state.slot_value(t)
    moved = state.moved - moved_before
    state.remove(u)
    if v >= 0:
        state.place(v, cell)
    return with_u - old, moved, old - base, with_u - base


def explain_left_out(
    p: Problem, state: State, free_cells: list[int], limit: Limit
) -> tuple[LeftOut, ...]:
    """Why each session is not in the grid, in a facilitator's words: its best way in, and what
    that would cost in served votes and why."""
    result = []
    for s in sorted(range(len(p.sessions)), key=lambda s: p.sessions[s]):
        if state.slot_of[s] >= 0:
            continue
        votes = len(p.voters[s])
        if s in p.forced:
            forced = N_(
                "Forced in, but no cell is open to it: its host is unavailable or busy, or the "
                "room is out of use, locked or holds another forced session, in every slot."
            )
            why: Explanation = (Sentence.of(forced),)
        else:
            head = Sentence.of(
                Nn_("Left out, with %(n)s vote.", "Left out, with %(n)s votes."), votes
            )
            why = (head, *_why_left_out(p, state, s, free_cells, limit))
        result.append(LeftOut(p.sessions[s], votes, why + _previous_cell(p, state.T, s)))
    return tuple(result)


def _why_left_out(
    p: Problem, state: State, s: int, free_cells: list[int], limit: Limit
) -> Explanation:
    """Left-out ``s``'s best way in, and what that would cost in served votes and why."""
    T = state.T
    name = p.instance.name
    options = [
        c
        for c in free_cells
        if (state.occ[c] < 0 or state.occ[c] not in p.forced) and state.fits(s, c, state.occ[c])
    ]
    if not options:
        shut = N_(
            "No cell is open to it: its host is unavailable or busy, or the room is out of use, "
            "locked or holds a forced session, in every slot."
        )
        return (Sentence.of(shut),)
    if limit.over():
        unweighed = N_("The time limit cut the run short before the cells open to it were weighed.")
        return (Sentence.of(unweighed),)
    trials = []
    for c in options:
        served, moved, brings, adds = trial(p, state, s, c)
        trials.append((served - MOVE_PENALTY * moved, served, -c, moved, brings, adds))
    _, served, minus_cell, moved, brings, adds = max(trials)
    cell = -minus_cell
    there = _cell_words(p, T, cell)
    other = state.occ[cell]
    if other < 0:
        unplaced = N_(
            "It fits in %(room)s, %(slot)s, which is free, but the time limit cut the run short "
            "before it was placed."
        )
        return (Sentence.of(unplaced, **there),)
    there["session"] = name("session", p.sessions[other])
    if served > 0:
        more = (
            Nn_(
                "Placing it instead of %(session)s (%(room)s, %(slot)s) would serve %(n)s more "
                "vote, not enough to move a session of the grid people already have.",
                "Placing it instead of %(session)s (%(room)s, %(slot)s) would serve %(n)s more "
                "votes, not enough to move a session of the grid people already have.",
            )
            if moved > 0 and served <= MOVE_PENALTY * moved
            else Nn_(
                "Placing it instead of %(session)s (%(room)s, %(slot)s) would serve %(n)s more "
                "vote, but the time limit cut the run short before it was tried.",
                "Placing it instead of %(session)s (%(room)s, %(slot)s) would serve %(n)s more "
                "votes, but the time limit cut the run short before it was tried.",
            )
        )
        return (Sentence.of(more, served, **there),)
    figures = Sentence.of(
        Nn_(
            "There it would serve %(n)s vote, and %(session)s serves %(theirs)s.",
            "There it would serve %(n)s votes, and %(session)s serves %(theirs)s.",
        ),
        adds,
        session=there["session"],
        theirs=brings,
    )
    if served == 0:
        same = N_(
            "Placing it instead of %(session)s (%(room)s, %(slot)s) would serve no more votes."
        )
        return (Sentence.of(same, **there), figures)
    fewer = Nn_(
        "Placing it instead of %(session)s (%(room)s, %(slot)s) would serve %(n)s fewer vote.",
        "Placing it instead of %(session)s (%(room)s, %(slot)s) would serve %(n)s fewer votes.",
    )
    return (Sentence.of(fewer, -served, **there), _why_fewer(p, state, s, cell, adds), figures)


def _why_fewer(p: Problem, state: State, s: int, cell: int, adds: int) -> Sentence:
    """Why left-out ``s`` would serve fewer votes in ``cell`` than the session there."""
    T = state.T
    t = cell % T
    there = _cell_words(p, T, cell)
    other = state.occ[cell]
    votes = len(p.voters[s])
    counts = state.cnt
    voters = p.voters[s]
    busy_everywhere = sum(1 for a in voters if all(counts[u][a] for u in range(T)))
    theirs = set(p.voters[other])
    busy_there = sum(1 for a in voters if counts[t][a] - (a in theirs) > 0)
    seats = p.cap[cell // T]
    if votes == 0:
        return Sentence.of(N_("Nobody voted for it."))
    if T > 1 and 2 * busy_everywhere > votes:
        most = N_(
            "Most of its voters (%(busy)s of %(votes)s) already have a session they voted for in "
            "every slot."
        )
        return Sentence.of(most, busy=busy_everywhere, votes=votes)
    if busy_there > 0 and 2 * busy_there >= votes - adds:
        busy = Nn_(
            "%(n)s of its %(votes)s voters already has another session they voted for in %(slot)s.",
            "%(n)s of its %(votes)s voters already have another session they voted for in "
            "%(slot)s.",
        )
        return Sentence.of(busy, busy_there, votes=votes, slot=there["slot"])
    if seats < votes:
        return Sentence.of(N_("%(room)s seats only %(seats)s."), room=there["room"], seats=seats)
    serves_more = N_("%(session)s serves more there.")
    return Sentence.of(serves_more, session=p.instance.name("session", p.sessions[other]))


def _previous_cell(p: Problem, T: int, s: int) -> Explanation:
    """A session the previous grid had is moved off it: say where it was."""
    before = p.previous.get(s)
    if before is None:
        return ()
    had = N_("The previous grid had it in %(room)s, %(slot)s.")
    return (Sentence.of(had, **_cell_words(p, T, before)),)
