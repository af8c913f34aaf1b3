"""Running an event again from the organiser's page, and the series page.

"Run it again" is a plain form on the organiser's page: sent, it shows what the next event will
be and keep for the organiser to confirm; confirmed, it makes the event and opens its
organiser's page, with this browser signed in there as here (the same link opens both). The
form's key makes a confirmation sent twice one event.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from server.errors import Invalid, Refused
from server.events.access import Actor, Role
from server.events.models import Event, Room, Slot
from server.events.setup import slugify
from server.http.security import page_secret
from server.http.session import keep_key
from server.language import gettext as _
from server.pages.forms import FormError, event_of, form_key, read_form, receipt_key, see_other
from server.pages.rendering import PageRoute, page
from server.pages.staff import ROLE, staff
from server.series import again
from server.series.listing import events_in_series
from server.validation import validate

TYPED = ("name", "date", "slug")  # the run-again form's fields


def suggested(event: Event) -> dict[str, str]:
    """What the run-again form starts with: a year on, the name's year moved on."""
    date = again.next_date(event)
    name = again.next_name(event, date)
    return {"name": name, "date": date.isoformat(), "slug": slugify(name)}


def asked_of(fields: dict[str, str]) -> dict[str, Any]:
    """The run-again body from the form, as the API takes it."""
    errors = []
    name = fields.get("name", "").strip()
    if not name:
        errors.append(("again-name", _("Enter the next event's name")))
    day = fields.get("date", "").strip()
    try:
        dt.date.fromisoformat(day if len(day) == 10 else "")
    except ValueError:
        errors.append(("again-date", _("Enter the next event's date, such as 2027-11-23")))
    slug = fields.get("slug", "").strip()
    if slug and (slugify(slug) != slug or not 3 <= len(slug) <= 40):
        said = _("The web address may use only lower-case letters, digits and hyphens.")
        errors.append(("again-slug", said))
    if errors:
        raise FormError(errors)
    body = {"name": name, "date": day, **({"slug": slug} if slug else {})}
    try:
        validate("event-again", body)
    except Invalid as exc:
        raise FormError([("again-name", exc.said())]) from exc
    return body


async def run_again(request: Request) -> Response:
    """The run-again form: checked and shown to confirm, or (``confirm``) done."""
    event = await event_of(request)
    actor = await staff(request, event)
    fields: dict[str, str] = {}
    try:
        actor.require(Role.organiser)  # settled before a byte of the form is read
        fields = await read_form(request)
        asked = asked_of(fields)
        if "confirm" not in fields:
            return await _confirm(event, asked, fields.get("key", ""))
        address = request.client.host if request.client else None
        await request.app.state.limiter.check("create", address, None)  # as making any event
        key, fingerprint = receipt_key(request, fields)  # confirmed twice: one event
        public_url = request.app.state.settings.public_url
        keys = request.app.state.keys
        made = await request.app.state.writes.run(
            event,
            actor,
            lambda j: again.run_again(j, asked, keys, public_url),
            key=key,
            fingerprint=fingerprint,
        )
    except FormError as exc:
        return _form(event, actor, fields, exc.errors, exc.status)
    except Refused as exc:
        return _form(event, actor, fields, [("", exc.said())], exc.status)
    response = see_other(f"/e/{made['slug']}/organise?done=again")
    # The organiser's key opens the next event too, so this browser is signed in there.
    keep_key(response, made["slug"], page_secret(request, ROLE) or "", public_url)
    return response


async def _confirm(event: Event, asked: dict[str, Any], key: str) -> Response:
    name = asked["name"]
    return page(
        "again.html",
        _("Run it again as %(name)s? - %(event)s") % {"name": name, "event": event.name},
        private=True,
        slug=event.slug,
        asked=asked,
        date=dt.date.fromisoformat(asked["date"]),
        rooms=await Room.filter(event=event).count(),
        slots=await Slot.filter(event=event).count(),
        key=key if key else form_key(),
    )


def _form(
    event: Event, actor: Actor, fields: dict[str, str], errors: list[tuple[str, str]], status: int
) -> Response:
    return page(
        "again.html",
        _("Run it again - %(event)s") % {"event": event.name},
        status=status,
        private=True,
        slug=event.slug,
        asked=None,
        organiser=actor.role == Role.organiser,
        again={**suggested(event), **{k: v for k, v in fields.items() if k in TYPED}},
        errors=errors,
        key=form_key(),
    )


async def series_page(request: Request) -> Response:
    event = await event_of(request)
    return page(
        "series.html",
        _("The %(event)s series") % {"event": event.name},
        event=event,
        events=await events_in_series(event),
    )


routes = [
    PageRoute("/e/{slug}/again", run_again, methods=["POST"]),
    PageRoute("/e/{slug}/series", series_page),
]
