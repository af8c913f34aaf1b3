"""Pitches: create, edit (author or facilitator), merge and hide (facilitators)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from server.http.api import ApiRoute, event_and_actor, path_id
from server.live.commands import run
from server.marketplace import pitches


async def create_pitch(request: Request, body: dict[str, Any]) -> Response:
    event, actor = await event_and_actor(request)
    view = await run(request.app.state.hub, event, actor, lambda j: pitches.create_pitch(j, body))
    return JSONResponse(view, status_code=201)


async def edit_pitch(request: Request, body: dict[str, Any]) -> Response:
    event, actor = await event_and_actor(request)
    pitch_id = path_id(request, "pitch_id")
    view = await run(
        request.app.state.hub, event, actor, lambda j: pitches.edit_pitch(j, pitch_id, body)
    )
    return JSONResponse(view)


async def merge_pitch(request: Request, body: dict[str, Any]) -> Response:
    event, actor = await event_and_actor(request)
    pitch_id = path_id(request, "pitch_id")
    view = await run(
        request.app.state.hub,
        event,
        actor,
        lambda j: pitches.merge_pitch(j, pitch_id, body["into"]),
    )
    return JSONResponse(view)


routes = [
    ApiRoute(
        "POST",
        "/api/e/{slug}/pitches",
        create_pitch,
        body="pitch-create",
        status=201,
        tag="pitches",
        summary="Pitch a session while pitching is open",
    ),
    ApiRoute(
        "PATCH",
        "/api/e/{slug}/pitches/{pitch_id:int}",
        edit_pitch,
        body="pitch-edit",
        tag="pitches",
        summary="Edit a pitch; facilitators may also hide or show it",
    ),
    ApiRoute(
        "POST",
        "/api/e/{slug}/pitches/{pitch_id:int}/merge",
        merge_pitch,
        body="pitch-merge",
        tag="pitches",
        summary="Merge a duplicate into another pitch (facilitators)",
    ),
]
