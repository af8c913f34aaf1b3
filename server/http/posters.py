"""Printable posters over HTTP, as HTML pages and as PDF.

Public: they show only what the published grid and the join screen already show.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from server.events.setup import find_event
from server.events.views import join_url, venue_view
from server.exports import posters
from server.exports.pdf import pdf_soon
from server.exports.posters import Posters
from server.exports.readmodel import load_schedule

Render = Callable[[Request, Posters, bool], str]


async def _posters(request: Request) -> Posters:
    event = await find_event(request.path_params["slug"])
    public_url = request.app.state.settings.public_url
    rooms = (await venue_view(event))["rooms"]
    return Posters(
        await load_schedule(event, public_url),
        join_url(event, public_url),
        {room["id"]: room["features"] for room in rooms},
    )


def _poster(render: Render, name: str, *, pdf: bool) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        page = render(request, await _posters(request), pdf)
        if not pdf:
            return HTMLResponse(page, headers={"Cache-Control": "no-cache"})
        # Laying out a PDF takes a moment of CPU; the event loop keeps serving meanwhile.
        body = await pdf_soon(page.encode())
        room = request.path_params.get("room")
        filename = f"{request.path_params['slug']}-{name}{'' if room is None else f'-{room}'}.pdf"
        headers = {
            "Cache-Control": "no-cache",
            "Content-Disposition": f'inline; filename="{filename}"',
        }
        return Response(body, media_type="application/pdf", headers=headers)

    endpoint.__name__ = f"poster_{name}{'_pdf' if pdf else ''}"
    return endpoint


def _room(request: Request, made: Posters, pdf: bool) -> str:
    return posters.room_html(made, request.path_params["room"], pdf=pdf)


def _entrance(_request: Request, made: Posters, pdf: bool) -> str:
    return posters.entrance_html(made, pdf=pdf)


def _index(_request: Request, made: Posters, pdf: bool) -> str:
    # As a PDF, the index is every poster in one document, ready to print in one go.
    return posters.all_html(made) if pdf else posters.index_html(made)


routes = [
    Route("/e/{slug}/posters", _poster(_index, "posters", pdf=False)),
    Route("/e/{slug}/posters.pdf", _poster(_index, "posters", pdf=True)),
    Route("/e/{slug}/posters/entrance", _poster(_entrance, "entrance", pdf=False)),
    Route("/e/{slug}/posters/entrance.pdf", _poster(_entrance, "entrance", pdf=True)),
    Route("/e/{slug}/posters/rooms/{room:int}", _poster(_room, "room", pdf=False)),
    Route("/e/{slug}/posters/rooms/{room:int}.pdf", _poster(_room, "room", pdf=True)),
]
