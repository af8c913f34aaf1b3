"""Every kind of bad request gets a problem+json 4xx and changes nothing."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from tests.conftest import ApiEvent, event_body, unique_name
from tests.http.helpers import assert_problem


@dataclass
class Scene:
    """Voting open with one dot each; alex has a pitch and a dot; another event beside it."""

    ev: ApiEvent
    other: ApiEvent
    alex: str
    sam: str
    fac: str
    pitch: int  # alex's
    staff_pitch: int
    dot: int  # alex's, on staff_pitch
    other_attendee: str
    other_pitch: int
    other_room: int

    def world(self) -> Any:
        """Everything anyone can read, to show a refusal changed nothing."""
        return [
            self.ev.state(self.ev.organiser),
            self.ev.ok("GET", "/me", self.alex),
            self.ev.ok("GET", "/me", self.sam),
            self.other.state(self.other.organiser),
            self.other.ok("GET", "/me", self.other_attendee),
        ]


@pytest.fixture
def scene(make_event: Callable[..., ApiEvent]) -> Scene:
    ev, other = make_event(dots_per_attendee=1), make_event()
    fac = ev.facilitator()
    alex, sam = ev.join("Alex")["token"], ev.join("Sam")["token"]
    pitch = ev.pitch(alex, "Alex's pitch")["id"]
    staff_pitch = ev.pitch(fac, "Staff pitch")["id"]
    ev.edit(voting_open=True)
    dot = ev.ok("POST", "/dots", alex, json={"pitch": staff_pitch}, status=201)["id"]
    other_attendee = other.join()["token"]
    other_pitch = other.pitch(other.organiser, "Elsewhere")["id"]
    other_room = other.state()["rooms"][0]["id"]
    return Scene(
        ev, other, alex, sam, fac, pitch, staff_pitch, dot, other_attendee, other_pitch, other_room
    )


Case = Callable[[Scene], tuple[str, str, str | None, dict[str, Any]]]
BIG = "x" * (70 * 1024)

CASES: dict[str, tuple[int, Case]] = {
    # Shape of the body.
    "title too long": (422, lambda s: ("POST", "/pitches", s.alex, {"json": {"title": "t" * 121}})),
    "pitch too long": (
        422,
        lambda s: ("POST", "/pitches", s.alex, {"json": {"title": "t", "pitch": "p" * 281}}),
    ),
    "host too long": (
        422,
        lambda s: ("PATCH", f"/pitches/{s.pitch}", s.alex, {"json": {"host": "h" * 81}}),
    ),
    "too many tags": (
        422,
        lambda s: ("POST", "/pitches", s.alex, {"json": {"title": "t", "tags": list("abcdef")}}),
    ),
    "tag too long": (
        422,
        lambda s: ("POST", "/pitches", s.alex, {"json": {"title": "t", "tags": ["t" * 31]}}),
    ),
    "unknown format": (
        422,
        lambda s: ("POST", "/pitches", s.alex, {"json": {"title": "t", "format": "keynote"}}),
    ),
    "blank title": (422, lambda s: ("POST", "/pitches", s.alex, {"json": {"title": "   "}})),
    "title of the wrong type": (
        422,
        lambda s: ("POST", "/pitches", s.alex, {"json": {"title": 5}}),
    ),
    "tags of the wrong type": (
        422,
        lambda s: ("POST", "/pitches", s.alex, {"json": {"title": "t", "tags": "a,b"}}),
    ),
    "unknown field": (
        422,
        lambda s: ("POST", "/pitches", s.alex, {"json": {"title": "t", "votes": 99}}),
    ),
    "empty edit": (422, lambda s: ("PATCH", f"/pitches/{s.pitch}", s.alex, {"json": {}})),
    "body is a list": (422, lambda s: ("POST", "/pitches", s.alex, {"json": [{"title": "t"}]})),
    "body is null": (422, lambda s: ("POST", "/pitches", s.alex, {"json": None})),
    "invalid JSON": (
        422,
        lambda s: (
            "POST",
            "/pitches",
            s.alex,
            {"content": b'{"title": "t",', "headers": {"content-type": "application/json"}},
        ),
    ),
    "not UTF-8": (
        422,
        lambda s: (
            "POST",
            "/pitches",
            s.alex,
            {"content": b'{"title": "\xff\xfe"}', "headers": {"content-type": "application/json"}},
        ),
    ),
    "no body": (
        422,
        lambda s: ("POST", "/pitches", s.alex, {"headers": {"content-type": "application/json"}}),
    ),
    "wrong content type": (
        422,
        lambda s: (
            "POST",
            "/pitches",
            s.alex,
            {"content": json.dumps({"title": "t"}), "headers": {"content-type": "text/plain"}},
        ),
    ),
    "form-encoded": (422, lambda s: ("POST", "/pitches", s.alex, {"data": {"title": "t"}})),
    "body over 64 KB": (
        413,
        lambda s: ("POST", "/pitches", s.alex, {"json": {"title": "t", "pitch": BIG}}),
    ),
    "name too long": (422, lambda s: ("PATCH", "/me", s.sam, {"json": {"name": "n" * 61}})),
    "dots of the wrong type": (
        422,
        lambda s: ("PATCH", "", s.ev.organiser, {"json": {"dots_per_attendee": "3"}}),
    ),
    "zero dots": (422, lambda s: ("PATCH", "", s.ev.organiser, {"json": {"dots_per_attendee": 0}})),
    "impossible date": (
        422,
        lambda s: ("PATCH", "", s.ev.organiser, {"json": {"date": "2026-02-30"}}),
    ),
    "unknown time zone": (
        422,
        lambda s: ("PATCH", "", s.ev.organiser, {"json": {"timezone": "Mars/Base"}}),
    ),
    "unknown room feature": (
        422,
        lambda s: (
            "PUT",
            "/rooms",
            s.ev.organiser,
            {"json": {"rooms": [{"name": "R", "capacity": 5, "features": ["jacuzzi"]}]}},
        ),
    ),
    "duplicate room names": (
        422,
        lambda s: (
            "PUT",
            "/rooms",
            s.ev.organiser,
            {"json": {"rooms": [{"name": "R", "capacity": 5}, {"name": "r", "capacity": 5}]}},
        ),
    ),
    "room id from another event": (
        422,
        lambda s: (
            "PUT",
            "/rooms",
            s.ev.organiser,
            {"json": {"rooms": [{"id": s.other_room, "name": "Mine", "capacity": 5}]}},
        ),
    ),
    "slot ends before it starts": (
        422,
        lambda s: (
            "PUT",
            "/slots",
            s.ev.organiser,
            {"json": {"slots": [{"starts_at": "2026-11-23T12:00", "ends_at": "2026-11-23T11:00"}]}},
        ),
    ),
    "slot time not a real time": (
        422,
        lambda s: (
            "PUT",
            "/slots",
            s.ev.organiser,
            {"json": {"slots": [{"starts_at": "2026-11-23T25:00", "ends_at": "2026-11-23T26:99"}]}},
        ),
    ),
    # Rules of the marketplace.
    "more dots than allowed": (
        409,
        lambda s: ("POST", "/dots", s.alex, {"json": {"pitch": s.pitch}}),
    ),
    "voting while closed": (
        409,
        lambda s: (
            "POST",
            f"/../{s.other.slug}/dots",
            s.other_attendee,
            {"json": {"pitch": s.other_pitch}},
        ),
    ),
    "editing someone else's pitch": (
        403,
        lambda s: ("PATCH", f"/pitches/{s.pitch}", s.sam, {"json": {"title": "Mine now"}}),
    ),
    "non-staff hiding": (
        403,
        lambda s: ("PATCH", f"/pitches/{s.pitch}", s.alex, {"json": {"hidden": True}}),
    ),
    "non-staff merging": (
        403,
        lambda s: ("POST", f"/pitches/{s.pitch}/merge", s.alex, {"json": {"into": s.staff_pitch}}),
    ),
    "merging into itself": (
        422,
        lambda s: ("POST", f"/pitches/{s.pitch}/merge", s.fac, {"json": {"into": s.pitch}}),
    ),
    "moving someone else's dot": (
        404,
        lambda s: ("PATCH", f"/dots/{s.dot}", s.sam, {"json": {"pitch": s.pitch}}),
    ),
    "withdrawing someone else's dot": (404, lambda s: ("DELETE", f"/dots/{s.dot}", s.sam, {})),
    "public pitching": (403, lambda s: ("POST", "/pitches", None, {"json": {"title": "t"}})),
    "attendee editing the event": (
        403,
        lambda s: ("PATCH", "", s.alex, {"json": {"voting_open": False}}),
    ),
    "facilitator replacing rooms": (
        403,
        lambda s: ("PUT", "/rooms", s.fac, {"json": {"rooms": []}}),
    ),
    "facilitator making facilitator links": (
        403,
        lambda s: ("POST", "/facilitator-link", s.fac, {}),
    ),
    "public renaming": (403, lambda s: ("PATCH", "/me", None, {"json": {"name": "x"}})),
    "organiser voting": (
        409,
        lambda s: ("POST", "/dots", s.ev.organiser, {"json": {"pitch": s.pitch}}),
    ),
    # Who is asking.
    "forged token": (
        401,
        lambda s: ("PATCH", f"/pitches/{s.pitch}", "forged-token-123", {"json": {"title": "x"}}),
    ),
    "forged token reading": (401, lambda s: ("GET", "", "forged-token-123", {})),
    "token from another event": (
        401,
        lambda s: ("POST", "/dots", s.other_attendee, {"json": {"pitch": s.staff_pitch}}),
    ),
    "organiser key of another event": (
        401,
        lambda s: ("PATCH", "", s.other.organiser, {"json": {"voting_open": False}}),
    ),
    # Ids.
    "pitch from another event": (
        404,
        lambda s: ("PATCH", f"/dots/{s.dot}", s.alex, {"json": {"pitch": s.other_pitch}}),
    ),
    "huge pitch id in the path": (
        404,
        lambda s: ("PATCH", f"/pitches/{10**30}", s.fac, {"json": {"title": "x"}}),
    ),
    "huge dot id in the path": (404, lambda s: ("DELETE", f"/dots/{2**31}", s.alex, {})),
    "negative id in the path": (404, lambda s: ("DELETE", "/dots/-1", s.alex, {})),
    "word as id in the path": (
        404,
        lambda s: ("POST", "/pitches/abc/merge", s.fac, {"json": {"into": s.pitch}}),
    ),
    "huge pitch id in the body": (
        422,
        lambda s: ("PATCH", f"/dots/{s.dot}", s.alex, {"json": {"pitch": 2**64}}),
    ),
    "huge merge target": (
        422,
        lambda s: ("POST", f"/pitches/{s.pitch}/merge", s.fac, {"json": {"into": 2**63}}),
    ),
    "NUL in a title": (
        422,
        lambda s: ("POST", "/pitches", s.sam, {"json": {"title": "Nul\u0000l"}}),
    ),
    "zero id in the body": (422, lambda s: ("POST", "/dots", s.sam, {"json": {"pitch": 0}})),
    "unknown event": (404, lambda s: ("GET", "/../no-such-event-here", None, {})),
    "wrong method": (405, lambda s: ("PUT", "/pitches", s.fac, {"json": {"title": "t"}})),
}


@pytest.mark.parametrize("case", list(CASES))
def test_refused_and_nothing_changed(scene: Scene, case: str) -> None:
    status, build = CASES[case]
    method, path, token, kw = build(scene)
    before = scene.world()
    if path.startswith("/../"):  # a path under another event's address
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        response = scene.ev.client.request(method, f"/api/e/{path[4:]}", headers=headers, **kw)
    else:
        response = scene.ev.call(method, path, token, **kw)
    assert_problem(response, status)
    assert scene.world() == before


BAD_EVENTS: dict[str, dict[str, Any]] = {
    "name too long": {"name": "n" * 121},
    "blank name": {"name": "   "},
    "missing date": {"date": None},
    "impossible date": {"date": "2026-13-01"},
    "unknown time zone": {"timezone": "Europe/Atlantis"},
    "zero dots": {"dots_per_attendee": 0},
    "too many dots": {"dots_per_attendee": 21},
    "slug with capitals": {"slug": "My-Event"},
    "slug too short": {"slug": "ab"},
    "unknown field": {"owner": "me"},
    "duplicate room names": {"rooms": [{"name": "A", "capacity": 3}, {"name": "a", "capacity": 3}]},
    "room without capacity": {"rooms": [{"name": "A"}]},
    "slot ends before it starts": {
        "slots": [{"starts_at": "2026-11-23T12:00", "ends_at": "2026-11-23T11:00"}]
    },
    "slot in the wrong form": {"slots": [{"starts_at": "9am", "ends_at": "10am"}]},
}


@pytest.mark.parametrize("case", list(BAD_EVENTS))
def test_bad_event_creation_is_refused_and_makes_no_event(http: httpx.Client, case: str) -> None:
    slug = f"refused-{unique_name('').strip()}"
    body = {**event_body(slug=slug), **BAD_EVENTS[case]}
    body = {k: v for k, v in body.items() if v is not None}
    if case == "slug with capitals" or case == "slug too short":
        slug = body["slug"]
    assert_problem(http.post("/api/events", json=body), 422)
    assert_problem(http.get(f"/api/e/{slug}"), 404)


def test_taken_slug_is_a_conflict(http: httpx.Client, make_event: Callable[..., ApiEvent]) -> None:
    ev = make_event()
    before = ev.state(ev.organiser)
    assert_problem(http.post("/api/events", json=event_body(slug=ev.slug)), 409)
    assert ev.state(ev.organiser) == before


def test_unknown_api_path_is_a_problem(http: httpx.Client) -> None:
    assert_problem(http.get("/api/nothing-here"), 404)
