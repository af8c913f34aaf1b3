"""Snug's own pages: the home page, creating an event, and the join code typed from the
projector."""

from __future__ import annotations

from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from server.events.setup import find_by_join_code, typed_join_code
from server.language import gettext
from server.pages.rendering import PageRoute, page


async def home(_request: Request) -> Response:
    return page("home.html", "Snug: run your unconference")


async def new_event(_request: Request) -> Response:
    return page("new.html", gettext("Create an event - Snug"))


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
    PageRoute("/j", join_by_typed_code),
    PageRoute("/j/{code}", join_by_code),
]
