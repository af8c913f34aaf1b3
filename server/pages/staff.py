"""What the organiser's and facilitator's pages share without script: signing in by pasting
the link or key (a ``#key=`` never reaches the server, so script alone can read it from the
address), and running one form's command as the staff member, then going back to the page."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import unquote

from starlette.requests import Request
from starlette.responses import Response

from server.errors import Refused, Unauthorised
from server.events.access import PUBLIC, Actor, Role
from server.events.day import Audience, local_now
from server.events.journal import Journal
from server.events.models import Event
from server.http.security import page_secret
from server.http.session import keep_key
from server.language import N_
from server.language import gettext as _
from server.pages.day_view import day
from server.pages.forms import (
    FormError,
    back_to,
    event_of,
    form_key,
    read_form,
    receipt_key,
    see_other,
    visitor,
)
from server.pages.rendering import PageRoute, page

ROLE = "staff"
MAX_KEY = 400  # a whole link with its key is well under this
NOT_A_KEY = N_(
    "That isn't an organiser or facilitator link for this event. Paste the whole link you "
    "were given, or the part after key=; a facilitator link stops working when the organiser "
    "makes a new one."
)

Command = Callable[[Journal], Awaitable[Any]]
# Draws the page again with what went wrong (field id, message) and the status to answer with.
Redraw = Callable[[Event, Actor, list[tuple[str, str]], int], Awaitable[Response]]
# A page asking to confirm what the refusal is about, with the form's fields; None: not one
# this page asks about.
Asks = Callable[[Event, dict[str, str], Refused], Awaitable[Response | None]]


async def staff(request: Request, event: Event) -> Actor:
    return await visitor(request, event, ROLE)


def sign_in_form(event: Event, next_page: str) -> dict[str, Any]:
    """What the sign-in form needs from the page drawing it."""
    return {"sign_in_next": next_page, "key": form_key(), "slug": event.slug}


async def staff_day(
    request: Request, event: Event, actor: Actor, state: dict[str, Any]
) -> dict[str, Any]:
    """Where the day is in staff words, and whether a grid is drafted, for a staff page's day
    panel (partials/day.html); nothing for someone not signed in, whose page says so."""
    if not actor.is_staff:
        return {"day": None, "drafted": False, "turnout": None}
    drafted = event.grid_version > 0
    now = local_now(event.timezone, request.query_params.get("at"))
    turnout = state["turnout"]  # a staff snapshot's (server/live/state.py)
    return {
        "day": day(state, drafted, now, Audience.STAFF, turnout),
        "drafted": drafted,
        "turnout": turnout,
    }


def key_in(pasted: str) -> str:
    """The key in what was pasted: the key alone, or a whole link with ``#key=`` in it."""
    text = pasted.strip()
    if "key=" in text:
        text = text.rsplit("key=", 1)[1].split("&", 1)[0]
    return unquote(text).strip()


async def sign_in(request: Request) -> Response:
    """Keeps the pasted key in the staff cookie, as ``POST /api/e/{slug}/session`` does for the
    ``#key=`` link, so a browser without script signs in too; the key never goes in a URL."""
    event = await event_of(request)
    fields = await read_form(request)
    page_secret(request, ROLE)  # a form posted from elsewhere is refused before anything
    await request.app.state.limiter.check(
        "join", request.client.host if request.client else None, None
    )
    pasted = fields.get("link", "")
    key = key_in(pasted) if len(pasted) <= MAX_KEY else ""
    try:
        actor: Actor = await request.app.state.keys.identify(event, key)
    except Unauthorised:
        actor = PUBLIC
    if actor.role < Role.facilitator:
        return page(
            "sign-in.html",
            _("Sign in - %(event)s") % {"event": event.name},
            status=422,
            errors=[("sign-in-link", _(NOT_A_KEY))],
            **sign_in_form(event, back_to(event, fields.get("next"), "/organise")),
        )
    home = "/organise" if actor.role == Role.organiser else "/facilitate"
    response = see_other(f"{back_to(event, fields.get('next'), home)}?done=signed-in")
    keep_key(response, event.slug, key, request.app.state.settings.public_url)
    return response


async def sign_out(request: Request) -> Response:
    event = await event_of(request)
    await read_form(request)
    page_secret(request, ROLE)
    response = see_other(f"/e/{event.slug}/organise?done=signed-out")
    keep_key(response, event.slug, "", request.app.state.settings.public_url)
    return response


async def act(
    request: Request,
    build: Callable[[dict[str, str]], Command],
    redraw: Redraw,
    to: Callable[[dict[str, str]], str],
    role: Role,
    asks: Asks | None = None,
) -> Response:
    """Runs one form's command as the staff member signed in on this browser, then sends them
    where ``to`` says (or draws the page again with what went wrong, nothing changed). Who may
    send it is settled before a byte of the form is read. ``asks``: a page asking the person
    to confirm a command refused until they do (removing a room that holds sessions)."""
    event = await event_of(request)
    actor = await staff(request, event)
    fields: dict[str, str] = {}
    try:
        actor.require(role)
        fields = await read_form(request)
        key, asked = receipt_key(request, fields)  # a form sent twice is done once
        writes = request.app.state.writes
        await writes.run(event, actor, build(fields), key=key, fingerprint=asked)
    except FormError as exc:
        return await redraw(event, actor, exc.errors, exc.status)
    except Refused as exc:
        question = await asks(event, fields, exc) if asks is not None else None
        return question or await redraw(event, actor, [("", exc.said())], exc.status)
    return see_other(to(fields))


routes = [
    PageRoute("/e/{slug}/sign-in", sign_in, methods=["POST"]),
    PageRoute("/e/{slug}/sign-out", sign_out, methods=["POST"]),
]
