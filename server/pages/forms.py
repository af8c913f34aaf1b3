"""Plain HTML forms: reading them within bounds, who is sending them, and where to go next.

Every form posts and then redirects (Post/Redirect/Get), so a reload never sends it twice; each
carries a key made when the page was drawn, so a double tap on a slow connection is counted
once (server/events/writes.py keeps the receipts).
"""

from __future__ import annotations

import secrets
from urllib.parse import parse_qsl, urlencode

from starlette.requests import Request
from starlette.responses import RedirectResponse

from server.errors import Invalid, Unauthorised
from server.events import receipts
from server.events.access import PUBLIC, Actor
from server.events.models import Event
from server.events.setup import find_event
from server.http.api import read_bounded
from server.http.security import page_secret
from server.language import N_

MAX_FORM = 16 * 1024  # the largest form (a pitch, a page of notes goes elsewhere) is far less
MAX_FIELDS = 40


class FormError(Invalid):
    """What was wrong with a form, field by field, for the error summary at the top of the page
    (the GOV.UK pattern): each message links to the id of the field it is about."""

    def __init__(self, errors: list[tuple[str, str]]) -> None:
        super().__init__(" ".join(message for _, message in errors))
        self.errors = errors


def receipt_key(request: Request, fields: dict[str, str]) -> tuple[str | None, str]:
    """The receipt key and fingerprint of a form sent (server/events/receipts.py). One key is
    drawn into every form of a page, so the key kept is the page's key with what this form
    asks: the same form sent twice is one write, two forms from one page are two. A form
    without a key (a page drawn before keys) is done as sent."""
    asked = sorted((name, value) for name, value in fields.items() if name != "key")
    fingerprint = receipts.fingerprint("POST", request.url.path, urlencode(asked).encode())
    key = fields.get("key", "")
    if not receipts.KEY.fullmatch(key):
        return None, fingerprint
    return f"{key[:40]}-{fingerprint[:16]}", fingerprint


def form_key() -> str:
    """The key a form carries so that sending it twice counts once."""
    return secrets.token_urlsafe(16)


async def read_form(request: Request, max_size: int = MAX_FORM) -> dict[str, str]:
    """The fields of a urlencoded form; a field sent twice keeps its last value."""
    kind = request.headers.get("content-type", "").split(";")[0].strip()
    if kind != "application/x-www-form-urlencoded":
        if kind or request.headers.get("content-length", "0") != "0":
            raise Invalid(N_("Send the form from Snug's page."))
        return {}  # a form with no fields (a single button) may come with no body at all
    raw = await read_bounded(request, max_size, "form")
    try:
        pairs = parse_qsl(raw.decode("utf-8"), keep_blank_values=True, max_num_fields=MAX_FIELDS)
    except (UnicodeDecodeError, ValueError) as exc:
        raise Invalid(
            N_("The form sent isn't one Snug can read; send it again from the page.")
        ) from exc
    return dict(pairs)


async def event_of(request: Request) -> Event:
    """The event in the page's path."""
    return await find_event(request.path_params["slug"])


async def visitor(request: Request, event: Event, role: str) -> Actor:
    """Who is looking at a page or sending its form, as the page's role (attendee or staff).
    A cookie the event no longer knows (the event was reset, the person erased) counts as
    nobody: the page then offers to join again."""
    try:
        actor: Actor = await request.app.state.keys.identify(event, page_secret(request, role))
        return actor
    except Unauthorised:
        return PUBLIC


RETURN_LIMIT = 2000  # characters of a path to return to


def back_to(event: Event, wanted: str | None, default: str = "") -> str:
    """A path within the event to return to after a form: only ever this event's own pages,
    so a link can't send someone elsewhere after they join."""
    home = f"/e/{event.slug}"
    return wanted if wanted is not None and returns_within(home, wanted) else home + default


def returns_within(home: str, wanted: str | None) -> bool:
    """Whether ``wanted`` is a path to return to under ``home`` on this Snug: never another
    site (``//host``, a backslash a browser reads as a slash), nor an address a header can't
    carry or a person can't read (whitespace, control characters, thousands of characters)."""
    if wanted is None or len(wanted) > RETURN_LIMIT or "//" in wanted:
        return False
    if any(c in "\\ " or c < " " for c in wanted):
        return False
    return wanted == home or wanted.startswith((f"{home.rstrip('/')}/", f"{home}#"))


def see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def whole_number(fields: dict[str, str], name: str) -> int:
    """A number the page offered in a select or hidden field; anything else was not offered."""
    value = fields.get(name, "")
    if not (value.isascii() and value.isdigit()) or len(value) > 10:
        raise Invalid(N_("Choose from the page again; that choice wasn't one Snug offered."))
    return int(value)
