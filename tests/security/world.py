"""One event with someone in every role, and what each role's requests are made of.

The roles are the people (and impostors) the authorisation tests speak as: the organiser, a
facilitator, the attendee who pitched the session (its author), another attendee, the public
(no token at all), the organiser of ANOTHER event using their key here, an attendee whose
personal data the organiser erased, and a forged token.
"""

from __future__ import annotations

import io
import re
import secrets
from dataclasses import dataclass
from typing import Any

import httpx
from PIL import Image

from tests.conftest import ApiEvent, event_body

ORGANISER, FACILITATOR, AUTHOR, ATTENDEE = "organiser", "facilitator", "author", "attendee"
PUBLIC, OTHER_EVENT, ERASED, FORGED = "public", "other_event", "erased", "forged"
ROLES = (ORGANISER, FACILITATOR, AUTHOR, ATTENDEE, PUBLIC, OTHER_EVENT, ERASED, FORGED)
STAFF = frozenset({ORGANISER, FACILITATOR})
ATTENDEES = frozenset({AUTHOR, ATTENDEE})
PEOPLE = STAFF | ATTENDEES  # everyone the event knows
KNOWN = PEOPLE | {PUBLIC}  # everyone with no token or a token the event recognises
EVERYONE = frozenset(ROLES)

# A hidden pitch's words: no attendee or member of the public may ever receive them.
HIDDEN_TITLE = "Buy cheap watches"
HIDDEN_TEXT = "Spam text only staff may read"


def new_event(client: httpx.Client, **overrides: Any) -> ApiEvent:
    response = client.post("/api/events", json=event_body(**overrides))
    assert response.status_code == 201, response.text
    made = response.json()
    return ApiEvent(client, made["slug"], made["organiser_key"], made["links"])


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (20, 120, 60)).save(buffer, "PNG")
    return buffer.getvalue()


@dataclass
class World:
    """Event A, set up to the published grid, and event B beside it."""

    ev: ApiEvent
    other: ApiEvent
    tokens: dict[str, str | None]
    feeds: dict[str, str]  # each attendee's calendar feed secret (read-only)
    pitch: int  # the author's, placed on the published grid, with notes, a version, a photo
    spare: int  # the other attendee's, on the grid too; the author's dot is on it
    hidden: int  # hidden by the facilitator
    dot: int
    room: int
    slot: int
    free_cell: tuple[int, int]
    notes_version: int
    photo_path: str
    action: int  # in the author's session's notes, on the action board
    action_link: str  # its owner's private link's secret

    @property
    def slug(self) -> str:
        return self.ev.slug

    def token(self, role: str) -> str | None:
        return self.tokens[role]

    def feed(self, role: str) -> str:
        """The role's calendar feed secret; anyone without one tries their own token."""
        return self.feeds.get(role) or self.tokens[role] or "none"

    def state(self, role: str = ORGANISER) -> dict[str, Any]:
        return self.ev.state(self.tokens[role])

    def version(self) -> int:
        return int(self.state()["draft"]["version"])

    def evidence(self) -> list[Any]:
        """Everything stored about both events, to show that a refusal changed nothing, once
        Snug's follow-ups of earlier votes (headcounts, checks) are recorded."""
        self.ev.settled()
        archive = self.ev.ok("GET", "/archive", self.ev.organiser)
        archive.pop("exported_at")
        return [self.state(), archive, self.other.state(self.other.organiser)]


def build_world(client: httpx.Client) -> World:
    ev, other = new_event(client), new_event(client)
    gone = ev.join("Gone")["token"]
    ev.ok("POST", "/erase-personal-data", ev.organiser, json={"confirm": ev.slug})
    facilitator = ev.facilitator()
    author, attendee = ev.join("Alex")["token"], ev.join("Sam")["token"]
    pitch = ev.pitch(author, "Open data in councils")["id"]
    spare = ev.pitch(attendee, "Cycling to work")["id"]
    hidden = ev.pitch(attendee, HIDDEN_TITLE, pitch=HIDDEN_TEXT)["id"]
    ev.ok("PATCH", f"/pitches/{hidden}", facilitator, json={"hidden": True})
    ev.edit(voting_open=True)
    dot = ev.ok("POST", "/dots", author, json={"pitch": spare}, status=201)["id"]
    for step in ("allocate", "publish"):
        version = ev.state(facilitator)["draft"]["version"]
        ev.ok("POST", f"/grid/{step}", facilitator, json={"version": version})
    state = ev.state(facilitator)
    placed = {p["pitch"]: (p["room"], p["slot"]) for p in state["grid"]["placements"]}
    cells = {(r["id"], s["id"]) for r in state["rooms"] for s in state["slots"]}
    free_cell = min(cells - set(placed.values()))
    ev.ok("POST", f"/me/seats/{pitch}", author)
    notes = f"/pitches/{pitch}/notes"
    for final in (True, False):  # marking final keeps a version
        ev.ok("PUT", f"{notes}/final", facilitator, json={"final": final})
    (version,) = ev.ok("GET", f"{notes}/versions", author)
    photo = ev.ok(
        "POST",
        f"{notes}/photos",
        author,
        content=png(),
        headers={"Content-Type": "image/png"},
        status=201,
    )
    action, action_link = _action(ev, pitch, author)
    tokens = {
        ORGANISER: ev.organiser,
        FACILITATOR: facilitator,
        AUTHOR: author,
        ATTENDEE: attendee,
        PUBLIC: None,
        OTHER_EVENT: other.organiser,
        ERASED: gone,
        FORGED: secrets.token_urlsafe(24),
    }
    feeds = {
        role: ev.ok("POST", "/me/calendar", tokens[role])["link"].rsplit("/", 1)[1][:-4]
        for role in (AUTHOR, ATTENDEE)
    }
    return World(
        ev,
        other,
        tokens,
        feeds,
        pitch=pitch,
        spare=spare,
        hidden=hidden,
        dot=dot,
        room=placed[pitch][0],
        slot=placed[pitch][1],
        free_cell=free_cell,
        notes_version=version["id"],
        photo_path=httpx.URL(photo["url"]).path,
        action=action,
        action_link=action_link,
    )


def _action(ev: ApiEvent, pitch: int, author: str) -> tuple[int, str]:
    """An action written in the session's notes from the page without script, and its owner's
    link as the organiser copies it from the board."""
    ev.client.cookies.clear()
    ev.client.post(
        f"/e/{ev.slug}/notes/{pitch}/actions",
        data={"what": "Share the slides", "owner": "Alex", "due": "2027-01-31"},
        headers={"Cookie": f"snug_attendee={author}"},
    )
    (action,) = ev.ok("GET", "/actions", ev.organiser)
    board = ev.client.get(f"/e/{ev.slug}/actions", headers={"Cookie": f"snug_staff={ev.organiser}"})
    ev.client.cookies.clear()
    found = re.search(r"/action/([A-Za-z0-9_-]+)\"", board.text)
    assert found, board.text
    return int(action["id"]), found.group(1)
