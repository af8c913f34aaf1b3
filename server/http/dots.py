"""Dots: place, move and withdraw while voting is open."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from server.events.access import Role
from server.http.api import ApiRoute, path_id, perform
from server.marketplace import dots


async def place_dot(request: Request, body: dict[str, Any]) -> Response:
    dot = await perform(request, dots.placing(body["pitch"]))
    return JSONResponse(dot, status_code=201)


async def move_dot(request: Request, body: dict[str, Any]) -> Response:
    dot_id = path_id(request, "dot_id")
    return JSONResponse(await perform(request, lambda j: dots.move_dot(j, dot_id, body["pitch"])))


async def withdraw_dot(request: Request, _body: None) -> Response:
    dot_id = path_id(request, "dot_id")
    await perform(request, lambda j: dots.withdraw_dot(j, dot_id))
    return Response(status_code=204)


routes = [
    ApiRoute(
        "POST",
        "/api/e/{slug}/dots",
        place_dot,
        replays=True,
        role=Role.attendee,
        body="dot-place",
        status=201,
        tag="dots",
        limit="vote",
        summary="Place one of your dots on a pitch",
    ),
    ApiRoute(
        "PATCH",
        "/api/e/{slug}/dots/{dot_id:int}",
        move_dot,
        replays=True,
        role=Role.attendee,
        body="dot-move",
        tag="dots",
        limit="vote",
        summary="Move one of your dots to another pitch",
    ),
    ApiRoute(
        "DELETE",
        "/api/e/{slug}/dots/{dot_id:int}",
        withdraw_dot,
        replays=True,
        role=Role.attendee,
        status=204,
        tag="dots",
        summary="Withdraw one of your dots",
    ),
]
