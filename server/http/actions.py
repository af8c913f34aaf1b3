"""The action board as data and as files, and changing a status through the API.

The files follow who may see the board (server/pages/actions.py): the people at the event, by
the cookie their browser keeps or an API client's bearer secret, and everyone once the
proceedings are published. An owner's to-do feed is behind their action's private link
instead, as a personal calendar feed is.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from server.actions import board, links, status
from server.actions.board import Item
from server.actions.models import ActionItem
from server.errors import NotFound
from server.events.access import Role
from server.events.models import Event
from server.exports import actions as files
from server.http.api import ApiRoute, event_and_actor, path_id, perform
from server.language import current as current_language
from server.language import gettext as _
from server.pages.actions import UNKNOWN_LINK, may_see, viewer
from server.pages.forms import event_of

CSV = "text/csv; charset=utf-8"
CALENDAR = "text/calendar; charset=utf-8"
JSON = "application/json"


async def _board(request: Request) -> tuple[Event, list[Item]]:
    event = await event_of(request)
    may_see(event, await viewer(request, event))
    return event, await board.items(event)


def _url(request: Request, event: Event) -> str:
    return f"{request.app.state.settings.public_url}/e/{event.slug}/actions"


def _file(
    make: Callable[[Request, Event, list[Item]], bytes], media: str, suffix: str
) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        event, items = await _board(request)
        headers = {
            "Cache-Control": "private, no-cache",
            "Content-Disposition": f'inline; filename="{event.slug}-actions.{suffix}"',
        }
        return Response(make(request, event, items), media_type=media, headers=headers)

    endpoint.__name__ = f"actions_{suffix}"
    return endpoint


def _todos(request: Request, event: Event, items: list[Item], title: str) -> bytes:
    language = current_language() if current_language() in event.languages else event.languages[0]
    return files.todos(
        title, event.id, items, language=language, board_url=_url(request, event), held=event.date
    )


async def owner_ics(request: Request) -> Response:
    """One owner's actions as to-dos: those with the same owner as the action whose link this
    is (owners are named as people type them, so the same name is the same owner)."""
    event = await event_of(request)
    secret = request.path_params["link"]
    row = await links.opened_by(event, secret, request.app.state.keys)
    if row is None or not row.owner:
        raise NotFound(UNKNOWN_LINK)
    mine = board.owner_key(row.owner)
    rows = [
        r for r in await ActionItem.filter(event_id=event.id) if board.owner_key(r.owner) == mine
    ]
    items = await board.items(event, rows=rows)
    title = _("%(event)s: actions of %(owner)s") % {"event": event.name, "owner": row.owner}
    body = _todos(request, event, items, title)
    return Response(body, media_type=CALENDAR, headers={"Cache-Control": "private, no-cache"})


async def list_actions(request: Request, _body: None) -> Response:
    event, actor = await event_and_actor(request)
    may_see(event, actor)
    return JSONResponse([item.as_json() for item in await board.items(event)])


async def read_my_actions(request: Request, _body: None) -> Response:
    """The asker's own actions, for their records: those owned by the name they joined with."""
    event, actor = await event_and_actor(request)
    attendee = actor.as_attendee()
    mine = await board.owned_by(event, attendee.name)
    return JSONResponse({"owner": attendee.name, "actions": [item.as_json() for item in mine]})


async def change_status(request: Request, body: dict[str, Any]) -> Response:
    action_id = path_id(request, "action_id")
    await perform(request, status.set_status(action_id, body["status"]))
    event, _actor = await event_and_actor(request)
    (item,) = await board.items(event, rows=[await ActionItem.get(id=action_id)])
    return JSONResponse(item.as_json())


routes = [
    Route(
        "/e/{slug}/actions.csv",
        _file(lambda _r, _e, items: files.actions_csv(items), CSV, "csv"),
    ),
    Route(
        "/e/{slug}/actions.json",
        _file(lambda r, e, items: files.actions_json(e.name, _url(r, e), items), JSON, "json"),
    ),
    Route(
        "/e/{slug}/actions.ics",
        _file(
            lambda r, e, items: _todos(r, e, items, _("%(event)s: actions") % {"event": e.name}),
            CALENDAR,
            "ics",
        ),
    ),
    Route("/e/{slug}/action/{link}.ics", owner_ics),
    ApiRoute(
        "GET",
        "/api/e/{slug}/actions",
        list_actions,
        tag="actions",
        summary="The event's actions, with status and due date",
    ),
    ApiRoute(
        "GET",
        "/api/e/{slug}/me/actions",
        read_my_actions,
        role=Role.attendee,
        tag="actions",
        summary="The actions owned by the name you joined with, for your own records",
    ),
    ApiRoute(
        "PUT",
        "/api/e/{slug}/actions/{action_id:int}/status",
        change_status,
        role=Role.facilitator,
        body="action-status",
        limit="action",
        replays=True,
        tag="actions",
        summary="Change an action's status (staff; owners use their private link)",
    ),
]
