"""The grid editor drawn on the server: place, move and take sessions off the draft grid,
allocate, undo and publish (reviewed first on the releases page, grid_releases.py), all as
plain forms calling the same commands as the grid API
(server/http/grid.py). Each form carries the draft's version, so a form drawn before someone
else's change is refused, not applied over it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from server.events.access import Actor, Role
from server.events.journal import Journal
from server.events.models import Event
from server.grid import editing
from server.live.state import snapshot
from server.pages.forms import event_of, whole_number
from server.pages.grid_view import grid_editor
from server.pages.rendering import PageRoute, page
from server.pages.staff import Command, act, sign_in_form, staff, staff_day
from server.pages.words import slot_words

DONE = {
    "signed-in": "You're signed in on this browser.",
    "moved": "Saved: the session is in its new place.",
    "unplaced": "The session is off the grid.",
    "allocated": "The grid is filled from the votes.",
    "undone": "The last change is undone.",
    "published": "Published. Attendees see this release now; your next edits stay in the draft "
    "until you publish again.",
}


async def grid_page(request: Request) -> Response:
    event = await event_of(request)
    return await _show(request, event, await staff(request, event))


async def _show(
    request: Request,
    event: Event,
    actor: Actor,
    errors: list[tuple[str, str]] | None = None,
    status: int = 200,
) -> Response:
    state = await snapshot(event, actor, request.app.state.settings.public_url)
    return page(
        "grid.html",
        f"{event.name} - the grid",
        status=status,
        private=True,
        editor=grid_editor(state) if actor.is_staff else None,
        **await staff_day(request, event, actor, state),
        slot_words=slot_words,
        event_name=event.name,
        back="organise" if actor.role == Role.organiser else "facilitate",
        done=DONE.get(request.query_params.get("done", "")),
        errors=errors or [],
        **sign_in_form(event, f"/e/{event.slug}/grid"),
    )


async def _edit(
    request: Request, build: Callable[[dict[str, str]], Command], done: str
) -> Response:
    async def redraw(
        event: Event, actor: Actor, errors: list[tuple[str, str]], status: int
    ) -> Response:
        return await _show(request, event, actor, errors, status)

    slug = request.path_params["slug"]

    def to(fields: dict[str, str]) -> str:
        # Back to the session's own form, so the person lands where they were.
        pitch = fields.get("pitch", "")
        placed = pitch.isascii() and pitch.isdigit() and len(pitch) <= 10
        return f"/e/{slug}/grid?done={done}" + (f"#place-{pitch}" if placed else "")

    return await act(request, build, redraw, to, Role.facilitator)


def _move(fields: dict[str, str]) -> Command:
    version, pitch = whole_number(fields, "version"), whole_number(fields, "pitch")
    cell = (whole_number(fields, "room"), whole_number(fields, "slot"))
    return lambda j: editing.move(j, version, pitch, cell)


def _unplace(fields: dict[str, str]) -> Command:
    version, pitch = whole_number(fields, "version"), whole_number(fields, "pitch")
    return lambda j: editing.unplace(j, version, pitch)


def _versioned(command: Callable[[Journal, int], Awaitable[Any]]) -> Callable[..., Command]:
    def build(fields: dict[str, str]) -> Command:
        version = whole_number(fields, "version")
        return lambda j: command(j, version)

    return build


async def move(request: Request) -> Response:
    return await _edit(request, _move, "moved")


async def unplace(request: Request) -> Response:
    return await _edit(request, _unplace, "unplaced")


async def allocate(request: Request) -> Response:
    event = await event_of(request)
    keep = await editing.drafted(event, await staff(request, event))
    return await _edit(request, _versioned(keep), "allocated")


async def undo(request: Request) -> Response:
    return await _edit(request, _versioned(editing.undo), "undone")


async def publish(request: Request) -> Response:
    return await _edit(request, _versioned(editing.publish), "published")


routes = [
    PageRoute("/e/{slug}/grid", grid_page),
    PageRoute("/e/{slug}/grid/move", move, methods=["POST"]),
    PageRoute("/e/{slug}/grid/unplace", unplace, methods=["POST"]),
    PageRoute("/e/{slug}/grid/allocate", allocate, methods=["POST"]),
    PageRoute("/e/{slug}/grid/undo", undo, methods=["POST"]),
    PageRoute("/e/{slug}/grid/publish", publish, methods=["POST"]),
]
