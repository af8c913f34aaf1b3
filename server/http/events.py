"""Events: create, read the state a role may see, edit details, rooms and slots, links."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from server.events import setup
from server.events.access import Role
from server.events.models import Event
from server.http.api import ApiRoute, event_and_actor, perform
from server.http.session import keep_key
from server.live.state import snapshot
from server.marketplace import dots


def links(event: Event, public_url: str, organiser: str | None = None) -> dict[str, str]:
    base = f"{public_url}/e/{event.slug}"
    found = {"event": base, "join": f"{public_url}/j/{event.join_code}", "screen": f"{base}/screen"}
    if organiser:
        found["organise"] = f"{base}/organise#key={organiser}"
    return found


async def create_event(request: Request, body: Any) -> Response:
    event, secret = await setup.create_event(body, request.app.state.keys)
    public_url = request.app.state.settings.public_url
    response = JSONResponse(
        {"slug": event.slug, "organiser_key": secret, "links": links(event, public_url, secret)},
        status_code=201,
    )
    keep_key(response, event.slug, secret, public_url)  # the browser that made it can organise it
    return response


async def read_event(request: Request, _body: None) -> Response:
    event, actor = await event_and_actor(request)
    return JSONResponse(await snapshot(event, actor, request.app.state.settings.public_url))


async def edit_event(request: Request, body: dict[str, Any]) -> Response:
    public_url = request.app.state.settings.public_url
    return JSONResponse(await perform(request, lambda j: dots.edit_event(j, body, public_url)))


async def replace_rooms(request: Request, body: dict[str, Any]) -> Response:
    return JSONResponse(
        await perform(
            request, lambda j: setup.replace_rooms(j, body["rooms"], body.get("unplace", False))
        )
    )


async def replace_slots(request: Request, body: dict[str, Any]) -> Response:
    return JSONResponse(
        await perform(
            request, lambda j: setup.replace_slots(j, body["slots"], body.get("unplace", False))
        )
    )


async def new_facilitator_link(request: Request, _body: None) -> Response:
    event, _actor = await event_and_actor(request)
    secret = await setup.new_facilitator_key_for(event, request.app.state.keys)
    url = f"{request.app.state.settings.public_url}/e/{event.slug}/facilitate#key={secret}"
    return JSONResponse({"facilitator_key": secret, "link": url}, status_code=201)


routes = [
    ApiRoute(
        "POST",
        "/api/events",
        create_event,
        body="event-create",
        status=201,
        tag="events",
        limit="create",
        summary="Create an event; the answer holds the secret organiser link",
    ),
    ApiRoute(
        "GET",
        "/api/e/{slug}",
        read_event,
        tag="events",
        summary="The event as the asker's role may see it (a snapshot)",
    ),
    ApiRoute(
        "PATCH",
        "/api/e/{slug}",
        edit_event,
        replays=True,
        role=Role.organiser,
        body="event-edit",
        tag="events",
        summary="Edit the event, open or close pitching and voting (organisers)",
    ),
    ApiRoute(
        "PUT",
        "/api/e/{slug}/rooms",
        replace_rooms,
        replays=True,
        role=Role.organiser,
        body="rooms-replace",
        tag="events",
        summary="Replace the rooms (organisers)",
    ),
    ApiRoute(
        "PUT",
        "/api/e/{slug}/slots",
        replace_slots,
        replays=True,
        role=Role.organiser,
        body="slots-replace",
        tag="events",
        summary="Replace the time slots (organisers)",
    ),
    ApiRoute(
        "POST",
        "/api/e/{slug}/facilitator-link",
        new_facilitator_link,
        role=Role.organiser,
        status=201,
        tag="events",
        summary="Make a new facilitator link; the previous one stops working",
    ),
]
