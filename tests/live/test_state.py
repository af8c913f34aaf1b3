"""The snapshot's shapes (server/live/state.py): the turnout is in staff snapshots alone."""

from __future__ import annotations

from collections.abc import Callable

from websockets.asyncio.client import connect

from server.validation import validate
from tests.conftest import ApiEvent, LiveServer
from tests.live.helpers import Screen


def _voted(make_event: Callable[..., ApiEvent]) -> tuple[ApiEvent, str]:
    """Two people joined, one of them with a dot placed."""
    ev = make_event()
    ev.edit(voting_open=True)
    voter = ev.join("Voter")["token"]
    ev.join("Watcher")
    pitch = ev.pitch(ev.organiser, "Maps")["id"]
    ev.ok("POST", "/dots", voter, json={"pitch": pitch}, status=201)
    return ev, voter


def test_staff_snapshots_carry_the_turnout_and_no_one_else_s(
    make_event: Callable[..., ApiEvent],
) -> None:
    ev, voter = _voted(make_event)
    for token in (ev.organiser, ev.facilitator()):
        state = ev.state(token)
        validate("event-state", state)
        assert state["turnout"] == {"joined": 2, "voted": 1}
    for token in (voter, None):
        state = ev.state(token)
        validate("event-state", state)
        assert "turnout" not in state


def test_the_turnout_is_counted_afresh_though_joining_makes_no_change(
    make_event: Callable[..., ApiEvent],
) -> None:
    ev, _voter = _voted(make_event)
    seq = ev.state(ev.organiser)["seq"]
    ev.join("Late")
    state = ev.state(ev.organiser)
    assert state["seq"] == seq and state["turnout"] == {"joined": 3, "voted": 1}


async def test_a_staff_screen_connecting_gets_the_turnout_in_its_snapshot(
    server: LiveServer, make_event: Callable[..., ApiEvent]
) -> None:
    ev, voter = _voted(make_event)
    url = f"{server.ws_url}/e/{ev.slug}/live"
    seen = {}
    for role, token in (("staff", ev.facilitator()), ("phone", voter), ("projector", None)):
        async with connect(url, open_timeout=5) as ws:
            screen = Screen(ws)
            await screen.hello(token)
            seen[role] = (await screen.expect("snapshot"))["state"].get("turnout")
    assert seen == {"staff": {"joined": 2, "voted": 1}, "phone": None, "projector": None}
