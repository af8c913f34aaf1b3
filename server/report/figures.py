"""The report's figures: the marketplace, the votes the published grid serves, first-timers,
each session (sessions.py) and the actions day by day (actions.py), drawn at one moment."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from server.allocation import served_votes
from server.allocation.model import Served
from server.events.models import Attendee, Event
from server.events.setup import FIRST_TIME
from server.grid.board import load_board
from server.grid.published import published_cells
from server.marketplace.models import Dot, Pitch
from server.report import actions, sessions


@dataclass(frozen=True)
class Report:
    event: Event
    drawn_at: datetime
    joined: int  # people who joined
    pitched: int  # people who pitched at least one session
    voted: int  # people who placed at least one dot
    pitches: int  # pitches on the board (not hidden, not merged into another)
    dots: int
    published: bool  # whether a grid has been published, so votes can be served
    served: Served
    first_time: dict[str, int]  # each answer (server/events/setup.py FIRST_TIME) -> how many
    sessions: list[sessions.Session]
    actions: list[actions.Day]

    @property
    def answered(self) -> int:
        """People who answered the first-timer question, "rather not say" included."""
        return sum(self.first_time.values())


async def draw(event: Event, now: datetime) -> Report:
    board = await load_board(event)
    cells = await published_cells(event)
    dots = await Dot.filter(event=event).values_list("attendee_id", flat=True)
    authors = await Pitch.filter(event=event, author_id__isnull=False).values_list(
        "author_id", flat=True
    )
    answers = Counter(
        str(a)
        for a in await Attendee.filter(event=event, first_time__isnull=False).values_list(
            "first_time", flat=True
        )
    )
    return Report(
        event=event,
        drawn_at=now,
        joined=await Attendee.filter(event=event).count(),
        pitched=len(set(authors)),
        voted=len(set(dots)),
        pitches=len(board.pitches),
        dots=len(dots),
        published=bool(cells),
        served=served_votes(board.instance(), cells),
        first_time={answer: answers[answer] for answer in FIRST_TIME},
        sessions=await sessions.on_the_grid(event),
        actions=await actions.over_time(event, now),
    )
