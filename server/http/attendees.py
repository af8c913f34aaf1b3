"""Joining from a phone and the attendee's own details."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from server.events import setup
from server.events.access import Role
from server.grid import agenda, seats
from server.http.api import ApiRoute, event_and_actor, path_id, perform
from server.live.state import snapshot


async def join(request: Request, body: dict[str, Any]) -> Response:
    event, _ = await event_and_actor(request)
    attendee, secret = await setup.join(event, body.get("name", ""), request.app.state.keys)
    return JSONResponse(
        {"id": attendee.id, "token": secret, "name": attendee.name}, status_code=201
    )


async def edit_me(request: Request, body: dict[str, Any]) -> Response:
    _event, actor = await event_and_actor(request)
    attendee = await setup.rename(actor, body["name"])
    return JSONResponse({"id": attendee.id, "name": attendee.name})


async def read_me(request: Request, _body: None) -> Response:
    event, actor = await event_and_actor(request)
    actor.as_attendee()
    state = await snapshot(event, actor, request.app.state.settings.public_url)
    return JSONResponse(state["me"])


async def choose(request: Request, body: dict[str, Any]) -> Response:
    return JSONResponse(
        await perform(request, lambda j: agenda.choose(j, body["slot"], body["pitch"]))
    )


async def claim_seat(request: Request, _body: None) -> Response:
    pitch_id = path_id(request, "pitch_id")
    return JSONResponse(await perform(request, lambda j: seats.claim(j, pitch_id)))


async def release_seat(request: Request, _body: None) -> Response:
    pitch_id = path_id(request, "pitch_id")
    return JSONResponse(await perform(request, lambda j: seats.release(j, pitch_id)))


routes = [
    ApiRoute(
        "POST",
        "/api/e/{slug}/attendees",
        join,
        body="join",
        status=201,
        tag="attendees",
        limit="join",
        summary="Join the event; the answer holds this device's secret token",
    ),
    ApiRoute(
        "GET", "/api/e/{slug}/me", read_me, tag="attendees", summary="Your name, dots and pitches"
    ),
    ApiRoute(
        "PATCH",
        "/api/e/{slug}/me",
        edit_me,
        role=Role.attendee,
        body="me-edit",
        tag="attendees",
        summary="Change your name, or clear it to stay anonymous",
    ),
    ApiRoute(
        "PUT",
        "/api/e/{slug}/me/agenda",
        choose,
        role=Role.attendee,
        body="agenda-choose",
        tag="attendees",
        summary="Choose the session you'll go to in a slot, or none",
    ),
    ApiRoute(
        "POST",
        "/api/e/{slug}/me/seats/{pitch_id:int}",
        claim_seat,
        role=Role.attendee,
        tag="attendees",
        summary="Claim a seat in a session, giving up any claim elsewhere in its slot",
    ),
    ApiRoute(
        "DELETE",
        "/api/e/{slug}/me/seats/{pitch_id:int}",
        release_seat,
        role=Role.attendee,
        tag="attendees",
        summary="Give up your seat, or leave the waiting list; the next in line gets it",
    ),
]
