"""Every route of the app, who may use it, and a well-formed request to it.

A route added to the app without a line here fails tests/security/test_authorisation.py, so
nobody adds an endpoint without saying who may use it. The fuzzers reuse the requests.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
import lxml.html
from starlette.routing import Mount, Route, WebSocketRoute

from server.app import routes as app_routes
from tests.conftest import event_body, unique_name
from tests.security.world import (
    ATTENDEES,
    AUTHOR,
    EVERYONE,
    KNOWN,
    ORGANISER,
    PEOPLE,
    STAFF,
    World,
    png,
)


@dataclass(frozen=True)
class Call:
    """A well-formed request; ``{token}`` in the path stands for the asker's own token."""

    path: str
    json: Any = None
    content: bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)
    # A plain HTML form from Snug's own page: the asker's token rides in the cookie of the
    # page's role (``kept_as``: attendee or staff), as a browser without script sends it.
    form: dict[str, str] | None = None
    kept_as: str = "attendee"
    # A page that reads who is asking from its cookies alone: the asker's token rides in the
    # cookies of these roles, as a browser opening the page sends it.
    cookies: tuple[str, ...] = ()


@dataclass(frozen=True)
class Rule:
    allowed: frozenset[str]
    call: Callable[[World], Call]
    # Staff have no attendee of their own: routes about "me" refuse them with 409 (the
    # project's choice, see tests/http/test_refusals.py "organiser voting").
    self_only: bool = False
    # The request uses up what it acts on, so each allowed role gets an event of its own.
    fresh: bool = False
    # A form that tells someone what was wrong with it (the GOV.UK error summary) refuses with
    # 422 as well: signing in with a link that isn't a staff link.
    refuses_as_form: bool = False
    # Attendees may use it on what is theirs (withdraw their own pitch), so their role alone
    # doesn't refuse them; what they name may.
    owners_may: bool = False


@dataclass(frozen=True)
class Socket:
    """Websockets, and the event stream that stands in for one, are checked role by role by
    the tests named here."""

    tests: tuple[str, ...]


def api(w: World, rest: str = "") -> str:
    return f"/api/e/{w.slug}{rest}"


def page(w: World, rest: str = "") -> str:
    return f"/e/{w.slug}{rest}"


def notes(w: World, rest: str = "") -> str:
    return api(w, f"/pitches/{w.pitch}/notes{rest}")


def form(
    allowed: frozenset[str],
    path: Callable[[World], str],
    fields: Callable[[World], dict[str, str]] = lambda w: {},
    *,
    kept_as: str = "attendee",
    **rule: Any,
) -> Rule:
    return Rule(allowed, lambda w: Call(path(w), form=fields(w), kept_as=kept_as), **rule)


def staff_form(
    path: str, fields: Callable[[World], dict[str, str]], allowed: frozenset[str] = STAFF
) -> Rule:
    return form(allowed, lambda w: page(w, path), fields, kept_as="staff")


def notes_form(w: World) -> dict[str, str]:
    """The notes page's form as drawn for the organiser, with a line added to its summary."""
    w.ev.client.cookies.set("snug_staff", w.token(ORGANISER) or "")
    drawn = w.ev.client.get(page(w, f"/notes/{w.pitch}"))
    w.ev.client.cookies.clear()
    found = lxml.html.fromstring(drawn.text).get_element_by_id("notes-form")
    fields = dict(found.form_values())
    fields["summary"] = fields.get("summary", "") + "\nAdded by a form."
    return fields


def everyone(path: Callable[[World], str]) -> Rule:
    return Rule(EVERYONE, lambda w: Call(path(w)))


def staff_reads(path: Callable[[World], str]) -> Rule:
    """Proceedings before they are published: only a staff key opens them."""
    return Rule(STAFF, lambda w: Call(path(w)))


def grid(name: str, body: Callable[[World], dict[str, Any]], fresh: bool) -> Rule:
    """Grid edits name the version they were made against: the current one, read each time."""
    return Rule(
        STAFF,
        lambda w: Call(api(w, f"/grid/{name}"), {"version": w.version(), **body(w)}),
        fresh=fresh,
    )


def imported(w: World) -> Call:
    """Event B's archive: it has no attendees, whose tokens would clash, so it can be imported
    into this server again and again."""
    slug = unique_name("imported").lower().replace(" ", "-")
    return Call(f"/api/events/import?slug={slug}", w.other.ok("GET", "/archive", w.other.organiser))


HOOK = {"url": "https://hooks.example.org/snug", "kinds": ["grid.published"]}
_hooks: dict[str, int] = {}


def webhook(w: World) -> int:
    """A webhook of the world's event, added by its organiser the first time it is asked for."""
    if w.slug not in _hooks:
        _hooks[w.slug] = w.ev.ok("POST", "/webhooks", w.ev.organiser, json=HOOK, status=201)["id"]
    return _hooks[w.slug]


ORGANISERS, AUTHORS = frozenset({ORGANISER}), frozenset({AUTHOR})
SLUG = "/api/e/{slug}"
NOTES = "/api/e/{slug}/pitches/{pitch_id:int}/notes"


def slot_times(w: World) -> dict[str, str]:
    slot = next(s for s in w.state()["slots"] if s["id"] == w.slot)
    return {"starts_at": slot["starts_at"], "ends_at": slot["ends_at"]}


GRID: dict[str, tuple[Callable[[World], dict[str, Any]], bool]] = {
    "allocate": (lambda w: {}, False),
    "move": (lambda w: {"pitch": w.pitch, "room": w.free_cell[0], "slot": w.free_cell[1]}, False),
    "unplace": (lambda w: {"pitch": w.pitch}, True),
    "lock": (lambda w: {"pitch": w.pitch, "locked": True}, False),
    "undo": (lambda w: {}, True),
    "publish": (lambda w: {}, False),
    "unpublish": (lambda w: {}, True),
    "rollback": (lambda w: {"release": 1}, False),
    "seats": (lambda w: {}, False),
    "room": (lambda w: {"room": w.room, "name": "The Long Room", "capacity": 40}, False),
    "room/remove": (lambda w: {"room": w.room, "unplace": True}, True),
    "slot": (lambda w: {"slot": w.slot, **slot_times(w)}, False),
    "slot/remove": (lambda w: {"slot": w.slot, "unplace": True}, True),
}

RULES: dict[tuple[str, str], Rule | Socket] = {
    ("GET", "/healthz"): everyone(lambda w: "/healthz"),
    ("GET", "/openapi.json"): everyone(lambda w: "/openapi.json"),
    ("GET", "/metrics"): everyone(lambda w: "/metrics"),
    ("GET", "/static"): everyone(lambda w: "/static/css/snug.css"),
    ("GET", "/sw.js"): everyone(lambda w: "/sw.js"),
    # Events
    ("POST", "/api/events"): Rule(EVERYONE, lambda w: Call("/api/events", event_body())),
    ("GET", SLUG): Rule(KNOWN, lambda w: Call(api(w))),
    # The changes a page polls for when neither socket nor stream gets through.
    ("GET", f"{SLUG}/changes"): Rule(KNOWN, lambda w: Call(api(w, "/changes?since=0"))),
    ("PATCH", SLUG): Rule(ORGANISERS, lambda w: Call(api(w), {"venue": "The Old Library"})),
    ("PUT", f"{SLUG}/rooms"): Rule(
        ORGANISERS, lambda w: Call(api(w, "/rooms"), {"rooms": w.state()["rooms"]})
    ),
    ("PUT", f"{SLUG}/slots"): Rule(
        ORGANISERS, lambda w: Call(api(w, "/slots"), {"slots": w.state()["slots"]})
    ),
    # Running it again makes another event each time it is allowed.
    ("POST", f"{SLUG}/again"): Rule(ORGANISERS, lambda w: Call(api(w, "/again"), {})),
    ("POST", "/e/{slug}/again"): staff_form(
        "/again",
        lambda w: {"name": unique_name("Again"), "date": "2099-01-01", "confirm": "yes"},
        ORGANISERS,
    ),
    ("GET", "/e/{slug}/series"): everyone(lambda w: page(w, "/series")),
    ("POST", f"{SLUG}/facilitator-link"): Rule(
        ORGANISERS, lambda w: Call(api(w, "/facilitator-link"))
    ),
    ("GET", f"{SLUG}/archive"): Rule(ORGANISERS, lambda w: Call(api(w, "/archive"))),
    ("POST", "/api/events/import"): Rule(EVERYONE, imported),
    ("GET", f"{SLUG}/personal-data"): Rule(ORGANISERS, lambda w: Call(api(w, "/personal-data"))),
    ("POST", f"{SLUG}/erase-personal-data"): Rule(
        ORGANISERS, lambda w: Call(api(w, "/erase-personal-data"), {"confirm": w.slug})
    ),
    # Signing a browser in keeps a staff key in its cookie; signing out only forgets it.
    ("POST", f"{SLUG}/session"): Rule(PEOPLE, lambda w: Call(api(w, "/session"))),
    ("DELETE", f"{SLUG}/session"): everyone(lambda w: api(w, "/session")),
    # Attendees
    ("POST", f"{SLUG}/attendees"): Rule(
        KNOWN, lambda w: Call(api(w, "/attendees"), {"name": "Newcomer"})
    ),
    ("GET", f"{SLUG}/me"): Rule(ATTENDEES, lambda w: Call(api(w, "/me")), self_only=True),
    ("PATCH", f"{SLUG}/me"): Rule(
        ATTENDEES, lambda w: Call(api(w, "/me"), {"name": "Renamed"}), self_only=True
    ),
    ("PUT", f"{SLUG}/me/agenda"): Rule(
        ATTENDEES,
        lambda w: Call(api(w, "/me/agenda"), {"slot": w.slot, "pitch": w.pitch}),
        self_only=True,
    ),
    **{
        (method, f"{SLUG}/me/calendar"): Rule(
            ATTENDEES, lambda w: Call(api(w, "/me/calendar")), self_only=True
        )
        for method in ("GET", "POST", "DELETE")
    },
    ("POST", f"{SLUG}/me/seats/{{pitch_id:int}}"): Rule(
        ATTENDEES, lambda w: Call(api(w, f"/me/seats/{w.spare}")), self_only=True
    ),
    ("DELETE", f"{SLUG}/me/seats/{{pitch_id:int}}"): Rule(
        AUTHORS, lambda w: Call(api(w, f"/me/seats/{w.pitch}")), self_only=True
    ),
    # Pitches and dots
    ("POST", f"{SLUG}/pitches"): Rule(
        PEOPLE, lambda w: Call(api(w, "/pitches"), {"title": "Another session"})
    ),
    ("PATCH", f"{SLUG}/pitches/{{pitch_id:int}}"): Rule(
        STAFF | AUTHORS,
        lambda w: Call(api(w, f"/pitches/{w.pitch}"), {"title": "Open data in cities"}),
    ),
    ("DELETE", f"{SLUG}/pitches/{{pitch_id:int}}"): Rule(
        STAFF, lambda w: Call(api(w, f"/pitches/{w.hidden}")), fresh=True, owners_may=True
    ),
    ("POST", f"{SLUG}/pitches/{{pitch_id:int}}/merge"): Rule(
        STAFF,
        lambda w: Call(api(w, f"/pitches/{w.spare}/merge"), {"into": w.pitch}),
        fresh=True,
    ),
    ("POST", f"{SLUG}/dots"): Rule(
        ATTENDEES, lambda w: Call(api(w, "/dots"), {"pitch": w.pitch}), self_only=True
    ),
    ("PATCH", f"{SLUG}/dots/{{dot_id:int}}"): Rule(
        AUTHORS, lambda w: Call(api(w, f"/dots/{w.dot}"), {"pitch": w.pitch}), self_only=True
    ),
    ("DELETE", f"{SLUG}/dots/{{dot_id:int}}"): Rule(
        AUTHORS, lambda w: Call(api(w, f"/dots/{w.dot}")), self_only=True
    ),
    # The grid
    **{
        ("POST", f"{SLUG}/grid/{name}"): grid(name, body, fresh)
        for name, (body, fresh) in GRID.items()
    },
    ("GET", f"{SLUG}/grid/preview"): staff_reads(lambda w: api(w, "/grid/preview")),
    ("GET", f"{SLUG}/grid/releases"): staff_reads(lambda w: api(w, "/grid/releases")),
    ("GET", f"{SLUG}/grid/releases/{{older:int}}/compare/{{newer:int}}"): staff_reads(
        lambda w: api(w, "/grid/releases/1/compare/1")
    ),
    # Feedback: given by an attendee who went (the author chose the spare session by their
    # dot), never by its host; read by the session's host and the organisers alone.
    ("POST", f"{SLUG}/pitches/{{pitch_id:int}}/feedback"): Rule(
        AUTHORS,
        lambda w: Call(api(w, f"/pitches/{w.spare}/feedback"), {"answer": "useful"}),
        self_only=True,
    ),
    ("GET", f"{SLUG}/pitches/{{pitch_id:int}}/feedback"): Rule(
        ORGANISERS | AUTHORS, lambda w: Call(api(w, f"/pitches/{w.pitch}/feedback"))
    ),
    ("GET", f"{SLUG}/feedback"): Rule(ORGANISERS, lambda w: Call(api(w, "/feedback"))),
    ("GET", f"{SLUG}/me/feedback"): Rule(
        ATTENDEES, lambda w: Call(api(w, "/me/feedback")), self_only=True
    ),
    ("GET", f"{SLUG}/me/actions"): Rule(
        ATTENDEES, lambda w: Call(api(w, "/me/actions")), self_only=True
    ),
    ("GET", f"{SLUG}/me/data"): Rule(ATTENDEES, lambda w: Call(api(w, "/me/data")), self_only=True),
    ("GET", "/e/{slug}/my-data.json"): Rule(
        ATTENDEES, lambda w: Call(page(w, "/my-data.json"), cookies=("attendee",))
    ),
    ("GET", "/e/{slug}/feedback/{pitch:int}"): Rule(
        ORGANISERS | AUTHORS,
        lambda w: Call(page(w, f"/feedback/{w.pitch}"), cookies=("attendee", "staff")),
    ),
    ("GET", "/e/{slug}/feedback"): Rule(
        ORGANISERS, lambda w: Call(page(w, "/feedback"), cookies=("staff",))
    ),
    # Notes
    ("GET", NOTES): Rule(PEOPLE, lambda w: Call(notes(w))),
    ("GET", f"{NOTES}/versions"): Rule(PEOPLE, lambda w: Call(notes(w, "/versions"))),
    ("GET", f"{NOTES}/versions/{{version_id:int}}"): Rule(
        PEOPLE, lambda w: Call(notes(w, f"/versions/{w.notes_version}"))
    ),
    ("POST", f"{NOTES}/versions/{{version_id:int}}/restore"): Rule(
        PEOPLE, lambda w: Call(notes(w, f"/versions/{w.notes_version}/restore"))
    ),
    ("PUT", f"{NOTES}/final"): Rule(
        STAFF | AUTHORS, lambda w: Call(notes(w, "/final"), {"final": True})
    ),
    ("PUT", f"{NOTES}/credit"): Rule(
        ATTENDEES, lambda w: Call(notes(w, "/credit"), {"named": True}), self_only=True
    ),
    ("POST", f"{NOTES}/photos"): Rule(
        PEOPLE,
        lambda w: Call(notes(w, "/photos"), content=png(), headers={"Content-Type": "image/png"}),
    ),
    ("GET", f"{NOTES}/photos"): Rule(PEOPLE, lambda w: Call(notes(w, "/photos"))),
    # Anyone holding a photo's address may see it: the key in it is the secret.
    ("GET", "/e/{slug}/photos/{photo_id:int}/{key}"): everyone(lambda w: w.photo_path),
    # Proceedings: private until the organiser publishes them (they are not, in the world).
    ("GET", "/e/{slug}/proceedings"): staff_reads(lambda w: page(w, "/proceedings")),
    ("GET", "/e/{slug}/proceedings.html"): staff_reads(lambda w: page(w, "/proceedings.html")),
    ("GET", "/e/{slug}/proceedings.md"): staff_reads(lambda w: page(w, "/proceedings.md")),
    ("GET", "/e/{slug}/proceedings.pdf"): staff_reads(lambda w: page(w, "/proceedings.pdf")),
    ("GET", "/e/{slug}/export.json"): staff_reads(lambda w: page(w, "/export.json")),
    ("GET", "/e/{slug}/proceedings/card.png"): staff_reads(
        lambda w: page(w, "/proceedings/card.png")
    ),
    ("GET", "/e/{slug}/proceedings/{pitch:int}"): staff_reads(
        lambda w: page(w, f"/proceedings/{w.pitch}")
    ),
    ("GET", "/e/{slug}/proceedings/{pitch:int}/card.png"): staff_reads(
        lambda w: page(w, f"/proceedings/{w.pitch}/card.png")
    ),
    ("GET", f"{SLUG}/proceedings"): Rule(STAFF, lambda w: Call(api(w, "/proceedings"))),
    ("PUT", f"{SLUG}/proceedings"): Rule(
        ORGANISERS, lambda w: Call(api(w, "/proceedings"), {"published": True})
    ),
    # Webhooks: the organiser's alone, their addresses and logs included.
    ("GET", f"{SLUG}/webhooks"): Rule(ORGANISERS, lambda w: Call(api(w, "/webhooks"))),
    ("POST", f"{SLUG}/webhooks"): Rule(ORGANISERS, lambda w: Call(api(w, "/webhooks"), HOOK)),
    ("DELETE", f"{SLUG}/webhooks/{{webhook_id:int}}"): Rule(
        ORGANISERS, lambda w: Call(api(w, f"/webhooks/{webhook(w)}"))
    ),
    ("POST", f"{SLUG}/webhooks/{{webhook_id:int}}/test"): Rule(
        ORGANISERS, lambda w: Call(api(w, f"/webhooks/{webhook(w)}/test"))
    ),
    ("GET", f"{SLUG}/webhooks/{{webhook_id:int}}/deliveries"): Rule(
        ORGANISERS, lambda w: Call(api(w, f"/webhooks/{webhook(w)}/deliveries"))
    ),
    # The organiser's report: its page asks anyone else to sign in; its files refuse them.
    ("GET", "/e/{slug}/report"): everyone(lambda w: page(w, "/report")),
    ("GET", "/e/{slug}/report.csv"): Rule(ORGANISERS, lambda w: Call(page(w, "/report.csv"))),
    ("GET", "/e/{slug}/report.pdf"): Rule(ORGANISERS, lambda w: Call(page(w, "/report.pdf"))),
    ("GET", "/e/{slug}/webhooks"): everyone(lambda w: page(w, "/webhooks")),
    ("GET", "/e/{slug}/webhooks/{webhook:int}"): everyone(
        lambda w: page(w, f"/webhooks/{webhook(w)}")
    ),
    ("POST", "/e/{slug}/webhooks"): staff_form(
        "/webhooks", lambda w: {"url": HOOK["url"], "kind-grid.published": "yes"}, ORGANISERS
    ),
    ("POST", "/e/{slug}/webhooks/{webhook:int}/test"): form(
        ORGANISERS, lambda w: page(w, f"/webhooks/{webhook(w)}/test"), kept_as="staff"
    ),
    ("POST", "/e/{slug}/webhooks/{webhook:int}/remove"): form(
        ORGANISERS, lambda w: page(w, f"/webhooks/{webhook(w)}/remove"), kept_as="staff"
    ),
    # Posters show only what the published grid and the join screen show.
    ("GET", "/e/{slug}/posters"): everyone(lambda w: page(w, "/posters")),
    ("GET", "/e/{slug}/posters.pdf"): everyone(lambda w: page(w, "/posters.pdf")),
    ("GET", "/e/{slug}/posters/entrance"): everyone(lambda w: page(w, "/posters/entrance")),
    ("GET", "/e/{slug}/posters/entrance.pdf"): everyone(lambda w: page(w, "/posters/entrance.pdf")),
    ("GET", "/e/{slug}/posters/rooms/{room:int}"): everyone(
        lambda w: page(w, f"/posters/rooms/{w.room}")
    ),
    ("GET", "/e/{slug}/posters/rooms/{room:int}.pdf"): everyone(
        lambda w: page(w, f"/posters/rooms/{w.room}.pdf")
    ),
    # The published schedule is public; the personal feed opens only with its own secret (an
    # attendee's token, which can act as them, opens nothing there).
    ("GET", "/e/{slug}/join.svg"): everyone(lambda w: page(w, "/join.svg")),
    ("GET", "/e/{slug}/join.png"): everyone(lambda w: page(w, "/join.png")),
    ("GET", "/e/{slug}/schedule.ics"): everyone(lambda w: page(w, "/schedule.ics")),
    ("GET", "/e/{slug}/rooms/{room:int}.ics"): everyone(lambda w: page(w, f"/rooms/{w.room}.ics")),
    ("GET", "/e/{slug}/my/{feed}.ics"): Rule(ATTENDEES, lambda w: Call(page(w, "/my/{feed}.ics"))),
    ("GET", "/e/{slug}/schedule.xml"): everyone(lambda w: page(w, "/schedule.xml")),
    ("GET", "/e/{slug}/schedule.json"): everyone(lambda w: page(w, "/schedule.json")),
    # Pages are the same shell for everyone; secrets stay in the fragment, never sent.
    ("GET", "/"): everyone(lambda w: "/"),
    ("GET", "/new"): everyone(lambda w: "/new"),
    # Anyone may make an event, with a plain form as through the API.
    ("POST", "/new"): Rule(
        EVERYONE,
        lambda w: Call(
            "/new",
            form={"name": "Form camp", "date": "2026-11-23", "dots": "3", "languages": "en"},
        ),
    ),
    ("GET", "/accessibility"): everyone(lambda w: "/accessibility"),
    ("GET", "/privacy"): everyone(lambda w: "/privacy"),
    # A language is a preference, not a secret: anyone may choose one, or read its words.
    ("GET", "/language/{language}"): everyone(lambda w: "/language/cy?back=/"),
    ("GET", "/i18n/{language}.json"): everyone(lambda w: "/i18n/cy.json"),
    ("GET", "/j/{code}"): everyone(lambda w: httpx.URL(w.ev.links["join"]).path),
    ("GET", "/e/{slug}"): everyone(lambda w: page(w)),
    ("GET", "/j"): everyone(
        lambda w: f"/j?code={w.ev.state()['event']['join_url'].rsplit('/', 1)[1]}"
    ),
    ("GET", "/e/{slug}/pitches/{pitch:int}/edit"): everyone(
        lambda w: page(w, f"/pitches/{w.pitch}/edit")
    ),
    # The attendee's page as plain forms, with the attendee cookie
    ("POST", "/e/{slug}/join"): form(
        EVERYONE, lambda w: page(w, "/join"), lambda w: {"name": "Newcomer"}
    ),
    ("POST", "/e/{slug}/pitches"): form(
        PEOPLE, lambda w: page(w, "/pitches"), lambda w: {"title": "Another session"}
    ),
    ("POST", "/e/{slug}/pitches/{pitch:int}"): form(
        STAFF | AUTHORS,
        lambda w: page(w, f"/pitches/{w.pitch}"),
        lambda w: {"title": "Open data in cities", "format": "discussion"},
    ),
    ("POST", "/e/{slug}/pitches/{pitch:int}/withdraw"): form(
        STAFF, lambda w: page(w, f"/pitches/{w.hidden}/withdraw"), fresh=True, owners_may=True
    ),
    ("POST", "/e/{slug}/dots"): form(
        ATTENDEES, lambda w: page(w, "/dots"), lambda w: {"pitch": str(w.pitch)}, self_only=True
    ),
    ("POST", "/e/{slug}/dots/remove"): form(
        AUTHORS,
        lambda w: page(w, "/dots/remove"),
        lambda w: {"pitch": str(w.spare)},
        self_only=True,
    ),
    ("POST", "/e/{slug}/agenda"): form(
        ATTENDEES,
        lambda w: page(w, "/agenda"),
        lambda w: {"slot": str(w.slot), "pitch": str(w.pitch)},
        self_only=True,
    ),
    ("POST", "/e/{slug}/seats/{pitch:int}"): form(
        ATTENDEES,
        lambda w: page(w, f"/seats/{w.spare}"),
        lambda w: {"want": "claim"},
        self_only=True,
    ),
    ("POST", "/e/{slug}/me"): form(
        ATTENDEES, lambda w: page(w, "/me"), lambda w: {"name": "Renamed"}, self_only=True
    ),
    ("POST", "/e/{slug}/feedback/{pitch:int}"): form(
        AUTHORS,
        lambda w: page(w, f"/feedback/{w.spare}"),
        lambda w: {"answer": "useful", "comment": "Good"},
        self_only=True,
    ),
    ("POST", "/e/{slug}/calendar"): form(
        ATTENDEES, lambda w: page(w, "/calendar"), lambda w: {"want": "make"}, self_only=True
    ),
    ("POST", "/e/{slug}/notes/{pitch:int}"): form(
        PEOPLE, lambda w: page(w, f"/notes/{w.pitch}"), notes_form
    ),
    # The staff pages as plain forms, with the staff cookie
    ("POST", "/e/{slug}/sign-in"): Rule(
        STAFF,
        lambda w: Call(page(w, "/sign-in"), form={"link": "{token}"}, kept_as="staff"),
        refuses_as_form=True,
    ),
    ("POST", "/e/{slug}/sign-out"): staff_form("/sign-out", lambda w: {}, EVERYONE),
    ("POST", "/e/{slug}/settings"): staff_form(
        "/settings", lambda w: {"voting_open": "open"}, ORGANISERS
    ),
    ("POST", "/e/{slug}/grid/move"): staff_form(
        "/grid/move",
        lambda w: {
            "version": str(w.version()),
            "pitch": str(w.pitch),
            "room": str(w.free_cell[0]),
            "slot": str(w.free_cell[1]),
        },
    ),
    ("POST", "/e/{slug}/grid/unplace"): Rule(
        STAFF,
        lambda w: Call(
            page(w, "/grid/unplace"),
            form={"version": str(w.version()), "pitch": str(w.pitch)},
            kept_as="staff",
        ),
        fresh=True,
    ),
    ("POST", "/e/{slug}/grid/allocate"): staff_form(
        "/grid/allocate", lambda w: {"version": str(w.version())}
    ),
    ("POST", "/e/{slug}/grid/undo"): Rule(
        STAFF,
        lambda w: Call(page(w, "/grid/undo"), form={"version": str(w.version())}, kept_as="staff"),
        fresh=True,
    ),
    ("POST", "/e/{slug}/grid/room"): staff_form(
        "/grid/room",
        lambda w: {
            "version": str(w.version()),
            "room": str(w.room),
            "name": "The Long Room",
            "capacity": "9",
        },
    ),
    ("POST", "/e/{slug}/grid/room/remove"): Rule(
        STAFF,
        lambda w: Call(
            page(w, "/grid/room/remove"),
            form={"version": str(w.version()), "room": str(w.room), "unplace": "yes"},
            kept_as="staff",
        ),
        fresh=True,
    ),
    ("POST", "/e/{slug}/grid/slot"): staff_form(
        "/grid/slot",
        lambda w: {
            "version": str(w.version()),
            "slot": str(w.slot),
            "starts": slot_times(w)["starts_at"][11:],
            "ends": slot_times(w)["ends_at"][11:],
        },
    ),
    ("POST", "/e/{slug}/grid/slot/remove"): Rule(
        STAFF,
        lambda w: Call(
            page(w, "/grid/slot/remove"),
            form={"version": str(w.version()), "slot": str(w.slot), "unplace": "yes"},
            kept_as="staff",
        ),
        fresh=True,
    ),
    ("POST", "/e/{slug}/grid/publish"): staff_form(
        "/grid/publish", lambda w: {"version": str(w.version())}
    ),
    ("POST", "/e/{slug}/grid/unpublish"): Rule(
        STAFF,
        lambda w: Call(
            page(w, "/grid/unpublish"), form={"version": str(w.version())}, kept_as="staff"
        ),
        fresh=True,
    ),
    ("POST", "/e/{slug}/grid/rollback"): staff_form(
        "/grid/rollback", lambda w: {"version": str(w.version()), "release": "1"}
    ),
    ("GET", "/e/{slug}/grid/releases"): everyone(lambda w: page(w, "/grid/releases")),
    ("GET", "/e/{slug}/screen"): everyone(lambda w: page(w, "/screen")),
    ("GET", "/e/{slug}/organise"): everyone(lambda w: page(w, "/organise")),
    ("GET", "/e/{slug}/facilitate"): everyone(lambda w: page(w, "/facilitate")),
    ("GET", "/e/{slug}/grid"): everyone(lambda w: page(w, "/grid")),
    ("GET", "/e/{slug}/now"): everyone(lambda w: page(w, "/now")),
    ("GET", "/e/{slug}/board"): everyone(lambda w: page(w, "/board")),
    ("GET", "/e/{slug}/notes/{pitch:int}"): everyone(lambda w: page(w, f"/notes/{w.pitch}")),
    # The action board is for the people at the event until the proceedings are published; its
    # statuses change from the staff's forms, or from an owner's private link, which anyone
    # holding it may use (it is the only key it needs).
    ("GET", "/e/{slug}/actions"): Rule(PEOPLE, lambda w: Call(page(w, "/actions"))),
    ("GET", "/e/{slug}/actions.csv"): Rule(PEOPLE, lambda w: Call(page(w, "/actions.csv"))),
    ("GET", "/e/{slug}/actions.json"): Rule(PEOPLE, lambda w: Call(page(w, "/actions.json"))),
    ("GET", "/e/{slug}/actions.ics"): Rule(PEOPLE, lambda w: Call(page(w, "/actions.ics"))),
    ("POST", "/e/{slug}/actions/{action:int}"): form(
        STAFF,
        lambda w: page(w, f"/actions/{w.action}"),
        lambda w: {"status": "started"},
        kept_as="staff",
    ),
    ("GET", "/e/{slug}/action/{link}"): everyone(lambda w: page(w, f"/action/{w.action_link}")),
    ("POST", "/e/{slug}/action/{link}"): form(
        EVERYONE, lambda w: page(w, f"/action/{w.action_link}"), lambda w: {"status": "done"}
    ),
    # Taking an action onto one's own page needs its link and an attendee's own sign-in; its
    # status is then theirs to change there, and nobody in the world has taken it.
    ("POST", "/e/{slug}/action/{link}/take"): form(
        ATTENDEES, lambda w: page(w, f"/action/{w.action_link}/take"), self_only=True, fresh=True
    ),
    ("POST", "/e/{slug}/my-actions/{action:int}"): form(
        frozenset(),
        lambda w: page(w, f"/my-actions/{w.action}"),
        lambda w: {"status": "done"},
        self_only=True,
        owners_may=True,  # the one who took it onto their page; nobody in the world has
    ),
    ("GET", "/e/{slug}/action/{link}.ics"): everyone(
        lambda w: page(w, f"/action/{w.action_link}.ics")
    ),
    ("POST", "/e/{slug}/notes/{pitch:int}/actions"): form(
        PEOPLE,
        lambda w: page(w, f"/notes/{w.pitch}/actions"),
        lambda w: {"what": "Book a room", "owner": "Sam", "due": "2027-02-01"},
    ),
    ("GET", "/api/e/{slug}/actions"): Rule(PEOPLE, lambda w: Call(api(w, "/actions"))),
    ("PUT", "/api/e/{slug}/actions/{action_id:int}/status"): Rule(
        STAFF, lambda w: Call(api(w, f"/actions/{w.action}/status"), {"status": "started"})
    ),
    # Websockets
    ("WS", "/e/{slug}/live"): Socket(("test_event_socket_gives_each_role_only_its_view",)),
    # The socket's stand-in: open until the browser leaves, so checked by a test of its own.
    ("GET", "/e/{slug}/stream"): Socket(("test_event_stream_gives_each_role_only_its_view",)),
    ("WS", "/e/{slug}/notes/{pitch:int}/live"): Socket(
        (
            "test_notes_socket_opens_for_people_of_the_event_only",
            "test_notes_socket_opens_to_the_public_once_proceedings_are_published",
            "test_a_notes_page_left_open_loses_its_rights_when_personal_data_is_erased",
        )
    ),
}


def app_route_keys() -> set[tuple[str, str]]:
    found: set[tuple[str, str]] = set()
    for route in app_routes:
        if isinstance(route, WebSocketRoute):
            found.add(("WS", route.path))
        elif isinstance(route, Mount):
            found.add(("GET", route.path))
        elif isinstance(route, Route):
            found |= {(method, route.path) for method in route.methods or () if method != "HEAD"}
        else:
            raise AssertionError(f"A kind of route the matrix doesn't know: {route!r}")
    return found


def send(w: World, role: str, method: str, call: Call) -> httpx.Response:
    token, headers, path = w.token(role), dict(call.headers), call.path
    # Joining through the API keeps the newcomer's cookie in the shared client: each request
    # here is its role's alone.
    w.ev.client.cookies.clear()
    if call.form is not None:
        fields = {k: (token or "") if v == "{token}" else v for k, v in call.form.items()}
        if token:
            w.ev.client.cookies.set(f"snug_{call.kept_as}", token)
        headers["Origin"] = str(w.ev.client.base_url).rstrip("/")
        return w.ev.client.request(method, path, data=fields, headers=headers)
    if call.cookies:
        for kept_as in call.cookies if token else ():
            w.ev.client.cookies.set(f"snug_{kept_as}", token or "")
    elif "{feed}" in path:
        path = path.replace("{feed}", w.feed(role))
    elif token:
        headers["Authorization"] = f"Bearer {token}"
    return w.ev.client.request(method, path, json=call.json, content=call.content, headers=headers)
