"""The live socket against the real server: snapshots, ordered changes, catch-up and errors.

Every message the server sends in these tests is checked against its schema in schemas/.
"""

from __future__ import annotations

import asyncio
import copy
import json
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus
from websockets.typing import Origin

from server.validation import validate
from tests.conftest import ApiEvent, LiveServer
from tests.live.helpers import Screen, apply, comparable


@pytest.fixture
def screen(server: LiveServer) -> Callable[[ApiEvent], Any]:
    @asynccontextmanager
    async def open_screen(ev: ApiEvent) -> AsyncIterator[Screen]:
        async with connect(f"{server.ws_url}/e/{ev.slug}/live", open_timeout=5) as ws:
            yield Screen(ws)

    return open_screen


class Story:
    """A run of changes of every kind, made through the API one step at a time."""

    def __init__(self, ev: ApiEvent) -> None:
        self.ev = ev
        self.fac = ev.facilitator()
        self.alex, self.sam = ev.join("Alex")["token"], ev.join("Sam")["token"]
        self.ids: list[int] = []
        self.dot = 0

    def steps(self) -> list[Callable[[], Any]]:
        ev, alex, sam, fac = self.ev, self.alex, self.sam, self.fac
        return [
            lambda: self.ids.append(ev.pitch(alex, "First")["id"]),
            lambda: self.ids.append(ev.pitch(sam, "Second", tags=["x"])["id"]),
            lambda: self.ids.append(ev.pitch(fac, "Spam")["id"]),
            lambda: ev.edit(voting_open=True),
            lambda: self._dot(
                ev.ok("POST", "/dots", alex, json={"pitch": self.ids[0]}, status=201)
            ),
            lambda: ev.ok("POST", "/dots", sam, json={"pitch": self.ids[1]}, status=201),
            lambda: ev.ok("POST", "/dots", sam, json={"pitch": self.ids[2]}, status=201),
            lambda: ev.ok("PATCH", f"/pitches/{self.ids[0]}", alex, json={"title": "First!"}),
            lambda: ev.ok("PATCH", f"/dots/{self.dot}", alex, json={"pitch": self.ids[1]}),
            lambda: ev.ok("PATCH", f"/pitches/{self.ids[2]}", fac, json={"hidden": True}),
            lambda: ev.ok("PATCH", f"/pitches/{self.ids[2]}", fac, json={"title": "Still spam"}),
            lambda: ev.ok("POST", f"/pitches/{self.ids[1]}/merge", fac, json={"into": self.ids[0]}),
            lambda: ev.ok(
                "PUT", "/rooms", ev.organiser, json={"rooms": [{"name": "Hall", "capacity": 50}]}
            ),
            lambda: ev.ok("PATCH", f"/pitches/{self.ids[2]}", fac, json={"hidden": False}),
            lambda: ev.edit(name="Renamed live"),
        ]

    def _dot(self, dot: dict[str, Any]) -> None:
        self.dot = dot["id"]


async def test_hello_without_since_gets_the_snapshot_for_the_role(
    make_event: Callable[..., ApiEvent], screen: Any
) -> None:
    ev = make_event()
    sam = ev.join("Sam")["token"]
    ev.pitch(sam, "Mine")
    for token in (None, sam, ev.organiser, ev.facilitator()):
        async with screen(ev) as s:
            await s.hello(token)
            snapshot = await s.expect("snapshot")
            assert snapshot["state"] == ev.state(token)
            await s.quiet(0.05)


async def test_every_screen_gets_every_change_in_the_same_order(
    make_event: Callable[..., ApiEvent], screen: Any
) -> None:
    ev = make_event()
    story = Story(ev)
    async with screen(ev) as a, screen(ev) as b, screen(ev) as c:
        states = []
        for s in (a, b, c):
            await s.hello()
            states.append((await s.expect("snapshot"))["state"])
        steps = story.steps()
        for step in steps:
            step()
        received = [await s.changes(len(steps)) for s in (a, b, c)]
        assert received[0] == received[1] == received[2]
        # Every seq is covered once, in order (vote counts of one tick share a message).
        covered = [n for m in received[0] for n in range(m.get("first", m["seq"]), m["seq"] + 1)]
        assert covered == list(range(states[0]["seq"] + 1, states[0]["seq"] + 1 + len(steps)))
        for state, changes in zip(states, received, strict=True):
            for change in changes:
                apply(state, change)
            assert comparable(state) == comparable(ev.state())
        await a.quiet()


@pytest.mark.parametrize("cut", [0, 4, 9, 14])
async def test_reconnecting_with_the_last_seq_gets_exactly_what_was_missed(
    make_event: Callable[..., ApiEvent], screen: Any, cut: int
) -> None:
    ev = make_event()
    story = Story(ev)
    steps = story.steps()
    async with screen(ev) as steady:
        await steady.hello()
        steady_state = (await steady.expect("snapshot"))["state"]
        async with screen(ev) as flaky:
            await flaky.hello()
            state = (await flaky.expect("snapshot"))["state"]
            for step in steps[:cut]:
                step()
            for change in await flaky.changes(cut):
                apply(state, change)
        for step in steps[cut:]:  # flaky is away
            step()
        heard = await steady.changes(len(steps))
        for change in heard:
            apply(steady_state, change)
        async with screen(ev) as back:
            await back.hello(None, state["seq"])
            missed = await back.changes(len(steps) - cut)
            assert missed[-1]["seq"] == heard[-1]["seq"]
            await back.quiet()
            for change in missed:
                apply(state, change)
    assert state == steady_state
    assert comparable(state) == comparable(ev.state())


async def test_staff_screen_rebuilds_to_the_staff_state(
    make_event: Callable[..., ApiEvent], screen: Any
) -> None:
    ev = make_event()
    story = Story(ev)
    async with screen(ev) as s:
        await s.hello(ev.organiser)
        state = (await s.expect("snapshot"))["state"]
        steps = story.steps()
        for step in steps:
            step()
        for change in await s.changes(len(steps)):
            apply(state, change, staff=True)
    assert comparable(state) == comparable(ev.state(ev.organiser))


@pytest.mark.parametrize("since", ["ahead", "far-behind"])
async def test_since_out_of_reach_gets_a_snapshot(
    make_event: Callable[..., ApiEvent], screen: Any, since: str
) -> None:
    ev = make_event()
    if since == "far-behind":
        for i in range(502):  # more than the server replays
            ev.edit(venue=f"Venue {i}")
        asked = 0
    else:
        ev.edit(venue="Somewhere")
        asked = 5
    async with screen(ev) as s:
        await s.hello(None, asked)
        snapshot = await s.expect("snapshot")
        assert snapshot["state"] == ev.state()
        await s.quiet(0.05)


async def test_resume_after_a_gap_replays_from_since(
    make_event: Callable[..., ApiEvent], screen: Any
) -> None:
    ev = make_event()
    async with screen(ev) as s:
        await s.hello()
        start = (await s.expect("snapshot"))["state"]["seq"]
        for name in ("One", "Two", "Three"):
            ev.edit(name=name)
        first = await s.changes(3)
        await s.send({"type": "resume", "since": start + 1})
        again = await s.changes(2)
        assert again == first[1:]
        await s.quiet()
        await s.send({"type": "resume", "since": start + 3})
        await s.quiet()


async def test_ping_gets_pong_with_the_last_seq(
    make_event: Callable[..., ApiEvent], screen: Any
) -> None:
    ev = make_event()
    ev.edit(venue="Here")
    async with screen(ev) as s:
        await s.hello()
        seq = (await s.expect("snapshot"))["state"]["seq"]
        await s.send({"type": "ping"})
        assert (await s.expect("pong")).get("seq") == seq
        ev.edit(venue="There")
        await s.expect("change")
        await s.send({"type": "ping"})
        assert (await s.expect("pong")).get("seq") == seq + 1


async def test_ping_before_hello_gets_a_valid_pong(
    make_event: Callable[..., ApiEvent], screen: Any
) -> None:
    async with screen(make_event()) as s:
        await s.send({"type": "ping"})
        await s.expect("pong")  # recv checks it against server-pong.json


MALFORMED: dict[str, str | bytes] = {
    "not JSON": "hello there",
    "JSON array": '[{"type": "ping"}]',
    "JSON string": '"ping"',
    "empty object": "{}",
    "unknown type": '{"type": "shout"}',
    "type of the wrong type": '{"type": 5}',
    "extra field": '{"type": "ping", "also": 1}',
    "since of the wrong type": '{"type": "hello", "since": "yesterday"}',
    "token of the wrong type": '{"type": "hello", "token": 42}',
    "negative since": '{"type": "resume", "since": -1}',
    "resume without since": '{"type": "resume"}',
    "binary frame": b'{"type": "ping"}',
}


@pytest.mark.parametrize("case", list(MALFORMED))
async def test_malformed_messages_get_an_error_and_the_socket_stays_open(
    make_event: Callable[..., ApiEvent], screen: Any, case: str
) -> None:
    ev = make_event()
    async with screen(ev) as s:
        await s.hello()
        await s.expect("snapshot")
        await s.send(MALFORMED[case])
        error = await s.expect("error")
        assert error["message"] and error.get("status", 422) < 500
        await s.quiet(0.05)
        ev.edit(venue="Still live")
        assert (await s.expect("change"))["data"]["event"]["venue"] == "Still live"


async def test_binary_and_unknown_messages_before_hello_get_errors_and_hello_still_works(
    make_event: Callable[..., ApiEvent], screen: Any
) -> None:
    ev = make_event()
    async with screen(ev) as s:
        await s.send(b'{"type": "hello"}')
        assert "not binary" in (await s.expect("error"))["message"]
        await s.send('{"type": "shout"}')
        assert "hello, resume, ping or dot" in (await s.expect("error"))["message"]
        await s.hello()
        assert (await s.expect("snapshot"))["state"] == ev.state()
        await s.quiet(0.05)


@pytest.mark.parametrize("whose", ["forged", "another event's"])
async def test_unrecognised_token_gets_an_error_and_the_public_view(
    make_event: Callable[..., ApiEvent], screen: Any, whose: str
) -> None:
    ev, other = make_event(), make_event()
    token = "forged-token-abc" if whose == "forged" else other.join()["token"]
    async with screen(ev) as s:
        await s.hello(token)
        error = await s.expect("error")
        assert error.get("status") == 401
        snapshot = await s.expect("snapshot")
        assert snapshot["state"]["role"] == "public"
        assert snapshot["state"] == ev.state()


async def test_hidden_pitches_reach_staff_but_only_their_id_reaches_attendees(
    make_event: Callable[..., ApiEvent], screen: Any
) -> None:
    ev = make_event()
    fac = ev.facilitator()
    sam = ev.join()["token"]
    pitch = ev.pitch(sam, "Buy cheap watches")
    async with screen(ev) as staff, screen(ev) as phone:
        await staff.hello(fac)
        await phone.hello(sam)
        await staff.expect("snapshot")
        await phone.expect("snapshot")
        ev.ok("PATCH", f"/pitches/{pitch['id']}", fac, json={"hidden": True})
        ev.ok("PATCH", f"/pitches/{pitch['id']}", fac, json={"title": "SECRET-EDIT"})
        staff_saw = await staff.changes(2)
        phone_saw = await phone.changes(2)
        assert [m["kind"] for m in staff_saw] == ["pitch.hidden", "pitch.saved"]
        assert staff_saw[1]["data"]["pitch"]["title"] == "SECRET-EDIT"
        assert staff_saw[1]["data"]["pitch"]["hidden"] is True
        assert [(m["kind"], m["data"]) for m in phone_saw] == [
            ("pitch.hidden", {"id": pitch["id"]}),
            ("pitch.hidden", {"id": pitch["id"]}),
        ]
        assert [m["seq"] for m in phone_saw] == [m["seq"] for m in staff_saw]
        # A late phone catching up from before the hide gets the same redaction.
        async with screen(ev) as late:
            await late.hello(None, staff_saw[0]["seq"] - 1)
            replay = await late.changes(2)
            assert "SECRET-EDIT" not in json.dumps(replay)
            assert replay == phone_saw


async def test_hiding_a_pitch_tells_staff_its_new_count_in_the_same_message(
    make_event: Callable[..., ApiEvent], screen: Any
) -> None:
    ev = make_event()
    ev.edit(voting_open=True)
    fac = ev.facilitator()
    sam, kim = ev.join()["token"], ev.join()["token"]
    spam, kept = ev.pitch(sam, "Buy cheap watches")["id"], ev.pitch(kim, "Kept")["id"]
    for token, pitch in ((sam, spam), (kim, spam), (kim, kept)):
        ev.ok("POST", "/dots", token, json={"pitch": pitch}, status=201)
    async with screen(ev) as staff, screen(ev) as phone:
        await staff.hello(fac)
        await phone.hello(kim)
        state = (await staff.expect("snapshot"))["state"]
        await phone.expect("snapshot")
        assert {p["id"]: p["votes"] for p in state["pitches"]} == {spam: 2, kept: 1}
        ev.ok("PATCH", f"/pitches/{spam}", fac, json={"hidden": True})
        (hidden,) = await staff.changes(1)
        assert (hidden["kind"], hidden["data"]) == (
            "pitch.hidden",
            {"id": spam, "votes": {str(spam): 0}},
        )
        await staff.quiet()  # nothing later is needed to get the counts right
        apply(state, hidden, staff=True)
        assert comparable(state) == comparable(ev.state(fac))
        # Attendees' screens drop the pitch; its count is none of their business.
        (dropped,) = await phone.changes(1)
        assert dropped["data"] == {"id": spam}


async def test_unknown_event_socket_gets_an_error(server: LiveServer) -> None:
    async with connect(f"{server.ws_url}/e/no-such-event-anywhere/live") as ws:
        message = json.loads(await asyncio.wait_for(ws.recv(), 5))
        validate("server-error", message)
        assert message["status"] == 404


def test_apply_refuses_out_of_order_changes() -> None:
    state = {"seq": 3, "pitches": []}
    with pytest.raises(AssertionError):
        apply(copy.deepcopy(state), {"seq": 5, "kind": "votes", "data": {"votes": {}}})


@pytest.mark.parametrize("path", ["live", "notes/1/live"])
async def test_sockets_opened_by_other_sites_pages_are_refused(
    server: LiveServer, make_event: Callable[..., ApiEvent], path: str
) -> None:
    ev = make_event()
    url = f"{server.ws_url}/e/{ev.slug}/{path}"
    with pytest.raises(InvalidStatus) as refused:
        async with connect(url, origin=Origin("https://elsewhere.example")):
            pass
    assert refused.value.response.status_code == 403
    async with connect(url, origin=Origin(server.url)) as ws:
        await ws.send(json.dumps({"type": "ping"}))
        assert json.loads(await ws.recv())["type"] == "pong"


def _snapshots_built(server: LiveServer) -> dict[str, float]:
    """Builds so far by shape: public, staff, and people (every attendee's own part)."""
    page = httpx.get(f"{server.url}/metrics").text
    prefix = 'snug_snapshots_built_total{shape="'
    return {
        line[len(prefix) :].split('"', 1)[0]: float(line.rsplit(" ", 1)[1])
        for line in page.splitlines()
        if line.startswith(prefix)
    }


async def test_many_hellos_at_one_seq_build_the_snapshot_once_and_each_keeps_its_own_part(
    server: LiveServer, make_event: Callable[..., ApiEvent], screen: Any
) -> None:
    ev = make_event()
    alex, sam = ev.join("Alex")["token"], ev.join("Sam")["token"]
    ev.edit(voting_open=True)
    mine = {alex: ev.pitch(alex, "Alex's")["id"], sam: ev.pitch(sam, "Sam's")["id"]}
    before = _snapshots_built(server)

    async def hellos(n: int) -> None:
        async with screen(ev) as s:
            token = (alex, sam)[n % 2]
            await s.hello(token)
            state = (await s.expect("snapshot"))["state"]
            assert state["me"]["pitches"] == [mine[token]], "one attendee's part only"
            for _ in range(99):
                await s.hello()
                assert "me" not in (await s.expect("snapshot"))["state"]

    await asyncio.gather(*(hellos(n) for n in range(10)))
    after = _snapshots_built(server)
    built = {shape: after[shape] - before.get(shape, 0) for shape in after}
    # 1,000 hellos, ten of them attendees': one public build, and one of everyone's own parts.
    assert built.get("public") == 1 and built.get("people") == 1
    assert built.get("staff", 0) == 0


async def test_a_hello_flood_from_one_device_is_refused_in_words_and_others_still_connect(
    make_event: Callable[..., ApiEvent], screen: Any
) -> None:
    ev = make_event()
    alex, sam = ev.join("Alex")["token"], ev.join("Sam")["token"]
    async with screen(ev) as s:
        answered = 0
        for _ in range(62):  # two windows' worth, should a minute turn over meanwhile
            await s.hello(alex)
            answer = await s.recv()
            if answer["type"] == "error":
                break
            answered += 1
        assert answer["type"] == "error", "the flood was never refused"
        assert answer["status"] == 429 and answered >= 30
        assert "times a minute from one device" in answer["message"]
        assert "try again in" in answer["message"]
        await s.send({"type": "resume", "since": 0})
        assert (await s.expect("error"))["status"] == 429  # resumes count too
        await s.quiet(0)  # the socket stays
        async with screen(ev) as other:
            await other.hello(sam)
            assert (await other.expect("snapshot"))["state"]["me"]["name"] == "Sam"
