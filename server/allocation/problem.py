"""The allocator's working state: an instance flattened into indexes, and a grid that keeps, per
slot and attendee, the counts that make a move's change in served votes cheap to work out."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from server.allocation.model import (
    Cell,
    Instance,
)
from server.allocation.served import match_multis

MOVE_PENALTY = 1.0
"""Served votes a move away from ``instance.previous`` must gain to be worth making."""


@dataclass
class Problem:
    rooms: list[int]
    slots: list[int]
    sessions: list[int]
    cap: list[int]
    room_ok: list[list[bool]]  # [r][t]
    sess_ok: list[list[bool]]  # [s][t]
    hosts: list[list[int]]
    voters: list[list[int]]
    votes_of: list[list[int]]
    locked: dict[int, int]  # session index -> flat cell index
    forced: set[int]
    previous: dict[int, int]  # session index -> flat cell index (unlocked, valid cells only)
    instance: Instance


def prepare(instance: Instance) -> Problem:
    rooms = [room.id for room in instance.rooms]
    slots = list(instance.slots)
    slot_index = {slot: t for t, slot in enumerate(slots)}
    room_index = {room: r for r, room in enumerate(rooms)}
    sessions = [session.id for session in instance.sessions]
    session_index = {session: s for s, session in enumerate(sessions)}
    host_ids: dict[str, int] = {}
    hosts = [
        [host_ids.setdefault(h, len(host_ids)) for h in sorted(session.hosts)]
        for session in instance.sessions
    ]
    t_count = len(slots)
    room_ok = [[slot not in room.unavailable for slot in slots] for room in instance.rooms]
    sess_ok = [[slot not in session.unavailable for slot in slots] for session in instance.sessions]
    voters: list[list[int]] = [[] for _ in sessions]
    votes_of: list[list[int]] = []
    for attendee in sorted(instance.votes):
        known = sorted({session_index[s] for s in instance.votes[attendee] if s in session_index})
        if not known:
            continue
        a = len(votes_of)
        votes_of.append(known)
        for s in known:
            voters[s].append(a)

    def flat(cell: Cell) -> int:
        return room_index[cell[0]] * t_count + slot_index[cell[1]]

    locked = {session_index[s]: flat(cell) for s, cell in instance.locks.items()}
    previous: dict[int, int] = {}
    for s_id, cell in sorted(instance.previous.items()):
        if s_id not in session_index or cell[0] not in room_index or cell[1] not in slot_index:
            continue
        if session_index[s_id] not in locked:
            previous[session_index[s_id]] = flat(cell)
    forced = {session_index[s] for s in instance.forced if s in session_index}
    return Problem(
        rooms=rooms,
        slots=slots,
        sessions=sessions,
        cap=[room.capacity for room in instance.rooms],
        room_ok=room_ok,
        sess_ok=sess_ok,
        hosts=hosts,
        voters=voters,
        votes_of=votes_of,
        locked=locked,
        forced=forced,
        previous=previous,
        instance=instance,
    )


class State:
    """A grid with the per-slot counts that make a move's served-votes change cheap."""

    def __init__(self, p: Problem) -> None:
        self.p = p
        self.T = len(p.slots)
        self.R = len(p.rooms)
        n_s = len(p.sessions)
        n_a = len(p.votes_of)
        self.slot_of = [-1] * n_s
        self.room_of = [-1] * n_s
        self.occ = [-1] * (self.R * self.T)
        self.cnt = [[0] * n_a for _ in range(self.T)]
        self.n1 = [0] * n_s
        self.multis: list[dict[int, None]] = [{} for _ in range(self.T)]
        self.host_cnt: list[dict[int, int]] = [{} for _ in range(self.T)]
        self.val = [0] * self.T
        self.moved = len(p.previous)  # a session of the previous grid left out counts as moved

    # -- primitive changes (they leave ``val`` to the caller) --

    def place(self, s: int, cell: int) -> None:
        r, t = divmod(cell, self.T)
        self.slot_of[s] = t
        self.room_of[s] = r
        self.occ[cell] = s
        hc = self.host_cnt[t]
        for h in self.p.hosts[s]:
            hc[h] = hc.get(h, 0) + 1
        counts = self.cnt[t]
        slot_of = self.slot_of
        n1 = self.n1
        votes_of = self.p.votes_of
        multis = self.multis[t]
        n = 0
        for a in self.p.voters[s]:
            c = counts[a]
            counts[a] = c + 1
            if c == 0:
                n += 1
            elif c == 1:
                for y in votes_of[a]:
                    if y != s and slot_of[y] == t:
                        n1[y] -= 1
                        break
                multis[a] = None
        n1[s] = n
        if self.p.previous.get(s) == cell:
            self.moved -= 1

    def remove(self, s: int) -> int:
        t = self.slot_of[s]
        cell = self.room_of[s] * self.T + t
        self.occ[cell] = -1
        self.slot_of[s] = -1
        self.room_of[s] = -1
        hc = self.host_cnt[t]
        for h in self.p.hosts[s]:
            hc[h] -= 1
        counts = self.cnt[t]
        slot_of = self.slot_of
        n1 = self.n1
        votes_of = self.p.votes_of
        multis = self.multis[t]
        for a in self.p.voters[s]:
            c = counts[a]
            counts[a] = c - 1
            if c == 2:
                for y in votes_of[a]:
                    if slot_of[y] == t:
                        n1[y] += 1
                        break
                del multis[a]
        n1[s] = 0
        if self.p.previous.get(s) == cell:
            self.moved += 1
        return cell

    def swap_rooms(self, s1: int, s2: int) -> None:
        """Exchange the rooms of two sessions in one slot (no attendance counts change)."""
        r1, r2, t = self.room_of[s1], self.room_of[s2], self.slot_of[s1]
        c1, c2 = r1 * self.T + t, r2 * self.T + t
        prev = self.p.previous
        before = (prev.get(s1, c1) != c1) + (prev.get(s2, c2) != c2)
        self.room_of[s1], self.room_of[s2] = r2, r1
        self.occ[c1], self.occ[c2] = s2, s1
        after = (prev.get(s1, c2) != c2) + (prev.get(s2, c1) != c1)
        self.moved += after - before

    def relocate(self, s: int, target: int) -> int:
        """Move placed ``s`` into ``target``, swapping with the session there if any, keep
        ``val`` up to date, and return the change in served votes. Relocating ``s`` back to
        where it was undoes it exactly."""
        T = self.T
        cell = self.room_of[s] * T + self.slot_of[s]
        t, u = cell % T, target % T
        other = self.occ[target]
        val = self.val
        if u == t:
            if other >= 0:
                self.swap_rooms(s, other)
            else:
                self.remove(s)
                self.place(s, target)
            new = self.slot_value(t)
            delta = new - val[t]
            val[t] = new
            return delta
        self.remove(s)
        if other >= 0:
            self.remove(other)
            self.place(other, cell)
        self.place(s, target)
        new_t, new_u = self.slot_value(t), self.slot_value(u)
        delta = new_t + new_u - val[t] - val[u]
        val[t], val[u] = new_t, new_u
        return delta

    def slot_value(self, t: int) -> int:
        T = self.T
        occ = self.occ
        n1 = self.n1
        cap = self.p.cap
        served = 0
        residual: dict[int, int] = {}
        for r in range(self.R):
            x = occ[r * T + t]
            if x >= 0:
                n = n1[x]
                c = cap[r]
                if n >= c:
                    served += c
                else:
                    served += n
                    residual[x] = c - n
        multis = self.multis[t]
        if multis:
            slot_of = self.slot_of
            votes_of = self.p.votes_of
            neighbours = [[y for y in votes_of[a] if slot_of[y] == t] for a in multis]
            served += match_multis(neighbours, residual)
        return served

    def slot_bound(self, t: int) -> int:
        """An upper bound on ``slot_value(t)`` without its matching: the singles' seats, plus
        one vote per multi up to the seats left."""
        T = self.T
        occ = self.occ
        n1 = self.n1
        cap = self.p.cap
        served = spare = 0
        for r in range(self.R):
            x = occ[r * T + t]
            if x >= 0:
                n = n1[x]
                c = cap[r]
                if n >= c:
                    served += c
                else:
                    served += n
                    spare += c - n
        multis = len(self.multis[t])
        return served + (multis if multis < spare else spare)

    def fits(self, s: int, cell: int, leaving: int = -1) -> bool:
        """Can ``s`` go into ``cell`` if ``leaving`` (a session in that slot, or -1) leaves it?"""
        t = cell % self.T
        if not self.p.sess_ok[s][t]:
            return False
        if self.slot_of[s] == t:
            return True
        hc = self.host_cnt[t]
        leaving_hosts = self.p.hosts[leaving] if leaving >= 0 else ()
        return all(hc.get(h, 0) - (h in leaving_hosts) <= 0 for h in self.p.hosts[s])

    def grid(self) -> list[int]:
        pairs = zip(self.room_of, self.slot_of, strict=True)
        return [r * self.T + t if t >= 0 else -1 for r, t in pairs]


def build(p: Problem, cells: Sequence[int]) -> State:
    state = State(p)
    for s, cell in enumerate(cells):
        if cell >= 0:
            state.place(s, cell)
    state.val = [state.slot_value(t) for t in range(state.T)]
    return state
