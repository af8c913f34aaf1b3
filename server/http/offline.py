"""The service worker that keeps the event pages working without a network (web/static/sw.js).

Served from the root, not /static/, so that it may look after the pages under /e/; always
checked for a newer copy, so a fix reaches phones on their next visit."""

from __future__ import annotations

from functools import cache

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from server.bundled import WEB_DIR


@cache
def _script() -> bytes:
    return (WEB_DIR / "static" / "sw.js").read_bytes()


async def service_worker(_request: Request) -> Response:
    return Response(
        _script(),
        media_type="text/javascript",
        headers={"Cache-Control": "no-cache", "Service-Worker-Allowed": "/e/"},
    )


routes = [Route("/sw.js", service_worker)]
