"""Running an event again through the API: the next event of its series."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from server.events.access import Role
from server.events.setup import find_event
from server.http.api import ApiRoute, perform
from server.http.events import links
from server.series import again


async def run_again(request: Request, body: dict[str, Any]) -> Response:
    public_url = request.app.state.settings.public_url
    keys = request.app.state.keys
    made = await perform(request, lambda j: again.run_again(j, body, keys, public_url))
    following = await find_event(made["slug"])
    series = f"{public_url}/e/{following.slug}/series"
    return JSONResponse(
        {"slug": following.slug, "links": {**links(following, public_url), "series": series}},
        status_code=201,
    )


routes = [
    ApiRoute(
        "POST",
        "/api/e/{slug}/again",
        run_again,
        replays=True,
        role=Role.organiser,
        body="event-again",
        status=201,
        tag="events",
        limit="create",  # the next event spends from the budget of making events
        summary="Run the event again: make the next event of its series, with this one's "
        "rooms, slots moved to its date, settings and staff links (organisers)",
    ),
]
