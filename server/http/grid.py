"""The grid: facilitators' edits; everyone reads the published grid in the event's state."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from server.events.access import Role
from server.grid import editing, releases, seats
from server.http.api import ApiRoute, event_and_actor, path_id, perform


async def allocate(request: Request, body: dict[str, Any]) -> Response:
    keep = await editing.drafted(*await event_and_actor(request))
    return JSONResponse(await perform(request, lambda j: keep(j, body["version"])))


async def move(request: Request, body: dict[str, Any]) -> Response:
    cell = (body["room"], body["slot"])
    return JSONResponse(
        await perform(request, lambda j: editing.move(j, body["version"], body["pitch"], cell))
    )


async def unplace(request: Request, body: dict[str, Any]) -> Response:
    return JSONResponse(
        await perform(request, lambda j: editing.unplace(j, body["version"], body["pitch"]))
    )


async def lock(request: Request, body: dict[str, Any]) -> Response:
    return JSONResponse(
        await perform(
            request, lambda j: editing.lock(j, body["version"], body["pitch"], body["locked"])
        )
    )


async def save_room(request: Request, body: dict[str, Any]) -> Response:
    version, name, capacity = body["version"], body["name"], body["capacity"]
    room = body.get("room")
    if room is None:
        return JSONResponse(
            await perform(request, lambda j: editing.add_room(j, version, name, capacity))
        )
    return JSONResponse(
        await perform(request, lambda j: editing.change_room(j, version, room, name, capacity))
    )


async def remove_room(request: Request, body: dict[str, Any]) -> Response:
    version, room, unplace = body["version"], body["room"], body.get("unplace", False)
    return JSONResponse(
        await perform(request, lambda j: editing.remove_room(j, version, room, unplace))
    )


async def save_slot(request: Request, body: dict[str, Any]) -> Response:
    times = (body["starts_at"], body["ends_at"], body.get("label", ""), body.get("kind", "session"))
    version, slot = body["version"], body.get("slot")
    if slot is None:
        return JSONResponse(await perform(request, lambda j: editing.add_slot(j, version, *times)))
    return JSONResponse(
        await perform(request, lambda j: editing.change_slot(j, version, slot, *times))
    )


async def remove_slot(request: Request, body: dict[str, Any]) -> Response:
    version, slot, unplace = body["version"], body["slot"], body.get("unplace", False)
    return JSONResponse(
        await perform(request, lambda j: editing.remove_slot(j, version, slot, unplace))
    )


async def undo(request: Request, body: dict[str, Any]) -> Response:
    return JSONResponse(await perform(request, lambda j: editing.undo(j, body["version"])))


async def publish(request: Request, body: dict[str, Any]) -> Response:
    return JSONResponse(await perform(request, lambda j: editing.publish(j, body["version"])))


async def unpublish(request: Request, body: dict[str, Any]) -> Response:
    return JSONResponse(await perform(request, lambda j: editing.unpublish(j, body["version"])))


async def rollback(request: Request, body: dict[str, Any]) -> Response:
    version, number = body["version"], body["release"]
    return JSONResponse(await perform(request, lambda j: editing.rollback(j, version, number)))


async def preview(request: Request, _body: None) -> Response:
    event, _actor = await event_and_actor(request)
    return JSONResponse(await releases.preview(event))


async def history(request: Request, _body: None) -> Response:
    event, _actor = await event_and_actor(request)
    return JSONResponse({"releases": await releases.history(event)})


async def compare(request: Request, _body: None) -> Response:
    event, _actor = await event_and_actor(request)
    older, newer = path_id(request, "older"), path_id(request, "newer")
    return JSONResponse(await releases.compare(event, older, newer))


async def assign_seats(request: Request, body: dict[str, Any]) -> Response:
    pitch, version = body.get("pitch"), body.get("version")
    return JSONResponse(await perform(request, lambda j: seats.assign(j, pitch, version)))


def _grid_route(path: str, handler: Any, body: str, summary: str) -> ApiRoute:
    return ApiRoute(
        "POST",
        f"/api/e/{{slug}}/grid/{path}",
        handler,
        role=Role.facilitator,
        body=body,
        replays=True,
        tag="grid",
        summary=f"{summary} (facilitators; stale versions are refused)",
    )


def _grid_read(path: str, handler: Any, summary: str) -> ApiRoute:
    return ApiRoute(
        "GET",
        f"/api/e/{{slug}}/grid/{path}",
        handler,
        role=Role.facilitator,
        tag="grid",
        summary=f"{summary} (facilitators)",
    )


routes = [
    _grid_route("allocate", allocate, "grid-version", "Fill the grid from votes, keeping locks"),
    _grid_route("move", move, "grid-move", "Put a session in a cell, swapping with any there"),
    _grid_route("unplace", unplace, "grid-pitch", "Send a session back to the unplaced list"),
    _grid_route("lock", lock, "grid-lock", "Lock or unlock a placement"),
    _grid_route("undo", undo, "grid-version", "Undo the last grid edit"),
    _grid_route("room", save_room, "grid-room", "Add a room, or rename it and change its seats"),
    _grid_route(
        "room/remove", remove_room, "grid-room-remove", "Remove a room; 409 naming its sessions"
    ),
    _grid_route("slot", save_slot, "grid-slot", "Add a time slot, or change one"),
    _grid_route(
        "slot/remove", remove_slot, "grid-slot-remove", "Remove a slot; 409 naming its sessions"
    ),
    _grid_route("publish", publish, "grid-version", "Publish the draft as the next release"),
    _grid_route("unpublish", unpublish, "grid-version", "Take the grid off attendees' phones"),
    _grid_route("rollback", rollback, "grid-rollback", "Publish an earlier release again"),
    _grid_route("seats", assign_seats, "grid-seats", "Assign seats in small rooms by the matching"),
    _grid_read("preview", preview, "What publishing the draft would change, and for whom"),
    _grid_read("releases", history, "Every release of the grid, newest first"),
    _grid_read(
        "releases/{older:int}/compare/{newer:int}", compare, "What changed between two releases"
    ),
]
