"""The releases page: what publishing the draft would change and for whom, then publish; the
history of releases, comparing two, rolling back to one, and unpublishing, each asked twice.
Plain forms calling the same commands as the grid API (server/http/grid.py)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from server.errors import Refused
from server.events.access import Actor, Role
from server.events.models import Event
from server.grid import editing, releases
from server.language import N_
from server.language import gettext as _
from server.live.state import snapshot
from server.pages import releases_view
from server.pages.forms import event_of, whole_number
from server.pages.rendering import PageRoute, page
from server.pages.staff import Command, act, sign_in_form, staff

DONE = {
    "rolled-back": N_("Rolled back. Attendees see the earlier grid now, as a new release."),
    "unpublished": N_("Unpublished. Attendees no longer see the grid; the draft is as it was."),
}


async def releases_page(request: Request) -> Response:
    event = await event_of(request)
    return await _show(request, event, await staff(request, event))


def _number(request: Request, name: str) -> int | None:
    raw = request.query_params.get(name, "")
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 9 else None


async def _staff_view(request: Request, event: Event, actor: Actor) -> dict[str, Any]:
    state = await snapshot(event, actor, request.app.state.settings.public_url)
    older, newer = _number(request, "from"), _number(request, "to")
    rolling = _number(request, "rollback")
    found: dict[str, Any] = {
        "namer": releases_view.Namer(state),
        "preview": await releases.preview(event),
        "history": await releases.history(event),
        "unpublishing": request.query_params.get("unpublish") == "confirm",
        "compared": None,
        "rolling": None,
        "chosen": (older, newer),
        "problem": None,
    }
    try:
        if older is not None and newer is not None:
            found["compared"] = await releases.compare(event, older, newer)
        if rolling is not None:
            found["rolling"] = await releases.rollback_preview(event, rolling)
    except Refused as exc:
        found["problem"] = exc.said()
    return found


async def _show(
    request: Request,
    event: Event,
    actor: Actor,
    errors: list[tuple[str, str]] | None = None,
    status: int = 200,
) -> Response:
    view = await _staff_view(request, event, actor) if actor.is_staff else {}
    return page(
        "grid-releases.html",
        _("%(event)s - releases of the grid") % {"event": event.name},
        status=status,
        private=True,
        staff=actor.is_staff,
        event_name=event.name,
        summary=releases_view.summary,
        release_words=releases_view.release_words,
        when=lambda at: releases_view.when(at, event.timezone),
        done=_(DONE[done]) if (done := request.query_params.get("done")) in DONE else None,
        errors=errors or [],
        **view,
        **sign_in_form(event, f"/e/{event.slug}/grid/releases"),
    )


async def _post(request: Request, build: Any, done: str) -> Response:
    async def redraw(
        event: Event, actor: Actor, errors: list[tuple[str, str]], status: int
    ) -> Response:
        return await _show(request, event, actor, errors, status)

    slug = request.path_params["slug"]
    return await act(
        request, build, redraw, lambda _f: f"/e/{slug}/grid/releases?done={done}", Role.facilitator
    )


def _unpublish(fields: dict[str, str]) -> Command:
    version = whole_number(fields, "version")
    return lambda j: editing.unpublish(j, version)


def _rollback(fields: dict[str, str]) -> Command:
    version, number = whole_number(fields, "version"), whole_number(fields, "release")
    return lambda j: editing.rollback(j, version, number)


async def unpublish(request: Request) -> Response:
    return await _post(request, _unpublish, "unpublished")


async def rollback(request: Request) -> Response:
    return await _post(request, _rollback, "rolled-back")


routes = [
    PageRoute("/e/{slug}/grid/releases", releases_page),
    PageRoute("/e/{slug}/grid/unpublish", unpublish, methods=["POST"]),
    PageRoute("/e/{slug}/grid/rollback", rollback, methods=["POST"]),
]
