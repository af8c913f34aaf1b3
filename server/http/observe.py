"""Structured access logs without secrets, the request metrics, and the /metrics page.

Uvicorn's own access log is off (see server/cli.py): it would write personal calendar feed
secrets and photo keys, which sit in paths, to the log. Here every request is one JSON line
with those parts of the path replaced, and no query string.
"""

from __future__ import annotations

import json
import logging
import re
import time

from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from server import metrics

log = logging.getLogger("snug.http")

# Path parts that are secrets: after a personal feed's or a photo's prefix everything goes,
# whatever it looks like, so a mistyped or stopped link (a 404) is kept out too.
SECRET_PARTS = [
    (re.compile(r"(/e/[^/]+/my/).*", re.DOTALL), r"\1[feed]"),
    (re.compile(r"(/e/[^/]+/photos/(?:\d+/)?).*", re.DOTALL), r"\1[key]"),
]
# Anywhere else, whatever has the shape of a secret Snug hands out: a run of URL-safe base64
# at least as long as the shortest (a photo key, 22 characters) with a capital letter or an
# underscore in it. Slugs are lower case, so they stay readable.
LOOKS_SECRET = re.compile(r"[A-Za-z0-9_-]{22,}")


def redact(path: str) -> str:
    for pattern, replacement in SECRET_PARTS:
        path = pattern.sub(replacement, path)
    return LOOKS_SECRET.sub(_hide_secret, path)


def _hide_secret(found: re.Match[str]) -> str:
    run = found.group()
    return "[secret]" if run.lower() != run or "_" in run else run


class AccessLog:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started, status = time.perf_counter(), 500

        async def noting_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, noting_status)
        finally:
            seconds = time.perf_counter() - started
            metrics.requests.labels(scope["method"], str(status)).inc()
            metrics.request_seconds.observe(seconds)
            if 400 <= status < 500:
                metrics.refusals.labels(str(status)).inc()
            line = {
                "method": scope["method"],
                "path": redact(scope["path"]),
                "status": status,
                "ms": round(seconds * 1000, 1),
            }
            log.info(json.dumps(line))


async def metrics_page(_request: Request) -> Response:
    return Response(generate_latest(metrics.registry), media_type=CONTENT_TYPE_LATEST)
