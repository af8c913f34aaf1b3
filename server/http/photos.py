"""Flipchart photos over HTTP: upload to a session's notes, list them, show one.

The upload is the raw image as the body, with its Content-Type, so a phone sends the file it
took without any form encoding. The image address carries a random key instead of a secret
header, so an img tag can show it.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from server.events.access import Actor, Role
from server.events.setup import find_event
from server.http.api import ApiRoute, event_and_actor, path_id
from server.http.caching import not_modified
from server.http.notes import BASE
from server.http.security import USER_FILE_POLICY
from server.live.notes_channel import publish_update
from server.notes import editing, photos
from server.notes.editing import Session
from server.notes.photos import Shown

# A photo's bytes never change, but it can be taken out of the notes: kept a day, not forever.
CACHED_FOR_A_DAY = "public, max-age=86400"


async def _session(request: Request) -> tuple[Session, Actor]:
    event, actor = await event_and_actor(request)
    return await editing.open_notes(event, path_id(request, "pitch_id"), actor), actor


def _view(slug: str, shown: Shown) -> dict[str, Any]:
    return {
        "id": shown.id,
        "url": photos.address(slug, shown.id, shown.key),
        "caption": shown.caption,
        "width": shown.width,
        "height": shown.height,
    }


async def _upload(request: Request) -> bytes:
    """The body, read no further than the limit."""
    length = request.headers.get("content-length", "")
    if length.isdigit():
        photos.check_size(int(length))
    data = bytearray()
    async for chunk in request.stream():
        data += chunk
        photos.check_size(len(data))
    return bytes(data)


async def upload(request: Request, _body: None) -> Response:
    session, actor = await _session(request)
    media_type = request.headers.get("content-type", "")
    # Checked before the body is read, so a refusal doesn't wait for ten megabytes first.
    photos.may_add(session, actor)
    photos.check_type(media_type)
    data = await _upload(request)
    caption = request.query_params.get("caption", "")
    added = await photos.add(session, actor, data, media_type, caption)
    await publish_update(request.app.state.hub, added.edited.notes.id, added.edited.update)
    return JSONResponse(_view(session.event.slug, added.shown), status_code=201)


async def list_photos(request: Request, _body: None) -> Response:
    session, _actor = await _session(request)
    shown = await photos.shown_in(session.notes)
    return JSONResponse([_view(session.event.slug, s) for s in shown])


async def photo(request: Request) -> Response:
    event = await find_event(request.path_params["slug"])
    found = await photos.find(event, path_id(request, "photo_id"), request.path_params["key"])
    etag = f'"{found.id}-{found.key}"'
    headers = {
        "ETag": etag,
        "Cache-Control": CACHED_FOR_A_DAY,
        "Content-Security-Policy": USER_FILE_POLICY,
        "X-Content-Type-Options": "nosniff",
        "Content-Disposition": f'inline; filename="{photos.file_name(found)}"',
    }
    if not_modified(request, etag):
        return Response(status_code=304, headers=headers)
    return Response(bytes(found.data), media_type=found.media_type, headers=headers)


routes = [
    ApiRoute(
        "POST",
        f"{BASE}/photos",
        upload,
        role=Role.attendee,
        status=201,
        limit="notes",
        tag="notes",
        summary=(
            "Add a photo of a flipchart to the notes: the raw JPEG, PNG or WebP image (up to "
            "10 MB) as the body with its Content-Type, and an optional ?caption= (up to 200 "
            "characters). It is re-encoded without its metadata before it is kept."
        ),
    ),
    ApiRoute("GET", f"{BASE}/photos", list_photos, tag="notes", summary="The notes' photos"),
    Route("/e/{slug}/photos/{photo_id:int}/{key}", photo),
]
