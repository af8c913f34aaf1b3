"""Grid commands over HTTP against the real server: refusals change nothing; the allocator.

Every refusal is problem+json with a sentence, and everyone's view of the event (organiser,
public, each attendee's /me) is the same after it as before.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from server.validation import validate
from tests.conftest import ApiEvent
from tests.http.helpers import assert_problem

GRID_SLOTS = [
    {"starts_at": "2026-11-23T10:00", "ends_at": "2026-11-23T10:45", "label": "One"},
    {"starts_at": "2026-11-23T11:00", "ends_at": "2026-11-23T11:45", "label": "Two"},
    {
        "starts_at": "2026-11-23T12:00",
        "ends_at": "2026-11-23T13:00",
        "label": "Lunch",
        "kind": "break",
    },
]
GRID_ROOMS = [
    {"name": "Great Hall", "capacity": 50},
    {"name": "Loft", "capacity": 10},
    {"name": "Snug", "capacity": 2},
]


@dataclass
class Grid:
    """An event with three rooms, two session slots and a lunch break, pitches and votes."""

    ev: ApiEvent
    fac: str
    rooms: dict[str, int]
    slots: dict[str, int]
    pitches: list[int]
    people: dict[str, str] = field(default_factory=dict)  # name -> attendee token

    def version(self) -> int:
        return int(self.ev.state(self.fac)["draft"]["version"])

    def command(self, what: str, body: Any, token: str | None = "fac") -> httpx.Response:
        secret = self.fac if token == "fac" else token
        return self.ev.call("POST", f"/grid/{what}", secret, json=body)

    def do(self, what: str, **body: Any) -> dict[str, Any]:
        body.setdefault("version", self.version())
        response = self.command(what, body)
        assert response.status_code == 200, (what, body, response.text)
        return dict(response.json())

    def move(self, pitch: int, room: str, slot: str) -> dict[str, Any]:
        return self.do("move", pitch=pitch, room=self.rooms[room], slot=self.slots[slot])

    def cell(self, room: str, slot: str) -> dict[str, int]:
        return {"room": self.rooms[room], "slot": self.slots[slot]}

    def draft_cells(self) -> dict[int, tuple[int, int]]:
        draft = self.ev.state(self.fac)["draft"]
        return {p["pitch"]: (p["room"], p["slot"]) for p in draft["placements"]}

    def vote(self, name: str, *pitches: int) -> str:
        token = self.people.get(name) or self.ev.join(name)["token"]
        self.people[name] = token
        for pitch in pitches:
            self.ev.ok("POST", "/dots", token, json={"pitch": pitch}, status=201)
        return token

    def world(self) -> list[Any]:
        """Everything anyone can read about the event, the change log's seq included."""
        ev = self.ev
        return [
            ev.state(ev.organiser),
            ev.state(),
            *(ev.state(t) for t in self.people.values()),
            *(ev.ok("GET", "/me", t) for t in self.people.values()),
        ]


def make_grid(
    make_event: Callable[..., ApiEvent],
    hosts: list[str] | None = None,
    dots: int = 3,
    rooms: list[dict[str, Any]] | None = None,
    **extra: Any,
) -> Grid:
    ev = make_event(
        rooms=[dict(r) for r in rooms or GRID_ROOMS],
        slots=[dict(s) for s in GRID_SLOTS],
        dots_per_attendee=dots,
        **extra,
    )
    fac = ev.facilitator()
    state = ev.state(fac)
    made = Grid(
        ev,
        fac,
        {r["name"]: r["id"] for r in state["rooms"]},
        {s["label"]: s["id"] for s in state["slots"]},
        [],
    )
    for i, host in enumerate(hosts or ["Ann", "Bo", "Cy", "Di"]):
        made.pitches.append(ev.pitch(fac, f"Idea {chr(65 + i)}", host=host)["id"])
    ev.edit(voting_open=True)
    return made


def assert_valid_grid(placements: list[dict[str, Any]]) -> None:
    """No cell holds two sessions and no session sits in two cells."""
    cells = Counter((p["room"], p["slot"]) for p in placements)
    sessions = Counter(p["pitch"] for p in placements)
    assert max(cells.values(), default=1) == 1, placements
    assert max(sessions.values(), default=1) == 1, placements


def assert_grid_problem(response: httpx.Response, status: int) -> dict[str, Any]:
    """assert_problem, allowing a detail that opens with a session's title in curly quotes."""
    body = response.json() if response.content else {}
    detail = body.get("detail", "") if isinstance(body, dict) else ""
    if not detail.startswith("\u201c"):
        return assert_problem(response, status)
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    validate("problem", body)
    assert body["status"] == status and len(detail.split()) >= 3, body
    return dict(body)


# --- Refusals -----------------------------------------------------------------------------


@pytest.fixture
def placed(make_event: Callable[..., ApiEvent]) -> Grid:
    """Ann's and Bo's sessions placed in slot One, Ann's locked; Ann also hosts Session 2."""
    g = make_grid(make_event, hosts=["Ann", "Bo", "Ann", "Di"])
    g.vote("Alex", g.pitches[0], g.pitches[1])
    g.vote("Sam", g.pitches[3])
    g.ev.settled()  # the votes' follow-up is done before the grid is drafted
    g.move(g.pitches[0], "Great Hall", "One")
    g.move(g.pitches[1], "Loft", "One")
    g.do("lock", pitch=g.pitches[0], locked=True)
    return g


def _move(g: Grid, pitch: int, room: int, slot: int, **extra: Any) -> dict[str, Any]:
    return {"version": g.version(), "pitch": pitch, "room": room, "slot": slot, **extra}


Refusal = Callable[[Grid], tuple[str, Any, str | None]]
HALL, LOFT, SNUG = "Great Hall", "Loft", "Snug"

REFUSALS: dict[str, tuple[int, Refusal]] = {
    "attendee moves": (
        403,
        lambda g: ("move", _move(g, g.pitches[3], g.rooms[SNUG], g.slots["Two"]), g.people["Sam"]),
    ),
    "public moves": (
        403,
        lambda g: ("move", _move(g, g.pitches[3], g.rooms[SNUG], g.slots["Two"]), None),
    ),
    "forged key moves": (
        401,
        lambda g: ("move", _move(g, g.pitches[3], g.rooms[SNUG], g.slots["Two"]), "forged-key-1"),
    ),
    "attendee allocates": (403, lambda g: ("allocate", {"version": g.version()}, g.people["Alex"])),
    "attendee publishes": (403, lambda g: ("publish", {"version": g.version()}, g.people["Alex"])),
    "public undoes": (403, lambda g: ("undo", {"version": g.version()}, None)),
    "unknown room": (
        404,
        lambda g: ("move", _move(g, g.pitches[3], 2**31 - 1, g.slots["Two"]), "fac"),
    ),
    "unknown slot": (
        404,
        lambda g: ("move", _move(g, g.pitches[3], g.rooms[SNUG], 2**31 - 1), "fac"),
    ),
    "unknown pitch": (
        404,
        lambda g: ("move", _move(g, 2**31 - 1, g.rooms[SNUG], g.slots["Two"]), "fac"),
    ),
    "unplacing an unplaced pitch": (
        404,
        lambda g: ("unplace", {"version": g.version(), "pitch": g.pitches[3]}, "fac"),
    ),
    "locking an unplaced pitch": (
        404,
        lambda g: ("lock", {"version": g.version(), "pitch": g.pitches[3], "locked": True}, "fac"),
    ),
    "break slot": (
        409,
        lambda g: ("move", _move(g, g.pitches[3], g.rooms[SNUG], g.slots["Lunch"]), "fac"),
    ),
    "locked session moved": (
        409,
        lambda g: ("move", _move(g, g.pitches[0], g.rooms[SNUG], g.slots["Two"]), "fac"),
    ),
    "moved onto a locked session": (
        409,
        lambda g: ("move", _move(g, g.pitches[3], g.rooms[HALL], g.slots["One"]), "fac"),
    ),
    "locked session unplaced": (
        409,
        lambda g: ("unplace", {"version": g.version(), "pitch": g.pitches[0]}, "fac"),
    ),
    "host in two places": (
        409,
        lambda g: ("move", _move(g, g.pitches[2], g.rooms[SNUG], g.slots["One"]), "fac"),
    ),
    "stale version": (
        409,
        lambda g: (
            "move",
            {**_move(g, g.pitches[3], g.rooms[SNUG], g.slots["Two"]), "version": g.version() - 1},
            "fac",
        ),
    ),
    "version from the future": (
        409,
        lambda g: (
            "move",
            {**_move(g, g.pitches[3], g.rooms[SNUG], g.slots["Two"]), "version": g.version() + 1},
            "fac",
        ),
    ),
    "stale publish": (409, lambda g: ("publish", {"version": g.version() - 1}, "fac")),
    "stale allocate": (409, lambda g: ("allocate", {"version": g.version() - 1}, "fac")),
    "missing version": (
        422,
        lambda g: (
            "move",
            {"pitch": g.pitches[3], "room": g.rooms[SNUG], "slot": g.slots["Two"]},
            "fac",
        ),
    ),
    "version as a string": (
        422,
        lambda g: (
            "move",
            {**_move(g, g.pitches[3], g.rooms[SNUG], g.slots["Two"]), "version": str(g.version())},
            "fac",
        ),
    ),
    "negative version": (422, lambda g: ("undo", {"version": -1}, "fac")),
    "pitch as a string": (
        422,
        lambda g: (
            "move",
            {**_move(g, g.pitches[3], g.rooms[SNUG], g.slots["Two"]), "pitch": "3"},
            "fac",
        ),
    ),
    "room missing": (
        422,
        lambda g: (
            "move",
            {"version": g.version(), "pitch": g.pitches[3], "slot": g.slots["Two"]},
            "fac",
        ),
    ),
    "extra field": (
        422,
        lambda g: (
            "move",
            _move(g, g.pitches[3], g.rooms[SNUG], g.slots["Two"], force=True),
            "fac",
        ),
    ),
    "locked not a boolean": (
        422,
        lambda g: ("lock", {"version": g.version(), "pitch": g.pitches[1], "locked": "yes"}, "fac"),
    ),
    "publish with extra field": (
        422,
        lambda g: ("publish", {"version": g.version(), "now": True}, "fac"),
    ),
    "body not an object": (422, lambda g: ("allocate", [g.version()], "fac")),
}


@pytest.mark.parametrize("case", list(REFUSALS))
def test_grid_refusals_are_problems_and_change_nothing(placed: Grid, case: str) -> None:
    status, build = REFUSALS[case]
    what, body, token = build(placed)
    before = placed.world()
    response = placed.command(what, body, token)
    assert_grid_problem(response, status)
    assert placed.world() == before


def test_a_host_who_cannot_make_a_slot_is_not_put_in_it(placed: Grid) -> None:
    g = placed
    g.ev.ok("PATCH", f"/pitches/{g.pitches[3]}", g.fac, json={"unavailable": [g.slots["Two"]]})
    before = g.world()
    body = _move(g, g.pitches[3], g.rooms[SNUG], g.slots["Two"])
    assert_grid_problem(g.command("move", body), 409)
    assert g.world() == before
    g.move(g.pitches[3], SNUG, "One")  # the other slot is fine


def test_undo_with_nothing_to_undo_is_refused(make_event: Callable[..., ApiEvent]) -> None:
    g = make_grid(make_event)
    before = g.world()
    problem = assert_grid_problem(g.command("undo", {"version": g.version()}), 409)
    assert problem["detail"] == "There is nothing to undo."
    assert g.world() == before
    g.move(g.pitches[0], HALL, "One")
    undone = g.do("undo")
    assert undone["undone"] == {"en": "move “Idea A”"} and undone["draft"]["placements"] == []
    assert g.version() == 2
    before = g.world()
    assert_grid_problem(g.command("undo", {"version": g.version()}), 409)
    assert g.world() == before


def test_moves_swap_and_every_answer_carries_the_new_draft(
    make_event: Callable[..., ApiEvent],
) -> None:
    g = make_grid(make_event)
    a, b, c = g.pitches[:3]
    assert g.move(a, HALL, "One")["draft"]["version"] == 1
    g.move(b, LOFT, "One")
    swapped = g.move(a, LOFT, "One")["draft"]
    assert g.draft_cells() == {
        a: (g.rooms[LOFT], g.slots["One"]),
        b: (g.rooms[HALL], g.slots["One"]),
    }
    assert swapped == g.ev.state(g.fac)["draft"]
    # From the unplaced list onto an occupied cell: the occupant goes back to unplaced.
    g.move(c, LOFT, "One")
    assert g.draft_cells() == {
        c: (g.rooms[LOFT], g.slots["One"]),
        b: (g.rooms[HALL], g.slots["One"]),
    }
    assert_valid_grid(g.ev.state(g.fac)["draft"]["placements"])


# --- The allocator -------------------------------------------------------------------------

ROOM_WORDS = re.compile(r"\b(room|slot|session|pitch) ?#?\d+\b", re.IGNORECASE)


def test_allocate_places_every_pitch_when_there_are_cells_enough(
    make_event: Callable[..., ApiEvent],
) -> None:
    g = make_grid(make_event)
    p = g.pitches
    g.vote("Alex", p[0], p[1])
    g.vote("Sam", p[0], p[2])
    g.vote("Kim", p[3])
    answer = g.do("allocate")
    draft, allocation = answer["draft"], answer["allocation"]
    assert sorted(x["pitch"] for x in draft["placements"]) == sorted(p)
    assert_valid_grid(draft["placements"])
    assert all(x["slot"] != g.slots["Lunch"] for x in draft["placements"])
    assert allocation["left_out"] == []
    assert set(allocation["reasons"]) == {str(x) for x in p}
    names = set(g.rooms)
    for pitch, said in allocation["reasons"].items():
        reason = said["en"]  # an event held in English
        assert any(name in reason for name in names), (pitch, reason)
        assert not ROOM_WORDS.search(reason), reason
    # Alex and Sam each voted twice: the grid serves every vote, no clashes.
    assert draft["checks"]["served"]["served"] == draft["checks"]["served"]["total"] == 5
    assert draft == g.ev.state(g.fac)["draft"]


def test_allocate_leaves_out_the_fewest_voted_when_cells_run_short(
    make_event: Callable[..., ApiEvent],
) -> None:
    hosts = [f"Host {i}" for i in range(8)]
    g = make_grid(make_event, hosts=hosts, dots=1)
    p = g.pitches
    for i in range(6):  # six pitches with two votes each, two pitches with one
        g.vote(f"Fan {i}a", p[i])
        g.vote(f"Fan {i}b", p[i])
    g.vote("Lone 6", p[6])
    g.vote("Lone 7", p[7])
    g.move(p[5], "Snug", "Two")
    g.do("lock", pitch=p[5], locked=True)
    answer = g.do("allocate")
    draft, allocation = answer["draft"], answer["allocation"]
    assert_valid_grid(draft["placements"])
    assert sorted(x["pitch"] for x in draft["placements"]) == sorted(p[:6])
    assert {
        "pitch": p[5],
        "room": g.rooms["Snug"],
        "slot": g.slots["Two"],
        "locked": True,
    } in draft["placements"]
    left_out = allocation["left_out"]
    assert sorted(o["pitch"] for o in left_out) == sorted(p[6:])
    for out in left_out:
        assert out["votes"] == 1
        reason = out["reason"]["en"]
        assert len(reason.split()) >= 4 and "vote" in reason, reason
        assert not ROOM_WORDS.search(reason), reason
    for pitch, said in allocation["reasons"].items():
        assert any(name in said["en"] for name in g.rooms), (pitch, said)
        assert not ROOM_WORDS.search(said["en"]), said
    assert draft["checks"]["served"]["served"] == 12
    # Running it again on the same votes moves nothing.
    again = g.do("allocate")
    assert again["allocation"]["moved"] == 0
    assert again["draft"]["placements"] == draft["placements"]


def test_removing_a_room_with_sessions_is_refused_naming_them_until_confirmed(
    make_event: Callable[..., ApiEvent],
) -> None:
    g = make_grid(make_event)
    g.move(g.pitches[0], HALL, "One")
    g.move(g.pitches[1], HALL, "Two")
    before = g.world()
    asked = {"version": g.version(), "room": g.rooms[HALL]}
    problem = assert_grid_problem(g.command("room/remove", asked), 409)
    assert problem["sessions"] == [
        {"pitch": g.pitches[0], "title": "Idea A"},
        {"pitch": g.pitches[1], "title": "Idea B"},
    ]
    assert "“Idea A”, “Idea B”" in problem["detail"]
    assert g.world() == before
    removed = g.do("room/remove", room=g.rooms[HALL], unplace=True)
    assert removed["draft"]["placements"] == []
    assert removed["draft"]["undo"] == {"en": f"remove the room {HALL}"}
    assert [r["name"] for r in g.ev.state(g.fac)["rooms"]] == [LOFT, SNUG]
    # An empty room or slot goes without being asked.
    g.do("slot/remove", slot=g.slots["Lunch"])
    assert "Lunch" not in [s["label"] for s in g.ev.state(g.fac)["slots"]]


def test_undo_brings_a_removed_room_back_with_its_sessions_for_everyone(
    make_event: Callable[..., ApiEvent],
) -> None:
    g = make_grid(make_event)
    g.move(g.pitches[0], HALL, "One")
    staff_before = g.ev.state(g.fac)
    g.do("room/remove", room=g.rooms[HALL], unplace=True)
    undone = g.do("undo")
    assert undone["undone"] == {"en": f"remove the room {HALL}"}
    seen = g.ev.state(g.ev.organiser)  # another of the staff, reading the event afresh
    assert seen["rooms"] == staff_before["rooms"]
    assert seen["draft"]["placements"] == staff_before["draft"]["placements"]
    assert seen["draft"]["undo"] == {"en": "move “Idea A”"}


def test_rooms_and_slots_are_added_and_changed_through_the_grid(
    make_event: Callable[..., ApiEvent],
) -> None:
    g = make_grid(make_event)
    added = g.do("room", name="Attic", capacity=6)
    assert added["draft"]["undo"] == {"en": "add the room Attic"}
    g.do("room", room=g.rooms[LOFT], name="Loft", capacity=25)
    g.do("slot", starts_at="2026-11-23T14:00", ends_at="2026-11-23T14:45", label="Three")
    state = g.ev.state(g.fac)
    assert {r["name"]: r["capacity"] for r in state["rooms"]}["Loft"] == 25
    assert "Attic" in [r["name"] for r in state["rooms"]]
    assert "Three" in [s["label"] for s in state["slots"]]
    attendee = g.vote("Zed")
    before = g.world()
    stale = {"version": g.version() - 1, "name": "Cellar", "capacity": 4}
    assert_grid_problem(g.command("room", stale), 409)
    fresh = {"version": g.version(), "name": "Cellar", "capacity": 4}
    assert_grid_problem(g.command("room", fresh, token=attendee), 403)
    assert g.world() == before
