"""Pages that draw the event's name and leave the rest to their script: the projector, the
organiser's and facilitator's pages, the grid editor, now and next, and session notes."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import Response

from server.events.setup import find_event
from server.pages.rendering import PageRoute, page
from server.reach import loopback_warning


def shell(
    name: str, suffix: str, *, warns: bool = False
) -> Callable[[Request], Awaitable[Response]]:
    """``warns``: the page says so while phones can't open the join link (server/reach.py)."""

    async def endpoint(request: Request) -> Response:
        event = await find_event(request.path_params["slug"])
        if not warns:
            return page(name, f"{event.name}{suffix}")
        warning = loopback_warning(request.app.state.settings.public_url)
        return page(name, f"{event.name}{suffix}", join_warning=warning)

    endpoint.__name__ = f"page_{name.removesuffix('.html')}"
    return endpoint


routes = [
    PageRoute("/e/{slug}/screen", shell("screen.html", " - on screen", warns=True)),
    PageRoute("/e/{slug}/organise", shell("manage.html", " - organise", warns=True)),
    PageRoute("/e/{slug}/facilitate", shell("manage.html", " - facilitate", warns=True)),
    PageRoute("/e/{slug}/grid", shell("grid.html", " - the grid")),
    PageRoute("/e/{slug}/now", shell("now.html", " - now and next")),
    PageRoute("/e/{slug}/notes/{pitch:int}", shell("notes.html", " - session notes")),
]
