"""The organiser's data over HTTP: the event's archive out and in, and erasing personal data."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from server.archive.dump import dump
from server.archive.load import load
from server.events import erasure
from server.events.access import Role
from server.http.api import ApiRoute, event_and_actor, perform
from server.http.events import links

# An archive carries the event's photos, so it may be far larger than any other request.
ARCHIVE_MAX = 100 * 1024 * 1024


async def export_archive(request: Request, _body: None) -> Response:
    event, actor = await event_and_actor(request)
    actor.require(Role.organiser)
    filename = f"snug-{event.slug}-{datetime.now(UTC).date().isoformat()}.json"
    return JSONResponse(
        await dump(event), headers={"Content-Disposition": f'attachment; filename="{filename}"'}
    )


async def import_archive(request: Request, archive: dict[str, Any]) -> Response:
    imported = await load(archive, request.app.state.keys, request.query_params.get("slug"))
    event, secret = imported.event, imported.organiser_secret
    return JSONResponse(
        {
            "slug": event.slug,
            "organiser_key": secret,
            "links": links(event, request.app.state.settings.public_url, secret),
            "join_code_kept": imported.join_code_kept,
        },
        status_code=201,
    )


async def read_personal_data(request: Request, _body: None) -> Response:
    event, actor = await event_and_actor(request)
    actor.require(Role.organiser)
    return JSONResponse((await erasure.personal_data(event)).as_json())


async def erase_personal_data(request: Request, body: dict[str, Any]) -> Response:
    public_url = request.app.state.settings.public_url
    erased = await perform(
        request, lambda j: erasure.erase_personal_data(j, body["confirm"], public_url)
    )
    await erasure.reclaim_space()
    return JSONResponse(erased.as_json())


routes = [
    ApiRoute(
        "GET",
        "/api/e/{slug}/archive",
        export_archive,
        tag="events",
        summary="Download the whole event as one JSON archive (organisers)",
    ),
    ApiRoute(
        "POST",
        "/api/events/import",
        import_archive,
        body="archive",
        max_body=ARCHIVE_MAX,
        checks_body=True,
        limit="import",
        status=201,
        tag="events",
        summary=(
            f"Make an event from its archive (at most {ARCHIVE_MAX // 2**20} MB); "
            "?slug= gives it a new address. The answer holds a new organiser link"
        ),
    ),
    ApiRoute(
        "GET",
        "/api/e/{slug}/personal-data",
        read_personal_data,
        tag="events",
        summary="How much personal data the event holds; when it was last erased (organisers)",
    ),
    ApiRoute(
        "POST",
        "/api/e/{slug}/erase-personal-data",
        erase_personal_data,
        body="erase-personal-data",
        tag="events",
        summary="Erase attendees' names, tokens and devices, keeping the anonymised "
        "write-ups (organisers)",
    ),
]
