"""The organiser's data over HTTP: the event's archive out and in, and erasing personal data."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from server.archive.dump import dump
from server.archive.load import load
from server.errors import Unavailable
from server.events import erasure
from server.events.access import Role
from server.events.journal import Journal
from server.http.api import ApiRoute, event_and_actor, perform, read_body
from server.http.events import links
from server.language import N_

# Reading an archive takes memory in proportion to it and seconds of a worker's time, so one
# is imported at a time per process, and one that takes longer than this to check is refused.
CHECK_SECONDS = 60.0
_importing = threading.Lock()  # only ever tried, never waited for, so the event loop never waits


async def export_archive(request: Request, _body: None) -> Response:
    event, _actor = await event_and_actor(request)
    filename = f"snug-{event.slug}-{datetime.now(UTC).date().isoformat()}.json"
    return JSONResponse(
        await dump(event), headers={"Content-Disposition": f'attachment; filename="{filename}"'}
    )


async def import_archive(request: Request, _body: None) -> Response:
    if not _importing.acquire(blocking=False):
        raise Unavailable(
            N_(
                "Another event is being imported on this server just now; nothing was imported. "
                "Try again in a minute."
            )
        )
    try:
        raw = await read_body(request, request.app.state.settings.archive_max_mb * 2**20)
        slug, keys = request.query_params.get("slug"), request.app.state.keys
        imported = await load(raw, keys, slug, seconds=CHECK_SECONDS)
    finally:
        _importing.release()
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
    event, _actor = await event_and_actor(request)
    return JSONResponse((await erasure.personal_data(event)).as_json())


async def erase_personal_data(request: Request, body: dict[str, Any]) -> Response:
    public_url = request.app.state.settings.public_url

    async def erase(journal: Journal) -> dict[str, Any]:
        # As JSON, so that sending it again with the same key answers the same.
        return (await erasure.erase_personal_data(journal, body["confirm"], public_url)).as_json()

    erased = await perform(request, erase)
    await erasure.reclaim_space()
    return JSONResponse(erased)


routes = [
    ApiRoute(
        "GET",
        "/api/e/{slug}/archive",
        export_archive,
        role=Role.organiser,
        tag="events",
        summary="Download the whole event as one JSON archive (organisers)",
    ),
    ApiRoute(
        "POST",
        "/api/events/import",
        import_archive,
        body="archive",
        raw_body=True,
        limit="import",
        status=201,
        tag="events",
        summary=(
            "Make a new event from an archive (at most ARCHIVE_MAX_MB, 100 MB unless set); "
            "?slug= gives it a new address. The answer holds its new organiser link; no link "
            "from the archive opens it as staff"
        ),
    ),
    ApiRoute(
        "GET",
        "/api/e/{slug}/personal-data",
        read_personal_data,
        role=Role.organiser,
        tag="events",
        summary="How much personal data the event holds; when it was last erased (organisers)",
    ),
    ApiRoute(
        "POST",
        "/api/e/{slug}/erase-personal-data",
        erase_personal_data,
        replays=True,
        role=Role.organiser,
        body="erase-personal-data",
        tag="events",
        summary="Erase attendees' names, tokens and devices, keeping the anonymised "
        "write-ups (organisers)",
    ),
]
