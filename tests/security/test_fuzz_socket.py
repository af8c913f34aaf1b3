"""Both websockets fuzzed with hypothesis: whatever a client sends, the socket stays open.

Arbitrary JSON, messages that are nearly right (right type, wrong fields, huge text, deep
nesting, unknown fields, bad base64, base64 of garbage for a notes update), text that isn't
JSON and binary frames. Every message the server can't take gets an `error` message; a ping
sent after it still gets its pong (so the socket is open and the server alive); and nothing
in the event or the notes changes.
"""

from __future__ import annotations

import base64
import contextlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect

from server.errors import Invalid
from server.notes.document import NotesContent
from server.validation import names, validate
from tests.conftest import LiveServer
from tests.security.world import AUTHOR, ORGANISER, World, build_world

SOCKET_SETTINGS = settings(
    max_examples=120,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
    phases=[Phase.explicit, Phase.generate],  # report the first frame that breaks it as sent
)
WAIT = 10.0  # seconds for the server to answer one frame

# Text with what clients get wrong: surrogates, NUL and other controls, invisible marks.
TEXT = st.text(st.characters(categories=["Cs", "Cc", "Cf", "Zs", "Ll", "Nd", "So"]), max_size=30)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False),  # JSON has no NaN; the text frames below send it as is
    TEXT,
)
JSON_VALUES = st.recursive(
    SCALARS,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(TEXT, children, max_size=4),
    max_leaves=12,
)
HUGE_TEXT = st.integers(1_000, 300_000).map(lambda n: "x" * n)
FIELD_VALUES = JSON_VALUES | HUGE_TEXT


def nearly(shapes: dict[str, list[str]]) -> st.SearchStrategy[dict[str, Any]]:
    """Messages of a real type, with any of its fields (and one it doesn't have) set to
    anything at all."""
    return st.sampled_from(sorted(shapes)).flatmap(
        lambda kind: st.fixed_dictionaries(
            {"type": st.just(kind)},
            optional={name: FIELD_VALUES for name in [*shapes[kind], "extra"]},
        )
    )


class Frame:
    """A frame to send, shown shortened when hypothesis reports it (some are megabytes)."""

    def __init__(self, data: str | bytes) -> None:
        self.data = data

    def __repr__(self) -> str:
        return f"Frame({self.data[:300]!r}{'...' if len(self.data) > 300 else ''})"


def frames(near_valid: st.SearchStrategy[dict[str, Any]]) -> st.SearchStrategy[Frame]:
    return st.one_of(
        JSON_VALUES.map(json.dumps),
        near_valid.map(json.dumps),
        near_valid.map(lambda m: json.dumps(m) + " trailing"),
        TEXT.filter(lambda t: not any(0xD800 <= ord(c) <= 0xDFFF for c in t)),  # UTF-8 only
        st.just('{"type": "ping", "since": NaN}'),
        st.integers(100, 50_000).map(lambda n: "[" * n + "]" * n),
        st.integers(100, 20_000).map(lambda n: '{"type": ' * n + '"ping"' + "}" * n),
        st.binary(max_size=64),
    ).map(Frame)


class Probe:
    """One socket kept open across every frame the fuzzer sends."""

    def __init__(self, ws: ClientConnection, schemas: dict[str, str], prefix: str) -> None:
        self.ws, self.schemas, self.prefix = ws, schemas, prefix
        self.types = {name.removeprefix(prefix) for name in names() if name.startswith(prefix)}

    def acceptable(self, frame: str | bytes) -> bool:
        """Whether the server should take the frame as a message (it may still refuse it)."""
        if isinstance(frame, bytes):
            return False
        try:
            message = json.loads(frame)
        except (ValueError, RecursionError):
            return False
        if not isinstance(message, dict) or not isinstance(message.get("type"), str):
            return False
        if message["type"] not in self.types:
            return False
        try:
            validate(f"{self.prefix}{message['type']}", message)
        except Invalid:
            return False
        return True

    def replies_to(self, frame: str | bytes) -> list[dict[str, Any]]:
        """Sends the frame, then a ping; returns what came back before the pong."""
        try:
            self.ws.send(frame)
            self.ws.send(json.dumps({"type": "ping"}))
        except ConnectionClosed as closed:
            message = f"the server closed the socket ({closed}) at or before {frame!r:.300}"
            raise AssertionError(message) from None
        pongs = 1 + (self.acceptable(frame) and json.loads(frame)["type"] == "ping")
        replies = []
        while True:
            try:
                raw = self.ws.recv(timeout=WAIT)
            except (ConnectionClosed, TimeoutError) as gone:
                raise AssertionError(
                    f"no pong after {frame!r:.200}: {gone!r} (the socket closed or hung)"
                ) from None
            assert isinstance(raw, str), "the server sends text frames"
            reply = json.loads(raw)
            assert reply.get("type") in self.schemas, reply
            validate(self.schemas[reply["type"]], reply)
            if reply["type"] == "pong":
                pongs -= 1
                if not pongs:
                    return replies
            replies.append(reply)


EVENT_SHAPES = {
    "hello": ["token", "since"],
    "resume": ["since"],
    "ping": [],
    "dot": ["pitch", "key"],
}
EVENT_SCHEMAS = {
    kind: f"server-{kind}" for kind in ("snapshot", "change", "error", "pong", "placed")
}


@pytest.fixture
def world(client: httpx.Client) -> World:
    return build_world(client)


@pytest.fixture
def event_probe(open_server: LiveServer, world: World) -> Iterator[Probe]:
    with connect(f"{open_server.ws_url}/e/{world.slug}/live", max_size=None) as ws:
        probe = Probe(ws, EVENT_SCHEMAS, "client-")
        hello = probe.replies_to(json.dumps({"type": "hello", "token": world.token(AUTHOR)}))
        assert [r["type"] for r in hello] == ["snapshot"]
        yield probe


def test_event_socket_survives_anything(event_probe: Probe, world: World) -> None:
    before = world.evidence()

    @SOCKET_SETTINGS
    @given(frame=frames(nearly(EVENT_SHAPES)))
    def fuzz(frame: Frame) -> None:
        replies = event_probe.replies_to(frame.data)
        if not event_probe.acceptable(frame.data):
            assert "error" in [r["type"] for r in replies], (frame, replies)

    fuzz()
    assert world.evidence() == before


NOTES_SHAPES = {"join": ["token", "state"], "update": ["id", "update"], "ping": []}
NOTES_SCHEMAS = {
    **{
        kind: f"notes-server-{kind}"
        for kind in ("sync", "update", "ack", "final", "credits", "presence")
    },
    "error": "server-error",
    "pong": "server-pong",
}


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def notes_frames() -> st.SearchStrategy[Frame]:
    garbage_update = st.fixed_dictionaries(
        {
            "type": st.just("update"),
            "id": st.integers(0, 2**53),
            "update": st.one_of(
                st.binary(min_size=1, max_size=300).map(b64),  # valid base64, garbage inside
                st.text("ABCabc012+/=!-_ ", min_size=1, max_size=40),  # base64 or not
            ),
        }
    ).map(lambda m: Frame(json.dumps(m)))
    garbage_join = st.fixed_dictionaries(
        {"type": st.just("join"), "state": st.binary(max_size=100).map(b64)},
        optional={"token": st.none() | TEXT},
    ).map(lambda m: Frame(json.dumps(m)))
    return st.one_of(frames(nearly(NOTES_SHAPES)), garbage_update, garbage_join)


def notes_of(world: World) -> dict[str, Any]:
    notes = world.ev.ok("GET", f"/pitches/{world.pitch}/notes", world.ev.organiser)
    return {key: notes[key] for key in ("content", "chars", "final", "credits")}


def write_notes(open_server: LiveServer, world: World) -> None:
    from server.notes import document

    with connect(f"{open_server.ws_url}/e/{world.slug}/notes/{world.pitch}/live") as ws:
        ws.send(json.dumps({"type": "join", "token": world.token(AUTHOR)}))
        sync = json.loads(ws.recv(timeout=WAIT))
        assert sync["type"] == "sync", sync
        doc = document.load(base64.b64decode(sync["update"]))
        update = document.write(doc, NotesContent(summary="Kept whatever is sent"))
        ws.send(json.dumps({"type": "update", "id": 1, "update": b64(update)}))
        assert json.loads(ws.recv(timeout=WAIT))["type"] == "ack"


@pytest.fixture
def notes_url(open_server: LiveServer, world: World) -> str:
    write_notes(open_server, world)
    return f"{open_server.ws_url}/e/{world.slug}/notes/{world.pitch}/live"


def assert_notes_survive_fuzzing(probe: Probe, world: World, joined: bool) -> None:
    before, notes = world.evidence(), notes_of(world)

    @SOCKET_SETTINGS
    @given(frame=notes_frames())
    def fuzz(frame: Frame) -> None:
        replies = probe.replies_to(frame.data)
        kinds = [r["type"] for r in replies]
        if not probe.acceptable(frame.data):
            assert "error" in kinds, (frame, replies)
        elif not joined:  # before joining, only a join with a known token gets anywhere
            assert "sync" not in kinds, (frame, replies)
        assert notes_of(world) == notes, frame

    fuzz()
    assert notes_of(world) == notes
    if not joined:
        assert world.evidence() == before


def test_notes_socket_survives_anything_before_joining(notes_url: str, world: World) -> None:
    with connect(notes_url, max_size=None) as ws:
        assert_notes_survive_fuzzing(Probe(ws, NOTES_SCHEMAS, "notes-client-"), world, joined=False)


def test_notes_socket_survives_anything_once_joined(notes_url: str, world: World) -> None:
    with connect(notes_url, max_size=None) as ws:
        probe = Probe(ws, NOTES_SCHEMAS, "notes-client-")
        joined = probe.replies_to(json.dumps({"type": "join", "token": world.token(ORGANISER)}))
        assert [r["type"] for r in joined] == ["sync"]
        assert_notes_survive_fuzzing(probe, world, joined=True)


@pytest.mark.parametrize(
    "frame",
    [
        json.dumps({"type": "update", "id": 1, "update": "x" * 1_600_000}),
        json.dumps({"type": "join", "state": "A" * 200_000}),
        json.dumps({"type": "ping", "pad": "x" * 1_000_000}),
        b"\x00" * 1_000_000,
    ],
    ids=["update too long", "state too long", "padded ping", "binary"],
)
def test_notes_socket_survives_huge_frames(notes_url: str, world: World, frame: Any) -> None:
    notes = notes_of(world)
    with connect(notes_url, max_size=None) as ws:
        probe = Probe(ws, NOTES_SCHEMAS, "notes-client-")
        probe.replies_to(json.dumps({"type": "join", "token": world.token(AUTHOR)}))
        assert "error" in [r["type"] for r in probe.replies_to(frame)]
    assert notes_of(world) == notes


def test_a_megabyte_that_decodes_to_nothing_keeps_nothing(notes_url: str, world: World) -> None:
    """Some garbage decodes as a Yjs update that adds nothing readable; what is kept is what
    the update added to the document, a few bytes, never the megabyte sent."""
    notes = notes_of(world)
    archive = len(world.ev.call("GET", "/archive", world.ev.organiser).content)
    with connect(notes_url, max_size=None) as ws:
        probe = Probe(ws, NOTES_SCHEMAS, "notes-client-")
        probe.replies_to(json.dumps({"type": "join", "token": world.token(AUTHOR)}))
        garbage = json.dumps({"type": "update", "id": 1, "update": b64(b"\x01" * 1_000_000)})
        assert {r["type"] for r in probe.replies_to(garbage)} <= {"ack", "error"}
    assert notes_of(world) == notes
    assert len(world.ev.call("GET", "/archive", world.ev.organiser).content) < archive + 4096


# --- Frames and addresses found to break the sockets, each checked on its own ---------------

NESTED_LISTS = "[" * 50_000 + "]" * 50_000
NESTED_OBJECTS = '{"a": ' * 20_000 + "0" + "}" * 20_000
HARD_FRAMES = {
    "lists nested past any parser": NESTED_LISTS,
    "objects nested past any parser": NESTED_OBJECTS,
    "a token that isn't text": json.dumps({"type": "{kind}", "token": "\ud800"}),
    "a type that is an object": json.dumps({"type": {"type": "ping"}}),
    "NaN": '{"type": "ping", "n": NaN}',
    "a binary frame": b"\x00\xff" * 10,
}
STAGES = ["event socket", "notes socket before joining", "notes socket once joined"]


@pytest.fixture(scope="module")
def steady_world(open_server: LiveServer, client: httpx.Client) -> World:
    made = build_world(client)
    write_notes(open_server, made)
    return made


@contextmanager
def opened(server: LiveServer, w: World, stage: str) -> Iterator[tuple[Probe, str]]:
    """A socket at the given stage, and the type of message that greets on it."""
    if stage == "event socket":
        with connect(f"{server.ws_url}/e/{w.slug}/live", max_size=None) as ws:
            yield Probe(ws, EVENT_SCHEMAS, "client-"), "hello"
        return
    with connect(f"{server.ws_url}/e/{w.slug}/notes/{w.pitch}/live", max_size=None) as ws:
        probe = Probe(ws, NOTES_SCHEMAS, "notes-client-")
        if stage.endswith("once joined"):
            assert probe.replies_to(json.dumps({"type": "join", "token": w.token(AUTHOR)}))
        yield probe, "join"


@pytest.mark.parametrize("stage", STAGES)
@pytest.mark.parametrize("name", HARD_FRAMES)
def test_sockets_refuse_frames_that_could_break_them(
    name: str, stage: str, open_server: LiveServer, steady_world: World
) -> None:
    before, notes = steady_world.evidence(), notes_of(steady_world)
    with opened(open_server, steady_world, stage) as (probe, greeting):
        frame = HARD_FRAMES[name]
        frame = frame.replace("{kind}", greeting) if isinstance(frame, str) else frame
        replies = probe.replies_to(frame)
        assert "error" in [r["type"] for r in replies], replies
    assert notes_of(steady_world) == notes
    assert steady_world.evidence() == before


@pytest.mark.parametrize(
    "address",
    [
        "/e/{long}/live",
        "/e/{long}/notes/{pitch}/live",
        "/e/{slug}/notes/99999999999999999999/live",
        "/e/{slug}/notes/0/live",
    ],
)
def test_sockets_at_addresses_past_any_event_say_not_found(
    address: str, open_server: LiveServer, steady_world: World
) -> None:
    path = address.format(long="a" * 41, slug=steady_world.slug, pitch=steady_world.pitch)
    greeting = "hello" if path.endswith("/e/" + "a" * 41 + "/live") else "join"
    with connect(f"{open_server.ws_url}{path}") as ws:
        # The server may answer and close before the greeting is even sent.
        with contextlib.suppress(ConnectionClosed):
            ws.send(json.dumps({"type": greeting, "token": steady_world.token(AUTHOR)}))
        try:
            reply = json.loads(ws.recv(timeout=WAIT))
        except ConnectionClosed as closed:
            raise AssertionError(f"{path}: closed with no answer ({closed})") from None
    validate("server-error", reply)
    assert reply["status"] == 404, reply
