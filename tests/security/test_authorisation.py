"""Who may use what: every route and both sockets, for every role, read from the app itself.

tests/security/routes.py names, for every route of the app, the roles allowed to use it and a
well-formed request; a route added to the app without a line there fails the first test here.
Allowed roles succeed; the others get a 4xx problem (or the "not found" page, for pages) and
change nothing in either event.
"""

from __future__ import annotations

import contextlib
import json
import re
import secrets
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from websockets.asyncio.client import connect

from server.notes.document import NotesContent
from tests.conftest import LiveServer
from tests.http.helpers import as_role, assert_problem, event_stream
from tests.live.helpers import NotesPhone, Screen
from tests.security.routes import RULES, Rule, Socket, app_route_keys, page, send
from tests.security.world import (
    ATTENDEE,
    ATTENDEES,
    AUTHOR,
    ERASED,
    FACILITATOR,
    FORGED,
    HIDDEN_TEXT,
    HIDDEN_TITLE,
    KNOWN,
    ORGANISER,
    OTHER_EVENT,
    PEOPLE,
    PUBLIC,
    ROLES,
    STAFF,
    World,
    build_world,
    new_event,
)


def test_every_route_of_the_app_says_who_may_use_it() -> None:
    routes = app_route_keys()
    missing = sorted(routes - RULES.keys())
    assert not missing, f"Routes with no line in the authorisation table: {missing}"
    gone = sorted(RULES.keys() - routes)
    assert not gone, f"Lines in the authorisation table for routes the app no longer has: {gone}"
    for key, rule in RULES.items():
        if isinstance(rule, Socket):
            assert all(name in globals() for name in rule.tests), key


HTTP_RULES = {key: rule for key, rule in sorted(RULES.items()) if isinstance(rule, Rule)}
READS = [key for key in HTTP_RULES if key[0] == "GET"]
WRITES = [key for key in HTTP_RULES if key[0] != "GET"]


def assert_allowed(response: httpx.Response, key: tuple[str, str], role: str) -> None:
    assert 200 <= response.status_code < 400, (key, role, response.status_code, response.text)


def assert_refused(response: httpx.Response, key: tuple[str, str], rule: Rule, role: str) -> None:
    refusals = (
        {401, 403, 404}
        | ({409} if rule.self_only and role in STAFF else set())
        | ({422} if rule.refuses_as_form else set())
    )
    assert response.status_code in refusals, (key, role, response.status_code, response.text)
    problem = response.headers.get("content-type", "").startswith("application/problem+json")
    if problem or key[1].startswith("/api/"):
        assert_problem(response)
    else:  # a page, or a page's form, says so as a page; a page people open, "not found"
        assert key[0] != "GET" or response.status_code == 404, (key, role)
        assert response.headers["content-type"].startswith("text/html"), (key, role)


@pytest.fixture(scope="module")
def reading_world(client: httpx.Client) -> World:
    return build_world(client)


def assert_no_one_elses_secret(response: httpx.Response, w: World, role: str) -> None:
    """No answer carries another person's link: not the organiser's key, a facilitator's, an
    attendee's token or their calendar feed's secret."""
    for person in PEOPLE - {role}:
        for secret in (w.token(person), w.feeds.get(person)):
            assert secret is None or secret.encode() not in response.content, (role, person)


@pytest.mark.parametrize("key", READS, ids=" ".join)
def test_who_may_read(key: tuple[str, str], reading_world: World) -> None:
    rule, w = HTTP_RULES[key], reading_world
    before = w.evidence()
    for role in ROLES:
        response = send(w, role, key[0], rule.call(w))
        assert_no_one_elses_secret(response, w, role)
        if role in rule.allowed:
            assert_allowed(response, key, role)
        else:
            assert_refused(response, key, rule, role)
    assert w.evidence() == before, f"{key}: reading changed the event"


@pytest.mark.parametrize("key", WRITES, ids=" ".join)
def test_who_may_change(key: tuple[str, str], client: httpx.Client) -> None:
    rule = HTTP_RULES[key]
    w = build_world(client)
    before = w.evidence()
    for role in ROLES:
        if role in rule.allowed:
            continue
        response = send(w, role, key[0], rule.call(w))
        assert_refused(response, key, rule, role)
        assert_no_one_elses_secret(response, w, role)
        assert w.evidence() == before, f"{key}: a refused request from {role} changed the event"
    for role in (r for r in ROLES if r in rule.allowed):
        world = build_world(client) if rule.fresh else w
        response = send(world, role, key[0], rule.call(world))
        assert_allowed(response, key, role)
        assert_no_one_elses_secret(response, world, role)


def test_each_role_reads_only_its_own_view_of_the_event(reading_world: World) -> None:
    w = reading_world
    for role in KNOWN:
        state = w.state(role)
        text = json.dumps(state)
        if role in STAFF:
            assert "draft" in state and HIDDEN_TEXT in text, role
            continue
        assert "draft" not in state, role
        assert HIDDEN_TEXT not in text and HIDDEN_TITLE not in text, role
        assert w.hidden not in {p["id"] for p in state["pitches"]}, role
        me = state.get("me")
        assert (me is not None) == (role in ATTENDEES), role
    author, other = w.state(AUTHOR)["me"], w.state(ATTENDEE)["me"]
    assert author["id"] != other["id"]
    assert author["pitches"] == [w.pitch] and other["dots"] == []


# --- Numbers from another event reach nothing ------------------------------------------------

# Ids are small sequential numbers, so anyone can try another event's: each request below is
# made on event A, by the role of A that could do it with A's own ids, naming event B's.
Crossing = Callable[[World, World], tuple[str, str, str, Any]]
CROSSINGS: dict[str, Crossing] = {
    "edit B's pitch": lambda a, b: ("PATCH", f"/pitches/{b.pitch}", ORGANISER, {"title": "Mine"}),
    "hide B's pitch": lambda a, b: ("PATCH", f"/pitches/{b.pitch}", ORGANISER, {"hidden": True}),
    "merge B's pitch into A's": lambda a, b: (
        "POST",
        f"/pitches/{b.pitch}/merge",
        ORGANISER,
        {"into": a.pitch},
    ),
    "merge A's pitch into B's": lambda a, b: (
        "POST",
        f"/pitches/{a.spare}/merge",
        ORGANISER,
        {"into": b.pitch},
    ),
    "vote for B's pitch": lambda a, b: ("POST", "/dots", ATTENDEE, {"pitch": b.pitch}),
    "move B's dot": lambda a, b: ("PATCH", f"/dots/{b.dot}", AUTHOR, {"pitch": a.pitch}),
    "move a dot onto B's pitch": lambda a, b: (
        "PATCH",
        f"/dots/{a.dot}",
        AUTHOR,
        {"pitch": b.pitch},
    ),
    "withdraw B's dot": lambda a, b: ("DELETE", f"/dots/{b.dot}", AUTHOR, None),
    "claim a seat in B's session": lambda a, b: ("POST", f"/me/seats/{b.pitch}", ATTENDEE, None),
    "give up B's seat": lambda a, b: ("DELETE", f"/me/seats/{b.pitch}", AUTHOR, None),
    "choose B's session": lambda a, b: (
        "PUT",
        "/me/agenda",
        ATTENDEE,
        {"slot": b.slot, "pitch": b.pitch},
    ),
    "place B's pitch on the grid": lambda a, b: (
        "POST",
        "/grid/move",
        ORGANISER,
        {"version": a.version(), "pitch": b.pitch, "room": a.free_cell[0], "slot": a.free_cell[1]},
    ),
    "place into B's room": lambda a, b: (
        "POST",
        "/grid/move",
        ORGANISER,
        {"version": a.version(), "pitch": a.pitch, "room": b.free_cell[0], "slot": b.free_cell[1]},
    ),
    "unplace B's pitch": lambda a, b: (
        "POST",
        "/grid/unplace",
        ORGANISER,
        {"version": a.version(), "pitch": b.pitch},
    ),
    "lock B's pitch": lambda a, b: (
        "POST",
        "/grid/lock",
        ORGANISER,
        {"version": a.version(), "pitch": b.pitch, "locked": True},
    ),
    "rename B's room": lambda a, b: (
        "POST",
        "/grid/room",
        ORGANISER,
        {"version": a.version(), "room": b.room, "name": "Mine", "capacity": 5},
    ),
    "remove B's room": lambda a, b: (
        "POST",
        "/grid/room/remove",
        ORGANISER,
        {"version": a.version(), "room": b.room, "unplace": True},
    ),
    "remove B's slot": lambda a, b: (
        "POST",
        "/grid/slot/remove",
        ORGANISER,
        {"version": a.version(), "slot": b.slot, "unplace": True},
    ),
    "seat B's session": lambda a, b: (
        "POST",
        "/grid/seats",
        ORGANISER,
        {"version": a.version(), "pitch": b.pitch},
    ),
    "read B's notes": lambda a, b: ("GET", f"/pitches/{b.pitch}/notes", ORGANISER, None),
    "read B's versions": lambda a, b: ("GET", f"/pitches/{b.pitch}/notes/versions", AUTHOR, None),
    "read B's version through A's session": lambda a, b: (
        "GET",
        f"/pitches/{a.pitch}/notes/versions/{b.notes_version}",
        ORGANISER,
        None,
    ),
    "restore B's version into A's notes": lambda a, b: (
        "POST",
        f"/pitches/{a.pitch}/notes/versions/{b.notes_version}/restore",
        ORGANISER,
        None,
    ),
    "mark B's notes final": lambda a, b: (
        "PUT",
        f"/pitches/{b.pitch}/notes/final",
        ORGANISER,
        {"final": True},
    ),
    "be credited on B's notes": lambda a, b: (
        "PUT",
        f"/pitches/{b.pitch}/notes/credit",
        AUTHOR,
        {"named": True},
    ),
    "list B's photos": lambda a, b: ("GET", f"/pitches/{b.pitch}/notes/photos", ORGANISER, None),
}


@pytest.mark.parametrize("name", CROSSINGS)
def test_numbers_from_another_event_reach_nothing(name: str, client: httpx.Client) -> None:
    a, b = build_world(client), build_world(client)
    assert (a.pitch, a.spare) != (b.pitch, b.spare)
    method, rest, role, body = CROSSINGS[name](a, b)
    before = a.evidence(), b.evidence()
    response = a.ev.call(method, rest, a.token(role), json=body)
    assert response.status_code in (404, 409, 422), (name, response.status_code, response.text)
    assert_problem(response)
    assert (a.evidence(), b.evidence()) == before, f"{name}: changed something"


# --- Secret links can't be guessed ----------------------------------------------------------

TOKEN = re.compile(r"^[A-Za-z0-9_-]+$")


def entropy_bits(secret: str) -> int:
    """At most 6 bits per character of a URL-safe base64 secret."""
    assert TOKEN.match(secret), secret
    return 6 * len(secret)


def test_every_secret_link_carries_at_least_128_random_bits(reading_world: World) -> None:
    w = reading_world
    key = w.photo_path.rsplit("/", 1)[1]
    secrets_given = [w.token(r) for r in (ORGANISER, FACILITATOR, AUTHOR, ATTENDEE)] + [key]
    for secret in secrets_given:
        assert secret is not None and entropy_bits(secret) >= 128, secret
    elsewhere = new_event(w.ev.client)  # new facilitator links would end w's facilitator's
    more = [elsewhere.join()["token"] for _ in range(20)]
    more += [elsewhere.facilitator() for _ in range(5)]
    more += [new_event(w.ev.client).organiser for _ in range(5)]
    assert len(set(more + secrets_given)) == len(more + secrets_given), "a secret repeated"
    assert all(entropy_bits(s) >= 128 for s in more)
    # Nothing shared between secrets made one after another: no counter, no timestamp.
    assert len({s[:6] for s in more}) == len(more)


def near_misses(secret: str) -> Iterator[str]:
    flip = "A" if secret[-1] != "A" else "B"
    yield secret[:-1] + flip
    yield secret[:-1]
    yield secret + "A"
    yield secret.upper() if secret.upper() != secret else secret.lower()
    yield " " + secret[1:]
    yield secrets.token_urlsafe(24)


def test_organiser_links_cannot_be_guessed_or_borrowed(reading_world: World) -> None:
    w = reading_world
    before = w.evidence()
    wrong = [
        *near_misses(w.ev.organiser),
        w.token(FACILITATOR),
        w.token(AUTHOR),
        w.token(OTHER_EVENT),
        w.token(ERASED),
    ]
    for key in wrong:
        assert key is not None
        response = w.ev.call("GET", "/archive", key)
        assert response.status_code in (401, 403), (key, response.text)
        assert_problem(response)
        response = w.ev.call("PATCH", "", key, json={"name": "Taken over"})
        assert response.status_code in (401, 403), (key, response.text)
        assert_problem(response)
    assert w.evidence() == before


def test_a_wrong_personal_feed_link_is_a_plain_not_found(reading_world: World) -> None:
    """Every wrong feed secret answers exactly alike, on this event and on an event that
    doesn't exist, so a prober learns nothing about links or events from it; the attendee's
    own token, which can act as them, opens no feed."""
    w = reading_world
    client = w.ev.client
    mine = w.feed(AUTHOR)
    assert client.get(page(w, f"/my/{mine}.ics")).status_code == 200
    other_attendee = new_event(client).join("Elsewhere")["token"]
    wrong = [
        *near_misses(mine),
        w.token(AUTHOR),
        w.ev.organiser,
        w.token(FACILITATOR),
        w.token(ERASED),
        other_attendee,
    ]
    answers = []
    for token in wrong:
        assert token is not None
        response = client.get(page(w, f"/my/{token}.ics"))
        body = assert_problem(response, 404)
        assert token not in response.text
        answers.append((response.status_code, body["title"], body["detail"]))
    missing = client.get(f"/e/no-such-event-{secrets.token_hex(4)}/my/{mine}.ics")
    body = assert_problem(missing, 404)
    answers.append((missing.status_code, body["title"], body["detail"]))
    assert len(set(answers)) == 1, f"wrong links are answered differently: {set(answers)}"


def test_a_wrong_photo_key_is_not_found(reading_world: World) -> None:
    w = reading_world
    client = w.ev.client
    assert client.get(w.photo_path).status_code == 200
    base, key = w.photo_path.rsplit("/", 1)
    for guess in near_misses(key):
        assert_problem(client.get(f"{base}/{guess.strip() or 'x'}"), 404)
    # The same photo number under another event is not found either.
    other = w.photo_path.replace(w.slug, w.other.slug)
    assert_problem(client.get(other), 404)


# --- The sockets ----------------------------------------------------------------------------


async def _hello(server: LiveServer, w: World, role: str) -> tuple[Any, Screen, dict[str, Any]]:
    ws = await connect(f"{server.ws_url}/e/{w.slug}/live")
    screen = Screen(ws)
    await screen.hello(w.token(role))
    message = await screen.recv()
    if role in KNOWN:
        assert message["type"] == "snapshot", (role, message)
    else:  # refused, then shown what the public sees rather than a blank screen
        assert message["type"] == "error" and message["status"] == 401, (role, message)
        message = await screen.expect("snapshot")
        assert message["state"]["role"] == "public", role
    return ws, screen, message["state"]


def assert_public_view(state_or_message: Any, role: str) -> None:
    text = json.dumps(state_or_message)
    assert HIDDEN_TITLE not in text and HIDDEN_TEXT not in text, role
    assert "Secret second thoughts" not in text, role
    assert '"draft"' not in text and '"checks"' not in text, role


async def _heard_up_to(screen: Screen, seq: int) -> list[dict[str, Any]]:
    """Every message until the change numbered ``seq`` has arrived, and all sent before a
    ping's pong after it."""
    received = []
    while not received or received[-1].get("seq", -1) < seq:
        received.append(await screen.recv())
    await screen.send({"type": "ping"})
    while (message := await screen.recv())["type"] != "pong":
        received.append(message)
    return received


async def test_event_socket_gives_each_role_only_its_view(
    open_server: LiveServer, client: httpx.Client
) -> None:
    w = build_world(client)
    sockets = {role: await _hello(open_server, w, role) for role in ROLES}
    try:
        for role, (_ws, _screen, state) in sockets.items():
            if role in STAFF:
                assert "draft" in state and HIDDEN_TEXT in json.dumps(state), role
            else:
                assert_public_view(state, role)
                assert ("me" in state) == (role in ATTENDEES), role
        # Staff change the hidden pitch's words and the working grid; attendees hear neither.
        facilitator = w.token(FACILITATOR)
        w.ev.ok(
            "PATCH", f"/pitches/{w.hidden}", facilitator, json={"pitch": "Secret second thoughts"}
        )
        body = {"version": w.version(), "pitch": w.pitch, "locked": True}
        w.ev.ok("POST", "/grid/lock", facilitator, json=body)
        seq = w.state()["seq"]
        for role, (_ws, screen, _state) in sockets.items():
            heard = await _heard_up_to(screen, seq)
            if role in STAFF:
                assert "Secret second thoughts" in json.dumps(heard), role
            else:
                assert heard, f"{role} heard nothing of two changes"
                assert_public_view(heard, role)
    finally:
        for ws, _screen, _state in sockets.values():
            await ws.close()


async def test_event_stream_gives_each_role_only_its_view(
    open_server: LiveServer, client: httpx.Client
) -> None:
    """As the socket above, over the event stream a page asks for with its role's cookie. A
    cookie the event doesn't know is told so, then shown the public view, as on the socket; an
    API client's bearer secret it doesn't know is refused."""
    w = build_world(client)
    async with (
        contextlib.AsyncExitStack() as streams,
        httpx.AsyncClient(base_url=open_server.url) as asker,
    ):
        opened = {}
        for role in ROLES:
            token = w.token(role)
            kind = "staff" if role in STAFF else "attendee"
            params, headers = as_role(kind, token) if token else ({}, {})
            stream = event_stream(open_server.url, w.slug, params, headers)
            opened[role] = events = await streams.enter_async_context(stream)
            message = (await events.next())[1]
            if role not in KNOWN:
                assert message["type"] == "error" and message["status"] == 401, role
                message = (await events.next())[1]
                assert message["state"]["role"] == "public", role
                bearer = {"Authorization": f"Bearer {token}"}
                refused = await asker.get(f"/e/{w.slug}/stream", headers=bearer)
                assert_problem(refused, 401)
            state = message["state"]
            if role in STAFF:
                assert "draft" in state and HIDDEN_TEXT in json.dumps(state), role
            else:
                assert_public_view(state, role)
                assert ("me" in state) == (role in ATTENDEES), role
        facilitator = w.token(FACILITATOR)
        w.ev.ok(
            "PATCH", f"/pitches/{w.hidden}", facilitator, json={"pitch": "Secret second thoughts"}
        )
        body = {"version": w.version(), "pitch": w.pitch, "locked": True}
        w.ev.ok("POST", "/grid/lock", facilitator, json=body)
        seq = w.state()["seq"]
        for role, events in opened.items():
            heard = await events.up_to(seq)
            if role in STAFF:
                assert "Secret second thoughts" in json.dumps(heard), role
            else:
                assert_public_view(heard, role)


def _notes_url(server: LiveServer, slug: str, pitch: int) -> str:
    return f"{server.ws_url}/e/{slug}/notes/{pitch}/live"


async def _write_notes(server: LiveServer, w: World, role: str, words: str) -> dict[str, Any]:
    async with connect(_notes_url(server, w.slug, w.pitch)) as ws:
        phone = NotesPhone(ws)
        await phone.join(w.token(role))
        return await phone.type(NotesContent(summary=words))


async def _refused_join(phone: NotesPhone, token: str | None, status: int) -> None:
    await phone.send({"type": "join", "token": token})
    refused = await phone.expect("error")
    assert refused["status"] == status, refused
    # The socket stays open, and writing without having joined is refused too.
    await phone.push(b"\x00\x00")
    assert (await phone.expect("error"))["status"] == 422
    await phone.send({"type": "ping"})
    await phone.expect("pong")


async def test_notes_socket_opens_for_people_of_the_event_only(
    open_server: LiveServer, client: httpx.Client
) -> None:
    w = build_world(client)
    assert (await _write_notes(open_server, w, AUTHOR, "What we agreed"))["type"] == "ack"
    before = w.evidence()
    url = _notes_url(open_server, w.slug, w.pitch)
    for role in ROLES:
        async with connect(url) as ws:
            phone = NotesPhone(ws)
            if role in PEOPLE:
                sync = await phone.join(w.token(role))
                assert phone.content().summary == "What we agreed", role
                assert sync["can_write"] is True, role
                assert sync["can_finalise"] is (role in STAFF | {AUTHOR}), role
            else:
                await _refused_join(phone, w.token(role), 403 if role == PUBLIC else 401)
    assert w.evidence() == before
    # Another event's organiser can't open this session's notes through their own event.
    async with connect(_notes_url(open_server, w.other.slug, w.pitch)) as ws:
        phone = NotesPhone(ws)
        await phone.send({"type": "join", "token": w.other.organiser})
        assert (await phone.expect("error"))["status"] == 404
    # A hidden pitch has no notes page for anyone.
    async with connect(_notes_url(open_server, w.slug, w.hidden)) as ws:
        phone = NotesPhone(ws)
        await phone.send({"type": "join", "token": w.token(FACILITATOR)})
        assert (await phone.expect("error"))["status"] == 404
    assert w.evidence() == before


async def test_notes_socket_opens_to_the_public_once_proceedings_are_published(
    open_server: LiveServer, client: httpx.Client
) -> None:
    w = build_world(client)
    await _write_notes(open_server, w, AUTHOR, "Published words")
    w.ev.ok("PUT", "/proceedings", w.ev.organiser, json={"published": True})
    before = w.evidence()
    async with connect(_notes_url(open_server, w.slug, w.pitch)) as ws:
        reader = NotesPhone(ws)
        sync = await reader.join(None)
        assert reader.content().summary == "Published words"
        assert sync["can_write"] is False and sync["can_finalise"] is False
        refused = await reader.type(NotesContent(summary="Defaced by a reader"))
        assert refused["type"] == "error" and refused["status"] == 403, refused
    for role in (OTHER_EVENT, ERASED, FORGED):
        async with connect(_notes_url(open_server, w.slug, w.pitch)) as ws:
            await _refused_join(NotesPhone(ws), w.token(role), 401)
    assert w.evidence() == before


async def test_a_notes_page_left_open_loses_its_rights_when_personal_data_is_erased(
    open_server: LiveServer, client: httpx.Client
) -> None:
    w = build_world(client)
    async with connect(_notes_url(open_server, w.slug, w.pitch)) as ws:
        phone = NotesPhone(ws)
        await phone.join(w.token(AUTHOR))
        assert (await phone.type(NotesContent(summary="Before")))["type"] == "ack"
        w.ev.ok("POST", "/erase-personal-data", w.ev.organiser, json={"confirm": w.slug})
        before = w.evidence()
        refused = await phone.type(NotesContent(summary="After erasure"))
        assert refused["type"] == "error" and refused["status"] == 401, refused
    assert w.evidence() == before
    assert w.ev.ok("GET", f"/pitches/{w.pitch}/notes", w.ev.organiser)["content"]["summary"] == (
        "Before"
    )
