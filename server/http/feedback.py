"""Feedback on sessions: attendees give it once a session has ended; its host and the
organisers read it."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from server.events.access import Role
from server.events.day import local_now
from server.feedback import sessions
from server.http.api import ApiRoute, event_and_actor, path_id


async def give(request: Request, body: dict[str, Any]) -> Response:
    event, actor = await event_and_actor(request)
    pitch_id = path_id(request, "pitch_id")
    keys, now = request.app.state.keys, local_now(event.timezone)
    answer, comment = body["answer"], body.get("comment", "")
    # No Idempotency-Key receipt: it would keep who asked beside the moment the feedback
    # was given. Giving it twice is refused by the marker anyway.
    given = await request.app.state.writes.run(
        event, actor, lambda j: sessions.give(j, keys, pitch_id, answer, comment, now)
    )
    return JSONResponse(given, status_code=201)


async def read_mine(request: Request, _body: None) -> Response:
    """What Snug holds of the asker's feedback: which sessions they gave it on (kept so they
    give it once), never what they said, which is kept apart from them."""
    event, actor = await event_and_actor(request)
    attendee = actor.as_attendee()
    gave = await sessions.gave_on(event, request.app.state.keys, attendee.id)
    return JSONResponse({"given_on": gave, "anonymous": True})


async def read_one(request: Request, _body: None) -> Response:
    event, actor = await event_and_actor(request)
    pitch = await sessions.readable(event, actor, path_id(request, "pitch_id"))
    said = (await sessions.said_about(event, [pitch.id]))[pitch.id]
    return JSONResponse(said.as_json(pitch))


async def read_all(request: Request, _body: None) -> Response:
    event, actor = await event_and_actor(request)
    found = await sessions.everything(event, actor)
    return JSONResponse({"sessions": [said.as_json(pitch) for pitch, said in found]})


routes = [
    ApiRoute(
        "POST",
        "/api/e/{slug}/pitches/{pitch_id:int}/feedback",
        give,
        role=Role.attendee,
        body="feedback-give",
        status=201,
        tag="feedback",
        limit="feedback",
        summary="Say how a session you went to was, once it has ended: anonymous, once each",
    ),
    ApiRoute(
        "GET",
        "/api/e/{slug}/pitches/{pitch_id:int}/feedback",
        read_one,
        role=Role.attendee,
        tag="feedback",
        summary="A session's feedback: counts of each answer and the comments (its host, "
        "organisers)",
    ),
    ApiRoute(
        "GET",
        "/api/e/{slug}/me/feedback",
        read_mine,
        role=Role.attendee,
        tag="feedback",
        summary="The sessions you gave feedback on, for your own records; not what you said, "
        "which is anonymous and kept apart from you",
    ),
    ApiRoute(
        "GET",
        "/api/e/{slug}/feedback",
        read_all,
        role=Role.organiser,
        tag="feedback",
        summary="Every published session's feedback (organisers)",
    ),
]
