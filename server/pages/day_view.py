"""Where the day is, for a page drawn from a snapshot: the one account of the day
(server/events/day.py) in the words for the page's audience."""

from __future__ import annotations

from typing import Any

from server.events.day import Audience, Day, Moment, day_of


def day(
    state: dict[str, Any],
    drafted: bool,
    now: str,
    audience: Audience,
    turnout: dict[str, int] | None = None,
) -> Day:
    """``state`` is a snapshot (server/live/state.py); ``now`` the event's wall clock;
    ``turnout`` how many have joined and voted, which staff are told."""
    event = state["event"]
    turnout = turnout or {}
    moment = Moment(
        pitching_open=event["pitching_open"],
        voting_open=event["voting_open"],
        pitches=sum(1 for p in state["pitches"] if not p["hidden"]),
        drafted=drafted,
        live=bool(state["grid"]["live"]),
        proceedings=bool(event.get("proceedings_published")),
        joined=turnout.get("joined", 0),
        voted=turnout.get("voted", 0),
    )
    return day_of(moment, state["slots"], now, audience)
