"""Pitches: create, edit or withdraw (author or facilitator), merge and hide (facilitators)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from server.events.access import Role
from server.http.api import ApiRoute, path_id, perform
from server.marketplace import pitches


async def create_pitch(request: Request, body: dict[str, Any]) -> Response:
    view = await perform(request, lambda j: pitches.create_pitch(j, body))
    return JSONResponse(view, status_code=201)


async def edit_pitch(request: Request, body: dict[str, Any]) -> Response:
    pitch_id = path_id(request, "pitch_id")
    return JSONResponse(await perform(request, lambda j: pitches.edit_pitch(j, pitch_id, body)))


async def withdraw_pitch(request: Request, _body: None) -> Response:
    pitch_id = path_id(request, "pitch_id")
    await perform(request, lambda j: pitches.withdraw_pitch(j, pitch_id))
    return Response(status_code=204)


async def merge_pitch(request: Request, body: dict[str, Any]) -> Response:
    pitch_id = path_id(request, "pitch_id")
    into = body["into"]
    return JSONResponse(await perform(request, lambda j: pitches.merge_pitch(j, pitch_id, into)))


routes = [
    ApiRoute(
        "POST",
        "/api/e/{slug}/pitches",
        create_pitch,
        replays=True,
        role=Role.attendee,
        body="pitch-create",
        status=201,
        tag="pitches",
        limit="pitch",
        summary="Pitch a session while pitching is open",
    ),
    ApiRoute(
        "PATCH",
        "/api/e/{slug}/pitches/{pitch_id:int}",
        edit_pitch,
        replays=True,
        role=Role.attendee,
        body="pitch-edit",
        tag="pitches",
        limit="pitch",
        summary="Edit a pitch; facilitators may also hide or show it",
    ),
    ApiRoute(
        "DELETE",
        "/api/e/{slug}/pitches/{pitch_id:int}",
        withdraw_pitch,
        role=Role.attendee,
        status=204,
        tag="pitches",
        limit="pitch",
        replays=True,
        summary="Withdraw your pitch before it is on the grid; its dots go back",
    ),
    ApiRoute(
        "POST",
        "/api/e/{slug}/pitches/{pitch_id:int}/merge",
        merge_pitch,
        replays=True,
        role=Role.facilitator,
        body="pitch-merge",
        tag="pitches",
        summary="Merge a duplicate into another pitch (facilitators)",
    ),
]
