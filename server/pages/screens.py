"""The shared screens: the projector and now and next. Both show what anyone may see, so they
are drawn for the public whoever opens them, and kept live by their scripts; without script
the projector reloads itself every half minute."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from server.events.access import PUBLIC
from server.live.state import snapshot
from server.pages import screens_view
from server.pages.forms import event_of
from server.pages.rendering import PageRoute, page


async def screen(request: Request) -> Response:
    event = await event_of(request)
    state = await snapshot(event, PUBLIC, request.app.state.settings.public_url)
    host, path, code = screens_view.join_words(state["event"]["join_url"])
    return page(
        "screen.html",
        f"{event.name} - on screen",
        event=state["event"],
        slug=event.slug,
        join_host=host,
        join_path=path,
        join_code=code,
        ranking=screens_view.ranking(state),
        latest=screens_view.latest(state),
        count=len(screens_view.shown(state)),
    )


async def now_next(request: Request) -> Response:
    event = await event_of(request)
    state = await snapshot(event, PUBLIC, request.app.state.settings.public_url)
    now = screens_view.local_now(event.timezone, request.query_params.get("at"))
    return page(
        "now.html",
        f"{event.name} - now and next",
        event=state["event"],
        view=screens_view.now_and_next(state, now),
    )


routes = [
    PageRoute("/e/{slug}/screen", screen),
    PageRoute("/e/{slug}/now", now_next),
]
