"""An event's changes put back in seq order before its screens hear them.

Each process publishes its own commits in order, but two processes' commits can reach the hub
the other way round: the one that committed seq 120 may publish after the one that committed
121. A screen that hears 121 first sees a gap and catches up from the database, so a storm on
several processes would send thousands of screens to the database at once. The room holds a
change that arrives ahead of a gap until the gap fills, and lets it go anyway after GAP_WAIT:
a change committed but never published (its process died between the two) leaves the screens
to find the rest in the database, as they always could. So does a deliberate jump in an event's
seq (erasing its personal data sends every screen a snapshot that way), a second late.

No I/O here: the room passes in the time, so the ordering can be tested on its own.
"""

from __future__ import annotations

from typing import Any

GAP_WAIT = 1.0  # seconds a change ahead of a gap waits for the changes before it
Message = dict[str, Any]


class InOrder:
    def __init__(self) -> None:
        self.last: int | None = None  # the last seq let go; None until the first is known
        self._held: dict[int, Message] = {}
        self._gap_since: float | None = None
        self._waited: list[float] = []

    def start_after(self, seq: int) -> None:
        """The event's seq when the room began listening: changes after it are awaited."""
        if self.last is None:
            self.last = seq

    def take(self, changes: list[Message], now: float) -> list[Message]:
        """What can go out now, in seq order: a resync at once, with everything held."""
        ready: list[Message] = []
        for change in changes:
            seq = change.get("seq")
            if seq is None:  # a resync: what went missing is read again, so nothing is awaited
                ready += self._everything_held()
                ready.append(change)
                self.last = None
            elif self.last is not None and seq <= self.last:
                ready.append(change)  # from before the room listened: screens skip what they had
            else:
                self._held[seq] = change
        if self.last is None and self._held:
            self.last = min(self._held) - 1
        run = self._run_after_last()
        ready += run
        # Given up on only when nothing came to fill it: a run that filled it leaves any gap
        # after it a wait of its own.
        gap = None if self._gap_since is None else now - self._gap_since
        if self._held and not run and gap is not None and gap >= GAP_WAIT:
            ready += self._everything_held()
        if gap is not None and (run or not self._held):
            self._waited.append(gap)  # the gap filled, or was given up on
        if not self._held:
            self._gap_since = None
        elif self._gap_since is None or run:  # a new gap: it gets its own wait
            self._gap_since = now
        return ready

    def waits(self) -> list[float]:
        """Seconds each gap held changes back, from its opening until it filled or was given
        up on, as seen by ``take``, since this was last asked: with several processes, how
        long screens waited on the hub's ordering."""
        waited, self._waited = self._waited, []
        return waited

    def wait(self, now: float) -> float | None:
        """Seconds until what is held goes out whether or not its gap fills; None if nothing
        is held."""
        if self._gap_since is None:
            return None
        return max(0.0, self._gap_since + GAP_WAIT - now)

    def _run_after_last(self) -> list[Message]:
        run = []
        while self.last is not None and self.last + 1 in self._held:
            self.last += 1
            run.append(self._held.pop(self.last))
        return run

    def _everything_held(self) -> list[Message]:
        held = [self._held[seq] for seq in sorted(self._held)]
        if held:
            self.last = max(self.last or 0, held[-1]["seq"])
        self._held.clear()
        return held
