"""The pages people open: plain HTML from web/, with the event's name filled in as text."""

from __future__ import annotations

import html
from collections.abc import Awaitable, Callable
from functools import cache
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from server.bundled import WEB_DIR
from server.errors import NotFound
from server.events.setup import find_by_join_code, find_event, typed_join_code


@cache
def _template(name: str) -> str:
    return (WEB_DIR / name).read_text()


# What every page's <head> starts with, kept in one place; each page adds its own CSS and script.
HEAD = """<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{title}}</title>
<link rel="stylesheet" href="/static/css/snug.css">
<link rel="icon" href="/static/icon.svg" type="image/svg+xml">"""


def render(name: str, title: str, status: int = 200) -> HTMLResponse:
    page = _template(name).replace("{{head}}", HEAD).replace("{{title}}", html.escape(title))
    return HTMLResponse(page, status_code=status, headers={"Cache-Control": "no-cache"})


def event_page(name: str, suffix: str) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        try:
            event = await find_event(request.path_params["slug"])
        except NotFound as exc:
            return render("missing.html", exc.message, status=404)
        return render(name, f"{event.name}{suffix}")

    endpoint.__name__ = f"page_{name.removesuffix('.html')}"
    return endpoint


async def home(_request: Request) -> Response:
    return render("index.html", "Snug: run your unconference")


async def new_event(_request: Request) -> Response:
    return render("new.html", "Create an event - Snug")


async def join_by_code(request: Request) -> Response:
    try:
        event = await find_by_join_code(request.path_params["code"])
    except NotFound as exc:
        return render("missing.html", exc.message, status=404)
    return RedirectResponse(f"/e/{event.slug}", status_code=303)


async def join_by_typed_code(request: Request) -> Response:
    """The home page's form, which works without JavaScript: its code goes to /j/CODE."""
    code = typed_join_code(request.query_params.get("code", ""))
    return RedirectResponse(f"/j/{quote(code, safe='')}" if code else "/#join", status_code=303)


routes = [
    Route("/", home),
    Route("/new", new_event),
    Route("/j", join_by_typed_code),
    Route("/j/{code}", join_by_code),
    Route("/e/{slug}", event_page("event.html", " - Snug")),
    Route("/e/{slug}/screen", event_page("screen.html", " - on screen")),
    Route("/e/{slug}/organise", event_page("manage.html", " - organise")),
    Route("/e/{slug}/facilitate", event_page("manage.html", " - facilitate")),
    Route("/e/{slug}/grid", event_page("grid.html", " - the grid")),
    Route("/e/{slug}/now", event_page("now.html", " - now and next")),
    Route("/e/{slug}/notes/{pitch:int}", event_page("notes.html", " - session notes")),
]
