"""Snug's own pages: the home page, creating an event, and the join code typed from the
projector."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from server.errors import Forbidden, Invalid
from server.events import setup
from server.events.setup import find_by_join_code, typed_join_code
from server.http.events import links
from server.http.security import FROM_ELSEWHERE, from_snug
from server.http.session import keep_key
from server.language import gettext
from server.pages.forms import FormError, form_key, read_form, receipt_key
from server.pages.manage import languages_of
from server.pages.rendering import PageRoute, page
from server.validation import validate

DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
# What the form starts with, and what a browser with no script sends for a time zone (its
# list is filled by the script from the browser's own).
BLANK = {"name": "", "date": "", "timezone": "Europe/London", "venue": "", "dots": "3"}


async def home(_request: Request) -> Response:
    return page("home.html", gettext("Snug: run your unconference"))


async def new_event(_request: Request) -> Response:
    return _new(gettext("Create an event - Snug"), form={**BLANK, "languages": "en"})


def _new(title: str, **context: Any) -> Response:
    """The new-event page: the form, or (``created``) the new event's links."""
    return page("new.html", title, **{"created": None, "name": "", "key": form_key(), **context})


def event_of_form(fields: dict[str, str]) -> dict[str, Any]:
    """The event-create body from the new-event form, as the script sends it to the API: the
    name, date, time zone, venue, dots and languages (rooms and slots, built by the script,
    can be added on the organiser's page)."""
    errors = []
    name = fields.get("name", "").strip()
    if not name:
        errors.append(("ev-name", gettext("Enter the event name")))
    day = fields.get("date", "").strip()
    if not DAY.fullmatch(day):
        errors.append(("ev-date", gettext("Enter the date of the event")))
    dots = fields.get("dots", "").strip()
    if not (dots.isascii() and dots.isdigit() and len(dots) <= 2 and 1 <= int(dots) <= 20):
        errors.append(
            ("ev-dots", gettext("Dots for each attendee must be a whole number from 1 to 20"))
        )
    try:
        chosen = languages_of(fields.get("languages", "en"), "ev-languages-en")
    except FormError as exc:
        errors += exc.errors
    if errors:
        raise FormError(errors)
    body: dict[str, Any] = {
        "name": name,
        "date": day,
        "timezone": fields.get("timezone", "").strip() or BLANK["timezone"],
        "dots_per_attendee": int(dots),
        "dots_stack": "stack" in fields,
        "languages": chosen,
    }
    if fields.get("venue", "").strip():
        body["venue"] = fields["venue"].strip()
    try:
        validate("event-create", body)
    except Invalid as exc:
        raise FormError([("", _said(exc))]) from exc
    return body


def _said(exc: Invalid) -> str:
    """A refusal in the asker's language: ``said()`` where refusals carry their values apart
    from their English (server/errors.py), else the sentence translated whole."""
    said = getattr(exc, "said", None)
    return str(said()) if callable(said) else gettext(exc.message)


async def create_event(request: Request) -> Response:
    """The new-event form sent without script (the script sends the same to the API): the
    answer shows the event's links, and this browser can organise it, as after the script."""
    settings = request.app.state.settings
    fields = await read_form(request)
    if not from_snug(request.headers, settings.public_url):
        raise Forbidden(FROM_ELSEWHERE)
    title = gettext("Create an event - Snug")
    try:
        body = event_of_form(fields)
        await request.app.state.limiter.check(
            "create", request.client.host if request.client else None, None
        )
        key, asked = receipt_key(request, fields)
        keys = request.app.state.keys
        event, secret = (
            await setup.create_event_once(body, keys, key, asked)
            if key
            else await setup.create_event(body, keys)
        )
    except FormError as exc:
        return _new(title, status=exc.status, errors=exc.errors, form=fields)
    except Invalid as exc:  # a time zone Snug doesn't know, say
        errors = [("ev-tz", _said(exc))]
        return _new(title, status=exc.status, errors=errors, form=fields)
    made = links(event, settings.public_url, secret)
    response = _new(
        gettext("%(name)s is ready - Snug") % {"name": event.name},
        private=True,
        created=made,
        name=event.name,
        form=fields,
    )
    keep_key(response, event.slug, secret, settings.public_url)
    return response


async def join_by_code(request: Request) -> Response:
    event = await find_by_join_code(request.path_params["code"])
    return RedirectResponse(f"/e/{event.slug}", status_code=303)


async def join_by_typed_code(request: Request) -> Response:
    """The home page's form, which works without JavaScript: its code goes to /j/CODE."""
    code = typed_join_code(request.query_params.get("code", ""))
    return RedirectResponse(f"/j/{quote(code, safe='')}" if code else "/#join", status_code=303)


routes = [
    PageRoute("/", home),
    PageRoute("/new", new_event),
    PageRoute("/new", create_event, methods=["POST"]),
    PageRoute("/j", join_by_typed_code),
    PageRoute("/j/{code}", join_by_code),
]
