"""Pages that draw the event's name and leave the rest to their script: session notes."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import Response

from server.events.setup import find_event
from server.pages.rendering import PageRoute, page


def shell(name: str, suffix: str) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        event = await find_event(request.path_params["slug"])
        return page(name, f"{event.name}{suffix}")

    endpoint.__name__ = f"page_{name.removesuffix('.html')}"
    return endpoint


routes = [
    PageRoute("/e/{slug}/notes/{pitch:int}", shell("notes.html", " - session notes")),
]
