"""Pages that draw the event's name and leave the rest to their script: the projector, the
organiser's and facilitator's pages, the grid editor, and now and next."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from server.events.setup import find_event
from server.pages.rendering import page


def shell(name: str, suffix: str) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        event = await find_event(request.path_params["slug"])
        return page(name, f"{event.name}{suffix}")

    endpoint.__name__ = f"page_{name.removesuffix('.html')}"
    return endpoint


routes = [
    Route("/e/{slug}/screen", shell("screen.html", " - on screen")),
    Route("/e/{slug}/organise", shell("manage.html", " - organise")),
    Route("/e/{slug}/facilitate", shell("manage.html", " - facilitate")),
    Route("/e/{slug}/grid", shell("grid.html", " - the grid")),
    Route("/e/{slug}/now", shell("now.html", " - now and next")),
]
