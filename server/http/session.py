"""Signing a device in and out: the key of an organiser's or facilitator's link, or an
attendee's token, kept in a cookie page script can't read (why, and the check on every request
using it, are in server/http/security.py). Staff and attendees each have their own cookie, so
a laptop that both organises and joined stays each on its own pages.

A staff link's ``#key=`` is posted here once; an attendee's token is set by joining, or posted
here once by a phone that kept it in localStorage before cookies held it. Each cookie is
scoped to the event's two address prefixes, its pages and sockets (``/e/{slug}``) and its API
(``/api/e/{slug}``), so it never reaches another event (a cookie path matches only itself and
what lies below it).
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from server.errors import Forbidden
from server.events.access import Role
from server.events.setup import find_event
from server.http.api import ApiRoute, event_and_actor
from server.http.security import ATTENDEE_COOKIE, STAFF_COOKIE, bearer
from server.language import N_

KEPT_FOR = 90 * 24 * 3600  # seconds: a device stays signed in from planning to write-up


def keep_key(
    response: Response, slug: str, key: str, public_url: str, cookie: str = STAFF_COOKIE
) -> None:
    """Sets the cookie on both prefixes; an empty key with no lifetime clears it."""
    for path in (f"/e/{slug}", f"/api/e/{slug}"):
        response.set_cookie(
            cookie,
            key,
            max_age=KEPT_FOR if key else 0,
            path=path,
            secure=public_url.startswith("https:"),
            httponly=True,
            samesite="strict",
        )


async def sign_in(request: Request, _body: None) -> Response:
    event, actor = await event_and_actor(request)
    key = bearer(request)
    if key is None or actor.role < Role.attendee:
        raise Forbidden(
            N_(
                "Only a link or token Snug gave you signs a device in. "
                "Open the link you were given again."
            )
        )
    cookie = ATTENDEE_COOKIE if actor.role == Role.attendee else STAFF_COOKIE
    response = JSONResponse({"role": actor.role.name})
    keep_key(response, event.slug, key, request.app.state.settings.public_url, cookie)
    return response


async def sign_out(request: Request, _body: None) -> Response:
    event = await find_event(request.path_params["slug"])
    response = Response(status_code=204)
    keep_key(response, event.slug, "", request.app.state.settings.public_url)
    return response


routes = [
    ApiRoute(
        "POST",
        "/api/e/{slug}/session",
        sign_in,
        tag="events",
        summary="Keep an organiser's or facilitator's key, or an attendee's token (sent as "
        "Bearer), in this browser's cookie for that role",
    ),
    ApiRoute(
        "DELETE",
        "/api/e/{slug}/session",
        sign_out,
        tag="events",
        summary="Sign this browser out: forget the organiser's or facilitator's key",
    ),
]
