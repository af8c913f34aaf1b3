"""The join QR code, as SVG for screens and PNG for posters and chat apps."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from server.events.qr import qr_png, qr_svg
from server.events.setup import find_event
from server.events.views import join_url


def join_qr(make: Callable[[str], bytes], media: str) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        event = await find_event(request.path_params["slug"])
        body = make(join_url(event, request.app.state.settings.public_url))
        return Response(body, media_type=media, headers={"Cache-Control": "public, max-age=3600"})

    return endpoint


routes = [
    Route("/e/{slug}/join.svg", join_qr(qr_svg, "image/svg+xml")),
    Route("/e/{slug}/join.png", join_qr(qr_png, "image/png")),
]
